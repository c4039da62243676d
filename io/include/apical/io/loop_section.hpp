#pragma once
// The closed loop's settings (decoder, calibration, task) as a JSON section with the very keys, units
// and checks of a bci_cohort scenario's "loop" section (docs/scenarios.md), so that a rig session and a
// simulated one are configured alike.
#include <nlohmann/json.hpp>

#include "apical/io/json_reader.hpp"
#include "apical/models/bci/experiment_spec.hpp"

namespace apical {

// Reads `loop` (an object; absent keys keep their defaults) strictly: unknown keys, wrong units and
// values out of range are InputErrors naming the JSON path.
bci::LoopSpec read_loop_section(const JsonValue& loop);

// Every field of `loop`, quantities in their declared unit: what a session records as its protocol.
nlohmann::json loop_section_json(const bci::LoopSpec& loop);

}  // namespace apical
