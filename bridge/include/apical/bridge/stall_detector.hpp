#pragma once
// Stall reports (rig.md §2): a gap of more than 2 nominal frame periods between two frames' arrivals
// is a stall. It is reported once, when frames resume, with its length, e.g.
// "STALL 412 ms without frames before seq 57 (limit 133 ms = 2 frame periods at 15 Hz)".
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace apical::bridge {

class StallDetector {
 public:
  // Throws std::invalid_argument unless the frame period is positive.
  explicit StallDetector(std::chrono::nanoseconds frame_period);

  // One frame arrived at host monotonic time `received_ns`; the STALL line if the gap since the
  // previous frame was longer than the limit.
  std::optional<std::string> arrival(std::int64_t received_ns, std::uint64_t seq);

  [[nodiscard]] std::chrono::nanoseconds limit() const { return limit_; }

 private:
  std::chrono::nanoseconds period_, limit_;
  std::optional<std::int64_t> last_ns_;
};

}  // namespace apical::bridge
