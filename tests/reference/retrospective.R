# Reference values for the retrospective (then-test) follow-up and the long-term waves
# (evalkit metrics retrospective.py: ptia_scores, ptia_summary, retrospective_change,
# rater_gap, response_shift; waves.py: persistence_curve, attrition_by_wave,
# long_term_evidence).
#
# Run from this folder:  Rscript retrospective.R > retrospective_output.txt
# It draws a small synthetic study with a fixed seed and writes it as
# retrospective_retro.csv (participant x rater x item: before and now, 1-4, at 3 months),
# retrospective_followup.csv (participant x rater x item x wave, 1-5; wave 0 a
# prospective self rating before training, waves 3, 6, 12), retrospective_learning.csv
# (pre, post) and retrospective_cohorts.csv (cohort -> program), then prints every
# reference value as "key = value" with 15 significant digits. The tests quote these
# numbers as literals, each with the R call that produced it.
#
# PTIA's score is re-implemented here from the app's source (github msramdan/ptia,
# RespondenKuesionerController::store, KonversiSeeder, BobotAspekSeeder), in base R:
# per rater and aspect the mean change, rounded half away from zero (PHP's round), is
# looked up in the aspect's conversion table, times the weight / 100, rounded to 2
# decimals; a rater's level 3 score is the sum over level 3 aspects; the alumnus's is
# self + supervisor, capped at 100.
#
# Cluster-robust variances are sandwich::vcovCL(fit, cluster = ~cohort_id) with its
# defaults (HC1, cadjust); tests use G - 1 degrees of freedom.
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

set.seed(20261202)
cohort_ids <- sprintf("C%02d", 1:6)
programs <- c("P1", "P1", "P1", "P2", "P2", "P3")
cohorts <- data.frame(cohort_id = cohort_ids, program_id = programs)
write.csv(cohorts, "retrospective_cohorts.csv", row.names = FALSE)
sizes <- sample(8:14, 6, replace = TRUE)

aspects <- data.frame(
  aspect = c("motivasi", "kepercayaan_diri", "berbagi_ilmu", "implementasi", "hasil"),
  level = c(3, 3, 3, 3, 4),
  criterion = c("delta", "delta", "perception", "delta", "delta"),
  w_self = c(8.94, 10.48, 7.62, 24.41, 37.95),
  w_supervisor = c(8.44, 9.89, 7.18, 23.04, 35.82),
  stringsAsFactors = FALSE
)
items <- data.frame(item = paste0("b", 1:10), aspect = rep(aspects$aspect, each = 2),
                    stringsAsFactors = FALSE)
clip <- function(x, lo, hi) pmin(hi, pmax(lo, round(x)))

people <- do.call(rbind, lapply(1:6, function(k) {
  n <- sizes[k]
  data.frame(cohort_id = cohort_ids[k],
             participant_id = sprintf("%s-p%02d", cohort_ids[k], 1:n),
             latent = rnorm(n, 0, 0.5), pre = round(rnorm(n, 55, 10)),
             stringsAsFactors = FALSE)
}))
people$post <- pmin(100, people$pre + round(rnorm(nrow(people), 10, 6)))
write.csv(people[, c("cohort_id", "participant_id", "pre", "post")],
          "retrospective_learning.csv", row.names = FALSE)

# retrospective export at 3 months: self always, supervisor with probability .8
retro <- list()
for (i in seq_len(nrow(people))) {
  p <- people[i, ]
  for (rater in c("self", "supervisor")) {
    if (rater == "supervisor" && runif(1) > 0.8) next
    shift <- if (rater == "supervisor") -0.3 else 0
    before <- clip(2.0 + p$latent + shift + rnorm(10, 0, 0.7), 1, 4)
    now <- clip(3.0 + p$latent + shift + rnorm(10, 0, 0.7), 1, 4)
    retro[[length(retro) + 1]] <- data.frame(
      cohort_id = p$cohort_id, participant_id = p$participant_id, rater = rater,
      months_after = 3, aspect = items$aspect, item = items$item,
      rating_before = before, rating_now = now, stringsAsFactors = FALSE)
  }
}
retro <- do.call(rbind, retro)
retro$rating_now[c(5, 37)] <- NA  # half pairs: left out of every change
write.csv(retro, "retrospective_retro.csv", row.names = FALSE, na = "")
out("n_retro_rows", nrow(retro))

