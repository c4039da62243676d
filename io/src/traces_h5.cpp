// traces.h5 through the HDF5 C API (no C++ bindings needed). Layout:
//   /                      attributes format="apical-traces", format_version=1, scenario, apical_version
//   /time_ms               [samples]            units="ms"
//   /traces/<cond>/<rec>   [samples]            units, site, variable
//   /spikes/<cond>         [spikes]             units="ms"
//   /segments              only with "record_segments" (segment_recording.hpp):
//     section [S] int32, x [S]        the segment centres, in segment_sites() order
//     <cond>/<variable>    [samples × S] float32, units
#include <mutex>

#include "apical/io/results.hpp"
#include "apical/io/version.hpp"
#include "h5_util.hpp"

namespace apical {
namespace {

void write_segments(const h5::Writer& w, hid_t file, const Scenario& scenario, const ProtocolResult& result) {
  const ProtocolSpec& spec = scenario.protocol;
  const std::vector<Site> sites = segment_sites(spec.cell.morphology);
  std::vector<std::int32_t> section;
  std::vector<double> x;
  for (const Site& site : sites) {
    section.push_back(site.section);
    x.push_back(site.x);
  }
  const h5::Handle segments = w.create_group(file, "segments");
  w.vector(segments.id(), "section", section, "");
  w.vector(segments.id(), "x", x, "");
  for (std::size_t c = 0; c < spec.condition_labels.size(); ++c) {
    const h5::Handle condition = w.create_group(segments.id(), spec.condition_labels[c]);
    for (std::size_t r = 0; r < spec.segment_variables.size(); ++r)
      w.float_traces(condition.id(), spec.segment_variables[r], result.segment_traces.at(r).at(c),
                     {result.time_ms.size(), sites.size()}, recording_unit(spec.segment_variables[r]));
  }
}

}  // namespace

void write_traces_h5(const std::string& path, const Scenario& scenario, const ProtocolResult& result) {
  const std::lock_guard<std::mutex> lock(h5::library_mutex());
  h5::silence_errors();
  const h5::Writer w(path);
  const ProtocolSpec& spec = scenario.protocol;
  const h5::Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
  w.check(file.valid() ? 0 : -1, "the file");
  w.text(file.id(), "format", "apical-traces");
  w.integer(file.id(), "format_version", 1);
  w.text(file.id(), "scenario", scenario.name);
  w.text(file.id(), "apical_version", apical_version());
  w.vector(file.id(), "time_ms", result.time_ms, "ms");

  const h5::Handle traces = w.create_group(file.id(), "traces");
  const h5::Handle spikes = w.create_group(file.id(), "spikes");
  for (std::size_t c = 0; c < spec.condition_labels.size(); ++c) {
    const std::string& label = spec.condition_labels[c];
    const h5::Handle condition = w.create_group(traces.id(), label);
    for (std::size_t r = 0; r < spec.recordings.size(); ++r) {
      const RecordingSpec& rec = spec.recordings[r];
      w.vector(condition.id(), rec.label, result.traces.at(r).at(c), recording_unit(rec.variable));
      const h5::Handle dataset(H5Dopen2(condition.id(), rec.label.c_str(), H5P_DEFAULT), H5Dclose);
      w.check(dataset.valid() ? 0 : -1, "dataset " + rec.label);
      w.text(dataset.id(), "site", site_text(spec.cell, rec.site));
      w.text(dataset.id(), "variable", rec.variable);
    }
    w.vector(spikes.id(), label, result.spike_times_ms.at(c), "ms");
  }
  if (!spec.segment_variables.empty()) write_segments(w, file.id(), scenario, result);
  w.check(H5Fflush(file.id(), H5F_SCOPE_GLOBAL), "the file");
}

}  // namespace apical
