# Reference values for tests/test_survivors_multiplicity.py (mutation-testing survivors of
# evalkit.metrics.multiplicity, see mutation/README.md).
#
# Run from this folder:  Rscript survivors_multiplicity.R > survivors_multiplicity_output.txt
# Prints every value as "key = value" with 15 significant digits. R 4.2.2, stats::p.adjust.

out <- function(key, value) {
  for (i in seq_along(value)) cat(paste0(key, "[", i, "]"), "=", sprintf("%.15g", value[[i]]), "\n")
}

# p-values at the ends of [0, 1]: both are p-values.
ends <- c(0, 0.5, 1, 0.02)
out("holm_ends", p.adjust(ends, "holm"))
out("bh_ends", p.adjust(ends, "BH"))

# A 2 x 2 table of p-values, read row by row (0.01, 0.04 / 0.03, 0.5).
table <- c(0.01, 0.04, 0.03, 0.5)
out("holm_table", p.adjust(table, "holm"))
out("bh_table", p.adjust(table, "BH"))
