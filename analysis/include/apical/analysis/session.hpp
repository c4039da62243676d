#pragma once
// The session record every analysis reads: what one imaging session of the BCI task leaves behind
// (experiment.md §1–§4), in a form that a simulation and the rig both produce. Plain data, no I/O;
// the io layer fills it from a run's output or from an NWB file (rig.md §9).
//
// Time is the frame index k at the frame rate fs (15 Hz per plane, experiment.md §2). Every per-frame
// vector has frames() entries, except `flags` and `opto`, which may be empty (= all zero).
//
// A cohort is mice × days × sessions, stored flat: each Session names its mouse and day, and the
// analyses group them. Within a mouse a neuron keeps its `id` on every day, because the same neurons
// are tracked for all 14 days with fixed roles (experiment.md §1).
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "apical/engine/loop/population.hpp"

namespace apical::analysis {

// A neuron's part in the decoder (experiment.md §1): P+ drives the patch toward the target, P− away,
// P0 is imaged but has no decoder weight. The closed loop's own enum (plus, minus, zero), reused so
// that simulated records need no mapping; the analyses index arrays by static_cast<std::size_t>(role).
using Role = ::apical::loop::Role;
constexpr std::size_t role_count = 3;
[[nodiscard]] const char* role_name(Role role);  // "P+", "P-", "P0" (the docs' glossary)

// Trial state machine of experiment.md §3, logged per frame. `none` marks frames outside any trial
// (calibration, before the first trial, after the last). The other values are loop::TaskState + 1.
enum class TrialState : std::uint8_t { none, open, hit, reward, show, blank_ok, fail };

enum class Outcome : std::uint8_t {
  hit,         // the target was reached inside the 28-s window (a success)
  miss,        // the window timed out (a failure)
  incomplete,  // the session ended inside the window: excluded from accuracy and decoding
};

// Bits of Session::flags.
namespace frame_flag {
constexpr std::uint8_t hit = 1;      // first frame with z ≥ θ
constexpr std::uint8_t reward = 2;   // valve command issued in this frame
constexpr std::uint8_t lick = 4;     // at least one lick onset
constexpr std::uint8_t invalid = 8;  // bad frame (rig.md §9 invalid_times); traces there may be NaN
}  // namespace frame_flag

// One row of the trial table. Frames are indices into the session's per-frame vectors.
struct Trial {
  std::int64_t start_frame = 0;   // first OPEN frame
  std::int64_t end_frame = -1;    // first frame after OPEN: the hit frame for a hit, the first FAIL
                                  // frame for a miss. This is the "trial end" of experiment.md §6.
                                  // -1 for an incomplete trial (its window ran to the session end)
  std::int64_t hit_frame = -1;    // -1 if none; equals end_frame for a hit
  std::int64_t reward_frame = -1; // valve command frame (hit + 15 frames by default); -1 if none
  Outcome outcome = Outcome::incomplete;
};

struct NeuronRecord {
  std::int32_t id = 0;               // stable across all sessions of one mouse
  Role role = Role::zero;
  std::vector<double> soma_dff;      // [frames] ΔF/F of the proximal trunk (BCI plane, soma proxy); NaN = missing
  std::vector<double> dendrite_dff;  // [frames] ΔF/F of the distal trunk of the same cell; empty when it was
                                     // not imaged or has no matched ROI; NaN = missing
};

struct Session {
  std::string mouse_id;              // e.g. "m03" or the rig's animal name
  std::int32_t day = 1;              // training day, 1-based (day 1 = first BCI day)
  std::int32_t session = 0;          // index of the session within the day
  double frame_rate_hz = 15.0;       // fs, per imaging plane
  std::vector<NeuronRecord> neurons;
  std::vector<double> decoder_z;     // [frames] z(k), calibration units (experiment.md §2 step 6)
  std::vector<double> error;         // [frames] ε(k) = max(0, θ − z(k)) (§2 step 8); NaN = missing
  std::vector<TrialState> state;     // [frames]
  std::vector<std::uint8_t> flags;   // [frames] frame_flag bits, or empty
  std::vector<std::uint8_t> opto;    // [frames] 1 while the LED is on (§7), or empty = never
  std::vector<Trial> trials;         // in time order, non-overlapping
  // Chance levels of the session (experiment.md §2: P− shifted circularly against P+ and replayed
  // through the decoder and task), NaN where not computed. `chance_baseline` is the shift procedure on
  // the baseline (calibration) block whose calibration the session used: fixed by pre-learning
  // activity, the line to judge accuracy against. `chance` is the same on the session's own traces,
  // which learning changes, so it moves with learning.
  double chance_baseline = std::numeric_limits<double>::quiet_NaN();
  double chance = std::numeric_limits<double>::quiet_NaN();

  [[nodiscard]] std::size_t frames() const { return decoder_z.size(); }
  [[nodiscard]] double duration_s() const { return static_cast<double>(frames()) / frame_rate_hz; }
  [[nodiscard]] bool opto_on(std::int64_t frame) const {
    return !opto.empty() && frame >= 0 && static_cast<std::size_t>(frame) < opto.size() && opto[frame] != 0;
  }
};

struct Cohort {
  std::string name;                  // e.g. "R3 oracle" or "NDNF ChRmine"; only for labelling
  std::vector<Session> sessions;     // any order
};

// Which frames or events an analysis uses, by the LED flag at the frame concerned.
enum class OptoFilter : std::uint8_t { all, off, on };
[[nodiscard]] bool passes(OptoFilter filter, bool opto_on);

// Checks lengths, frame indices and trial consistency. analyze_cohort() calls it first; the individual
// analyses assume a validated cohort and do not repeat the checks. Throws std::invalid_argument whose message names
// the session (mouse/day/session) and the offending field, e.g. "m01 day 3 session 0: neurons[4].soma_dff
// has 26999 frames, expected 27000".
void validate(const Session& session);
void validate(const Cohort& cohort);

// Sorted unique mouse ids and days of a cohort.
[[nodiscard]] std::vector<std::string> mouse_ids(const Cohort& cohort);
[[nodiscard]] std::vector<std::int32_t> days(const Cohort& cohort);

}  // namespace apical::analysis
