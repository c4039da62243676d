#pragma once
// Per-condition numbers a user looks at first: spike count and rate, first-spike latency, and the
// range of every recording. Shared by summary.json and the CLI table.
#include <optional>
#include <string>
#include <vector>

#include "apical/io/scenario.hpp"

namespace apical {

struct RecordingRange {
  double min = 0, max = 0;
};

struct ConditionSummary {
  std::string label;
  std::size_t spike_count = 0;
  double mean_rate_hz = 0;                         // spikes / duration
  std::optional<double> first_stimulus_ms;         // earliest stimulus onset in this condition
  std::optional<double> first_spike_latency_ms;    // first spike at or after that onset, minus the onset
  std::vector<RecordingRange> ranges;              // [recording]
};

std::vector<ConditionSummary> summarise(const Scenario& scenario, const ProtocolResult& result);

}  // namespace apical
