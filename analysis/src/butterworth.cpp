#include "apical/analysis/butterworth.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace apical::analysis {

namespace {

using cd = std::complex<double>;

// Scales the numerator so that the section's gain at z = z_ref (±1) is exactly 1.
void normalise(Biquad& q, double z_ref) {
  const double num = q.b0 + q.b1 * z_ref + q.b2 * z_ref * z_ref;  // z⁻¹ = z_ref for z_ref = ±1
  const double den = 1.0 + q.a1 * z_ref + q.a2 * z_ref * z_ref;
  const double g = den / num;
  q.b0 *= g;
  q.b1 *= g;
  q.b2 *= g;
}

// Steady-state state (s1, s2) of one transposed-DF-II section under a constant unit input.
std::pair<double, double> unit_step_state(const Biquad& q) {
  const double gain = (q.b0 + q.b1 + q.b2) / (1.0 + q.a1 + q.a2);
  const double s2 = q.b2 - q.a2 * gain;
  const double s1 = q.b1 - q.a1 * gain + s2;
  return {s1, s2};
}

// Runs the cascade in place; `level` is the constant input the sections are in steady state for.
// Samples in the outer loop and sections in the inner one: each section's recursion is a serial
// dependency chain, and interleaving the sections lets the CPU overlap them.
void run(const SosFilter& f, std::vector<double>& x, double level) {
  const std::size_t ns = f.sections.size();
  std::vector<double> s1(ns), s2(ns);
  for (std::size_t j = 0; j < ns; ++j) {
    const Biquad& q = f.sections[j];
    const auto [u1, u2] = unit_step_state(q);
    s1[j] = u1 * level;
    s2[j] = u2 * level;
    level *= (q.b0 + q.b1 + q.b2) / (1.0 + q.a1 + q.a2);
  }
  for (double& v : x) {
    double in = v;
    for (std::size_t j = 0; j < ns; ++j) {
      const Biquad& q = f.sections[j];
      const double out = q.b0 * in + s1[j];
      s1[j] = q.b1 * in - q.a1 * out + s2[j];
      s2[j] = q.b2 * in - q.a2 * out;
      in = out;
    }
    v = in;
  }
}

}  // namespace

SosFilter butterworth(FilterKind kind, int order, double cutoff_hz, double fs_hz) {
  if (order < 1) throw std::invalid_argument("butterworth: order must be ≥ 1, got " + std::to_string(order));
  if (!(fs_hz > 0.0) || !(cutoff_hz > 0.0) || !(cutoff_hz < 0.5 * fs_hz))
    throw std::invalid_argument("butterworth: need 0 < cutoff_hz < fs/2, got cutoff " + std::to_string(cutoff_hz) +
                                " Hz at fs " + std::to_string(fs_hz) + " Hz");
  const double pi = std::numbers::pi;
  const double K = std::tan(pi * cutoff_hz / fs_hz);
  const bool high = kind == FilterKind::highpass;
  const double zero = high ? 1.0 : -1.0;   // where the N digital zeros sit
  const double z_ref = high ? -1.0 : 1.0;  // passband centre used for the gain
  const double n = static_cast<double>(order);
  auto digital_pole = [&](int k) {
    const cd p = std::polar(1.0, pi * (2.0 * k + n - 1.0) / (2.0 * n));
    const cd s = high ? K / p : K * p;
    return (1.0 + s) / (1.0 - s);
  };
  SosFilter f;
  f.order = order;
  for (int k = 1; k <= order / 2; ++k) {  // p_k and p_{N+1−k} are conjugates
    const cd z = digital_pole(k);
    Biquad q{1.0, -2.0 * zero, 1.0, -2.0 * z.real(), std::norm(z)};
    normalise(q, z_ref);
    f.sections.push_back(q);
  }
  if (order % 2 == 1) {  // the real pole p_{(N+1)/2} = −1
    const double z = digital_pole((order + 1) / 2).real();
    Biquad q{1.0, -zero, 0.0, -z, 0.0};
    normalise(q, z_ref);
    f.sections.push_back(q);
  }
  return f;
}

std::complex<double> frequency_response(const SosFilter& f, double f_hz, double fs_hz) {
  const cd zinv = std::polar(1.0, -2.0 * std::numbers::pi * f_hz / fs_hz);
  cd h = 1.0;
  for (const Biquad& q : f.sections)
    h *= (q.b0 + zinv * (q.b1 + zinv * q.b2)) / (1.0 + zinv * (q.a1 + zinv * q.a2));
  return h;
}

std::vector<double> filter(const SosFilter& f, std::span<const double> x) {
  std::vector<double> y(x.begin(), x.end());
  run(f, y, 0.0);
  return y;
}

std::vector<double> filtfilt(const SosFilter& f, std::span<const double> x) {
  const std::size_t n = x.size();
  if (n < 2) return {x.begin(), x.end()};
  std::size_t first_order = 0;
  for (const Biquad& q : f.sections) first_order += (q.b2 == 0.0 && q.a2 == 0.0) ? 1 : 0;
  const std::size_t taps = 2 * f.sections.size() + 1 - first_order;
  const std::size_t pad = std::min(3 * taps, n - 1);

  std::vector<double> ext;
  ext.reserve(n + 2 * pad);
  for (std::size_t i = pad; i >= 1; --i) ext.push_back(2.0 * x[0] - x[i]);
  ext.insert(ext.end(), x.begin(), x.end());
  for (std::size_t i = 1; i <= pad; ++i) ext.push_back(2.0 * x[n - 1] - x[n - 1 - i]);

  run(f, ext, ext.front());
  std::reverse(ext.begin(), ext.end());
  run(f, ext, ext.front());
  std::reverse(ext.begin(), ext.end());
  return {ext.begin() + static_cast<std::ptrdiff_t>(pad), ext.begin() + static_cast<std::ptrdiff_t>(pad + n)};
}

}  // namespace apical::analysis
