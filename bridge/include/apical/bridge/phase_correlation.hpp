#pragma once
// Online rigid registration by phase correlation (rig.md §7) with single-precision FFTW plans made
// once, at construction, from the constructing thread (FFTW's planner is not thread-safe; measure()
// then runs on the owning thread without allocating).
//
//   I' = I − mean I                                 on the FFT grid (padded with 0, or cropped)
//   R̂  = conj(FFT(taper · ref'))                    precomputed; only the reference is tapered
//   C  = IFFT( G · P/|P|^a ),  P = FFT(frame') · R̂,  G(k) = exp(−2π²σ²(kx²/Nx² + ky²/Ny²))
//   d  = argmax C over |dx| ≤ max_shift·W, |dy| ≤ max_shift·H, refined per axis by a 3-point fit
//        of a Gaussian (log-parabola), or of a parabola where a neighbour is ≤ 0
//
// d is the displacement of the frame's content: frame(y, x) ≈ ref(y − dy, x − dx), so a ROI drawn on
// the reference lies at (x + dx, y + dy) in the frame.
//
// | Parameter | Default | Source |
// |---|---|---|
// | max_shift_fraction | 0.10 of each side | rig.md §7 [D] |
// | lowpass_sigma_px | 1.15 px | rig.md §7 [D] (suite2p) |
// | whitening a | 0.5: halfway between cross-correlation (0) and full phase correlation (1) | [M] below |
// | taper_fraction | 0.10 of each side, raised-cosine edge ramps on the reference | [D] |
// | fft_size | pad to the next 5-smooth size (796 → 800) or crop to the previous (796 → 768) | rig.md §7 [D] |
//
// [M] On synthetic fields of Gaussian cells (σ 2.5 px, 60 in 128 × 96, shifts up to 7 px, sub-pixel
// ones included), tapering both images and full whitening (a = 1, rig.md §7) pulled shifts toward
// zero by up to 0.32 px (about 5 % of the shift): the shared taper is a pattern fixed in frame
// coordinates, and where such smooth content has little power it dominates the phase. Tapering the
// reference only, with a = 0.5, kept the worst error at 0.12 px (0.31 px on a 199 × 64 frame with
// shot noise). Real frames have more high-frequency texture; revisit a on rig data.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace apical::bridge {

struct RegistrationParams {
  double max_shift_fraction = 0.10;  // bound on |shift| per axis, as a fraction of the frame side, (0, 0.5)
  double lowpass_sigma_px = 1.15;    // Gaussian smoothing of the correlation surface, px (0: none)
  double whitening = 0.5;            // exponent a of |P| in the normalisation, [0, 1]
  double taper_fraction = 0.10;      // width of each raised-cosine edge ramp, fraction of the side, [0, 0.5]
  enum class FftSize { pad, crop } fft_size = FftSize::pad;
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
  [[nodiscard]] std::uint32_t fft_width() const;
  [[nodiscard]] std::uint32_t fft_height() const;
  [[nodiscard]] int max_shift_x() const;
  [[nodiscard]] int max_shift_y() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace apical::bridge
