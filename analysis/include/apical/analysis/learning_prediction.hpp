#pragma once
// What the residual predicts about learning, and how a perturbation changes learning
// (experiment.md §6 rows 3–4; §9 T12, T13; learning_rules.md §7 T-predict, T-opto).
//
// Early contrast vs later activity change (T12) [P/S, windows D]: per neuron,
//   x = residual contrast over the early days (residual_contrast.hpp, day range = early days),
//   y = late rate − early rate, the somatic transient frequency (Hz) averaged over the late and the
//       early days (transients.hpp),
//   z = early rate (baseline).
// Reported: Pearson r(x, y) and the partial r(x, y | z) across all neurons with all three defined.
// Early days = the cohort's first `early_days` days, late = its last `late_days` [D: 3 and 3].
//
// Learning slope (T13, T-opto) [D]: per mouse, the OLS slope of daily accuracy on the day index
// (accuracy per day); mean and s.e.m. across mice. Perturbation vs control: ratio of the mean slopes,
// reduction = 1 − ratio (T-opto asks for ≥ 0.5 under O1 vs O2), and a Welch t-test across mice.
#include <cstdint>
#include <string>
#include <vector>

#include "apical/analysis/learning_curves.hpp"
#include "apical/analysis/residual_contrast.hpp"
#include "apical/analysis/sd_residual.hpp"
#include "apical/analysis/statistics.hpp"
#include "apical/analysis/transients.hpp"

namespace apical::analysis {

struct EarlyLateOptions {
  int early_days = 3;  // [D]
  int late_days = 3;   // [D]
};

struct NeuronChange {
  std::string mouse_id;
  std::int32_t neuron_id = 0;
  Role role = Role::zero;
  double early_contrast = 0.0;  // NaN when undefined
  double early_rate_hz = 0.0;
  double late_rate_hz = 0.0;
  double change_hz = 0.0;       // late − early
};

struct ContrastPredictsChange {
  std::vector<NeuronChange> neurons;
  Correlation r;                // Pearson(early contrast, change)
  Correlation partial_r;        // controlling for the early rate
};

// `sd[i]` belongs to cohort.sessions[i]; `contrast` carries options for the epoch definition (its day
// range is replaced by the early days).
[[nodiscard]] ContrastPredictsChange early_contrast_vs_change(const Cohort& cohort, const std::vector<SdSession>& sd,
                                                              const std::vector<NeuronDayRate>& rates,
                                                              const ContrastOptions& contrast = {},
                                                              const EarlyLateOptions& options = {});

struct LearningSlopes {
  std::vector<std::string> mice;
  std::vector<double> slope_per_day;  // [mouse] accuracy per day
  double mean = 0.0, sem = 0.0;
};
[[nodiscard]] LearningSlopes learning_slopes(const LearningCurves& curves);

struct SlopeComparison {
  double perturbed_mean = 0.0, control_mean = 0.0;
  double ratio = 0.0;       // perturbed / control
  double reduction = 0.0;   // 1 − ratio
  TTest welch;              // perturbed − control, across mice
};
[[nodiscard]] SlopeComparison compare_learning_slopes(const LearningSlopes& perturbed, const LearningSlopes& control);

}  // namespace apical::analysis
