// Teaching signal, reward baseline and feedback weights; equations in experiment_spec.hpp.
#include "teaching.hpp"

#include <algorithm>
#include <cmath>

namespace apical::bci::detail {

TeachingChannel::TeachingChannel(const ExperimentSpec& spec, std::span<const loop::Role> roles, double p_cal,
                                 CounterRng& rng)
    : teaching_(spec.teaching),
      reward_(spec.reward),
      swap_(spec.manipulations.feedback_sign_swap),
      block_(spec.manipulations.neuromodulator_block),
      roles_(roles.begin(), roles.end()),
      baseline_(spec.reward.initial_baseline < 0.0 ? p_cal : spec.reward.initial_baseline) {
  feedback_.assign(roles_.size(), 0.0);
  for (std::size_t i = 0; i < roles_.size(); ++i) {
    switch (teaching_.feedback) {
      case FeedbackType::oracle:
        feedback_[i] = roles_[i] == loop::Role::plus ? 1.0 : roles_[i] == loop::Role::minus ? -1.0 : 0.0;
        break;
      case FeedbackType::random: feedback_[i] = rng.normal(); break;
      case FeedbackType::learned:
      case FeedbackType::zero: feedback_[i] = 0.0; break;
    }
  }
  refresh_current();
}

void TeachingChannel::refresh_current() {
  current_per_unit_.resize(feedback_.size());
  for (std::size_t i = 0; i < feedback_.size(); ++i) {
    const bool swapped = swap_ && roles_[i] != loop::Role::zero;
    current_per_unit_[i] = (swapped ? -feedback_[i] : feedback_[i]) * teaching_.teaching_gain_pA;
  }
}

std::vector<double> TeachingChannel::delivered_feedback() const {
  std::vector<double> out(feedback_.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = swap_ && roles_[i] != loop::Role::zero ? -feedback_[i] : feedback_[i];
  return out;
}

void TeachingChannel::start_session() {
  previous_error_ = 0.0;
  previous_open_ = false;
  error_rate_ = 0.0;
  kernel_ = 0.0;
}

TeachingChannel::Output TeachingChannel::step(const loop::TaskFrame& task, const loop::DecoderOutput& decoder) {
  constexpr double fs = frame_rate_Hz;
  Output out;
  // Reward-prediction error at the outcome frame, then the per-trial baseline update.
  if (task.reward_command || task.timeout) {
    const double R = task.reward_command ? 1.0 : 0.0;
    const double delta = R - baseline_;
    baseline_ = reward_.baseline_alpha * baseline_ + (1.0 - reward_.baseline_alpha) * R;
    out.delta = block_ ? 0.0 : delta;
  }
  kernel_ = kernel_ * std::exp(-1.0 / (fs * teaching_.reward_tau_s)) + out.delta;

  // Visual error: ε in OPEN, 0 once the target is shown (HIT); undefined on black screens.
  const bool open = task.state == loop::TaskState::open;
  const bool target_shown = task.state == loop::TaskState::hit;
  const double error = open ? decoder.error : 0.0;
  const double raw_rate = previous_open_ && (open || target_shown) ? (error - previous_error_) * fs : 0.0;
  previous_open_ = open;
  previous_error_ = error;
  const double a = teaching_.error_rate_tau_s > 0.0 ? std::exp(-1.0 / (fs * teaching_.error_rate_tau_s)) : 0.0;
  error_rate_ = a * error_rate_ + (1.0 - a) * raw_rate;
  const double error_rate = error_rate_;

  const double T = teaching_.kappa_delta_s * (-error_rate) + teaching_.kappa_epsilon * error + teaching_.kappa_R * kernel_;
  out.teaching = std::clamp(T, -teaching_.teaching_limit, teaching_.teaching_limit);
  return out;
}

void TeachingChannel::learn_feedback(const loop::TaskFrame& task, const loop::DecoderOutput& decoder,
                                     std::span<const double> rate, std::span<const double> rate_mean, double mean_weight) {
  if (teaching_.feedback != FeedbackType::learned || task.state != loop::TaskState::open) return;
  const double cursor = decoder.angle_deg / 90.0;
  if (!cursor_seen_) {
    cursor_mean_ = cursor;
    cursor_seen_ = true;
  }
  const double deviation = cursor - cursor_mean_;
  for (std::size_t i = 0; i < feedback_.size(); ++i)
    feedback_[i] += teaching_.learned_feedback_rate * (rate[i] - rate_mean[i]) * deviation;
  cursor_mean_ += mean_weight * (cursor - cursor_mean_);
  refresh_current();
}

}  // namespace apical::bci::detail
