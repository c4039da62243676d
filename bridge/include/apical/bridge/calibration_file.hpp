#pragma once
// The decoder's frozen calibration as a file ("format": "apical-calibration"), so that θ, μ_cal and
// σ_cal found on day 1 carry over to later sessions as in the paper (experiment.md §2, "Calibration").
// A rig session writes calibration.json beside its recording; a later rig file names it.
#include <nlohmann/json.hpp>
#include <string>

#include "apical/engine/loop/calibration.hpp"

namespace apical::bridge {

inline constexpr long long calibration_format_version = 1;

nlohmann::json calibration_json(const loop::Calibration& calibration);

// InputError naming the file and JSON path on any problem. `rois`: the session's ROI count, which a
// per-neuron z-scored calibration must match.
loop::Calibration read_calibration_file(const std::string& path, std::size_t rois);

}  // namespace apical::bridge
