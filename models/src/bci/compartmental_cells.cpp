// A multicompartment cell (the Bahl 2012 model) as a field-of-view cell batch: one engine batch with
// one cell per neuron, the drive written into two driven_input point processes, several backward-Euler
// engine steps per field-of-view step. Coupling, spike detection and the Ca signal:
// compartmental_cell.hpp.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "apical/engine/fixed_step.hpp"
#include "apical/models/build_model.hpp"
#include "apical/models/register_all.hpp"
#include "apical/models/two_compartment/burst_events.hpp"
#include "cell_batch.hpp"

namespace apical::bci::detail {

namespace {

constexpr const char* ca_channel = "sca";  // the tuft HVA Ca channel of Bahl et al. (2012)

// One simulated copy of the cells: the engine state, its solver workspace and the spike bookkeeping.
struct CompartmentalCellsState final : CellBatchState {
  CompartmentalCellsState(const Model& model, double cell_dt_ms, std::size_t n)
      : sim(initial_state(model)), solver(model, cell_dt_ms) {
    for (auto* v : {&v_previous, &spikes_in_event, &spike, &event, &burst, &ca_signal}) v->assign(n, 0.0);
    since_spike_ms.assign(n, std::numeric_limits<double>::infinity());
  }
  State sim;
  FixedStepSolver solver;
  std::vector<double> v_previous, since_spike_ms, spikes_in_event;
  std::vector<double> spike, event, burst, ca_signal;  // outputs of the last step
};

class CompartmentalCells final : public CellBatch {
 public:
  CompartmentalCells(const CompartmentalCellSpec& spec, std::size_t n, double dt_ms)
      : spec_(spec), n_(n) {
    if (!spec.description) throw std::invalid_argument("field of view: the compartmental cell has no description");
    if (n < 1) throw std::invalid_argument("field of view: a batch needs at least one neuron");
    const CellDescription& cell = *spec.description;
    const double ratio = dt_ms / spec.dt_ms;
    substeps_ = static_cast<int>(std::llround(ratio));
    if (substeps_ < 1 || std::abs(ratio - substeps_) > 1e-6 * ratio)
      throw std::invalid_argument("field of view: the step " + std::to_string(dt_ms) +
                                  " ms is not a whole number of cell steps of " + std::to_string(spec.dt_ms) + " ms");
    const int N = static_cast<int>(n);
    const Site soma = parse_site(cell, spec.soma_site), apical = parse_site(cell, spec.apical_site);
    const Site ca = parse_site(cell, spec.ca_site);
    PointPlacement soma_input{"driven_input", soma, {}, {}};
    PointPlacement apical_input{"driven_input", apical, {{"e", std::vector<double>(n, spec.E_inh_mV)}}, {}};
    model_ = build_model(cell, builtin_mechanisms(), N, {soma_input, apical_input});

    // The two driven_input groups, in placement order (build_model keeps it).
    for (std::size_t g = 0; g < model_.groups.size(); ++g) {
      if (model_.groups[g].mechanism->info().name != "driven_input") continue;
      (soma_group_ < 0 ? soma_group_ : apical_group_) = static_cast<int>(g);
    }
    soma_node_ = node_at(model_.morphology, model_.cable, soma);
    const int ca_node = node_at(model_.morphology, model_.cable, ca);
    ca_group_ = model_.group_index(ca_channel);
    if (ca_group_ >= 0) {
      const auto& nodes = model_.groups[static_cast<std::size_t>(ca_group_)].instances.node;
      const auto it = std::find(nodes.begin(), nodes.end(), ca_node);
      ca_instance_ = it == nodes.end() ? -1 : static_cast<int>(it - nodes.begin());
    }
    if (ca_instance_ < 0)
      throw std::invalid_argument("field of view: cell '" + cell.name + "' has no " + ca_channel + " channel at " +
                                  spec.ca_site + " (the dendritic Ca signal)");
  }

  [[nodiscard]] std::size_t size() const override { return n_; }

  [[nodiscard]] std::unique_ptr<CellBatchState> initial_state() const override {
    auto s = std::make_unique<CompartmentalCellsState>(model_, spec_.dt_ms, n_);
    const double* v = &s->sim.v[static_cast<std::size_t>(soma_node_) * n_];
    std::copy(v, v + n_, s->v_previous.begin());
    ca_signal(*s);
    return s;
  }

