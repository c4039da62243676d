#pragma once
// Synthetic ΔF/F for the loop tests: independent AR(1) noise per ROI, drawn from counter-based streams.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "apical/engine/loop/population.hpp"
#include "apical/engine/random.hpp"

namespace apical::loop::test {

// frames × rois, row-major. d_i(k) = φ d_i(k−1) + √(1−φ²)·sd·ξ, φ = exp(−1/tau_frames), stationary start.
inline std::vector<double> ar1_noise(std::size_t frames, std::size_t rois, double tau_frames, double sd,
                                     std::uint64_t seed) {
  std::vector<double> d(frames * rois);
  const double phi = std::exp(-1.0 / tau_frames), kick = std::sqrt(1.0 - phi * phi) * sd;
  for (std::size_t i = 0; i < rois; ++i) {
    CounterRng rng(seed, i);
    double v = sd * rng.normal();
    for (std::size_t k = 0; k < frames; ++k) {
      v = phi * v + kick * rng.normal();
      d[k * rois + i] = v;
    }
  }
  return d;
}

// per_population P+ ROIs, then as many P−, then p0 P0 ROIs.
inline std::vector<Role> bci_roles(std::size_t per_population, std::size_t p0 = 0) {
  std::vector<Role> roles(2 * per_population + p0, Role::zero);
  for (std::size_t i = 0; i < per_population; ++i) {
    roles[i] = Role::plus;
    roles[per_population + i] = Role::minus;
  }
  return roles;
}

}  // namespace apical::loop::test
