// Cross-validated outcome decoding (experiment.md §6 row 2, §9 T10): above chance with a planted
// signal, at chance without one, post > pre when only the post-outcome residuals carry the outcome,
// and bit-identical results for a fixed seed.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "apical/analysis/outcome_decoding.hpp"
#include "apical/analysis/statistics.hpp"
#include "apical/engine/random.hpp"
#include "synthetic.hpp"

using namespace apical::analysis;
using Catch::Matchers::WithinAbs;

namespace {

// n trials × p features of unit noise; the first `informative` features shift by ±signal/2 with the label.
void planted(std::size_t n, std::size_t p, std::size_t informative, double signal, std::uint64_t seed, Grid& X,
             std::vector<int>& y) {
  apical::CounterRng rng(seed, 3);
  X = Grid(n, p);
  y.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = i % 3 == 0 ? 1 : 0;  // imbalanced, as early-day hit rates are
    for (std::size_t j = 0; j < p; ++j) X(i, j) = rng.normal() + (j < informative ? (y[i] ? 0.5 : -0.5) * signal : 0.0);
  }
}

}  // namespace

TEST_CASE("decoding is above chance with a planted signal and at chance without", "[analysis][decoding]") {
  DecodingOptions o;
  o.shuffles = 200;
  Grid X;
  std::vector<int> y;
  planted(90, 20, 5, 1.5, 1, X, y);
  const DecodingResult hit = decode_binary(X, y, o);
  CHECK(hit.balanced_accuracy > 0.8);
  CHECK(hit.p < 0.01);
  CHECK_THAT(hit.null_mean, WithinAbs(0.5, 0.05));
  CHECK(hit.trials == 90);
  CHECK(hit.features == 20);

  // No signal: across independent data sets the accuracy scatters around 0.5 and p is uniform-ish.
  std::vector<double> accuracy, p;
  for (std::uint64_t seed = 10; seed < 30; ++seed) {
    planted(90, 20, 0, 0.0, seed, X, y);
    const DecodingResult r = decode_binary(X, y, o, seed);
    accuracy.push_back(r.balanced_accuracy);
    p.push_back(r.p);
  }
  CHECK_THAT(mean(accuracy), WithinAbs(0.5, 0.05));
  std::size_t significant = 0;
  for (double v : p) significant += v < 0.05;
  CHECK(significant <= 4);  // 1 expected out of 20
}

TEST_CASE("decoding is deterministic for a seed and changes with it", "[analysis][decoding]") {
  Grid X;
  std::vector<int> y;
  planted(60, 12, 3, 0.8, 5, X, y);
  DecodingOptions o;
  o.shuffles = 50;
  o.seed = 42;
  const DecodingResult a = decode_binary(X, y, o, 7), b = decode_binary(X, y, o, 7);
  CHECK(a.balanced_accuracy == b.balanced_accuracy);
  CHECK(a.null_mean == b.null_mean);
  CHECK(a.null_sd == b.null_sd);
  CHECK(a.p == b.p);
  o.seed = 43;
  const DecodingResult c = decode_binary(X, y, o, 7);
  CHECK((c.null_mean != a.null_mean || c.balanced_accuracy != a.balanced_accuracy));
  Grid six(6, X.cols);
  six.values.assign(X.values.begin(), X.values.begin() + static_cast<std::ptrdiff_t>(6 * X.cols));
  CHECK_THROWS_AS(decode_binary(six, std::vector<int>(y.begin(), y.begin() + 6), o), std::invalid_argument);
}

TEST_CASE("outcome is decoded from post-outcome residuals, not from pre-outcome ones", "[analysis][decoding]") {
  Cohort c;
  for (int m = 0; m < 4; ++m) {
    synthetic::Options o;
    o.mouse = "m" + std::to_string(m);
    o.seed = 70 + static_cast<std::uint64_t>(m);
    o.minutes = 25.0;
    o.outcome_signal = 0.1;  // ±2 residual SDs on outcome-locked distal events
    c.sessions.push_back(synthetic::make_session(o));
  }
  std::vector<SessionTransients> t;
  for (const Session& s : c.sessions) t.push_back(detect_session_transients(s));
  const std::vector<SdSession> sd = sd_residuals(c, t);
  DecodingOptions o;
  o.shuffles = 100;
  const DecodingSummary a = decode_outcome(c, sd, o);
  REQUIRE(a.units.size() == 4);
  for (const UnitDecoding& u : a.units) {
    INFO(u.mouse_id << " hits " << u.hits << " misses " << u.misses);
    CHECK(u.post.balanced_accuracy > 0.8);
    CHECK(u.post.p < 0.05);
    CHECK(u.pre.balanced_accuracy < 0.75);
  }
  CHECK(a.post_mean > a.pre_mean + 0.2);
  CHECK_THAT(a.pre_mean, WithinAbs(0.5, 0.12));
  CHECK(a.post_vs_null.p < 0.01);

  const DecodingSummary again = decode_outcome(c, sd, o);
  CHECK(again.post_mean == a.post_mean);
  CHECK(again.pre_mean == a.pre_mean);
}
