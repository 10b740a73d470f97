# Reference values for evalkit Level 4 inference (metrics/inference.py, metrics/impact.py).
#
# Run from this folder:  Rscript level4.R > level4_output.txt
# It writes the data it uses (level4_panel.csv: a fixed-seed synthetic panel of 13 units x
# 6 periods, 5 units trained from period 3; level4_dyestuff_unbalanced.csv: lme4's
# Dyestuff with four rows removed) and prints every reference value as "key = value" with
# 15 significant digits. The tests quote these numbers as literals, each with its R call.
#
# R 4.2.2; sandwich 3.0-2; lmtest; MASS 7.3; psych 2.2.9; lme4 1.1-31 (Debian packages).

suppressMessages({
  library(sandwich)
  library(lmtest)
  library(MASS)
  library(psych)
  library(lme4)
})

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

# ---------------------------------------------------------------------------------
# 0. The panel: 13 units x 6 periods; units u01-u05 trained, post = period >= 3.
set.seed(20240)
units <- sprintf("u%02d", 1:13)
d <- expand.grid(period = 0:5, unit = units, stringsAsFactors = FALSE)[, c("unit", "period")]
d$treated <- d$unit %in% units[1:5]
d$post <- d$period >= 3
D <- as.numeric(d$treated & d$post)
base <- setNames(runif(13, 4, 16), units)[d$unit]
d$complaints <- rpois(nrow(d), base * exp(0.05 * d$period) * 0.7^D)
d$overdispersed <- rnbinom(nrow(d), size = 2, mu = base * exp(0.05 * d$period) * 0.7^D)
unit_sd <- setNames(rnorm(13, 0, 3), units)[d$unit]
d$score <- 70 + unit_sd + 0.5 * d$period + 3 * D + rnorm(nrow(d), 0, 2)
d$score <- round(d$score, 4)
write.csv(d, "level4_panel.csv", row.names = FALSE)
d$D <- D
G <- 13
tight <- glm.control(epsilon = 1e-14, maxit = 200)   # converge fully: vcovCL uses the last weights

# ---------------------------------------------------------------------------------
# 1. Poisson TWFE: glm(y ~ D + factor(unit) + factor(period), poisson), vcovCL by unit
#    (HC0 with G/(G-1), the glm default of vcovCL); t with G-1 df and normal.
pois_ref <- function(tag, m) {
  V <- vcovCL(m, cluster = ~unit)
  ct <- coeftest(m, vcov = V, df = G - 1); ci <- coefci(m, vcov = V, df = G - 1)
  out(paste0(tag, ".estimate"), ct["D", 1]); out(paste0(tag, ".se"), ct["D", 2])
  out(paste0(tag, ".t"), ct["D", 3]); out(paste0(tag, ".p"), ct["D", 4])
  out(paste0(tag, ".rr"), exp(ct["D", 1])); out(paste0(tag, ".rr_ci"), exp(ci["D", ]))
  cz <- coeftest(m, vcov = V); ciz <- coefci(m, vcov = V)
  out(paste0(tag, ".p_normal"), cz["D", 4]); out(paste0(tag, ".rr_ci_normal"), exp(ciz["D", ]))
}
mp <- glm(complaints ~ D + factor(unit) + factor(period), family = poisson, data = d,
          control = tight)
pois_ref("pois", mp)
nb0 <- glm.nb(complaints ~ D + factor(unit) + factor(period), data = d)
out("pois.lr", max(0, 2 * (as.numeric(logLik(nb0)) - as.numeric(logLik(mp)))))
out("pois.loglik", as.numeric(logLik(mp)))

# 2. Negative binomial TWFE on the overdispersed count: MASS::glm.nb, vcovCL (theta fixed).
mp2 <- glm(overdispersed ~ D + factor(unit) + factor(period), family = poisson, data = d,
           control = tight)
nb <- glm.nb(overdispersed ~ D + factor(unit) + factor(period), data = d,
             control = tight)
out("nb.theta", nb$theta)
pois_ref("nb", nb)
lr <- 2 * (as.numeric(logLik(nb)) - as.numeric(logLik(mp2)))
out("nb.lr", lr); out("nb.lr_p", pchisq(lr, 1, lower.tail = FALSE) / 2)
pois_ref("nb.pois", mp2)   # the Poisson fit of the same count

