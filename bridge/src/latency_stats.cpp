#include "apical/bridge/latency_stats.hpp"

#include <algorithm>
#include <cmath>

namespace apical::bridge {

double nearest_rank(std::vector<float> values, double q) {
  if (values.empty()) return 0;
  const auto n = static_cast<double>(values.size());
  const std::size_t rank = std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(q * n)), 1, values.size());
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank - 1), values.end());
  return values[rank - 1];
}

void LatencyStats::add(double ms) { all_.push_back(static_cast<float>(ms)); }

double LatencyStats::recent(double q) const {
  const std::size_t n = std::min(window_, all_.size());
  return nearest_rank(std::vector<float>(all_.end() - static_cast<std::ptrdiff_t>(n), all_.end()), q);
}

double LatencyStats::overall(double q) const { return nearest_rank(all_, q); }

}  // namespace apical::bridge
