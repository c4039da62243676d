#include "apical/bridge/clock_sync.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace apical::bridge {
namespace {

std::int64_t midpoint_ns(const ClockPing& p) { return p.host_sent_ns + (p.host_received_ns - p.host_sent_ns) / 2; }

// Device time minus host time at the ping's midpoint, µs; integer ns first, so that neither clock's
// size costs precision.
double offset_us(const ClockPing& p) { return static_cast<double>(p.device_us * 1000 - midpoint_ns(p)) * 1e-3; }

}  // namespace

double ClockFit::device_us_at(std::int64_t host_ns) const {
  const double x_us = static_cast<double>(host_ns - reference_ns) * 1e-3;
  return static_cast<double>(reference_ns) * 1e-3 + x_us + offset_us + drift * x_us;
}

std::int64_t ClockFit::host_ns_at(std::int64_t device_us) const {
  // device = h_ref + x + a + b·x, solved for x = h − h_ref.
  const double x_us = (static_cast<double>(device_us * 1000 - reference_ns) * 1e-3 - offset_us) / (1 + drift);
  return reference_ns + std::llround(x_us * 1e3);
}

void ClockSync::add(const ClockPing& ping) {
  if (ping.host_received_ns < ping.host_sent_ns) return;
  pings_.push_back(ping);
  const std::int64_t oldest = ping.host_received_ns - params_.window.count();
  while (pings_.front().host_received_ns < oldest) pings_.pop_front();
  refit();
}

void ClockSync::refit() {
  std::vector<ClockPing> kept(pings_.begin(), pings_.end());
  const auto wanted = static_cast<std::size_t>(std::ceil(params_.keep_fraction * static_cast<double>(kept.size())));
  const std::size_t count = std::min(kept.size(), std::max(params_.min_kept, wanted));
  const auto round_trip = [](const ClockPing& p) { return p.host_received_ns - p.host_sent_ns; };
  std::nth_element(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(count - 1), kept.end(),
                   [&](const ClockPing& l, const ClockPing& r) { return round_trip(l) < round_trip(r); });
  kept.resize(count);

  ClockFit fit;
  fit.pings_used = count;
  const std::int64_t first = midpoint_ns(kept.front());
  std::int64_t spread_ns = 0, earliest = first, latest = first;
  for (const ClockPing& p : kept) {
    spread_ns += midpoint_ns(p) - first;
    earliest = std::min(earliest, midpoint_ns(p));
    latest = std::max(latest, midpoint_ns(p));
    fit.max_error_us = std::max(fit.max_error_us, static_cast<double>(round_trip(p)) * 0.5e-3);
  }
  fit.reference_ns = first + spread_ns / static_cast<std::int64_t>(count);
  double mean_y = 0;
  for (const ClockPing& p : kept) mean_y += offset_us(p);
  mean_y /= static_cast<double>(count);
  fit.offset_us = mean_y;
  if (latest > earliest && latest - earliest >= params_.min_drift_span.count()) {
    // Slope Sxy/Sxx about the means; the intercept then moves from the mean midpoint to h_ref.
    double sxx = 0, sxy = 0, mean_x = 0;
    for (const ClockPing& p : kept) mean_x += static_cast<double>(midpoint_ns(p) - fit.reference_ns) * 1e-3;
    mean_x /= static_cast<double>(count);
    for (const ClockPing& p : kept) {
      const double x = static_cast<double>(midpoint_ns(p) - fit.reference_ns) * 1e-3 - mean_x;
      sxx += x * x;
      sxy += x * (offset_us(p) - mean_y);
    }
    fit.drift = sxy / sxx;
    fit.offset_us = mean_y - fit.drift * mean_x;
  }
  fit_ = fit;
}

}  // namespace apical::bridge
