#pragma once
// The opto light of one closed-loop session, frame by frame: the clock schedules (opto_light_on) and the
// task-locked O1-t schedules (learning_rules.md §4), which decide frame k's light from frames < k, as a
// rig would, one frame late.
#include <cstddef>
#include <deque>

#include "apical/engine/loop/decoder.hpp"
#include "apical/engine/loop/trial_task.hpp"
#include "apical/engine/random.hpp"
#include "apical/models/bci/experiment_spec.hpp"

namespace apical::bci::detail {

class SessionLight {
 public:
  // rng draws random_epochs' epochs (unused by the other schedules).
  SessionLight(const OptoSpec& opto, int day, double frame_rate_Hz, CounterRng rng);

  // Whether the LED pulses during the next frame (frame k, k = the frames observed so far).
  [[nodiscard]] bool next_lit() const { return lit_; }
  // Frame k's task frame and decoder output; decides frame k + 1's light.
  void observe(const loop::TaskFrame& task, const loop::DecoderOutput& decoder);

 private:
  bool error_reduced(const loop::TaskFrame& task, double error);
  bool random_epoch_lit();

  const OptoSpec& opto_;
  int day_;
  double frame_rate_Hz_;
  CounterRng rng_;
  std::size_t frame_ = 0;           // frames observed
  bool lit_ = false;                // the next frame's light
  std::size_t after_reward_left_ = 0;
  std::size_t error_lag_frames_;
  struct Past {
    bool open;
    std::size_t trial;
    double error;
  };
  std::deque<Past> past_;            // the last error_lag_frames_ + 1 frames, oldest first
  double random_off_probability_;    // random_epochs: per-frame chance of ending a lit epoch …
  double random_on_probability_;     // … and of starting one
};

}  // namespace apical::bci::detail
