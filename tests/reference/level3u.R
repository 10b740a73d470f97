# Reference values for the unit of analysis, "for whom" and "did it last" (evalkit
# metrics compare.py clustered_*, subgroups.py, behavior.py behavior_change,
# wave_attrition and gain_behavior_link(cluster=)).
#
# Run from this folder:  Rscript level3u.R > level3u_output.txt
# It draws a small synthetic study with a fixed seed, writes it as level3u_people.csv
# (one row per participant: cohort, sex, golongan, year, pre, post) and
# level3u_followup.csv (participant x rater x item x wave, 1-5 answers), and prints every
# reference value as "key = value" with 15 significant digits. The tests quote these
# numbers as literals, each with the R call that produced it.
#
# Cluster-robust variances are sandwich::vcovCL(fit, cluster = ~cohort) with its
# defaults (type "HC1", cadjust = TRUE: the CR1 factor G/(G-1) x (N-1)/(N-K)); tests
# use G - 1 degrees of freedom (coeftest(..., df = G - 1)).
#
# R 4.2.2; sandwich 3.0-2; lmtest; car (Debian packages).

suppressMessages({
  library(sandwich)
  library(lmtest)
  library(car)
})

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

# ---------------------------------------------------------------------------------
# The synthetic study: 12 cohorts of 8-20 people, a cohort random effect on the gain.
set.seed(20261201)
n_cohorts <- 12
sizes <- sample(8:20, n_cohorts, replace = TRUE)
cohort_ids <- sprintf("C%02d", seq_len(n_cohorts))
years <- rep(c(2023, 2024, 2025), length.out = n_cohorts)
cohort_effect <- rnorm(n_cohorts, 0, 3)
people <- do.call(rbind, lapply(seq_len(n_cohorts), function(k) {
  n <- sizes[k]
  sex <- sample(c("L", "P"), n, replace = TRUE)
  gol <- sample(c("II", "III", "IV"), n, replace = TRUE, prob = c(0.2, 0.5, 0.3))
  pre <- round(rnorm(n, 55, 10))
  gain <- 8 + cohort_effect[k] + 2 * (sex == "P") + 3 * (gol == "IV") + rnorm(n, 0, 6)
  data.frame(cohort_id = cohort_ids[k], participant_id = sprintf("%s-p%02d", cohort_ids[k], 1:n),
             sex = sex, golongan = gol, year = years[k], pre = pre,
             post = pmin(100, round(pre + gain)), stringsAsFactors = FALSE)
}))
write.csv(people, "level3u_people.csv", row.names = FALSE)
people$gain <- people$post - people$pre
G <- length(unique(people$cohort_id))
out("n_people", nrow(people))

# Follow-up: 4 items, self and supervisor, at 3 months (everyone answers with prob .9)
# and at 6 months (cohorts C01-C06 only, prob .8); latent 3 + 0.04 gain (+0.15 at 6).
items <- paste0("b", 1:4)
rows <- list()
for (i in seq_len(nrow(people))) {
  p <- people[i, ]
  k <- as.integer(substr(p$cohort_id, 2, 3))
  for (m in c(3, 6)) {
    if (m == 6 && k > 6) next
    if (runif(1) > (if (m == 3) 0.9 else 0.8)) next
    mu <- 3 + 0.04 * p$gain + (if (m == 6) 0.15 else 0) + rnorm(1, 0, 0.4)
    for (r in c("self", "supervisor")) {
      if (r == "supervisor" && runif(1) > 0.8) next
      s <- pmin(5, pmax(1, round(mu + (r == "supervisor") * -0.35 + rnorm(4, 0, 0.45))))
      rows[[length(rows) + 1]] <- data.frame(
        cohort_id = p$cohort_id, participant_id = p$participant_id, rater = r,
        months_after = m, item = items, score = s, scale_max = 5)
    }
  }
}
fu <- do.call(rbind, rows)
write.csv(fu, "level3u_followup.csv", row.names = FALSE)
out("n_followup_rows", nrow(fu))

# Person index per wave: mean over items of score / 5 x 100 per rater, mean of raters.
per_rater <- aggregate(score ~ cohort_id + participant_id + months_after + rater, fu,
                       function(s) mean(s / 5 * 100))
idx <- aggregate(score ~ cohort_id + participant_id + months_after, per_rater, mean)
names(idx)[names(idx) == "score"] <- "index"

