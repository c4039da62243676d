#include "apical/analysis/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace apical::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Complete cases of (x, y[, z]) as separate vectors.
struct Pairs {
  std::vector<double> x, y, z;
};
Pairs complete(std::span<const double> x, std::span<const double> y, std::span<const double> z = {}) {
  Pairs out;
  const std::size_t n = std::min(x.size(), y.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
    if (!z.empty() && (i >= z.size() || !std::isfinite(z[i]))) continue;
    out.x.push_back(x[i]);
    out.y.push_back(y[i]);
    if (!z.empty()) out.z.push_back(z[i]);
  }
  return out;
}

double plain_mean(const std::vector<double>& v) {
  return v.empty() ? nan : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// r from complete data; NaN when either variable is constant.
double r_of(const std::vector<double>& x, const std::vector<double>& y) {
  const double mx = plain_mean(x), my = plain_mean(y);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (!(sxx > 0.0) || !(syy > 0.0)) return nan;
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

Correlation correlation_test(double r, std::size_t n, std::size_t controls) {
  Correlation c;
  c.n = n;
  c.r = r;
  const double df = static_cast<double>(n) - 2.0 - static_cast<double>(controls);
  if (!std::isfinite(r) || df < 1.0) {
    c.p = nan;
    return c;
  }
  if (std::abs(r) >= 1.0) {
    c.p = 0.0;
    return c;
  }
  c.p = t_two_sided(r * std::sqrt(df / (1.0 - r * r)), df);
  return c;
}

std::vector<double> mid_ranks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> rank(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double r = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = r;
    i = j + 1;
  }
  return rank;
}

// Residuals of y after OLS on z.
std::vector<double> residualise(const std::vector<double>& y, const std::vector<double>& z) {
  const LineFit f = fit_line(z, y);
  std::vector<double> out(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) out[i] = y[i] - (f.intercept + f.slope * z[i]);
  return out;
}

}  // namespace

std::size_t count_finite(std::span<const double> x) {
  return static_cast<std::size_t>(std::count_if(x.begin(), x.end(), [](double v) { return std::isfinite(v); }));
}

double mean(std::span<const double> x) {
  double s = 0;
  std::size_t n = 0;
  for (double v : x)
    if (std::isfinite(v)) s += v, ++n;
  return n ? s / static_cast<double>(n) : nan;
}

double sample_sd(std::span<const double> x) {
  const std::size_t n = count_finite(x);
  if (n < 2) return nan;
  const double m = mean(x);
  double ss = 0;
  for (double v : x)
    if (std::isfinite(v)) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(n - 1));
}

double sem(std::span<const double> x) {
  const std::size_t n = count_finite(x);
  return n < 2 ? nan : sample_sd(x) / std::sqrt(static_cast<double>(n));
}

Correlation pearson(std::span<const double> x, std::span<const double> y) {
  const Pairs p = complete(x, y);
  return correlation_test(p.x.size() >= 2 ? r_of(p.x, p.y) : nan, p.x.size(), 0);
}

Correlation spearman(std::span<const double> x, std::span<const double> y) {
  const Pairs p = complete(x, y);
  return correlation_test(p.x.size() >= 2 ? r_of(mid_ranks(p.x), mid_ranks(p.y)) : nan, p.x.size(), 0);
}

Correlation partial_pearson(std::span<const double> x, std::span<const double> y, std::span<const double> z) {
  const Pairs p = complete(x, y, z);
  if (p.x.size() < 3) return correlation_test(nan, p.x.size(), 1);
  return correlation_test(r_of(residualise(p.x, p.z), residualise(p.y, p.z)), p.x.size(), 1);
}

LineFit fit_line(std::span<const double> x, std::span<const double> y) {
  const Pairs p = complete(x, y);
  LineFit f;
  f.n = p.x.size();
  if (f.n < 2) {
    f.intercept = f.slope = f.rss = nan;
    return f;
  }
  const double mx = plain_mean(p.x), my = plain_mean(p.y);
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < f.n; ++i) {
    sxy += (p.x[i] - mx) * (p.y[i] - my);
    sxx += (p.x[i] - mx) * (p.x[i] - mx);
  }
  f.slope = sxx > 0.0 ? sxy / sxx : nan;
  f.intercept = my - f.slope * mx;
  f.rss = 0;
  for (std::size_t i = 0; i < f.n; ++i) {
    const double e = p.y[i] - (f.intercept + f.slope * p.x[i]);
    f.rss += e * e;
  }
  return f;
}

TTest t_test_one_sample(std::span<const double> x, double mu0) {
  TTest t;
  t.n = count_finite(x);
  t.mean = mean(x);
  t.df = static_cast<double>(t.n) - 1.0;
  const double se = sem(x);
  if (t.n < 2 || !(se > 0.0)) {
    t.t = t.p = nan;
    return t;
  }
  t.t = (t.mean - mu0) / se;
  t.p = t_two_sided(t.t, t.df);
  return t;
}

TTest t_test_paired(std::span<const double> x, std::span<const double> y) {
  const Pairs p = complete(x, y);
  std::vector<double> d(p.x.size());
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = p.x[i] - p.y[i];
  return t_test_one_sample(d, 0.0);
}

TTest t_test_welch(std::span<const double> x, std::span<const double> y) {
  TTest t;
  const std::size_t nx = count_finite(x), ny = count_finite(y);
  t.n = nx + ny;
  t.mean = mean(x) - mean(y);
  if (nx < 2 || ny < 2) {
    t.t = t.df = t.p = nan;
    return t;
  }
  const double vx = std::pow(sample_sd(x), 2) / static_cast<double>(nx);
  const double vy = std::pow(sample_sd(y), 2) / static_cast<double>(ny);
  if (!(vx + vy > 0.0)) {
    t.t = t.df = t.p = nan;
    return t;
  }
  t.t = t.mean / std::sqrt(vx + vy);
  t.df = (vx + vy) * (vx + vy) /
         (vx * vx / static_cast<double>(nx - 1) + vy * vy / static_cast<double>(ny - 1));
  t.p = t_two_sided(t.t, t.df);
  return t;
}

double f_upper_tail(double f, double df1, double df2) {
  if (!std::isfinite(f) || !(df1 > 0.0) || !(df2 > 0.0)) return nan;
  if (f <= 0.0) return 1.0;
  return boost::math::cdf(boost::math::complement(boost::math::fisher_f_distribution<double>(df1, df2), f));
}

double t_two_sided(double t, double df) {
  if (std::isnan(t) || !(df > 0.0)) return nan;
  if (std::isinf(t)) return 0.0;
  return 2.0 * boost::math::cdf(boost::math::complement(boost::math::students_t_distribution<double>(df), std::abs(t)));
}

}  // namespace apical::analysis
