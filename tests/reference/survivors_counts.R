# Reference values for tests/test_survivors_counts.py (mutation-testing survivors of
# evalkit.metrics.counts, see mutation/README.md).
#
# Run from this folder:  Rscript survivors_counts.R > survivors_counts_output.txt
# It reads level4_panel.csv (written by level4.R), draws one mildly overdispersed count
# with a fixed seed, writes it to survivors_counts_panel.csv and prints every value as
# "key = value" with 15 significant digits. R 4.2.2, MASS 7.3, sandwich 3.0-2 (Debian packages).

suppressMessages({
  library(MASS)
  library(sandwich)
})

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

# ---------------------------------------------------------------------------------
# Part 2 (session 12): the fitting functions themselves, on level4_panel.csv.
d <- read.csv("level4_panel.csv")
d$D <- as.numeric(d$treated & d$post)
d$D1 <- as.numeric(d$treated & d$period >= 1)           # period 1 already "post"
units <- sort(unique(d$unit))
d$Dst <- as.numeric((d$unit %in% units[1:4] & d$period >= 1) |
                    (d$unit %in% units[5:8] & d$period >= 4))  # staggered
nolimit <- function(k) glm.control(epsilon = 1e-300, maxit = k)
pois_k <- function(f, k) suppressWarnings(
  glm(f, family = poisson, data = d, control = nolimit(k)))
f <- complaints ~ D + factor(unit) + factor(period)

# 2a. IRLS iterates of glm (start mu = y + 0.1, R's poisson initialize): after 1, 2, 3
#     iterations, and converged; coefficients in glm's order (Intercept), D, units, periods.
B <- sapply(1:3, function(k) coef(pois_k(f, k)))
for (k in 1:3) out(paste0("irls", k), B[, k])
ratio <- function(new, old, a = 1) max(abs(new - old) / (a + abs(new)))
out("irls.r2", ratio(B[, 2], B[, 1]))        # the stopping rule of iteration 2
out("irls.r2_loose", ratio(B[, 2], B[, 1], 2))
out("irls.r3", ratio(B[, 3], B[, 2]))
full <- coef(glm(f, poisson, d, control = glm.control(epsilon = 1e-14, maxit = 200)))
out("irls.full", full)
# the same designs with D1 and with the staggered D (two fits, one batch in Python)
out("irls.full_D1", coef(glm(complaints ~ D1 + factor(unit) + factor(period), poisson, d,
                              control = glm.control(epsilon = 1e-14, maxit = 200))))
out("irls.full_Dst", coef(glm(complaints ~ Dst + factor(unit) + factor(period), poisson, d,
                               control = glm.control(epsilon = 1e-14, maxit = 200))))

# 2b. negative binomial at a fixed theta = 2 (MASS::negative.binomial), started at
#     mu = y + 0.1 as evalkit does: one iteration, converged, and vcovCL of the fit.
fnb <- overdispersed ~ D + factor(unit) + factor(period)
nb1 <- suppressWarnings(glm(fnb, family = negative.binomial(2), data = d,
                            mustart = d$overdispersed + 0.1, control = nolimit(1)))
out("nb2.irls1", coef(nb1))
# (100 iterations: glm's deviance criterion at epsilon = 1e-14 stops at a score of 3e-7)
nbf <- suppressWarnings(glm(fnb, family = negative.binomial(2), data = d,
                            mustart = d$overdispersed + 0.1, control = nolimit(100)))
out("nb2.full", coef(nbf))
Vnb <- vcovCL(nbf, cluster = ~unit)
out("nb2.vcovCL_D", Vnb[2, ])
out("nb2.vcovCL_diag", diag(Vnb))

