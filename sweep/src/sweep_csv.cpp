#include "apical/sweep/sweep_csv.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "apical/io/units.hpp"

namespace apical::sweep {
namespace {

// Line breaks and tabs become spaces: one run, one line.
std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return text;
}

}  // namespace

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string sweep_csv_text(const Sweep& sweep, const std::vector<Run>& runs, const std::vector<Outcome>& outcomes) {
  if (runs.size() != outcomes.size()) throw std::invalid_argument("sweep_csv_text: one outcome per run");
  const std::vector<const Axis*> axes = sweep.axes();
  const std::vector<std::string>& headline = headline_columns();
  std::string text = "run";
  for (const Axis* a : axes) text += "," + csv_field(a->label);
  text += ",seed,folder,status,error";
  for (const std::string& h : headline) text += "," + csv_field(h);
  text += '\n';
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const Run& r = runs[i];
    const Outcome& o = outcomes[i];
    text += std::to_string(r.index);
    for (const nlohmann::json& v : r.values) text += "," + csv_field(one_line(value_text(v)));
    text += "," + std::to_string(r.seed) + "," + r.folder + "," + to_string(o.status) + "," + csv_field(one_line(o.error));
    for (std::size_t k = 0; k < headline.size(); ++k)
      text += "," + (k < o.values.size() ? format_number(o.values[k]) : std::string("nan"));
    text += '\n';
  }
  return text;
}

void write_sweep_csv(const std::string& path, const Sweep& sweep, const std::vector<Run>& runs,
                     const std::vector<Outcome>& outcomes) {
  const std::string text = sweep_csv_text(sweep, runs, outcomes);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp);
    out << text;
    if (!out.flush()) throw std::runtime_error("error while writing " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw std::runtime_error("cannot rename " + tmp + " to " + path + ": " + ec.message());
}

std::string manifest_text(const Sweep& sweep, const std::vector<Run>& runs) {
  std::string text = "index\tfolder\tseed";
  for (const Axis* a : sweep.axes()) text += "\t" + a->label;
  text += '\n';
  for (const Run& r : runs) {
    text += std::to_string(r.index) + "\t" + (r.loads() ? r.folder : std::string("-")) + "\t" + std::to_string(r.seed);
    for (const nlohmann::json& v : r.values) text += "\t" + one_line(value_text(v));
    text += '\n';
  }
  return text;
}

}  // namespace apical::sweep
