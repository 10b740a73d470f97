# Reference values for the training-needs analysis and the budget planner (evalkit
# metrics needs.py: group_means, behavior_needs, relevance_needs; planner.py:
# program_effects, budget_plan).
#
# Run from this folder:  Rscript planner.R > planner_output.txt
# It draws a small synthetic study with a fixed seed and writes it as planner_cohorts.csv
# (cohort, program, jp), planner_people.csv (participant: cohort, unit, position type,
# pre, post, max_score), planner_costs.csv (cohort x category), planner_followup.csv
# (participant x rater x item, 1-5 answers, 3 months) and planner_reaction.csv
# (participant x item; relevance and content items, 1-5 in some cohorts, 1-4 in others),
# then prints every reference value as "key = value" with 15 significant digits. The tests
# (tests/test_needs.py, tests/test_planner.py) quote these numbers as literals, each with
# the R call that produced it.
#
# Cluster-robust variances are sandwich::vcovCL(fit, cluster = ~cohort_id) with its
# defaults (type "HC1", cadjust = TRUE: the CR1 factor G/(G-1) x (N-1)/(N-K)), tested on
# G - 1 degrees of freedom (lmtest::coeftest(..., df = G - 1)); a group inside a single
# cohort gets the one-sample t interval (t.test). The MDE is power.t.test(type =
# "paired", strict = TRUE, tol = 1e-12) (the default tol, 1e-4, is too coarse to quote).
#
# R 4.2.2; sandwich 3.0-2; lmtest (Debian packages).

suppressMessages({
  library(sandwich)
  library(lmtest)
})

out <- function(key, value) {
  for (i in seq_along(value)) {
    k <- if (length(value) > 1) paste0(key, "[", i, "]") else key
    cat(k, "=", sprintf("%.15g", value[[i]]), "\n")
  }
}

# ---------------------------------------------------------------------------------
# The synthetic study: programs A (3 cohorts), B (2 cohorts), C (1 cohort).
set.seed(20261202)
cohorts <- data.frame(
  cohort_id = c("A1", "A2", "A3", "B1", "B2", "C1"),
  program_id = c("A", "A", "A", "B", "B", "C"),
  jp = c(24, 24, 24, 40, 40, 16),
  stringsAsFactors = FALSE
)
write.csv(cohorts, "planner_cohorts.csv", row.names = FALSE)
sizes <- c(A1 = 18, A2 = 22, A3 = 15, B1 = 20, B2 = 16, C1 = 14)
units <- c("U1", "U2", "U3", "U4")
people <- do.call(rbind, lapply(names(sizes), function(cid) {
  n <- sizes[[cid]]
  unit <- sample(units, n, replace = TRUE)
  if (cid == "C1") unit[1:6] <- "U5"   # U5: a unit trained in one cohort only
  if (cid == "A1") unit[1:3] <- "U6"   # U6: three people, under the 5-person rule
  pos <- sample(c("struktural", "fungsional", "pelaksana"), n, replace = TRUE)
  prog <- cohorts$program_id[cohorts$cohort_id == cid]
  pre <- round(rnorm(n, 55, 10))
  gain <- c(A = 8, B = 5, C = 12)[[prog]] + rnorm(1, 0, 2) + rnorm(n, 0, 7)
  data.frame(cohort_id = cid, participant_id = sprintf("%s-p%02d", cid, 1:n), unit = unit,
             position_type = pos, pre = pre, post = pmin(100, round(pre + gain)),
             max_score = 100, stringsAsFactors = FALSE)
}))
write.csv(people, "planner_people.csv", row.names = FALSE)
people$gain <- people$post - people$pre

costs <- do.call(rbind, lapply(cohorts$cohort_id, function(cid) {
  n <- sizes[[cid]]
  base <- c(A = 2.5e6, B = 4e6, C = 1.5e6)[[cohorts$program_id[cohorts$cohort_id == cid]]]
  data.frame(cohort_id = cid, category = c("honor_narasumber", "konsumsi", "waktu_peserta"),
             amount_idr = round(c(0.4, 0.2, 0.4) * base * n * runif(3, 0.8, 1.2), -3),
             stringsAsFactors = FALSE)
}))
write.csv(costs, "planner_costs.csv", row.names = FALSE)

# Supervisor and self ratings of 3 behaviours (1-5), at 3 months; b2 is lowest, and
# worst in U2; about 10% of the supervisors do not answer.
items <- c("b1", "b2", "b3")
shift <- c(b1 = 0.3, b2 = -0.5, b3 = 0)
fu <- list()
for (i in seq_len(nrow(people))) {
  p <- people[i, ]
  level <- 3.3 + 0.3 * rnorm(1) + ifelse(p$unit == "U2", -0.4, 0)
  for (rater in c("self", "supervisor")) {
    if (rater == "supervisor" && runif(1) < 0.1) next
    s <- pmin(5, pmax(1, round(level + shift + (rater == "self") * 0.4 + rnorm(3, 0, 0.7))))
    fu[[length(fu) + 1]] <- data.frame(cohort_id = p$cohort_id, participant_id = p$participant_id,
                                       rater = rater, months_after = 3, item = items, score = s,
                                       scale_max = 5, stringsAsFactors = FALSE)
  }
}
fu <- do.call(rbind, fu)
write.csv(fu, "planner_followup.csv", row.names = FALSE)

