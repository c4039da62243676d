#pragma once
// Online burst/event classification of a somatic spike train (Payeur et al. 2021).
//
// A burst is two or more spikes whose successive inter-spike intervals are all ≤ T_burst (16 ms by
// default). An *event* is a singlet or the first spike of a burst, i.e. a spike whose preceding ISI is
// longer than T_burst (or the first spike ever). The *burst* flag is raised causally, at the second
// spike of a burst; the third and later spikes of a burst are neither events nor burst onsets.
//
//   spike k with preceding ISI Δ_k:   event_k = (Δ_k > T_burst),
//                                     burst_k = (Δ_k ≤ T_burst) ∧ (spike k−1 was an event),
//
// so for every train  #events = #singlets + #bursts, and the burst fraction is #bursts/#events.
//
// The two-compartment cell runs the same rule inside its vectorised step (classify_spike_lane), so
// its per-step flags agree with classify_spike_train() applied to its own spike times.
//
// Reference: Payeur A, Guerguiev J, Zenke F, Richards BA, Naud R (2021). Burst-dependent synaptic
// plasticity can coordinate learning in hierarchical circuits. Nat Neurosci 24:1010–1019.
#include <cstddef>
#include <span>
#include <vector>

namespace apical {

// Spike times are accumulated from time steps, so an ISI of exactly T_burst may come out a few ulp
// long; this slack (ms) keeps such a pair a burst.
inline constexpr double burst_isi_slack_ms = 1e-6;

// One step of the online rule for one neuron. `since_spike_ms` is the time since the previous spike
// (+∞ before the first), `spikes_in_event` the number of spikes of the current event so far (0 before
// the first spike). On a spike both are updated and the flags are set. This form works on doubles
// (spike, event, burst ∈ {0, 1}) with selects only, so loops over neurons vectorise; the cell's step
// calls it.
inline void classify_spike_lane(double spike, double& since_spike_ms, double& spikes_in_event, double burst_isi_ms,
                                double& event, double& burst) {
  const bool s = spike != 0.0;
  const bool e = s && since_spike_ms > burst_isi_ms + burst_isi_slack_ms;
  const bool b = s && !e && spikes_in_event == 1.0;
  spikes_in_event = e ? 1.0 : (s ? spikes_in_event + 1.0 : spikes_in_event);
  since_spike_ms = s ? 0.0 : since_spike_ms;
  event = e ? 1.0 : 0.0;
  burst = b ? 1.0 : 0.0;
}

struct SpikeClass {
  bool event = false;
  bool burst = false;
};

inline SpikeClass classify_spike(bool spike, double& since_spike_ms, double& spikes_in_event, double burst_isi_ms) {
  double event = 0.0, burst = 0.0;
  classify_spike_lane(spike ? 1.0 : 0.0, since_spike_ms, spikes_in_event, burst_isi_ms, event, burst);
  return {event != 0.0, burst != 0.0};
}

// Offline classification of a sorted spike train (ms). One entry per spike.
std::vector<SpikeClass> classify_spike_train(std::span<const double> spike_times_ms, double burst_isi_ms = 16.0);

// Counts over a classified train.
struct BurstEventCounts {
  std::size_t spikes = 0, events = 0, bursts = 0;
  [[nodiscard]] double burst_fraction() const { return events ? static_cast<double>(bursts) / events : 0.0; }
};
BurstEventCounts count_bursts_and_events(std::span<const SpikeClass> classes);

}  // namespace apical
