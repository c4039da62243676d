#include "apical/analysis/learning_curves.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "grouping.hpp"

namespace apical::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Counts {
  double hits = 0, finished = 0, rewards = 0, minutes = 0;
};

Counts count(const Session& s) {
  Counts c;
  for (const Trial& t : s.trials) {
    if (t.outcome == Outcome::hit) c.hits += 1;
    if (t.outcome != Outcome::incomplete) c.finished += 1;
    if (t.reward_frame >= 0) c.rewards += 1;
  }
  c.minutes = s.duration_s() / 60.0;
  return c;
}

std::size_t late_count(const LearningCurveOptions& options, std::size_t days) {
  return std::min<std::size_t>(static_cast<std::size_t>(std::max(options.late_days, 0)), days);
}

MetricCurve summarise(const Grid& per_mouse, const Grid& present, const LearningCurveOptions& options) {
  MetricCurve c;
  c.per_mouse = per_mouse;
  const std::size_t days = per_mouse.cols, mice = per_mouse.rows;
  for (std::size_t d = 0; d < days; ++d) {
    const std::vector<double> col = per_mouse.column(d);
    c.mean.push_back(mean(col));
    c.sem.push_back(sem(col));
  }
  const std::vector<std::size_t> shared = columns_present_in_all_rows(present);
  const Grid anova_input = complete_rows(per_mouse, shared);
  if (anova_input.rows >= 2 && anova_input.cols >= 2) {
    c.anova = rm_anova_oneway(anova_input);
    c.anova_days = shared;
  }

  const std::size_t early = std::min<std::size_t>(static_cast<std::size_t>(std::max(options.early_days, 0)), days);
  const std::size_t late = late_count(options, days);
  for (std::size_t m = 0; m < mice; ++m) {
    const std::vector<double> row = per_mouse.row(m);
    c.early.push_back(mean(std::span<const double>(row).first(early)));
    c.late.push_back(mean(std::span<const double>(row).last(late)));
  }
  c.late_vs_early = t_test_paired(c.late, c.early);
  return c;
}

// Mean of the sessions' `field` per mouse and day (finite values only), then across mice.
ChanceCurve chance_curve(const Cohort& cohort, const LearningCurves& grid, double Session::*field) {
  const std::size_t nm = grid.mice.size(), nd = grid.days.size();
  Grid sum(nm, nd, 0.0), n(nm, nd, 0.0);
  for (const Session& s : cohort.sessions) {
    const double v = s.*field;
    if (!std::isfinite(v)) continue;
    const std::size_t m = index_of(grid.mice, s.mouse_id), d = index_of(grid.days, s.day);
    sum(m, d) += v;
    n(m, d) += 1.0;
  }
  ChanceCurve c;
  c.per_mouse = Grid::nan(nm, nd);
  for (std::size_t m = 0; m < nm; ++m)
    for (std::size_t d = 0; d < nd; ++d)
      if (n(m, d) > 0.0) c.per_mouse(m, d) = sum(m, d) / n(m, d);
  for (std::size_t d = 0; d < nd; ++d) {
    const std::vector<double> col = c.per_mouse.column(d);
    c.mean.push_back(mean(col));
    c.sem.push_back(sem(col));
  }
  return c;
}

}  // namespace

double session_accuracy(const Session& session) {
  const Counts c = count(session);
  return c.finished > 0 ? c.hits / c.finished : nan;
}

double session_rewards_per_min(const Session& session) {
  const Counts c = count(session);
  return c.minutes > 0 ? c.rewards / c.minutes : nan;
}

LearningCurves learning_curves(const Cohort& cohort, const LearningCurveOptions& options) {
  LearningCurves out;
  out.mice = mouse_ids(cohort);
  out.days = days(cohort);
  const std::size_t nm = out.mice.size(), nd = out.days.size();
  std::vector<Counts> sums(nm * nd);
  Grid present(nm, nd, 0.0);
  for (const Session& s : cohort.sessions) {
    const std::size_t m = index_of(out.mice, s.mouse_id), d = index_of(out.days, s.day);
    const Counts c = count(s);
    Counts& acc = sums[m * nd + d];
    acc.hits += c.hits;
    acc.finished += c.finished;
    acc.rewards += c.rewards;
    acc.minutes += c.minutes;
    present(m, d) = 1.0;
  }
  Grid accuracy = Grid::nan(nm, nd), rate = accuracy;
  out.trials = Grid(nm, nd, 0.0);
  for (std::size_t m = 0; m < nm; ++m)
    for (std::size_t d = 0; d < nd; ++d) {
      const Counts& c = sums[m * nd + d];
      if (present(m, d) == 0.0) continue;
      out.trials(m, d) = c.finished;
      if (c.finished > 0) accuracy(m, d) = c.hits / c.finished;
      if (c.minutes > 0) rate(m, d) = c.rewards / c.minutes;
    }
  out.accuracy = summarise(accuracy, present, options);
  out.rewards_per_min = summarise(rate, present, options);
  out.chance_baseline = chance_curve(cohort, out, &Session::chance_baseline);
  out.chance_session = chance_curve(cohort, out, &Session::chance);
  const std::size_t late = late_count(options, nd);
  std::vector<double> late_chance;
  for (std::size_t m = 0; m < nm; ++m) {
    const std::vector<double> row = out.chance_baseline.per_mouse.row(m);
    late_chance.push_back(mean(std::span<const double>(row).last(late)));
  }
  out.late_accuracy_vs_chance_baseline = t_test_paired(out.accuracy.late, late_chance);
  return out;
}

}  // namespace apical::analysis
