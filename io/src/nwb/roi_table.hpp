#pragma once
// The ROI tables: one PlaneSegmentation per imaging plane (rig.md §9) with columns pixel_mask
// (compound x u32, y u32, weight f32) + pixel_mask_index, roi_name, population ("P+", "P-", "P0") and
// source ("imaged", "simulated"). A table's `id` holds each ROI's index in SessionInfo::rois, which is
// the column order of the per-frame F, ΔF/F and F0 vectors. The table of a plane whose ROIs have
// partners (Roi::paired_roi) also has paired_roi, a DynamicTableRegion whose values are rows of the
// partners' table (what pynwb resolves), and pair_r (float64, NaN until the writer fills it in).
#include <optional>
#include <vector>

#include "apical/io/nwb/session_info.hpp"
#include "builder.hpp"

namespace apical::nwb::detail {

// pixel_mask's compound type: packed little-endian in the file, RoiPixel's layout in memory.
h5::Handle pixel_type(bool in_memory);

struct RoiTables {
  std::vector<Node> tables;  // plane order
  std::vector<Node> pair_r;  // plane order; a plane without partners has no pair_r (an empty Node)
};

// Writes the tables under `segmentation` (an ImageSegmentation).
RoiTables write_roi_tables(Builder& builder, const Node& segmentation, const SessionInfo& info);

// The plane whose table the paired_roi column of `plane` points into; none when `plane` has no pairs.
std::optional<std::size_t> partner_plane(const SessionInfo& info, std::size_t plane);

// The row of each ROI in its plane's table (the order of SessionInfo::rois within the plane).
std::vector<std::size_t> table_rows(const SessionInfo& info);

// A DynamicTableRegion named `name` under `parent` selecting every row of `table` (`rows` rows).
void table_region(Builder& builder, const Node& parent, const std::string& name, const Node& table, std::size_t rows,
                  const std::string& description);

}  // namespace apical::nwb::detail
