#include "apical/io/analysis_json.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "apical/io/version.hpp"

namespace apical {

void write_analysis_json(const std::string& path, const std::string& run, const std::string& scenario,
                         const std::vector<analysis::NamedValue>& rows) {
  using ordered = nlohmann::ordered_json;
  ordered doc;
  doc["format"] = "apical-analysis";
  doc["format_version"] = 1;
  doc["run"] = run;
  doc["scenario"] = scenario;
  doc["apical_version"] = apical_version();
  ordered values = ordered::object();
  for (const analysis::NamedValue& row : rows)
    values[row.name] = std::isfinite(row.value) ? ordered(row.value) : ordered(nullptr);
  doc["values"] = std::move(values);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << doc.dump(2) << '\n';
  if (!out.flush()) throw std::runtime_error("error while writing " + path);
}

}  // namespace apical
