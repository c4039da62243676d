#include <filesystem>
#include <stdexcept>

#include "apical/io/cell_file.hpp"
#include "apical/io/results.hpp"
#include "text_file.hpp"

namespace apical {

std::vector<std::string> write_run_folder(const std::string& folder, const Scenario& scenario,
                                          const ProtocolResult& result) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw std::runtime_error("cannot create the output folder " + folder + ": " + ec.message());
  const auto at = [&](const char* name) { return (fs::path(folder) / name).string(); };
  std::vector<std::string> written;
  write_traces_csv(at("traces.csv"), scenario, result);
  written.push_back(at("traces.csv"));
  write_traces_h5(at("traces.h5"), scenario, result);
  written.push_back(at("traces.h5"));
  write_spikes_csv(at("spikes.csv"), scenario, result);
  written.push_back(at("spikes.csv"));
  write_summary_json(at("summary.json"), scenario, result, summarise(scenario, result));
  written.push_back(at("summary.json"));
  detail::copy_input(scenario.file, at("scenario.json"));
  written.push_back(at("scenario.json"));
  // With its morphology file, if it has one: render and export read the cell back from the folder.
  for (const std::string& file : copy_cell_file(scenario.cell_file, at("cell.json"))) written.push_back(file);
  return written;
}

}  // namespace apical
