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
