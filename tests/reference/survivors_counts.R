# Reference values for tests/test_survivors_counts.py (mutation-testing survivors of
# evalkit.metrics.counts, see mutation/README.md).
#
# Run from this folder:  Rscript survivors_counts.R > survivors_counts_output.txt
# It reads level4_panel.csv (written by level4.R), draws one mildly overdispersed count
# with a fixed seed, writes it to survivors_counts_panel.csv and prints every value as
# "key = value" with 15 significant digits. R 4.2.2, MASS 7.3 (Debian packages).

suppressMessages(library(MASS))

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

d <- read.csv("level4_panel.csv")
set.seed(1)
d$mild <- rnbinom(nrow(d), size = 40, mu = d$complaints + 1)
write.csv(d[, c("unit", "period", "treated", "post", "mild")], "survivors_counts_panel.csv",
          row.names = FALSE)
d$D <- as.numeric(d$treated & d$post)
tight <- glm.control(epsilon = 1e-14, maxit = 200)
mp <- glm(mild ~ D + factor(unit) + factor(period), family = poisson, data = d, control = tight)
nb <- glm.nb(mild ~ D + factor(unit) + factor(period), data = d, control = tight)
# the likelihood-ratio test of overdispersion, with its boundary p-value
lr <- 2 * (as.numeric(logLik(nb)) - as.numeric(logLik(mp)))
out("mild.lr", lr)
out("mild.lr_p", pchisq(lr, 1, lower.tail = FALSE) / 2)
out("mild.theta", nb$theta)
out("mild.pois_estimate", coef(mp)[["D"]])
out("mild.nb_estimate", coef(nb)[["D"]])
