# Reference values for tests/test_survivors_roi_uncertainty.py (mutation-testing
# survivors of evalkit.metrics.roi_uncertainty, see mutation/README.md).
#
# Run from this folder:  Rscript survivors_roi_uncertainty.R > survivors_roi_uncertainty_output.txt
# The replicates are typed in below; every value is printed as "key = value" with 15
# significant digits. R 4.2.2, boot 1.3 (Debian packages).

suppressMessages(library(boot))

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

# --- percentile bounds of boot.ci(type = "perc") at the order-statistic edges -------------
# boot.ci's percentile interval is boot:::norm.inter(t, c((1 - conf) / 2, (1 + conf) / 2));
# with R = 9 replicates, (R + 1) alpha is:
#   conf 0.95: 0.25 and 9.75 (k = 0 and k = R: the extreme order statistics)
#   conf 0.70: 1.5 and 8.5   (k = 1 and k = R - 1: interpolated on the normal scale)
#   conf 0.80: 1 and 9       (whole numbers: the order statistics themselves)
t9 <- c(0.31, 0.52, 0.18, 0.95, 0.44, 0.67, 0.73, 0.26, 0.88)
for (conf in c(0.95, 0.70, 0.80)) {
  a <- c((1 - conf) / 2, (1 + conf) / 2)
  out(sprintf("perc9.%.2f", conf), suppressWarnings(boot:::norm.inter(t9, a))[, 2])
}

# --- BCa from influence values (boot.ci(type = "bca", L = L)) -------------------------------
# 39 replicates of a skewed statistic and the influence values of 5 observations;
# boot:::bca.ci is what boot.ci(type = "bca", L = L) calls for each conf
set.seed(11)
t39 <- round(rexp(39) + 1, 4)
write.csv(data.frame(t = t39), "survivors_roi_uncertainty_t39.csv", row.names = FALSE)
L5 <- c(-0.8, -0.5, -0.2, 0.3, 1.2)
out("bca39.acceleration", sum(L5^3) / (6 * sum(L5^2)^1.5))
for (conf in c(0.90, 0.95)) {
  ci <- boot:::bca.ci(NULL, conf = conf, t0 = 1.9, t = t39, L = L5)
  out(sprintf("bca39.%.2f", conf), ci[4:5])
}
# the estimate equal to a replicate: z0 = qnorm(mean(t < t0)) counts only those below
ci <- boot:::bca.ci(NULL, conf = 0.95, t0 = t39[1], t = t39, L = L5)
out("bca39.tie.t0", t39[1])
out("bca39.tie.0.95", ci[4:5])
