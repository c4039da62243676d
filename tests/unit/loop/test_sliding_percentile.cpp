// SlidingPercentile against a sort-based reference (rig.md §8): after every push the answer equals the
// nearest-rank order statistic of the quantised window, exactly, on random, monotone, constant, step
// and widely spread sequences, through many wraps of the ring.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <vector>

#include "apical/engine/loop/sliding_percentile.hpp"
#include "apical/engine/random.hpp"

using namespace apical;
using namespace apical::loop;

namespace {

// The obviously correct oracle: quantise the trailing window and select with std::nth_element.
class SortedWindow {
 public:
  SortedWindow(const SlidingPercentile& reference, std::size_t window, double q)
      : ref_(reference), window_(window), q_(q) {}
  double push(double v) {
    values_.push_back(ref_.quantise(v));
    if (values_.size() > window_) values_.pop_front();
    std::vector<double> w(values_.begin(), values_.end());
    const std::size_t r = SlidingPercentile::nearest_rank(q_, w.size());
    std::nth_element(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(r - 1), w.end());
    return w[r - 1];
  }

 private:
  const SlidingPercentile& ref_;
  std::size_t window_;
  double q_;
  std::deque<double> values_;
};

// Pushes the whole sequence and counts pushes whose answer differs from the oracle's.
std::size_t mismatches(const SlidingPercentileParams& p, const std::vector<double>& samples) {
  SlidingPercentile fast(p);
  SortedWindow slow(fast, p.window, p.quantile);
  std::size_t bad = 0;
  for (double v : samples) bad += fast.push(v) != slow.push(v) ? 1 : 0;
  return bad;
}

std::vector<double> sequence(const std::string& kind, std::size_t n, std::uint64_t seed) {
  CounterRng rng(seed, 0);
  std::vector<double> s(n);
  for (std::size_t k = 0; k < n; ++k) {
    const double t = static_cast<double>(k);
    if (kind == "random") s[k] = 1000.0 + 50.0 * rng.normal();
    else if (kind == "monotone up") s[k] = 200.0 + 0.37 * t;
    else if (kind == "monotone down") s[k] = 4000.0 - 0.37 * t;
    else if (kind == "constant") s[k] = 812.25;
    else if (kind == "step") s[k] = k < n / 3 ? 500.0 : (k < 2 * n / 3 ? 1500.0 : 700.0);
    else if (kind == "spread") s[k] = 60000.0 * rng.uniform();  // touches most of the 1,024 blocks
    else if (kind == "sparse jumps") s[k] = (k / 97) % 2 ? 30000.0 + rng.uniform() : 10.0 + rng.uniform();
  }
  return s;
}

}  // namespace

TEST_CASE("nearest rank is ceil(q n) within [1, n]", "[loop][percentile]") {
  CHECK(SlidingPercentile::nearest_rank(0.10, 870) == 87);
  CHECK(SlidingPercentile::nearest_rank(0.10, 871) == 88);
  CHECK(SlidingPercentile::nearest_rank(0.005, 9000) == 45);
  CHECK(SlidingPercentile::nearest_rank(0.5, 4) == 2);
  CHECK(SlidingPercentile::nearest_rank(0.0, 10) == 1);
  CHECK(SlidingPercentile::nearest_rank(1.0, 10) == 10);
  CHECK(SlidingPercentile::nearest_rank(0.10, 1) == 1);
}

TEST_CASE("sliding percentile equals sort-based reference after every push", "[loop][percentile]") {
  const auto kind = GENERATE(as<std::string>{}, "random", "monotone up", "monotone down", "constant", "step",
                             "spread", "sparse jumps");
  const double q = GENERATE(0.0, 0.10, 0.5, 0.9, 1.0);
  const std::size_t window = GENERATE(1, 2, 7, 870);
  SlidingPercentileParams p;
  p.window = window;
  p.quantile = q;
  // Three and a half window lengths (at least 600 samples): the ring wraps several times.
  const std::size_t n = std::max<std::size_t>(600, 7 * window / 2);
  CAPTURE(kind, q, window);
  CHECK(mismatches(p, sequence(kind, n, 42)) == 0);
}

TEST_CASE("sliding percentile is exact on another grid and origin", "[loop][percentile]") {
  SlidingPercentileParams p;
  p.window = 50;
  p.quantile = 0.10;
  p.bin_width = 1e-3;  // ΔF/F-scale samples around 1
  p.origin = -2.0;
  p.bins = 8000;
  std::vector<double> s(400);
  CounterRng rng(3, 0);
  for (double& v : s) v = 1.0 + 0.3 * rng.normal();
  CHECK(mismatches(p, s) == 0);
}

TEST_CASE("samples on the quantisation grid come back exactly", "[loop][percentile]") {
  SlidingPercentile p;
  for (double v : {100.0, 100.25, 99.75, 123.5}) CHECK(p.quantise(v) == v);
  CHECK(p.quantise(100.1) == 100.0);
  CHECK(p.quantise(100.2) == 100.25);
  CHECK(std::isnan(p.value()));
}

TEST_CASE("values outside the range are clamped and counted", "[loop][percentile]") {
  SlidingPercentileParams params;
  params.window = 4;
  params.bins = 401;  // 0 … 100 in steps of 0.25
  SlidingPercentile p(params);
  p.push(-5.0);
  CHECK(p.value() == 0.0);
  p.push(1e9);
  p.push(std::nan(""));
  CHECK(p.clamped() == 3);
  params.quantile = 1.0;
  SlidingPercentile top(params);
  top.push(1e9);
  CHECK(top.value() == 100.0);
}

TEST_CASE("seeding equals pushing the tail of the calibration block", "[loop][percentile]") {
  SlidingPercentileParams params;
  params.window = 100;
  const std::vector<double> block = sequence("random", 1000, 5);
  const std::vector<double> live = sequence("step", 300, 6);

  SlidingPercentile seeded(params), pushed(params);
  seeded.push(12345.0);  // stale content that seed() must discard
  seeded.seed(block);
  for (std::size_t k = 0; k < block.size(); ++k) pushed.push(block[k]);
  CHECK(seeded.size() == 100);
  CHECK(seeded.value() == pushed.value());

  SortedWindow oracle(seeded, params.window, params.quantile);
  for (std::size_t k = block.size() - params.window; k < block.size(); ++k) oracle.push(block[k]);
  for (double v : live) REQUIRE(seeded.push(v) == oracle.push(v));

  // A short block fills the window only partly.
  SlidingPercentile partial(params);
  partial.seed(std::span<const double>(block).first(10));
  CHECK(partial.size() == 10);
}

TEST_CASE("bad parameters are rejected", "[loop][percentile]") {
  SlidingPercentileParams p;
  p.window = 0;
  CHECK_THROWS_AS(SlidingPercentile(p), std::invalid_argument);
  p.window = 70000;
  CHECK_THROWS_AS(SlidingPercentile(p), std::invalid_argument);
  p = {};
  p.quantile = 1.5;
  CHECK_THROWS_AS(SlidingPercentile(p), std::invalid_argument);
  p = {};
  p.bin_width = 0;
  CHECK_THROWS_AS(SlidingPercentile(p), std::invalid_argument);
}
