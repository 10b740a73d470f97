# Reference values for evalkit Levels 3-5 (behavior.py, results.py, roi.py, power.py).
#
# Run from this folder:  Rscript level345.R > level345_output.txt
# It writes the level345_*.csv data files it uses (public data sets copied from R
# packages, and small synthetic study tables drawn with a fixed seed) and prints every
# reference value as "key = value" with 15 significant digits. The tests quote these
# numbers as literals, each with the R call that produced it.
#
# R 4.2.2; psych 2.2.9; lme4 1.1-31; sandwich 3.0-2; lmtest (Debian packages).

suppressMessages({
  library(psych)
  library(lme4)
  library(sandwich)
  library(lmtest)
})

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

# ---------------------------------------------------------------------------------
# 1. ICC: Shrout & Fleiss (1979) Table 2, six targets rated by four judges.
#    Published: ICC(1,1)=.17 ICC(2,1)=.29 ICC(3,1)=.71 ICC(1,4)=.44 ICC(2,4)=.62 ICC(3,4)=.91
sf <- matrix(c(9, 2, 5, 8,
               6, 1, 3, 2,
               8, 4, 6, 8,
               7, 1, 2, 6,
               10, 5, 6, 9,
               6, 2, 4, 7), ncol = 4, byrow = TRUE,
             dimnames = list(NULL, c("j1", "j2", "j3", "j4")))
write.csv(sf, "level345_shrout_fleiss.csv", row.names = FALSE)
r <- psych::ICC(sf, lmer = FALSE)$results
for (i in 1:6) {
  tag <- paste0("sf.", r$type[i])
  out(paste0(tag, ".icc"), r$ICC[i]); out(paste0(tag, ".F"), r$F[i])
  out(paste0(tag, ".df1"), r$df1[i]); out(paste0(tag, ".df2"), r$df2[i])
  out(paste0(tag, ".p"), r$p[i])
  out(paste0(tag, ".lower"), r[["lower bound"]][i]); out(paste0(tag, ".upper"), r[["upper bound"]][i])
}

# ---------------------------------------------------------------------------------
# 2. Bland-Altman: peak expiratory flow rate (l/min), Bland & Altman (1986) Lancet,
#    Table 1: first Wright reading vs first mini Wright reading, 17 subjects.
#    Published: bias -2.1, sd 38.8; 95% CI of bias -22.1 to 17.9.
pefr <- data.frame(
  wright = c(494, 395, 516, 434, 476, 557, 413, 442, 650, 433, 417, 656, 267, 478, 178, 423, 427),
  mini   = c(512, 430, 520, 428, 500, 600, 364, 380, 658, 445, 432, 626, 260, 477, 259, 350, 451))
write.csv(pefr, "level345_pefr.csv", row.names = FALSE)
ba <- function(x, y, level = 0.95, agreement = 0.95) {
  d <- x - y; n <- length(d); s <- sd(d); bias <- mean(d)
  z <- qnorm(1 - (1 - agreement) / 2); tq <- qt(1 - (1 - level) / 2, n - 1)
  se_bias <- s / sqrt(n)
  se_loa <- s * sqrt(1 / n + z^2 / (2 * (n - 1)))   # Bland & Altman (1999), section 4.2
  c(n = n, bias = bias, sd = s, bias_ci_low = bias - tq * se_bias, bias_ci_high = bias + tq * se_bias,
    loa_low = bias - z * s, loa_high = bias + z * s,
    loa_low_ci_low = bias - z * s - tq * se_loa, loa_low_ci_high = bias - z * s + tq * se_loa,
    loa_high_ci_low = bias + z * s - tq * se_loa, loa_high_ci_high = bias + z * s + tq * se_loa)
}
b <- ba(pefr$wright, pefr$mini)
for (k in names(b)) out(paste0("pefr.", k), b[[k]])
r <- psych::ICC(pefr, lmer = FALSE)$results
out("pefr.ICC2", r$ICC[2]); out("pefr.ICC2.lower", r[["lower bound"]][2])
out("pefr.ICC2.upper", r[["upper bound"]][2])