# Reaction: 2 relevance and 1 content item; cohorts B1, B2 answer on 1-4, the rest on 1-5.
re <- list()
for (i in seq_len(nrow(people))) {
  p <- people[i, ]
  top <- if (p$cohort_id %in% c("B1", "B2")) 4 else 5
  lat <- 0.65 + 0.1 * rnorm(1) + ifelse(p$position_type == "pelaksana", -0.1, 0)
  s <- pmin(top, pmax(1, round(1 + (top - 1) * (lat + rnorm(3, 0, 0.12)))))
  re[[i]] <- data.frame(cohort_id = p$cohort_id, participant_id = p$participant_id,
                        item = c("relevance_1", "relevance_2", "content_1"),
                        dimension = c("relevance", "relevance", "content"), score = s,
                        scale_max = top, stringsAsFactors = FALSE)
}
re <- do.call(rbind, re)
write.csv(re, "planner_reaction.csv", row.names = FALSE)
out("n_people", nrow(people))
out("n_followup_rows", nrow(fu))

# ---------------------------------------------------------------------------------
# One group's mean: CR1 by cohort on G - 1 df where the group spans >1 cohort, else t.
group_ci <- function(y, cl) {
  G <- length(unique(cl))
  if (G > 1) {
    d <- data.frame(y = y, cl = cl)
    fit <- lm(y ~ 1, data = d)
    ct <- coeftest(fit, vcov. = vcovCL(fit, cluster = ~cl), df = G - 1)
    ci <- confint(ct)
    c(mean = unname(coef(fit)), se = unname(ct[1, 2]), lo = unname(ci[1, 1]),
      hi = unname(ci[1, 2]), G = G, n = length(y))
  } else {
    tt <- t.test(y)
    c(mean = unname(tt$estimate), se = unname(tt$stderr), lo = unname(tt$conf.int[1]),
      hi = unname(tt$conf.int[2]), G = 1, n = length(y))
  }
}
put <- function(prefix, r) {
  out(paste0(prefix, ".n"), r[["n"]])
  out(paste0(prefix, ".n_clusters"), r[["G"]])
  out(paste0(prefix, ".mean"), r[["mean"]])
  out(paste0(prefix, ".se"), r[["se"]])
  out(paste0(prefix, ".ci"), c(r[["lo"]], r[["hi"]]))
}

# Supervisor ratings per item, POMP (score - 1) / 4 x 100, by unit and by position type
sup <- merge(fu[fu$rater == "supervisor", ], people[, c("cohort_id", "participant_id", "unit",
                                                        "position_type")])
sup$pomp <- (sup$score - 1) / (sup$scale_max - 1) * 100
for (char in c("unit", "position_type")) {
  for (g in sort(unique(sup[[char]]))) {
    for (it in items) {
      d <- sup[sup[[char]] == g & sup$item == it, ]
      if (nrow(d) < 2 || sd(d$pomp) == 0) next  # t.test needs variation
      put(sprintf("behavior.%s.%s.%s", char, g, it), group_ci(d$pomp, d$cohort_id))
    }
  }
}
# every item pooled (the reference for a group's gap)
for (it in items) {
  d <- sup[sup$item == it, ]
  put(sprintf("behavior.all.%s", it), group_ci(d$pomp, d$cohort_id))
}

# Relevance: each person's mean of the POMP of their relevance answers
rel <- re[re$dimension == "relevance", ]
rel$pomp <- (rel$score - 1) / (rel$scale_max - 1) * 100
rp <- aggregate(pomp ~ cohort_id + participant_id, data = rel, FUN = mean)
rp <- merge(rp, people[, c("cohort_id", "participant_id", "unit", "position_type")])
for (char in c("unit", "position_type")) {
  for (g in sort(unique(rp[[char]]))) {
    d <- rp[rp[[char]] == g, ]
    put(sprintf("relevance.%s.%s", char, g), group_ci(d$pomp, d$cohort_id))
  }
}

