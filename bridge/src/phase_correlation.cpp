#include "apical/bridge/phase_correlation.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <fftw3.h>
#include <numbers>
#include <stdexcept>

#include "apical/bridge/fft_size.hpp"

namespace apical::bridge {
namespace {

struct FftwFree {
  void operator()(void* p) const { fftwf_free(p); }
};
template <class T>
using FftwBuffer = std::unique_ptr<T[], FftwFree>;

template <class T>
FftwBuffer<T> fftw_buffer(std::size_t n) {
  auto* p = static_cast<T*>(fftwf_malloc(n * sizeof(T)));
  if (!p) throw std::bad_alloc();
  return FftwBuffer<T>(p);
}

struct PlanDestroy {
  void operator()(fftwf_plan p) const { fftwf_destroy_plan(p); }
};
using Plan = std::unique_ptr<std::remove_pointer_t<fftwf_plan>, PlanDestroy>;

// Raised-cosine ramps of `ramp` samples at both ends of a length-n axis, 1 in between.
std::vector<float> edge_taper(std::size_t n, std::size_t ramp) {
  std::vector<float> w(n, 1.0f);
  for (std::size_t i = 0; i < ramp && i < n; ++i) {
    const float v = static_cast<float>(0.5 - 0.5 * std::cos(std::numbers::pi * (double(i) + 0.5) / double(ramp)));
    w[i] = std::min(w[i], v);
    w[n - 1 - i] = std::min(w[n - 1 - i], v);
  }
  return w;
}

// exp(−2π²σ²(k/n)²) for the signed frequency of each FFT index k (the first `count` of them).
std::vector<float> gaussian_lowpass(std::size_t n, std::size_t count, double sigma) {
  std::vector<float> g(count);
  for (std::size_t k = 0; k < count; ++k) {
    const double f = double(k <= n / 2 ? double(k) : double(k) - double(n)) / double(n);
    g[k] = static_cast<float>(std::exp(-2.0 * std::numbers::pi * std::numbers::pi * sigma * sigma * f * f));
  }
  return g;
}

// Offset of the sub-pixel peak from the middle of three samples.
double peak_offset(double left, double centre, double right) {
  if (left > 0 && centre > 0 && right > 0) {
    const double a = std::log(left), b = std::log(centre), c = std::log(right);
    const double curvature = a - 2 * b + c;
    if (curvature < 0) return std::clamp(0.5 * (a - c) / curvature, -0.5, 0.5);
  }
  const double curvature = left - 2 * centre + right;
  return curvature < 0 ? std::clamp(0.5 * (left - right) / curvature, -0.5, 0.5) : 0.0;
}

}  // namespace

struct PhaseCorrelation::Impl {
  std::uint32_t width, height;        // frame
  std::size_t nx, ny;                 // FFT grid
  std::size_t x0, y0;                 // frame pixel at grid (0, 0) (non-zero when cropping)
  std::size_t cx, cy;                 // frame pixels copied onto the grid per axis
  int max_x, max_y;
  float whitening;
  std::vector<float> taper_x, taper_y;
  std::vector<float> lowpass_x, lowpass_y;
  FftwBuffer<float> real;
  FftwBuffer<fftwf_complex> spectrum, reference;
  Plan forward, inverse;

  // Mean-free, tapered copy of the frame onto the FFT grid (zero outside the copied window).
  // Only the reference is tapered: the same taper on both would add a pattern fixed in frame
  // coordinates whose correlation pulls every shift toward zero.
  template <class T>
  void load(std::span<const T> frame, bool tapered) {
    double sum = 0;
    for (std::size_t y = 0; y < cy; ++y) {
      const T* row = frame.data() + (y0 + y) * width + x0;
      for (std::size_t x = 0; x < cx; ++x) sum += double(row[x]);
    }
    const float mean = static_cast<float>(sum / double(cx * cy));
    std::fill_n(real.get(), nx * ny, 0.0f);
    for (std::size_t y = 0; y < cy; ++y) {
      const T* row = frame.data() + (y0 + y) * width + x0;
      float* out = real.get() + y * nx;
      if (!tapered) {
        for (std::size_t x = 0; x < cx; ++x) out[x] = float(row[x]) - mean;
        continue;
      }
      for (std::size_t x = 0; x < cx; ++x) out[x] = (float(row[x]) - mean) * taper_x[x] * taper_y[y];
    }
  }

