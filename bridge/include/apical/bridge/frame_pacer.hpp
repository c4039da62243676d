#pragma once
// Releases numbered frames at a set rate, as sources that make their own frames (TIFF replay, the
// virtual microscope) must: frame k is due at start + k/rate, the start being the first request. A
// caller that falls behind gets the due frames at once, so the rate holds on average.
#include <chrono>
#include <cstdint>
#include <thread>

namespace apical::bridge {

class FramePacer {
 public:
  using Clock = std::chrono::steady_clock;

  explicit FramePacer(double rate_hz)
      : period_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate_hz))) {}

  // Waits until frame k is due and returns true, or — when it is due later than `timeout` from now —
  // waits `timeout` and returns false.
  bool wait_for(std::uint64_t k, std::chrono::milliseconds timeout) {
    const Clock::time_point now = Clock::now();
    if (!started_) {
      start_ = now;
      started_ = true;
    }
    const Clock::time_point due = start_ + period_ * k;
    if (due > now + timeout) {
      std::this_thread::sleep_for(timeout);
      return false;
    }
    std::this_thread::sleep_until(due);
    return true;
  }

 private:
  Clock::duration period_;
  Clock::time_point start_;
  bool started_ = false;
};

}  // namespace apical::bridge
