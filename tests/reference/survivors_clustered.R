# Reference values for tests/test_survivors_clustered.py (mutation-testing survivors of
# evalkit.metrics.clustered, see mutation/README.md).
#
# Run from this folder:  Rscript survivors_clustered.R > survivors_clustered_output.txt
# It writes survivors_clustered_people.csv (12 typed-in people in 3 cohorts K1-K3, a
# group a/b/c listed out of sort order, c in 2 cohorts only, a cohort-level year) and
# prints every value as "key = value" with 15 significant digits.
#
# CR1: sandwich::vcovCL(fit, cluster = ~cohort_id) (HC1: G/(G-1) (N-1)/(N-K)) with
# lmtest::coeftest(fit, vcov. = V, df = G - 1) and coefci(..., df = G - 1); the Wald F
# of all contrasts: car::linearHypothesis(fit, ..., vcov. = V, test = "F")$F[2], its p
# on (q, G - 1) df. Hedges' g of a contrast: J(N - K) * estimate / sigma(fit), its
# interval the coefci bounds times J(N - K) / sigma(fit), J(m) = gamma(m/2) /
# (sqrt(m/2) gamma((m-1)/2)).
#
# R 4.2.2; sandwich 3.0-2; lmtest; car (Debian packages).

suppressMessages({
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

people <- data.frame(
  cohort_id = rep(c("K1", "K2", "K3"), each = 4),
  grp = c("b", "a", "c", "a", "a", "b", "b", "b", "c", "a", "b", "c"),
  year = rep(c(2023, 2024, 2025), each = 4),
  y = c(5.1, 3.2, 7.4, 2.9, 4.4, 6.0, 5.8, 4.9, 8.3, 3.7, 6.6, 7.1)
)
write.csv(people, "survivors_clustered_people.csv", row.names = FALSE)
people <- read.csv("survivors_clustered_people.csv")

# 1. Means: lm(y ~ 1) on everybody and on each group, CR1 by cohort, t on G - 1 df
mean_ref <- function(key, d) {
  G <- length(unique(d$cohort_id))
  fit <- lm(y ~ 1, d)
  V <- vcovCL(fit, cluster = ~cohort_id)
  ct <- coeftest(fit, vcov. = V, df = G - 1)
  ci <- coefci(fit, vcov. = V, df = G - 1, level = 0.95)
  out(paste0(key, ".n"), nrow(d))
  out(paste0(key, ".n_clusters"), G)
  out(paste0(key, ".mean"), ct[1, 1])
  out(paste0(key, ".sd"), sd(d$y))
  out(paste0(key, ".se"), ct[1, 2])
  out(paste0(key, ".se_naive"), sd(d$y) / sqrt(nrow(d)))
  out(paste0(key, ".t"), ct[1, 3])
  out(paste0(key, ".df"), G - 1)
  out(paste0(key, ".p"), ct[1, 4])
  out(paste0(key, ".ci"), ci[1, ])
}
mean_ref("mean.all", people)
for (lev in sort(unique(people$grp))) mean_ref(paste0("mean.", lev), people[people$grp == lev, ])

# 2. Comparison: lm(y ~ grp), reference b (the largest group), CR1 by cohort; 2
#    contrasts on G - 1 = 2 df, so the Wald test has as many contrasts as df.
people$grp <- relevel(factor(people$grp), ref = "b")
fit <- lm(y ~ grp, people)
G <- length(unique(people$cohort_id))
V <- vcovCL(fit, cluster = ~cohort_id)
ct <- coeftest(fit, vcov. = V, df = G - 1)
ci <- coefci(fit, vcov. = V, df = G - 1, level = 0.95)
stopifnot(identical(rownames(ct)[2:3], c("grpa", "grpc")))
out("cmp.estimate", ct[2:3, 1])
out("cmp.se", ct[2:3, 2])
out("cmp.t", ct[2:3, 3])
out("cmp.p", ct[2:3, 4])
out("cmp.ci_low", ci[2:3, 1])
out("cmp.ci_high", ci[2:3, 2])
lh <- linearHypothesis(fit, c("grpa = 0", "grpc = 0"), vcov. = V, test = "F")
out("cmp.F", lh$F[2])
out("cmp.p_F", pf(lh$F[2], 2, G - 1, lower.tail = FALSE))
m <- df.residual(fit)
J <- exp(lgamma(m / 2) - 0.5 * log(m / 2) - lgamma((m - 1) / 2))
out("cmp.sigma", sigma(fit))
out("cmp.hedges_g", J * ct[2:3, 1] / sigma(fit))
out("cmp.hedges_g_ci_low", J * ci[2:3, 1] / sigma(fit))
out("cmp.hedges_g_ci_high", J * ci[2:3, 2] / sigma(fit))
