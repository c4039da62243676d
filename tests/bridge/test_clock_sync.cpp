// The host↔device clock fit (rig.md §5) on synthetic pings: a device clock with a known offset and
// drift, symmetric and one-sided round-trip jitter, and slow outliers the shortest-round-trip selection
// must leave out.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "apical/bridge/clock_sync.hpp"

using namespace apical::bridge;
using Catch::Matchers::WithinAbs;

namespace {

constexpr std::int64_t kHostStartNs = 3'600'000'000'000'000;  // 1000 h of uptime: large numbers on purpose

// A device clock: device_us = (host − host_start)·(1 + drift) / 1000 + start_us.
struct DeviceClock {
  double drift = 0;
  std::int64_t start_us = 0;
  [[nodiscard]] std::int64_t at(std::int64_t host_ns) const {
    return start_us + std::llround(static_cast<double>(host_ns - kHostStartNs) * (1 + drift) * 1e-3);
  }
};

// A ping at `host_ns`: the request takes `out_ns` to arrive, the reply `back_ns`.
ClockPing ping(const DeviceClock& device, std::int64_t host_ns, std::int64_t out_ns, std::int64_t back_ns) {
  return {host_ns, device.at(host_ns + out_ns), host_ns + out_ns + back_ns};
}

// Worst mapping error, µs, of device times over [from, to) of host time against the truth.
double worst_error_us(const ClockFit& fit, const DeviceClock& device, std::int64_t from_ns, std::int64_t to_ns) {
  double worst = 0;
  for (std::int64_t h = from_ns; h < to_ns; h += 100'000'000) {
    const std::int64_t mapped = fit.host_ns_at(device.at(h));
    worst = std::max(worst, std::abs(static_cast<double>(mapped - h)) * 1e-3);
  }
  return worst;
}

}  // namespace

TEST_CASE("one ping gives the offset to within half its round trip, and no drift", "[bridge][devices][clock]") {
  const DeviceClock device{0, 5'000'000};
  ClockSync sync;
  CHECK_FALSE(sync.fit());
  sync.add(ping(device, kHostStartNs + 1'000'000'000, 300'000, 100'000));  // lopsided: 0.3 ms out, 0.1 ms back
  REQUIRE(sync.fit());
  const ClockFit& fit = *sync.fit();
  CHECK(fit.pings_used == 1);
  CHECK(fit.drift == 0);
  CHECK_THAT(fit.max_error_us, WithinAbs(200, 1e-9));
  const std::int64_t h = kHostStartNs + 1'200'000'000;
  CHECK(std::abs(fit.host_ns_at(device.at(h)) - h) <= 200'000);  // within the bound (here 100 µs off)
  CHECK_THAT(fit.device_us_at(fit.host_ns_at(device.at(h))), WithinAbs(static_cast<double>(device.at(h)), 0.01));
}

TEST_CASE("pings every 2 s fit a drifting device clock through jitter and slow outliers", "[bridge][devices][clock]") {
  const DeviceClock device{150e-6, 123'456'789};  // 150 ppm fast, as a ceramic resonator may be
  std::mt19937 random(7);
  std::uniform_int_distribution<std::int64_t> usb_ns(500'000, 1'500'000);  // each way, like USB polling
  std::bernoulli_distribution slow(0.3);
  ClockSync sync;
  const std::int64_t period_ns = 2'000'000'000;
  std::int64_t h = kHostStartNs;
  for (int k = 0; k < 60; ++k, h += period_ns) {  // 2 minutes: the 60-s window has slid once
    // Slow pings wait 20-40 ms on the way back, where the host is busy: one-sided, so they would pull
    // the offset by 10-20 ms if they were kept.
    const std::int64_t back = usb_ns(random) + (slow(random) ? 20'000'000 + usb_ns(random) * 20 : 0);
    sync.add(ping(device, h, usb_ns(random), back));
  }
  REQUIRE(sync.fit());
  const ClockFit& fit = *sync.fit();
  CHECK(fit.pings_used >= 6);                 // 20 % of the 30 or 31 pings in the window
  CHECK(fit.pings_used <= 7);
  CHECK(fit.max_error_us < 1600);             // no slow ping among them
  CHECK_THAT(fit.drift, WithinAbs(150e-6, 20e-6));
  // Events of the last minute, and of the next 2 s until the next ping, map to within 1 ms.
  CHECK(worst_error_us(fit, device, h - 60 * 1'000'000'000LL, h + period_ns) < 1000);
}

TEST_CASE("drift is fitted only once the kept pings span 10 s", "[bridge][devices][clock]") {
  const DeviceClock device{1000e-6, 0};
  ClockSync sync;
  for (int k = 0; k < 3; ++k) sync.add(ping(device, kHostStartNs + k * 4'000'000'000LL, 50'000, 50'000));
  REQUIRE(sync.fit());
  CHECK(sync.fit()->drift == 0);  // 8 s of pings: offset only
  CHECK(worst_error_us(*sync.fit(), device, kHostStartNs, kHostStartNs + 8'000'000'000LL) > 3000);
  sync.add(ping(device, kHostStartNs + 12'000'000'000LL, 50'000, 50'000));
  CHECK_THAT(sync.fit()->drift, WithinAbs(1000e-6, 1e-6));
  CHECK(worst_error_us(*sync.fit(), device, kHostStartNs, kHostStartNs + 14'000'000'000LL) < 2);
}

TEST_CASE("a ping whose reply precedes its request is ignored", "[bridge][devices][clock]") {
  ClockSync sync;
  sync.add({2'000, 5, 1'000});
  CHECK_FALSE(sync.fit());
}
