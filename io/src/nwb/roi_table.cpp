#include "roi_table.hpp"

#include <cstddef>
#include <cstdio>
#include <limits>
#include <numeric>

#include "nwb_objects.hpp"
#include "session_paths.hpp"

namespace apical::nwb::detail {

namespace {

Node text_column(Builder& builder, const Node& table, const std::string& name, const std::vector<std::string>& values,
                 const std::string& description) {
  const h5::Handle type = text_type();
  std::vector<const char*> texts;
  for (const std::string& value : values) texts.push_back(value.c_str());
  Node column = builder.array_dataset(table, name, type.id(), type.id(), texts.data(), texts.size());
  column_attributes(builder, column, description);
  return column;
}

Node plane_table(Builder& builder, const Node& segmentation, const SessionInfo& info, std::size_t plane, bool paired) {
  const std::string& name = info.planes[plane].name;
  std::vector<std::int64_t> ids;
  std::vector<RoiPixel> pixels;
  std::vector<std::uint64_t> pixel_ends;
  std::vector<std::string> names, populations, sources;
  for (std::size_t i = 0; i < info.rois.size(); ++i) {
    const Roi& roi = info.rois[i];
    if (roi.plane != plane) continue;
    ids.push_back(static_cast<std::int64_t>(i));
    pixels.insert(pixels.end(), roi.pixel_mask.begin(), roi.pixel_mask.end());
    pixel_ends.push_back(pixels.size());
    names.push_back(roi.name);
    populations.push_back(population_name(roi.population));
    sources.push_back(source_name(roi.source));
  }
  std::vector<std::string> columns{"pixel_mask", "roi_name", "population", "source"};
  if (paired) columns.insert(columns.end(), {"paired_roi", "pair_r"});
  Node table = table_group(builder, segmentation, "PlaneSegmentation_" + name, "PlaneSegmentation",
                           "ROIs of imaging plane " + name + "; id = the ROI's column in the per-frame F, dF/F and F0",
                           columns);
  const Node id = builder.array_dataset(table, "id", H5T_STD_I64LE, H5T_NATIVE_INT64, ids.data(), ids.size());
  builder.type_attributes(id, "ElementIdentifiers", "hdmf-common");

  const h5::Handle file_pixel = pixel_type(false), memory_pixel = pixel_type(true);
  if (!file_pixel.valid() || !memory_pixel.valid())
    builder.fail(table.child("pixel_mask"), "cannot make the pixel type");
  const Node mask =
      builder.array_dataset(table, "pixel_mask", file_pixel.id(), memory_pixel.id(), pixels.data(), pixels.size());
  column_attributes(builder, mask, "weighted pixels (x along a line, y = line, 0-based) on the registration reference");
  const Node mask_index = builder.array_dataset(table, "pixel_mask_index", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                                                pixel_ends.data(), pixel_ends.size());
  index_attributes(builder, mask_index, mask);

  text_column(builder, table, "roi_name", names, "the ROI's name");
  text_column(builder, table, "population", populations, "the decoder's population: P+, P- or P0");
  text_column(builder, table, "source", sources,
              "imaged (microscope ROI) or simulated (engine neuron, hybrid session)");
  builder.soft_link(table, "imaging_plane", paths::imaging_plane(name));
  return table;
}

// paired_roi: each ROI's partner as a row of the partner plane's table; pair_r: NaN, filled in later.
Node pair_columns(Builder& builder, const SessionInfo& info, std::size_t plane, const Node& table,
                  const Node& partner_table, const std::vector<std::size_t>& rows) {
  std::vector<std::int64_t> partner_rows;
  for (const Roi& roi : info.rois)
    if (roi.plane == plane) partner_rows.push_back(static_cast<std::int64_t>(rows[*roi.paired_roi]));
  const Node region = builder.array_dataset(table, "paired_roi", H5T_STD_I64LE, H5T_NATIVE_INT64,
                                            partner_rows.data(), partner_rows.size());
  builder.type_attributes(region, "DynamicTableRegion", "hdmf-common");
  builder.text_attribute(region, "description",
                         "the same cell's ROI in the other plane: a row of " + partner_table.path);
  builder.reference_attribute(region, "table", partner_table);
  const std::vector<double> unknown(partner_rows.size(), std::numeric_limits<double>::quiet_NaN());
  Node r = builder.array_dataset(table, "pair_r", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, unknown.data(), unknown.size());
  char threshold[16];
  std::snprintf(threshold, sizeof threshold, "%g", pairing_r_min);
  column_attributes(builder, r,
                    "Pearson r of the ROI's and its paired_roi's dF/F over the session's good frames (NaN: not yet "
                    "known); experiment.md: the pair is one cell's soma and dendrite when r >= " +
                        std::string(threshold));
  return r;
}

}  // namespace

std::optional<std::size_t> partner_plane(const SessionInfo& info, std::size_t plane) {
  for (const Roi& roi : info.rois)
    if (roi.plane == plane && roi.paired_roi) return info.rois[*roi.paired_roi].plane;
  return std::nullopt;
}

std::vector<std::size_t> table_rows(const SessionInfo& info) {
  std::vector<std::size_t> rows(info.rois.size()), next(info.planes.size(), 0);
  for (std::size_t i = 0; i < info.rois.size(); ++i) rows[i] = next[info.rois[i].plane]++;
  return rows;
}

h5::Handle pixel_type(bool in_memory) {
  const std::size_t x = in_memory ? offsetof(RoiPixel, x) : 0, y = in_memory ? offsetof(RoiPixel, y) : 4,
                    weight = in_memory ? offsetof(RoiPixel, weight) : 8;
  const hid_t u32 = in_memory ? H5T_NATIVE_UINT32 : H5T_STD_U32LE, f32 = in_memory ? H5T_NATIVE_FLOAT : H5T_IEEE_F32LE;
  h5::Handle type(H5Tcreate(H5T_COMPOUND, in_memory ? sizeof(RoiPixel) : 12), H5Tclose);
  if (type.valid() && (H5Tinsert(type.id(), "x", x, u32) < 0 || H5Tinsert(type.id(), "y", y, u32) < 0 ||
                       H5Tinsert(type.id(), "weight", weight, f32) < 0))
    type.reset();
  return type;
}

RoiTables write_roi_tables(Builder& builder, const Node& segmentation, const SessionInfo& info) {
  RoiTables out;
  for (std::size_t plane = 0; plane < info.planes.size(); ++plane)
    out.tables.push_back(plane_table(builder, segmentation, info, plane, partner_plane(info, plane).has_value()));
  // The region references its target table, so every table exists before the first pair column.
  const std::vector<std::size_t> rows = table_rows(info);
  out.pair_r.resize(info.planes.size());
  for (std::size_t plane = 0; plane < info.planes.size(); ++plane)
    if (const std::optional<std::size_t> partner = partner_plane(info, plane))
      out.pair_r[plane] = pair_columns(builder, info, plane, out.tables[plane], out.tables[*partner], rows);
  return out;
}

void table_region(Builder& builder, const Node& parent, const std::string& name, const Node& table, std::size_t rows,
                  const std::string& description) {
  std::vector<std::int64_t> all(rows);
  std::iota(all.begin(), all.end(), 0);
  const Node region = builder.array_dataset(parent, name, H5T_STD_I64LE, H5T_NATIVE_INT64, all.data(), all.size());
  builder.type_attributes(region, "DynamicTableRegion", "hdmf-common");
  builder.text_attribute(region, "description", description);
  builder.reference_attribute(region, "table", table);
}

}  // namespace apical::nwb::detail
