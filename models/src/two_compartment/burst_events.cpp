// Offline burst/event classification (Payeur et al. 2021); the rule is classify_spike() in the header.
#include "apical/models/two_compartment/burst_events.hpp"

#include <limits>
#include <stdexcept>

namespace apical {

std::vector<SpikeClass> classify_spike_train(std::span<const double> spike_times_ms, double burst_isi_ms) {
  std::vector<SpikeClass> classes;
  classes.reserve(spike_times_ms.size());
  double since = std::numeric_limits<double>::infinity(), in_event = 0.0;
  for (std::size_t k = 0; k < spike_times_ms.size(); ++k) {
    if (k > 0) {
      if (spike_times_ms[k] < spike_times_ms[k - 1])
        throw std::invalid_argument("classify_spike_train: spike times must be sorted");
      since = spike_times_ms[k] - spike_times_ms[k - 1];
    }
    classes.push_back(classify_spike(true, since, in_event, burst_isi_ms));
  }
  return classes;
}

BurstEventCounts count_bursts_and_events(std::span<const SpikeClass> classes) {
  BurstEventCounts c;
  c.spikes = classes.size();
  for (const SpikeClass& k : classes) {
    c.events += k.event;
    c.bursts += k.burst;
  }
  return c;
}

}  // namespace apical
