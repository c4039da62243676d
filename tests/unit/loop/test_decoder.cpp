// The BCI decoder (experiment.md §2 steps 4–8): the population difference, the 3-frame mean, the
// frozen z-score, and the angle bins — checked at the exact edges and one ulp below them.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "apical/engine/loop/calibration.hpp"
#include "apical/engine/loop/decoder.hpp"

using namespace apical::loop;

namespace {

constexpr double below(double v) { return std::nextafter(v, -std::numeric_limits<double>::infinity()); }

Calibration frozen(double mu, double sigma, double lo, double theta) {
  Calibration c;
  c.mu = mu;
  c.sigma = sigma;
  c.lo = lo;
  c.theta = theta;
  return c;
}

const std::vector<Role> one_each = {Role::plus, Role::minus, Role::zero};

}  // namespace

TEST_CASE("edges run from lo to theta in five equal steps, the ends exact", "[loop][decoder]") {
  const double lo = GENERATE(0.0, -1.3, -0.37);
  const double theta = GENERATE(5.0, 2.7, 1.1);
  const Decoder dec(one_each, frozen(0, 1, lo, theta));
  const auto& e = dec.edges();
  CHECK(e.front() == lo);
  CHECK(e.back() == theta);
  for (int m = 1; m < Decoder::edge_count; ++m)
    CHECK_THAT(e[m] - e[m - 1], Catch::Matchers::WithinRel((theta - lo) / 5, 1e-12));
}

TEST_CASE("the bin counts edges <= z: exact at each edge, one lower one ulp below", "[loop][decoder]") {
  const Decoder dec(one_each, frozen(0, 1, -1.3, 2.7));
  const auto& e = dec.edges();
  for (int m = 0; m < Decoder::edge_count; ++m) {
    CAPTURE(m, e[m]);
    CHECK(dec.bin(e[m]) == m + 1);
    CHECK(dec.bin(below(e[m])) == m);
  }
  CHECK(dec.bin(-1e9) == 0);
  CHECK(dec.bin(1e9) == 6);
  CHECK(dec.bin(std::nan("")) == 0);
}

TEST_CASE("angle, error and target follow z through every bin", "[loop][decoder]") {
  // μ = 0, σ = 1, lo = 0, θ = 5: edges 0 … 5; P+ − P− = v held for 3 frames gives z = v exactly.
  const double v = GENERATE(-1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 4.999, 5.0, 6.0);
  Decoder dec(one_each, frozen(0, 1, 0, 5));
  DecoderOutput out;
  for (int k = 0; k < 3; ++k) out = dec.step(std::vector<double>{v + 0.25, 0.25, 17.0});
  const int expected_bin = v < 0 ? 0 : std::min(6, static_cast<int>(std::floor(v)) + 1);
  CAPTURE(v);
  CHECK(out.x == v);
  CHECK(out.x_bar == v);
  CHECK(out.z == v);
  CHECK(out.bin == expected_bin);
  CHECK(out.angle_deg == 15.0 * expected_bin);
  CHECK(out.error_deg == 90.0 - 15.0 * expected_bin);
  CHECK(out.error == std::max(0.0, 5.0 - v));
  CHECK(out.at_target == (v >= 5.0));
}

TEST_CASE("x is the difference of population means, P0 ignored", "[loop][decoder]") {
  const std::vector<Role> roles = {Role::plus, Role::zero, Role::plus, Role::minus, Role::minus, Role::minus};
  const PopulationDifference pop(roles);
  const auto m = pop.means(std::vector<double>{1.0, 1000.0, 3.0, 0.5, 1.0, 1.5});
  CHECK(m.plus == 2.0);
  CHECK(m.minus == 1.0);
  CHECK(pop.difference(std::vector<double>{1.0, -1000.0, 3.0, 0.5, 1.0, 1.5}) == 1.0);
  CHECK_THROWS_AS(PopulationDifference(std::vector<Role>{Role::plus, Role::zero}), std::invalid_argument);
  CHECK_THROWS_AS(pop.means(std::vector<double>{1.0}), std::invalid_argument);
}

