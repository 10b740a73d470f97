# Reference values for tests/test_survivors_reliability.py (mutation-testing survivors of
# evalkit.metrics.reliability, see mutation/README.md).
#
# Run from this folder:  Rscript survivors_reliability.R
# Base R only. With three items the one-factor model is saturated: when no uniqueness is
# at its bound, the ML solution reproduces S exactly and its loadings are
# lambda_i = sqrt(s_ij s_ik / s_jk); omega = (sum lambda)^2 / sum(S). factanal (stats,
# ML on the correlation matrix) reaches the same solution, printed beside it.
#
# R 4.2.2 (Debian package).

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

a <- read.csv("level12_attitude.csv")[, c("rating", "complaints", "learning")]
S <- cov(a)
lam <- c(sqrt(S[1, 2] * S[1, 3] / S[2, 3]), sqrt(S[1, 2] * S[2, 3] / S[1, 3]),
         sqrt(S[1, 3] * S[2, 3] / S[1, 2]))
out("attitude3.communality", lam^2 / diag(S))          # all below 1: no Heywood case
out("attitude3.omega", sum(lam)^2 / sum(S))             # closed form
f <- factanal(covmat = S, factors = 1, n.obs = 30)
out("attitude3.omega_factanal", sum(f$loadings[, 1] * sqrt(diag(S)))^2 / sum(S))
