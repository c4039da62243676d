// StallDetector: one STALL line per gap longer than 2 frame periods, given when frames resume.
#include <catch2/catch.hpp>

#include "apical/bridge/stall_detector.hpp"

using namespace apical::bridge;
using namespace std::chrono_literals;

TEST_CASE("StallDetector reports each gap of more than 2 frame periods once, with its length", "[bridge][stall]") {
  StallDetector detector(100ms);  // 10 Hz: the limit is 200 ms
  const std::int64_t ms = 1'000'000;
  CHECK_FALSE(detector.arrival(0, 0));
  CHECK_FALSE(detector.arrival(100 * ms, 1));
  CHECK_FALSE(detector.arrival(300 * ms, 2));  // exactly 2 periods: not yet a stall
  const std::optional<std::string> stall = detector.arrival(750 * ms, 3);
  REQUIRE(stall);
  CHECK(*stall == "STALL 450 ms without frames before seq 3 (limit 200 ms = 2 frame periods at 10 Hz)");
  CHECK_FALSE(detector.arrival(850 * ms, 4));  // the stall was reported once
  REQUIRE(detector.arrival(2850 * ms, 5));
  CHECK_THROWS_AS(StallDetector(0ms), std::invalid_argument);
}