# ---------------------------------------------------------------------------------
# 3. Synthetic study tables (fixed seed) for Levels 3-5.
set.seed(20251127)
cohorts <- data.frame(
  cohort_id = c("C1", "C2", "C3"), program_id = c("PR1", "PR1", "PR2"),
  delivery = c("klasikal", "blended", "klasikal"), jp = c(24L, 40L, 16L),
  start_date = c("2023-03-06", "2024-05-13", "2024-11-18"),
  end_date = c("2023-03-09", "2024-05-20", "2025-01-08"))
n_by <- c(C1 = 9, C2 = 12, C3 = 7)
participants <- do.call(rbind, lapply(names(n_by), function(c) data.frame(
  cohort_id = c, participant_id = sprintf("P%s%02d", c, seq_len(n_by[[c]])),
  unit = sample(c("Bappeda", "Dinas Kesehatan", "Inspektorat"), n_by[[c]], replace = TRUE))))
# a few people attend two cohorts (same pseudonym, same unit)
participants$participant_id[participants$cohort_id == "C2"][1:3] <- c("PC101", "PC102", "PC103")
participants$unit[participants$cohort_id == "C2"][1:3] <-
  participants$unit[participants$cohort_id == "C1"][1:3]
participants$participant_id[participants$cohort_id == "C3"][1:2] <- c("PC101", "PC205")
participants$unit[participants$cohort_id == "C3"][1:2] <-
  participants$unit[match(c("PC101", "PC205"), participants$participant_id)]
write.csv(cohorts, "level345_cohorts.csv", row.names = FALSE)
write.csv(participants, "level345_participants.csv", row.names = FALSE)

learning <- transform(participants[, c("cohort_id", "participant_id")],
                      pre = round(runif(nrow(participants), 30, 70)), max_score = 100)
learning$post <- pmin(100, learning$pre + round(rnorm(nrow(learning), 15, 10)))
learning$post[5] <- NA
write.csv(learning[, c("cohort_id", "participant_id", "pre", "post", "max_score")],
          "level345_learning.csv", row.names = FALSE)

fu <- list()
for (i in seq_len(nrow(participants))) {
  gain <- learning$post[i] - learning$pre[i]
  level <- 3 + (if (is.na(gain)) 0 else gain / 20)
  for (rater in c("self", "supervisor")) for (item in paste0("b", 1:4)) {
    s <- round(level + (rater == "self") * 0.4 + rnorm(1, 0, 0.8))
    fu[[length(fu) + 1]] <- data.frame(
      cohort_id = participants$cohort_id[i], participant_id = participants$participant_id[i],
      rater = rater, months_after = 6L, item = item, score = min(5, max(1, s)), scale_max = 5L)
  }
}
followup <- do.call(rbind, fu)
write.csv(followup, "level345_followup.csv", row.names = FALSE)

projects <- data.frame(cohort_id = participants$cohort_id, participant_id = participants$participant_id,
  months_after = 6L,
  project_status = sample(c("not_started", "in_progress", "implemented", "sustained"),
                          nrow(participants), replace = TRUE, prob = c(.15, .25, .3, .3)))
write.csv(projects, "level345_projects.csv", row.names = FALSE)

costs <- expand.grid(cohort_id = cohorts$cohort_id,
                     category = c("facilitator", "venue", "participant_time"), stringsAsFactors = FALSE)
costs$amount_idr <- round(runif(nrow(costs), 5e6, 6e7), -3)
write.csv(costs, "level345_costs.csv", row.names = FALSE)

units <- c("Dukcapil", "DPMPTSP", "Dinkes", "Dinsos")
ikm <- do.call(rbind, lapply(units, function(u) {
  n <- sample(8:15, 1)
  d <- data.frame(unit = u, respondent_id = sprintf("%s-%02d", u, 1:n))
  for (e in paste0("u", 1:9)) d[[e]] <- sample(1:4, n, replace = TRUE, prob = c(.05, .2, .45, .3))
  d
}))
write.csv(ikm, "level345_ikm.csv", row.names = FALSE)