# ---------------------------------------------------------------------------------
# 3. Poisson event study, reference period 2: treated x period dummies except period 2.
for (k in 0:5) d[[paste0("e", k)]] <- as.numeric(d$treated & d$period == k)
es <- glm(complaints ~ e0 + e1 + e3 + e4 + e5 + factor(unit) + factor(period),
          family = poisson, data = d, control = tight)
V <- vcovCL(es, cluster = ~unit)
ks <- c("e0", "e1", "e3", "e4", "e5")
ct <- coeftest(es, vcov = V, df = G - 1); ci <- coefci(es, vcov = V, df = G - 1)
out("pes.estimate", ct[ks, 1]); out("pes.se", ct[ks, 2]); out("pes.p", ct[ks, 4])
out("pes.rr_ci_low", exp(ci[ks, 1])); out("pes.rr_ci_high", exp(ci[ks, 2]))
# joint Wald test of the pre-period coefficients e0, e1 (= 0)
b <- coef(es)[c("e0", "e1")]; W <- as.numeric(t(b) %*% solve(V[c("e0", "e1"), c("e0", "e1")]) %*% b)
out("pes.pre.chi2", W); out("pes.pre.p_chi2", pchisq(W, 2, lower.tail = FALSE))
out("pes.pre.F", W / 2); out("pes.pre.p", pf(W / 2, 2, G - 1, lower.tail = FALSE))

# 4. Linear event study (saturated, as evalkit.event_study) of the score, relative to
#    period 2, and the joint Wald test of periods 0 and 1.
m <- lm(score ~ 0 + factor(period) + factor(period):treated, data = d)
V <- vcovCL(m, cluster = ~unit, type = "HC1")
ks <- grep(":treatedTRUE", names(coef(m)), value = TRUE)
L <- diag(6); L[, 3] <- L[, 3] - 1; L <- L[1:2, , drop = FALSE]
rel <- as.vector(L %*% coef(m)[ks]); Vr <- L %*% V[ks, ks] %*% t(L)
W <- as.numeric(t(rel) %*% solve(Vr) %*% rel)
out("les.pre.estimate", rel); out("les.pre.chi2", W)
out("les.pre.F", W / 2); out("les.pre.p", pf(W / 2, 2, G - 1, lower.tail = FALSE))

# ---------------------------------------------------------------------------------
# 5. Randomisation inference: all combn(13, 5) = 1287 assignments of the trained units.
cmb <- combn(13, 5)
ri <- function(f, family = NULL) {
  stat <- apply(cmb, 2, function(tr) {
    dd <- d; dd$treated <- dd$unit %in% units[tr]; dd$D <- as.numeric(dd$treated & dd$post)
    if (is.null(family)) coef(lm(f, data = dd))["treatedTRUE:postTRUE"]
    else coef(glm(f, family = family, data = dd))["D"]
  })
  obs <- stat[1]   # combn's first column is units 1-5, the observed assignment
  c(obs = obs, p = mean(abs(stat) >= abs(obs) * (1 - 1e-9)), n = length(stat),
    extreme = sum(abs(stat) >= abs(obs) * (1 - 1e-9)))
}
r <- ri(score ~ treated * post)
out("ri.linear.estimate", r["obs"]); out("ri.linear.p", r["p"]); out("ri.linear.extreme", r["extreme"])
r <- ri(complaints ~ D + factor(unit) + factor(period), poisson)
out("ri.pois.estimate", r["obs"]); out("ri.pois.p", r["p"]); out("ri.pois.extreme", r["extreme"])
r <- ri(overdispersed ~ treated * post)
out("ri.linear_od.p", r["p"])

# ---------------------------------------------------------------------------------
# 6. Wild cluster restricted bootstrap of the linear DiD of the score: all 2^13 = 8192
#    Rademacher vectors; restricted model y ~ treated + post; t* with vcovCL HC1.
wcr <- function(y) {
  d$y <- y
  m <- lm(y ~ treated * post, data = d)
  k <- "treatedTRUE:postTRUE"
  t0 <- coef(m)[k] / sqrt(vcovCL(m, cluster = ~unit, type = "HC1")[k, k])
  mr <- lm(y ~ treated + post, data = d); fr <- fitted(mr); ur <- residuals(mr)
  uidx <- match(d$unit, units)
  W <- 1 - 2 * ((outer(0:(2^13 - 1), 0:12, function(a, b) bitwAnd(a, 2^b)) > 0) * 1)
  tstar <- apply(W, 1, function(w) {
    d$ys <- fr + ur * w[uidx]
    ms <- lm(ys ~ treated * post, data = d)
    coef(ms)[k] / sqrt(vcovCL(ms, cluster = ~unit, type = "HC1")[k, k])
  })
  c(t = t0, p = mean(abs(tstar) >= abs(t0) * (1 - 1e-9)))
}
r <- wcr(d$score)
out("wcr.score.t", r[1]); out("wcr.score.p", r[2])
r <- wcr(d$overdispersed)
out("wcr.od.t", r[1]); out("wcr.od.p", r[2])

