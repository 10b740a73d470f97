# Reference values for evalkit's small-sample inference (evalkit/metrics/clustered.py,
# impact.py, inference.py, reliability.py): the Bell-McCaffrey CR2 cluster-robust variance
# with Satterthwaite degrees of freedom, the confidence set from inverting the exact
# randomisation test of the linear DiD, and McDonald's omega of every bootstrap resample.
#
# Run from this folder:  Rscript smallsample.R > smallsample_output.txt
# It reads the fixed-seed synthetic data written by level3u.R (level3u_people.csv) and
# level4.R (level4_panel.csv), the public attitude data (level12_attitude.csv) and the
# resamples of level2_omega.R (level2_attitude_boot.csv), and prints every reference value
# as "key = value" with 15 significant digits.
#
# R 4.2.2; clubSandwich 0.5.8; lavaan 0.6; semTools 0.5-6 (Debian packages).

suppressMessages({
  library(clubSandwich)
  library(lavaan)
  library(semTools)
})

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

# CR2 (Bell & McCaffrey 2002; Pustejovsky & Tipton 2018) of an lm, working model the
# identity: V = vcovCR(fit, cluster, type = "CR2"); t tests with Satterthwaite df:
# coef_test(fit, vcov = V, test = "Satterthwaite"); 95% CI: conf_int(fit, V, test = "Satterthwaite").
cr2 <- function(prefix, fit, cluster, coefs) {
  V <- vcovCR(fit, cluster = cluster, type = "CR2")
  ct <- coef_test(fit, vcov = V, test = "Satterthwaite")
  ci <- conf_int(fit, vcov = V, test = "Satterthwaite", level = 0.95)
  for (j in coefs) {
    key <- paste0(prefix, ".", j)
    out(paste0(key, ".beta"), ct$beta[j])
    out(paste0(key, ".se"), ct$SE[j])
    out(paste0(key, ".df"), ct$df_Satt[j])
    out(paste0(key, ".p"), ct$p_Satt[j])
    out(paste0(key, ".ci"), c(ci$CI_L[j], ci$CI_U[j]))
  }
}

# ---------------------------------------------------------------------------------
# 1. Person-level mean of the gain, people in 12 cohorts (level3u_people.csv):
#    fit <- lm(gain ~ 1, people); cr2(fit, cluster = people$cohort_id)
people <- read.csv("level3u_people.csv")
people$gain <- people$post - people$pre
fit <- lm(gain ~ 1, people)
cr2("mean", fit, people$cohort_id, 1)
# by sex: one lm(gain ~ 1) per sex, clusters the cohorts present in that sex
for (s in sort(unique(people$sex))) {
  d <- people[people$sex == s, ]
  cr2(paste0("mean_", s), lm(gain ~ 1, d), d$cohort_id, 1)
}

# 2. Comparison of golongan (reference "II"): lm(gain ~ golongan), CR2 by cohort
people$golongan <- relevel(factor(people$golongan), ref = "II")
fit <- lm(gain ~ golongan, people)
cr2("golongan", fit, people$cohort_id, seq_along(coef(fit)))
# Wald test of all contrasts with the HTZ small-sample F (Pustejovsky & Tipton 2018)
w <- Wald_test(fit, constraints = constrain_zero(2:length(coef(fit))),
               vcov = vcovCR(fit, cluster = people$cohort_id, type = "CR2"), test = "HTZ")
out("golongan.wald_htz.F", w$Fstat)
out("golongan.wald_htz.df_denom", w$df_denom)
out("golongan.wald_htz.p", w$p_val)

# 3. Trend over years: lm(gain ~ year), CR2 by cohort
fit <- lm(gain ~ year, people)
cr2("trend", fit, people$cohort_id, 2)

# 4. Linear DiD of level4_panel.csv (13 units, 5 trained, 6 periods): lm(score ~ treated * post),
#    CR2 by unit
panel <- read.csv("level4_panel.csv")
fit <- lm(score ~ treated * post, panel)
cr2("did", fit, panel$unit, 4)

