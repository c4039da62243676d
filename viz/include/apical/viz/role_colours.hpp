#pragma once
// One colour per decoder role (P+, P−, P0), defined once so that a role looks the same in every
// picture and export. Okabe–Ito colours, told apart with the common colour-vision deficiencies;
// P0 (no decoder weight) is the neutral grey.
#include <cstdint>

#include "apical/engine/loop/population.hpp"

namespace apical::viz {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
};

inline constexpr Rgb plus_colour{213, 94, 0};     // vermillion
inline constexpr Rgb minus_colour{0, 114, 178};   // blue
inline constexpr Rgb zero_colour{150, 150, 150};  // grey

constexpr Rgb role_colour(loop::Role role) {
  switch (role) {
    case loop::Role::plus: return plus_colour;
    case loop::Role::minus: return minus_colour;
    case loop::Role::zero: return zero_colour;
  }
  return zero_colour;
}

}  // namespace apical::viz