# 2c. Newton on the Poisson likelihood with the unit effects concentrated out, as
#     poisson_twfe_batch: each step is one full IRLS step of glm from the profile point
#     (the unit effects that fit each unit's total at the current D and period effects).
prof_step <- function(th) {
  x <- th[1] * d$D + c(0, th[-1])[d$period + 1]
  e <- exp(x)
  alpha <- log(tapply(d$complaints, d$unit, sum) / tapply(e, d$unit, sum))
  d$eta0 <- as.vector(x + alpha[d$unit])
  m <- suppressWarnings(glm(f, family = poisson, data = d, etastart = eta0,
                            control = nolimit(1)))
  unname(coef(m)[c("D", paste0("factor(period)", 1:5))])
}
th <- rep(0, 6); TH <- NULL
for (k in 1:4) { th <- prof_step(th); TH <- cbind(TH, th); out(paste0("twfe", k), th) }
out("twfe.r2", ratio(TH[, 2], TH[, 1]))
out("twfe.r2_loose", ratio(TH[, 2], TH[, 1], 2))
out("twfe.r3", ratio(TH[, 3], TH[, 2]))

# ---------------------------------------------------------------------------------
# Part 3 (session 12): theta to full precision, rows with a missing value.
# glm.nb's theta.ml stops at tol = .Machine$double.eps^0.25; here the profile
# log-likelihood of theta (glm with negative.binomial(theta) fitted to convergence) is
# maximised over log(theta) by optimize() at tol = 1e-12.
m <- read.csv("survivors_counts_panel.csv")
m$D <- as.numeric(m$treated & m$post)
prof <- function(lt) {
  fit <- suppressWarnings(glm(mild ~ D + factor(unit) + factor(period),
                              family = negative.binomial(exp(lt)), data = m,
                              control = glm.control(epsilon = 1e-300, maxit = 60)))
  -as.numeric(logLik(fit))
}
opt <- optimize(prof, c(-8, 12), tol = 1e-12)
out("mild.theta_precise", exp(opt$minimum))

# level4_panel.csv with complaints missing in rows 5 and 40 (glm leaves them out)
d <- read.csv("level4_panel.csv")
d$D <- as.numeric(d$treated & d$post)
d$complaints[c(5, 40)] <- NA
mna <- glm(complaints ~ D + factor(unit) + factor(period), family = poisson, data = d,
           control = glm.control(epsilon = 1e-14, maxit = 200))
out("na.estimate", coef(mna)[["D"]])
out("na.se", sqrt(vcovCL(mna, cluster = ~unit)["D", "D"]))
out("na.n_obs", nobs(mna))

# the same precise theta for the overdispersed count of level4.R (glm.nb: 3.27053679753064)
d <- read.csv("level4_panel.csv")
d$D <- as.numeric(d$treated & d$post)
prof_od <- function(lt) {
  fit <- suppressWarnings(glm(overdispersed ~ D + factor(unit) + factor(period),
                              family = negative.binomial(exp(lt)), data = d,
                              control = glm.control(epsilon = 1e-300, maxit = 60)))
  -as.numeric(logLik(fit))
}
opt_od <- optimize(prof_od, c(-8, 12), tol = 1e-12)
out("od.theta_precise", exp(opt_od$minimum))

# theta as the root of the profile score (at each theta, glm with negative.binomial(theta)
# to convergence): d logL / d theta = sum(digamma(theta + y) - digamma(theta) + log(theta)
# + 1 - log(theta + mu) - (y + theta) / (mu + theta)), solved by uniroot at tol 1e-13 on
# log(theta); its rounding noise enters linearly, not as the square root of a flat maximum.
score_root <- function(f, data, y, lo, hi) {
  sc <- function(lt) {
    th <- exp(lt)
    fit <- suppressWarnings(glm(f, family = negative.binomial(th), data = data,
                                control = glm.control(epsilon = 1e-300, maxit = 60)))
    mu <- fitted(fit)
    sum(digamma(th + y) - digamma(th) + log(th) + 1 - log(th + mu) - (y + th) / (mu + th))
  }
  exp(uniroot(sc, c(lo, hi), tol = 1e-13)$root)
}
out("od.theta_root", score_root(overdispersed ~ D + factor(unit) + factor(period), d,
                                d$overdispersed, log(2), log(5)))
out("mild.theta_root", score_root(mild ~ D + factor(unit) + factor(period), m, m$mild,
                                  log(20), log(400)))
