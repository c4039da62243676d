// Equations of the task-locked schedules in experiment_spec.hpp (OptoSchedule).
#include "session_light.hpp"

#include <algorithm>
#include <cmath>

namespace apical::bci::detail {

SessionLight::SessionLight(const OptoSpec& opto, int day, double frame_rate_Hz, CounterRng rng)
    : opto_(opto),
      day_(day),
      frame_rate_Hz_(frame_rate_Hz),
      rng_(rng),
      error_lag_frames_(static_cast<std::size_t>(std::max(1L, std::lround(opto.error_lag_s * frame_rate_Hz)))) {
  // random_epochs: a two-state Markov chain per frame whose lit runs last random_epoch_s on average and
  // whose stationary lit fraction is random_duty (dark runs: random_epoch_s·(1 − duty)/duty).
  const double lit_run_frames = std::max(1.0, opto.random_epoch_s * frame_rate_Hz);
  const double duty = opto.random_duty;
  random_off_probability_ = duty >= 1.0 ? 0.0 : 1.0 / lit_run_frames;
  random_on_probability_ = duty >= 1.0 ? 1.0 : std::min(1.0, duty / (1.0 - duty) / lit_run_frames);
  if (opto.kind == OptoKind::none) return;
  if (!opto_task_locked(opto)) lit_ = opto_light_on(opto, day, 0.0);
  else if (opto.schedule == OptoSchedule::random_epochs) lit_ = rng_.uniform() < opto.random_duty;
}

void SessionLight::observe(const loop::TaskFrame& task, const loop::DecoderOutput& decoder) {
  ++frame_;
  if (opto_.kind == OptoKind::none) return;
  switch (opto_.schedule) {
    case OptoSchedule::every_session:
    case OptoSchedule::alternate_days:
    case OptoSchedule::blocks: lit_ = opto_light_on(opto_, day_, static_cast<double>(frame_) / frame_rate_Hz_); break;
    case OptoSchedule::after_reward:
      if (task.reward_command)
        after_reward_left_ = static_cast<std::size_t>(std::lround(opto_.after_reward_s * frame_rate_Hz_));
      lit_ = after_reward_left_ > 0;
      if (lit_) --after_reward_left_;
      break;
    case OptoSchedule::error_reduction: lit_ = error_reduced(task, decoder.error); break;  // sees every frame
    case OptoSchedule::random_epochs: lit_ = random_epoch_lit(); break;
  }
}

// The frame just observed lies in an error-reduction epoch: it and the frame error_lag_frames_ before it
// are OPEN frames of one trial and ε fell by more than error_threshold between them.
bool SessionLight::error_reduced(const loop::TaskFrame& task, double error) {
  past_.push_back({task.state == loop::TaskState::open, task.trial, error});
  if (past_.size() > error_lag_frames_ + 1) past_.pop_front();
  if (past_.size() <= error_lag_frames_) return false;
  const Past &then = past_.front(), &now = past_.back();
  return then.open && now.open && then.trial == now.trial && now.error - then.error < -opto_.error_threshold;
}

bool SessionLight::random_epoch_lit() {
  const double u = rng_.uniform();
  return lit_ ? u >= random_off_probability_ : u < random_on_probability_;
}

}  // namespace apical::bci::detail
