# Reference values for the few-cluster inference of the overview's between-cohort
# comparisons and trends (evalkit/metrics/clustered.py clustered_comparison,
# clustered_trend and clustered_means with vcov = "CR2"): the Bell-McCaffrey CR2
# cluster-robust variance with Satterthwaite degrees of freedom for each coefficient, and
# the HTZ small-sample Wald F test of several contrasts (Pustejovsky & Tipton 2018).
#
# Run from this folder:  Rscript fewclusters.R > fewclusters_output.txt
# It draws a synthetic study shaped like the demo's overview, with a fixed seed: 15
# cohorts of 8-30 people in 3 years, each cohort with one of 5 delivery methods (3
# cohorts each) and one of 2 facilitator types (8 practitioner, 7 academic), so that the
# groups compared are constant within a cohort and each delivery method has only 3
# clusters. It writes fewclusters_people.csv (one row per participant: cohort_id,
# delivery, facilitator_type, year, gain, score) and prints every reference value as
# "key = value" with 15 significant digits.
#
# CR2: V <- vcovCR(fit, cluster = people$cohort_id, type = "CR2") (working model the
# identity, as for an lm); coef_test(fit, vcov = V, test = "Satterthwaite");
# conf_int(fit, vcov = V, test = "Satterthwaite", level = 0.95);
# Wald_test(fit, constraints = constrain_zero(...), vcov = V, test = "HTZ").
# CR1 beside it: sandwich::vcovCL(fit, cluster = ~cohort_id) (HC1) with
# coeftest(df = G - 1) and car::linearHypothesis(test = "F") on G - 1 df.
#
# R 4.2.2; clubSandwich 0.5.8; sandwich 3.0-2; lmtest; car (Debian packages).

suppressMessages({
  library(clubSandwich)
  library(sandwich)
  library(lmtest)
  library(car)
})

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

# ---------------------------------------------------------------------------------
# The synthetic study: a cohort random effect (SD 3) on the gain and on the score.
set.seed(20261202)
n_cohorts <- 15
sizes <- sample(8:30, n_cohorts, replace = TRUE)
cohort_ids <- sprintf("K%02d", seq_len(n_cohorts))
years <- rep(c(2023, 2024, 2025), each = 5)
delivery <- rep(c("klasikal", "blended", "e-learning", "workshop", "project-based"), 3)
facilitator <- rep(c("practitioner", "academic"), length.out = n_cohorts)
shift <- c(klasikal = 0, blended = 1, `e-learning` = -3, workshop = 2, `project-based` = 5)
cohort_gain <- rnorm(n_cohorts, 0, 3)
cohort_score <- rnorm(n_cohorts, 0, 3)
people <- do.call(rbind, lapply(seq_len(n_cohorts), function(k) {
  n <- sizes[k]
  gain <- 10 + shift[[delivery[k]]] + 0.5 * (years[k] - 2024) + cohort_gain[k] +
    rnorm(n, 0, 7)
  score <- 75 + 4 * (facilitator[k] == "practitioner") + cohort_score[k] + rnorm(n, 0, 9)
  data.frame(cohort_id = cohort_ids[k], delivery = delivery[k],
             facilitator_type = facilitator[k], year = years[k],
             gain = round(gain, 1), score = round(score, 2), stringsAsFactors = FALSE)
}))
write.csv(people, "fewclusters_people.csv", row.names = FALSE)
people <- read.csv("fewclusters_people.csv")  # the values exactly as written
G <- length(unique(people$cohort_id))
out("n_people", nrow(people))
out("n_cohorts", G)

cr2 <- function(prefix, fit, coefs) {
  V <- vcovCR(fit, cluster = people$cohort_id, type = "CR2")
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
  invisible(V)
}

# 1. Gain by delivery method, reference "klasikal" (5 levels, 4 contrasts, each level in
#    3 cohorts): lm(gain ~ delivery), CR2 by cohort, and the HTZ Wald test of all 4
#    contrasts. The contrasts in the order of the sorted other levels: blended,
#    e-learning, project-based, workshop.
people$delivery <- relevel(factor(people$delivery), ref = "klasikal")
fit <- lm(gain ~ delivery, people)
stopifnot(identical(levels(people$delivery)[-1],
                    c("blended", "e-learning", "project-based", "workshop")))
