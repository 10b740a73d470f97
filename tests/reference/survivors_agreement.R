# Reference values for tests/test_survivors_agreement.py (mutation-testing survivors of
# evalkit.metrics.agreement, see mutation/README.md).
#
# Run from this folder:  Rscript survivors_agreement.R > survivors_agreement_output.txt
# It writes survivors_agreement_ratings.csv (7 persons rated by 3 raters) and
# survivors_agreement_followup.csv (a typed-in follow-up table: 4 cohorts whose
# participant ids repeat, a unit column with 2 missing values, a peer rater for 4
# participants, one participant without a supervisor rating) and prints every value
# as "key = value" with 15 significant digits.
#
# psych is not used: the ICCs come from base R's anova() of the two-way (target +
# rater) and one-way (target) linear models, with the formulas of Shrout & Fleiss
# (1979) and the intervals of McGraw & Wong (1996, Table 7; the ICC(A,1) interval with
# their Satterthwaite df v = (a MSC + b MSE)^2 / ((a MSC)^2/(k-1) + (b MSE)^2/((n-1)(k-1))),
# the ICC(A,k) interval in their direct form). On the Shrout & Fleiss table this
# function reproduces psych::ICC(lmer = FALSE) (level345.R) to the last printed digit;
# the first block below prints it as a check. Bland-Altman: the formulas of
# Bland & Altman (1999, section 4.2), typed again from the paper.
#
# R 4.2.2 (base stats only).

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

icc_all <- function(x, level = 0.95) {
  x <- as.matrix(x); n <- nrow(x); k <- ncol(x); alpha <- 1 - level
  long <- data.frame(v = as.vector(t(x)), target = factor(rep(seq_len(n), each = k)),
                     rater = factor(rep(seq_len(k), n)))
  a2 <- anova(lm(v ~ target + rater, long)); a1 <- anova(lm(v ~ target, long))
  MSR <- a2["target", "Mean Sq"]; MSC <- a2["rater", "Mean Sq"]
  MSE <- a2["Residuals", "Mean Sq"]; MSW <- a1["Residuals", "Mean Sq"]
  F1 <- MSR / MSW; F3 <- MSR / MSE
  d1 <- c(n - 1, n * (k - 1)); d3 <- c(n - 1, (n - 1) * (k - 1))
  i1 <- (MSR - MSW) / (MSR + (k - 1) * MSW)
  i2 <- (MSR - MSE) / (MSR + (k - 1) * MSE + k * (MSC - MSE) / n)
  i3 <- (MSR - MSE) / (MSR + (k - 1) * MSE)
  FL1 <- F1 / qf(1 - alpha / 2, d1[1], d1[2]); FU1 <- F1 * qf(1 - alpha / 2, d1[2], d1[1])
  FL3 <- F3 / qf(1 - alpha / 2, d3[1], d3[2]); FU3 <- F3 * qf(1 - alpha / 2, d3[2], d3[1])
  a <- k * i2 / (n * (1 - i2)); b <- 1 + k * i2 * (n - 1) / (n * (1 - i2))
  v <- (a * MSC + b * MSE)^2 / ((a * MSC)^2 / (k - 1) + (b * MSE)^2 / ((n - 1) * (k - 1)))
  Fs <- qf(1 - alpha / 2, n - 1, v); Ft <- qf(1 - alpha / 2, v, n - 1)
  L2 <- n * (MSR - Fs * MSE) / (Fs * (k * MSC + (k * n - k - n) * MSE) + n * MSR)
  U2 <- n * (Ft * MSR - MSE) / (k * MSC + (k * n - k - n) * MSE + n * Ft * MSR)
  L2k <- n * (MSR - Fs * MSE) / (Fs * (MSC - MSE) + n * MSR)
  U2k <- n * (Ft * MSR - MSE) / (MSC - MSE + n * Ft * MSR)
  p1 <- pf(F1, d1[1], d1[2], lower.tail = FALSE); p3 <- pf(F3, d3[1], d3[2], lower.tail = FALSE)
  r <- rbind(
    c(i1, F1, d1, p1, (FL1 - 1) / (FL1 + k - 1), (FU1 - 1) / (FU1 + k - 1)),
    c(i2, F3, d3, p3, L2, U2),
    c(i3, F3, d3, p3, (FL3 - 1) / (FL3 + k - 1), (FU3 - 1) / (FU3 + k - 1)),
    c((MSR - MSW) / MSR, F1, d1, p1, 1 - 1 / FL1, 1 - 1 / FU1),
    c((MSR - MSE) / (MSR + (MSC - MSE) / n), F3, d3, p3, L2k, U2k),
    c((MSR - MSE) / MSR, F3, d3, p3, 1 - 1 / FL3, 1 - 1 / FU3))
  dimnames(r) <- list(c("ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)"),
                      c("icc", "f", "df1", "df2", "p", "ci_low", "ci_high"))
  r
}
out_icc <- function(tag, r) {
  for (form in rownames(r)) for (col in colnames(r)) out(paste0(tag, ".", form, ".", col), r[form, col])
}

ba <- function(x, y, level = 0.95, agreement = 0.95) {
  d <- x - y; n <- length(d); s <- sd(d); bias <- mean(d)
  z <- qnorm((1 + agreement) / 2); tq <- qt((1 + level) / 2, n - 1)
  half_bias <- tq * s / sqrt(n)
  half_loa <- tq * s * sqrt(1 / n + z^2 / (2 * (n - 1)))
  lo <- bias - z * s; hi <- bias + z * s
  c(n = n, bias = bias, sd_diff = s, bias_ci_low = bias - half_bias, bias_ci_high = bias + half_bias,
    loa_low = lo, loa_high = hi, loa_low_ci_low = lo - half_loa, loa_low_ci_high = lo + half_loa,
    loa_high_ci_low = hi - half_loa, loa_high_ci_high = hi + half_loa)
}
out_ba <- function(tag, b) for (key in names(b)) out(paste0(tag, ".", key), b[[key]])

