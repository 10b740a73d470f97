# Reference values for the paired_change / clustered_change tests of
# tests/test_survivors_learning.py (mutation-testing survivors of evalkit.metrics.learning,
# see mutation/README.md). Base R only.
#
# Run from this folder:  Rscript survivors_learning.R > survivors_learning_output.txt
# Prints every value as "key = value" with 15 significant digits.
#
# Paired t: t.test(post, pre, paired = TRUE, conf.level = level). Wilcoxon:
# wilcox.test(post, pre, paired = TRUE, exact = FALSE, correct = FALSE); its z is
# recovered from R's p as sign(V - n(n+1)/4) * qnorm(p / 2, lower.tail = FALSE).
# Hedges' g interval (Algina & Keselman 2003): the noncentral-t limits of the paired t by
# uniroot on pt(t, n - 1, ncp), times J(n - 1) sd(d) / (sqrt(n) s_av), with
# J(m) = gamma(m/2) / (sqrt(m/2) gamma((m-1)/2)) and s_av = sqrt((var(pre) + var(post)) / 2).

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}
hedges_j <- function(m) exp(lgamma(m / 2) - log(sqrt(m / 2)) - lgamma((m - 1) / 2))
ncp_ci <- function(t, df, level) {
  lo <- uniroot(function(l) pt(t, df, ncp = l) - (1 + level) / 2,
                c(t - 10, t + 10), tol = 1e-14)$root
  hi <- uniroot(function(l) pt(t, df, ncp = l) - (1 - level) / 2,
                c(t - 10, t + 10), tol = 1e-14)$root
  c(lo, hi)
}
paired <- function(key, pre, post, level = 0.95, max_score = NA) {
  tt <- t.test(post, pre, paired = TRUE, conf.level = level)
  wt <- suppressWarnings(wilcox.test(post, pre, paired = TRUE, exact = FALSE, correct = FALSE))
  d <- post - pre; n <- length(d); nz <- sum(d != 0)
  s_av <- sqrt((var(pre) + var(post)) / 2)
  j <- hedges_j(n - 1)
  lam <- ncp_ci(unname(tt$statistic), n - 1, level)
  v <- unname(wt$statistic)
  out(paste0(key, ".mean_pre"), mean(pre))
  out(paste0(key, ".mean_post"), mean(post))
  out(paste0(key, ".mean_diff"), mean(d))
  out(paste0(key, ".sd_diff"), sd(d))
  out(paste0(key, ".t"), tt$statistic)
  out(paste0(key, ".p"), tt$p.value)
  out(paste0(key, ".ci_low"), tt$conf.int[1])
  out(paste0(key, ".ci_high"), tt$conf.int[2])
  out(paste0(key, ".d_z"), mean(d) / sd(d))
  out(paste0(key, ".d_av"), mean(d) / s_av)
  out(paste0(key, ".hedges_g"), j * mean(d) / s_av)
  out(paste0(key, ".hedges_g_ci_low"), j * lam[1] * sd(d) / (sqrt(n) * s_av))
  out(paste0(key, ".hedges_g_ci_high"), j * lam[2] * sd(d) / (sqrt(n) * s_av))
  out(paste0(key, ".wilcoxon_n"), nz)
  out(paste0(key, ".wilcoxon_w"), v)
  out(paste0(key, ".wilcoxon_z"), sign(v - nz * (nz + 1) / 4) * qnorm(wt$p.value / 2, lower.tail = FALSE))
  out(paste0(key, ".wilcoxon_p"), wt$p.value)
  if (!is.na(max_score)) {
    out(paste0(key, ".hake_g"), (mean(post) - mean(pre)) / (max_score - mean(pre)))
    room <- pre < max_score
    out(paste0(key, ".hake_g_mean"), mean((d / (max_score - pre))[room]))
  }
}

# 1. R's sleep data (drug 1 as pre, drug 2 as post) at 90 % and 80 %
pre <- sleep$extra[1:10]; post <- sleep$extra[11:20]
paired("sleep90", pre, post, level = 0.90)
paired("sleep80", pre, post, level = 0.80)

# 2. Groups typed in (the test's table): a and b complete, with ties and zeros;
#    a's maximum 20, b's 10 (one person of b starts at the maximum)
paired("a", c(10, 12, 9, 15, 11, 8), c(14, 12, 13, 18, 10, 16), max_score = 20)
paired("b", c(6, 10, 7, 5), c(9, 10, 7.5, 8), max_score = 10)
# d: identical differences (2, 2, 2): t undefined; d_av, g and the Wilcoxon test are not
pre <- c(2, 5, 9); post <- c(4, 7, 11)
out("d.d_av", mean(post - pre) / sqrt((var(pre) + var(post)) / 2))
out("d.hedges_g", hedges_j(2) * mean(post - pre) / sqrt((var(pre) + var(post)) / 2))
wt <- suppressWarnings(wilcox.test(post, pre, paired = TRUE, exact = FALSE, correct = FALSE))
out("d.wilcoxon_w", wt$statistic)
out("d.wilcoxon_p", wt$p.value)
out("d.hake_g", 2 / (20 - mean(pre)))

# 3. clustered_change: 10 complete people in 3 cohorts (the test's table; a person without
#    post and one without a cohort are left out), at 90 %:
#    coeftest(lm(gain ~ 1), vcovCL(fit, cluster = ~cohort), df = G - 1); coefci(..., level)
#    (vcovCL's HC1 factor G/(G-1) (N-1)/(N-K) is G/(G-1) for the intercept alone);
#    g = J(N - 1) mean(gain) / s_av, its interval the coefci bounds times J(N - 1) / s_av
suppressMessages({ library(sandwich); library(lmtest) })
cl <- data.frame(
  cohort = c("K1", "K1", "K1", "K1", "K2", "K2", "K2", "K3", "K3", "K3"),
  pre = c(50, 60, 55, 62, 40, 45, 52, 70, 65, 68),
  post = c(58, 66, 57, 70, 48, 50, 60, 71, 70, 80)
)
cl$gain <- cl$post - cl$pre
fit <- lm(gain ~ 1, data = cl)
V <- vcovCL(fit, cluster = ~cohort)
G <- length(unique(cl$cohort)); N <- nrow(cl)
ct <- coeftest(fit, vcov. = V, df = G - 1)
ci <- coefci(fit, vcov. = V, df = G - 1, level = 0.90)
s_av <- sqrt((var(cl$pre) + var(cl$post)) / 2)
Jn <- hedges_j(N - 1)
out("cl.mean_pre", mean(cl$pre))
out("cl.mean_post", mean(cl$post))
out("cl.mean_diff", ct[1, 1])
out("cl.sd_diff", sd(cl$gain))
out("cl.se", ct[1, 2])
out("cl.se_naive", sd(cl$gain) / sqrt(N))
out("cl.design_effect", (ct[1, 2] / (sd(cl$gain) / sqrt(N)))^2)
out("cl.t", ct[1, 3])
out("cl.p", ct[1, 4])
out("cl.ci90", ci[1, ])
out("cl.d_z", mean(cl$gain) / sd(cl$gain))
out("cl.hedges_g", Jn * mean(cl$gain) / s_av)
out("cl.hedges_g_ci90", Jn / s_av * ci[1, ])
out("cl.hake_g", (mean(cl$post) - mean(cl$pre)) / (100 - mean(cl$pre)))
