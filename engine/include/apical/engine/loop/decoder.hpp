#pragma once
// The BCI decoder, one update per 15-Hz frame (experiment.md §2 steps 4–8; step 9, the hit, is
// at_target here and is acted on by TrialTask):
//
//   x(k)     = mean_{P+} d̃ − mean_{P−} d̃                   step 4 [P]  (PopulationDifference)
//   x̄(k)     = mean of x over the last 3 frames (200 ms)     step 5 [C→D]; fewer at the very start
//   z(k)     = (x̄(k) − μ_cal) / σ_cal                        step 6 [D]; μ_cal, σ_cal frozen
//   e_m      = lo + (m − 1)·Δ,  Δ = (θ − lo)/5,  m = 1…6     step 7 [C→D]; e_1 = lo and e_6 = θ exactly
//   bin(k)   = #{m : z(k) ≥ e_m} ∈ 0…6,  angle = 15°·bin      step 7 [P] (7 bins 15° apart, 0–90°)
//   ε(k)     = max(0, θ − z(k)) in z units; 90° − angle in degrees   step 8 [D]
//   at_target = z(k) ≥ θ  (bin 6)                             step 9 [D] (no hold time)
//
// Missing samples (NaN ΔF/F, a row under the PMT gate; learning_rules.md §4 O2): x averages the ROIs
// of each population that have a sample. A frame where a whole population has none gives x = NaN, and
// the decoder holds: x̄ is the mean of the window as it stands (μ_cal before any sample), which is
// not advanced.
//
// The angle is position control: it follows the current z and is not integrated. The decoder keeps
// updating in every task state; TrialTask decides when the angle drives the patch.
#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "apical/engine/loop/population.hpp"

namespace apical::loop {

struct Calibration;  // calibration.hpp: the frozen μ_cal, σ_cal, lo, θ

struct DecoderParams {
  std::size_t smoothing_frames = 3;  // x̄ window: 3 frames = 200 ms, experiment.md §2 step 5 [C→D]
  bool per_neuron_zscore = false;    // z-score each neuron before averaging, step 6 [D]; off by default
};

// Mean of the last n values pushed (of all of them while fewer than n have been pushed). The sum is
// recomputed each push, so the result does not drift and depends only on the values in the window.
class TrailingMean {
 public:
  explicit TrailingMean(std::size_t n);
  double push(double x);
  // The mean of the values in the window now; NaN while it is empty.
  [[nodiscard]] double current() const;
  void reset() { size_ = head_ = 0; }

 private:
  std::vector<double> ring_;
  std::size_t head_ = 0, size_ = 0;
};

struct DecoderOutput {
  double x = 0;            // population difference, ΔF/F units (z units of d̃ with per-neuron z-scoring)
  double x_bar = 0;        // x smoothed over the last smoothing_frames frames
  double z = 0;            // (x̄ − μ_cal)/σ_cal
  int bin = 0;             // #{edges ≤ z}, 0 … 6
  double angle_deg = 0;    // 15° · bin, 0 … 90°
  double error = 0;        // ε = max(0, θ − z), z units
  double error_deg = 0;    // 90° − angle
  bool at_target = false;  // z ≥ θ
};

class Decoder {
 public:
  static constexpr int edge_count = 6;             // 7 angle bins [P]
  static constexpr double angle_step_deg = 15.0;   // [P]
  static constexpr double target_angle_deg = edge_count * angle_step_deg;  // 90° [P]

  // Throws std::invalid_argument unless σ_cal > 0, θ > lo (all finite) and, with per-neuron
  // z-scoring, the calibration holds one mean and SD per ROI.
  Decoder(std::span<const Role> roles, const Calibration& calibration, const DecoderParams& params = {});

  // Steps 4–8 from one frame of ΔF/F (one value per ROI).
  DecoderOutput step(std::span<const double> dff);
  // Steps 5–8 from a given population difference x (chance level and replays use this).
  DecoderOutput step_difference(double x);
  // Forgets the smoothing history (e.g. at a new session).
  void reset() { smoother_.reset(); }

  // The bin of a z value: #{m : z ≥ e_m}; NaN gives 0.
  [[nodiscard]] int bin(double z) const;
  [[nodiscard]] const std::array<double, edge_count>& edges() const { return edges_; }
  [[nodiscard]] const PopulationDifference& population() const { return population_; }

 private:
  PopulationDifference population_;
  TrailingMean smoother_;
  double mu_, sigma_, theta_;
  std::array<double, edge_count> edges_{};
};

}  // namespace apical::loop
