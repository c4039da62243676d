#include "confirmed_light.hpp"

#include <algorithm>

namespace apical::bridge {

void ConfirmedLight::pulse(double on_s, double on_for_s) {
  recent_starts_.push_back(on_s);
  if (recent_starts_.size() > kept_pulses) recent_starts_.pop_front();
  if (!open_) open_ = LitBlock{on_s, on_s, 0};
  open_->start_s = std::min(open_->start_s, on_s);
  open_->stop_s = std::max(open_->stop_s, on_s + on_for_s);
  ++open_->pulses;
}

bool ConfirmedLight::frame_lit(double received_s) const {
  const double earliest = received_s - 1.75 * period_s_, latest = received_s - 0.25 * period_s_;
  return std::any_of(recent_starts_.rbegin(), recent_starts_.rend(),
                     [&](double start) { return start >= earliest && start <= latest; });
}

std::optional<LitBlock> ConfirmedLight::close_block() {
  std::optional<LitBlock> block;
  std::swap(block, open_);
  return block;
}

}  // namespace apical::bridge
