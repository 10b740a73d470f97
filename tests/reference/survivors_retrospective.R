# Reference values for tests/test_survivors_retrospective.py (ptia_summary by group).
# Run: Rscript tests/reference/survivors_retrospective.R  (base R only)
options(digits = 15)
a <- t.test(c(10, 20, 30))  # group "a"
b <- t.test(c(40, 60, 65))  # group "b" (the text "n/a" is missing)
print(c(a$estimate, a$conf.int, a$p.value))
print(c(b$estimate, b$conf.int, b$p.value))