# ---------------------------------------------------------------------------------
# 5. Confidence set from inverting the exact randomisation test of the linear DiD
#    (brute force). For a constant effect tau0, the outcome without the effect is
#    y0 = score - tau0 * treated * post; the DiD coefficient of lm(y0 ~ a * post) is
#    refitted (lm.fit) for every assignment a of 5 trained units among 13 (combn(13, 5),
#    1,287); p(tau0) = mean(|b_a| >= |b_obs|) with a relative tie tolerance of 1e-9, as
#    randomization_inference. tau0 is in the set when p(tau0) > 0.05. A grid of tau0
#    (step 0.01) finds the set; bisection (60 halvings) then locates each end.
units <- sort(unique(panel$unit))
ucode <- match(panel$unit, units)
obs <- tapply(panel$treated, ucode, function(v) v[1])
A <- combn(13, 5)
Dobs <- as.numeric(panel$treated & panel$post)
post <- as.numeric(panel$post)
did_of <- function(y, a_units) {
  tr <- as.numeric(ucode %in% a_units)
  X <- cbind(1, tr, post, tr * post)
  lm.fit(X, y)$coefficients[4]
}
p_of <- function(tau0) {
  y0 <- panel$score - tau0 * Dobs
  b_obs <- did_of(y0, which(obs))
  b <- apply(A, 2, function(a) did_of(y0, a))
  mean(abs(b) >= abs(b_obs) * (1 - 1e-9))
}
b_hat <- coef(lm(score ~ treated * post, panel))[4]
out("ri.estimate", b_hat)
out("ri.p_at_0", p_of(0))
grid <- seq(floor(b_hat) - 8, ceiling(b_hat) + 8, by = 0.01)
pg <- sapply(grid, p_of)
acc <- which(pg > 0.05)
out("ri.grid_accepted_is_one_run", as.numeric(all(diff(acc) == 1)))
edge <- function(inside, outside) {
  for (i in 1:60) {
    mid <- (inside + outside) / 2
    if (p_of(mid) > 0.05) inside <- mid else outside <- mid
  }
  (inside + outside) / 2
}
lo <- edge(grid[min(acc)], grid[min(acc) - 1])
hi <- edge(grid[max(acc)], grid[max(acc) + 1])
out("ri.ci", c(lo, hi))
out("ri.p_inside", c(p_of(lo + 1e-6), p_of(hi - 1e-6)))
out("ri.p_outside", c(p_of(lo - 1e-6), p_of(hi + 1e-6)))
# at 90%: tau0 in the set when p(tau0) > 0.10
acc10 <- which(pg > 0.10)
edge10 <- function(inside, outside) {
  for (i in 1:60) {
    mid <- (inside + outside) / 2
    if (p_of(mid) > 0.10) inside <- mid else outside <- mid
  }
  (inside + outside) / 2
}
out("ri.ci90", c(edge10(grid[min(acc10)], grid[min(acc10) - 1]),
                 edge10(grid[max(acc10)], grid[max(acc10) + 1])))

# ---------------------------------------------------------------------------------
# 6. Omega (semTools::compRelSEM of a one-factor lavaan::cfa, std.lv = TRUE) of every one
#    of the 200 attitude resamples of level2_omega.R, and the smallest residual variance
#    of each fit (negative: a Heywood case, which lavaan leaves unbounded) and lavaan's
#    fmin (half the ML discrepancy F_ML of the N-denominator covariance), written to
#    smallsample_attitude_boot_omega.csv (one row per resample). lavaan stops at a local
#    optimum of some resamples: fmin tells which fit is the better one.
attitude <- read.csv("level12_attitude.csv")
idx <- as.matrix(read.csv("level2_attitude_boot.csv", header = FALSE))
model <- paste("f =~", paste(names(attitude), collapse = " + "))
fits <- lapply(seq_len(nrow(idx)), function(b) lavaan::cfa(model, attitude[idx[b, ], ], std.lv = TRUE))
boot <- sapply(fits, function(f) as.numeric(semTools::compRelSEM(f)))
theta_min <- sapply(fits, function(f) min(diag(lavaan::inspect(f, "est")$theta)))
fmin <- sapply(fits, function(f) lavaan::fitMeasures(f, "fmin"))  # F_ML / 2
write.csv(data.frame(omega = sprintf("%.15g", boot), theta_min = sprintf("%.15g", theta_min),
                     fmin = sprintf("%.15g", fmin)),
          "smallsample_attitude_boot_omega.csv", row.names = FALSE, quote = FALSE)
out("attitude.boot_omega_sum", sum(boot))
out("attitude.boot_omega_sd", sd(boot))
out("attitude.boot_omega_6_10", boot[6:10])
out("attitude.boot_heywood", sum(theta_min < 0))
out("attitude.boot_ci", quantile(boot, c(0.025, 0.975), type = 7))
