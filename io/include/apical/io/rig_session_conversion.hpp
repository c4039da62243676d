#pragma once
// A rig session's NWB recording (nwb::SessionRecording) as the analyses' neurons, filled the way
// to_analysis_session fills them for a simulated run (session_conversion.hpp): one NeuronRecord per
// ROI of the decoder's plane (every ROI that is not itself paired to another), soma_dff its ΔF/F and
// dendrite_dff the ΔF/F of the distal ROI whose paired_roi names it (empty without one, e.g. in a
// single-plane session). Frames flagged bad are NaN in both traces (analysis: NaN = missing). Whether
// a pair is one cell is the analysis' call (sd_residual.hpp, r ≥ 0.6), as for simulated neurons.
#include <vector>

#include "apical/analysis/session.hpp"
#include "apical/io/nwb/session_reader.hpp"

namespace apical {

[[nodiscard]] std::vector<analysis::NeuronRecord> rig_neuron_records(const nwb::SessionRecording& recording);

}  // namespace apical
