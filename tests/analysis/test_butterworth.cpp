// The transient detector's high-pass (experiment.md §4: 9th-order Butterworth, cutoff fs/8).
// Properties: −3.01 dB at the cutoff, unit gain in the passband, a 6.02·N dB/octave stop-band slope
// (N = 9), and poles and zero-phase output equal to SciPy 1.10.1's butter/sosfiltfilt
// (tests/analysis/make_reference.py).
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include "apical/analysis/butterworth.hpp"

using namespace apical::analysis;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

constexpr double fs = 15.0, fc = fs / 8.0;

double gain_db(const SosFilter& f, double hz) { return 20.0 * std::log10(std::abs(frequency_response(f, hz, fs))); }

std::vector<std::complex<double>> poles(const SosFilter& f) {
  std::vector<std::complex<double>> p;
  for (const Biquad& q : f.sections) {
    if (q.a2 == 0.0) {
      p.emplace_back(-q.a1, 0.0);
      continue;
    }
    const std::complex<double> disc = std::sqrt(std::complex<double>(q.a1 * q.a1 - 4.0 * q.a2, 0.0));
    p.push_back(0.5 * (-q.a1 + disc));
    p.push_back(0.5 * (-q.a1 - disc));
  }
  std::sort(p.begin(), p.end(), [](auto a, auto b) { return a.real() != b.real() ? a.real() < b.real() : a.imag() < b.imag(); });
  return p;
}

}  // namespace

TEST_CASE("9th-order Butterworth high-pass: −3 dB at fs/8, order 9", "[analysis][butterworth]") {
  const SosFilter hp = butterworth(FilterKind::highpass, 9, fc, fs);
  CHECK(hp.order == 9);
  CHECK(hp.sections.size() == 5);  // four biquads and one first-order section
  CHECK_THAT(gain_db(hp, fc), WithinAbs(-10.0 * std::log10(2.0), 1e-10));
  CHECK_THAT(std::abs(frequency_response(hp, fs / 2.0, fs)), WithinAbs(1.0, 1e-12));  // passband
  CHECK(std::abs(frequency_response(hp, 0.0, fs)) < 1e-12);                          // zeros at DC
  // SciPy sosfreqz at fc/2 and fc/4.
  CHECK_THAT(gain_db(hp, fc / 2.0), WithinAbs(-57.34126312820122, 1e-8));
  CHECK_THAT(gain_db(hp, fc / 4.0), WithinAbs(-112.28867804046016, 1e-8));
  // Far below the cutoff |H| ∝ f^N: one octave costs 20·log10(2^9) = 54.19 dB.
  const double octave = gain_db(hp, fc / 64.0) - gain_db(hp, fc / 128.0);
  CHECK_THAT(octave, WithinAbs(20.0 * std::log10(std::pow(2.0, 9)), 1e-3));
  // Monotone magnitude (no ripple) over the band.
  double last = -1e9;
  for (double f = 0.01; f < fs / 2.0; f += 0.01) {
    const double g = gain_db(hp, f);
    CHECK(g >= last - 1e-9);
    last = g;
  }
}

TEST_CASE("Butterworth poles match SciPy's butter(9, 0.25, 'highpass')", "[analysis][butterworth]") {
  const std::vector<std::complex<double>> expected{
      {0.4142135623730951, 0.0},
      {0.42482576712465836, -0.1452989697604128}, {0.42482576712465836, 0.1452989697604128},
      {0.4586613132395333, -0.2948218091929287},  {0.4586613132395333, 0.2948218091929287},
      {0.522407749927483, -0.4524183825710684},   {0.522407749927483, 0.4524183825710684},
      {0.6297777538079562, -0.6202100146246889},  {0.6297777538079562, 0.6202100146246889}};
  const auto p = poles(butterworth(FilterKind::highpass, 9, fc, fs));
  REQUIRE(p.size() == expected.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    CHECK_THAT(p[i].real(), WithinAbs(expected[i].real(), 1e-12));
    CHECK_THAT(p[i].imag(), WithinAbs(expected[i].imag(), 1e-12));
  }
}

TEST_CASE("low-pass design: −3 dB at the cutoff for several orders", "[analysis][butterworth]") {
  for (int order : {1, 2, 4, 9}) {
    const SosFilter lp = butterworth(FilterKind::lowpass, order, 2.0, fs);
    CHECK_THAT(gain_db(lp, 2.0), WithinAbs(-3.0102999566398, 1e-9));
    CHECK_THAT(std::abs(frequency_response(lp, 0.0, fs)), WithinAbs(1.0, 1e-12));
  }
  CHECK_THROWS_AS(butterworth(FilterKind::highpass, 0, 1.0, fs), std::invalid_argument);
  CHECK_THROWS_AS(butterworth(FilterKind::highpass, 9, 7.5, fs), std::invalid_argument);
}

TEST_CASE("filtfilt is zero-phase and equals SciPy's sosfiltfilt", "[analysis][butterworth]") {
  const SosFilter hp = butterworth(FilterKind::highpass, 9, fc, fs);
  std::vector<double> x(100);
  for (std::size_t k = 0; k < x.size(); ++k) {
    const double t = static_cast<double>(k);
    x[k] = std::sin(0.3 * t) + 0.5 * std::sin(2.1 * t) + 0.01 * t;
  }
  const std::vector<double> y = filtfilt(hp, x);
  CHECK_THAT(y[0], WithinAbs(0.0012921229212605606, 1e-11));
  CHECK_THAT(y[10], WithinAbs(0.41851612300559976, 1e-11));
  CHECK_THAT(y[50], WithinAbs(-0.4854828697750718, 1e-11));
  CHECK_THAT(y[99], WithinAbs(0.0004008314376448968, 1e-11));

  // A symmetric pulse stays symmetric about its centre (no phase shift).
  // The pulse sits far enough from the ends for the impulse response (|pole| ≤ 0.884) to die out.
  std::vector<double> pulse(601, 0.0);
  for (int k = -10; k <= 10; ++k) pulse[static_cast<std::size_t>(300 + k)] = std::exp(-0.05 * k * k);
  const std::vector<double> out = filtfilt(hp, pulse);
  for (int k = 1; k < 60; ++k)
    CHECK_THAT(out[static_cast<std::size_t>(300 + k)], WithinAbs(out[static_cast<std::size_t>(300 - k)], 1e-12));
}