TEST_CASE("x-bar is the mean of the last 3 frames, of fewer at the start", "[loop][decoder]") {
  Decoder dec(one_each, frozen(0, 1, 0, 5));
  const std::vector<double> xs = {3.0, 6.0, 9.0, 0.0, 3.0};
  const std::vector<double> expected = {3.0, 4.5, 6.0, 5.0, 4.0};
  for (std::size_t k = 0; k < xs.size(); ++k) CHECK(dec.step_difference(xs[k]).x_bar == expected[k]);
  dec.reset();
  CHECK(dec.step_difference(1.0).x_bar == 1.0);
}

TEST_CASE("z uses the frozen calibration mean and SD", "[loop][decoder]") {
  Decoder dec(one_each, frozen(0.5, 0.25, -2, 3));
  const DecoderOutput out = dec.step_difference(1.25);
  CHECK(out.z == 3.0);
  CHECK(out.at_target);
  CHECK(out.angle_deg == 90.0);
}

TEST_CASE("per-neuron z-scoring weights each neuron by 1/SD", "[loop][decoder]") {
  Calibration cal = frozen(0, 1, 0, 5);
  cal.roi_mean = {1.0, -2.0, 0.0};
  cal.roi_sd = {0.5, 4.0, 0.0};  // a P0 ROI may have any SD
  DecoderParams params;
  params.per_neuron_zscore = true;
  params.smoothing_frames = 1;
  Decoder dec(one_each, cal, params);
  // P+: (2 − 1)/0.5 = 2; P−: (2 − −2)/4 = 1; x = 1.
  CHECK(dec.step(std::vector<double>{2.0, 2.0, 99.0}).x == 1.0);
  cal.roi_sd = {};
  CHECK_THROWS_AS(Decoder(one_each, cal, params), std::invalid_argument);
}

TEST_CASE("an unusable calibration is rejected", "[loop][decoder]") {
  CHECK_THROWS_AS(Decoder(one_each, frozen(0, 0, 0, 1)), std::invalid_argument);
  CHECK_THROWS_AS(Decoder(one_each, frozen(0, 1, 1, 1)), std::invalid_argument);
  CHECK_THROWS_AS(Decoder(one_each, frozen(0, 1, 0, std::nan(""))), std::invalid_argument);
  DecoderParams no_smoothing;
  no_smoothing.smoothing_frames = 0;
  CHECK_THROWS_AS(Decoder(one_each, frozen(0, 1, 0, 1), no_smoothing), std::invalid_argument);
}

// A NaN ΔF/F is a missing sample (a row under the PMT gate, learning_rules.md §4 O2).
TEST_CASE("missing samples: each population's mean is over its sampled ROIs, NaN when none has one", "[loop][decoder]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<Role> roles = {Role::plus, Role::plus, Role::minus, Role::minus, Role::zero};
  const PopulationDifference pop(roles);
  const auto m = pop.means(std::vector<double>{nan, 3.0, 0.5, 1.5, nan});
  CHECK(m.plus == 3.0);
  CHECK(m.minus == 1.0);
  CHECK(std::isnan(pop.means(std::vector<double>{nan, nan, 0.5, 1.5, 0.0}).plus));
  CHECK(pop.means(std::vector<double>{nan, nan, 0.5, 1.5, 0.0}).minus == 1.0);
}

TEST_CASE("a frame without a population difference holds x-bar (mu_cal before any sample)", "[loop][decoder]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Decoder dec(one_each, frozen(0.5, 0.25, -2, 3));
  const DecoderOutput first = dec.step_difference(nan);  // nothing yet: at mu_cal, z = 0
  CHECK(std::isnan(first.x));
  CHECK(first.x_bar == 0.5);
  CHECK(first.z == 0.0);
  CHECK(dec.step_difference(3.0).x_bar == 3.0);
  CHECK(dec.step_difference(6.0).x_bar == 4.5);
  const DecoderOutput held = dec.step_difference(nan);  // the window is not advanced
  CHECK(held.x_bar == 4.5);
  CHECK(held.z == (4.5 - 0.5) / 0.25);
  CHECK(held.at_target);
  CHECK(dec.step_difference(9.0).x_bar == 6.0);  // 3, 6, 9: the NaN frame took no place
  CHECK(dec.step(std::vector<double>{nan, 1.0, 7.0}).x_bar == 6.0);
}
