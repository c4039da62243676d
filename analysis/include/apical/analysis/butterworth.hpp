#pragma once
// Digital Butterworth filters as cascades of second-order sections, for the transient detector's
// high-pass (experiment.md §4 [D]: 9th order, cutoff fs/8).
//
// Design: the analogue prototype of order N has its poles on the unit circle,
//   p_k = exp(iπ(2k + N − 1)/(2N)),  k = 1…N  (left half-plane),
// so |H(iΩ)|² = 1/(1 + Ω^{2N}). With the cutoff pre-warped, K = tan(π f_c/f_s), the low-pass poles are
// s_k = K·p_k (zeros at s = ∞) and the high-pass poles s_k = K/p_k (N zeros at s = 0). The bilinear map
// z = (1 + s)/(1 − s) (s in units of 2f_s) sends them to z_k = (1 + s_k)/(1 − s_k), the s = ∞ zeros to
// z = −1 and the s = 0 zeros to z = +1. Conjugate poles are paired into biquads; an odd order leaves one
// first-order section (stored with b2 = a2 = 0). Each section is scaled to unit gain in the passband
// centre (z = +1 for low-pass, z = −1 for high-pass), so |H(e^{iω_c})| = 1/√2, i.e. −3.01 dB, at the
// cutoff exactly, and the magnitude falls as ω^N (6.02·N dB per octave) far into the stop band.
//
// Sections are in transposed direct form II, with a0 = 1:
//   y = b0·x + s1;  s1 ← b1·x − a1·y + s2;  s2 ← b2·x − a2·y.
#include <complex>
#include <span>
#include <vector>

namespace apical::analysis {

struct Biquad {
  double b0 = 1, b1 = 0, b2 = 0;  // numerator of b0 + b1 z⁻¹ + b2 z⁻²
  double a1 = 0, a2 = 0;          // denominator 1 + a1 z⁻¹ + a2 z⁻²
};

struct SosFilter {
  std::vector<Biquad> sections;
  int order = 0;                  // N: the number of poles
};

enum class FilterKind { lowpass, highpass };

// Throws std::invalid_argument unless order ≥ 1 and 0 < cutoff_hz < fs/2.
[[nodiscard]] SosFilter butterworth(FilterKind kind, int order, double cutoff_hz, double fs_hz);

// H(e^{iω}) at frequency f_hz, ω = 2π f/f_s.
[[nodiscard]] std::complex<double> frequency_response(const SosFilter& filter, double f_hz, double fs_hz);

// Causal filtering from zero initial state.
[[nodiscard]] std::vector<double> filter(const SosFilter& filter, std::span<const double> x);

// Zero-phase forward–backward filtering (offline): the magnitude response is |H|², the phase zero.
// The ends are extended by odd reflection about the end values, padlen = 3·(2·sections + 1 − m) samples
// (m = number of first-order sections; at most n − 1), and each pass starts from the steady state of a
// constant input equal to its first sample. These are the conventions of SciPy's sosfiltfilt defaults,
// so results agree with it to rounding. Input must be finite; fewer than 2 samples are returned as is.
[[nodiscard]] std::vector<double> filtfilt(const SosFilter& filter, std::span<const double> x);

}  // namespace apical::analysis
