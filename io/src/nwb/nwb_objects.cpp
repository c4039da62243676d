#include "nwb_objects.hpp"

namespace apical::nwb::detail {

Node series_group(Builder& builder, const Node& parent, const SeriesSpec& spec) {
  Node series = builder.typed_group(parent, spec.name, spec.type);
  builder.text_attribute(series, "description", spec.description);
  builder.text_attribute(series, "comments", "no comments");
  return series;
}

void series_data_attributes(const Builder& builder, const Node& data, const SeriesSpec& spec) {
  builder.text_attribute(data, "unit", spec.unit);
  builder.float32_attribute(data, "conversion", 1.0);
  builder.float32_attribute(data, "offset", 0.0);
  builder.float32_attribute(data, "resolution", -1.0);
  builder.text_attribute(data, "continuity", spec.continuity);
}

void timestamps_attributes(const Builder& builder, const Node& timestamps) {
  builder.int32_attribute(timestamps, "interval", 1);
  builder.text_attribute(timestamps, "unit", "seconds");
}

Node table_group(Builder& builder, const Node& parent, const std::string& name, const char* type,
                 const std::string& description, const std::vector<std::string>& colnames, const char* ns) {
  Node table = builder.typed_group(parent, name, type, ns);
  builder.text_list_attribute(table, "colnames", colnames);
  builder.text_attribute(table, "description", description);
  return table;
}

void column_attributes(Builder& builder, const Node& column, const std::string& description) {
  builder.type_attributes(column, "VectorData", "hdmf-common");
  builder.text_attribute(column, "description", description);
}

void index_attributes(Builder& builder, const Node& index, const Node& target) {
  builder.type_attributes(index, "VectorIndex", "hdmf-common");
  builder.text_attribute(index, "description",
                         "Index for VectorData '" + target.path.substr(target.path.rfind('/') + 1) + "'");
  builder.reference_attribute(index, "target", target);
}

}  // namespace apical::nwb::detail
