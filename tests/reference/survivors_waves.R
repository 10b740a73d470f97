# Reference values for tests/test_survivors_waves.py (base R 4, stats only).
# Rscript tests/reference/survivors_waves.R
options(digits = 15)

# --- wave_attrition: 10 people of cohorts a, b, c rated on one 1-5 item ------------------
# index = score / 5 x 100. Cohort b has no 6-month wave (not due). Rated at 3 months in a
# due cohort: p1..p6 (a), r1, r2 (c); p4, p5, p6 have no 6-month rating (dropped out).
base_dropped <- c(5, 4, 2) / 5 * 100          # p4, p5, p6
base_stayed <- c(3, 2, 4, 3, 1) / 5 * 100     # p1, p2, p3, r1, r2
print(prop.test(3, 8, correct = FALSE, conf.level = 0.95)$conf.int)
print(prop.test(3, 8, correct = FALSE, conf.level = 0.90)$conf.int)
for (lev in c(0.95, 0.90)) {
  tt <- t.test(base_dropped, base_stayed, var.equal = FALSE, conf.level = lev)
  cat("index_baseline", lev, ":", tt$estimate[1] - tt$estimate[2], tt$conf.int, tt$p.value,
      tt$parameter, "\n")
}
# learning: gain = post - pre; r1 has no post-test (NaN gain)
gain_dropped <- c(55 - 60, 30 - 30, 35 - 20)          # p4, p5, p6
gain_stayed <- c(60 - 50, 45 - 40, 90 - 70, 70 - 40)  # p1, p2, p3, r2
for (lev in c(0.95, 0.90)) {
  tt <- t.test(gain_dropped, gain_stayed, var.equal = FALSE, conf.level = lev)
  cat("gain", lev, ":", tt$estimate[1] - tt$estimate[2], tt$conf.int, tt$p.value,
      tt$parameter, "\n")
}

# --- attrition_by_wave, long_term_evidence, persistence_curve ---------------------------
# The same people plus waves 0, 12 and 24; POMP of the 1-5 item: (score - 1) / 4 x 100.
fu <- data.frame(
  cohort = c("a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a",
             "b", "b", "c", "c", "c", "c", "d"),
  person = c("p1", "p1", "p1", "p1", "p2", "p2", "p3", "p3", "p3", "p4", "p5", "p6", "p7",
             "q1", "q2", "r1", "r1", "r2", "r2", "s1"),
  months = c(0, 3, 6, 12, 3, 6, 3, 6, 12, 3, 3, 3, 6, 3, 3, 3, 6, 3, 6, 24),
  score = c(5, 3, 4, 5, 2, 3, 4, 4, 3, 5, 4, 2, 5, 1, 5, 3, 2, 1, 5, 4))
fu$index <- (fu$score - 1) / 4 * 100
wide <- reshape(fu[, c("cohort", "person", "months", "index")], idvar = c("cohort", "person"),
                timevar = "months", direction = "wide")
lrn <- data.frame(person = c("p1", "p2", "p3", "p4", "p5", "p6", "r1", "r2", "q1"),
                  pre = c(50, 40, 70, 60, 30, 20, 50, 40, 10),
                  post = c(60, 45, 90, 55, 30, 35, NA, 70, 90))
wide <- merge(wide, lrn, by = "person", all.x = TRUE)
wide$gain <- wide$post - wide$pre
welch <- function(x, y, lev) {
  tt <- t.test(x, y, var.equal = FALSE, conf.level = lev)
  c(tt$estimate[1] - tt$estimate[2], tt$conf.int, tt$p.value)
}
for (b in c(3, 6)) for (w in c(6, 12)) if (w > b) for (lev in c(0.95, 0.9)) {
  bcol <- paste0("index.", b); wcol <- paste0("index.", w)
  due <- wide$cohort %in% unique(wide$cohort[!is.na(wide[[wcol]])])
  rated <- wide[due & !is.na(wide[[bcol]]), ]
  drop <- is.na(rated[[wcol]])
  cat("baseline", b, "wave", w, "level", lev, ": n", nrow(rated), "dropped", sum(drop), "\n")
  print(prop.test(sum(drop), nrow(rated), correct = FALSE, conf.level = lev)$conf.int[1:2])
  for (m in c(bcol, "pre", "gain")) {
    x <- rated[[m]][drop]; y <- rated[[m]][!drop]
    x <- x[!is.na(x)]; y <- y[!is.na(y)]
    if (min(length(x), length(y)) >= 2) cat(m, ":", welch(x, y, lev), "\n")
  }
}
# long_term_evidence: changes from 3 months, MDE of the paired t at n pairs
for (w in c(6, 12)) {
  d <- wide[[paste0("index.", w)]] - wide$index.3
  d <- d[!is.na(d)]
  cat("wave", w, "n", length(d), "mean", mean(d), "sd", sd(d), "\n")
}
p <- power.t.test(n = 5, sd = 1, sig.level = 0.05, power = 0.8, type = "paired", strict = TRUE, tol = 1e-13)
cat("mde n = 5:", p$delta, "\n")
p <- power.t.test(n = 5, sd = 1, sig.level = 0.10, power = 0.9, type = "paired", strict = TRUE, tol = 1e-13)
cat("mde n = 5, alpha .1, power .9:", p$delta, "\n")
p <- power.t.test(n = 3, sd = 1, sig.level = 0.05, power = 0.8, type = "paired", strict = TRUE, tol = 1e-13)
cat("mde n = 3:", p$delta, "\n")
# persistence_curve: program X (cohorts a, b) at 3 months, cluster-robust by cohort
suppressMessages({library(sandwich); library(lmtest); library(clubSandwich)})
x3 <- fu[fu$months == 3 & fu$cohort %in% c("a", "b"), ]
fit <- lm(index ~ 1, data = x3)
for (lev in c(0.95, 0.9)) print(coefci(fit, vcov. = vcovCL(fit, cluster = ~cohort, type = "HC1"),
                                 df = 1, level = lev))
cat("CR1 se", sqrt(vcovCL(fit, cluster = ~cohort, type = "HC1")[1, 1]), "mean", mean(x3$index),
    "sd", sd(x3$index), "\n")
print(coef_test(fit, vcov = vcovCR(fit, cluster = x3$cohort, type = "CR2"), test = "Satterthwaite"))
print(coef_test(fit, vcov = vcovCR(fit, cluster = x3$cohort, type = "CR2"),
                test = "Satterthwaite")$SE)
# one cohort (classical): t quantiles of the intervals mean +- qt(0.975, n - 1) sd / sqrt(n)
cat("qt(0.975, 3)", qt(0.975, 3), "qt(0.975, 1)", qt(0.975, 1), "\n")
# long_term_evidence, second set: changes -30, -40, -50 (3 pairs)
cat("mde n = 3:", power.t.test(n = 3, sd = 1, power = 0.8, type = "paired", strict = TRUE, tol = 1e-13)$delta,
    "\n")
