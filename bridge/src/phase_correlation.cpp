#include "apical/bridge/phase_correlation.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <complex>
#include <fftw3.h>
#include <limits>
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
std::vector<double> gaussian_lowpass(std::size_t n, std::size_t count, double sigma) {
  std::vector<double> g(count);
  for (std::size_t k = 0; k < count; ++k) {
    const double f = double(k <= n / 2 ? double(k) : double(k) - double(n)) / double(n);
    g[k] = std::exp(-2.0 * std::numbers::pi * std::numbers::pi * sigma * sigma * f * f);
  }
  return g;
}

// 1/√x for a normal float x > 0, relative error below 5e-6: an integer first guess and two Newton
// steps; finite (3e19) for x = 0. std::sqrt may set errno, which keeps GCC's loops scalar
// without -ffast-math; this vectorises.
inline float reciprocal_sqrt(float x) {
  float y = std::bit_cast<float>(0x5f375a86u - (std::bit_cast<std::uint32_t>(x) >> 1));
  y *= 1.5f - 0.5f * x * y * y;
  y *= 1.5f - 0.5f * x * y * y;
  return y;
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
  std::size_t bin;                    // frame pixels per grid pixel along each axis: 1, or 2 when binned
  std::size_t nx, ny;                 // FFT grid
  std::size_t x0, y0;                 // binned pixel at grid (0, 0) (non-zero when cropping)
  std::size_t cx, cy;                 // binned pixels copied onto the grid per axis
  int max_x, max_y;                   // search bound, grid pixels
  std::size_t centre_x, centre_y;     // where a zero shift lies on the correlation surface
  float whitening;
  // One buffer, transformed in place (a smaller working set for frames that find the caches cold):
  // the loaded frame, its spectrum, then the correlation surface C. As reals (grid) it holds rows of
  // pitch() floats, nx of them used.
  FftwBuffer<fftwf_complex> spectrum;
  float* grid = nullptr;
  // G·conj(R̂)/|R̂|^a, times the phase ramp that moves C's origin to (centre_x, centre_y), so that
  // G·P/|P|^a = F·filter/|F|^a with F = FFT(frame') and the search window is one block of rows.
  FftwBuffer<fftwf_complex> filter;
  // The inverse in two passes: every column, then only the rows of the search window (and one more
  // on either side for the sub-pixel fit), in about half the time of the full 2-D inverse.
  Plan forward, inverse_columns, inverse_rows;

  [[nodiscard]] std::size_t half() const { return nx / 2 + 1; }
  [[nodiscard]] std::size_t pitch() const { return 2 * half(); }
  [[nodiscard]] std::size_t bins() const { return ny * half(); }
  [[nodiscard]] std::size_t first_row() const { return centre_y - std::size_t(max_y) - 1; }
  [[nodiscard]] int surface_rows() const { return 2 * max_y + 3; }

  void make_plans(unsigned flags) {
    const int n_y = int(ny), n_x = int(nx), h = int(half());
    forward.reset(fftwf_plan_dft_r2c_2d(n_y, n_x, grid, spectrum.get(), flags));
    inverse_columns.reset(fftwf_plan_many_dft(1, &n_y, h, spectrum.get(), nullptr, h, 1, spectrum.get(), nullptr, h, 1,
                                              FFTW_BACKWARD, flags));
    inverse_rows.reset(fftwf_plan_many_dft_c2r(1, &n_x, surface_rows(), spectrum.get() + first_row() * half(), nullptr, 1, h,
                                               grid + first_row() * pitch(), nullptr, 1, int(pitch()), flags));
    if (!forward || !inverse_columns || !inverse_rows) throw std::runtime_error("PhaseCorrelation: FFTW could not make its plans");
  }

  // The frame onto the grid: 2 × 2 sums when binned, the mean removed over the copied window, zero
  // in the padding. One read of the frame; the second pass runs over the (smaller) grid.
  template <class T>
  void load(std::span<const T> frame) {
    double total = 0;
    for (std::size_t y = 0; y < cy; ++y) {
      const T* __restrict row = frame.data() + (y0 + y) * bin * width + x0 * bin;
      float* __restrict out = grid + y * pitch();
      float row_sum = 0;
      if (bin == 1) {
#pragma omp simd reduction(+ : row_sum)
        for (std::size_t x = 0; x < cx; ++x) {
          out[x] = float(row[x]);
          row_sum += out[x];
        }
      } else {
        const T* __restrict next = row + width;
#pragma omp simd reduction(+ : row_sum)
        for (std::size_t x = 0; x < cx; ++x) {
          out[x] = float(row[2 * x]) + float(row[2 * x + 1]) + float(next[2 * x]) + float(next[2 * x + 1]);
          row_sum += out[x];
        }
      }
      total += row_sum;
      std::fill(out + cx, out + nx, 0.0f);
    }
    for (std::size_t y = cy; y < ny; ++y) std::fill_n(grid + y * pitch(), nx, 0.0f);
    const float mean = static_cast<float>(total / double(cx * cy));
    for (std::size_t y = 0; y < cy; ++y) {
      float* __restrict out = grid + y * pitch();
#pragma omp simd
      for (std::size_t x = 0; x < cx; ++x) out[x] -= mean;
    }
  }

  template <class T>
  Shift measure(std::span<const T> frame) {
    if (frame.size() != std::size_t(width) * height) throw std::invalid_argument("PhaseCorrelation: frame size differs from the reference");
    load(frame);
    fftwf_execute(forward.get());
    if (whitening == 0.5f) cross_power([](float m2) { const float r = reciprocal_sqrt(m2); return r * reciprocal_sqrt(r); });
    else if (whitening == 1.0f) cross_power([](float m2) { return reciprocal_sqrt(m2); });
    else if (whitening == 0.0f) cross_power([](float) { return 1.0f; });
    else cross_power([a = whitening](float m2) { return std::pow(std::max(m2, std::numeric_limits<float>::min()), -0.5f * a); });
    fftwf_execute(inverse_columns.get());
    fftwf_execute(inverse_rows.get());
    return find_peak();
  }

  // spectrum ← spectrum · filter · |spectrum|^−a, with gain(|F|²) = |F|^−a. gain(0) must be finite, so
  // that bins where F = 0 stay 0 without a branch (which would keep the loop scalar). |F|² of a bright
  // 512 × 800 frame stays below 1e22, well inside float range.
  template <class Gain>
  void cross_power(Gain gain) {
    float* __restrict s = &spectrum[0][0];
    const float* __restrict q = &filter[0][0];
    const std::size_t n = bins();
#pragma omp simd
    for (std::size_t i = 0; i < n; ++i) {
      const float fr = s[2 * i], fi = s[2 * i + 1], qr = q[2 * i], qi = q[2 * i + 1];
      const float g = gain(fr * fr + fi * fi);
      s[2 * i] = (fr * qr - fi * qi) * g;
      s[2 * i + 1] = (fr * qi + fi * qr) * g;
    }
  }

  // The argmax of C within ±max_shift, its sub-pixel refinement and the peak ratio over the window.
  Shift find_peak() const {
    const float* zero_shift = grid + centre_y * pitch() + centre_x;
    const auto at = [&](int dy, int dx) { return zero_shift[std::ptrdiff_t(dy) * std::ptrdiff_t(pitch()) + dx]; };
    int best_x = 0, best_y = 0;
    float best = at(0, 0);
    double sum = 0, sum2 = 0;
    for (int dy = -max_y; dy <= max_y; ++dy)
      for (int dx = -max_x; dx <= max_x; ++dx) {
        const float v = at(dy, dx);
        sum += v;
        sum2 += double(v) * v;
        if (v > best) best = v, best_x = dx, best_y = dy;
      }
    const double n = double(2 * max_x + 1) * double(2 * max_y + 1);
    const double mean = sum / n, sd = std::sqrt(std::max(0.0, sum2 / n - mean * mean));
    // Half a frame pixel past the bound at most, binned or not.
    const double scale = double(bin), limit_x = scale * max_x + 0.5, limit_y = scale * max_y + 0.5;
    Shift s;
    s.dx = std::clamp(scale * (best_x + peak_offset(at(best_y, best_x - 1), best, at(best_y, best_x + 1))), -limit_x, limit_x);
    s.dy = std::clamp(scale * (best_y + peak_offset(at(best_y - 1, best_x), best, at(best_y + 1, best_x))), -limit_y, limit_y);
    s.peak_ratio = sd > 0 ? (best - mean) / sd : 0.0;
    return s;
  }

  // filter from the tapered reference, in double: |R̂|² can pass float range.
  void set_filter(std::span<const float> reference, double lowpass_sigma_grid, const RegistrationParams& params) {
    load(reference);
    const auto taper_x = edge_taper(cx, std::size_t(params.taper_fraction * double(cx)));
    const auto taper_y = edge_taper(cy, std::size_t(params.taper_fraction * double(cy)));
    for (std::size_t y = 0; y < cy; ++y)
      for (std::size_t x = 0; x < cx; ++x) grid[y * pitch() + x] *= taper_x[x] * taper_y[y];
    fftwf_execute(forward.get());
    const auto lowpass_x = gaussian_lowpass(nx, half(), lowpass_sigma_grid);
    const auto lowpass_y = gaussian_lowpass(ny, ny, lowpass_sigma_grid);
    for (std::size_t ky = 0; ky < ny; ++ky)
      for (std::size_t kx = 0; kx < half(); ++kx) {
        const std::size_t i = ky * half() + kx;
        const std::complex<double> r(spectrum[i][0], -spectrum[i][1]);
        const double magnitude = std::abs(r);
        // C(x − centre) ⇔ Ĉ(k)·exp(−2πi k·centre/n): the origin moves to the centre.
        const double phase = -2 * std::numbers::pi * (double(kx * centre_x % nx) / double(nx) + double(ky * centre_y % ny) / double(ny));
        const std::complex<double> q =
            magnitude > 0 ? r * std::polar(lowpass_x[kx] * lowpass_y[ky] / std::pow(magnitude, params.whitening), phase) : 0.0;
        filter[i][0] = static_cast<float>(q.real());
        filter[i][1] = static_cast<float>(q.imag());
      }
  }
};