# --- 3a. transfer index: participant index = mean over raters of mean(score/scale_max*100)
fu2 <- transform(followup, pct = score / scale_max * 100)
pr <- aggregate(pct ~ cohort_id + participant_id + rater, fu2, mean)
pp <- aggregate(pct ~ cohort_id + participant_id, pr, mean)
for (c in cohorts$cohort_id) {
  x <- pp$pct[pp$cohort_id == c]; tt <- t.test(x)
  out(paste0("ti.", c, ".n"), length(x)); out(paste0("ti.", c, ".index"), mean(x))
  out(paste0("ti.", c, ".sd"), sd(x)); out(paste0("ti.", c, ".ci"), tt$conf.int)
  out(paste0("ti.", c, ".self"), mean(pr$pct[pr$cohort_id == c & pr$rater == "self"]))
  out(paste0("ti.", c, ".supervisor"), mean(pr$pct[pr$cohort_id == c & pr$rater == "supervisor"]))
}
tt <- t.test(pp$pct); out("ti.all.index", mean(pp$pct)); out("ti.all.ci", tt$conf.int)

# --- 3b. self vs supervisor agreement per cohort on the participant index (0-100)
w <- reshape(pr, idvar = c("cohort_id", "participant_id"), timevar = "rater", direction = "wide")
for (c in cohorts$cohort_id) {
  s <- w[w$cohort_id == c, ]
  r <- psych::ICC(s[, c("pct.self", "pct.supervisor")], lmer = FALSE)$results
  out(paste0("ra.", c, ".icc2"), r$ICC[2]); out(paste0("ra.", c, ".icc2.ci"), c(r[["lower bound"]][2], r[["upper bound"]][2]))
  out(paste0("ra.", c, ".icc3"), r$ICC[3]); out(paste0("ra.", c, ".icc3.ci"), c(r[["lower bound"]][3], r[["upper bound"]][3]))
  b <- ba(s$pct.self, s$pct.supervisor)
  for (k in names(b)) out(paste0("ra.", c, ".", k), b[[k]])
}

# --- 3c. project rates with Wilson intervals: prop.test(x, n, correct = FALSE)
for (c in cohorts$cohort_id) {
  st <- projects$project_status[projects$cohort_id == c]; n <- length(st)
  xi <- sum(st %in% c("implemented", "sustained")); xs <- sum(st == "sustained")
  out(paste0("pj.", c, ".n"), n); out(paste0("pj.", c, ".impl"), c(xi, xi / n))
  out(paste0("pj.", c, ".impl.ci"), prop.test(xi, n, correct = FALSE)$conf.int)
  out(paste0("pj.", c, ".sust"), c(xs, xs / n))
  out(paste0("pj.", c, ".sust.ci"), prop.test(xs, n, correct = FALSE)$conf.int)
  if (xi > 0) out(paste0("pj.", c, ".sust_of_impl.ci"), prop.test(xs, xi, correct = FALSE)$conf.int)
}

# --- 3d. behaviour on learning gain: lm(index ~ gain)
m <- merge(pp, transform(learning, gain = post - pre), by = c("cohort_id", "participant_id"))
fit <- lm(pct ~ gain, data = m)          # rows with missing gain dropped by lm
cf <- summary(fit)$coefficients
out("link.n", nobs(fit)); out("link.coef", cf[, 1]); out("link.se", cf[, 2])
out("link.t", cf[, 3]); out("link.p", cf[, 4]); out("link.ci", confint(fit)["gain", ])
out("link.r2", summary(fit)$r.squared)
fit <- lm(dist ~ speed, data = cars); cf <- summary(fit)$coefficients
out("cars.coef", cf[, 1]); out("cars.se", cf[, 2]); out("cars.p", cf[, 4])
out("cars.ci", confint(fit)["speed", ]); out("cars.r2", summary(fit)$r.squared)

# ---------------------------------------------------------------------------------
# 4. IKM (PermenPANRB 14/2017): sum over elements of mean(element) / 9, times 25.
for (u in units) {
  d <- ikm[ikm$unit == u, paste0("u", 1:9)]
  nrr <- sum(colMeans(d)) / 9
  out(paste0("ikm.", u, ".n"), nrow(d)); out(paste0("ikm.", u, ".nrr"), nrr)
  out(paste0("ikm.", u, ".ikm"), nrr * 25)
}
out("ikm.all.ikm", sum(colMeans(ikm[, paste0("u", 1:9)])) / 9 * 25)

