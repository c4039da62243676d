#pragma once
// exp() written so that loops over cells vectorise: branch-free, inline, no errno. Accurate to about
// 1 ulp on the range the kernels use; arguments are clamped to [−708, 709] (so exp of a very negative
// number returns ~3e-308 instead of 0, which no kernel distinguishes from 0).
#include <bit>
#include <cstdint>

namespace apical {

inline double vexp(double x) {
  x = x < -708.0 ? -708.0 : (x > 709.0 ? 709.0 : x);
  // x = n·ln2 + r with n integral and |r| <= ln2/2; ln2 split in two so n·ln2_hi is exact.
  constexpr double log2e = 1.4426950408889634, ln2_hi = 0.6931471803691238, ln2_lo = 1.9082149292705877e-10;
  constexpr double shifter = 0x1.8p52;  // adding it rounds to an integer held in the low mantissa bits
  const double shifted = x * log2e + shifter;
  const double n = shifted - shifter;
  const double r = (x - n * ln2_hi) - n * ln2_lo;
  // Taylor series of e^r to degree 13: truncation below 2e-17 for |r| <= 0.347.
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
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

}  // namespace apical
