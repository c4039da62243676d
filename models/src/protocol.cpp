#include "apical/models/protocol.hpp"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "apical/engine/fixed_step.hpp"
#include "apical/engine/spike_detector.hpp"

namespace apical {
namespace {

struct Sampler {
  const ProtocolSpec& spec;
  const Model& model;
  std::vector<int> nodes;
  std::vector<int> segment_nodes;  // segment_sites order
  ProtocolResult& result;

  void record(const State& state) {
    const std::size_t N = static_cast<std::size_t>(model.n_cells);
    result.time_ms.push_back(state.t);
    for (std::size_t r = 0; r < nodes.size(); ++r) {
      const auto& source = spec.recordings[r].variable == "cai" ? state.cai : state.v;
      for (std::size_t c = 0; c < N; ++c) result.traces[r][c].push_back(source[nodes[r] * N + c]);
    }
    for (std::size_t r = 0; r < spec.segment_variables.size(); ++r) {
      const auto& source = spec.segment_variables[r] == "cai" ? state.cai : state.v;
      for (std::size_t c = 0; c < N; ++c)
        for (const int node : segment_nodes) result.segment_traces[r][c].push_back(source[node * N + c]);
    }
  }
};

void check_spec(const ProtocolSpec& spec) {
  if (spec.condition_labels.empty()) throw std::invalid_argument("a protocol needs at least one condition");
  if (!(spec.duration_ms > 0)) throw std::invalid_argument("the duration must be positive");
  if (!(spec.dt_ms > 0)) throw std::invalid_argument("the time step must be positive");
  if (!(spec.record_interval_ms > 0)) throw std::invalid_argument("the recording interval must be positive");
  for (const RecordingSpec& r : spec.recordings)
    if (r.variable != "v" && r.variable != "cai")
      throw std::invalid_argument("recording '" + r.label + "': variable must be 'v' or 'cai'");
  for (const std::string& variable : spec.segment_variables)
    if (variable != "v" && variable != "cai")
      throw std::invalid_argument("segment recording '" + variable + "': variable must be 'v' or 'cai'");
}

}  // namespace

std::vector<Site> segment_sites(const Morphology& morphology) {
  std::vector<Site> sites;
  for (std::size_t s = 0; s < morphology.sections.size(); ++s) {
    const int nseg = morphology.sections[s].nseg;
    for (int k = 0; k < nseg; ++k) sites.push_back({static_cast<int>(s), (k + 0.5) / nseg});
  }
  return sites;
}

ProtocolResult run_protocol(const ProtocolSpec& spec, const MechanismRegistry& registry,
                            const std::function<void(double)>& progress) {
  check_spec(spec);
  const auto started = std::chrono::steady_clock::now();
  const int n_cells = static_cast<int>(spec.condition_labels.size());
  const Model model = build_model(spec.cell, registry, n_cells, spec.points);
  State state = initial_state(model);
  const std::size_t N = static_cast<std::size_t>(n_cells);

  ProtocolResult result;
  result.traces.assign(spec.recordings.size(), std::vector<std::vector<double>>(N));
  result.spike_times_ms.resize(N);
  result.segment_traces.assign(spec.segment_variables.size(), std::vector<std::vector<double>>(N));
  Sampler sampler{spec, model, {}, {}, result};
  for (const RecordingSpec& r : spec.recordings) sampler.nodes.push_back(node_at(model.morphology, model.cable, r.site));
  for (const Site& site : segment_sites(model.morphology))
    sampler.segment_nodes.push_back(node_at(model.morphology, model.cable, site));
  const std::size_t spike_node = static_cast<std::size_t>(node_at(model.morphology, model.cable, spec.spike_site));
  std::vector<SpikeDetector> detectors(N, SpikeDetector(spec.spike_threshold_mV));
  const auto detect = [&] {
    for (std::size_t c = 0; c < N; ++c) detectors[c].sample(state.t, state.v[spike_node * N + c]);
  };

  sampler.record(state);
  detect();
  const auto report = [&] { if (progress) progress(state.t / spec.duration_ms); };
  if (spec.integrator == Integrator::cvode) {
    CvodeIntegrator cvode(model, state, spec.cvode);
    const auto samples = static_cast<long>(std::llround(spec.duration_ms / spec.record_interval_ms));
    for (long k = 1; k <= samples; ++k) {
      cvode.advance_to(state, static_cast<double>(k) * spec.record_interval_ms);
      sampler.record(state);
      detect();
      if (k % 1000 == 0) report();
    }
  } else {
    const double ratio = spec.record_interval_ms / spec.dt_ms;
    const long every = std::lround(ratio);
    if (every < 1 || std::abs(ratio - static_cast<double>(every)) > 1e-9 * ratio)
      throw std::invalid_argument("the recording interval must be a whole multiple of dt");
    const auto steps = static_cast<long>(std::llround(spec.duration_ms / spec.dt_ms));
    FixedStepSolver solver(model, spec.dt_ms,
                           spec.integrator == Integrator::crank_nicolson ? CableScheme::crank_nicolson
                                                                         : CableScheme::backward_euler);
    for (long k = 1; k <= steps; ++k) {
      solver.step(state);
      detect();
      if (k % every == 0) sampler.record(state);
      if (k % 20000 == 0) report();
    }
  }
  for (std::size_t c = 0; c < N; ++c) result.spike_times_ms[c] = detectors[c].spike_times();
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace apical