PhaseCorrelation::PhaseCorrelation(std::span<const float> reference, std::uint32_t width, std::uint32_t height,
                                   const RegistrationParams& params)
    : impl_(std::make_unique<Impl>()) {
  const bool binned = params.sampling == RegistrationParams::Sampling::binned_2x2;
  const std::uint32_t bin = binned ? 2 : 1;
  if (width < 8 * bin || height < 8 * bin)
    throw std::invalid_argument(binned ? "PhaseCorrelation: binned frames must be at least 16x16 pixels"
                                       : "PhaseCorrelation: frames must be at least 8x8 pixels");
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
  m.height = height;
  m.bin = bin;
  m.whitening = static_cast<float>(params.whitening);
  const std::size_t sampled_x = width / bin, sampled_y = height / bin;  // an odd last column or line is left out
  const bool pad = params.fft_size == RegistrationParams::FftSize::pad;
  m.nx = pad ? next_5_smooth(sampled_x) : previous_5_smooth(sampled_x);
  m.ny = pad ? next_5_smooth(sampled_y) : previous_5_smooth(sampled_y);
  m.cx = std::min(sampled_x, m.nx);
  m.cy = std::min(sampled_y, m.ny);
  m.x0 = (sampled_x - m.cx) / 2;
  m.y0 = (sampled_y - m.cy) / 2;
  m.centre_x = m.nx / 2;
  m.centre_y = m.ny / 2;
  // Beyond half the grid a shift would alias to its negative; the window's neighbours (for the
  // sub-pixel fit) must lie on the grid too.
  m.max_x = std::min(int(params.max_shift_fraction * width / bin), int(m.nx - 1) / 2 - 1);
  m.max_y = std::min(int(params.max_shift_fraction * height / bin), int(m.ny - 1) / 2 - 1);
  m.spectrum = fftw_buffer<fftwf_complex>(m.bins());
  m.grid = &m.spectrum[0][0];
  m.filter = fftw_buffer<fftwf_complex>(m.bins());
  m.make_plans(params.planning == RegistrationParams::Planning::measure ? FFTW_MEASURE : FFTW_ESTIMATE);
  // Planning with FFTW_MEASURE overwrites the buffers, so the reference is loaded afterwards.
  m.set_filter(reference, params.lowpass_sigma_px / double(bin), params);
}

PhaseCorrelation::~PhaseCorrelation() = default;
PhaseCorrelation::PhaseCorrelation(PhaseCorrelation&&) noexcept = default;
PhaseCorrelation& PhaseCorrelation::operator=(PhaseCorrelation&&) noexcept = default;

Shift PhaseCorrelation::measure(std::span<const std::uint16_t> frame) { return impl_->measure(frame); }
Shift PhaseCorrelation::measure(std::span<const float> frame) { return impl_->measure(frame); }
std::uint32_t PhaseCorrelation::width() const { return impl_->width; }
std::uint32_t PhaseCorrelation::height() const { return impl_->height; }
std::uint32_t PhaseCorrelation::binning() const { return std::uint32_t(impl_->bin); }
std::uint32_t PhaseCorrelation::fft_width() const { return std::uint32_t(impl_->nx); }
std::uint32_t PhaseCorrelation::fft_height() const { return std::uint32_t(impl_->ny); }
int PhaseCorrelation::max_shift_x() const { return int(impl_->bin) * impl_->max_x; }
int PhaseCorrelation::max_shift_y() const { return int(impl_->bin) * impl_->max_y; }

}  // namespace apical::bridge
