#pragma once
// Choice of the BCI populations from the calibration block (experiment.md §1: random assignment;
// P+ and P− had the same transient frequency on day 1). Rule in experiment_spec.hpp (SelectionSpec):
// pairwise matching on the calibration transient rate.
#include <cstddef>
#include <span>
#include <vector>

#include "apical/engine/loop/frame_block.hpp"
#include "apical/engine/loop/population.hpp"
#include "apical/engine/random.hpp"
#include "apical/models/bci/experiment_spec.hpp"

namespace apical::bci::detail {

// Transients per minute of every ROI of a ΔF/F block (frames × ROIs): upward crossings of
// median + threshold_mad·1.4826·MAD, at least min_interval_s apart.
std::vector<double> transient_rate_per_min(const loop::FrameBlock& dff, const SelectionSpec& spec, double frame_rate_Hz);

// Roles for every neuron. Throws std::runtime_error when fewer than n+ + n− neurons are eligible.
std::vector<loop::Role> select_roles(std::span<const double> rate_per_min, const FieldOfViewSpec& fov,
                                     const SelectionSpec& spec, CounterRng& rng);

}  // namespace apical::bci::detail