# prospective follow-up: wave 0 (self, before training), 3 (all), 6 (C01-C04), 12 (C01-C03, C06)
fu <- list()
for (i in seq_len(nrow(people))) {
  p <- people[i, ]
  k <- as.integer(substr(p$cohort_id, 2, 3))
  for (wave in c(0, 3, 6, 12)) {
    if (wave == 6 && k > 4) next
    if (wave == 12 && k %in% c(4, 5)) next
    prob <- c(`0` = 0.95, `3` = 0.9, `6` = 0.8, `12` = 0.7)[as.character(wave)]
    if (runif(1) > prob) next
    level <- c(`0` = 2.6, `3` = 3.6, `6` = 3.5, `12` = 3.2)[as.character(wave)]
    for (rater in if (wave == 0) "self" else c("self", "supervisor")) {
      sc <- clip(level + p$latent + rnorm(4, 0, 0.6) - (rater == "supervisor") * 0.3, 1, 5)
      fu[[length(fu) + 1]] <- data.frame(
        cohort_id = p$cohort_id, participant_id = p$participant_id, rater = rater,
        months_after = wave, item = paste0("b", 1:4), score = sc, scale_max = 5,
        stringsAsFactors = FALSE)
    }
  }
}
fu <- do.call(rbind, fu)
write.csv(fu, "retrospective_followup.csv", row.names = FALSE)
out("n_followup_rows", nrow(fu))

# ---------------------------------------------------------------------------------
# PTIA score, re-implemented from the app's source
php_round <- function(x, d = 0) {
  y <- abs(x) * 10^d
  sign(x) * floor(y + 0.5 + 1e-9 * pmax(1, y)) / 10^d
}
conv_delta <- c(`0` = 0, `1` = 63, `2` = 88, `3` = 100)
conv_perception <- c(`1` = 0, `2` = 63, `3` = 83, `4` = 100)
ok <- retro[!is.na(retro$rating_before) & !is.na(retro$rating_now), ]
ok$d <- ok$rating_now - ok$rating_before
agg <- aggregate(d ~ cohort_id + participant_id + rater + aspect, data = ok, FUN = mean)
agg <- merge(agg, aspects, by = "aspect")
agg$key <- php_round(agg$d)
agg$conv <- ifelse(agg$criterion == "delta", conv_delta[as.character(agg$key)],
                   conv_perception[as.character(agg$key)])
agg$conv[is.na(agg$conv)] <- 0
agg$w <- ifelse(agg$rater == "self", agg$w_self, agg$w_supervisor)
agg$points <- php_round(agg$conv * agg$w / 100, 2)
l3 <- aggregate(points ~ cohort_id + participant_id + rater, data = agg[agg$level == 3, ], FUN = sum)
wide <- reshape(l3, idvar = c("cohort_id", "participant_id"), timevar = "rater",
                direction = "wide")
wide$points.supervisor[is.na(wide$points.supervisor)] <- 0
wide$level3 <- pmin(100, php_round(wide$points.self + wide$points.supervisor, 2))
wide <- wide[order(wide$cohort_id, wide$participant_id), ]
out("ptia.n", nrow(wide))
out("ptia.level3.sum", sum(wide$level3))
out("ptia.level3.first", wide$level3[1:3])
out("ptia.self_l3.sum", sum(wide$points.self))
out("ptia.mean", mean(wide$level3))
tt <- t.test(wide$level3)
out("ptia.ci", tt$conf.int)
out("ptia.bands", as.integer(table(cut(wide$level3, c(-Inf, 25, 50, 75, Inf)))))
l4 <- aggregate(points ~ cohort_id + participant_id, data = agg[agg$level == 4, ], FUN = sum)
out("ptia.level4.sum", sum(pmin(100, l4$points)))