  template <class T>
  Shift measure(std::span<const T> frame) {
    if (frame.size() != std::size_t(width) * height) throw std::invalid_argument("PhaseCorrelation: frame size differs from the reference");
    load(frame, false);
    fftwf_execute(forward.get());
    const std::size_t half = nx / 2 + 1;
    for (std::size_t ky = 0; ky < ny; ++ky)
      for (std::size_t kx = 0; kx < half; ++kx) {
        const std::size_t i = ky * half + kx;
        const std::complex<float> f(spectrum[i][0], spectrum[i][1]), r(reference[i][0], reference[i][1]);
        std::complex<float> p = f * r;
        const double magnitude2 = double(p.real()) * p.real() + double(p.imag()) * p.imag();
        p = magnitude2 > 0 ? p * (lowpass_x[kx] * lowpass_y[ky] / whitening_norm(magnitude2)) : 0.0f;
        spectrum[i][0] = p.real();
        spectrum[i][1] = p.imag();
      }
    fftwf_execute(inverse.get());
    return find_peak();
  }

  // |p|^a from |p|² (in double: |p|² of bright frames overflows a float). std::pow and std::abs cost
  // tens of ns per bin, most of a 512² frame's registration (bench/rig_latency.cpp), so the usual
  // a = 0.5 and 1 take square roots.
  [[nodiscard]] float whitening_norm(double magnitude2) const {
    if (whitening == 0.5f) return float(std::sqrt(std::sqrt(magnitude2)));
    if (whitening == 1.0f) return float(std::sqrt(magnitude2));
    return float(std::pow(magnitude2, 0.5 * whitening));
  }

  [[nodiscard]] float surface(int dy, int dx) const {
    const std::size_t y = std::size_t((dy + int(ny)) % int(ny)), x = std::size_t((dx + int(nx)) % int(nx));
    return real[y * nx + x];
  }

