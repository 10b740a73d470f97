# Reference values for evalkit Levels 1-2 (reaction.py, learning.py, compare.py).
#
# Run from this folder:  Rscript level12.R > level12_output.txt
# It writes the level12_*.csv data files it uses (public data sets copied from R's
# datasets, MASS and psych packages, plus one small pre/post table typed in below) and
# prints every reference value as "key = value" with 15 significant digits. The tests
# quote these numbers as literals, each with the R call that produced it.
#
# R 4.2.2; psych 2.2.9; car; MASS (Debian packages).

suppressMessages({
  library(psych)
  library(car)
  library(MASS)
})

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

# ---------------------------------------------------------------------------------
# 1. Cronbach's alpha and item analysis: attitude (datasets), 30 x 7, no missing values.
write.csv(attitude, "level12_attitude.csv", row.names = FALSE)
a <- psych::alpha(attitude)
out("attitude.alpha", a$total$raw_alpha)                 # psych::alpha(attitude)$total$raw_alpha
out("attitude.std_alpha", a$total$std.alpha)             # psych::alpha(attitude)$total$std.alpha
ci <- psych::alpha.ci(a$total$raw_alpha, n.obs = 30, n.var = 7, p.val = 0.05)
out("attitude.ci_low", ci$lower.ci)                      # psych::alpha.ci(alpha, 30, 7, .05)
out("attitude.ci_high", ci$upper.ci)
ci90 <- psych::alpha.ci(a$total$raw_alpha, n.obs = 30, n.var = 7, p.val = 0.10)
out("attitude.ci90_low", ci90$lower.ci)                  # psych::alpha.ci(alpha, 30, 7, .10)
out("attitude.ci90_high", ci90$upper.ci)
out("attitude.item_mean", a$item.stats$mean)             # psych::alpha(attitude)$item.stats
out("attitude.item_sd", a$item.stats$sd)
out("attitude.r_drop", a$item.stats$r.drop)
out("attitude.alpha_if_dropped", a$alpha.drop$raw_alpha) # psych::alpha(attitude)$alpha.drop

# 2. bfi (psych): neuroticism items N1-N5, complete cases, overall and by education.
bfi_cols <- c("A2", "A3", "A4", "A5", "C1", "C2", "C3", "C4",
              "N1", "N2", "N3", "N4", "N5", "gender", "education")
write.csv(psych::bfi[, bfi_cols], "level12_bfi.csv", row.names = FALSE, na = "")
nitems <- c("N1", "N2", "N3", "N4", "N5")
nd <- na.omit(psych::bfi[, nitems])
a <- psych::alpha(nd)
out("bfi_n.n", nrow(nd))
out("bfi_n.alpha", a$total$raw_alpha)                    # psych::alpha(na.omit(bfi[, N1:N5]))
out("bfi_n.std_alpha", a$total$std.alpha)
ci <- psych::alpha.ci(a$total$raw_alpha, n.obs = nrow(nd), n.var = 5, p.val = 0.05)
out("bfi_n.ci_low", ci$lower.ci)
out("bfi_n.ci_high", ci$upper.ci)
out("bfi_n.r_drop", a$item.stats$r.drop)
out("bfi_n.alpha_if_dropped", a$alpha.drop$raw_alpha)
ne <- na.omit(psych::bfi[, c(nitems, "education")])
for (e in sort(unique(ne$education))) {
  g <- ne[ne$education == e, nitems]
  a <- psych::alpha(g)                                   # psych::alpha(subset by education)
  ci <- psych::alpha.ci(a$total$raw_alpha, n.obs = nrow(g), n.var = 5, p.val = 0.05)
  out(paste0("bfi_n.edu", e, ".n"), nrow(g))
  out(paste0("bfi_n.edu", e, ".alpha"), a$total$raw_alpha)
  out(paste0("bfi_n.edu", e, ".std_alpha"), a$total$std.alpha)
  out(paste0("bfi_n.edu", e, ".ci_low"), ci$lower.ci)
  out(paste0("bfi_n.edu", e, ".ci_high"), ci$upper.ci)
  out(paste0("bfi_n.edu", e, ".r_drop"), a$item.stats$r.drop)
  out(paste0("bfi_n.edu", e, ".alpha_if_dropped"), a$alpha.drop$raw_alpha)
}

