# Reference values for the small-sample (CR2) inference of the few-cluster person-level
# means of Level 3: the within-person 3 -> 6 month change of the transfer index
# (evalkit/metrics/waves.py behavior_change, vcov = "CR2"; the demo has 5 cohorts at
# 6 months) and the per-group means of the needs tables (evalkit/metrics/needs.py
# group_means, vcov = "CR2"): the Bell-McCaffrey CR2 variance of an intercept with its
# Satterthwaite degrees of freedom.
# Sections 3 to 5 read the fixed-seed data of other scripts (they draw nothing):
# 3. the budget planner's per-program gain and transfer index (planner.R's CSVs);
# 4. the persistence curve per program and wave (retrospective.R's CSVs);
# 5. the L2 -> L3 slope of the 3-month index on the gain (level3u.R's CSVs).
#
# Run from this folder:  Rscript cr2means.R > cr2means_output.txt
# It draws, with a fixed seed:
# - cr2means_followup.csv: a follow-up of 5 cohorts of unequal size (6 to 40 alumni),
#   each alumnus rating themselves on 2 behaviours (b1, b2; 1-5 scale) at 3 and at 6
#   months, a few alumni not rated at 6 months (columns cohort_id, participant_id,
#   rater, item, months_after, score, scale_max). The index of a wave is the POMP of the
#   alumnus's mean item score, (mean - 1) / 4 * 100 (scale_min = 1); d = index at 6
#   minus index at 3, alumni rated at both waves.
# - cr2means_groups.csv: one row per person (cohort_id, unit, y) with three groups: one
#   spread over 4 cohorts of unequal size, one over 2, one inside a single cohort.
# and prints every reference value as "key = value" with 15 significant digits.
#
# CR2: fit <- lm(d ~ 1); V <- vcovCR(fit, cluster = cohort_id, type = "CR2") (working
# model the identity, as for an lm); coef_test(fit, vcov = V, test = "Satterthwaite");
# conf_int(fit, vcov = V, test = "Satterthwaite", level = 0.95). Per group the same on
# the group's rows. CR1 beside it: sandwich::vcovCL(fit, cluster = ~cohort_id) (HC1)
# with coeftest(df = G - 1).
#
# R 4.2.2; clubSandwich 0.5.8; sandwich 3.0-2; lmtest (Debian packages).

suppressMessages({
  library(clubSandwich)
  library(sandwich)
  library(lmtest)
})

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

cr2 <- function(prefix, fit, cluster) {
  V <- vcovCR(fit, cluster = cluster, type = "CR2")
  ct <- coef_test(fit, vcov = V, test = "Satterthwaite")
  ci <- conf_int(fit, vcov = V, test = "Satterthwaite", level = 0.95)
  out(paste0(prefix, "_mean"), ct$beta[1])
  out(paste0(prefix, "_se_cr2"), ct$SE[1])
  out(paste0(prefix, "_df_cr2"), ct$df_Satt[1])
  out(paste0(prefix, "_t_cr2"), ct$tstat[1])
  out(paste0(prefix, "_p_cr2"), ct$p_Satt[1])
  out(paste0(prefix, "_ci_low_cr2"), ci$CI_L[1])
  out(paste0(prefix, "_ci_high_cr2"), ci$CI_U[1])
  g <- length(unique(cluster))
  cr1 <- coeftest(fit, vcovCL(fit, cluster = cluster), df = g - 1)
  out(paste0(prefix, "_se_cr1"), cr1[1, 2])
  out(paste0(prefix, "_p_cr1"), cr1[1, 4])
}

# ---------------------------------------------------------------------------------
# 1. The 3 -> 6 month change: 5 cohorts, a cohort effect (SD 6 index points) on the change
set.seed(20261203)
sizes <- c(6, 11, 17, 28, 40)
cohort_ids <- sprintf("C%d", seq_along(sizes))
shift <- rnorm(length(sizes), 0, 6)
rows <- list()
for (k in seq_along(sizes)) {
  for (j in seq_len(sizes[k])) {
    pid <- sprintf("%s-%02d", cohort_ids[k], j)
    level <- rnorm(1, 3.2, 0.6)
    for (m in c(3, 6)) {
      if (m == 6 && runif(1) < 0.1) next  # not rated again
      move <- if (m == 6) 0.3 + shift[k] / 25 else 0
      s <- pmin(5, pmax(1, round(level + move + rnorm(2, 0, 0.7))))
      rows[[length(rows) + 1]] <- data.frame(
        cohort_id = cohort_ids[k], participant_id = pid, rater = "self",
        item = c("b1", "b2"), months_after = m, score = s, scale_max = 5,
        stringsAsFactors = FALSE)
    }
  }
}
followup <- do.call(rbind, rows)
write.csv(followup, "cr2means_followup.csv", row.names = FALSE)

