#pragma once
// The per-segment recording of a single-cell run (scenario key "record_segments"), read back from the
// /segments group of its traces.h5 (layout in traces_h5.cpp). Pictures and ParaView exports of a
// whole cell start here.
#include <string>
#include <vector>

#include "apical/engine/morphology.hpp"

namespace apical {

struct SegmentRecording {
  std::string scenario;                    // the scenario's name
  std::vector<double> time_ms;             // [sample]
  std::vector<Site> sites;                 // [segment] centres, in segment_sites() order
  std::vector<std::string> conditions;     // in name order
  std::vector<std::string> variables;      // "v" (mV), "cai" (mM), as recorded
  // values[condition][variable][sample · segments + segment]
  std::vector<std::vector<std::vector<double>>> values;

  [[nodiscard]] std::size_t segments() const { return sites.size(); }
};

// InputError naming the file and HDF5 path for a missing or damaged file, and for a run recorded
// without "record_segments" (the message says how to record them).
SegmentRecording read_segment_recording(const std::string& traces_h5);

}  // namespace apical
