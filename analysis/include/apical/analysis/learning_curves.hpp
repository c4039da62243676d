#pragma once
// Learning curves (experiment.md §1 "Metrics", §8 Fig. 1g, §9 T1–T2).
//
//   accuracy(mouse, day)     = Σ hits / Σ (hits + misses)   over that day's sessions [P]
//                              (incomplete trials are left out)
//   rewards_per_min(m, day)  = Σ rewarded trials / Σ session minutes,  minutes = frames/(60·fs) [P]
//                              (a trial counts as rewarded when its reward_frame ≥ 0)
//
// Across mice: mean and s.e.m. per day over the mice that have that day [P: shaded s.e.m.].
// Statistics: one-way RM ANOVA over days with the mouse as subject [P]. The ANOVA uses the days that
// every mouse has (the intersection) [D]; a mouse with a NaN on one of them (no finished trial) is left
// out of the ANOVA only. Its Tukey HSD (rm_anova.hpp) compares every pair of those days.
// Early/late summary for T1: mean over the first `early_days` and the last `late_days` of the cohort's
// days, per mouse, then across mice [D: 2 and 3 days, the T1 wording "days 12–14 > days 1–2"].
// Chance (T3): per mouse and day the mean of the sessions' chance levels (Session::chance_baseline and
// ::chance), then mean and s.e.m. across mice; late accuracy is compared with the baseline chance of
// the same late days by a paired t-test across mice [D].
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "apical/analysis/grid.hpp"
#include "apical/analysis/rm_anova.hpp"
#include "apical/analysis/session.hpp"
#include "apical/analysis/statistics.hpp"

namespace apical::analysis {

struct LearningCurveOptions {
  int early_days = 2;  // [D] T1
  int late_days = 3;   // [D] T1
};

// One metric (accuracy or rewards/min) for every mouse and day.
struct MetricCurve {
  Grid per_mouse;                     // [mice × days], NaN where the mouse has no session that day
  std::vector<double> mean, sem;      // [days] across mice
  std::optional<OneWayRmAnova> anova; // over days; empty when fewer than 2 complete mice or days
  std::vector<std::size_t> anova_days; // the ANOVA's levels (and its Tukey indices) as columns of `days`
  std::vector<double> early, late;    // [mice] mean over the early / late days
  TTest late_vs_early;                // paired across mice
};

// A chance level per mouse and day (NaN where no session of that day has one).
struct ChanceCurve {
  Grid per_mouse;                     // [mice × days]
  std::vector<double> mean, sem;      // [days] across mice
};

struct LearningCurves {
  std::vector<std::string> mice;      // row order
  std::vector<std::int32_t> days;     // column order, sorted
  MetricCurve accuracy;
  MetricCurve rewards_per_min;
  ChanceCurve chance_baseline;        // on the calibration block in force: the chance line
  ChanceCurve chance_session;         // on each session's own traces (moves with learning)
  TTest late_accuracy_vs_chance_baseline;  // paired across mice: late accuracy − late baseline chance
  Grid trials;                        // [mice × days] finished trials (hits + misses)
};

// Hits / finished trials of one session; NaN if there is none.
[[nodiscard]] double session_accuracy(const Session& session);
[[nodiscard]] double session_rewards_per_min(const Session& session);

[[nodiscard]] LearningCurves learning_curves(const Cohort& cohort, const LearningCurveOptions& options = {});

}  // namespace apical::analysis
