#include "apical/analysis/learning_prediction.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>


namespace apical::analysis {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
}  // namespace

ContrastPredictsChange early_contrast_vs_change(const Cohort& cohort, const std::vector<SdSession>& sd,
                                                const std::vector<NeuronDayRate>& rates,
                                                const ContrastOptions& contrast, const EarlyLateOptions& options) {
  ContrastPredictsChange out;
  const std::vector<std::int32_t> all_days = days(cohort);
  if (all_days.empty()) return out;
  const auto early_n = static_cast<std::size_t>(std::clamp<int>(options.early_days, 1, static_cast<int>(all_days.size())));
  const auto late_n = static_cast<std::size_t>(std::clamp<int>(options.late_days, 1, static_cast<int>(all_days.size())));
  const std::int32_t early_last = all_days[early_n - 1];
  const std::int32_t late_first = all_days[all_days.size() - late_n];

  ContrastOptions early = contrast;
  early.first_day = all_days.front();
  early.last_day = early_last;
  const ContrastSummary summary = residual_contrast(cohort, sd, early);

  struct Rates {
    Role role = Role::zero;
    std::vector<double> early, late;
  };
  std::map<std::pair<std::string, std::int32_t>, Rates> by_neuron;
  for (const NeuronDayRate& r : rates) {
    Rates& acc = by_neuron[{r.mouse_id, r.neuron_id}];
    acc.role = r.role;
    if (r.day <= early_last) acc.early.push_back(r.rate_hz);
    if (r.day >= late_first) acc.late.push_back(r.rate_hz);
  }
  std::map<std::pair<std::string, std::int32_t>, double> contrast_of;
  for (const NeuronContrast& c : summary.neurons) contrast_of[{c.mouse_id, c.neuron_id}] = c.contrast;

  std::vector<double> x, y, z;
  for (const auto& [key, r] : by_neuron) {
    NeuronChange n;
    n.mouse_id = key.first;
    n.neuron_id = key.second;
    n.role = r.role;
    const auto it = contrast_of.find(key);
    n.early_contrast = it == contrast_of.end() ? nan : it->second;
    n.early_rate_hz = mean(r.early);
    n.late_rate_hz = mean(r.late);
    n.change_hz = n.late_rate_hz - n.early_rate_hz;
    out.neurons.push_back(n);
    x.push_back(n.early_contrast);
    y.push_back(n.change_hz);
    z.push_back(n.early_rate_hz);
  }
  out.r = pearson(x, y);
  out.partial_r = partial_pearson(x, y, z);
  return out;
}

LearningSlopes learning_slopes(const LearningCurves& curves) {
  LearningSlopes out;
  out.mice = curves.mice;
  std::vector<double> day_values(curves.days.begin(), curves.days.end());
  for (std::size_t m = 0; m < curves.accuracy.per_mouse.rows; ++m)
    out.slope_per_day.push_back(fit_line(day_values, curves.accuracy.per_mouse.row(m)).slope);
  out.mean = mean(out.slope_per_day);
  out.sem = sem(out.slope_per_day);
  return out;
}

SlopeComparison compare_learning_slopes(const LearningSlopes& perturbed, const LearningSlopes& control) {
  SlopeComparison c;
  c.perturbed_mean = perturbed.mean;
  c.control_mean = control.mean;
  c.ratio = control.mean != 0.0 ? perturbed.mean / control.mean : nan;
  c.reduction = 1.0 - c.ratio;
  c.welch = t_test_welch(perturbed.slope_per_day, control.slope_per_day);
  return c;
}

}  // namespace apical::analysis
