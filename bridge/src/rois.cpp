#include "apical/bridge/rois.hpp"

#include <map>
#include <stdexcept>

#include "apical/bridge/tiff_stack.hpp"

namespace apical::bridge {
namespace {

RoiPixel read_pixel(const JsonValue& value, std::uint32_t width, std::uint32_t height) {
  const std::vector<JsonValue> entries = value.as_array(2);
  if (entries.size() > 3) value.fail("expected [x, y] or [x, y, weight], got " + std::to_string(entries.size()) + " numbers");
  RoiPixel p;
  p.x = static_cast<std::uint32_t>(entries[0].as_integer(0, width - 1));
  p.y = static_cast<std::uint32_t>(entries[1].as_integer(0, height - 1));
  if (entries.size() == 3) {
    p.weight = static_cast<float>(entries[2].as_number(0, 1e9));
    if (!(p.weight > 0)) entries[2].fail("a pixel weight must be > 0");
  }
  return p;
}

}  // namespace

RoiSet rois_from_json(const JsonValue& document) {
  const JsonObject top(document, {"format_version", "width", "height", "rois"});
  const JsonValue version = top.required("format_version");
  if (version.as_integer(1, 1000) != roi_json_format_version)
    version.fail("format_version " + version.raw().dump() + " is not supported (this apical reads version 1)");
  RoiSet set;
  set.width = static_cast<std::uint32_t>(top.required("width").as_integer(1, 65535));
  set.height = static_cast<std::uint32_t>(top.required("height").as_integer(1, 65535));
  for (const JsonValue& entry : top.required("rois").as_array(1)) {
    const JsonObject roi(entry, {"name", "pixels"});
    Roi r;
    r.name = roi.required("name").as_name();
    for (const JsonValue& pixel : roi.required("pixels").as_array(1)) r.pixels.push_back(read_pixel(pixel, set.width, set.height));
    set.rois.push_back(std::move(r));
  }
  return set;
}

RoiSet read_roi_json(const std::string& path) {
  const nlohmann::json document = read_json_file(path);
  return rois_from_json(JsonValue(document, path));
}

std::string roi_json_text(const RoiSet& set) {
  std::string text = "{\"format_version\": " + std::to_string(roi_json_format_version) +
                     ", \"width\": " + std::to_string(set.width) + ", \"height\": " + std::to_string(set.height) +
                     ", \"rois\": [\n";
  for (std::size_t r = 0; r < set.rois.size(); ++r) {
    const Roi& roi = set.rois[r];
    text += "  {\"name\": " + nlohmann::json(roi.name).dump() + ", \"pixels\": [";
    for (std::size_t k = 0; k < roi.pixels.size(); ++k) {
      const RoiPixel& p = roi.pixels[k];
      text += (k ? ", [" : "[") + std::to_string(p.x) + ", " + std::to_string(p.y);
      if (p.weight != 1.0f) text += ", " + nlohmann::json(p.weight).dump();
      text += "]";
    }
    text += r + 1 < set.rois.size() ? "]},\n" : "]}\n";
  }
  return text + "]}\n";
}

RoiSet read_roi_label_tiff(const std::string& path) {
  TiffReader tiff(path);
  Frame labels;
  tiff.read(0, labels);
  std::map<std::uint16_t, Roi> by_label;
  for (std::uint32_t y = 0; y < labels.height; ++y)
    for (std::uint32_t x = 0; x < labels.width; ++x)
      if (const std::uint16_t k = labels.at(x, y); k > 0) by_label[k].pixels.push_back({x, y, 1.0f});
  if (by_label.empty()) throw std::runtime_error("label image '" + path + "' has no labelled pixel (all 0)");
  RoiSet set{labels.width, labels.height, {}};
  for (auto& [label, roi] : by_label) {
    roi.name = "label " + std::to_string(label);
    set.rois.push_back(std::move(roi));
  }
  return set;
}

}  // namespace apical::bridge