# ---------------------------------------------------------------------------------
# Program effects: mean gain (CR1 by cohort, or paired t for one cohort), d_z with the
# interval of the mean scaled by 1 / sd(gain), the POMP gain (gain / max x 100).
dz <- list()
for (prog in c("A", "B", "C")) {
  d <- people[people$cohort_id %in% cohorts$cohort_id[cohorts$program_id == prog], ]
  r <- group_ci(d$gain, d$cohort_id)
  if (r[["G"]] == 1) {  # the paired t of t.test(post, pre, paired = TRUE)
    tt <- t.test(d$post, d$pre, paired = TRUE)
    stopifnot(abs(tt$conf.int[1] - r[["lo"]]) < 1e-12)
  }
  put(sprintf("effect.%s", prog), r)
  s <- sd(d$gain)
  out(sprintf("effect.%s.sd_diff", prog), s)
  out(sprintf("effect.%s.d_z", prog), r[["mean"]] / s)
  out(sprintf("effect.%s.d_z_ci", prog), c(r[["lo"]], r[["hi"]]) / s)
  dz[[prog]] <- c(r[["mean"]], r[["lo"]], r[["hi"]]) / s
}

# Costs: cost per participant per cohort and per program (ratio of totals), range
tot <- aggregate(amount_idr ~ cohort_id, data = costs, FUN = sum)
tot$n <- sizes[tot$cohort_id]
tot$cpp <- tot$amount_idr / tot$n
tot <- merge(tot, cohorts)
budget <- 250e6
for (prog in c("A", "B", "C")) {
  d <- tot[tot$program_id == prog, ]
  cpp <- sum(d$amount_idr) / sum(d$n)
  out(sprintf("cost.%s.cost_per_participant", prog), cpp)
  out(sprintf("cost.%s.range", prog), range(d$cpp))
  out(sprintf("cost.%s.median_cohort_size", prog), median(d$n))
  n_buy <- floor(budget / cpp)
  out(sprintf("plan.%s.n_participants", prog), n_buy)
  out(sprintf("plan.%s.n_participants_range", prog), floor(budget / rev(range(d$cpp))))
  out(sprintf("plan.%s.n_cohorts", prog), floor(budget / (cpp * median(d$n))))
  # MDE of a paired study of that many participants (d_z units)
  mde <- power.t.test(n = n_buy, sd = 1, sig.level = 0.05, power = 0.8, type = "paired",
                      strict = TRUE, tol = 1e-12)$delta
  out(sprintf("plan.%s.mde_d_z", prog), mde)
  # d_z per million rupiah per participant: the effect's CI divided by the cost range
  # (interval arithmetic: [lo, hi] / [cmin, cmax], costs > 0)
  e <- dz[[prog]]
  cr <- range(d$cpp)
  out(sprintf("plan.%s.d_z_per_million", prog), e[1] / cpp * 1e6)
  out(sprintf("plan.%s.d_z_per_million_ci", prog),
      c(min(e[2] / cr), max(e[3] / cr)) * 1e6)
}
# MDE at fixed n, for the power function itself
for (n in c(10, 34, 57)) {
  out(sprintf("mde.n%d", n), power.t.test(n = n, sd = 1, sig.level = 0.05, power = 0.8,
                                           type = "paired", strict = TRUE, tol = 1e-12)$delta)
}

# ---------------------------------------------------------------------------------
# The Level 3 outcome the planner can plan on instead of the gain: each program's mean
# transfer index at follow-up (POMP 0-100: per rater the mean of (score - 1) / (max - 1)
# x 100 over the items, per person the mean over the raters who rated), with the same
# inference as the gain (CR1 by cohort on G - 1 df, or t.test for one cohort). The MDE of a
# follow-up of the participants the budget buys is a one-sample t test of the alumni's mean
# index, power.t.test(type = "one.sample"): in SDs the same number as the paired MDE above
# (a paired test is a one-sample test of the differences), times sd(index) in index points.
fu$pomp <- (fu$score - 1) / (fu$scale_max - 1) * 100
per_rater <- aggregate(pomp ~ cohort_id + participant_id + rater, data = fu, FUN = mean)
per_person <- aggregate(pomp ~ cohort_id + participant_id, data = per_rater, FUN = mean)
per_person <- merge(per_person, cohorts[, c("cohort_id", "program_id")])
for (prog in c("A", "B", "C")) {
  d <- per_person[per_person$program_id == prog, ]
  r <- group_ci(d$pomp, d$cohort_id)
  put(sprintf("transfer.%s", prog), r)
  s <- sd(d$pomp)
  out(sprintf("transfer.%s.sd", prog), s)
  k <- tot[tot$program_id == prog, ]
  cpp <- sum(k$amount_idr) / sum(k$n)
  cr <- range(k$cpp)
  n_buy <- floor(budget / cpp)
  mde <- power.t.test(n = n_buy, sd = 1, sig.level = 0.05, power = 0.8, type = "one.sample",
                      strict = TRUE, tol = 1e-12)$delta
  out(sprintf("plan_transfer.%s.mde_d", prog), mde)
  out(sprintf("plan_transfer.%s.mde_points", prog), mde * s)
  out(sprintf("plan_transfer.%s.per_million", prog), r[["mean"]] / cpp * 1e6)
  out(sprintf("plan_transfer.%s.per_million_ci", prog),
      c(min(r[["lo"]] / cr), max(r[["hi"]] / cr)) * 1e6)
}
