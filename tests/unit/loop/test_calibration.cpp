// Calibration on synthetic noise (experiment.md §2 "Calibration"): θ is the smallest value with a
// pseudo-trial hit fraction ≤ p_cal, the fraction lands on p_cal, fresh pseudo-trials from the same
// block reach θ about as often, and everything follows from the seed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "apical/engine/loop/calibration.hpp"
#include "synthetic_traces.hpp"

using namespace apical::loop;

namespace {

constexpr double below(double v) { return std::nextafter(v, -std::numeric_limits<double>::infinity()); }

// 10 min at 15 Hz, 5 P+, 5 P−, 3 P0; calcium-like noise with a 0.5-s correlation time.
struct Block {
  std::vector<Role> roles = test::bci_roles(5, 3);
  std::vector<double> dff;
  explicit Block(std::uint64_t seed, std::size_t frames = 9000)
      : dff(test::ar1_noise(frames, 13, 7.5, 0.2, seed)) {}
  [[nodiscard]] FrameBlock view() const { return FrameBlock(dff, roles.size()); }
};

// z over the block, recomputed as calibrate() defines it.
std::vector<double> z_trace(const Block& b, const Calibration& cal) {
  std::vector<double> z = smoothed_difference(b.view(), PopulationDifference(b.roles), 3);
  for (double& v : z) v = (v - cal.mu) / cal.sigma;
  return z;
}

}  // namespace

TEST_CASE("the threshold is the smallest with at most p of the maxima reaching it", "[loop][calibration]") {
  const std::vector<double> maxima = {0.1, 0.9, 0.5, 0.7, 0.3, 0.2, 0.8, 0.4, 0.6, 1.0};
  const double theta = threshold_for_fraction(maxima, 0.30);  // 3 of 10 may reach θ
  CHECK(theta == std::nextafter(0.7, 2.0));
  CHECK(fraction_reaching(maxima, theta) == 0.3);
  CHECK(fraction_reaching(maxima, below(theta)) == 0.4);
  // Ties at the boundary: the whole tie falls below θ.
  const std::vector<double> ties = {1.0, 1.0, 1.0, 0.5};
  CHECK(fraction_reaching(ties, threshold_for_fraction(ties, 0.5)) == 0.0);
}

TEST_CASE("calibration on noise: hit fraction <= p_cal and minimal", "[loop][calibration]") {
  const std::uint64_t seed = GENERATE(1, 2, 3);
  const Block block(seed);
  CalibrationParams params;
  params.seed = 100 + seed;
  const Calibration cal = calibrate(block.view(), block.roles, {}, params);

  // The threshold and its diagnostics.
  const std::vector<double> z = z_trace(block, cal);
  const std::vector<double> maxima = pseudo_trial_maxima(z, 200, 420, params.seed);
  CHECK(cal.pseudo_hit_fraction == fraction_reaching(maxima, cal.theta));
  CHECK(cal.pseudo_hit_fraction <= 0.30);
  CHECK(fraction_reaching(maxima, below(cal.theta)) > 0.30);  // minimal: one ulp lower is too easy
  // Overlapping pseudo-trials share their peak frame, so the maxima come in ties and the fraction
  // steps down from above 0.30 by a whole tie (0.275–0.30 on these blocks); it stays inside the
  // allowed p_cal range 0.25–0.30 of experiment.md §2.
  CHECK(cal.pseudo_hit_fraction >= 0.25);

  // μ, σ of x̄ and lo, the 0.5th percentile (rank 45 of 9,000) of z.
  const double mean = std::accumulate(z.begin(), z.end(), 0.0) / static_cast<double>(z.size());
  CHECK_THAT(mean, Catch::Matchers::WithinAbs(0.0, 1e-12));
  std::vector<double> sorted = z;
  std::sort(sorted.begin(), sorted.end());
  CHECK(cal.lo == sorted[44]);
  CHECK(cal.lo < -2.0);
  CHECK(cal.theta > 1.0);
  CHECK(cal.roi_mean.empty());
}

TEST_CASE("fresh pseudo-trials from the same block reach theta about p_cal of the time", "[loop][calibration]") {
  // 200 pseudo-trials from a 9,000-frame block are about 21 independent windows, so the calibrated
  // fraction is a noisy estimate; 2,000 fresh pseudo-trials check it to within a few percent.
  const Block block(7);
  const Calibration cal = calibrate(block.view(), block.roles);
  const std::vector<double> z = z_trace(block, cal);
  const double fresh = fraction_reaching(pseudo_trial_maxima(z, 2000, 420, 999), cal.theta);
  CHECK_THAT(fresh, Catch::Matchers::WithinAbs(0.30, 0.06));
}