# ---------------------------------------------------------------------------------
# 1. Clustered mean of the gain, overall and by sex:
#    fit <- lm(gain ~ 1, d); coeftest(fit, vcovCL(fit, cluster = ~cohort_id), df = G - 1)
cm <- function(d, tag) {
  fit <- lm(gain ~ 1, d)
  g <- length(unique(d$cohort_id))
  ct <- coeftest(fit, vcov. = vcovCL(fit, cluster = ~cohort_id), df = g - 1)
  out(paste0(tag, ".mean"), ct[1, 1]); out(paste0(tag, ".se"), ct[1, 2])
  out(paste0(tag, ".p"), ct[1, 4])
  ci <- ct[1, 1] + c(-1, 1) * qt(0.975, g - 1) * ct[1, 2]
  out(paste0(tag, ".ci"), ci)
  out(paste0(tag, ".n_clusters"), g)
}
cm(people, "mean.all")
cm(people[people$sex == "L", ], "mean.L")
cm(people[people$sex == "P", ], "mean.P")

# ---------------------------------------------------------------------------------
# 2. Comparison of groups: fit <- lm(gain ~ golongan, people) (reference "II");
#    V <- vcovCL(fit, cluster = ~cohort_id); coeftest(fit, V, df = G - 1);
#    Wald F: car::linearHypothesis(fit, c("golonganIII = 0", "golonganIV = 0"),
#    vcov. = V, test = "F")$F[2], p = pf(F, 2, G - 1, lower.tail = FALSE).
fit <- lm(gain ~ golongan, people)
V <- vcovCL(fit, cluster = ~cohort_id)
ct <- coeftest(fit, vcov. = V, df = G - 1)
out("cmp.est", ct[2:3, 1]); out("cmp.se", ct[2:3, 2]); out("cmp.t", ct[2:3, 3])
out("cmp.p", ct[2:3, 4])
lh <- linearHypothesis(fit, c("golonganIII = 0", "golonganIV = 0"), vcov. = V, test = "F")
out("cmp.F", lh$F[2]); out("cmp.F.p", pf(lh$F[2], 2, G - 1, lower.tail = FALSE))
# Hedges' g of each contrast: estimate / pooled within-group SD x J(N - k)
sp <- sqrt(sum(residuals(fit)^2) / fit$df.residual)
m <- fit$df.residual
J <- exp(lgamma(m / 2) - log(sqrt(m / 2)) - lgamma((m - 1) / 2))
out("cmp.g", J * ct[2:3, 1] / sp)
# Two groups: lm(gain ~ sex): the interaction (time x sex) of the pre/post design
fit2 <- lm(gain ~ sex, people)
ct2 <- coeftest(fit2, vcov. = vcovCL(fit2, cluster = ~cohort_id), df = G - 1)
out("sex.est", ct2[2, 1]); out("sex.se", ct2[2, 2]); out("sex.p", ct2[2, 4])
# The same on long data: score ~ time * sex, clustered by cohort (equal estimate)
long <- rbind(data.frame(people[, c("cohort_id", "sex")], time = 0, score = people$pre),
              data.frame(people[, c("cohort_id", "sex")], time = 1, score = people$post))
fitl <- lm(score ~ time * sex, long)
out("sex.long.est", coef(fitl)[["time:sexP"]])

# ---------------------------------------------------------------------------------
# 3. Trend over years: fit <- lm(gain ~ year, people);
#    (as lm(gain ~ I(year - 2024)), the same slope without cancellation);
#    coeftest(fit, vcovCL(fit, cluster = ~cohort_id), df = G - 1); and the naive
#    (participants as independent) summary(fit) p for comparison.
fit3 <- lm(gain ~ I(year - 2024), people)  # centred: same slope, no loss of digits
ct3 <- coeftest(fit3, vcov. = vcovCL(fit3, cluster = ~cohort_id), df = G - 1)
out("trend.slope", ct3[2, 1]); out("trend.se", ct3[2, 2]); out("trend.p", ct3[2, 4])
out("trend.ci", ct3[2, 1] + c(-1, 1) * qt(0.975, G - 1) * ct3[2, 2])
out("trend.naive.se", summary(fit3)$coefficients[2, 2])

# ---------------------------------------------------------------------------------
# 4. L2 -> L3 at 3 months: fit <- lm(index ~ gain, merged);
#    coeftest(fit, vcovCL(fit, cluster = ~cohort_id), df = G3 - 1)
i3 <- merge(idx[idx$months_after == 3, ], people[, c("cohort_id", "participant_id", "gain")])
fit4 <- lm(index ~ gain, i3)
G3 <- length(unique(i3$cohort_id))
ct4 <- coeftest(fit4, vcov. = vcovCL(fit4, cluster = ~cohort_id), df = G3 - 1)
out("link.n", nrow(i3)); out("link.slope", ct4[2, 1]); out("link.se", ct4[2, 2])
out("link.p", ct4[2, 4]); out("link.ci", ct4[2, 1] + c(-1, 1) * qt(0.975, G3 - 1) * ct4[2, 2])
out("link.ols.se", summary(fit4)$coefficients[2, 2])

# ---------------------------------------------------------------------------------
# 5. 3 -> 6 months within person: d = index6 - index3 of people with both waves;
#    t.test(i6, i3, paired = TRUE); fit <- lm(d ~ 1);
#    coeftest(fit, vcovCL(fit, cluster = ~cohort_id), df = G6 - 1)
w <- reshape(idx, idvar = c("cohort_id", "participant_id"), timevar = "months_after",
             direction = "wide")