# ---------------------------------------------------------------------------------
# 5. Difference-in-differences: sandwich::PetersenCL (500 firms x 10 years).
#    treated = even firm, post = year >= 6. CR1 ("HC1") cluster-robust by firm.
data(PetersenCL, package = "sandwich")
pcl <- transform(PetersenCL, treated = firm %% 2 == 0, post = year >= 6)
write.csv(PetersenCL, "level345_petersen.csv", row.names = FALSE)
did_ref <- function(tag, d, f) {
  m <- lm(f, data = d)
  G <- length(unique(d$firm))
  V <- sandwich::vcovCL(m, cluster = d$firm, type = "HC1")
  k <- "treatedTRUE:postTRUE"
  ct <- lmtest::coeftest(m, vcov = V, df = G - 1)       # Stata convention: t with G-1 df
  ci <- lmtest::coefci(m, vcov = V, df = G - 1)
  out(paste0(tag, ".estimate"), ct[k, 1]); out(paste0(tag, ".se"), ct[k, 2])
  out(paste0(tag, ".t"), ct[k, 3]); out(paste0(tag, ".p"), ct[k, 4]); out(paste0(tag, ".ci"), ci[k, ])
  ct <- lmtest::coeftest(m, vcov = V)                    # default: t with N-K df
  ci <- lmtest::coefci(m, vcov = V)
  out(paste0(tag, ".p_resid"), ct[k, 4]); out(paste0(tag, ".ci_resid"), ci[k, ])
  out(paste0(tag, ".n"), nobs(m)); out(paste0(tag, ".G"), G)
}
did_ref("did.full", pcl, y ~ treated * post)
did_ref("did.x", pcl, y ~ treated * post + x)
did_ref("did.small", subset(pcl, firm <= 12), y ~ treated * post)

# Event study on the 12-firm subset: saturated in year, CR1 by firm, t with G-1 df.
d <- subset(pcl, firm <= 12)
m <- lm(y ~ 0 + factor(year) + factor(year):treated, data = d)
V <- sandwich::vcovCL(m, cluster = d$firm, type = "HC1")
ks <- grep(":treatedTRUE", names(coef(m)), value = TRUE)
ct <- lmtest::coeftest(m, vcov = V, df = 12 - 1); ci <- lmtest::coefci(m, vcov = V, df = 12 - 1)
out("es.estimate", ct[ks, 1]); out("es.se", ct[ks, 2]); out("es.p", ct[ks, 4])
out("es.ci_low", ci[ks, 1]); out("es.ci_high", ci[ks, 2])
# relative to year 5: b_t - b_5 with the joint vcov
L <- diag(length(ks)); L[, 5] <- L[, 5] - 1
b <- coef(m)[ks]; Vk <- V[ks, ks]
rel <- as.vector(L %*% b); se <- sqrt(diag(L %*% Vk %*% t(L)))
out("es.rel.estimate", rel); out("es.rel.se", se)
out("es.rel.p", 2 * pt(-abs(rel / se), 11))

# ---------------------------------------------------------------------------------
# 6. Random-intercept models, REML (lme4).
write.csv(sleepstudy, "level345_sleepstudy.csv", row.names = FALSE)
write.csv(Dyestuff, "level345_dyestuff.csv", row.names = FALSE)
ml_ref <- function(tag, m) {
  vc <- as.data.frame(VarCorr(m))
  out(paste0(tag, ".var_group"), vc$vcov[1]); out(paste0(tag, ".var_resid"), vc$vcov[2])
  out(paste0(tag, ".icc"), vc$vcov[1] / sum(vc$vcov))
  cf <- summary(m)$coefficients
  out(paste0(tag, ".estimate"), cf[, 1]); out(paste0(tag, ".se"), cf[, 2])
  out(paste0(tag, ".p"), 2 * pnorm(-abs(cf[, 3])))
  ci <- confint(m, method = "Wald", parm = "beta_")
  out(paste0(tag, ".ci_low"), ci[, 1]); out(paste0(tag, ".ci_high"), ci[, 2])
}
ml_ref("sleep", lmer(Reaction ~ Days + (1 | Subject), data = sleepstudy, REML = TRUE))
ml_ref("dyes", lmer(Yield ~ 1 + (1 | Batch), data = Dyestuff, REML = TRUE))

