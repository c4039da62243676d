#pragma once
// Branch-free elementary functions for loops over neurons (private to apical_models). They complement
// vexp() of apical/engine/simd_math.hpp; like it they are inline, set no errno and vectorise.
#include <bit>
#include <cstdint>

#include "apical/engine/simd_math.hpp"

namespace apical::detail {

// Natural logarithm for positive, finite, normal x (callers clamp); about 1 ulp.
// x = 2^e·m with m in [√½, √2); log m = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + …), s = (m − 1)/(m + 1),
// |s| ≤ 0.1716, so the series to s²¹ truncates below 3e-17.
inline double vlog(double x) {
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
  // The biased exponent as a double, through the 2^52 shifter (no integer→double conversion needed).
  double e = std::bit_cast<double>((bits >> 52) | 0x4330000000000000ULL) - (0x1.0p52 + 1023.0);
  double m = std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
  const bool high = m > 1.4142135623730951;
  m = high ? 0.5 * m : m;
  e = high ? e + 1.0 : e;
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double p = 1.0 / 21.0;
  p = p * s2 + 1.0 / 19.0;
  p = p * s2 + 1.0 / 17.0;
  p = p * s2 + 1.0 / 15.0;
  p = p * s2 + 1.0 / 13.0;
  p = p * s2 + 1.0 / 11.0;
  p = p * s2 + 1.0 / 9.0;
  p = p * s2 + 1.0 / 7.0;
  p = p * s2 + 1.0 / 5.0;
  p = p * s2 + 1.0 / 3.0;
  p = p * s2 + 1.0;
  constexpr double ln2_hi = 0.6931471803691238, ln2_lo = 1.9082149292705877e-10;
  return e * ln2_hi + (2.0 * s * p + e * ln2_lo);
}

// Reduced-precision versions for observers whose output carries percent-level noise anyway (the
// indicator's Hill function): relative error below 1e-11 over the range used, at about half the cost.
inline double vlog_short(double x) {
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
  double e = std::bit_cast<double>((bits >> 52) | 0x4330000000000000ULL) - (0x1.0p52 + 1023.0);
  double m = std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
  const bool high = m > 1.4142135623730951;
  m = high ? 0.5 * m : m;
  e = high ? e + 1.0 : e;
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  // atanh series to s¹³: truncation below 0.0295⁷/15 ≈ 1.3e-12.
  double p = 1.0 / 13.0;
  p = p * s2 + 1.0 / 11.0;
  p = p * s2 + 1.0 / 9.0;
  p = p * s2 + 1.0 / 7.0;
  p = p * s2 + 1.0 / 5.0;
  p = p * s2 + 1.0 / 3.0;
  p = p * s2 + 1.0;
  return e * 0.6931471805599453 + 2.0 * s * p;
}

inline double vexp_short(double x) {
  x = x < -700.0 ? -700.0 : (x > 700.0 ? 700.0 : x);
  constexpr double log2e = 1.4426950408889634, ln2_hi = 0.6931471803691238, ln2_lo = 1.9082149292705877e-10;
  constexpr double shifter = 0x1.8p52;
  const double shifted = x * log2e + shifter;
  const double n = shifted - shifter;
  const double r = (x - n * ln2_hi) - n * ln2_lo;
  // Taylor to r¹⁰ for |r| ≤ 0.347: truncation below 0.347¹¹/11! ≈ 2.3e-13.
  double p = 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  const std::int64_t exponent = std::bit_cast<std::int64_t>(shifted) - std::bit_cast<std::int64_t>(shifter);
  return p * std::bit_cast<double>((exponent + 1023) << 52);
}

// x^y for x > 0 (clamped to the smallest normal double), relative error ≈1e-11 for |y·log x| ≲ 50.
inline double vpow(double x, double y) {
  x = x < 0x1.0p-1022 ? 0x1.0p-1022 : x;
  return vexp_short(y * vlog_short(x));
}

}  // namespace apical::detail
