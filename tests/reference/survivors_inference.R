# Reference values for tests/test_survivors_inference.py (mutation-testing survivors of
# evalkit.metrics.inference, see mutation/README.md).
#
# Run from this folder:  Rscript survivors_inference.R > survivors_inference_output.txt
# It writes survivors_inference_people.csv (50 respondents of 7 units k1-k7, listed out of
# sort order, 1-3 rows per unit and wave 0-3; units k2, k5, k6 trained, after = wave >= 2;
# a score y and a count n, both rounded) and prints every value as "key = value" with 15
# significant digits.
#
# Randomisation inference: all combn(7, 3) = 35 assignments of 3 trained units among the
# sorted units; the statistic is the DiD coefficient of lm(y ~ tr * after) (rows, not
# unit means) or the D coefficient of glm(n ~ D + factor(kab) + factor(wave), poisson);
# p = mean(|stat| >= |obs| (1 - 1e-9)), the observed assignment included.
# Wild cluster restricted bootstrap: all 2^7 = 128 Rademacher vectors, bit j of the row
# number r (0-127) gives unit j (sorted) the weight 1 - 2 bit; y* = fitted + resid * w of
# lm(y ~ grp + after); t* = coef / sqrt(vcovCL(lm(y* ~ grp * after), ~kab, "HC1")).
# Confidence set of a constant effect: grid of tau0 (step 0.01) and bisection (60
# halvings) on each end, as smallsample.R, for ci = 0.80, 0.90 and 0.60 (p(tau0) > 1 - ci;
# 1 - 0.6 is 0.4 exactly in doubles, as is 14/35: 14 assignments as extreme are rejected),
# and at 0.80 without the rows of k6 and k7 after the training (ri_pre).
#
# R 4.2.2; sandwich 3.0-2 (Debian packages).

suppressMessages(library(sandwich))

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

set.seed(15)
listed <- c("k4", "k1", "k6", "k2", "k7", "k3", "k5")
rows <- list()
for (u in listed) for (w in 0:3) {
  m <- sample(1:3, 1)
  for (i in 1:m) rows[[length(rows) + 1]] <- data.frame(kab = u, wave = w)
}
d <- do.call(rbind, rows)
d$grp <- d$kab %in% c("k2", "k5", "k6")
d$after <- d$wave >= 2
D <- d$grp & d$after
ue <- setNames(round(rnorm(7, 0, 3), 1), listed)
d$y <- round(60 + ue[d$kab] + 0.8 * d$wave + 2.5 * D + rnorm(nrow(d), 0, 2), 1)
d$n <- rpois(nrow(d), 6 * exp(0.1 * d$wave) * 0.7^D)
write.csv(d[, c("kab", "wave", "grp", "after", "y", "n")], "survivors_inference_people.csv",
          row.names = FALSE)

units <- sort(unique(d$kab))
ucode <- match(d$kab, units)
obs_units <- which(tapply(d$grp, ucode, function(v) v[1]))
A <- combn(7, 3)
after <- as.numeric(d$after)
tight <- glm.control(epsilon = 1e-14, maxit = 200)

# --- randomisation inference ------------------------------------------------------------
did_of <- function(y, a_units) {
  tr <- as.numeric(ucode %in% a_units)
  lm.fit(cbind(1, tr, after, tr * after), y)$coefficients[4]
}
ri <- function(stat_of) {
  stat <- apply(A, 2, stat_of)
  obs <- stat_of(obs_units)
  ext <- sum(abs(stat) >= abs(obs) * (1 - 1e-9))
  c(obs, ext, ext / length(stat))
}
r <- ri(function(a) did_of(d$y, a))
out("ri.linear.estimate", r[1]); out("ri.linear.extreme", r[2]); out("ri.linear.p", r[3])
out("ri.linear.lm", coef(lm(y ~ grp * after, d))[4])
pois_of <- function(a) {
  dd <- d; dd$D <- as.numeric(ucode %in% a & d$after)
  coef(glm(n ~ D + factor(kab) + factor(wave), poisson, dd, control = tight))["D"]
}
r <- ri(pois_of)
out("ri.pois.estimate", r[1]); out("ri.pois.extreme", r[2]); out("ri.pois.p", r[3])
# the same Poisson fit without the wave fixed effect (a wrong period column)
pois_nowave <- function(a) {
  dd <- d; dd$D <- as.numeric(ucode %in% a & d$after)
  coef(glm(n ~ D + factor(kab), poisson, dd, control = tight))["D"]
}
r <- ri(pois_nowave)
out("ri.pois_nowave.estimate", r[1])

