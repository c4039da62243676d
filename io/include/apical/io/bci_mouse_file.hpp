#pragma once
// One virtual mouse of a BCI cohort run in one HDF5 file, mice/mNN.h5 (docs/scenarios.md, "Results of a
// bci_cohort run"). Written session by session as the mouse simulates; read back field for field.
//
// Layout (format "apical-bci-mouse", version 2; version 1 files, which lack the chance_baseline
// attributes, are still read, with the baseline chance NaN). Matrices are row-major: [N × frames] means row i is
// neuron i (h5py/numpy shape (N, frames)); N neurons, M inputs, T trials.
//   /                         attrs format, format_version, apical_version, scenario, mouse_id
//   /setup                    attrs mouse_id, mouse, seed, inputs (M), baseline_corr_plus_minus, stabilisers
//     roles                   [N] uint8, 0 = P+, 1 = P-, 2 = P0
//     calibration_transient_rate_per_min [N] (units 1/min)
//     initial_weights         [N × M] float64, pA/Hz, W at the start of day 1
//     connected               [N × M] uint8, 1 where a synapse exists
//     calibration/            attrs theta (z), mu (dF/F), sigma (dF/F), lo (z), pseudo_hit_fraction,
//                             chance_baseline (loop::chance_level on this block; NaN if skipped);
//                             roi_mean, roi_sd [N or 0] (per-neuron z-scoring only)
//     recalibrations/dayDD    the same, daily calibration policy only (day 2 onwards)
//     fi_current_pA, fi_rate_hz   [bins] φ of the fi_curve basal prediction (empty otherwise)
//     calibration_soma_dff    [frames × N] (RecordSpec::calibration_dff; empty otherwise)
//   /sessions/dayDD_sS        one group per session (day 1-based, session 0-based), attrs day, session,
//                             frames, frame_rate_hz, hits, misses, accuracy, rewards_per_min, chance
//                             (on the session's own traces), chance_baseline (of the calibration block in
//                             force), reward_baseline, complete (= 1, written last)
//     soma_dff, dendrite_dff  [N × frames] float32 ΔF/F, chunked per neuron, shuffle + deflate (dendrite_dff
//                             absent when not recorded)
//     soma_f, dendrite_f      [N × frames] float32 raw F (a.u.), only with RecordSpec::raw_f
//     decoder_z, error        [frames] z units; angle_deg [frames] deg
//     state                   [frames] uint8 loop::TaskState: 0 open, 1 hit, 2 reward, 3 show, 4 blank_ok, 5 fail
//     flags                   [frames] uint8 bits: 1 hit frame, 2 reward (valve) frame
//     opto                    [frames] uint8, 1 while the LED was on
//     teaching                [frames] T(k) (dimensionless); reward_prediction_error [frames] δ
//     neuron_id [N] int32, neuron_role [N] uint8, rate_hz / event_rate_hz / burst_rate_hz [N] (Hz)
//     trials                  [T × 6] int64, columns start_frame, end_frame, hit_frame, reward_frame,
//                             last_frame, outcome (0 hit, 1 miss, 2 incomplete); -1 = none
//     weights                 [N × M] float64 pA/Hz, W at the end of the session
//     feedback                [N] Bfb as delivered at the end of the session
// Every dataset with a physical unit carries a "units" attribute.
//
// Writing and reading take one process-wide lock around all HDF5 calls (libhdf5 is not thread-safe),
// so the functions below may be called from several threads.
#include <memory>
#include <string>
#include <vector>

#include "apical/models/bci/records.hpp"

namespace apical {

inline constexpr const char* bci_mouse_format = "apical-bci-mouse";
inline constexpr int bci_mouse_format_version = 2;

// "day01_s0"
std::string session_group_name(int day, int session);

// Creates (or replaces) the file with its root attributes and /setup. std::runtime_error on failure.
void create_mouse_file(const std::string& path, const std::string& scenario, const bci::MouseSetup& setup);

// Adds one session (and any daily recalibration of `setup` not yet in the file), then flushes and
// closes the file, so that a run killed later still leaves every finished session readable.
void append_session(const std::string& path, const bci::MouseSetup& setup, const bci::SessionRecord& session);

// Reads a mouse file; every failure (missing file, wrong format, missing or short dataset, truncated
// file) is an InputError naming the file and the HDF5 path.
class MouseFileReader {
 public:
  explicit MouseFileReader(const std::string& path);
  ~MouseFileReader();
  MouseFileReader(const MouseFileReader&) = delete;
  MouseFileReader& operator=(const MouseFileReader&) = delete;

  [[nodiscard]] const std::string& path() const;
  [[nodiscard]] std::string scenario() const;
  [[nodiscard]] bci::MouseSetup setup() const;
  // Group names of the complete sessions, in (day, session) order. A group without the `complete`
  // attribute (a run killed while writing it) is left out.
  [[nodiscard]] std::vector<std::string> sessions() const;
  [[nodiscard]] bci::SessionRecord session(const std::string& group) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace apical