index <- aggregate(score ~ cohort_id + participant_id + months_after, followup, mean)
index$index <- (index$score - 1) / 4 * 100
wide <- reshape(index[, c("cohort_id", "participant_id", "months_after", "index")],
                idvar = c("cohort_id", "participant_id"), timevar = "months_after",
                direction = "wide")
both <- wide[complete.cases(wide), ]
both$d <- both$index.6 - both$index.3
out("change_n", nrow(both))
out("change_mean_baseline", mean(both$index.3))
out("change_mean_later", mean(both$index.6))
cr2("change", lm(d ~ 1, data = both), both$cohort_id)

# ---------------------------------------------------------------------------------
# 2. Needs: per-group means, groups over 4, 2 and 1 cohorts of unequal size
set.seed(20261204)
groups <- rbind(
  data.frame(cohort_id = rep(c("K1", "K2", "K3", "K4"), c(3, 7, 12, 5)), unit = "u1"),
  data.frame(cohort_id = rep(c("K2", "K5"), c(4, 9)), unit = "u2"),
  data.frame(cohort_id = rep("K6", 8), unit = "u3")
)
effect <- c(K1 = -8, K2 = 4, K3 = 0, K4 = 10, K5 = -5, K6 = 3)
groups$y <- round(60 + effect[groups$cohort_id] + rnorm(nrow(groups), 0, 12), 2)
write.csv(groups, "cr2means_groups.csv", row.names = FALSE)
for (u in c("u1", "u2")) {
  part <- groups[groups$unit == u, ]
  cr2(paste0("needs_", u), lm(y ~ 1, data = part), part$cohort_id)
}
part <- groups[groups$unit == "u3", ]
tt <- t.test(part$y)
out("needs_u3_mean", tt$estimate)
out("needs_u3_ci_low_t", tt$conf.int[1])
out("needs_u3_ci_high_t", tt$conf.int[2])

# ---------------------------------------------------------------------------------
# 3. The budget planner (evalkit/metrics/planner.py program_effects and program_transfer,
#    vcov = "CR2") on the planner's own fixed-seed study (planner.R writes the CSVs; read
#    here, nothing drawn): programs A (3 cohorts), B (2 cohorts), C (1 cohort: the paired
#    t, whatever vcov says, in planner_output.txt). Per program, gain = post - pre:
#    fit <- lm(gain ~ 1, d); coef_test(fit, vcovCR(fit, cluster = d$cohort_id, type =
#    "CR2"), test = "Satterthwaite"); conf_int(...); d_z = mean / sd(gain) and its
#    interval the CR2 interval of the mean over sd(gain). The transfer index at 3 months:
#    per rater the mean over items of (score - 1) / (max - 1) x 100, per person the mean
#    over raters; the same CR2 fit of lm(index ~ 1) per program.
people <- read.csv("planner_people.csv", stringsAsFactors = FALSE)
people$gain <- people$post - people$pre
pcoh <- read.csv("planner_cohorts.csv", stringsAsFactors = FALSE)
people <- merge(people, pcoh[, c("cohort_id", "program_id")])
for (prog in c("A", "B")) {
  d <- people[people$program_id == prog, ]
  cr2(paste0("planner_gain_", prog), lm(gain ~ 1, data = d), d$cohort_id)
  s <- sd(d$gain)
  V <- vcovCR(lm(gain ~ 1, data = d), cluster = d$cohort_id, type = "CR2")
  ci <- conf_int(lm(gain ~ 1, data = d), vcov = V, test = "Satterthwaite", level = 0.95)
  out(paste0("planner_gain_", prog, "_d_z"), mean(d$gain) / s)
  out(paste0("planner_gain_", prog, "_d_z_ci"), c(ci$CI_L[1], ci$CI_U[1]) / s)
}
pfu <- read.csv("planner_followup.csv", stringsAsFactors = FALSE)
pfu$pomp <- (pfu$score - 1) / (pfu$scale_max - 1) * 100
per_rater <- aggregate(pomp ~ cohort_id + participant_id + rater, data = pfu, FUN = mean)
per_person <- aggregate(pomp ~ cohort_id + participant_id, data = per_rater, FUN = mean)
per_person <- merge(per_person, pcoh[, c("cohort_id", "program_id")])
for (prog in c("A", "B")) {
  d <- per_person[per_person$program_id == prog, ]
  cr2(paste0("planner_transfer_", prog), lm(pomp ~ 1, data = d), d$cohort_id)
}

