#include <fstream>
#include <stdexcept>

#include "apical/io/results.hpp"
#include "apical/io/units.hpp"
#include "text_file.hpp"

namespace apical {

using detail::finish;
using detail::open_for_writing;

std::string site_text(const CellDescription& cell, const Site& site) {
  return cell.morphology.sections.at(static_cast<std::size_t>(site.section)).name + "(" + format_number(site.x) + ")";
}

void write_traces_csv(const std::string& path, const Scenario& scenario, const ProtocolResult& result) {
  const ProtocolSpec& spec = scenario.protocol;
  std::ofstream out = open_for_writing(path);
  std::string line = "t_ms";
  for (const std::string& condition : spec.condition_labels)
    for (const RecordingSpec& r : spec.recordings)
      line += "," + condition + "/" + r.label + "_" + recording_unit(r.variable);
  out << line << '\n';
  // Shortest round-trip decimals: nothing is lost, and the file stays small.
  for (std::size_t k = 0; k < result.time_ms.size(); ++k) {
    line = format_number(result.time_ms[k]);
    for (std::size_t c = 0; c < spec.condition_labels.size(); ++c)
      for (std::size_t r = 0; r < spec.recordings.size(); ++r) line += "," + format_number(result.traces[r][c][k]);
    out << line << '\n';
  }
  finish(out, path);
}

void write_spikes_csv(const std::string& path, const Scenario& scenario, const ProtocolResult& result) {
  std::ofstream out = open_for_writing(path);
  out << "condition,time_ms\n";
  const auto& labels = scenario.protocol.condition_labels;
  for (std::size_t c = 0; c < labels.size(); ++c)
    for (double t : result.spike_times_ms.at(c)) out << labels[c] << ',' << format_number(t) << '\n';
  finish(out, path);
}

}  // namespace apical
