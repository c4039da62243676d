#pragma once
// The field of view of one virtual mouse of a bci_cohort run: its imaged neurons as discs in their
// role colours (role_colours.hpp). The model gives neurons no positions, so the layout is schematic:
// somata placed uniformly at random in a square of field_of_view_um, at least min_spacing_um apart,
// from the mouse's seed and index only, so a mouse looks the same in every picture and export.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "apical/engine/loop/population.hpp"
#include "apical/viz/cell_picture.hpp"

namespace apical::viz {

inline constexpr double field_of_view_um = 500.0;  // the order of a two-photon field of view
inline constexpr double soma_radius_um = 8.0;      // L5 somata are 15–20 µm across
inline constexpr double min_spacing_um = 25.0;

std::vector<std::array<double, 2>> schematic_layout(std::uint64_t seed, std::uint64_t mouse, std::size_t neurons);

struct FieldOfView {
  std::string scenario, mouse_id;
  std::vector<loop::Role> roles;                     // [N]
  std::vector<std::array<double, 2>> positions_um;   // [N], schematic_layout
};

// mice/<mouse_id>.h5 of a bci_cohort run folder (empty id: the first mouse). InputError naming the
// folder or file for a missing or damaged run folder or an unknown mouse.
FieldOfView read_field_of_view(const std::string& run_dir, const std::string& mouse_id);

// Holds a DisplayLease while drawing (NoDisplayError without an X display).
void render_field_of_view(const FieldOfView& fov, PictureSize size, const std::string& png);

}  // namespace apical::viz
