#include <mutex>

#include "apical/io/input_error.hpp"
#include "apical/io/segment_recording.hpp"
#include "h5_util.hpp"

namespace apical {

SegmentRecording read_segment_recording(const std::string& traces_h5) {
  const std::lock_guard<std::mutex> lock(h5::library_mutex());
  h5::silence_errors();
  const h5::Reader r(traces_h5);
  if (!r.has_attribute(r.root(), "format") || r.text(r.root(), "/", "format") != "apical-traces")
    r.fail("/", "not a traces.h5 file of a single-cell run (format \"apical-traces\")");
  if (!r.exists(r.root(), "segments"))
    throw InputError(traces_h5, "/segments",
                     "the run recorded no per-segment values; add \"record_segments\": [\"v\", \"cai\"] to the "
                     "scenario and run it again");
  SegmentRecording rec;
  rec.scenario = r.text(r.root(), "/", "scenario");
  rec.time_ms = r.dataset<double>(r.root(), "", "time_ms");
  const h5::Handle segments = r.group(r.root(), "", "segments");
  const auto section = r.dataset<std::int32_t>(segments.id(), "/segments", "section");
  const auto x = r.dataset<double>(segments.id(), "/segments", "x", section.size());
  for (std::size_t s = 0; s < section.size(); ++s) rec.sites.push_back({section[s], x[s]});
  const std::size_t expected = rec.time_ms.size() * rec.sites.size();
  for (const std::string& name : r.children(segments.id(), "/segments")) {
    if (name == "section" || name == "x") continue;
    const std::string path = "/segments/" + name;
    const h5::Handle condition = r.group(segments.id(), "/segments", name);
    std::vector<std::string> variables = r.children(condition.id(), path);
    if (rec.conditions.empty()) rec.variables = variables;
    if (variables != rec.variables) r.fail(path, "records other variables than the first condition");
    rec.conditions.push_back(name);
    auto& per_variable = rec.values.emplace_back();
    for (const std::string& variable : variables)
      per_variable.push_back(r.dataset<double>(condition.id(), path, variable, expected));
  }
  if (rec.conditions.empty()) r.fail("/segments", "holds no condition");
  return rec;
}

}  // namespace apical
