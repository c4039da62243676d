#pragma once
// ParaView exports (docs/pictures.md): one .vtp file (VTK XML poly data) per time step and a .pvd
// collection that opens the series as one time-varying source. No display needed.
//
// Single-cell run, per condition: <out>/<condition>.pvd and <out>/<condition>/step_NNNNN.vtp, time in
// ms. Each step holds the segments as 2-point lines (cell_shape.hpp: the schematic layout, or the
// traced shape of an imported cell, several lines per segment, its soma ball as a cylinder of the
// ball's diameter), point data radius_um (apply ParaView's Tube filter, "Vary Radius: By Absolute
// Scalar", to see cones) and cell data section, x, and the recorded values: v_mV, cai_mM, dff
// (cell_run.hpp).
//
// bci_cohort run, per mouse: <out>/<mouse>.pvd and <out>/<mouse>/dayDD_sS.vtp, time in days (sessions
// of a day spread evenly within it). Each step holds one vertex per neuron at its schematic position
// (field_of_view.hpp) with point data role (0 P+, 1 P−, 2 P0), role_colour (RGB), rate_hz,
// event_rate_hz, burst_rate_hz (the session's ground truth), mean_soma_dff, and mean_weight_pA_per_Hz
// (the mean of the neuron's connected input weights at the end of the session).
#include <cstddef>
#include <string>
#include <vector>

#include "apical/viz/cell_run.hpp"

namespace apical::viz {

// Every `every`-th recorded sample (and the last); returns the .pvd paths.
std::vector<std::string> export_cell_run(const CellRun& run, const std::string& out_dir, std::size_t every);

// The stride that keeps an export of `samples` samples within max_export_steps files.
inline constexpr std::size_t max_export_steps = 200;  // ParaView plays a few hundred files smoothly
std::size_t default_stride(std::size_t samples);

// InputError naming the folder or file for a missing or damaged run folder; returns the .pvd paths.
std::vector<std::string> export_cohort_run(const std::string& run_dir, const std::string& out_dir);

}  // namespace apical::viz
