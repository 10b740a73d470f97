# Reference values for tests/test_survivors_reaction.py (evalkit/metrics/reaction.py):
# item statistics per group, Feldt and Fisher z intervals, in base R only (psych is not
# needed: every statistic is written out by its formula beside psych's name for it).
#
# Run from this folder:  Rscript survivors_reaction.R > survivors_reaction_output.txt
# Prints every value as "key = value" with 15 significant digits; the tests quote them.

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

# Four items, groups A (6 complete rows and one with a missing answer) and B (5 rows).
d <- data.frame(
  g = c(rep("A", 7), rep("B", 5)),
  a = c(4, 5, 3, 4, 2, 5, NA, 2, 3, 4, 4, 5),
  b = c(4, 4, 3, 5, 2, 4, 1, 3, 3, 5, 4, 4),
  c = c(5, 5, 2, 4, 3, 4, 1, 1, 2, 4, 5, 5),
  d = c(3, 4, 2, 5, 1, 4, 1, 2, 4, 3, 3, 5)
)
d <- na.omit(d)
items <- c("a", "b", "c", "d")

# Cronbach's alpha by formula (psych::alpha raw_alpha): k/(k-1) (1 - sum s_j^2 / s_X^2)
alpha_of <- function(x) {
  k <- ncol(x)
  k / (k - 1) * (1 - sum(apply(x, 2, var)) / var(rowSums(x)))
}

for (grp in c("A", "B")) {
  x <- d[d$g == grp, items]
  out(paste0(grp, ".n"), nrow(x))
  out(paste0(grp, ".alpha"), alpha_of(x))
  for (j in items) {
    rest <- rowSums(x[, setdiff(items, j)])
    ct <- cor.test(x[[j]], rest, conf.level = 0.90)              # r.drop and its interval
    out(paste0(grp, ".", j, ".mean"), mean(x[[j]]))
    out(paste0(grp, ".", j, ".sd"), sd(x[[j]]))
    out(paste0(grp, ".", j, ".r_drop"), cor(x[[j]], rest))
    out(paste0(grp, ".", j, ".r_total"), cor(x[[j]], rowSums(x)))  # psych raw.r
    out(paste0(grp, ".", j, ".alpha_if_dropped"), alpha_of(x[, setdiff(items, j)]))
    out(paste0(grp, ".", j, ".ci90_low"), ct$conf.int[1])
    out(paste0(grp, ".", j, ".ci90_high"), ct$conf.int[2])
  }
}

# Feldt (1965) interval, as psych::alpha.ci: 1 - (1 - alpha) F, F(n - 1, (n - 1)(k - 1))
feldt <- function(alpha, n, k, level) {
  g <- 1 - level
  c(1 - (1 - alpha) * qf(1 - g / 2, n - 1, (n - 1) * (k - 1)),
    1 - (1 - alpha) * qf(g / 2, n - 1, (n - 1) * (k - 1)))
}
out("feldt.a80_n10_k4_90", feldt(0.8, 10, 4, 0.90))
out("feldt.a60_n25_k3_95", feldt(0.6, 25, 3, 0.95))
out("feldt.a90_n2_k5_80", feldt(0.9, 2, 5, 0.80))

# Fisher z interval, as cor.test: tanh(atanh(r) -/+ qnorm(1 - gamma/2) / sqrt(n - 3))
fz <- function(r, n, level) {
  z <- qnorm(0.5 + level / 2)
  tanh(atanh(r) + c(-1, 1) * z / sqrt(n - 3))
}
out("fisher.r50_n4_90", fz(0.5, 4, 0.90))
out("fisher.rm30_n12_95", fz(-0.3, 12, 0.95))
out("fisher.r70_n40_80", fz(0.7, 40, 0.80))

# The moments behind alpha (grouped_alpha), groups A and B above: variance of the total,
# cov(item, total), standardised alpha k r / (1 + (k - 1) r) with r the mean of the
# off-diagonal correlations (psych std.alpha)
for (grp in c("A", "B")) {
  x <- d[d$g == grp, items]
  r <- cor(x)
  rbar <- mean(r[upper.tri(r)])
  out(paste0(grp, ".var_total"), var(rowSums(x)))
  out(paste0(grp, ".cov_total"), sapply(items, function(j) cov(x[[j]], rowSums(x))))
  out(paste0(grp, ".var"), sapply(items, function(j) var(x[[j]])))
  out(paste0(grp, ".std_alpha"), 4 * rbar / (1 + 3 * rbar))
}

# Fisher z with an effective (non-integer) number of pairs, 3.5 and 4.5
out("fisher.r50_n3.5_95", fz(0.5, 3.5, 0.95))
out("fisher.r50_n4.5_95", fz(0.5, 4.5, 0.95))
