#include "apical/io/summary.hpp"

#include <algorithm>

namespace apical {

std::vector<ConditionSummary> summarise(const Scenario& scenario, const ProtocolResult& result) {
  const ProtocolSpec& spec = scenario.protocol;
  std::vector<ConditionSummary> out;
  for (std::size_t c = 0; c < spec.condition_labels.size(); ++c) {
    ConditionSummary s;
    s.label = spec.condition_labels[c];
    const std::vector<double>& spikes = result.spike_times_ms.at(c);
    s.spike_count = spikes.size();
    s.mean_rate_hz = static_cast<double>(spikes.size()) / (spec.duration_ms * 1e-3);
    s.first_stimulus_ms = c < scenario.first_stimulus_ms.size() ? scenario.first_stimulus_ms[c] : std::nullopt;
    if (s.first_stimulus_ms) {
      const auto first = std::lower_bound(spikes.begin(), spikes.end(), *s.first_stimulus_ms);
      if (first != spikes.end()) s.first_spike_latency_ms = *first - *s.first_stimulus_ms;
    }
    for (const auto& recording : result.traces) {
      const std::vector<double>& trace = recording.at(c);
      RecordingRange range;
      if (!trace.empty()) {
        const auto [lo, hi] = std::minmax_element(trace.begin(), trace.end());
        range = {*lo, *hi};
      }
      s.ranges.push_back(range);
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace apical
