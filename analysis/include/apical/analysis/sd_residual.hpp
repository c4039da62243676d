#pragma once
// Soma–dendrite pairing and the SD residual (experiment.md §4 "Soma–dendrite pairing", §5; §9 T15).
//
// Pairing [P]: a neuron's proximal (soma) and distal ΔF/F traces are paired when their Pearson r over
// the frames where both are valid is ≥ 0.6 [P]. Candidate matching (within 20 µm laterally, §4 [D]) is
// the producer's job: the record already holds one distal trace per neuron.
//
// Coincident events [S/D]: transients are detected on both traces (transients.hpp). A distal transient
// is coincident when a proximal transient peaks within ±1 s of it [D]. Pairs are formed one-to-one,
// closest first (ties: earlier distal peak). An event's frame is the distal peak frame, and its opto
// flag is the LED flag at that frame.
//
// Fit [S]: per neuron and session, ordinary least squares over the opto-off coincident events,
//   A_dist = a + b·A_prox.
// When a session has fewer than `min_fit_events` opto-off events for a neuron (e.g. an opto-on day),
// the fit instead pools that neuron's opto-off events over all of the mouse's sessions [D].
//
// Residual [S]: r = A_dist − (a + b·A_prox); residual_z = (r − m)/s, where m and s are the mean
// (0 for a per-session OLS fit) and sample SD of the residuals of the events the fit used. So
// residuals are z-scored per neuron against the opto-off fit, and opto-on events are projected onto
// that fit in the same units: 0 = no change (ED10e [P]).
//
// Model adequacy (T15 [S-]): AIC = n·ln(RSS/n) + 2k over the fit events for the linear (k = 2) and the
// quadratic (k = 3) model; needs n ≥ 5.
#include <cstdint>
#include <string>
#include <vector>

#include "apical/analysis/session.hpp"
#include "apical/analysis/transients.hpp"

namespace apical::analysis {

struct SdOptions {
  double pairing_r_min = 0.6;       // [P]
  double coincidence_s = 1.0;       // [D] (the 2019 study used 2 s)
  std::size_t min_fit_events = 5;   // [D] fewer → pooled fit; fewer pooled → no fit
};

// A proximal and a distal transient paired within the coincidence window.
struct CoincidentPair {
  std::size_t prox = 0, dist = 0;   // indices into the two transient lists
};
[[nodiscard]] std::vector<CoincidentPair> coincident_events(const std::vector<Transient>& prox,
                                                            const std::vector<Transient>& dist,
                                                            std::int64_t max_lag_frames);

struct SdEvent {
  std::int64_t frame = 0;     // distal peak frame
  double a_prox = 0.0;        // proximal amplitude (ΔF/F)
  double a_dist = 0.0;        // distal amplitude (ΔF/F)
  bool opto = false;
  double residual = 0.0;      // A_dist − (a + b·A_prox); NaN without a fit
  double residual_z = 0.0;    // z-scored as above; NaN without a fit
};

struct SdNeuron {
  std::int32_t neuron_id = 0;
  Role role = Role::zero;
  double pairing_r = 0.0;     // NaN without a distal trace
  bool paired = false;        // pairing_r ≥ pairing_r_min
  bool fitted = false;        // a, b and the residuals are defined
  bool pooled_fit = false;    // the fit came from the mouse's pooled opto-off events
  double a = 0.0, b = 0.0;    // intercept (ΔF/F) and slope (1)
  double residual_mean = 0.0, residual_sd = 0.0;  // of the fit events (z-scoring constants)
  std::size_t fit_events = 0;
  double aic_linear = 0.0, aic_quadratic = 0.0;   // NaN with fewer than 5 fit events
  std::vector<SdEvent> events;  // coincident events of this session, time order (empty if unpaired)
};

// One per session, neurons in session.neurons order.
struct SdSession {
  std::vector<SdNeuron> neurons;
};

// All sessions of a cohort; `transients[i]` and the result's [i] belong to cohort.sessions[i].
[[nodiscard]] std::vector<SdSession> sd_residuals(const Cohort& cohort,
                                                  const std::vector<SessionTransients>& transients,
                                                  const SdOptions& options = {});

}  // namespace apical::analysis
