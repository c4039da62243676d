// Transient detection (experiment.md §4) on synthetic traces with known events, and the transient
// frequency per neuron, day and population (§8 Fig. 1i).
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "apical/analysis/transients.hpp"
#include "apical/engine/random.hpp"
#include "synthetic.hpp"

using namespace apical::analysis;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

constexpr double fs = 15.0;

// Baseline noise plus instant-rise, exponential-decay events of amplitude amp[i] at frames at[i].
std::vector<double> trace(std::size_t n, const std::vector<std::int64_t>& at, const std::vector<double>& amp,
                          double noise, std::uint64_t seed) {
  apical::CounterRng rng(seed, 7);
  std::vector<double> x(n);
  for (double& v : x) v = noise * rng.normal();
  const double decay = std::exp(-1.0 / (0.5 * fs));
  for (std::size_t e = 0; e < at.size(); ++e) {
    double g = amp[e];
    for (auto k = static_cast<std::size_t>(at[e]); k < n && g > 1e-6; ++k, g *= decay) x[k] += g;
  }
  return x;
}

}  // namespace

TEST_CASE("planted transients are found at their frames with their amplitudes", "[analysis][transients]") {
  std::vector<std::int64_t> at;
  std::vector<double> amp;
  for (int e = 0; e < 40; ++e) {
    at.push_back(100 + 70 * e + (e * 13) % 17);  // 4.7–5.8 s apart
    amp.push_back(0.3 + 0.05 * (e % 10));
  }
  const std::vector<double> x = trace(3000, at, amp, 0.02, 1);
  const std::vector<Transient> found = detect_transients(x, fs);
  REQUIRE(found.size() == at.size());
  // With noise SD 0.02 the frame after a small event's peak (decay 0.875 per frame) can come out higher,
  // and the amplitude carries the noise of the peak and of the minimum of the 1-s look-back (biased up).
  double bias = 0.0;
  for (std::size_t e = 0; e < at.size(); ++e) {
    CHECK(std::abs(found[e].frame - at[e]) <= 1);
    CHECK_THAT(found[e].amplitude, WithinAbs(amp[e], 0.1));
    CHECK(found[e].prominence > 0.0);
    bias += (found[e].amplitude - amp[e]) / static_cast<double>(at.size());
  }
  CHECK(bias > 0.0);
  CHECK(bias < 0.06);
  // Nearly noise-free, frames and amplitudes are exact.
  const std::vector<Transient> clean = detect_transients(trace(3000, at, amp, 1e-4, 1), fs);
  REQUIRE(clean.size() == at.size());
  for (std::size_t e = 0; e < at.size(); ++e) {
    CHECK(clean[e].frame == at[e]);
    CHECK_THAT(clean[e].amplitude, WithinAbs(amp[e], 1e-3));
  }
}

TEST_CASE("peaks closer than 1 s are merged into the taller one", "[analysis][transients]") {
  // 0.6 s apart: the second (taller) survives; 1.2 s apart: both survive.
  const std::vector<double> close = trace(600, {200, 209}, {0.5, 0.8}, 0.005, 2);
  const std::vector<Transient> a = detect_transients(close, fs);
  REQUIRE(a.size() == 1);
  CHECK(a[0].frame == 209);
  const std::vector<double> apart = trace(600, {200, 218}, {0.5, 0.8}, 0.005, 2);
  const std::vector<Transient> b = detect_transients(apart, fs);
  REQUIRE(b.size() == 2);
  CHECK(b[0].frame == 200);
  CHECK(b[1].frame == 218);
  // The amplitude of the second is measured from the trough after the first (the preceding local
  // minimum), not from zero.
  const double trough = 0.5 * std::exp(-17.0 / (0.5 * fs));
  CHECK_THAT(b[1].amplitude, WithinAbs(0.8 + 0.5 * std::exp(-18.0 / (0.5 * fs)) - trough, 0.03));
}

TEST_CASE("small bumps below 3 SD of the high-passed trace are not transients", "[analysis][transients]") {
  std::vector<std::int64_t> at{100, 400, 700, 1000, 1300};
  std::vector<double> amp{1.0, 1.0, 1.0, 1.0, 1.0};
  std::vector<double> x = trace(1600, at, amp, 0.01, 3);
  x[250] += 0.03;  // a one-frame blip, far under the threshold
  const std::vector<Transient> found = detect_transients(x, fs);
  CHECK(found.size() == at.size());
}

