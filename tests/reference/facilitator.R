# Reference values for evalkit's facilitator evaluation (evalkit/metrics/facilitator.py).
#
# Run from this folder:  Rscript facilitator.R > facilitator_output.txt
# It draws a small synthetic facilitator evaluation with a fixed seed (8 cohorts, 6
# facilitators, crossed: facilitators teach several cohorts, cohorts have 2-3
# facilitators; facilitator F6 teaches one cohort only), writes it as
# facilitator_ratings.csv (one row per answer, missing answers left out) and
# facilitator_learning.csv (pre/post per participant), and prints every reference value
# as "key = value" with 15 significant digits. The tests quote these numbers as literals,
# each with the R call that produced it.
#
# R 4.2.2; psych 2.2.9; lme4 1.1-31; sandwich 3.0-2; lmtest 0.9-40; car 3.1-1 (section 4)
# (Debian packages).

suppressMessages({
  library(psych)
  library(lme4)
  library(sandwich)
  library(lmtest)
})

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

set.seed(20251201)
fac_eff <- c(F1 = 0.3, F2 = 0.0, F3 = -0.6, F4 = 0.1, F5 = -0.1, F6 = 0.2)
teach <- list(C1 = c("F1", "F2", "F3"), C2 = c("F1", "F3"), C3 = c("F2", "F4", "F5"),
              C4 = c("F1", "F4"), C5 = c("F3", "F5", "F2"), C6 = c("F4", "F1", "F6"),
              C7 = c("F5", "F2"), C8 = c("F3", "F4", "F1"))
items <- c("mastery", "delivery", "time", "interaction")
rows <- list(); learn <- list()
for (c in names(teach)) {
  n <- sample(6:12, 1)
  ceff <- rnorm(1, 0, 0.25)
  for (p in seq_len(n)) {
    pid <- sprintf("%s-P%02d", c, p)
    rater <- rnorm(1, 0, 0.3)
    pre <- round(rnorm(1, 60, 10), 1)
    learn[[length(learn) + 1]] <- data.frame(cohort_id = c, participant_id = pid, pre = pre,
      post = round(pre + 8 + 6 * ceff + rnorm(1, 0, 6), 1))
    for (s in seq_along(teach[[c]])) {
      f <- teach[[c]][s]
      latent <- 3.9 + fac_eff[[f]] + ceff + rater + rnorm(length(items), 0, 0.5)
      score <- pmin(5, pmax(1, round(latent)))
      keep <- runif(length(items)) > 0.04
      rows[[length(rows) + 1]] <- data.frame(cohort_id = c, participant_id = pid,
        facilitator_id = f, session = paste0("S", s), item = items[keep], score = score[keep])
    }
  }
}
d <- do.call(rbind, rows)
lr <- do.call(rbind, learn)
write.csv(d, "facilitator_ratings.csv", row.names = FALSE)
write.csv(lr, "facilitator_learning.csv", row.names = FALSE)

# form ratings: mean of the answered items of one rater, facilitator and session
forms <- aggregate(score ~ facilitator_id + cohort_id + participant_id + session, data = d,
                   FUN = mean)
names(forms)[names(forms) == "score"] <- "rating"
out("n_forms", nrow(forms))

# 1. per facilitator: mean with CR1 SE clustered by cohort (or by rater with one cohort)
for (f in sort(unique(forms$facilitator_id))) {
  s <- forms[forms$facilitator_id == f, ]
  fit <- lm(rating ~ 1, data = s)
  by_cohort <- length(unique(s$cohort_id)) >= 2
  cl <- if (by_cohort) s$cohort_id else s$participant_id
  V <- sandwich::vcovCL(fit, cluster = cl, type = "HC1")
  g <- length(unique(cl))
  ct <- lmtest::coeftest(fit, vcov. = V, df = g - 1)
  ci <- lmtest::coefci(fit, vcov. = V, df = g - 1, level = 0.95)
  out(paste0(f, ".n"), nrow(s))
  out(paste0(f, ".mean"), coef(fit)[[1]])
  out(paste0(f, ".se"), ct[1, 2])
  out(paste0(f, ".df"), g - 1)
  out(paste0(f, ".ci_low"), ci[1, 1])
  out(paste0(f, ".ci_high"), ci[1, 2])
  # Cronbach's alpha of the items over the facilitator's complete forms
  w <- reshape(d[d$facilitator_id == f, c("cohort_id", "participant_id", "session", "item",
                                           "score")],
               idvar = c("cohort_id", "participant_id", "session"), timevar = "item",
               direction = "wide")
  w <- w[complete.cases(w), paste0("score.", items)]
  a <- psych::alpha(w, warnings = FALSE)
  aci <- psych::alpha.ci(a$total$raw_alpha, n.obs = nrow(w), n.var = length(items),
                         p.val = 0.05)
  out(paste0(f, ".alpha"), a$total$raw_alpha)
  out(paste0(f, ".alpha_n"), nrow(w))
  out(paste0(f, ".alpha_ci_low"), aci$lower.ci)
  out(paste0(f, ".alpha_ci_high"), aci$upper.ci)
}

