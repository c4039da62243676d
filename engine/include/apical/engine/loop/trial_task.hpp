#pragma once
// The trial state machine of experiment.md §3, advanced one 15-Hz frame per step(). With hit frame h
// and trial start s (defaults; every duration is a parameter):
//
//   OPEN      s … s+419        patch at the decoder's angle; first frame with z ≥ θ is the hit → HIT
//                               no hit by frame s+419 → FAIL at s+420                          [P] 28 s
//   HIT       h … h+14         patch at 90°                                                  [P] 1 s
//   REWARD    h+15             one frame: the valve command (one pulse), patch at 90°        [P]
//   SHOW      h+16 … h+29      patch at 90° until 30 frames after the hit                    [P] 2 s / [D] from the hit
//   BLANK_OK  h+30 … h+44      black                                                          [P] 1 s
//   FAIL      s+420 … s+464    black                                                          [P] 3 s
//   next OPEN at h+45 or s+465.
//
// The 2-s 90° display counts from the hit by default, so the reward falls inside it; show_from =
// reward counts it from the reward frame instead [D]. The decoder keeps running in every state; only
// OPEN lets its angle drive the patch [D]. A hit needs no hold time [D]. Frame numbers count steps
// from 0. A trial's outcome is decided at its hit or timeout frame; it ends on its last black frame.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace apical::loop {

enum class TaskState : std::uint8_t { open, hit, reward, show, blank_ok, fail };
enum class Outcome : std::uint8_t { pending, hit, fail };
enum class ShowAnchor : std::uint8_t { hit, reward };

struct TrialTaskParams {
  std::size_t open_frames = 420;          // response window, 28 s [P]; ≥ 1
  std::size_t reward_delay_frames = 15;   // hit → valve command, 1 s [P]; ≥ 1
  std::size_t show_frames = 30;           // 90° display, 2 s [P], counted from show_from [D]
  ShowAnchor show_from = ShowAnchor::hit; // [D]
  std::size_t blank_ok_frames = 15;       // black after a success, 1 s [P]; ≥ 1
  std::size_t fail_frames = 45;           // black after a timeout, 3 s [P]; ≥ 1
  double target_angle_deg = 90.0;         // patch angle from the hit to the end of SHOW [P]
};

struct Stimulus {
  bool black = false;    // black screen; otherwise the Gabor patch at angle_deg
  double angle_deg = 0;  // 0 … 90°; 0 when black
};

struct TaskFrame {
  std::size_t frame = 0;        // steps since construction, from 0
  TaskState state = TaskState::open;
  std::size_t trial = 0;        // index of the current trial, from 0
  Stimulus stimulus;
  bool trial_start = false;     // first frame of the trial (first OPEN frame)
  bool hit = false;             // the hit frame (first z ≥ θ in OPEN)
  bool timeout = false;         // first FAIL frame
  bool reward_command = false;  // the REWARD frame: send one valve pulse
  bool trial_end = false;       // last frame of the trial
  Outcome outcome = Outcome::pending;  // the trial's outcome, from its hit or timeout frame on
};

struct TrialRecord {
  std::size_t start_frame = 0;
  std::optional<std::size_t> hit_frame;     // none for a failed trial
  std::optional<std::size_t> reward_frame;  // none for a failed trial (or one cut short)
  std::optional<std::size_t> end_frame;     // last frame of the trial; none while it runs
  Outcome outcome = Outcome::pending;
};

class TrialTask {
 public:
  // Throws std::invalid_argument when a duration that must be ≥ 1 is 0.
  explicit TrialTask(const TrialTaskParams& params = {});

  // Advances one frame. at_target and angle_deg are this frame's decoder outputs (z ≥ θ, angle).
  // Allocates only when a trial starts (its record).
  TaskFrame step(bool at_target, double angle_deg);

  [[nodiscard]] const std::vector<TrialRecord>& records() const { return records_; }
  [[nodiscard]] std::size_t frames() const { return frame_; }
  [[nodiscard]] const TrialTaskParams& params() const { return params_; }

 private:
  void begin_trial(std::size_t k, TaskFrame& out);
  void enter(TaskState state, std::size_t k);

  TrialTaskParams params_;
  std::size_t frame_ = 0;
  TaskState state_ = TaskState::open;
  std::size_t state_start_ = 0;  // first frame of the current state
  std::size_t show_end_ = 0;     // first frame after the 90° display
  std::vector<TrialRecord> records_;
};

// Rewarded trials / trials whose outcome is decided; NaN when none is.
double hit_fraction(std::span<const TrialRecord> records);

}  // namespace apical::loop
