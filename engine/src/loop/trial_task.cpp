#include "apical/engine/loop/trial_task.hpp"

#include <limits>
#include <stdexcept>

namespace apical::loop {

TrialTask::TrialTask(const TrialTaskParams& params) : params_(params) {
  if (params.open_frames == 0) throw std::invalid_argument("TrialTask: open_frames must be >= 1");
  if (params.reward_delay_frames == 0) throw std::invalid_argument("TrialTask: reward_delay_frames must be >= 1");
  if (params.blank_ok_frames == 0) throw std::invalid_argument("TrialTask: blank_ok_frames must be >= 1");
  if (params.fail_frames == 0) throw std::invalid_argument("TrialTask: fail_frames must be >= 1");
}

void TrialTask::enter(TaskState state, std::size_t k) {
  state_ = state;
  state_start_ = k;
}

void TrialTask::begin_trial(std::size_t k, TaskFrame& out) {
  TrialRecord record;
  record.start_frame = k;
  records_.push_back(record);
  enter(TaskState::open, k);
  out.trial_start = true;
}

TaskFrame TrialTask::step(bool at_target, double angle_deg) {
  const std::size_t k = frame_++;
  TaskFrame out;
  out.frame = k;

  // Time-driven transitions, taken at the start of frame k.
  if (records_.empty()) {
    begin_trial(k, out);
  } else {
    TrialRecord& trial = records_.back();
    switch (state_) {
      case TaskState::open:
        if (k - state_start_ >= params_.open_frames) {
          enter(TaskState::fail, k);
          trial.outcome = Outcome::fail;
          out.timeout = true;
        }
        break;
      case TaskState::hit:
        if (k - state_start_ >= params_.reward_delay_frames) {
          enter(TaskState::reward, k);
          trial.reward_frame = k;
          out.reward_command = true;
          if (params_.show_from == ShowAnchor::reward) show_end_ = k + params_.show_frames;
        }
        break;
      case TaskState::reward:  // lasts exactly one frame
        enter(k < show_end_ ? TaskState::show : TaskState::blank_ok, k);
        break;
      case TaskState::show:
        if (k >= show_end_) enter(TaskState::blank_ok, k);
        break;
      case TaskState::blank_ok:
        if (k - state_start_ >= params_.blank_ok_frames) begin_trial(k, out);
        break;
      case TaskState::fail:
        if (k - state_start_ >= params_.fail_frames) begin_trial(k, out);
        break;
    }
  }

  // The one event-driven transition: the hit, judged on this frame's decoder output.
  TrialRecord& trial = records_.back();
  if (state_ == TaskState::open && at_target) {
    enter(TaskState::hit, k);
    trial.hit_frame = k;
    trial.outcome = Outcome::hit;
    out.hit = true;
    if (params_.show_from == ShowAnchor::hit) show_end_ = k + params_.show_frames;
  }

  // A trial ends on the last frame of its black screen; the next frame starts the next trial.
  const std::size_t in_state = k + 1 - state_start_;
  if ((state_ == TaskState::blank_ok && in_state >= params_.blank_ok_frames) ||
      (state_ == TaskState::fail && in_state >= params_.fail_frames)) {
    out.trial_end = true;
    trial.end_frame = k;
  }

  out.state = state_;
  out.trial = records_.size() - 1;
  out.outcome = trial.outcome;
  switch (state_) {
    case TaskState::open: out.stimulus = {false, angle_deg}; break;
    case TaskState::hit:
    case TaskState::reward:
    case TaskState::show: out.stimulus = {false, params_.target_angle_deg}; break;
    case TaskState::blank_ok:
    case TaskState::fail: out.stimulus = {true, 0.0}; break;
  }
  return out;
}

double hit_fraction(std::span<const TrialRecord> records) {
  std::size_t decided = 0, hits = 0;
  for (const TrialRecord& r : records) {
    if (r.outcome == Outcome::pending) continue;
    ++decided;
    if (r.outcome == Outcome::hit) ++hits;
  }
  return decided == 0 ? std::numeric_limits<double>::quiet_NaN()
                      : static_cast<double>(hits) / static_cast<double>(decided);
}

}  // namespace apical::loop