# 3. Scale scores: first 300 rows of bfi; "content" = A2-A5, "facilitator" = C1-C4
#    (1-6 scale, top-two-box = 5 or 6); participant score = mean of answered items;
#    t interval over participants, by gender.
b <- psych::bfi[1:300, ]
dims <- list(content = c("A2", "A3", "A4", "A5"), facilitator = c("C1", "C2", "C3", "C4"))
for (s in sort(unique(b$gender))) {
  for (d in names(dims)) {
    x <- as.matrix(b[b$gender == s, dims[[d]]])
    ps <- rowMeans(x, na.rm = TRUE)
    ps <- ps[!is.nan(ps)]
    tt <- t.test(ps)                                     # t.test(rowMeans(items, na.rm = TRUE))
    key <- paste0("scale.g", s, ".", d)
    out(paste0(key, ".n"), length(ps))
    out(paste0(key, ".n_responses"), sum(!is.na(x)))
    out(paste0(key, ".mean"), mean(ps))
    out(paste0(key, ".sd"), sd(ps))
    out(paste0(key, ".ci_low"), tt$conf.int[1])
    out(paste0(key, ".ci_high"), tt$conf.int[2])
    out(paste0(key, ".pct_top_box"), 100 * mean(x >= 5, na.rm = TRUE))
  }
}

# ---------------------------------------------------------------------------------
# 4. Paired change: MASS::anorexia (weight before/after treatment, lbs), all and by Treat.
write.csv(MASS::anorexia, "level12_anorexia.csv", row.names = FALSE)
hedges_j <- function(m) exp(lgamma(m / 2) - log(sqrt(m / 2)) - lgamma((m - 1) / 2))
ncp_ci <- function(t, df, level = 0.95) {      # exact noncentral-t limits by inversion
  lo <- uniroot(function(l) pt(t, df, ncp = l) - (1 + level) / 2,
                c(t - 20, t + 20), tol = 1e-13)$root
  hi <- uniroot(function(l) pt(t, df, ncp = l) - (1 - level) / 2,
                c(t - 20, t + 20), tol = 1e-13)$root
  c(lo, hi)
}
paired <- function(key, pre, post, max_score = NA) {
  tt <- t.test(post, pre, paired = TRUE)                 # t.test(post, pre, paired = TRUE)
  wt <- suppressWarnings(wilcox.test(post, pre, paired = TRUE, exact = FALSE, correct = FALSE))
  d <- post - pre; n <- length(d)
  s_av <- sqrt((var(pre) + var(post)) / 2)
  j <- hedges_j(n - 1)
  lam <- ncp_ci(unname(tt$statistic), n - 1)
  out(paste0(key, ".n"), n)
  out(paste0(key, ".mean_diff"), mean(d))
  out(paste0(key, ".sd_diff"), sd(d))
  out(paste0(key, ".t"), tt$statistic)
  out(paste0(key, ".df"), tt$parameter)
  out(paste0(key, ".p"), tt$p.value)
  out(paste0(key, ".ci_low"), tt$conf.int[1])
  out(paste0(key, ".ci_high"), tt$conf.int[2])
  out(paste0(key, ".d_z"), mean(d) / sd(d))
  out(paste0(key, ".d_av"), mean(d) / s_av)
  out(paste0(key, ".hedges_g"), j * mean(d) / s_av)
  out(paste0(key, ".hedges_g_ci_low"), j * lam[1] * sd(d) / (sqrt(n) * s_av))
  out(paste0(key, ".hedges_g_ci_high"), j * lam[2] * sd(d) / (sqrt(n) * s_av))
  # wilcox.test(post, pre, paired = TRUE, exact = FALSE, correct = FALSE)
  out(paste0(key, ".wilcoxon_w"), wt$statistic)
  out(paste0(key, ".wilcoxon_p"), wt$p.value)
  if (!is.na(max_score)) {
    out(paste0(key, ".hake_g"), (mean(post) - mean(pre)) / (max_score - mean(pre)))
    room <- pre < max_score
    out(paste0(key, ".hake_g_mean"), mean((d / (max_score - pre))[room]))
  }
}
an <- MASS::anorexia
paired("anorexia", an$Prewt, an$Postwt)
for (g in levels(an$Treat)) {
  paired(paste0("anorexia.", g), an$Prewt[an$Treat == g], an$Postwt[an$Treat == g])
}
# sleep (datasets): drug 1 as "pre", drug 2 as "post"
paired("sleep", sleep$extra[1:10], sleep$extra[11:20])

