# Reference values for evalkit's reliability and item statistics with uncertainty
# (evalkit/metrics/reliability.py, reaction.py item_analysis, knowledge_test.py).
#
# Run from this folder:  Rscript level2_omega.R > level2_omega_output.txt
# It writes the level2_*.csv files it uses (public data sets from R's datasets and psych
# packages, and bootstrap resample indices drawn here with R's own generator) and prints
# every reference value as "key = value" with 15 significant digits. The tests quote these
# numbers as literals, each with the R call that produced it.
#
# R 4.2.2; psych 2.2.9; lavaan 0.6; semTools 0.5-6 (Debian packages).

suppressMessages({
  library(psych)
  library(lavaan)
  library(semTools)
})

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

# McDonald's omega (total) of the unit-weighted sum from a one-factor ML model:
# omega = (sum of loadings)^2 / variance of the observed total (semTools::compRelSEM with
# its default obs.var = TRUE). lavaan's ML uses the N-denominator sample covariance; omega is
# a ratio and does not depend on that choice.
one_factor <- function(d) {
  paste("f =~", paste(names(d), collapse = " + "))
}
omega_of <- function(d) {
  fit <- lavaan::cfa(one_factor(d), data = d, std.lv = TRUE)
  as.numeric(semTools::compRelSEM(fit))
}

# ---------------------------------------------------------------------------------
# 1. Omega: attitude (datasets), 30 x 7, no missing values (level12_attitude.csv).
fit <- lavaan::cfa(one_factor(attitude), data = attitude, std.lv = TRUE)
out("attitude.omega", semTools::compRelSEM(fit))         # semTools::compRelSEM(cfa(f =~ all 7, std.lv = TRUE))
lam <- lavaan::inspect(fit, "est")$lambda[, 1]
out("attitude.loadings", lam)                            # inspect(fit, "est")$lambda (covariance metric, N-denominator)
out("attitude.std_loadings", lavaan::inspect(fit, "std")$lambda[, 1])  # inspect(fit, "std")$lambda
S <- lavaan::inspect(fit, "sampstat")$cov
out("attitude.omega_by_hand", sum(lam)^2 / sum(S))       # (sum lambda)^2 / sum(S)
om <- suppressWarnings(psych::omega(attitude, nfactors = 1, fm = "ml", plot = FALSE))
# psych's omega.tot is 1 - sum(uniquenesses) / sum(R) of the standardised items: another
# definition, printed only for comparison.
out("attitude.psych_omega_tot_ml", om$omega.tot)         # psych::omega(attitude, nfactors = 1, fm = "ml")$omega.tot

# 2. Omega: bfi (psych) neuroticism items N1-N5, complete cases (level12_bfi.csv).
nd <- na.omit(psych::bfi[, c("N1", "N2", "N3", "N4", "N5")])
out("bfi_n.n", nrow(nd))
out("bfi_n.omega", omega_of(nd))                         # semTools::compRelSEM(cfa(f =~ N1 + ... + N5, std.lv = TRUE))
# and agreeableness A2-A5 (positively keyed), complete cases
ad <- na.omit(psych::bfi[, c("A2", "A3", "A4", "A5")])
out("bfi_a.n", nrow(ad))
out("bfi_a.omega", omega_of(ad))                         # semTools::compRelSEM(cfa(f =~ A2 + ... + A5, std.lv = TRUE))

# 3. Percentile bootstrap of omega over respondents, on resamples drawn here (200 x 30
# row numbers, 1-based, one resample per row of level2_attitude_boot.csv). The quantiles are
# R's default type 7 (numpy's default "linear").
set.seed(20261201)
B <- 200
idx <- t(replicate(B, sample.int(nrow(attitude), replace = TRUE)))
write.table(idx, "level2_attitude_boot.csv", sep = ",", row.names = FALSE, col.names = FALSE)
boot_omega <- apply(idx, 1, function(i) omega_of(attitude[i, ]))
out("attitude.boot_mean", mean(boot_omega))              # mean of compRelSEM over the 200 resamples
out("attitude.boot_ci", quantile(boot_omega, c(0.025, 0.975), type = 7))  # quantile(boot, c(.025, .975))
out("attitude.boot_omega_1_5", boot_omega[1:5])          # the first 5 resamples

# ---------------------------------------------------------------------------------
# 4. Item statistics with CIs: 30 examinees of psych::lsat6 (rows drawn here).
set.seed(7)
X <- as.data.frame(psych::lsat6)[sample.int(1000, 30), ]
rownames(X) <- NULL
write.csv(X, "level2_lsat6_30.csv", row.names = FALSE)
total <- rowSums(X)
x <- colSums(X)
for (j in seq_along(X)) {
  pt <- prop.test(x[j], nrow(X), correct = FALSE)        # Wilson score interval
  out(paste0("lsat30.difficulty_ci.", names(X)[j]), pt$conf.int)
  bt <- binom.test(x[j], nrow(X))                        # Clopper-Pearson exact interval
  out(paste0("lsat30.difficulty_exact.", names(X)[j]), bt$conf.int)
  ct <- cor.test(X[[j]], total)                          # point-biserial r, Fisher z interval
  out(paste0("lsat30.point_biserial_ci.", names(X)[j]), ct$conf.int)
  cr <- cor.test(X[[j]], total - X[[j]])                 # corrected item-total r, Fisher z
  out(paste0("lsat30.r_drop_ci.", names(X)[j]), cr$conf.int)
}
a <- psych::alpha(X, warnings = FALSE)
out("lsat30.kr20", a$total$raw_alpha)                    # psych::alpha(X)$total$raw_alpha
ci <- psych::alpha.ci(a$total$raw_alpha, n.obs = 30, n.var = 5, p.val = 0.05)
out("lsat30.kr20_ci", c(ci$lower.ci, ci$upper.ci))       # psych::alpha.ci(kr20, 30, 5, .05) (Feldt)

# Upper-lower discrimination D (27%, ties at the cut included) and its percentile
# bootstrap over examinees on resamples drawn here (level2_lsat30_boot.csv, 1-based).
disc <- function(d) {
  tt <- rowSums(d)
  m <- max(1, floor(0.27 * nrow(d) + 0.5))
  s <- sort(tt)
  low_cut <- s[m]
  high_cut <- s[nrow(d) - m + 1]
  colMeans(d[tt >= high_cut, , drop = FALSE]) - colMeans(d[tt <= low_cut, , drop = FALSE])
}
out("lsat30.discrimination", disc(X))
set.seed(11)
idx <- t(replicate(B, sample.int(nrow(X), replace = TRUE)))
write.table(idx, "level2_lsat30_boot.csv", sep = ",", row.names = FALSE, col.names = FALSE)
boot_d <- t(apply(idx, 1, function(i) disc(X[i, ])))
for (j in seq_along(X)) {
  out(paste0("lsat30.discrimination_ci.", names(X)[j]),
      quantile(boot_d[, j], c(0.025, 0.975), type = 7))  # quantile(boot D, c(.025, .975))
}

# 5. Corrected item-total r of attitude with Fisher z interval (reaction item_analysis).
for (j in seq_along(attitude)) {
  cr <- cor.test(attitude[[j]], rowSums(attitude[, -j]))
  out(paste0("attitude.r_drop_ci.", names(attitude)[j]), cr$conf.int)  # cor.test(item, rest)$conf.int
}
