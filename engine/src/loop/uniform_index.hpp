#pragma once
// Private helpers for the loop's seeded draws: disjoint stream tags per use, and a uniform index.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "apical/engine/random.hpp"

namespace apical::loop {

// CounterRng stream for draw `index` of a given use, so that equal seeds give independent draws
// across uses (calibration starts vs chance shifts).
enum class StreamTag : std::uint64_t { pseudo_trial_start = 1, chance_shift = 2 };
inline std::uint64_t stream_of(StreamTag tag, std::uint64_t index) {
  return (static_cast<std::uint64_t>(tag) << 48) ^ index;
}

// Uniform integer in [0, n), n > 0.
inline std::size_t uniform_index(CounterRng& rng, std::size_t n) {
  const auto j = static_cast<std::size_t>(rng.uniform() * static_cast<double>(n));
  return std::min(j, n - 1);
}

}  // namespace apical::loop
