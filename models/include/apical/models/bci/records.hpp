#pragma once
// What a simulated mouse leaves behind: plain data, no I/O (the io layer writes it).
//
// SessionRecord mirrors apical::analysis::Session (analysis/include/apical/analysis/session.hpp)
// field for field where the two overlap, so that the conversion is a copy: the same names, the same
// per-frame vectors, the same frame_flag bits and the same trial conventions (end_frame = hit frame
// for a hit, first FAIL frame for a miss; -1 for none). Differences: the task state is the loop's
// TaskState (analysis adds `none` for frames outside any trial; every session frame here lies in a
// trial, so the mapping is state + 1), the role is the loop's Role, and there are extra fields
// (angle, teaching signal, δ, per-neuron rate summaries, weights, optional raw F). models/ cannot
// include analysis/ (each depends on the engine only), so the copy lives with whoever links both.
//
// Frame index k counts frames from the start of the session (0-based), 15 Hz per plane.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "apical/engine/loop/calibration.hpp"
#include "apical/engine/loop/population.hpp"
#include "apical/engine/loop/trial_task.hpp"

namespace apical::bci {

enum class TrialOutcome : std::uint8_t {
  hit,         // target reached in the window
  miss,        // window timed out
  incomplete,  // the session ended inside the window (excluded from accuracy)
};

namespace frame_flag {  // bits of SessionRecord::flags, as analysis::frame_flag
constexpr std::uint8_t hit = 1;     // first frame with z ≥ θ in OPEN
constexpr std::uint8_t reward = 2;  // valve command (REWARD frame)
}  // namespace frame_flag

struct TrialRow {
  std::int64_t start_frame = 0;    // first OPEN frame
  std::int64_t end_frame = -1;     // hit frame (hit) or first FAIL frame (miss); -1 if incomplete
  std::int64_t hit_frame = -1;     // -1 if none
  std::int64_t reward_frame = -1;  // valve command frame, hit + 15; -1 if none (or after the session)
  std::int64_t last_frame = -1;    // last frame of the trial (end of its black screen); -1 if cut off
  TrialOutcome outcome = TrialOutcome::incomplete;
};

struct NeuronTrace {
  std::int32_t id = 0;               // index in the field of view; the same on every day
  loop::Role role = loop::Role::zero;
  std::vector<double> soma_dff;      // [frames] online ΔF/F of the proximal trunk (BCI plane)
  std::vector<double> dendrite_dff;  // [frames] online ΔF/F of the distal plane; empty if not recorded
  std::vector<double> soma_f;        // [frames] raw F (a.u.), only with RecordSpec::raw_f
  std::vector<double> dendrite_f;    // [frames] raw F (a.u.), only with RecordSpec::raw_f
  // Ground truth of the session (not visible to a rig): spikes/s, events/s, bursts/s.
  double rate_hz = 0, event_rate_hz = 0, burst_rate_hz = 0;
};

struct SessionRecord {
  std::string mouse_id;              // "m00", "m01", … (mouse index)
  std::int32_t day = 1;              // 1-based
  std::int32_t session = 0;          // 0-based within the day
  double frame_rate_hz = 15.0;
  std::vector<NeuronTrace> neurons;  // [N] in id order
  std::vector<double> decoder_z;     // [frames] z(k)
  std::vector<double> error;         // [frames] ε(k) = max(0, θ − z(k)) (decoder output, every state)
  std::vector<double> angle_deg;     // [frames] decoder angle (the patch only follows it in OPEN)
  std::vector<loop::TaskState> state;  // [frames]
  std::vector<std::uint8_t> flags;   // [frames] frame_flag bits
  std::vector<std::uint8_t> opto;    // [frames] 1 if the LED was on during the frame (O1 or O2)
  std::vector<double> teaching;      // [frames] T(k) computed at frame k (applied over frame k+1)
  std::vector<double> reward_prediction_error;  // [frames] δ delivered at frame k (0 elsewhere; O6: 0)
  std::vector<TrialRow> trials;      // in time order

  // Summary.
  std::size_t hits = 0, misses = 0;  // decided trials
  double accuracy = 0;               // hits / (hits + misses); NaN if none decided
  double rewards_per_min = 0;        // valve commands per minute of session
  double chance = 0;                 // loop::chance_level on the session's own soma ΔF/F (NaN if skipped);
                                     // it moves with learning, because learning changes the traces
  double chance_baseline = 0;        // the same on the calibration block in force (MouseSetup::chance_baseline,
                                     // or the day's recalibration under `daily`): fixed by baseline activity
  double reward_baseline = 0;        // R̄ at the end of the session
  std::vector<double> weights;       // W at the end of the session [N·M], pA/Hz
  std::vector<double> feedback;      // Bfb as delivered at the end of the session [N] (O5 included)

  [[nodiscard]] std::size_t frames() const { return decoder_z.size(); }
};

// The mouse's one-off measurements and choices.
struct MouseSetup {
  std::string mouse_id;
  std::uint64_t seed = 0, mouse = 0;
  std::vector<loop::Role> roles;               // [N]
  std::vector<double> calibration_transient_rate_per_min;  // [N], the selection statistic
  loop::Calibration calibration;               // day-1 (frozen) decoder constants
  std::vector<loop::Calibration> recalibrations;  // daily policy: one per day from day 2
  double chance_baseline = 0;                  // loop::chance_level on the day-1 calibration block (NaN if skipped)
  std::vector<double> recalibration_chance_baseline;  // daily policy: the same per recalibration block
  std::vector<double> calibration_soma_dff;    // [frames·N] only with RecordSpec::calibration_dff
  std::vector<double> fi_current_pA, fi_rate_hz;  // φ (bin centres, rates); fi_curve mode only
  std::vector<double> initial_weights;         // W at the start of day 1 [N·M]
  std::vector<std::uint8_t> connected;         // [N·M] 1 where a synapse exists
  std::size_t inputs = 0;                      // M
  double baseline_corr_plus_minus = 0;         // Pearson r of mean P+ and mean P− ΔF/F, calibration
  std::string stabilisers;                     // stabiliser_summary()
};

struct MouseRecord {
  MouseSetup setup;
  std::vector<SessionRecord> sessions;  // day-major, then session
};

}  // namespace apical::bci