# --- wild cluster restricted bootstrap --------------------------------------------------
cr1_t <- function(y) {
  dd <- d; dd$yy <- y
  m <- lm(yy ~ grp * after, dd)
  V <- vcovCL(m, cluster = ~kab, type = "HC1")
  c(coef(m)[4], coef(m)[4] / sqrt(V[4, 4]))
}
t0 <- cr1_t(d$y)
mr <- lm(y ~ grp + after, d)
fr <- fitted(mr); ur <- residuals(mr)
W <- 1 - 2 * ((outer(0:127, 0:6, function(r, j) bitwAnd(r, 2^j)) > 0) * 1)
tstar <- apply(W, 1, function(w) cr1_t(fr + ur * w[ucode])[2])
out("wcr.estimate", t0[1]); out("wcr.t", t0[2])
out("wcr.p", mean(abs(tstar) >= abs(t0[2]) * (1 - 1e-9)))
out("wcr.extreme", sum(abs(tstar) >= abs(t0[2]) * (1 - 1e-9)))

# --- confidence set by inverting the randomisation test ----------------------------------
# set_of(dd, lev): tau0 is in the set when p(tau0) > 1 - lev (grid, then bisection).
set_of <- function(dd, key, levels) {
  uc <- match(dd$kab, units)
  af <- as.numeric(dd$after)
  Dd <- as.numeric(dd$grp & dd$after)
  did_dd <- function(y, a_units) {
    tr <- as.numeric(uc %in% a_units)
    lm.fit(cbind(1, tr, af, tr * af), y)$coefficients[4]
  }
  p_of <- function(tau0) {
    y0 <- dd$y - tau0 * Dd
    b_obs <- did_dd(y0, obs_units)
    b <- apply(A, 2, function(a) did_dd(y0, a))
    mean(abs(b) >= abs(b_obs) * (1 - 1e-9))
  }
  b_hat <- did_dd(dd$y, obs_units)
  out(paste0(key, ".estimate"), b_hat)
  grid <- seq(floor(b_hat) - 15, ceiling(b_hat) + 15, by = 0.01)
  pg <- sapply(grid, p_of)
  for (lev in levels) {
    acc <- which(pg > 1 - lev)
    out(sprintf("%s.ci%02d.one_run", key, 100 * lev), as.numeric(all(diff(acc) == 1)))
    edge <- function(inside, outside) {
      for (i in 1:60) {
        mid <- (inside + outside) / 2
        if (p_of(mid) > 1 - lev) inside <- mid else outside <- mid
      }
      (inside + outside) / 2
    }
    out(sprintf("%s.ci%02d", key, 100 * lev),
        c(edge(grid[min(acc)], grid[min(acc) - 1]), edge(grid[max(acc)], grid[max(acc) + 1])))
  }
  # far from the estimate only the assignments with |c_a| >= 1 are as extreme
  out(paste0(key, ".p_far"), c(p_of(-1e6), p_of(1e6)))
}
set_of(d, "ri", c(0.80, 0.90, 0.60))
# k6 (trained) and k7 (not) seen before the training only: swapping them leaves the
# DiD of D at 1, so two assignments stay as extreme far out (p_far = 2/35)
set_of(d[!(d$kab %in% c("k6", "k7") & d$after), ], "ri_pre", c(0.80))
