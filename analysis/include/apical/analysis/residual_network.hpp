#pragma once
// Is a neuron's SD residual predictable from the other neurons' residuals? (learning_rules.md §7
// T-network: "cross-validated, above shuffle" for rules with a shared apical teaching signal, not
// for rules without one.)
//
// Residual trace [D]: per frame, r(k) = dendrite_dff(k) − (a + b·soma_dff(k)) with the neuron's SD fit
// of that session (sd_residual.hpp), for every fitted neuron. Events are too sparse (a few per neuron
// and minute) to regress one neuron's residual on another's event by event, so the fit is applied to
// the whole traces. Frames are averaged in bins of `bin_s` (1 s, about the GCaMP decay) [D]: the
// imaging noise is independent across ROIs and a bin mean cuts it, while a teaching signal that lasts
// seconds survives. Bins use only frames where every fitted neuron's traces are finite and the LED
// passes `opto`; bins without such frames are dropped.
//
// Prediction [D]: per session and target neuron, ridge regression of its binned residual on the other
// fitted neurons' binned residuals: predictors standardised with the training fold's mean and SD
// (constant → 0), target centred on the training mean, w = (XᵀX + λI)⁻¹ Xᵀy with
// λ = ridge · tr(XᵀX)/p (scale-free). Cross-validation: k contiguous blocks of bins (k = 5), because
// neighbouring bins share calcium decay and slow drive; a random split would leak them into the
// training folds. Score: R² = 1 − Σ(y − ŷ)²/Σ(y − ȳ)² pooled over the held-out blocks (negative when
// the prediction is worse than the mean).
// Null: the same folds with the target circularly shifted by s bins, s uniform in [n/k, n − n/k]
// (at least one block away: the shift keeps the target's autocorrelation but breaks its alignment with
// the predictors), `shifts` times; p = (1 + #{null ≥ observed})/(1 + shifts). Shifts come from a
// counter-based RNG keyed by (seed, mouse, day, session).
// Across mice: per mouse and role, the mean R² and null over its neuron-sessions; a paired t-test of
// the per-mouse means, observed vs null.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "apical/analysis/grid.hpp"
#include "apical/analysis/sd_residual.hpp"
#include "apical/analysis/session.hpp"
#include "apical/analysis/statistics.hpp"

namespace apical::analysis {

struct NetworkOptions {
  double bin_s = 1.0;                 // [D]
  int folds = 5;                      // [D] contiguous blocks
  int shifts = 50;                    // [D] circular shifts for the null
  double ridge = 0.1;                 // [D] λ relative to the mean squared predictor norm
  std::uint64_t seed = 1;
  std::size_t min_neurons = 3;        // [D] fewer fitted neurons → the session is skipped
  OptoFilter opto = OptoFilter::off;  // by the LED flag of each frame
};

// One column's cross-validated prediction from the other columns.
struct ColumnPrediction {
  double r2 = 0.0;                          // observed, cross-validated
  double null_mean = 0.0;                   // over circular shifts of the target
  double p = 1.0;                           // one-sided: observed above the shifts
};

// Generic: rows of X are time bins in order, columns are neurons; every column is predicted from the
// others. `stream` selects an independent random stream for the same seed. Throws
// std::invalid_argument with fewer than 2 columns or fewer than 2·folds rows.
[[nodiscard]] std::vector<ColumnPrediction> predict_columns_from_others(const Grid& X, const NetworkOptions& options,
                                                                        std::uint64_t stream = 0);

struct NeuronNetworkPrediction {
  std::string mouse_id;
  std::int32_t day = 0, session = 0, neuron_id = 0;
  Role role = Role::zero;
  std::size_t bins = 0, predictors = 0;
  ColumnPrediction prediction;
};

struct RoleNetworkSummary {
  double r2_mean = 0.0, null_mean = 0.0;   // across mice of the per-mouse means; NaN without neurons
};

struct NetworkSummary {
  std::vector<NeuronNetworkPrediction> neurons;     // session order, then neuron order
  std::vector<std::string> mice;                    // sorted; mice with at least one neuron-session
  std::vector<double> mouse_r2, mouse_null;         // per mouse (mice order): mean over neuron-sessions
  double r2_mean = 0.0, null_mean = 0.0;            // across mice
  TTest observed_vs_null;                           // paired across mice
  double fraction_significant = 0.0;                // neuron-sessions with p < 0.05
  std::array<RoleNetworkSummary, role_count> roles; // indexed by Role
};

// `sd[i]` belongs to cohort.sessions[i].
[[nodiscard]] NetworkSummary residual_network(const Cohort& cohort, const std::vector<SdSession>& sd,
                                              const NetworkOptions& options = {});

}  // namespace apical::analysis
