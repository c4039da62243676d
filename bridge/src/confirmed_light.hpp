#pragma once
// The opto light as the reward device confirmed it: its OPT events, one per LED pulse, each stamped
// with the frame-clock edge that lit it (rig.md §3). From them a rig session marks each frame lit or
// dark and closes the opto epochs of the recording; what was commanded does not count.
//
// A frame's own edge is the start of its scan, about one frame period P before the frame arrives. A
// frame is lit when a pulse started between 1.75·P and 0.25·P before it arrived: the edge of the
// frame itself for any acquisition delay under P/4 (and under 3P/4 when the frame clock is steady),
// neither the next frame's edge nor the one before. Its pulse's line has reached the host by then
// (it is sent when the LED goes off, led_us after the edge).
#include <cstddef>
#include <deque>
#include <optional>

namespace apical::bridge {

// A stretch of confirmed light: from the first pulse's start to the last pulse's end, session clock.
struct LitBlock {
  double start_s = 0, stop_s = 0;
  std::size_t pulses = 0;
};

class ConfirmedLight {
 public:
  explicit ConfirmedLight(double frame_period_s) : period_s_(frame_period_s) {}

  // One OPT event: the LED went on at on_s (session clock) for on_for_s.
  void pulse(double on_s, double on_for_s);
  // Whether the device lit the frame that arrived at received_s (session clock).
  [[nodiscard]] bool frame_lit(double received_s) const;
  // Closes the block of pulses since the last close (a new block begins, the watchdog switched the
  // LED off, the session ends); nullopt when no pulse came since.
  std::optional<LitBlock> close_block();

 private:
  static constexpr std::size_t kept_pulses = 64;  // pulse starts kept for frame_lit: seconds of backlog
  double period_s_;
  std::deque<double> recent_starts_;  // the newest last
  std::optional<LitBlock> open_;
};

}  // namespace apical::bridge
