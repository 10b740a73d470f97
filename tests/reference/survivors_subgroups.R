# Reference values for tests/test_survivors_subgroups.py (mutation-testing survivors of
# evalkit.metrics.subgroups, see mutation/README.md).
#
# Run from this folder:  Rscript survivors_subgroups.R > survivors_subgroups_output.txt
# One small table typed in below: 18 people in 3 classes ("kelas", the cluster column;
# there is no cohort_id column), 10 men (L) and 8 women (P). Every value is printed as
# "key = value" with 15 significant digits, at a confidence level of 0.90.
#
# Cluster-robust variances are sandwich::vcovCL(fit, cluster = ~kelas) with its defaults
# (CR1), tests on G - 1 df as in level3u.R. R 4.2.2; sandwich 3.0-2; lmtest.

suppressMessages({
  library(sandwich)
  library(lmtest)
})

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

d <- data.frame(
  kelas = rep(c("k1", "k2", "k3"), each = 6),
  sex = c("L", "L", "L", "P", "P", "L",  "P", "L", "P", "L", "P", "L",
          "L", "P", "L", "L", "P", "P"),
  skor = c(4, 7, 5, 9, 6, 3,  8, 2, 11, 6, 10, 5,  7, 12, 4, 6, 9, 13)
)
level <- 0.90

# 1. each subgroup's mean: lm(skor ~ 1) on its rows, CR1 by kelas, t on G - 1 df
for (s in c("L", "P")) {
  ds <- d[d$sex == s, ]
  fit <- lm(skor ~ 1, ds)
  g <- length(unique(ds$kelas))
  ct <- coeftest(fit, vcov. = vcovCL(fit, cluster = ~kelas), df = g - 1)
  out(paste0("mean.", s), ct[1, 1])
  out(paste0("mean.", s, ".ci90"), ct[1, 1] + c(-1, 1) * qt(0.5 + level / 2, g - 1) * ct[1, 2])
}

# 2. the difference within classes: lm(skor ~ kelas + sex), reference "L" (the larger)
fw <- lm(skor ~ kelas + sex, d)
out("within.diff.P", coef(fw)[["sexP"]])
out("within.diff.P.ci90", confint(fw, "sexP", level = level))
out("within.diff.P.p", summary(fw)$coefficients["sexP", 4])
a <- anova(lm(skor ~ kelas, d), fw)
out("within.F", a$F[2]); out("within.p", a$`Pr(>F)`[2]); out("within.df2", a$Res.Df[2])

# 3. subgroup vs rest: lm(skor ~ inP), CR1 by kelas, t on G - 1 df (two subgroups: the
#    rest of P is L)
d$inP <- as.numeric(d$sex == "P")
fr <- lm(skor ~ inP, d)
G <- length(unique(d$kelas))
cr <- coeftest(fr, vcov. = vcovCL(fr, cluster = ~kelas), df = G - 1)
out("rest.diff.P", cr[2, 1])
out("rest.diff.P.ci90", cr[2, 1] + c(-1, 1) * qt(0.5 + level / 2, G - 1) * cr[2, 2])
out("rest.p.P", cr[2, 4])
