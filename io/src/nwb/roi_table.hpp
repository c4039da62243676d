#pragma once
// The ROI tables: one PlaneSegmentation per imaging plane (rig.md §9) with columns pixel_mask
// (compound x u32, y u32, weight f32) + pixel_mask_index, roi_name, population ("P+", "P-", "P0") and
// source ("imaged", "simulated"). A table's `id` holds each ROI's index in SessionInfo::rois, which is
// the column order of the per-frame F, ΔF/F and F0 vectors.
#include "apical/io/nwb/session_info.hpp"
#include "builder.hpp"

namespace apical::nwb::detail {

// pixel_mask's compound type: packed little-endian in the file, RoiPixel's layout in memory.
h5::Handle pixel_type(bool in_memory);

// Writes the tables under `segmentation` (an ImageSegmentation) and returns them in plane order.
std::vector<Node> write_roi_tables(Builder& builder, const Node& segmentation, const SessionInfo& info);

// A DynamicTableRegion named `name` under `parent` selecting every row of `table` (`rows` rows).
void table_region(Builder& builder, const Node& parent, const std::string& name, const Node& table, std::size_t rows,
                  const std::string& description);

}  // namespace apical::nwb::detail
