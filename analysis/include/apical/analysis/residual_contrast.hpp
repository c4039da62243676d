#pragma once
// Residual contrast by role (experiment.md §6 row 3 [P/S, epochs D]; §9 T11, T13, T17).
//
// Error epochs: for frames k inside `OPEN` whose frame k − L (L = 1 s = 15 frames) lies in the same
// trial's OPEN window,
//   Δε(k) = ε(k) − ε(k − L);  reduction if Δε < −0.05,  increase if Δε > +0.05  (z units) [D];
// every other frame belongs to no epoch. An SD event belongs to the epoch of its (distal) peak frame.
//
// Per neuron, over the events that pass the opto filter and the day range:
//   contrast = mean residual_z in reduction epochs − mean residual_z in increase epochs,
// defined when each epoch holds at least `min_events_per_epoch` events. Events of all the neuron's
// sessions in the range are pooled (neurons are matched across days by id).
// Per mouse: the mean contrast over its P+, P− and P0 neurons; separation = mean(P+) − mean(P−).
// Across mice: separation mean and s.e.m., the fraction of mice with separation > 0 (T11 test:
// ≥ 80 %), and the fraction with P+ > 0 > P− (the sign-by-role pattern of ED Fig. 13e).
// Caveat (learning_rules.md pitfall 1): a nonlinear soma→dendrite coupling with no teaching signal also
// produces a separation; compare against the R0-BAC-null cohort analysed the same way.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "apical/analysis/sd_residual.hpp"
#include "apical/analysis/session.hpp"

namespace apical::analysis {

enum class ErrorEpoch : std::int8_t { none = 0, reduction = -1, increase = 1 };

struct ContrastOptions {
  double lag_s = 1.0;                      // [D] Δε over 15 frames
  double threshold = 0.05;                 // [D] z units
  std::size_t min_events_per_epoch = 1;    // [D]
  OptoFilter opto = OptoFilter::all;
  std::int32_t first_day = std::numeric_limits<std::int32_t>::min();  // inclusive day range
  std::int32_t last_day = std::numeric_limits<std::int32_t>::max();
};

// [frames] epoch of every frame of one session.
[[nodiscard]] std::vector<ErrorEpoch> error_epochs(const Session& session, const ContrastOptions& options = {});

struct NeuronContrast {
  std::string mouse_id;
  std::int32_t neuron_id = 0;
  Role role = Role::zero;
  double contrast = 0.0;              // NaN when an epoch has too few events
  double mean_reduction = 0.0, mean_increase = 0.0;
  std::size_t n_reduction = 0, n_increase = 0;
};

struct MouseContrast {
  std::string mouse_id;
  double plus = 0.0, minus = 0.0, zero = 0.0;   // mean contrast per role (NaN if no neuron)
  std::size_t n_plus = 0, n_minus = 0, n_zero = 0;
  double separation = 0.0;                      // plus − minus
};

struct ContrastSummary {
  std::vector<NeuronContrast> neurons;          // sorted by mouse, neuron id
  std::vector<MouseContrast> mice;              // sorted by mouse
  double plus_mean = 0.0, minus_mean = 0.0, zero_mean = 0.0;  // across mice
  double separation_mean = 0.0, separation_sem = 0.0;
  double fraction_separation_positive = 0.0;    // over mice with a defined separation
  double fraction_sign_by_role = 0.0;           // P+ > 0 > P−
  std::size_t mice_with_separation = 0;
};

// `sd[i]` belongs to cohort.sessions[i].
[[nodiscard]] ContrastSummary residual_contrast(const Cohort& cohort, const std::vector<SdSession>& sd,
                                                const ContrastOptions& options = {});

}  // namespace apical::analysis