# ---------------------------------------------------------------------------------
# 7. 20 JP per year: JP of a cohort counted in the year of its end_date.
pj <- merge(participants, cohorts, by = "cohort_id")
pj$year <- as.integer(substr(pj$end_date, 1, 4))
person <- aggregate(jp ~ participant_id + year, pj, sum)
years <- sort(unique(pj$year)); ids <- sort(unique(pj$participant_id))
grid <- expand.grid(participant_id = ids, year = years, stringsAsFactors = FALSE)
grid <- merge(grid, person, all.x = TRUE); grid$jp[is.na(grid$jp)] <- 0
last <- pj[order(pj$participant_id, pj$end_date), ]
last <- last[!duplicated(last$participant_id, fromLast = TRUE), c("participant_id", "unit")]
grid <- merge(grid, last)
for (u in sort(unique(grid$unit))) for (y in years) {
  g <- grid[grid$unit == u & grid$year == y, ]; x <- sum(g$jp >= 20)
  tag <- paste0("jp.", gsub(" ", "_", u), ".", y)
  out(paste0(tag, ".n"), nrow(g)); out(paste0(tag, ".compliant"), x)
  out(paste0(tag, ".mean_jp"), mean(g$jp))
  out(paste0(tag, ".ci"), prop.test(x, nrow(g), correct = FALSE)$conf.int)
}

# ---------------------------------------------------------------------------------
# 8. Cost per participant, per JP, per gain point.
tot <- aggregate(amount_idr ~ cohort_id, costs, sum)
np <- aggregate(participant_id ~ cohort_id, participants, length)
lg <- aggregate(gain ~ cohort_id, transform(learning, gain = post - pre), mean)
cs <- merge(merge(merge(tot, np), lg), cohorts)
for (i in seq_len(nrow(cs))) {
  tag <- paste0("cost.", cs$cohort_id[i])
  out(paste0(tag, ".total"), cs$amount_idr[i])
  out(paste0(tag, ".per_participant"), cs$amount_idr[i] / cs$participant_id[i])
  out(paste0(tag, ".per_jp"), cs$amount_idr[i] / cs$jp[i])
  out(paste0(tag, ".per_gain_point"), cs$amount_idr[i] / cs$participant_id[i] / cs$gain[i])
}

# ---------------------------------------------------------------------------------
# 9. Power (stats::power.t.test, strict = TRUE counts both tails like statsmodels;
#    tol = 1e-12 because the default uniroot tolerance, 1.2e-4, limits the digits).
out("pw.paired.n", power.t.test(delta = 0.5, sd = 1, power = 0.8, type = "paired", strict = TRUE, tol = 1e-12)$n)
out("pw.two.n", power.t.test(delta = 0.5, sd = 1, power = 0.8, type = "two.sample", strict = TRUE, tol = 1e-12)$n)
out("pw.paired.d30", power.t.test(n = 30, sd = 1, power = 0.8, type = "paired", strict = TRUE, tol = 1e-12)$delta)
out("pw.two.d30", power.t.test(n = 30, sd = 1, power = 0.8, type = "two.sample", strict = TRUE, tol = 1e-12)$delta)
out("pw.paired.d60_deff2", power.t.test(n = 30, sd = 1, power = 0.8, type = "paired", strict = TRUE, tol = 1e-12)$delta)
out("pw.two.d25_a01_p9", power.t.test(n = 25, sd = 1, sig.level = 0.01, power = 0.9,
                                        type = "two.sample", strict = TRUE, tol = 1e-12)$delta)
out("pw.two.n_d03_a01_p9", power.t.test(delta = 0.3, sd = 1, sig.level = 0.01, power = 0.9,
                                          type = "two.sample", strict = TRUE, tol = 1e-12)$n)
