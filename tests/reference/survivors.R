# Reference values for the tests that kill mutation-testing survivors
# (tests/test_survivors_*.py, see mutation/README.md).
#
# Run from this folder:  Rscript survivors.R > survivors_output.txt
# It uses R's own data sets (attitude) and small tables typed in below, and prints
# every reference value as "key = value" with 15 significant digits. The tests quote
# these numbers as literals, each with the R call that produced it.
#
# R 4.2.2; psych 2.2.9 (Debian packages).

suppressMessages(library(psych))

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

# --- 1. reaction: uncorrected item-total r of psych::alpha (item.stats$raw.r) ------------
a <- psych::alpha(attitude)
out("attitude.raw_r", a$item.stats$raw.r)   # psych::alpha(attitude)$item.stats$raw.r

# --- 2. results: Wilson interval of a unit where one person has exactly 20 JP ------------
# 3 staff: 20 JP (compliant), 24 JP (compliant), 19.5 JP (not) -> 2 of 3
out("jp.two_of_three.ci", prop.test(2, 3, correct = FALSE)$conf.int)
# the mutant that makes 20 JP non-compliant would give 1 of 3
out("jp.one_of_three.ci", prop.test(1, 3, correct = FALSE)$conf.int)

# --- 3. learning: ANCOVA table rows a report shows (ms, partial eta^2 of the covariate) ----
suppressMessages(library(car))
an <- MASS::anorexia
av <- car::Anova(lm(Postwt ~ Prewt + Treat, data = an), type = 2)
out("ancova.ms", av[["Sum Sq"]] / av[["Df"]])   # Prewt, Treat, Residuals: Sum Sq / Df
ss_res <- av[["Sum Sq"]][3]
out("ancova.partial_eta", av[["Sum Sq"]][1:2] / (av[["Sum Sq"]][1:2] + ss_res))
# the smallest table: 2 groups, 4 rows, 1 residual df
tiny <- data.frame(pre = c(50, 60, 55, 70), post = c(58, 66, 64, 75),
                   delivery = c("a", "a", "b", "b"))
write.csv(tiny, "survivors_ancova_tiny.csv", row.names = FALSE)
tv <- car::Anova(lm(post ~ pre + delivery, data = tiny), type = 2)
out("ancova_tiny.ss", tv[["Sum Sq"]])
out("ancova_tiny.df", tv[["Df"]])
out("ancova_tiny.f", tv[["F value"]][1:2])
out("ancova_tiny.p", tv[["Pr(>F)"]][1:2])

# --- 4. knowledge_test: the intervals at a level other than the default 0.95 -------------
# the wide 0/1 matrix of test_item_analysis's docstring example, 8 examinees x 3 items
kt <- data.frame(i1 = c(1, 1, 1, 0, 1, 0, 1, 1), i2 = c(1, 1, 0, 0, 1, 0, 0, 1),
                 i3 = c(1, 0, 1, 0, 0, 0, 1, 1))
total <- rowSums(kt)
out("kt90.pb_ci.i1", cor.test(kt$i1, total, conf.level = 0.90)$conf.int)
out("kt90.rdrop_ci.i1", cor.test(kt$i1, total - kt$i1, conf.level = 0.90)$conf.int)
a_kt <- suppressWarnings(psych::alpha(kt))
out("kt.kr20", a_kt$total$raw_alpha)
ci_kt <- psych::alpha.ci(a_kt$total$raw_alpha, n.obs = 8, n.var = 3, p.val = 0.10)
out("kt90.kr20_ci", c(ci_kt$lower.ci, ci_kt$upper.ci))   # Feldt, 90 %
