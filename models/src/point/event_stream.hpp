#pragma once
// Reading the per-(instance, cell) spike lists of an event-driven synapse.
#include <limits>

#include "apical/engine/mechanism.hpp"

namespace apical {

// Calls on_event(j) once per spike with time <= t_until not yet delivered, advancing the cursors.
template <class F>
void deliver_due_events(const MechanismInstances& inst, MechanismState& state, double t_until, F&& on_event) {
  for (std::size_t j = 0; j < inst.event_times.size(); ++j) {
    const auto& times = inst.event_times[j];
    std::size_t& next = state.next_event[j];
    while (next < times.size() && times[next] <= t_until) {
      on_event(j);
      ++next;
    }
  }
}

// The earliest undelivered spike time after t, or +inf.
inline double next_event_time(const MechanismInstances& inst, const MechanismState& state, double t) {
  double next = std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < inst.event_times.size(); ++j) {
    const auto& times = inst.event_times[j];
    for (std::size_t k = state.next_event[j]; k < times.size(); ++k)
      if (times[k] > t) {
        next = std::min(next, times[k]);
        break;
      }
  }
  return next;
}

}  // namespace apical