  void step(CellBatchState& state, const CellDrive& drive, double dt_ms) const override {
    auto& s = static_cast<CompartmentalCellsState&>(state);
    const std::size_t n = n_;
    if (std::abs(dt_ms - substeps_ * spec_.dt_ms) > 1e-9 * dt_ms)
      throw std::invalid_argument("field of view: this cell batch was built for steps of " +
                                  std::to_string(substeps_ * spec_.dt_ms) + " ms");
    if (drive.I_s_pA.size() != n || drive.I_d_pA.size() != n || drive.g_inh_nS.size() != n)
      throw std::invalid_argument("field of view: the cell drive has the wrong size");
    if (drive.decoupled)
      throw std::invalid_argument("field of view: a compartmental cell cannot be decoupled (O4 needs the "
                                  "two-compartment cell)");
    // pA → nA, nS → µS; the point processes hold one value per cell.
    auto& soma_in = s.sim.mechanisms[static_cast<std::size_t>(soma_group_)].values;
    auto& apical_in = s.sim.mechanisms[static_cast<std::size_t>(apical_group_)].values;
    for (std::size_t c = 0; c < n; ++c) {
      soma_in[0][c] = 1e-3 * spec_.somatic_gain * drive.I_s_pA[c];
      apical_in[0][c] = 1e-3 * spec_.apical_gain * drive.I_d_pA[c];
      apical_in[1][c] = 1e-3 * spec_.inhibition_gain * drive.g_inh_nS[c];
    }
    std::fill(s.spike.begin(), s.spike.end(), 0.0);
    std::fill(s.event.begin(), s.event.end(), 0.0);
    std::fill(s.burst.begin(), s.burst.end(), 0.0);
    const double h = spec_.dt_ms, threshold = spec_.spike_threshold_mV, isi = spec_.burst_isi_ms;
    const std::size_t soma = static_cast<std::size_t>(soma_node_) * n;
    for (int k = 0; k < substeps_; ++k) {
      s.solver.step(s.sim);
      const double* v = &s.sim.v[soma];
      for (std::size_t c = 0; c < n; ++c) {
        const double crossing = s.v_previous[c] < threshold && v[c] >= threshold ? 1.0 : 0.0;
        s.v_previous[c] = v[c];
        s.since_spike_ms[c] += h;
        double event = 0.0, burst = 0.0;
        classify_spike_lane(crossing, s.since_spike_ms[c], s.spikes_in_event[c], isi, event, burst);
        s.spike[c] += crossing;
        s.event[c] += event;
        s.burst[c] += burst;
      }
    }
    ca_signal(s);
  }

  [[nodiscard]] CellOutputs outputs(const CellBatchState& state) const override {
    const auto& s = static_cast<const CompartmentalCellsState&>(state);
    return {s.spike, s.event, s.burst, s.ca_signal};
  }

 private:
  // f = min(1, m²h / reference) of the Ca channel at the Ca site (compartmental_cell.hpp).
  void ca_signal(CompartmentalCellsState& s) const {
    const auto& gates = s.sim.mechanisms[static_cast<std::size_t>(ca_group_)].values;
    const std::size_t base = static_cast<std::size_t>(ca_instance_) * n_;
    const double inv_ref = 1.0 / spec_.ca_open_reference;
    for (std::size_t c = 0; c < n_; ++c) {
      const double m = gates[0][base + c], h = gates[1][base + c];
      s.ca_signal[c] = std::min(1.0, m * m * h * inv_ref);
    }
  }

  CompartmentalCellSpec spec_;
  std::size_t n_;
  int substeps_ = 1;
  Model model_;
  int soma_group_ = -1, apical_group_ = -1, ca_group_ = -1, ca_instance_ = -1, soma_node_ = 0;
};

}  // namespace

std::unique_ptr<CellBatch> make_compartmental_cells(const CompartmentalCellSpec& cell, std::size_t neurons,
                                                    double dt_ms) {
  return std::make_unique<CompartmentalCells>(cell, neurons, dt_ms);
}

}  // namespace apical::bci::detail
