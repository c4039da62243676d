#include "apical/analysis/studentised_range.hpp"

#include <algorithm>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>
#include <limits>

namespace apical::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double tolerance = 1e-10;  // relative, both integrals
constexpr unsigned max_depth = 15;   // adaptive bisections

double phi(double z) { return 0.3989422804014327 * std::exp(-0.5 * z * z); }
double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Φ(z) − Φ(z − q), from the side where neither term is close to 1.
double normal_interval(double z, double q) {
  return z > 0.5 * q ? normal_cdf(q - z) - normal_cdf(-z) : normal_cdf(z) - normal_cdf(z - q);
}

template <class F>
double integrate(F f, double from, double to) {
  return boost::math::quadrature::gauss_kronrod<double, 31>::integrate(f, from, to, max_depth, tolerance);
}

// The z integrals over the window of the header.
template <class F>
double over_z(double q, F f) {
  return integrate(f, -9.0, std::max(9.0, 0.5 * q + 9.0));
}

// ν = ∞, lower tail: k ∫ φ(z) b^(k−1) dz, b = Φ(z) − Φ(z − q).
double range_cdf(double q, double k) {
  return k * over_z(q, [&](double z) { return phi(z) * std::pow(normal_interval(z, q), k - 1.0); });
}

// ν = ∞, upper tail: k ∫ φ(z) Φ(z − q) Σ_{i=0}^{k−2} a^i b^(k−2−i) dz, a = Φ(z).
double range_upper_tail(double q, double k) {
  const auto terms = static_cast<std::int64_t>(k) - 1;
  return k * over_z(q, [&](double z) {
    const double a = normal_cdf(z), b = normal_interval(z, q);
    double sum = 0.0, b_power = 1.0;  // Σ_j a^(m−j) b^j, m = k − 2, by Horner in a
    for (std::int64_t j = 0; j < terms; ++j, b_power *= b) sum = sum * a + b_power;
    return phi(z) * normal_cdf(z - q) * sum;
  });
}

// ∫ f_ν(s) g(q·s) ds over the window of the header.
template <class G>
double over_s(double q, double df, G g) {
  const double log_norm = std::log(2.0) + 0.5 * df * std::log(0.5 * df) - boost::math::lgamma(0.5 * df);
  const double half_width = 12.0 / std::sqrt(df);
  return integrate(
      [&](double s) {
        if (s <= 0.0) return 0.0;
        return std::exp(log_norm + (df - 1.0) * std::log(s) - 0.5 * df * s * s) * g(q * s);
      },
      std::max(0.0, 1.0 - half_width), 1.0 + half_width);
}

bool valid(double k, double df) { return k >= 2.0 && k == std::floor(k) && df > 0.0; }

}  // namespace

double studentised_range_cdf(double q, double k, double df) {
  if (std::isnan(q) || !valid(k, df)) return nan;
  if (q <= 0.0) return 0.0;
  if (std::isinf(q)) return 1.0;
  if (std::isinf(df)) return range_cdf(q, k);
  return over_s(q, df, [k](double x) { return range_cdf(x, k); });
}

double studentised_range_upper_tail(double q, double k, double df) {
  if (std::isnan(q) || !valid(k, df)) return nan;
  if (q <= 0.0) return 1.0;
  if (std::isinf(q)) return 0.0;
  if (std::isinf(df)) return range_upper_tail(q, k);
  return over_s(q, df, [k](double x) { return range_upper_tail(x, k); });
}

double studentised_range_quantile(double p, double k, double df) {
  if (!(p > 0.0 && p < 1.0) || !valid(k, df)) return nan;
  const double alpha = 1.0 - p;
  const auto excess = [&](double q) { return studentised_range_upper_tail(q, k, df) - alpha; };
  double hi = 4.0;
  while (excess(hi) > 0.0) hi *= 2.0;  // the upper tail falls to 0, so this ends
  std::uintmax_t iterations = 100;
  const boost::math::tools::eps_tolerance<double> tolerance_bits(40);
  const auto [lo_q, hi_q] =
      boost::math::tools::toms748_solve(excess, 0.0, hi, excess(0.0), excess(hi), tolerance_bits, iterations);
  return 0.5 * (lo_q + hi_q);
}

}  // namespace apical::analysis
