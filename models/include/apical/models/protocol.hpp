#pragma once
// Single-cell protocols: a batch of conditions (one cell each) of one cell model with stimuli,
// recordings and an integrator. Pure computation: results are returned in memory, never written.
#include <functional>
#include <string>
#include <vector>

#include "apical/engine/cvode_integrator.hpp"
#include "apical/engine/registry.hpp"
#include "apical/models/build_model.hpp"

namespace apical {

enum class Integrator { backward_euler, crank_nicolson, cvode };

struct RecordingSpec {
  std::string label;     // column name, e.g. "v_soma(0.5)"
  Site site;
  std::string variable;  // "v" (mV) or "cai" (mM)
};

struct ProtocolSpec {
  CellDescription cell;
  std::vector<std::string> condition_labels;  // one cell of the batch per condition (at least one)
  std::vector<PointPlacement> points;         // parameter arrays sized to the number of conditions
  std::vector<RecordingSpec> recordings;
  Site spike_site{0, 0.5};
  double spike_threshold_mV = -20.0;
  double dt_ms = 0.025;                       // fixed step; CVODE: the output interval is record_interval_ms
  double duration_ms = 100.0;
  double record_interval_ms = 0.1;            // a multiple of dt_ms for the fixed-step schemes
  Integrator integrator = Integrator::backward_euler;
  CvodeOptions cvode;
  // Variables ("v", "cai") also recorded at every segment centre (segment_sites order), for pictures
  // of the whole cell. Where no ion pool sets [Ca]_i it stays at its initial value.
  std::vector<std::string> segment_variables;
};

struct ProtocolResult {
  std::vector<double> time_ms;                              // [sample]
  std::vector<std::vector<std::vector<double>>> traces;     // [recording][condition][sample]
  std::vector<std::vector<double>> spike_times_ms;          // [condition], detected every step
  std::vector<std::vector<std::vector<double>>> segment_traces;  // [segment variable][condition][sample·S + s]
  double wall_seconds = 0;
};

// The centre of every segment, section by section (the order of ProtocolResult::segment_traces).
std::vector<Site> segment_sites(const Morphology& morphology);

// progress(fraction_done) is called now and then; may be empty.
ProtocolResult run_protocol(const ProtocolSpec& spec, const MechanismRegistry& registry,
                            const std::function<void(double)>& progress = {});

}  // namespace apical