both <- w[!is.na(w$index.3) & !is.na(w$index.6), ]
tt <- t.test(both$index.6, both$index.3, paired = TRUE)
out("change.n", nrow(both)); out("change.mean", unname(tt$estimate))
out("change.t.p", tt$p.value); out("change.t.ci", tt$conf.int)
both$d <- both$index.6 - both$index.3
fit5 <- lm(d ~ 1, both)
G6 <- length(unique(both$cohort_id))
ct5 <- coeftest(fit5, vcov. = vcovCL(fit5, cluster = ~cohort_id), df = G6 - 1)
out("change.se", ct5[1, 2]); out("change.p", ct5[1, 4])
out("change.ci", ct5[1, 1] + c(-1, 1) * qt(0.975, G6 - 1) * ct5[1, 2])
out("change.n_clusters", G6)

# ---------------------------------------------------------------------------------
# 6. Attrition 3 -> 6 in cohorts with a 6-month wave: of those with a 3-month index,
#    who has none at 6. prop.test(dropped, n, correct = FALSE)$conf.int (Wilson);
#    t.test(dropped, stayed) (Welch) of the 3-month index and of the gain.
elig <- w[w$cohort_id %in% unique(idx$cohort_id[idx$months_after == 6]) & !is.na(w$index.3), ]
dropped <- is.na(elig$index.6)
out("attr.n", nrow(elig)); out("attr.dropped", sum(dropped))
out("attr.ci", prop.test(sum(dropped), nrow(elig), correct = FALSE)$conf.int)
wt <- t.test(elig$index.3[dropped], elig$index.3[!dropped])
out("attr.index.diff", unname(wt$estimate[1] - wt$estimate[2]))
out("attr.index.p", wt$p.value); out("attr.index.ci", wt$conf.int)
elig <- merge(elig, people[, c("cohort_id", "participant_id", "gain")])
dropped <- is.na(elig$index.6)
wg <- t.test(elig$gain[dropped], elig$gain[!dropped])
out("attr.gain.diff", unname(wg$estimate[1] - wg$estimate[2]))
out("attr.gain.p", wg$p.value)

# ---------------------------------------------------------------------------------
# 7. Person-level Hedges' g of the pooled pre/post change (Lakens 2013 d_av with the
#    exact J(n - 1)), and its interval: the CR1 interval of the mean change (section 1)
#    times J / s_av.
n <- nrow(people)
s_av <- sqrt((var(people$pre) + var(people$post)) / 2)
Jn <- exp(lgamma((n - 1) / 2) - log(sqrt((n - 1) / 2)) - lgamma((n - 2) / 2))
fit0 <- lm(gain ~ 1, people)
ct0 <- coeftest(fit0, vcov. = vcovCL(fit0, cluster = ~cohort_id), df = G - 1)
out("pooled.g", Jn * mean(people$gain) / s_av)
out("pooled.g.ci", Jn / s_av * (ct0[1, 1] + c(-1, 1) * qt(0.975, G - 1) * ct0[1, 2]))
out("pooled.dz", mean(people$gain) / sd(people$gain))

# ---------------------------------------------------------------------------------
# 8. For whom, within cohorts: subgroup differences with cohort fixed effects (the
#    comparison of people of the same cohort), classical F test of the subgroup terms.
#    fit8 <- lm(gain ~ cohort_id + golongan) with golongan relevelled to the largest
#    group ("III"); anova(lm(gain ~ cohort_id), fit8); summary(fit8) coefficients.
people$gol3 <- relevel(factor(people$golongan), ref = "III")
fit8 <- lm(gain ~ cohort_id + gol3, people)
a8 <- anova(lm(gain ~ cohort_id, people), fit8)
out("within.gol.F", a8$F[2]); out("within.gol.p", a8$`Pr(>F)`[2]); out("within.gol.df2", a8$Res.Df[2])
s8 <- summary(fit8)$coefficients
out("within.gol.est", s8[c("gol3II", "gol3IV"), 1]); out("within.gol.se", s8[c("gol3II", "gol3IV"), 2])
out("within.gol.p.each", s8[c("gol3II", "gol3IV"), 4])
ci8 <- confint(fit8)[c("gol3II", "gol3IV"), ]
out("within.gol.ci.low", ci8[, 1]); out("within.gol.ci.high", ci8[, 2])
people$sexP <- relevel(factor(people$sex), ref = "P")
fit9 <- lm(gain ~ cohort_id + sexP, people)
a9 <- anova(lm(gain ~ cohort_id, people), fit9)
out("within.sex.F", a9$F[2]); out("within.sex.p", a9$`Pr(>F)`[2])
out("within.sex.est", coef(fit9)[["sexPL"]])