# 0. Check: the Shrout & Fleiss table (level345_shrout_fleiss.csv) as psych::ICC
out_icc("check.sf", icc_all(read.csv("level345_shrout_fleiss.csv")))

# 1. Seven persons rated by three raters, ICCs at the 90% level
ratings <- data.frame(r1 = c(3, 5, 2, 4, 6, 1, 4),
                      r2 = c(4, 5, 3, 4, 7, 2, 3),
                      r3 = c(2, 6, 3, 5, 6, 2, 5))
write.csv(ratings, "survivors_agreement_ratings.csv", row.names = FALSE)
out_icc("k3", icc_all(ratings, level = 0.90))

# 2. Exactly two persons (one residual df): (1, 3) and (4, 5), at the 95% level
out_icc("two", icc_all(rbind(c(1, 3), c(4, 5))))

# 3. Bland-Altman of exactly two pairs, x = (3, 7), y = (1, 2): d = (2, 5)
out_ba("ba2", ba(c(3, 7), c(1, 2)))

# 4. The follow-up table: cohort, participant, unit, rater, scores of b1, b2 (of 5), b3 (of 4)
spec <- read.table(header = TRUE, na.strings = "NA", text = "
cohort_id participant_id unit rater b1 b2 b3
K1 P1 U1 self 4 5 3
K1 P1 U1 supervisor 4 4 3
K1 P1 U1 peer 3 4 2
K1 P2 U1 self 5 4 4
K1 P2 U1 supervisor 3 4 3
K1 P2 U1 peer 4 4 4
K1 P3 U1 self 3 3 2
K1 P3 U1 supervisor 3 2 2
K1 P3 U1 peer 2 3 3
K1 P4 NA self 5 5 4
K1 P4 NA supervisor 4 5 3
K1 P5 NA self 2 3 2
K1 P5 NA supervisor 2 3 1
K2 P1 U2 self 4 4 3
K2 P1 U2 supervisor 2 3 3
K2 P1 U2 peer 3 3 2
K2 P2 U2 self 5 5 3
K2 P2 U2 supervisor 4 5 4
K2 P3 U2 self 3 4 3
K2 P3 U2 supervisor 3 3 2
K2 P4 U2 self 4 3 4
K2 P4 U2 supervisor 5 4 4
K2 P5 U2 self 4 4 4
K3 P1 U1 self 4 4 3
K3 P1 U1 supervisor 3 4 2
K3 P2 U1 self 2 2 2
K3 P2 U1 supervisor 3 3 3
K4 P1 U2 self 5 4 3
K4 P1 U2 supervisor 4 4 3
")
followup <- do.call(rbind, lapply(c("b1", "b2", "b3"), function(it) data.frame(
  spec[, c("cohort_id", "participant_id", "unit", "rater")], item = it, score = spec[[it]],
  scale_max = if (it == "b3") 4 else 5)))
followup <- followup[order(followup$cohort_id, followup$participant_id, followup$rater, followup$item), ]
write.csv(followup, "survivors_agreement_followup.csv", row.names = FALSE)

# each participant's index per rater: 100 * mean over items of score / scale_max
idx <- aggregate(cbind(pct = score / scale_max * 100) ~ cohort_id + participant_id + rater,
                 followup, mean)
wide <- reshape(idx, idvar = c("cohort_id", "participant_id"), timevar = "rater", direction = "wide")
unit <- unique(followup[, c("cohort_id", "participant_id", "unit")])
wide <- merge(wide, unit)
both <- wide[!is.na(wide$pct.self) & !is.na(wide$pct.supervisor), ]
stopifnot(nrow(both) == 12)   # K2 P5 has no supervisor rating

# 4a. everybody pooled (participants identified within their cohort), 90% level,
#     limits of agreement covering 80%
out_icc("pooled", icc_all(both[, c("pct.self", "pct.supervisor")], level = 0.90))
out_ba("pooled", ba(both$pct.self, both$pct.supervisor, level = 0.90, agreement = 0.80))

# 4b. per cohort (K4 has one participant: no values), 90% level, 80% limits
for (c in c("K1", "K2", "K3")) {
  s <- both[both$cohort_id == c, ]
  out_icc(c, icc_all(s[, c("pct.self", "pct.supervisor")], level = 0.90))
  out_ba(c, ba(s$pct.self, s$pct.supervisor, level = 0.90, agreement = 0.80))
}

# 4c. per unit, the participants without a unit as their own group
for (u in c("U1", "U2", NA)) {
  s <- if (is.na(u)) both[is.na(both$unit), ] else both[!is.na(both$unit) & both$unit == u, ]
  tag <- paste0("unit.", if (is.na(u)) "NA" else u)
  out_icc(tag, icc_all(s[, c("pct.self", "pct.supervisor")])["ICC(2,1)", , drop = FALSE])
  out_ba(tag, ba(s$pct.self, s$pct.supervisor))
}

# 4d. peer vs supervisor (4 participants; K1 P1 and K2 P1 are different people)
pp <- wide[!is.na(wide$pct.peer) & !is.na(wide$pct.supervisor), ]
out_icc("peer", icc_all(pp[, c("pct.peer", "pct.supervisor")]))
out_ba("peer", ba(pp$pct.peer, pp$pct.supervisor))
