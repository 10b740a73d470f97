# Reference values for tests/test_survivors_impact.py (evalkit/metrics/impact.py):
# did (CR1 / CR2, both df conventions, a covariate, other levels), the event study and
# its pre-trend Wald test, and the random-intercept model (lme4).
#
# Run from this folder:  Rscript survivors_impact.R > survivors_impact_output.txt
# Prints every value as "key = value" with 15 significant digits; the tests quote them.
suppressPackageStartupMessages({
  library(sandwich); library(lmtest); library(clubSandwich); library(lme4)
})

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

# level4_panel.csv: 13 units x 6 periods, 5 trained, post from period 3. Unbalanced
# here: the first period of units u01 and u07 and the last of u13 left out.
p <- read.csv("level4_panel.csv")
p <- p[!((p$unit %in% c("u01", "u07") & p$period == 0) | (p$unit == "u13" & p$period == 5)), ]
p$treated <- as.logical(p$treated); p$post <- as.logical(p$post)
out("panel_n", nrow(p))

# did(p, "score", covariates = ["period"], ci = 0.9): CR1 (vcovCL HC1), t on G - 1 = 12 df
m <- lm(score ~ treated * post + period, p)
V <- vcovCL(m, cluster = ~unit, type = "HC1")
ct <- coeftest(m, vcov = V, df = 12)["treatedTRUE:postTRUE", ]
ci <- coefci(m, vcov = V, df = 12, level = 0.9)["treatedTRUE:postTRUE", ]
out("cr1_cov", c(ct, ci))
# df_method = "residual": t on N - K = N - 5 df, level 0.9
ct <- coeftest(m, vcov = V)["treatedTRUE:postTRUE", ]
ci <- coefci(m, vcov = V, level = 0.9)["treatedTRUE:postTRUE", ]
out("cr1_cov_resid", c(ct, ci, m$df.residual))
# vcov = "CR2" with the covariate, level 0.9
V2 <- vcovCR(m, cluster = p$unit, type = "CR2")
tt <- coef_test(m, vcov = V2, test = "Satterthwaite")
ci2 <- conf_int(m, vcov = V2, test = "Satterthwaite", level = 0.9)
out("cr2_cov", c(tt$beta[5], tt$SE[5], tt$df_Satt[5], tt$p_Satt[5], ci2$CI_L[5], ci2$CI_U[5]))

# --- multilevel --------------------------------------------------------------------------
# sleepstudy (level345_sleepstudy.csv) unbalanced: Days 0 of subjects 308 and 309 and
# Days 9 of 310 left out; a numeric and a 0/1 predictor (late = Days >= 5); level 0.9.
s <- read.csv("level345_sleepstudy.csv")
s <- s[!((s$Subject %in% c(308, 309) & s$Days == 0) | (s$Subject == 310 & s$Days == 9)), ]
s$late <- as.numeric(s$Days >= 5)
out("sleep_n", nrow(s))
m <- lmer(Reaction ~ Days + late + (1 | Subject), s, REML = TRUE)
vc <- as.data.frame(VarCorr(m))$vcov
out("ml_var", vc)
cf <- summary(m)$coefficients
out("ml_est", cf[, 1]); out("ml_se", cf[, 2]); out("ml_z", cf[, 3])
out("ml_p", 2 * pnorm(-abs(cf[, 3])))
w <- confint(m, method = "Wald", parm = "beta_", level = 0.9)
out("ml_low", w[, 1]); out("ml_high", w[, 2])
out("ml_reml", REMLcrit(m))

# the unbalanced Dyestuff (level4_dyestuff_unbalanced.csv) at level 0.8: ICC(1) F interval
# with aov mean squares, n0 = (N - sum n_i^2 / N) / (g - 1) (Searle 1971); lme4's fit
du <- read.csv("level4_dyestuff_unbalanced.csv")
icc_f <- function(d, level) {
  a <- summary(aov(Yield ~ Batch, data = d))[[1]]
  msb <- a[["Mean Sq"]][1]; msw <- a[["Mean Sq"]][2]; df1 <- a$Df[1]; df2 <- a$Df[2]
  ni <- table(d$Batch); N <- sum(ni); n0 <- (N - sum(ni^2) / N) / df1
  q <- 1 - (1 - level) / 2
  Fo <- msb / msw; FL <- Fo / qf(q, df1, df2); FU <- Fo * qf(q, df2, df1)
  c(n0, (FL - 1) / (FL + n0 - 1), (FU - 1) / (FU + n0 - 1))
}
out("du80", icc_f(du, 0.8))
m <- lmer(Yield ~ 1 + (1 | Batch), du, REML = TRUE)
out("du_var", as.data.frame(VarCorr(m))$vcov)
cf <- summary(m)$coefficients
out("du_fixed", c(cf[1, 1:3], confint(m, method = "Wald", parm = "beta_", level = 0.8)))
out("du_reml", REMLcrit(m))

