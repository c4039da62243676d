#pragma once
// The NWB building blocks a session file is made of: TimeSeries (data with unit, conversion, offset,
// resolution and continuity; timestamps in seconds) and DynamicTables (VectorData columns, an `id`
// column of ElementIdentifiers, VectorIndex for ragged columns).
#include <string>
#include <vector>

#include "growing_dataset.hpp"
#include "session_paths.hpp"

namespace apical::nwb::detail {

struct SeriesSpec {
  std::string name;
  const char* type = "TimeSeries";
  std::string description;
  const char* unit = "n.a.";
  const char* continuity = "continuous";
};

// The TimeSeries group with its description and comments.
Node series_group(Builder& builder, const Node& parent, const SeriesSpec& spec);
// unit, conversion 1, offset 0, resolution -1 (unknown) and continuity on a TimeSeries' data.
void series_data_attributes(const Builder& builder, const Node& data, const SeriesSpec& spec);
// interval 1 and unit "seconds" on a timestamps dataset.
void timestamps_attributes(const Builder& builder, const Node& timestamps);

// A per-frame series: data of `width` values per frame (0: one value), timestamps linked to the
// frame clock. `group` receives the series' group when not null.
template <class T>
GrowingDataset<T> frame_series(Builder& builder, const Node& parent, const SeriesSpec& spec, hid_t file_type,
                               std::size_t width, std::size_t chunk_bytes, Node* group = nullptr) {
  Node series = series_group(builder, parent, spec);
  GrowingDataset<T> data(builder, series, "data", file_type, width, chunk_bytes);
  series_data_attributes(builder, data.node(), spec);
  builder.soft_link(series, "timestamps", paths::frame_times);
  if (group != nullptr) *group = std::move(series);
  return data;
}

// A DynamicTable group (PlaneSegmentation, TimeIntervals; DynamicTable itself is in hdmf-common) with
// its column names and description.
Node table_group(Builder& builder, const Node& parent, const std::string& name, const char* type,
                 const std::string& description, const std::vector<std::string>& colnames, const char* ns = "core");
// Makes `column` a VectorData with a description.
void column_attributes(Builder& builder, const Node& column, const std::string& description);
// Makes `index` the VectorIndex of `target`.
void index_attributes(Builder& builder, const Node& index, const Node& target);

template <class T>
GrowingDataset<T> table_column(Builder& builder, const Node& table, const std::string& name,
                               const std::string& description, hid_t file_type, std::size_t chunk_bytes) {
  GrowingDataset<T> column(builder, table, name, file_type, 0, chunk_bytes);
  column_attributes(builder, column.node(), description);
  return column;
}

}  // namespace apical::nwb::detail
