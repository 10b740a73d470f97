# Reference values for evalkit Level 5 uncertainty (metrics/roi_uncertainty.py) and the
# Phillips scenarios and cost items (metrics/economics.py).
#
# Run from this folder:  Rscript level5.R > level5_output.txt
# It writes the level5_*.csv synthetic study tables it uses (drawn with a fixed seed)
# and the bootstrap replicates of a small run (level5_replicates.csv), and prints every
# reference value as "key = value" with 15 significant digits. The tests quote these
# numbers as literals, each with the R call that produced it.
#
# The statistic: a group's BCR = (sum of adjusted benefits of its people and unit-level
# rows) / (its recorded costs). Adjusted benefit = benefit x attribution x confidence;
# an enrolled participant without an estimate counts 0 (Phillips: no data, no
# improvement). Resampling: boot(strata = cohort x kind), where kind is "person" (one
# value per person: the sum of their rows, 0 for a non-respondent) or "unit" (one value
# per unit-level row). Written as sum_s n_s * mean_s(x) / C so that the jackknife
# deletes a person without shrinking the stratum's total (empinf(type = "jack")).
#
# R 4.2.2; boot 1.3-28.1 (Debian packages).

suppressMessages(library(boot))

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

# ---------------------------------------------------------------------------------
# 1. Synthetic tables: three cohorts of two programs; about 60% respond, a third of the
#    respondents give a second estimate; cohort B-2024 also has four unit-level rows.
set.seed(20240501)
cohorts <- data.frame(cohort_id = c("A-2023", "A-2024", "B-2024"),
                      program_id = c("A", "A", "B"), n = c(24, 18, 20),
                      hours = c(8, 8, 5))
participants <- do.call(rbind, lapply(seq_len(nrow(cohorts)), function(k) {
  data.frame(cohort_id = cohorts$cohort_id[k],
             participant_id = sprintf("P%s%02d", substr(cohorts$cohort_id[k], 1, 1),
                                      seq_len(cohorts$n[k]) + 10 * (k - 1)))
}))
rows <- list()
for (j in seq_len(nrow(participants))) {
  if (runif(1) >= 0.6) next
  k <- match(participants$cohort_id[j], cohorts$cohort_id)
  n_rows <- if (runif(1) < 0.35) 2 else 1
  for (r in seq_len(n_rows)) {
    hours <- max(0.5, round(rgamma(1, shape = 4, scale = cohorts$hours[k] / 4) * 2) / 2)
    rate <- sample(c(42000, 47000, 53000), 1)
    rows[[length(rows) + 1]] <- data.frame(
      cohort_id = participants$cohort_id[j], participant_id = participants$participant_id[j],
      benefit_type = c("time_saved", "fewer_errors")[r], benefit_idr = hours * 12 * rate,
      attribution = sample(c(0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8), 1),
      confidence = sample(c(0.5, 0.6, 0.7, 0.8, 0.9, 1.0), 1))
  }
}
for (u in 1:4) {
  rows[[length(rows) + 1]] <- data.frame(
    cohort_id = "B-2024", participant_id = NA, benefit_type = "fewer_complaints",
    benefit_idr = round(rgamma(1, shape = 4, scale = 15 / 4) * 2) / 2 * 12 * 47000,
    attribution = sample(c(0.3, 0.5, 0.7), 1), confidence = sample(c(0.6, 0.8), 1))
}
benefits <- do.call(rbind, rows)
costs <- data.frame(
  cohort_id = rep(cohorts$cohort_id, each = 4),
  category = rep(c("honor_narasumber", "konsumsi", "waktu_peserta", "evaluasi"), 3),
  amount_idr = c(21600000, 6120000, 24 * 40 * 55000, 2500000,
                 16800000, 4590000, 18 * 40 * 55000, 2500000,
                 9000000, 0, 20 * 24 * 55000, 1500000))
write.csv(cohorts[, c("cohort_id", "program_id")], "level5_cohorts.csv", row.names = FALSE)
write.csv(participants, "level5_participants.csv", row.names = FALSE)
write.csv(benefits, "level5_benefits.csv", row.names = FALSE, na = "")
write.csv(costs, "level5_costs.csv", row.names = FALSE)

# ---------------------------------------------------------------------------------
# 2. Resampling units: one value per person (0 for a non-respondent) or unit-level row.
benefits$adjusted <- benefits$benefit_idr * benefits$attribution * benefits$confidence
person <- benefits[!is.na(benefits$participant_id), ]
per_person <- aggregate(adjusted ~ cohort_id + participant_id, data = person, FUN = sum)
units <- merge(participants, per_person, all = TRUE)
units$adjusted[is.na(units$adjusted)] <- 0
units$kind <- "person"
unit_rows <- benefits[is.na(benefits$participant_id), ]
units <- rbind(units[, c("cohort_id", "kind", "adjusted")],
               data.frame(cohort_id = unit_rows$cohort_id, kind = "unit",
                          adjusted = unit_rows$adjusted))
units$stratum <- factor(paste(units$cohort_id, units$kind))
total_cost <- tapply(costs$amount_idr, costs$cohort_id, sum)

groups <- list(cohort.A2023 = "A-2023", cohort.A2024 = "A-2024", cohort.B2024 = "B-2024",
               program.A = c("A-2023", "A-2024"), program.B = "B-2024",
               portfolio = cohorts$cohort_id)