# lme4's Dyestuff2 (balanced, 6 batches x 5; MSB < MSW, so the batch variance is 0 at
# the REML optimum): the ICC(1) F interval at levels 0.95 and 0.9, clipped to [0, 1]
d2 <- data.frame(Batch = rep(LETTERS[1:6], each = 5), Yield = lme4::Dyestuff2$Yield)
out("d2_95", icc_f(d2, 0.95)); out("d2_90", icc_f(d2, 0.9))
m <- lmer(Yield ~ 1 + (1 | Batch), d2, REML = TRUE)
out("d2_var", as.data.frame(VarCorr(m))$vcov)
cf <- summary(m)$coefficients
out("d2_fixed", c(cf[1, 1:3], confint(m, method = "Wald", parm = "beta_")))
out("d2_reml", REMLcrit(m))

# did with exactly 2 clusters: the unbalanced panel above clustered by half (units
# u01-u07 against u08-u13); t on G - 1 = 1 df
p$half <- ifelse(p$unit <= "u07", "first", "second")
m <- lm(score ~ treated * post, p)
V <- vcovCL(m, cluster = ~half, type = "HC1")
ct <- coeftest(m, vcov = V, df = 1)["treatedTRUE:postTRUE", ]
ci <- coefci(m, vcov = V, df = 1)["treatedTRUE:postTRUE", ]
out("two_clusters", c(ct, ci))

# --- event study and pre-trend test ------------------------------------------------------
# the unbalanced panel with text periods "p0".."p5" (sorted as text), level 0.9, relative
# to p2; L = I - e_ref (difference from the reference period), V_L = L V L'
p$per <- paste0("p", p$period)
es <- lm(score ~ 0 + factor(per) + factor(per):treated, p)
V <- vcovCL(es, cluster = ~unit, type = "HC1")
b <- coef(es)[7:12]; Vb <- V[7:12, 7:12]
se <- sqrt(diag(Vb)); tq <- qt(0.95, 12)
out("es_est", b); out("es_se", se); out("es_p", 2 * pt(-abs(b / se), 12))
out("es_low", b - tq * se); out("es_high", b + tq * se)
out("es_mean_t", tapply(p$score[p$treated], p$per[p$treated], mean))
out("es_mean_c", tapply(p$score[!p$treated], p$per[!p$treated], mean))
out("es_n_t", table(p$per[p$treated])); out("es_n_c", table(p$per[!p$treated]))
L <- diag(6); L[, 3] <- L[, 3] - 1
bl <- drop(L %*% b); VL <- L %*% Vb %*% t(L); sl <- sqrt(pmax(diag(VL), 0))
out("rel_est", bl); out("rel_se", sl[-3]); out("rel_p", (2 * pt(-abs(bl / sl), 12))[-3])
out("rel_low", (bl - tq * sl)[-3]); out("rel_high", (bl + tq * sl)[-3])
# pretrend_test(reference = "p2", first_post = "p3"): periods p0, p1 against p2
pre <- c(1, 2)
W <- drop(t(bl[pre]) %*% solve(VL[pre, pre]) %*% bl[pre])
out("pt_chi2", W); out("pt_F", W / 2); out("pt_p", pf(W / 2, 2, 12, lower.tail = FALSE))
out("pt_p_chi2", pchisq(W, 2, lower.tail = FALSE))
# reference p1, first post p4: periods p0, p2, p3 against p1
L <- diag(6); L[, 2] <- L[, 2] - 1
bl <- drop(L %*% b); VL <- L %*% Vb %*% t(L); pre <- c(1, 3, 4)
W <- drop(t(bl[pre]) %*% solve(VL[pre, pre]) %*% bl[pre])
out("pt1_chi2", W); out("pt1_p", pf(W / 3, 3, 12, lower.tail = FALSE))