TEST_CASE("missing frames are bridged and never hold a peak", "[analysis][transients]") {
  const std::vector<std::int64_t> at{100, 300, 500, 700};
  std::vector<double> x = trace(900, at, {0.6, 0.6, 0.6, 0.6}, 0.01, 4);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int k = 295; k < 310; ++k) x[static_cast<std::size_t>(k)] = nan;  // the second event is lost
  const std::vector<Transient> found = detect_transients(x, fs);
  REQUIRE(found.size() == 3);
  CHECK(found[0].frame == 100);
  CHECK(found[1].frame == 500);
  CHECK(found[2].frame == 700);
  CHECK(detect_transients(std::vector<double>(50, nan), fs).empty());
}

TEST_CASE("transient rates per neuron and day, normalised per population", "[analysis][transients]") {
  // Two mice, three days; P− background rate halves by day 3, P+ and P0 stay.
  Cohort cohort;
  for (const char* mouse : {"m01", "m02"})
    for (int day = 1; day <= 3; ++day) {
      synthetic::Options o;
      o.mouse = mouse;
      o.day = day;
      o.seed = 100u * static_cast<unsigned>(day) + (mouse[2] == '1' ? 1u : 2u);
      o.minutes = 20.0;
      o.rate_hz = {0.15, 0.15 * (1.0 - 0.25 * (day - 1)), 0.15};
      cohort.sessions.push_back(synthetic::make_session(o));
    }
  std::vector<SessionTransients> transients;
  for (const Session& s : cohort.sessions) transients.push_back(detect_session_transients(s));
  const std::vector<NeuronDayRate> rates = transient_rates(cohort, transients);
  CHECK(rates.size() == 2 * 3 * 12);
  const PopulationRates p = population_rates(rates, PopulationRateOptions{1});  // late = day 3
  const auto plus = static_cast<std::size_t>(Role::plus), minus = static_cast<std::size_t>(Role::minus);
  // The generator drops events within 3 s of the previous one (a dead time τ = 3 s), so a Poisson
  // rate λ is realised as λ/(1 + λτ): 0.1034 Hz at 0.15 Hz, 0.0612 Hz at 0.075 Hz (day 3 of P−).
  const double day1 = 0.15 / (1 + 0.15 * 3), day3_minus = 0.075 / (1 + 0.075 * 3);
  for (std::size_t m = 0; m < 2; ++m) {
    CHECK(p.normalised[plus](m, 0) == 1.0);
    CHECK_THAT(p.late[minus][m], WithinAbs(day3_minus / day1, 0.15));
    CHECK_THAT(p.late[plus][m], WithinAbs(1.0, 0.15));
    CHECK_THAT(p.raw[plus](m, 0), WithinRel(day1, 0.15));
  }
  REQUIRE(p.anova);
  CHECK(p.anova_roles.size() == 3);
  CHECK(p.anova->a.df_effect == 2.0);
  CHECK(p.anova->b.df_effect == 2.0);
}

TEST_CASE("prominences equal the naive walk (slow reference), ties included", "[analysis][transients]") {
  apical::CounterRng rng(3, 1);
  std::size_t differ = 0, total = 0;
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> x(2000);
    for (std::size_t i = 0; i < x.size(); ++i)
      x[i] = std::round(5 * rng.normal()) + 0.001 * static_cast<double>(i) * (trial % 3);  // integer values: many ties
    TransientOptions o;
    o.prominence_sd = 0.0;     // keep every local maximum
    o.min_separation_s = 0.0;  // and do not thin them
    for (const Transient& t : detect_transients(x, fs, o)) {
      const auto k = static_cast<std::size_t>(t.frame);
      double left = x[k], right = x[k];
      for (std::size_t i = k; i-- > 0 && x[i] <= x[k];) left = std::min(left, x[i]);
      for (std::size_t i = k + 1; i < x.size() && x[i] <= x[k]; ++i) right = std::min(right, x[i]);
      ++total;
      differ += std::abs(t.prominence - (x[k] - std::max(left, right))) > 1e-12;
    }
  }
  CHECK(total > 10000);
  CHECK(differ == 0);
}