# A small test-score table typed in here: integer scores 0-100 with ties and zero
# differences (exercises the Wilcoxon tie and zero corrections), two cohorts.
scores <- data.frame(
  cohort_id = rep(c("K1", "K2"), each = 12),
  pre  = c(40, 55, 60, 60, 70, 45, 50, 65, 80, 100, 35, 60,
           50, 50, 65, 70, 40, 55, 90, 75, 60, 45, 85, 70),
  post = c(60, 70, 60, 75, 85, 65, 50, 80, 90, 100, 55, 75,
           65, 60, 65, 85, 60, 70, 95, 80, 75, 60, 85, 80))
write.csv(scores, "level12_scores.csv", row.names = FALSE)
paired("scores", scores$pre, scores$post, max_score = 100)
for (g in c("K1", "K2")) {
  s <- scores[scores$cohort_id == g, ]
  paired(paste0("scores.", g), s$pre, s$post, max_score = 100)
}
out("scores.gain", (scores$post - scores$pre) / (100 - scores$pre))  # NaN where pre = 100

# Pass rate, Wilson interval: prop.test(x, n, correct = FALSE)
for (g in c("all", "K1", "K2")) {
  s <- if (g == "all") scores else scores[scores$cohort_id == g, ]
  x <- sum(s$post >= 70); n <- nrow(s)
  pt_ <- prop.test(x, n, correct = FALSE)                # prop.test(sum(post >= 70), n, correct = FALSE)
  out(paste0("pass.", g, ".n_pass"), x)
  out(paste0("pass.", g, ".ci_low"), pt_$conf.int[1])
  out(paste0("pass.", g, ".ci_high"), pt_$conf.int[2])
}

# ANCOVA: car::Anova(lm(Postwt ~ Prewt + Treat, data = anorexia), type = 2)
av <- car::Anova(lm(Postwt ~ Prewt + Treat, data = an), type = 2)
out("ancova.ss", av[["Sum Sq"]])                         # Prewt, Treat, Residuals
out("ancova.df", av[["Df"]])
out("ancova.f", av[["F value"]][1:2])
out("ancova.p", av[["Pr(>F)"]][1:2])

# ---------------------------------------------------------------------------------
# 5. Test item analysis: psych::lsat6 (LSAT section 6, 1000 examinees x 5 items, 0/1).
X <- as.data.frame(psych::lsat6)
write.csv(X, "level12_lsat6.csv", row.names = FALSE)
total <- rowSums(X)
out("lsat6.difficulty", colMeans(X))                     # colMeans(lsat6)
out("lsat6.point_biserial", sapply(X, function(x) cor(x, total)))  # cor(item, rowSums)
a <- psych::alpha(X)
out("lsat6.kr20", a$total$raw_alpha)                     # psych::alpha(lsat6)$total$raw_alpha
out("lsat6.r_drop", a$item.stats$r.drop)
out("lsat6.kr20_if_dropped", a$alpha.drop$raw_alpha)
m <- max(1, floor(0.27 * nrow(X) + 0.5))                 # upper/lower 27%, ties at the cut included
low_cut <- sort(total)[m]; high_cut <- sort(total, decreasing = TRUE)[m]
out("lsat6.p_upper", colMeans(X[total >= high_cut, ]))
out("lsat6.p_lower", colMeans(X[total <= low_cut, ]))

# ---------------------------------------------------------------------------------
# 6. Two groups, Welch: t.test(extra ~ group, data = sleep) and InsectSprays C vs D.
welch <- function(key, x, y) {
  tt <- t.test(x, y)                                     # t.test(x, y) (Welch)
  nx <- length(x); ny <- length(y)
  sp <- sqrt(((nx - 1) * var(x) + (ny - 1) * var(y)) / (nx + ny - 2))
  d <- (mean(x) - mean(y)) / sp
  out(paste0(key, ".t"), tt$statistic)
  out(paste0(key, ".df"), tt$parameter)
  out(paste0(key, ".p"), tt$p.value)
  out(paste0(key, ".ci_low"), tt$conf.int[1])
  out(paste0(key, ".ci_high"), tt$conf.int[2])
  out(paste0(key, ".cohen_d"), d)
  out(paste0(key, ".hedges_g"), hedges_j(nx + ny - 2) * d)
}
welch("sleep_welch", sleep$extra[sleep$group == 1], sleep$extra[sleep$group == 2])
welch("insect_cd", InsectSprays$count[InsectSprays$spray == "C"],
      InsectSprays$count[InsectSprays$spray == "D"])