# ---------------------------------------------------------------------------------
# 7. ICC(1) with its F interval: psych::ICC on Dyestuff (6 batches x 5 preparations,
#    balanced), and the unbalanced F interval (Searle 1971; n0 = (N - sum n_i^2 / N) /
#    (g - 1)) on Dyestuff without rows 2, 9, 10, 17, with the mean squares from aov.
wide <- matrix(Dyestuff$Yield, ncol = 5, byrow = TRUE)
ic <- psych::ICC(wide, lmer = FALSE)$results
out("icc.dyes.icc1", ic$ICC[1]); out("icc.dyes.lower", ic[["lower bound"]][1])
out("icc.dyes.upper", ic[["upper bound"]][1]); out("icc.dyes.F", ic$F[1])
du <- Dyestuff[-c(2, 9, 10, 17), ]
write.csv(du, "level4_dyestuff_unbalanced.csv", row.names = FALSE)
a <- summary(aov(Yield ~ Batch, data = du))[[1]]
msb <- a[["Mean Sq"]][1]; msw <- a[["Mean Sq"]][2]; df1 <- a$Df[1]; df2 <- a$Df[2]
ni <- table(du$Batch); N <- sum(ni); n0 <- (N - sum(ni^2) / N) / df1
Fo <- msb / msw; FL <- Fo / qf(0.975, df1, df2); FU <- Fo * qf(0.975, df2, df1)
out("icc.unb.n0", n0); out("icc.unb.icc1", (msb - msw) / (msb + (n0 - 1) * msw))
out("icc.unb.lower", (FL - 1) / (FL + n0 - 1)); out("icc.unb.upper", (FU - 1) / (FU + n0 - 1))
vc <- as.data.frame(VarCorr(lmer(Yield ~ 1 + (1 | Batch), data = du, REML = TRUE)))
out("icc.unb.reml", vc$vcov[1] / sum(vc$vcov))

# ---------------------------------------------------------------------------------
# 8. 20-JP compliance with the "recent" denominator (jp_compliance(rule = "recent")):
#    for year Y, the people trained (a cohort ending) in Y - 1 or Y, their JP of Y, per
#    unit (their latest unit), on level345_participants.csv / level345_cohorts.csv;
#    Wilson interval prop.test(x, n, correct = FALSE).
parts <- read.csv("level345_participants.csv"); cohs <- read.csv("level345_cohorts.csv")
cohs$year <- as.integer(substr(cohs$end_date, 1, 4))
att <- merge(parts, cohs[, c("cohort_id", "jp", "year", "end_date")], by = "cohort_id")
latest <- do.call(rbind, lapply(split(att, att$participant_id),
                                function(a) a[order(a$end_date), ][nrow(a), ]))
for (Y in c(2024, 2025)) {
  ids <- unique(att$participant_id[att$year %in% c(Y - 1, Y)])
  home <- latest[latest$participant_id %in% ids, c("participant_id", "unit")]
  jpy <- aggregate(jp ~ participant_id, data = subset(att, year == Y), FUN = sum)
  m <- match(home$participant_id, jpy$participant_id)
  home$jp <- ifelse(is.na(m), 0, jpy$jp[m])
  for (u in sort(unique(home$unit))) {
    h <- home[home$unit == u, ]; x <- sum(h$jp >= 20); n <- nrow(h)
    tag <- paste0("jp.recent.", Y, ".", gsub(" ", "_", u))
    out(paste0(tag, ".n"), n); out(paste0(tag, ".x"), x); out(paste0(tag, ".mean_jp"), mean(h$jp))
    out(paste0(tag, ".ci"), prop.test(x, n, correct = FALSE)$conf.int)
  }
}
