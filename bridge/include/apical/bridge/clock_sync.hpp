#pragma once
// The map from a rig microcontroller's µs clock to the host's CLOCK_MONOTONIC (rig.md §5), from TIME
// pings: the host notes t0, sends TIME, the device answers its clock t_d, the host notes t1. Each ping
// gives the offset t_d − (t0 + t1)/2 to within ± (t1 − t0)/2, so the pings with the shortest round
// trip are the most exact. The fit keeps the pings of the last `window`, takes the `keep_fraction` of
// them with the shortest round trip (but at least `min_kept`, or all there are) and fits
//
//     offset(h) = a + b · (h − h_ref)        (µs; h the host time, h_ref the kept pings' mean midpoint)
//
// by least squares; b is the device clock's drift against the host's (1e-6 = 1 ppm fast). Drift is
// fitted only once the kept pings span `min_drift_span`: over a shorter span the round-trip jitter
// would dominate it, and b = 0 is the better guess. Pure arithmetic, no I/O and no clock of its own.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

namespace apical::bridge {

struct ClockPing {
  std::int64_t host_sent_ns = 0;      // t0, CLOCK_MONOTONIC just before TIME went out
  std::int64_t device_us = 0;         // t_d, the device's µs clock in its reply
  std::int64_t host_received_ns = 0;  // t1, CLOCK_MONOTONIC when the reply was read
};

struct ClockFit {
  std::int64_t reference_ns = 0;  // h_ref on CLOCK_MONOTONIC
  double offset_us = 0;           // a: device clock − host clock at h_ref
  double drift = 0;               // b: d(offset)/dt, dimensionless (1e-6 = 1 ppm)
  std::size_t pings_used = 0;     // kept pings the fit rests on
  double max_error_us = 0;        // the largest half round trip among them: each one's offset bound

  // The device clock at host time `host_ns`, and the host time at device clock `device_us`.
  [[nodiscard]] double device_us_at(std::int64_t host_ns) const;
  [[nodiscard]] std::int64_t host_ns_at(std::int64_t device_us) const;
};

struct ClockSyncParams {
  std::chrono::nanoseconds window = std::chrono::seconds(60);
  double keep_fraction = 0.2;
  std::size_t min_kept = 4;
  std::chrono::nanoseconds min_drift_span = std::chrono::seconds(10);
};

class ClockSync {
 public:
  explicit ClockSync(ClockSyncParams params = {}) : params_(params) {}

  // Adds a ping (pings come in time order) and forgets those older than the window; a ping whose reply
  // came before its request (t1 < t0) is ignored.
  void add(const ClockPing& ping);
  // The fit over the pings held; nullopt before the first ping.
  [[nodiscard]] const std::optional<ClockFit>& fit() const { return fit_; }

 private:
  void refit();

  ClockSyncParams params_;
  std::deque<ClockPing> pings_;
  std::optional<ClockFit> fit_;
};

}  // namespace apical::bridge
