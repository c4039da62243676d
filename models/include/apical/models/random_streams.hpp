#pragma once
// Named random streams for the fast field-of-view models (input population, indicator noise).
//
// Every random number is a pure function of (seed, mouse, stream, purpose, index, counter): the
// counter-based generator of apical/engine/random.hpp, keyed per channel. Nothing depends on how many
// neurons share a batch, on thread count, or on the order in which channels are visited.
//
//   key(id, purpose, index) = mix64(seed ⊕ mix64(mouse ⊕ mix64(stream ⊕ mix64(purpose ⊕ mix64(index)))))
//   value(key, counter)     = mix64(key + φ·counter),  φ = 0x9e3779b97f4a7c15 (Weyl increment)
//
// `purpose` separates the uses inside one model (latent factors, private rate noise, input spikes,
// dendritic noise, imaging noise), so adding a use never shifts another use's numbers.
#include <cstdint>

#include "apical/engine/random.hpp"

namespace apical {

// Identity of one virtual mouse's random numbers. `stream` separates independent replicates or
// components that must not share numbers (e.g. one per field of view or imaging plane).
struct RandomStreamId {
  std::uint64_t seed = 0;
  std::uint64_t mouse = 0;
  std::uint64_t stream = 0;
};

// Key of channel `index` of use `purpose`.
constexpr std::uint64_t stream_key(const RandomStreamId& id, std::uint64_t purpose, std::uint64_t index) {
  return mix64(id.seed ^ mix64(id.mouse ^ mix64(id.stream ^ mix64(purpose ^ mix64(index)))));
}

// The counter-th 64 random bits of a channel. Branch-free, so loops over channels vectorise.
constexpr std::uint64_t stream_bits(std::uint64_t key, std::uint64_t counter) {
  return mix64(key + 0x9e3779b97f4a7c15ULL * (counter + 1));
}

// Uniform in (0, 1) from 53 of the bits; never exactly 0 or 1.
constexpr double bits_to_uniform(std::uint64_t bits) {
  return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;
}

// An approximately standard-normal number from 64 bits, without transcendental functions: the sum of
// four 16-bit uniforms (Irwin–Hall, n = 4), centred and scaled to unit variance. Mean 0 and variance 1
// are exact; the tails stop at ±√12 ≈ 3.46 and the excess kurtosis is −0.3. Meant for noise currents
// and rate fluctuations, where it makes a vectorised loop possible; use CounterRng::normal() where
// the tails matter.
constexpr double bits_to_approx_normal(std::uint64_t bits) {
  const double sum = static_cast<double>(bits & 0xffffULL) + static_cast<double>((bits >> 16) & 0xffffULL) +
                     static_cast<double>((bits >> 32) & 0xffffULL) + static_cast<double>(bits >> 48);
  // Each 16-bit value u has mean 32767.5 and variance (65536² − 1)/12.
  constexpr double mean = 4.0 * 32767.5;
  constexpr double inv_sd = 1.0 / 37837.22723720648;  // 1/sqrt(4·(65536² − 1)/12)
  return (sum - mean) * inv_sd;
}

// A scalar generator for channel `index` of use `purpose` (normal(), exponential(), uniform()).
inline CounterRng stream_rng(const RandomStreamId& id, std::uint64_t purpose, std::uint64_t index) {
  return CounterRng(stream_key(id, purpose, index), purpose);
}

}  // namespace apical