# 2. variance split: crossed random intercepts, REML. The REML surface is flat near its
#    optimum: lme4's default stopping rule leaves the variances ~1e-5 (relative) short of
#    it, so bobyqa runs to rhoend = 1e-12 (same REML criterion, 198.032304851, to 1e-9).
m <- lmer(rating ~ 1 + (1 | facilitator_id) + (1 | cohort_id), data = forms, REML = TRUE,
          control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12)))
out("reml_criterion", REMLcrit(m))
vc <- as.data.frame(VarCorr(m))
out("var.facilitator", vc$vcov[vc$grp == "facilitator_id"])
out("var.cohort", vc$vcov[vc$grp == "cohort_id"])
out("var.residual", vc$vcov[vc$grp == "Residual"])

# 3. cohort-level link: mean form rating vs mean gain of the cohort
rating <- tapply(forms$rating, forms$cohort_id, mean)
gain <- tapply(lr$post - lr$pre, lr$cohort_id, mean)
ct <- cor.test(rating[names(gain)], gain)
out("link.r", ct$estimate[[1]])
out("link.ci_low", ct$conf.int[1])
out("link.ci_high", ct$conf.int[2])
out("link.t", ct$statistic[[1]])
out("link.df", ct$parameter[[1]])
out("link.p", ct$p.value)
out("link.n", length(gain))

# 4. ratings by facilitator role (no random draws: the roles are fixed per facilitator).
#    Per role: the mean of its forms, CR1 by cohort on G - 1 df (every role spans several
#    cohorts). Difference: lm(rating ~ role) with reference widyaiswara, vcovCL by cohort,
#    coeftest(df = G - 1); the overall Wald F with car::linearHypothesis on F(q, G - 1).
suppressMessages(library(car))
roles <- c(F1 = "widyaiswara", F2 = "widyaiswara", F3 = "academic", F4 = "academic",
           F5 = "practitioner", F6 = "practitioner")
forms$role <- factor(roles[forms$facilitator_id],
                     levels = c("widyaiswara", "academic", "practitioner"))
for (r in levels(forms$role)) {
  s <- forms[forms$role == r, ]
  fit <- lm(rating ~ 1, data = s)
  V <- vcovCL(fit, cluster = s$cohort_id, type = "HC1")
  g <- length(unique(s$cohort_id))
  ct <- coeftest(fit, vcov. = V, df = g - 1)
  ci <- coefci(fit, vcov. = V, df = g - 1, level = 0.95)
  out(paste0("role.", r, ".n"), nrow(s))
  out(paste0("role.", r, ".n_clusters"), g)
  out(paste0("role.", r, ".mean"), coef(fit)[[1]])
  out(paste0("role.", r, ".se"), ct[1, 2])
  out(paste0("role.", r, ".ci"), ci[1, ])
}
fit <- lm(rating ~ role, data = forms)
V <- vcovCL(fit, cluster = forms$cohort_id, type = "HC1")
G <- length(unique(forms$cohort_id))
ct <- coeftest(fit, vcov. = V, df = G - 1)
ci <- coefci(fit, vcov. = V, df = G - 1, level = 0.95)
out("role_diff.est", ct[2:3, 1])
out("role_diff.se", ct[2:3, 2])
out("role_diff.p", ct[2:3, 4])
out("role_diff.ci_low", ci[2:3, 1])
out("role_diff.ci_high", ci[2:3, 2])
lh <- linearHypothesis(fit, c("roleacademic = 0", "rolepractitioner = 0"), vcov. = V,
                       test = "F")
out("role_diff.F", lh$F[2])
out("role_diff.F.p", pf(lh$F[2], 2, G - 1, lower.tail = FALSE))
# One cohort (C1: F1, F2 widyaiswara; F3 academic): no cohorts to cluster on, so the
# forms are clustered by rater (each rater rates all three), as evalkit does.
s <- forms[forms$cohort_id == "C1", ]
s$role <- droplevels(s$role)
fit <- lm(rating ~ role, data = s)
V <- vcovCL(fit, cluster = s$participant_id, type = "HC1")
g <- length(unique(s$participant_id))
ct <- coeftest(fit, vcov. = V, df = g - 1)
out("role_c1.n_clusters", g)
out("role_c1.est", ct[2, 1])
out("role_c1.se", ct[2, 2])
out("role_c1.p", ct[2, 4])
