// Basal-only rate curve φ(Ī_s); definition in basal_rate_curve.hpp.
#include "basal_rate_curve.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace apical::bci::detail {

BasalRateCurve::BasalRateCurve(std::vector<double> current_pA, std::vector<double> rate_Hz)
    : current_(std::move(current_pA)), rate_(std::move(rate_Hz)) {
  if (current_.empty() || current_.size() != rate_.size())
    throw std::invalid_argument("basal rate curve: needs at least one (current, rate) point");
}

double BasalRateCurve::operator()(double I) const {
  const std::size_t n = current_.size();
  if (n == 1 || I <= current_.front()) return rate_.front();
  if (I >= current_.back()) {
    const double slope = (rate_[n - 1] - rate_[n - 2]) / (current_[n - 1] - current_[n - 2]);
    return rate_.back() + slope * (I - current_.back());
  }
  const auto it = std::upper_bound(current_.begin(), current_.end(), I);
  const std::size_t b = static_cast<std::size_t>(it - current_.begin());
  const double w = (I - current_[b - 1]) / (current_[b] - current_[b - 1]);
  return rate_[b - 1] + w * (rate_[b] - rate_[b - 1]);
}

void BasalRateBins::add(double I, double rate) {
  const auto b = static_cast<std::size_t>(std::max(0.0, std::floor(I / bin_)));
  if (b >= sum_.size()) {
    sum_.resize(b + 1, 0.0);
    count_.resize(b + 1, 0);
  }
  sum_[b] += rate;
  ++count_[b];
}

BasalRateCurve BasalRateBins::curve() const {
  // Pool-adjacent-violators over the bins with enough frames: blocks of (weighted mean, weight, centre sum).
  struct Block { double mean, weight; std::vector<double> centres; };
  std::vector<Block> blocks;
  for (std::size_t b = 0; b < sum_.size(); ++b) {
    if (count_[b] < min_count_) continue;
    Block block{sum_[b] / static_cast<double>(count_[b]), static_cast<double>(count_[b]), {(static_cast<double>(b) + 0.5) * bin_}};
    blocks.push_back(std::move(block));
    while (blocks.size() >= 2 && blocks[blocks.size() - 2].mean > blocks.back().mean) {
      Block last = std::move(blocks.back());
      blocks.pop_back();
      Block& prev = blocks.back();
      prev.mean = (prev.mean * prev.weight + last.mean * last.weight) / (prev.weight + last.weight);
      prev.weight += last.weight;
      prev.centres.insert(prev.centres.end(), last.centres.begin(), last.centres.end());
    }
  }
  if (blocks.empty()) throw std::runtime_error("basal rate curve: no current bin has enough frames");
  std::vector<double> current, rate;
  for (const Block& block : blocks)
    for (double c : block.centres) {
      current.push_back(c);
      rate.push_back(block.mean);
    }
  return BasalRateCurve(std::move(current), std::move(rate));
}

}  // namespace apical::bci::detail
