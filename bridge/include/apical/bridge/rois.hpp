#pragma once
// Regions of interest drawn on the registration reference, as weighted pixel lists (the NWB
// PlaneSegmentation pixel_mask, rig.md §9). Two file forms:
//
//   ROI JSON:    {"format_version": 1, "width": 796, "height": 512,
//                 "rois": [{"name": "n0", "pixels": [[x, y], [x, y, weight], ...]}, ...]}
//                x = pixel within a line, y = line, 0-based; weight defaults to 1 and must be > 0.
//   label TIFF:  one 16-bit page the size of the frame; pixel value k > 0 belongs to ROI "label k";
//                ROIs are ordered by label.
#include <cstdint>
#include <string>
#include <vector>

#include "apical/io/json_reader.hpp"

namespace apical::bridge {

struct RoiPixel {
  std::uint32_t x = 0, y = 0;
  float weight = 1.0f;
};

struct Roi {
  std::string name;
  std::vector<RoiPixel> pixels;
};

struct RoiSet {
  std::uint32_t width = 0, height = 0;  // the frame the masks are drawn on
  std::vector<Roi> rois;
};

inline constexpr int roi_json_format_version = 1;

// InputError naming the file and JSON path on any problem (unknown key, pixel outside the frame, ...).
RoiSet read_roi_json(const std::string& path);
RoiSet rois_from_json(const JsonValue& document);
// std::runtime_error naming the file if it is unreadable or holds no labelled pixel.
RoiSet read_roi_label_tiff(const std::string& path);

// The ROI JSON of a set, one ROI per line; a pixel of weight 1 is written [x, y]. Reads back equal.
std::string roi_json_text(const RoiSet& set);

}  // namespace apical::bridge
