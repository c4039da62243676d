#pragma once
// exp() and log() written so that loops over cells vectorise: branch-free, inline, no errno.
//
// vexp: x = n·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor series to degree D, 2^n through the exponent
// bits. D = 13 truncates below 2e-17 (about 1 ulp); arguments are clamped to [−708, 709], so exp of a
// very negative number returns ~3e-308 instead of 0, which no kernel distinguishes from 0.
// vlog (positive, finite, normal x): x = 2^e·m with m in [√½, √2), log m = 2·atanh(s) as a series in
// s = (m − 1)/(m + 1), |s| ≤ 0.1716; 11 terms truncate below 3e-17.
// Lower degrees trade accuracy for speed where the result carries noise anyway (models' fast_math).
#include <bit>
#include <cstdint>
#include <utility>

namespace apical {

template <int Degree>
inline double vexp_series(double x) {
  static_assert(Degree >= 2);
  x = x < -708.0 ? -708.0 : (x > 709.0 ? 709.0 : x);
  // ln2 split in two so that n·ln2_hi is exact.
  constexpr double log2e = 1.4426950408889634, ln2_hi = 0.6931471803691238, ln2_lo = 1.9082149292705877e-10;
  constexpr double shifter = 0x1.8p52;  // adding it rounds to an integer held in the low mantissa bits
  const double shifted = x * log2e + shifter;
  const double n = shifted - shifter;
  const double r = (x - n * ln2_hi) - n * ln2_lo;
  constexpr auto inverse_factorial = [](int k) {
    double f = 1.0;
    for (int i = 2; i <= k; ++i) f *= i;
    return 1.0 / f;
  };
  double p = inverse_factorial(Degree);
  [&]<int... K>(std::integer_sequence<int, K...>) {
    ((p = p * r + inverse_factorial(Degree - 1 - K)), ...);
  }(std::make_integer_sequence<int, Degree>{});
  const std::int64_t exponent = std::bit_cast<std::int64_t>(shifted) - std::bit_cast<std::int64_t>(shifter);
  return p * std::bit_cast<double>((exponent + 1023) << 52);
}

template <int Terms>
inline double vlog_series(double x) {
  static_assert(Terms >= 2);
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
  // The biased exponent as a double, through the 2^52 shifter (no integer→double conversion needed).
  double e = std::bit_cast<double>((bits >> 52) | 0x4330000000000000ULL) - (0x1.0p52 + 1023.0);
  double m = std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
  const bool high = m > 1.4142135623730951;
  m = high ? 0.5 * m : m;
  e = high ? e + 1.0 : e;
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double p = 1.0 / (2 * Terms - 1);
  [&]<int... K>(std::integer_sequence<int, K...>) {
    ((p = p * s2 + 1.0 / (2 * (Terms - 2 - K) + 1)), ...);
  }(std::make_integer_sequence<int, Terms - 1>{});
  constexpr double ln2_hi = 0.6931471803691238, ln2_lo = 1.9082149292705877e-10;
  return e * ln2_hi + (2.0 * s * p + e * ln2_lo);
}

inline double vexp(double x) { return vexp_series<13>(x); }

}  // namespace apical
