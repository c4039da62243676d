#pragma once
// The registration reference (rig.md §7 step 1): the mean of the first N frames of a session, made
// sharper by re-aligning them — each pass registers every frame to the current mean and averages them
// again with their whole-pixel shifts undone — or the mean of the pages of a TIFF file.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "apical/bridge/frame.hpp"
#include "apical/bridge/phase_correlation.hpp"

namespace apical::bridge {

struct ReferenceImage {
  std::uint32_t width = 0, height = 0;
  std::vector<float> pixels;  // [y · width + x]
};

// Mean of frames (all of one size). Throws std::invalid_argument if empty or of mixed sizes.
ReferenceImage mean_image(std::span<const Frame> frames);
// The mean, then `passes` re-alignment passes.
ReferenceImage reference_from_frames(std::span<const Frame> frames, const RegistrationParams& params, int passes = 2);
// The mean of every page of a 16-bit TIFF; std::runtime_error naming the file on failure.
ReferenceImage reference_from_tiff(const std::string& path);

}  // namespace apical::bridge
