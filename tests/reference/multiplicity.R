# Reference values for evalkit.metrics.multiplicity.adjust_p (R 4.2.2, stats::p.adjust).
# Run from this folder:  Rscript multiplicity.R > multiplicity_output.txt
# Line 1: Holm, line 2: BH, on p; lines 3-4: the same with a missing p-value
# (R leaves it out of the family: n counts the non-missing p-values).
p <- c(0.01, 0.04, 0.03, 0.005, 0.20, 0.50, 0.002, 0.049)
cat(sprintf("%.15g", p.adjust(p, "holm")), "\n")
cat(sprintf("%.15g", p.adjust(p, "BH")), "\n")
p2 <- c(0.01, NA, 0.03, 0.8)
cat(sprintf("%.15g", p.adjust(p2, "holm")), "\n")
cat(sprintf("%.15g", p.adjust(p2, "BH")), "\n")
