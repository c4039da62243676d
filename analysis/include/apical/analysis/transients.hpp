#pragma once
// Calcium transients and their frequency (experiment.md §4 [D], after the first author's 2019 eLife
// analysis; §8 Fig. 1i; §9 T4–T6).
//
// Detection on one ΔF/F trace x(k):
//   1. Missing frames (NaN) are bridged by linear interpolation (held flat at the ends) for filtering
//      only; a peak on or next to a missing frame is discarded (its rise or fall was not seen), and
//      the SD uses valid frames only.
//   2. h = zero-phase Butterworth high-pass of x, order 9, cutoff fs/8 (butterworth.hpp);
//      σ = SD of h over valid frames.
//   3. Candidates are the local maxima of x (a flat top counts once, at its middle).
//      Prominence of a peak at k: walk left and right from k until x exceeds x(k) or the trace ends;
//      prominence = x(k) − max(min on the left walk, min on the right walk).
//   4. Keep peaks with prominence ≥ 3σ.
//   5. Keep peaks at least 1 s apart, tallest first (a peak within 1 s of a taller kept peak goes).
//      The prominence test comes before the separation test (MATLAB findpeaks order), so a small
//      bump cannot suppress a real transient next to it.
//   6. Amplitude = x(k) − the preceding local minimum, taken as the minimum of x over the valid frames
//      in [max(k − 1 s, previous kept peak), k] [D: a 1-s look-back].
//
// Transient frequency per neuron and day = transients whose peak passes the opto filter / seconds of
// valid frames that pass it, pooled over the day's sessions [P: per neuron per day]. It is computed
// on the soma (proximal trunk, BCI plane) trace.
// Normalisation [D]: for each mouse and population, the mean rate over the population's neurons on
// day d divided by the same mean on the mouse's first day. Statistics: two-way RM ANOVA population ×
// day with the mouse as subject, over the populations and days that every mouse has, mice with any
// undefined cell dropped [P: two-way RM ANOVA], with Tukey's HSD on the population levels
// (TwoWayRmAnova::tukey_a, rm_anova.hpp) [P: P+ vs P−, P+ vs P0, P− vs P0]; and a paired t-test across
// mice of P+ vs P− on the mean normalised rate over the late days [D].
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "apical/analysis/grid.hpp"
#include "apical/analysis/rm_anova.hpp"
#include "apical/analysis/session.hpp"
#include "apical/analysis/statistics.hpp"

namespace apical::analysis {

struct TransientOptions {
  int filter_order = 9;              // [D] §4
  double cutoff_over_fs = 1.0 / 8.0; // [D] §4: cutoff = fs/8
  double prominence_sd = 3.0;        // [D] §4: prominence ≥ 3 SD of the high-passed trace
  double min_separation_s = 1.0;     // [D] §4
  double baseline_lookback_s = 1.0;  // [D] window for the preceding local minimum
};

struct Transient {
  std::int64_t frame = 0;   // peak frame
  double peak = 0.0;        // x at the peak (ΔF/F)
  double amplitude = 0.0;   // peak − preceding local minimum (ΔF/F)
  double prominence = 0.0;  // ΔF/F
};

// Peaks in time order.
[[nodiscard]] std::vector<Transient> detect_transients(std::span<const double> dff, double fs_hz,
                                                       const TransientOptions& options = {});

// Transients of every neuron of one session, both planes.
struct SessionTransients {
  std::vector<std::vector<Transient>> soma;      // [neuron] in session.neurons order
  std::vector<std::vector<Transient>> dendrite;  // [neuron]; empty where there is no distal trace
};
[[nodiscard]] SessionTransients detect_session_transients(const Session& session, const TransientOptions& options = {});

// Somatic transient frequency of one neuron on one day.
struct NeuronDayRate {
  std::string mouse_id;
  std::int32_t neuron_id = 0;
  Role role = Role::zero;
  std::int32_t day = 0;
  std::int64_t events = 0;
  double seconds = 0.0;    // valid frames passing the opto filter / fs
  double rate_hz = 0.0;    // events / seconds (NaN if seconds = 0)
};

// `transients[i]` belongs to cohort.sessions[i]. Sorted by mouse, neuron id, day.
[[nodiscard]] std::vector<NeuronDayRate> transient_rates(const Cohort& cohort,
                                                         const std::vector<SessionTransients>& transients,
                                                         OptoFilter opto = OptoFilter::all);

struct PopulationRateOptions {
  int late_days = 3;  // [D] T4: "days 12–14"
};

struct PopulationRates {
  std::vector<std::string> mice;                    // row order
  std::vector<std::int32_t> days;                   // column order, sorted
  std::array<Grid, role_count> raw;                 // [role] mice × days: population mean rate (Hz)
  std::array<Grid, role_count> normalised;          // [role] raw / raw on the mouse's first day
  std::array<std::vector<double>, role_count> mean, sem;  // [role][day] of `normalised` across mice
  std::array<std::vector<double>, role_count> late;       // [role][mouse] mean normalised rate, late days
  std::vector<Role> anova_roles;                    // factor A levels used by the ANOVA
  std::optional<TwoWayRmAnova> anova;               // A = population, B = day
  TTest late_plus_vs_minus;                         // paired across mice, P+ − P−
};

[[nodiscard]] PopulationRates population_rates(const std::vector<NeuronDayRate>& rates,
                                               const PopulationRateOptions& options = {});

}  // namespace apical::analysis