# ---------------------------------------------------------------------------------
# Person indices (POMP of the 1-4 scale), weighted by PTIA aspect weights of the rater
ok$w <- ifelse(ok$rater == "self", aspects$w_self[match(ok$aspect, aspects$aspect)],
               aspects$w_supervisor[match(ok$aspect, aspects$aspect)])
am <- aggregate(cbind(rating_before, rating_now) ~ cohort_id + participant_id + rater + aspect + w,
                data = ok, FUN = mean)
idx <- do.call(rbind, lapply(split(am, list(am$participant_id, am$rater), drop = TRUE), function(g) {
  data.frame(participant_id = g$participant_id[1], rater = g$rater[1],
             before = (sum(g$w * g$rating_before) / sum(g$w) - 1) / 3 * 100,
             now = (sum(g$w * g$rating_now) / sum(g$w) - 1) / 3 * 100)
}))
for (r in c("self", "supervisor")) {
  s <- idx[idx$rater == r, ]
  tt <- t.test(s$now, s$before, paired = TRUE)
  out(paste0("change.", r, ".n"), nrow(s))
  out(paste0("change.", r, ".mean_before"), mean(s$before))
  out(paste0("change.", r, ".est"), unname(tt$estimate))
  out(paste0("change.", r, ".t"), unname(tt$statistic))
  out(paste0("change.", r, ".p"), tt$p.value)
  out(paste0("change.", r, ".ci"), tt$conf.int)
}
# the levels a figure shows: mean of before and of now per rater, t interval
for (r in c("self", "supervisor")) {
  s <- idx[idx$rater == r, ]
  out(paste0("levels.", r, ".before.ci"), t.test(s$before)$conf.int)
  out(paste0("levels.", r, ".now.mean"), mean(s$now))
  out(paste0("levels.", r, ".now.ci"), t.test(s$now)$conf.int)
}
# unweighted: every item alike
ok$pb <- (ok$rating_before - 1) / 3 * 100
ok$pn <- (ok$rating_now - 1) / 3 * 100
uw <- aggregate(cbind(pb, pn) ~ participant_id + rater, data = ok, FUN = mean)
s <- uw[uw$rater == "self", ]
tt <- t.test(s$pn, s$pb, paired = TRUE)
out("change_unweighted.self.est", unname(tt$estimate))
out("change_unweighted.self.ci", tt$conf.int)

# supervisor - self, paired by person
m <- merge(idx[idx$rater == "self", ], idx[idx$rater == "supervisor", ], by = "participant_id",
           suffixes = c(".self", ".sup"))
for (what in c("before", "now")) {
  tt <- t.test(m[[paste0(what, ".sup")]], m[[paste0(what, ".self")]], paired = TRUE)
  out(paste0("gap.", what, ".n"), nrow(m))
  out(paste0("gap.", what, ".est"), unname(tt$estimate))
  out(paste0("gap.", what, ".p"), tt$p.value)
  out(paste0("gap.", what, ".ci"), tt$conf.int)
}
tt <- t.test(m$now.sup - m$before.sup, m$now.self - m$before.self, paired = TRUE)
out("gap.change.est", unname(tt$estimate))
out("gap.change.ci", tt$conf.int)

