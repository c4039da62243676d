#pragma once
// Stimulus entries of a scenario, lowered to point-process placements for a batch of conditions.
#include <optional>
#include <string>
#include <vector>

#include "apical/engine/registry.hpp"
#include "apical/io/json_reader.hpp"
#include "apical/models/build_model.hpp"

namespace apical::detail {

// One point process as one condition uses it (a pulse train gives several).
struct StimulusElement {
  std::string mechanism;
  Site site;
  std::map<std::string, double> parameters;  // declared units
  bool uses_events = false;                  // driven by spike times (then event_times applies)
  std::vector<double> event_times;           // ms
  std::string strength;                      // the parameter set to 0 where a condition lacks it
  double onset_ms = 0;                       // when it first acts, for latencies
};

// Reads one entry of a "stimuli" array; names are checked against the registry.
std::vector<StimulusElement> read_stimulus(const JsonValue& value, const CellDescription& cell,
                                           const MechanismRegistry& registry);

// Shared elements act in every condition; per-condition elements are merged into one placement per
// (mechanism, site, occurrence) so a sweep over amplitudes stays one placement with an array of values.
std::vector<PointPlacement> place_stimuli(const std::vector<StimulusElement>& shared,
                                          const std::vector<std::vector<StimulusElement>>& per_condition);

}  // namespace apical::detail
