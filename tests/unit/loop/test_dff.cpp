// ΔF/F with the sliding 10th-percentile baseline (experiment.md §2 steps 2–3): zero on constant F, and
// on a step the baseline follows to the frame the 87th-smallest of 870 samples changes.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "apical/engine/loop/dff.hpp"

using namespace apical::loop;

namespace {

std::vector<double> constant_block(std::size_t frames, std::vector<double> row) {
  std::vector<double> block;
  for (std::size_t k = 0; k < frames; ++k) block.insert(block.end(), row.begin(), row.end());
  return block;
}

}  // namespace

TEST_CASE("constant F gives dF/F = 0 and F0 = F", "[loop][dff]") {
  DeltaFOverF dff(3);
  const std::vector<double> f = {100.0, 2500.25, 812.5};
  dff.seed(FrameBlock(constant_block(2000, f), 3));
  std::vector<double> d(3, -1.0);
  for (int k = 0; k < 1000; ++k) {
    dff.step(f, d);
    for (std::size_t i = 0; i < 3; ++i) {
      REQUIRE(d[i] == 0.0);
      REQUIRE(dff.f0()[i] == f[i]);
    }
  }
}

TEST_CASE("an upward step in F is held against the old baseline until 784 new frames have come", "[loop][dff]") {
  // W = 870, rank 87: F0 stays at the old level while at least 87 old samples remain, i.e. for the
  // first 870 − 87 = 783 frames after the step; from frame 784 on F0 is the new level.
  DeltaFOverF dff(1);
  dff.seed(FrameBlock(constant_block(870, {100.0}), 1));
  std::vector<double> d(1);
  const std::vector<double> f = {200.0};
  for (int j = 1; j <= 783; ++j) {
    dff.step(f, d);
    REQUIRE(d[0] == 1.0);
  }
  dff.step(f, d);
  CHECK(d[0] == 0.0);
  CHECK(dff.f0()[0] == 200.0);
}

TEST_CASE("a downward step in F moves the baseline after 87 frames", "[loop][dff]") {
  DeltaFOverF dff(1);
  dff.seed(FrameBlock(constant_block(900, {200.0}), 1));
  std::vector<double> d(1);
  const std::vector<double> f = {100.0};
  for (int j = 1; j <= 86; ++j) {
    dff.step(f, d);
    REQUIRE(d[0] == -0.5);
  }
  dff.step(f, d);
  CHECK(d[0] == 0.0);
}

TEST_CASE("seeding uses the tail of the calibration block, one window per ROI", "[loop][dff]") {
  // 1,000 frames: the first 130 at 50, the last 870 ramping 1000 … 1869 (ROI 0) and flat 300 (ROI 1).
  std::vector<double> block;
  for (int k = 0; k < 1000; ++k) {
    block.push_back(k < 130 ? 50.0 : 1000.0 + (k - 130));
    block.push_back(k < 130 ? 50.0 : 300.0);
  }
  DeltaFOverF dff(2);
  dff.seed(FrameBlock(block, 2));
  CHECK(dff.f0()[0] == 1086.0);  // 87th smallest of 1000 … 1869
  CHECK(dff.f0()[1] == 300.0);
  CHECK(dff.baseline(0).size() == 870);
}

TEST_CASE("a dark ROI contributes 0 rather than a non-finite value", "[loop][dff]") {
  DeltaFOverF dff(1);
  std::vector<double> d(1);
  dff.step(std::vector<double>{0.0}, d);
  CHECK(d[0] == 0.0);
}

TEST_CASE("a missing sample (NaN F) gives NaN dF/F and leaves the baseline window alone", "[loop][dff]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // ROI 0 misses every other frame of the seed block and of the steps, ROI 1 none: both windows hold
  // the same samples, so F0 agrees wherever ROI 0 has a sample.
  std::vector<double> seed_block;
  for (int k = 0; k < 200; ++k) seed_block.insert(seed_block.end(), {k % 2 ? nan : 100.0 + k, 100.0 + k});
  DeltaFOverF dff(2);
  dff.seed(FrameBlock(seed_block, 2));
  CHECK(dff.baseline(0).size() == 100);
  CHECK(dff.baseline(1).size() == 200);
  std::vector<double> d(2);
  DeltaFOverF reference(1);
  std::vector<double> reference_block;
  for (int k = 0; k < 200; k += 2) reference_block.push_back(100.0 + k);
  reference.seed(FrameBlock(reference_block, 1));
  std::vector<double> r(1);
  for (int k = 0; k < 100; ++k) {
    const double f = 150.0 + 3.0 * k;
    dff.step(std::vector<double>{k % 2 ? nan : f, f}, d);
    if (k % 2) {
      CHECK(std::isnan(d[0]));
      CHECK(std::isfinite(d[1]));
    } else {
      reference.step(std::vector<double>{f}, r);
      CHECK(d[0] == r[0]);
      CHECK(dff.f0()[0] == reference.f0()[0]);
    }
  }
}

TEST_CASE("size mismatches are rejected", "[loop][dff]") {
  DeltaFOverF dff(2);
  std::vector<double> d(2);
  CHECK_THROWS_AS(dff.step(std::vector<double>{1.0}, d), std::invalid_argument);
  const std::vector<double> block(9, 1.0);
  CHECK_THROWS_AS(dff.seed(FrameBlock(block, 3)), std::invalid_argument);
  CHECK_THROWS_AS(FrameBlock(block, 2), std::invalid_argument);
}
