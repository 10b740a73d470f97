# Reference values for tests/test_survivors_compare.py (mutation-testing survivors of
# evalkit.metrics.compare, see mutation/README.md).
#
# Run from this folder:  Rscript survivors_compare.R > survivors_compare_output.txt
# It prints every value as "key = value" with 15 significant digits. The data are typed
# in here and in the test: ten scores in three groups listed out of sort order (c, a,
# b), group a with variance exactly 1, ties at 2, 3 and 9.
# The test adds a row without a score and a row without a group, which R's formula
# interface would drop as well (na.omit).
#
# One-way ANOVA: summary(aov(y ~ g)); Welch: oneway.test(y ~ g); Kruskal-Wallis (tie
# corrected): kruskal.test(y ~ g); Tukey HSD: TukeyHSD(aov(y ~ g)) for the p-values, the
# limits by uniroot on ptukey (qtukey is only accurate to about 4 digits), the se on the
# t scale sqrt(MSE (1/n_a + 1/n_b)); Games-Howell by its formula with ptukey (no base-R
# function), as in level12.R.
#
# At these few df (3.2 to 7) ptukey's own quadrature is off by up to 6e-5 relative (Games-
# Howell a - c, df 3.2: ptukey 0.0242406, the integral 0.0242391), so the p-values and the
# limits are also computed from the definition of the studentized range with integrate()
# (tukey_sf below: P(Q > q) = int_0^inf f_s(s) P(W > q s) ds, s = sqrt(chi2_nu / nu),
# P(W > w) = k int phi(z) [Phi(z)^(k-1) - (Phi(z) - Phi(z - w))^(k-1)] dz), the limits by
# uniroot on it; the keys ending in ".int" are those.
#
# R 4.2.2 (base stats only).

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

range_sf <- function(w, k) {
  f <- function(z) dnorm(z) * (pnorm(z)^(k - 1) - (pnorm(z) - pnorm(z - w))^(k - 1))
  k * integrate(f, -Inf, Inf, rel.tol = 1e-11, subdivisions = 1000L)$value
}
tukey_sf <- function(q, k, nu) {
  logc <- nu / 2 * log(nu) - lgamma(nu / 2) - (nu / 2 - 1) * log(2)
  f <- function(s) sapply(s, function(si) exp(logc + (nu - 1) * log(si) - nu * si^2 / 2) *
                                           range_sf(q * si, k))
  integrate(f, 0, Inf, rel.tol = 1e-10, subdivisions = 1000L)$value
}
tukey_q <- function(level, k, nu) {
  uniroot(function(q) tukey_sf(q, k, nu) - (1 - level), c(1, 50), tol = 1e-13)$root
}

d <- data.frame(
  g = c("c", "a", "b", "b", "a", "c", "b", "a", "b", "c"),
  y = c(6, 1, 2, 4, 2, 9, 7, 3, 3, 9)
)
d$g <- factor(d$g)  # levels a, b, c (sorted)

fit <- aov(y ~ g, data = d)
s <- summary(fit)[[1]]
out("anova.stat", s[["F value"]][1])
out("anova.df", s[["Df"]])
out("anova.p", s[["Pr(>F)"]][1])
out("anova.eta_sq", s[["Sum Sq"]][1] / sum(s[["Sum Sq"]]))
w <- oneway.test(y ~ g, data = d)
out("welch.stat", w$statistic)
out("welch.df", w$parameter)
out("welch.p", w$p.value)
k <- kruskal.test(y ~ g, data = d)
out("kruskal.stat", k$statistic)
out("kruskal.p", k$p.value)
out("n", nrow(d))

n <- table(d$g)
m <- tapply(d$y, d$g, mean)
v <- tapply(d$y, d$g, var)
out("group.n", n)
out("group.mean", m)
out("group.var", v)

pairs <- combn(levels(d$g), 2)
ng <- nlevels(d$g)
dfw <- nrow(d) - ng
mse <- sum(residuals(fit)^2) / dfw
tk <- TukeyHSD(fit)[[1]]
out("tukey.diff", tk[, "diff"])  # b - a, R's order
out("tukey.p", tk[, "p adj"])
q95 <- uniroot(function(q) ptukey(q, ng, dfw) - 0.95, c(1, 20), tol = 1e-13)$root
for (i in seq_len(ncol(pairs))) {
  a_ <- pairs[1, i]; b_ <- pairs[2, i]
  se <- sqrt(mse * (1 / n[[a_]] + 1 / n[[b_]]))
  tk_key <- paste0("tukey.", a_, "_", b_)
  out(paste0(tk_key, ".se"), se)
  out(paste0(tk_key, ".t"), (m[[a_]] - m[[b_]]) / se)
  out(paste0(tk_key, ".ci_low"), m[[a_]] - m[[b_]] - q95 / sqrt(2) * se)
  out(paste0(tk_key, ".ci_high"), m[[a_]] - m[[b_]] + q95 / sqrt(2) * se)
  qi <- tukey_q(0.95, ng, dfw)
  out(paste0(tk_key, ".p.int"), tukey_sf(abs(m[[a_]] - m[[b_]]) / se * sqrt(2), ng, dfw))
  out(paste0(tk_key, ".ci_low.int"), m[[a_]] - m[[b_]] - qi / sqrt(2) * se)
  out(paste0(tk_key, ".ci_high.int"), m[[a_]] - m[[b_]] + qi / sqrt(2) * se)

  va <- v[[a_]] / n[[a_]]; vb <- v[[b_]] / n[[b_]]
  se <- sqrt(va + vb)
  df <- (va + vb)^2 / (va^2 / (n[[a_]] - 1) + vb^2 / (n[[b_]] - 1))
  t <- (m[[a_]] - m[[b_]]) / se
  q <- uniroot(function(q) ptukey(q, ng, df) - 0.95, c(1, 200), tol = 1e-13)$root
  gk <- paste0("gh.", a_, "_", b_)
  out(paste0(gk, ".se"), se)
  out(paste0(gk, ".t"), t)
  out(paste0(gk, ".df"), df)
  out(paste0(gk, ".p"), ptukey(abs(t) * sqrt(2), ng, df, lower.tail = FALSE))
  out(paste0(gk, ".ci_low"), m[[a_]] - m[[b_]] - q / sqrt(2) * se)
  out(paste0(gk, ".ci_high"), m[[a_]] - m[[b_]] + q / sqrt(2) * se)
  qi <- tukey_q(0.95, ng, df)
  out(paste0(gk, ".p.int"), tukey_sf(abs(t) * sqrt(2), ng, df))
  out(paste0(gk, ".ci_low.int"), m[[a_]] - m[[b_]] - qi / sqrt(2) * se)
  out(paste0(gk, ".ci_high.int"), m[[a_]] - m[[b_]] + qi / sqrt(2) * se)
}

# Two groups of exactly 2 values each (a: 1, 2; b: 4, 7): one-way ANOVA and Welch.
d2 <- data.frame(g = factor(c("a", "b", "a", "b")), y = c(1, 4, 2, 7))
s2 <- summary(aov(y ~ g, data = d2))[[1]]
out("two.anova.stat", s2[["F value"]][1])
out("two.anova.p", s2[["Pr(>F)"]][1])
w2 <- oneway.test(y ~ g, data = d2)
out("two.welch.stat", w2$statistic)
out("two.welch.df", w2$parameter)
out("two.welch.p", w2$p.value)