V <- cr2("delivery", fit, 2:5)
w <- Wald_test(fit, constraints = constrain_zero(2:5), vcov = V, test = "HTZ")
out("delivery.htz.F", w$Fstat)
out("delivery.htz.delta", w$delta)
out("delivery.htz.df_num", w$df_num)
out("delivery.htz.df_denom", w$df_denom)
out("delivery.htz.p", w$p_val)
# CR1 with G - 1 df, the default of evalkit's clustered_comparison
V1 <- vcovCL(fit, cluster = ~cohort_id)
ct1 <- coeftest(fit, vcov. = V1, df = G - 1)
out("delivery.cr1.se", ct1[2:5, 2])
out("delivery.cr1.p", ct1[2:5, 4])
lh <- linearHypothesis(fit, names(coef(fit))[2:5], vcov. = V1, test = "F")
# linearHypothesis uses the residual df; the F statistic is the same, its p on G - 1:
out("delivery.cr1.F", lh$F[2])
out("delivery.cr1.p_F", pf(lh$F[2], 4, G - 1, lower.tail = FALSE))
# the CR2 per-delivery means: one lm(gain ~ 1) per delivery method (3 cohorts each)
for (lev in levels(people$delivery)) {
  d <- people[people$delivery == lev, ]
  f <- lm(gain ~ 1, d)
  Vd <- vcovCR(f, cluster = d$cohort_id, type = "CR2")
  ct <- coef_test(f, vcov = Vd, test = "Satterthwaite")
  ci <- conf_int(f, vcov = Vd, test = "Satterthwaite", level = 0.95)
  key <- paste0("delivery_mean.", lev)
  out(paste0(key, ".se"), ct$SE[1])
  out(paste0(key, ".df"), ct$df_Satt[1])
  out(paste0(key, ".ci"), c(ci$CI_L[1], ci$CI_U[1]))
}

# 2. Score by facilitator type, reference "academic" (one contrast): lm(score ~
#    facilitator_type), CR2 by cohort; HTZ of the one contrast (F = t^2 on the
#    Satterthwaite df).
people$facilitator_type <- relevel(factor(people$facilitator_type), ref = "academic")
fit <- lm(score ~ facilitator_type, people)
V <- cr2("facilitator", fit, 2)
w <- Wald_test(fit, constraints = constrain_zero(2), vcov = V, test = "HTZ")
out("facilitator.htz.F", w$Fstat)
out("facilitator.htz.df_denom", w$df_denom)
out("facilitator.htz.p", w$p_val)

# 3. Trend of the gain and of the score over years (3 years, 5 cohorts each):
#    lm(gain ~ I(year - 2024)), CR2 by cohort (the year centred, so that X'X is well
#    conditioned: the slope, its CR2 variance and df are those of lm(gain ~ year)), and the
#    naive p of summary(lm).
fit <- lm(gain ~ I(year - 2024), people)
cr2("trend_gain", fit, 2)
out("trend_gain.p_naive", summary(fit)$coefficients[2, 4])
fit <- lm(score ~ I(year - 2024), people)
cr2("trend_score", fit, 2)
out("trend_score.p_naive", summary(fit)$coefficients[2, 4])

# 4. The same comparison with 2 cohorts per delivery method (K01-K10): the HTZ
#    denominator df falls to about 0.1, and the test can claim nothing.
sub <- people[people$cohort_id %in% sprintf("K%02d", 1:10), ]
fit <- lm(gain ~ delivery, sub)
V <- vcovCR(fit, cluster = sub$cohort_id, type = "CR2")
w <- Wald_test(fit, constraints = constrain_zero(2:5), vcov = V, test = "HTZ")
out("delivery10.htz.F", w$Fstat)
out("delivery10.htz.df_denom", w$df_denom)
out("delivery10.htz.p", w$p_val)
