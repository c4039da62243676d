#include <filesystem>
#include <stdexcept>

#include "apical/io/results.hpp"

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
  for (const auto& [source, name] : {std::pair{scenario.file, "scenario.json"}, std::pair{scenario.cell_file, "cell.json"}}) {
    // Rerunning a copied scenario into its own folder must not copy a file onto itself.
    if (fs::exists(at(name)) && fs::equivalent(source, at(name), ec)) {
      written.push_back(at(name));
      continue;
    }
    fs::copy_file(source, at(name), fs::copy_options::overwrite_existing, ec);
    if (ec) throw std::runtime_error("cannot copy " + source + " to " + at(name) + ": " + ec.message());
    written.push_back(at(name));
  }
  return written;
}

}  // namespace apical
