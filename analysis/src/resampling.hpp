#pragma once
// Private helpers shared by the resampling analyses (outcome decoding, residual network): uniform
// indices from the counter-based RNG and stable per-unit stream keys, so that results are a pure
// function of the inputs and the seed, and the per-fold standardisation of predictors.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "apical/engine/random.hpp"

namespace apical::analysis {

// A uniform index in [0, n); the clamp guards the product rounding up to n.
inline std::size_t draw_index(CounterRng& rng, std::size_t n) {
  const auto j = static_cast<std::size_t>(rng.uniform() * static_cast<double>(n));
  return std::min(j, n - 1);
}

// FNV-1a: a stable stream key for a (mouse, day, tag) unit, independent of the other units present.
inline std::uint64_t unit_key(const std::string& mouse, std::int32_t day, int tag) {
  std::uint64_t h = 1469598103934665603ULL;
  auto add = [&](unsigned char c) { h = (h ^ c) * 1099511628211ULL; };
  for (char c : mouse) add(static_cast<unsigned char>(c));
  for (int i = 0; i < 4; ++i) add(static_cast<unsigned char>((static_cast<std::uint32_t>(day) >> (8 * i)) & 0xffu));
  add(static_cast<unsigned char>(tag));
  return h;
}

// Z-scores each predictor column with the training fold's mean and SD (never the validation fold's,
// which would leak it into the fit); constant columns become zero.
inline void standardise_with_training_statistics(Eigen::MatrixXd& train, Eigen::MatrixXd& validation) {
  const Eigen::Index n = train.rows();
  for (Eigen::Index j = 0; j < train.cols(); ++j) {
    const double m = train.col(j).mean();
    const double sd = n > 1 ? std::sqrt((train.col(j).array() - m).square().sum() / static_cast<double>(n - 1)) : 0.0;
    if (sd > 0.0) {
      train.col(j) = (train.col(j).array() - m) / sd;
      validation.col(j) = (validation.col(j).array() - m) / sd;
    } else {
      train.col(j).setZero();
      validation.col(j).setZero();
    }
  }
}

}  // namespace apical::analysis
