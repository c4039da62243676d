#pragma once
// Calibration of the decoder from a spontaneous block (experiment.md §2 "Calibration" [D, modelled on
// CLOOSE]): 10 min (9,000 frames) of ΔF/F recorded before day-1 training, no stimulus, no reward.
//
//   x̄(k)   the decoder trace of steps 4–5 over the block (Decoder's smoothing, from an empty history)
//   μ_cal   = mean_k x̄(k);  σ_cal = SD_k x̄(k) (n − 1 denominator, as MATLAB's std)
//   z(k)    = (x̄(k) − μ_cal)/σ_cal
//   lo      = 0.5th percentile of z over the block (nearest rank, as SlidingPercentile)   [D; CLOOSE: min]
//   M_j     = max of z over pseudo-trial j: 420 frames from a random start, wrapping circularly,
//             j = 1 … 200, starts from CounterRng(seed, ·)                                [D; CLOOSE: 750 frames]
//   θ       = the smallest double with #{j : M_j ≥ θ}/200 ≤ p_cal, p_cal = 0.30           [D; allowed 0.25–0.30]
//             i.e. the next double above the (⌊p_cal·200⌋ + 1)-th largest M_j.
//
// With per-neuron z-scoring (DecoderParams) each ROI's mean and SD over the block are stored too and
// applied before x is formed. The result is frozen for all 14 days; only F0 keeps sliding.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "apical/engine/loop/decoder.hpp"
#include "apical/engine/loop/frame_block.hpp"
#include "apical/engine/loop/population.hpp"

namespace apical::loop {

struct CalibrationParams {
  std::size_t pseudo_trials = 200;  // [D]
  std::size_t trial_frames = 420;   // 28 s at 15 Hz, the OPEN window [P]
  double p_cal = 0.30;              // target pseudo-trial hit fraction [D], allowed 0.25–0.30
  double floor_quantile = 0.005;    // lo = 0.5th percentile of z [D]
  std::uint64_t seed = 0;           // pseudo-trial starts
};

// The frozen decoder constants. Plain data: copy it, store it, pass it to Decoder.
struct Calibration {
  double mu = 0;                 // μ_cal of x̄, ΔF/F units
  double sigma = 1;              // σ_cal of x̄
  double lo = 0;                 // floor, z units
  double theta = 0;              // target threshold, z units
  std::vector<double> roi_mean;  // per-neuron z-scoring only (else empty): mean of d_i over the block
  std::vector<double> roi_sd;    // ... and its SD (n − 1)
  double pseudo_hit_fraction = 0;  // fraction of the pseudo-trials whose z reaches θ (≤ p_cal)
};

// Throws std::invalid_argument on bad parameters or a block shorter than one pseudo-trial, and
// std::runtime_error when the block is degenerate (σ_cal = 0 or θ ≤ lo).
Calibration calibrate(const FrameBlock& dff, std::span<const Role> roles, const DecoderParams& decoder = {},
                      const CalibrationParams& params = {});

// Pieces of calibrate(), public for tests and diagnostics.

// x̄ for every frame of the block (steps 4–5), from an empty smoothing history. A frame without a
// population difference (NaN: a population without samples) holds x̄, as Decoder does; NaN before the
// first sample. calibrate() takes μ_cal, σ_cal, lo and the per-ROI means and SDs over the finite values.
std::vector<double> smoothed_difference(const FrameBlock& dff, const PopulationDifference& population,
                                        std::size_t smoothing_frames);
// M_j for pseudo-trials j = 0 … trials − 1 cut from the trace z (circular), seeded starts.
std::vector<double> pseudo_trial_maxima(std::span<const double> z, std::size_t trials, std::size_t trial_frames,
                                        std::uint64_t seed);
// #{j : M_j ≥ θ} / trials.
double fraction_reaching(std::span<const double> maxima, double theta);
// The smallest θ with fraction_reaching(maxima, θ) ≤ p.
double threshold_for_fraction(std::span<const double> maxima, double p);

}  // namespace apical::loop
