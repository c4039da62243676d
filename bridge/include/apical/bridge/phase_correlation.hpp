#pragma once
// Online rigid registration by phase correlation (rig.md §7) with single-precision FFTW plans made
// once, at construction, from the constructing thread (FFTW's planner is not thread-safe; measure()
// then runs on the owning thread without allocating).
//
//   I' = B(I) − mean B(I)                           on the FFT grid (padded with 0, or cropped); B sums
//                                                   2 × 2 pixels (binned_2x2) or keeps them (full)
//   R̂  = conj(FFT(taper · ref'))                    precomputed; only the reference is tapered
//   C  = IFFT( G · P/|P|^a ),  P = FFT(frame') · R̂,  G(k) = exp(−2π²σ²(kx²/Nx² + ky²/Ny²)), σ in grid px
//   d  = b · argmax C over |dx| ≤ max_shift·W/b, |dy| ≤ max_shift·H/b (grid px, b = 2 when binned),
//        refined per axis by a 3-point fit of a Gaussian (log-parabola), or of a parabola where a
//        neighbour is ≤ 0; |d| stays within max_shift_x/y() + 0.5 px
//
// Since |P| = |F|·|R̂| with F = FFT(frame'), G·P/|P|^a = F/|F|^a · Q with Q = G·R̂/|R̂|^a, precomputed
// (times a phase ramp that puts C's origin in the middle of the grid, so that the search window is one
// block of rows and the inverse FFT computes only those rows). Per frame: one pass over the frame
// (binning and sum), one forward FFT, one complex multiply and |F|^−a per bin (vectorised: a = 0.5
// and 1 take a Newton reciprocal square root; other a a std::pow per bin), a partial inverse FFT, and
// the peak statistics over the search window only.
//
// d is the displacement of the frame's content: frame(y, x) ≈ ref(y − dy, x − dx), so a ROI drawn on
// the reference lies at (x + dx, y + dy) in the frame.
//
// | Parameter | Default | Source |
// |---|---|---|
// | max_shift_fraction | 0.10 of each side | rig.md §7 [D] |
// | lowpass_sigma_px | 1.15 frame px (0.575 grid px when binned) | rig.md §7 [D] (suite2p) |
// | whitening a | 0.5: halfway between cross-correlation (0) and full phase correlation (1) | [M] below |
// | taper_fraction | 0.10 of each side, raised-cosine edge ramps on the reference | [D] |
// | fft_size | pad to the next 5-smooth size (796 → 800, binned 398 → 400) or crop to the previous (768, 384) | rig.md §7 [D] |
// | sampling | binned_2x2: 512 × 512 on a 256 × 256 grid, 512 × 796 on 256 × 400 | [M] below |
// | planning | FFTW_MEASURE (under 1 s at start-up); FFTW_PATIENT took 3–4 s and was no faster | [M] below |
//
// [M] On synthetic fields of Gaussian cells (σ 2.5 px, 60 in 128 × 96, shifts up to 7 px, sub-pixel
// ones included), tapering both images and full whitening (a = 1, rig.md §7) pulled shifts toward
// zero by up to 0.32 px (about 5 % of the shift): the shared taper is a pattern fixed in frame
// coordinates, and where such smooth content has little power it dominates the phase. Tapering the
// reference only, with a = 0.5, kept the worst error at 0.12 px (0.31 px on a 199 × 64 frame with
// shot noise). Real frames have more high-frequency texture; revisit a on rig data.
//
// [M] Binning (2026-11-29, 2-vCPU Xeon @ 2.8 GHz, one core): the full 512 × 800 grid's FFT pair
// alone took 3.2 ms, so a 2-ms p99 needed a smaller transform. Binned and full grids recover the same
// shifts: on 1 cell per 1000 px with shot noise and shifts up to ±46 px (60 per size), the worst error
// was 0.073 vs 0.066 px at 512 × 512 and 0.041 vs 0.040 px at 512 × 796 (RMS 0.013–0.019 px both);
// the tests' shifts (to 31 px, sub-pixel ones included) come back within 0.025 px either way. Binning
// keeps every cell (a centre crop would drop three quarters of them) and loses only frequencies that
// G already damps. Its peak ratios are about 10 % lower (19–23 against 20–25 on those frames; dark
// frames 3–5 either way). On frames under about 256 px per side the search window holds few grid
// pixels; use full there (the 128 × 96 test images: 0.10 px binned). Per-frame instructions
// (callgrind, FrameProcessor::process with 100 ROIs) fell from 22.0 M to 3.5 M at 512 × 512 and from
// 30.6 M to 5.3 M at 512 × 796; timings in docs/performance.md, "Rig loop latency".
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace apical::bridge {

struct RegistrationParams {
  double max_shift_fraction = 0.10;  // bound on |shift| per axis, as a fraction of the frame side, (0, 0.5)
  double lowpass_sigma_px = 1.15;    // Gaussian smoothing of the correlation surface, frame px (0: none)
  double whitening = 0.5;            // exponent a of |P| in the normalisation, [0, 1]
  double taper_fraction = 0.10;      // width of each raised-cosine edge ramp, fraction of the side, [0, 0.5]
  enum class FftSize { pad, crop } fft_size = FftSize::pad;
  // binned_2x2: register the sums of 2 × 2 pixels, a quarter of the FFT work; shifts are scaled back.
  // Frames must then be at least 16 × 16 pixels.
  enum class Sampling { full, binned_2x2 } sampling = Sampling::binned_2x2;
  enum class Planning { measure, estimate } planning = Planning::measure;  // estimate: fast start-up (tests)
};

struct Shift {
  double dx = 0, dy = 0;   // px, content displacement of the frame against the reference
  double peak_ratio = 0;   // (peak − mean)/SD of C within the search window: low for dark or z-moved frames
};

class PhaseCorrelation {
 public:
  // `reference` holds width × height values, row-major. Throws std::invalid_argument on bad sizes or
  // parameters.
  PhaseCorrelation(std::span<const float> reference, std::uint32_t width, std::uint32_t height,
                   const RegistrationParams& params = {});
  ~PhaseCorrelation();
  PhaseCorrelation(PhaseCorrelation&&) noexcept;
  PhaseCorrelation& operator=(PhaseCorrelation&&) noexcept;

  // The shift of one row-major width × height frame.
  Shift measure(std::span<const std::uint16_t> frame);
  Shift measure(std::span<const float> frame);

  [[nodiscard]] std::uint32_t width() const;
  [[nodiscard]] std::uint32_t height() const;
  [[nodiscard]] std::uint32_t binning() const;  // frame pixels per grid pixel along each axis
  [[nodiscard]] std::uint32_t fft_width() const;
  [[nodiscard]] std::uint32_t fft_height() const;
  [[nodiscard]] int max_shift_x() const;  // frame pixels
  [[nodiscard]] int max_shift_y() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace apical::bridge
