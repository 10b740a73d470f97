# Reference values for tests/test_survivors_power.py (mutation-testing survivors of
# evalkit.metrics.power, see mutation/README.md).
#
# Run from this folder:  Rscript survivors_power.R > survivors_power_output.txt
# Prints every value as "key = value" with 15 significant digits.
#
# stats::power.t.test(..., sd = 1, strict = TRUE, tol = 1e-13): its power is
# pt(qt(a, df, lower = FALSE), df, ncp, lower = FALSE) (+ the lower tail when two-sided,
# a = sig.level / 2), df = n - 1 and ncp = sqrt(n) delta (paired), df = 2 (n - 1) and
# ncp = sqrt(n / 2) delta (two-sample); R 4.2.2, base stats only (pwr is not installed).

out <- function(key, value) cat(key, "=", sprintf("%.15g", value), "\n")
tt <- function(...) power.t.test(..., sd = 1, strict = TRUE, tol = 1e-13)

# One-sided tests: qt(1 - alpha, df), no lower tail.
out("n_paired_one_sided", tt(delta = .5, power = .8, type = "paired", alternative = "one.sided")$n)
out("n_two_one_sided_a10", tt(delta = .4, sig.level = .1, power = .9, type = "two.sample",
                              alternative = "one.sided")$n)
out("mde_paired_one_sided", tt(n = 30, power = .8, type = "paired", alternative = "one.sided")$delta)
out("mde_two_one_sided", tt(n = 20, sig.level = .1, power = .7, type = "two.sample",
                            alternative = "one.sided")$delta)

# A power just above alpha: the lower rejection tail is a large part of the power.
out("mde_paired_low_power", tt(n = 10, power = .06, type = "paired")$delta)
out("mde_two_low_power", tt(n = 10, power = .06, type = "two.sample")$delta)
out("n_paired_low_power", tt(delta = .1, power = .1, type = "paired")$n)
out("n_two_low_power", tt(delta = .1, power = .1, type = "two.sample")$n)

# The smallest sample: 2 pairs (df 1) or 2 per group (df 2).
out("mde_paired_n2", tt(n = 2, power = .8, type = "paired")$delta)
out("mde_two_n2", tt(n = 2, power = .8, type = "two.sample")$delta)
out("mde_paired_n2_a20", tt(n = 2, sig.level = .2, power = .3, type = "paired")$delta)

# required_n where the search passes 2 pairs (two-sided paired needs more than 2, two-sample
# or one-sided would not) and where it passes 4 pairs (at alpha .01).
out("n_paired_d8", tt(delta = 8, power = .8, type = "paired")$n)
out("n_paired_d3.5_a01", tt(delta = 3.5, sig.level = .01, power = .8, type = "paired")$n)