# 7. Several groups: PlantGrowth (weight ~ group) and InsectSprays (count ~ spray).
write.csv(PlantGrowth, "level12_plantgrowth.csv", row.names = FALSE)
write.csv(InsectSprays, "level12_insectsprays.csv", row.names = FALSE)
omnibus <- function(key, formula, data) {
  fit <- aov(formula, data = data)
  s <- summary(fit)[[1]]                                 # summary(aov(formula, data))
  out(paste0(key, ".anova.stat"), s[["F value"]][1])
  out(paste0(key, ".anova.df"), s[["Df"]])
  out(paste0(key, ".anova.p"), s[["Pr(>F)"]][1])
  out(paste0(key, ".anova.eta_sq"), s[["Sum Sq"]][1] / sum(s[["Sum Sq"]]))
  w <- oneway.test(formula, data = data)                 # oneway.test(formula, data)
  out(paste0(key, ".welch.stat"), w$statistic)
  out(paste0(key, ".welch.df"), w$parameter)
  out(paste0(key, ".welch.p"), w$p.value)
  k <- kruskal.test(formula, data = data)                # kruskal.test(formula, data)
  out(paste0(key, ".kruskal.stat"), k$statistic)
  out(paste0(key, ".kruskal.p"), k$p.value)
  # Tukey HSD: TukeyHSD(aov(formula, data)); its interval uses qtukey (about 4 digits),
  # so the limits are recomputed with uniroot on ptukey.
  tk <- TukeyHSD(fit)[[1]]
  out(paste0(key, ".tukey.diff"), tk[, "diff"])          # level_b - level_a, R's order
  out(paste0(key, ".tukey.p"), tk[, "p adj"])
  y <- model.response(model.frame(formula, data)); grp <- model.frame(formula, data)[[2]]
  ng <- nlevels(grp); dfw <- length(y) - ng; mse <- sum(residuals(fit)^2) / dfw
  q95 <- uniroot(function(q) ptukey(q, ng, dfw) - 0.95, c(1, 10), tol = 1e-13)$root
  n <- table(grp); pairs <- combn(levels(grp), 2)
  se <- sqrt(mse / 2 * (1 / n[pairs[1, ]] + 1 / n[pairs[2, ]]))
  out(paste0(key, ".tukey.lwr"), tk[, "diff"] - q95 * se)
  out(paste0(key, ".tukey.upr"), tk[, "diff"] + q95 * se)
  # Games-Howell, by its formula with ptukey (no base-R function).
  m <- tapply(y, grp, mean); v <- tapply(y, grp, var)
  for (i in seq_len(ncol(pairs))) {
    a_ <- pairs[1, i]; b_ <- pairs[2, i]
    va <- v[a_] / n[a_]; vb <- v[b_] / n[b_]
    se <- sqrt(va + vb); df <- (va + vb)^2 / (va^2 / (n[a_] - 1) + vb^2 / (n[b_] - 1))
    t <- (m[a_] - m[b_]) / se
    q <- uniroot(function(q) ptukey(q, ng, df) - 0.95, c(1, 20), tol = 1e-13)$root
    gk <- paste0(key, ".gh.", a_, "_", b_)
    out(paste0(gk, ".t"), t)
    out(paste0(gk, ".df"), df)
    out(paste0(gk, ".p"), ptukey(abs(t) * sqrt(2), ng, df, lower.tail = FALSE))
    out(paste0(gk, ".ci_low"), m[a_] - m[b_] - q / sqrt(2) * se)
    out(paste0(gk, ".ci_high"), m[a_] - m[b_] + q / sqrt(2) * se)
  }
}
omnibus("plant", weight ~ group, PlantGrowth)
omnibus("insect", count ~ spray, InsectSprays)