  Shift find_peak() const {
    int best_x = 0, best_y = 0;
    float best = surface(0, 0);
    double sum = 0, sum2 = 0;
    for (int dy = -max_y; dy <= max_y; ++dy)
      for (int dx = -max_x; dx <= max_x; ++dx) {
        const float v = surface(dy, dx);
        sum += v;
        sum2 += double(v) * v;
        if (v > best) best = v, best_x = dx, best_y = dy;
      }
    const double n = double(2 * max_x + 1) * double(2 * max_y + 1);
    const double mean = sum / n, sd = std::sqrt(std::max(0.0, sum2 / n - mean * mean));
    Shift s;
    s.dx = best_x + peak_offset(surface(best_y, best_x - 1), best, surface(best_y, best_x + 1));
    s.dy = best_y + peak_offset(surface(best_y - 1, best_x), best, surface(best_y + 1, best_x));
    s.peak_ratio = sd > 0 ? (best - mean) / sd : 0.0;
    return s;
  }
};

PhaseCorrelation::PhaseCorrelation(std::span<const float> reference, std::uint32_t width, std::uint32_t height,
                                   const RegistrationParams& params)
    : impl_(std::make_unique<Impl>()) {
  if (width < 8 || height < 8) throw std::invalid_argument("PhaseCorrelation: frames must be at least 8x8 pixels");
  if (reference.size() != std::size_t(width) * height)
    throw std::invalid_argument("PhaseCorrelation: the reference must hold width x height values");
  if (!(params.max_shift_fraction > 0 && params.max_shift_fraction < 0.5))
    throw std::invalid_argument("PhaseCorrelation: max_shift_fraction must lie in (0, 0.5)");
  if (!(params.lowpass_sigma_px >= 0)) throw std::invalid_argument("PhaseCorrelation: lowpass_sigma_px must be >= 0");
  if (!(params.whitening >= 0 && params.whitening <= 1))
    throw std::invalid_argument("PhaseCorrelation: whitening must lie in [0, 1]");
  if (!(params.taper_fraction >= 0 && params.taper_fraction <= 0.5))
    throw std::invalid_argument("PhaseCorrelation: taper_fraction must lie in [0, 0.5]");
  Impl& m = *impl_;
  m.width = width;
  m.whitening = static_cast<float>(params.whitening);
  m.height = height;
  const bool pad = params.fft_size == RegistrationParams::FftSize::pad;
  m.nx = pad ? next_5_smooth(width) : previous_5_smooth(width);
  m.ny = pad ? next_5_smooth(height) : previous_5_smooth(height);
  m.cx = std::min<std::size_t>(width, m.nx);
  m.cy = std::min<std::size_t>(height, m.ny);
  m.x0 = (width - m.cx) / 2;
  m.y0 = (height - m.cy) / 2;
  // Beyond half the grid a shift would alias to its negative.
  m.max_x = std::min(int(params.max_shift_fraction * width), int(m.nx / 2) - 1);
  m.max_y = std::min(int(params.max_shift_fraction * height), int(m.ny / 2) - 1);
  m.taper_x = edge_taper(m.cx, std::size_t(params.taper_fraction * double(m.cx)));
  m.taper_y = edge_taper(m.cy, std::size_t(params.taper_fraction * double(m.cy)));
  const std::size_t half = m.nx / 2 + 1;
  m.lowpass_x = gaussian_lowpass(m.nx, half, params.lowpass_sigma_px);
  m.lowpass_y = gaussian_lowpass(m.ny, m.ny, params.lowpass_sigma_px);
  m.real = fftw_buffer<float>(m.nx * m.ny);
  m.spectrum = fftw_buffer<fftwf_complex>(m.ny * half);
  m.reference = fftw_buffer<fftwf_complex>(m.ny * half);
  const unsigned flags = params.planning == RegistrationParams::Planning::measure ? FFTW_MEASURE : FFTW_ESTIMATE;
  m.forward.reset(fftwf_plan_dft_r2c_2d(int(m.ny), int(m.nx), m.real.get(), m.spectrum.get(), flags));
  m.inverse.reset(fftwf_plan_dft_c2r_2d(int(m.ny), int(m.nx), m.spectrum.get(), m.real.get(), flags));
  if (!m.forward || !m.inverse) throw std::runtime_error("PhaseCorrelation: FFTW could not make its plans");
  // Planning with FFTW_MEASURE overwrites the buffers, so the reference is loaded afterwards.
  m.load(reference, true);
  fftwf_execute(m.forward.get());
  for (std::size_t i = 0; i < m.ny * half; ++i) {
    m.reference[i][0] = m.spectrum[i][0];
    m.reference[i][1] = -m.spectrum[i][1];
  }
}

PhaseCorrelation::~PhaseCorrelation() = default;
PhaseCorrelation::PhaseCorrelation(PhaseCorrelation&&) noexcept = default;
PhaseCorrelation& PhaseCorrelation::operator=(PhaseCorrelation&&) noexcept = default;

Shift PhaseCorrelation::measure(std::span<const std::uint16_t> frame) { return impl_->measure(frame); }
Shift PhaseCorrelation::measure(std::span<const float> frame) { return impl_->measure(frame); }
std::uint32_t PhaseCorrelation::width() const { return impl_->width; }
std::uint32_t PhaseCorrelation::height() const { return impl_->height; }
std::uint32_t PhaseCorrelation::fft_width() const { return std::uint32_t(impl_->nx); }
std::uint32_t PhaseCorrelation::fft_height() const { return std::uint32_t(impl_->ny); }
int PhaseCorrelation::max_shift_x() const { return impl_->max_x; }
int PhaseCorrelation::max_shift_y() const { return impl_->max_y; }

}  // namespace apical::bridge
