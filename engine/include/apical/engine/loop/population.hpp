#pragma once
// BCI roles per ROI and the population difference the decoder reads (experiment.md §2 step 4):
//
//   x(k) = mean_{i∈P+} d̃_i(k) − mean_{i∈P−} d̃_i(k)     [P] (difference of population means)
//   d̃_i  = d_i                  by default
//   d̃_i  = (d_i − m_i) / s_i    with per-neuron z-scoring [D, off by default], m_i and s_i the mean and
//                               SD of d_i over the calibration block; this weights neuron i by 1/s_i.
//
// P0 ROIs (every other neuron in the field of view) are imaged but never enter x [P].
// A NaN d_i is a missing sample (a row under the PMT gate): each mean is over the ROIs with a sample,
// and NaN when none of the population has one.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace apical::loop {

enum class Role : std::uint8_t {
  plus,   // P+: activity turns the patch clockwise, toward the 90° target
  minus,  // P−: activity turns it counter-clockwise, toward 0°
  zero,   // P0: imaged, no effect on the stimulus
};

class PopulationDifference {
 public:
  struct Means {
    double plus = 0;   // mean over P+ of d̃
    double minus = 0;  // mean over P− of d̃
  };

  // Plain ΔF/F. Throws std::invalid_argument unless P+ and P− are both non-empty.
  explicit PopulationDifference(std::span<const Role> roles);
  // Per-neuron z-scoring with one mean and SD per ROI (SD > 0 for every P+ and P− ROI).
  PopulationDifference(std::span<const Role> roles, std::span<const double> roi_mean, std::span<const double> roi_sd);

  // dff holds one ΔF/F per ROI; throws std::invalid_argument on a size mismatch.
  [[nodiscard]] Means means(std::span<const double> dff) const;
  [[nodiscard]] double difference(std::span<const double> dff) const {
    const Means m = means(dff);
    return m.plus - m.minus;
  }

  [[nodiscard]] std::size_t rois() const { return rois_; }
  [[nodiscard]] bool per_neuron_zscore() const { return !offset_.empty(); }

 private:
  std::size_t rois_ = 0;
  std::vector<std::size_t> plus_, minus_;  // ROI indices of P+ and P−
  std::vector<double> offset_, scale_;     // per ROI: m_i and 1/s_i; empty for plain ΔF/F
};

}  // namespace apical::loop
