#pragma once
// Readers for the NEURON reference data in ../shared/reference/bahl2012 (provenance in its README).
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace apical::test {

inline std::string reference_path(const std::string& relative) {
  return std::string(APICAL_REFERENCE_DIR) + "/" + relative;
}

inline nlohmann::json read_json(const std::string& relative) {
  std::ifstream in(reference_path(relative));
  if (!in) throw std::runtime_error("cannot open reference file " + reference_path(relative));
  return nlohmann::json::parse(in);
}

// (amp nA, delay ms) -> spike times (ms)
inline std::map<std::pair<double, double>, std::vector<double>> read_hh3c_spike_times() {
  const nlohmann::json j = read_json("bahl2012/hh3c/spike_times.json");
  std::map<std::pair<double, double>, std::vector<double>> out;
  for (const auto& [name, run] : j.at("runs").items())
    out[{run.at("amp_nA").get<double>(), run.at("delay_ms").get<double>()}] =
        run.at("spike_times_ms").get<std::vector<double>>();
  return out;
}

// A trace CSV: column name -> values.
struct Trace {
  std::vector<std::string> columns;
  std::map<std::string, std::vector<double>> data;
  [[nodiscard]] const std::vector<double>& at(const std::string& column) const {
    const auto it = data.find(column);
    if (it == data.end()) throw std::runtime_error("reference trace has no column " + column);
    return it->second;
  }
};

inline Trace read_trace(const std::string& name) {
  std::ifstream in(reference_path("bahl2012/traces/" + name));
  if (!in) throw std::runtime_error("cannot open reference trace " + name);
  Trace trace;
  std::string line, cell;
  std::getline(in, line);
  std::stringstream header(line);
  while (std::getline(header, cell, ',')) trace.columns.push_back(cell);
  while (std::getline(in, line)) {
    std::stringstream row(line);
    for (const std::string& column : trace.columns) {
      std::getline(row, cell, ',');
      trace.data[column].push_back(std::stod(cell));
    }
  }
  return trace;
}

}  // namespace apical::test
