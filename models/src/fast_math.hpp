#pragma once
// Branch-free elementary functions for loops over neurons (private to apical_models), built on the
// series of apical/engine/simd_math.hpp; like them inline, without errno, vectorising.

#include "apical/engine/simd_math.hpp"

namespace apical::detail {

// Reduced-precision versions for observers whose output carries percent-level noise anyway (the
// indicator's Hill function): relative error below about 1e-11 over the range used, at about half the cost.
inline double vlog_short(double x) { return vlog_series<7>(x); }   // atanh series to s¹³: below 1.3e-12
inline double vexp_short(double x) { return vexp_series<10>(x); }  // Taylor to r¹⁰: below 2.3e-13

// x^y for x > 0 (clamped to the smallest normal double), relative error ≈1e-11 for |y·log x| ≲ 50.
inline double vpow(double x, double y) {
  x = x < 0x1.0p-1022 ? 0x1.0p-1022 : x;
  return vexp_short(y * vlog_short(x));
}

}  // namespace apical::detail