TEST_CASE("calibration is a pure function of the block and the seed", "[loop][calibration]") {
  const Block block(11);
  CalibrationParams params;
  params.seed = 5;
  const Calibration a = calibrate(block.view(), block.roles, {}, params);
  const Calibration b = calibrate(block.view(), block.roles, {}, params);
  CHECK(a.mu == b.mu);
  CHECK(a.sigma == b.sigma);
  CHECK(a.lo == b.lo);
  CHECK(a.theta == b.theta);
  params.seed = 6;
  const Calibration c = calibrate(block.view(), block.roles, {}, params);
  CHECK(c.mu == a.mu);  // μ, σ, lo do not depend on the pseudo-trials
  CHECK(c.theta != a.theta);
}

TEST_CASE("per-neuron mode stores each ROI's mean and SD", "[loop][calibration]") {
  const Block block(13);
  DecoderParams decoder;
  decoder.per_neuron_zscore = true;
  const Calibration cal = calibrate(block.view(), block.roles, decoder);
  REQUIRE(cal.roi_mean.size() == 13);
  REQUIRE(cal.roi_sd.size() == 13);
  for (std::size_t i = 0; i < 13; ++i) {
    CHECK_THAT(cal.roi_sd[i], Catch::Matchers::WithinRel(0.2, 0.2));
    CHECK(std::abs(cal.roi_mean[i]) < 0.05);
  }
  CHECK(cal.pseudo_hit_fraction <= 0.30);
  CHECK_NOTHROW(Decoder(block.roles, cal, decoder));
}

TEST_CASE("calibration rejects short or degenerate blocks", "[loop][calibration]") {
  const Block short_block(1, 400);
  CHECK_THROWS_AS(calibrate(short_block.view(), short_block.roles), std::invalid_argument);
  const std::vector<Role> roles = test::bci_roles(1);
  const std::vector<double> flat(2 * 1000, 0.1);
  CHECK_THROWS_AS(calibrate(FrameBlock(flat, 2), roles), std::runtime_error);
  CalibrationParams bad;
  bad.p_cal = 0.0;
  const Block block(1);
  CHECK_THROWS_AS(calibrate(block.view(), block.roles, {}, bad), std::invalid_argument);
}

// Rows under the PMT gate (learning_rules.md §4 O2) have no sample: NaN ΔF/F. A P0 ROI without any
// sample and P± ROIs missing some frames leave the calibration of the sampled frames.
TEST_CASE("calibration skips missing samples", "[loop][calibration]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Block block(13);
  Block gapped = block;
  const std::size_t rois = block.roles.size(), frames = block.dff.size() / rois;
  for (std::size_t k = 0; k < frames; ++k) {
    gapped.dff[k * rois + 12] = nan;                    // a P0 ROI (index 12) never sampled
    if (k % 10 == 0) gapped.dff[k * rois + 0] = nan;    // a P+ ROI loses every 10th frame
  }
  DecoderParams decoder;
  decoder.per_neuron_zscore = true;
  const Calibration plain = calibrate(block.view(), block.roles, decoder);
  const Calibration cal = calibrate(gapped.view(), gapped.roles, decoder);
  CHECK(std::isnan(cal.roi_mean[12]));
  CHECK(std::isfinite(cal.mu));
  CHECK(std::isfinite(cal.sigma));
  CHECK(cal.theta > cal.lo);
  CHECK_THAT(cal.roi_sd[0], Catch::Matchers::WithinRel(plain.roi_sd[0], 0.05));
  CHECK_THAT(cal.sigma, Catch::Matchers::WithinRel(plain.sigma, 0.1));
  CHECK(cal.pseudo_hit_fraction <= 0.30);
  CHECK_NOTHROW(Decoder(gapped.roles, cal, decoder));
  // Every P+ ROI unsampled: no decoder trace at all.
  for (std::size_t k = 0; k < frames; ++k)
    for (std::size_t i = 0; i < rois; ++i)
      if (gapped.roles[i] == Role::plus) gapped.dff[k * rois + i] = nan;
  CHECK_THROWS(calibrate(gapped.view(), gapped.roles));
}
