#pragma once
// A single-cell run folder (traces.h5 recorded with "record_segments", cell.json) as the values that
// colour a picture or a ParaView export: one quantity of one condition at every segment and sample.
//
// Quantities: "v" membrane potential (mV), "cai" free [Ca]i (shown in µM), "dff" the ΔF/F a GCaMP7f
// indicator in binding equilibrium with that [Ca]i would show, relative to the segment's [Ca]i at the
// start of the recording (models/gcamp7f.hpp parameters; no binding kinetics, no background noise).
#include <string>
#include <vector>

#include "apical/io/segment_recording.hpp"
#include "apical/models/cell_description.hpp"
#include "apical/viz/cell_picture.hpp"

namespace apical::viz {

enum class Quantity { v, cai, dff };

inline const std::vector<std::string> quantity_names{"v", "cai", "dff"};

// std::invalid_argument naming the choices (with a suggestion) for an unknown name.
Quantity parse_quantity(const std::string& name);
std::string quantity_title(Quantity q);  // "V (mV)", "[Ca]i (µM)", "dF/F"

struct CellRun {
  std::string folder;
  CellDescription cell;       // cell.json of the folder
  SegmentRecording recording;
};

// InputError naming the folder or file: a missing folder, traces.h5 or cell.json, a run without
// per-segment values, a cell that does not match the recording.
CellRun load_cell_run(const std::string& folder);

struct QuantitySeries {
  std::string condition;
  ColourScale scale;           // the series' range, so that every frame of an animation shares it
  std::vector<double> values;  // [sample · segments + segment], in the scale's unit
};

// `condition` may be empty when the run has one. InputError for an unknown condition (naming those
// recorded) or a quantity whose variable was not recorded.
QuantitySeries quantity_series(const CellRun& run, const std::string& condition, Quantity q);

// The recorded sample nearest to t_ms; InputError when t_ms lies outside the recording.
std::size_t sample_at(const CellRun& run, double t_ms);

}  // namespace apical::viz