# response shift: retrospective before (items b1-b4, the ones both instruments share)
# minus the prospective self rating at wave 0
rb <- ok[ok$rater == "self" & ok$item %in% paste0("b", 1:4), ]
rb <- aggregate(pb ~ participant_id, data = rb, FUN = mean)
pr <- fu[fu$months_after == 0 & fu$rater == "self", ]
pr$pp <- (pr$score - 1) / (pr$scale_max - 1) * 100
pr <- aggregate(pp ~ participant_id, data = pr, FUN = mean)
rs <- merge(rb, pr, by = "participant_id")
tt <- t.test(rs$pb, rs$pp, paired = TRUE)
out("shift.n", nrow(rs))
out("shift.mean_retrospective", mean(rs$pb))
out("shift.est", unname(tt$estimate))
out("shift.p", tt$p.value)
out("shift.ci", tt$conf.int)

# ---------------------------------------------------------------------------------
# Persistence curve: person index per wave (mean of the raters' POMP item means)
fu$pomp <- (fu$score - 1) / (fu$scale_max - 1) * 100
pr_ <- aggregate(pomp ~ cohort_id + participant_id + months_after + rater, data = fu, FUN = mean)
pw <- aggregate(pomp ~ cohort_id + participant_id + months_after, data = pr_, FUN = mean)
pw <- merge(pw, cohorts, by = "cohort_id")
for (prog in c("P1", "P2", "P3")) {
  for (wave in c(0, 3, 6, 12)) {
    d <- pw[pw$program_id == prog & pw$months_after == wave, ]
    if (nrow(d) == 0) next
    key <- paste0("curve.", prog, ".", wave)
    G <- length(unique(d$cohort_id))
    out(paste0(key, ".n"), nrow(d))
    out(paste0(key, ".mean"), mean(d$pomp))
    if (G > 1) {
      fit <- lm(pomp ~ 1, data = d)
      ct <- coeftest(fit, vcov = vcovCL(fit, cluster = ~cohort_id), df = G - 1)
      out(paste0(key, ".se"), ct[1, 2])
      out(paste0(key, ".ci"), ct[1, 1] + c(-1, 1) * qt(0.975, G - 1) * ct[1, 2])
    } else {
      tt <- t.test(d$pomp)
      out(paste0(key, ".se"), unname(tt$stderr))
      out(paste0(key, ".ci"), tt$conf.int)
    }
  }
}

# Attrition from wave 3 to each later wave, in cohorts that reached the wave
wide <- reshape(pw[, c("cohort_id", "participant_id", "months_after", "pomp")],
                idvar = c("cohort_id", "participant_id"), timevar = "months_after",
                direction = "wide")
wide <- merge(wide, people[, c("cohort_id", "participant_id", "pre", "post")], all.x = TRUE)
wide$gain <- wide$post - wide$pre
for (wave in c(6, 12)) {
  col <- paste0("pomp.", wave)
  due <- unique(wide$cohort_id[!is.na(wide[[col]])])
  r <- wide[wide$cohort_id %in% due & !is.na(wide$pomp.3), ]
  dropped <- is.na(r[[col]])
  pt <- prop.test(sum(dropped), nrow(r), correct = FALSE)
  key <- paste0("attrition.", wave)
  out(paste0(key, ".n"), nrow(r))
  out(paste0(key, ".dropped"), sum(dropped))
  out(paste0(key, ".ci"), pt$conf.int)
  for (v in c("pomp.3", "pre", "gain")) {
    tt <- t.test(r[[v]][dropped], r[[v]][!dropped])
    out(paste0(key, ".", v, ".est"), unname(tt$estimate[1] - tt$estimate[2]))
    out(paste0(key, ".", v, ".ci"), tt$conf.int)
    out(paste0(key, ".", v, ".p"), tt$p.value)
  }
  # long-term evidence: the MDE of the paired change 3 -> wave at its n
  both <- r[!dropped, ]
  d <- both[[col]] - both$pomp.3
  out(paste0("mde.", wave, ".n"), length(d))
  out(paste0("mde.", wave, ".mean"), mean(d))
  out(paste0("mde.", wave, ".sd"), sd(d))
  out(paste0("mde.", wave, ".dz"),
      power.t.test(n = length(d), power = 0.8, type = "paired", strict = TRUE,
                   tol = 1e-13)$delta)
}