# ---------------------------------------------------------------------------------
# 3. Per group: counts, point estimates, jackknife influence, bootstrap intervals.
small_B <- 999
big_B <- 200000
replicates <- list()
for (g in names(groups)) {
  d <- units[units$cohort_id %in% groups[[g]], ]
  d$stratum <- droplevels(d$stratum)
  C <- sum(total_cost[groups[[g]]])
  n_s <- table(d$stratum)
  stat <- function(data, i) {
    m <- tapply(data$adjusted[i], data$stratum[i], mean)
    sum(m[names(n_s)] * n_s) / C
  }
  resp <- benefits[benefits$cohort_id %in% groups[[g]], ]
  # people are counted once in a group, also when enrolled in two of its cohorts
  out(paste0(g, ".n_participants"),
      length(unique(participants$participant_id[participants$cohort_id %in% groups[[g]]])))
  out(paste0(g, ".n_respondents"),
      length(unique(resp$participant_id[!is.na(resp$participant_id)])))
  out(paste0(g, ".n_unit_rows"), sum(d$kind == "unit"))
  out(paste0(g, ".n_estimates"), nrow(resp))
  B0 <- sum(d$adjusted)
  out(paste0(g, ".benefits"), B0)
  out(paste0(g, ".costs"), C)
  out(paste0(g, ".bcr"), B0 / C)
  out(paste0(g, ".roi_pct"), (B0 - C) / C * 100)
  # exact (ideal) bootstrap SE of the stratified sum: sum_s n_s * var_n(x_s)
  v <- tapply(d$adjusted, d$stratum, function(x) mean((x - mean(x))^2))
  out(paste0(g, ".ideal_se"), sqrt(sum(n_s[names(v)] * v)) / C)
  # empinf(data = d, statistic = stat, strata = d$stratum, type = "jack", stype = "i")
  L <- empinf(data = d, statistic = stat, strata = d$stratum, type = "jack", stype = "i")
  out(paste0(g, ".L_sum_sq"), sum(L^2))
  out(paste0(g, ".acceleration"), sum(L^3) / (6 * sum(L^2)^1.5))
  # small run: boot(d, stat, R = 999, strata = d$stratum); its replicates are saved
  set.seed(1)
  b <- boot(d, stat, R = small_B, strata = d$stratum)
  replicates[[g]] <- b$t[, 1]
  ci <- boot.ci(b, conf = 0.95, type = c("perc", "bca"), L = L)
  out(paste0(g, ".small.perc"), ci$percent[4:5])
  out(paste0(g, ".small.bca"), ci$bca[4:5])
  # large run: boot(d, stat, R = 200000, strata = d$stratum)
  set.seed(2)
  b <- boot(d, stat, R = big_B, strata = d$stratum)
  ci <- boot.ci(b, conf = 0.95, type = c("perc", "bca"), L = L)
  out(paste0(g, ".large.perc"), ci$percent[4:5])
  out(paste0(g, ".large.bca"), ci$bca[4:5])
  out(paste0(g, ".large.se"), sd(b$t[, 1]))
  # the Phillips scenarios (point estimates): attribution x 0.5; estimates with
  # confidence >= 0.7 only; benefits for 0.5 and 2 years; non-respondents given the
  # respondents' mean adjusted benefit per person (cohort by cohort)
  out(paste0(g, ".scenario.attribution_low"),
      sum(resp$benefit_idr * resp$attribution * 0.5 * resp$confidence) / C)
  out(paste0(g, ".scenario.confidence_min"),
      sum(resp$adjusted[resp$confidence >= 0.7]) / C)
  out(paste0(g, ".scenario.duration"), c(0.5, 2) * B0 / C)
  extrapolated <- 0
  for (k in groups[[g]]) {
    r <- resp[resp$cohort_id == k, ]
    p <- r[!is.na(r$participant_id), ]
    n_enrolled <- sum(participants$cohort_id == k)
    extrapolated <- extrapolated + sum(r$adjusted[is.na(r$participant_id)]) +
      sum(p$adjusted) * n_enrolled / length(unique(p$participant_id))
  }
  out(paste0(g, ".scenario.respondents_extrapolated"), extrapolated / C)
}
write.csv(as.data.frame(replicates), "level5_replicates.csv", row.names = FALSE)

# ---------------------------------------------------------------------------------
# 4. Cost items: cash (honor_narasumber, konsumsi), participant time (waktu_peserta),
#    other (evaluasi), per cohort: tapply(amount_idr, list(cohort_id, kind), sum)
kind <- c(honor_narasumber = "cash", konsumsi = "cash", waktu_peserta = "participant_time",
          evaluasi = "other")[costs$category]
tab <- tapply(costs$amount_idr, list(costs$cohort_id, kind), sum)
for (k in rownames(tab)) for (j in colnames(tab)) out(paste0("costs.", k, ".", j), tab[k, j])

# ---------------------------------------------------------------------------------
# 5. Cost-effectiveness on the level345 tables (cost_effectiveness): per cohort with
#    learning data, cost per participant / mean gain, and / (mean gain / sd(pre)).
lc <- read.csv("level345_costs.csv")
lp <- read.csv("level345_participants.csv")
ll <- read.csv("level345_learning.csv")
ll <- ll[!is.na(ll$pre) & !is.na(ll$post), ]
for (k in sort(unique(ll$cohort_id))) {
  cpp <- sum(lc$amount_idr[lc$cohort_id == k]) / length(unique(lp$participant_id[lp$cohort_id == k]))
  g <- ll$post[ll$cohort_id == k] - ll$pre[ll$cohort_id == k]
  s <- sd(ll$pre[ll$cohort_id == k])
  out(paste0("ce.", k, ".sd_pre"), s)
  out(paste0("ce.", k, ".standardized_gain"), mean(g) / s)
  out(paste0("ce.", k, ".cost_per_sd_gain"), cpp / (mean(g) / s))
}
