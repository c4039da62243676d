#include "apical/bridge/stall_detector.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace apical::bridge {
namespace {

constexpr int stall_periods = 2;  // rig.md §2

std::string milliseconds_text(std::int64_t ns) { return std::to_string(std::llround(double(ns) * 1e-6)) + " ms"; }

}  // namespace

StallDetector::StallDetector(std::chrono::nanoseconds frame_period)
    : period_(frame_period), limit_(stall_periods * frame_period) {
  if (frame_period.count() <= 0) throw std::invalid_argument("StallDetector: the frame period must be positive");
}

std::optional<std::string> StallDetector::arrival(std::int64_t received_ns, std::uint64_t seq) {
  const std::optional<std::int64_t> last = last_ns_;
  last_ns_ = received_ns;
  if (!last || received_ns - *last <= limit_.count()) return std::nullopt;
  const double rate_hz = 1e9 / double(period_.count());
  char rate[32];
  std::snprintf(rate, sizeof rate, "%g", rate_hz);
  return "STALL " + milliseconds_text(received_ns - *last) + " without frames before seq " + std::to_string(seq) +
         " (limit " + milliseconds_text(limit_.count()) + " = " + std::to_string(stall_periods) +
         " frame periods at " + rate + " Hz)";
}

}  // namespace apical::bridge