# ---------------------------------------------------------------------------------
# 4. The persistence curve (evalkit/metrics/waves.py persistence_curve, vcov = "CR2") on
#    retrospective.R's fixed-seed follow-up (retrospective_followup.csv, 6 cohorts in
#    programs P1-P3, waves 0, 3, 6 and 12 months; read here, nothing drawn): per program
#    and wave with 2 or more cohorts, the person index (per rater the mean over items of
#    (score - 1) / (max - 1) x 100, the mean over raters) and fit <- lm(pomp ~ 1, d) with
#    coef_test(fit, vcovCR(fit, cluster = d$cohort_id, type = "CR2"), test =
#    "Satterthwaite"); a wave of one cohort keeps the t interval (retrospective_output.txt).
rfu <- read.csv("retrospective_followup.csv", stringsAsFactors = FALSE)
rcoh <- read.csv("retrospective_cohorts.csv", stringsAsFactors = FALSE)
rfu$pomp <- (rfu$score - 1) / (rfu$scale_max - 1) * 100
pr_ <- aggregate(pomp ~ cohort_id + participant_id + months_after + rater, data = rfu, FUN = mean)
pw <- aggregate(pomp ~ cohort_id + participant_id + months_after, data = pr_, FUN = mean)
pw <- merge(pw, rcoh, by = "cohort_id")
for (prog in c("P1", "P2", "P3")) {
  for (wave in c(0, 3, 6, 12)) {
    d <- pw[pw$program_id == prog & pw$months_after == wave, ]
    if (length(unique(d$cohort_id)) < 2) next
    key <- paste0("curve_", prog, "_", wave)
    out(paste0(key, "_n"), nrow(d))
    out(paste0(key, "_n_clusters"), length(unique(d$cohort_id)))
    cr2(key, lm(pomp ~ 1, data = d), d$cohort_id)
  }
}

# ---------------------------------------------------------------------------------
# 5. The L2 -> L3 slope (evalkit/metrics/behavior.py gain_behavior_link(cluster =
#    "cohort_id", vcov = "CR2")) on level3u.R's fixed-seed study (level3u_people.csv,
#    level3u_followup.csv; read here, nothing drawn): the 3-month index of each alumnus
#    (per rater the mean over items of score / 5 x 100, the mean over raters) on the
#    score gain: fit <- lm(index ~ gain, i3); V <- vcovCR(fit, cluster = i3$cohort_id,
#    type = "CR2"); coef_test(fit, vcov = V, test = "Satterthwaite")[2, ];
#    conf_int(fit, vcov = V, test = "Satterthwaite", level = 0.95)[2, ]. CR1 beside it:
#    coeftest(fit, vcovCL(fit, cluster = ~cohort_id), df = G - 1)[2, ].
lp <- read.csv("level3u_people.csv", stringsAsFactors = FALSE)
lp$gain <- lp$post - lp$pre
lfu <- read.csv("level3u_followup.csv", stringsAsFactors = FALSE)
lfu <- lfu[lfu$months_after == 3, ]
lr <- aggregate(score ~ cohort_id + participant_id + rater, lfu, function(s) mean(s / 5 * 100))
li <- aggregate(score ~ cohort_id + participant_id, lr, mean)
names(li)[names(li) == "score"] <- "index"
i3 <- merge(li, lp[, c("cohort_id", "participant_id", "gain")])
fit <- lm(index ~ gain, data = i3)
V <- vcovCR(fit, cluster = i3$cohort_id, type = "CR2")
ct <- coef_test(fit, vcov = V, test = "Satterthwaite")
ci <- conf_int(fit, vcov = V, test = "Satterthwaite", level = 0.95)
G <- length(unique(i3$cohort_id))
out("link_n", nrow(i3))
out("link_n_clusters", G)
out("link_slope", ct$beta[2])
out("link_se_cr2", ct$SE[2])
out("link_df_cr2", ct$df_Satt[2])
out("link_t_cr2", ct$tstat[2])
out("link_p_cr2", ct$p_Satt[2])
out("link_ci_low_cr2", ci$CI_L[2])
out("link_ci_high_cr2", ci$CI_U[2])
cr1 <- coeftest(fit, vcovCL(fit, cluster = ~cohort_id), df = G - 1)
out("link_se_cr1", cr1[2, 2])
out("link_p_cr1", cr1[2, 4])
