// The Bahl et al. (2012) biophysical cell in the BCI field of view (compartmental_cell.hpp): the cell
// batch (somatic current → firing, tuft current → Ca spikes and bursts, the O1 conductance against
// them; batch and twin states; the coarser step), and a short virtual mouse made of Bahl cells
// (plausible rates, both imaging planes, determinism).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <random>
#include <vector>

#include "apical/models/bci/virtual_mouse.hpp"
#include "cell_batch.hpp"
#include "../../support/bahl.hpp"

using namespace apical;
using namespace apical::bci;

namespace {

std::shared_ptr<const CellDescription> bahl_cell() {
  static const auto cell = std::make_shared<const CellDescription>(test::bahl_model2());
  return cell;
}

struct Counts {
  std::vector<double> spikes, events, bursts, ca_events;  // per neuron over the counted window
};

// Adds one step's outputs to the counts (when `count`); a Ca event is an upward crossing of 0.5 by the
// dendritic Ca signal, so `previous` carries the last step's signal.
void tally(Counts& c, const detail::CellOutputs& out, std::vector<double>& previous, bool count) {
  for (std::size_t i = 0; i < previous.size(); ++i) {
    if (count) {
      c.spikes[i] += out.spike[i];
      c.events[i] += out.event[i];
      c.bursts[i] += out.burst[i];
      c.ca_events[i] += previous[i] < 0.5 && out.ca_signal[i] >= 0.5 ? 1.0 : 0.0;
    }
    previous[i] = out.ca_signal[i];
  }
}

// Runs the batch for `ms` with constant per-neuron drive; counts after the first `settle_ms`.
// A Ca event is an upward crossing of 0.5 by the dendritic Ca signal.
Counts run_constant(const detail::CellBatch& cells, const std::vector<double>& I_s, const std::vector<double>& I_d,
                    const std::vector<double>& g, double ms, double settle_ms, double dt = 0.5) {
  const std::size_t n = cells.size();
  auto state = cells.initial_state();
  Counts c;
  for (auto* v : {&c.spikes, &c.events, &c.bursts, &c.ca_events}) v->assign(n, 0.0);
  std::vector<double> previous(n, 0.0);
  const auto steps = static_cast<long>(ms / dt), settle = static_cast<long>(settle_ms / dt);
  for (long k = 0; k < steps; ++k) {
    cells.step(*state, {I_s, I_d, g}, dt);
    tally(c, cells.outputs(*state), previous, k >= settle);
  }
  return c;
}

CompartmentalCellSpec default_bahl() {
  CompartmentalCellSpec c;
  c.description = bahl_cell();
  return c;
}

}  // namespace

TEST_CASE("Bahl cells: tuft current raises rate, bursts and Ca spikes, the O1 conductance removes Ca spikes",
          "[bci][bahl]") {
  // Fluctuating drive as in the field of view (one realisation shared by every neuron): somatic current
  // 700 pA + OU (SD 150 pA, τ 5 ms), tuft background OU (SD 150 pA, τ 10 ms) plus a constant
  // teaching-like current per neuron; a tonic O1-like conductance on two of them. A constant tuft current
  // alone would inactivate the tuft's Ca channel; the Ca spikes come from its fluctuations.
  const CompartmentalCellSpec spec = default_bahl();
  const std::vector<double> teaching{0, 200, -200, 0, 200};  // pA
  const std::vector<double> g{0, 0, 0, 10, 10};               // nS
  const std::size_t n = teaching.size();
  const auto cells = detail::make_compartmental_cells(spec, n, 0.5);
  auto state = cells->initial_state();
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  const double dt = 0.5, a_s = std::exp(-dt / 5.0), a_d = std::exp(-dt / 10.0);
  double xi_s = 0, xi_d = 0;
  std::vector<double> I_s(n), I_d(n), previous(n, 0.0);
  Counts c;
  for (auto* v : {&c.spikes, &c.events, &c.bursts, &c.ca_events}) v->assign(n, 0.0);
  const long steps = 12000, settle = 1000;  // 6 s, the first 0.5 s discarded
  for (long k = 0; k < steps; ++k) {
    xi_s = xi_s * a_s + 150.0 * std::sqrt(1 - a_s * a_s) * normal(rng);
    xi_d = xi_d * a_d + 150.0 * std::sqrt(1 - a_d * a_d) * normal(rng);
    for (std::size_t i = 0; i < n; ++i) I_s[i] = 700.0 + xi_s, I_d[i] = xi_d + teaching[i];
    cells->step(*state, {I_s, I_d, g}, dt);
    tally(c, cells->outputs(*state), previous, k >= settle);
  }
  const double T = (steps - settle) * dt * 1e-3;
  for (std::size_t i = 0; i < n; ++i)
    UNSCOPED_INFO("teaching " << teaching[i] << " pA, g " << g[i] << " nS: " << c.spikes[i] / T << " Hz, events "
                              << c.events[i] / T << ", bursts " << c.bursts[i] / T << ", Ca spikes " << c.ca_events[i] / T
                              << " /s");
  const double rate = c.spikes[0] / T;
  CHECK(rate >= 3.0);
  CHECK(rate <= 40.0);
  CHECK(c.ca_events[0] > 0);
  // Teaching current at the tuft: more spikes, bursts and Ca spikes; negative teaching: fewer.
  CHECK(c.spikes[1] > c.spikes[0]);
  CHECK(c.spikes[2] < c.spikes[0]);
  CHECK(c.bursts[1] > c.bursts[0]);
  CHECK(c.ca_events[1] > c.ca_events[0]);
  CHECK(c.ca_events[2] < c.ca_events[0]);
  // The O1 conductance on the tuft removes dendritic Ca spikes and bursts, with or without teaching.
  CHECK(c.ca_events[3] < 0.5 * c.ca_events[0]);
  CHECK(c.bursts[3] < c.bursts[0]);
  CHECK(c.ca_events[4] < 0.5 * c.ca_events[1]);
  // events = singlets + bursts ≤ spikes.
  for (std::size_t i = 0; i < n; ++i) CHECK(c.events[i] <= c.spikes[i]);
}

TEST_CASE("Bahl cells: a batch is bit-identical to single cells, and a twin state is independent", "[bci][bahl]") {
  const CompartmentalCellSpec spec = default_bahl();
  const auto batch = detail::make_compartmental_cells(spec, 3, 0.5);
  const auto single = detail::make_compartmental_cells(spec, 1, 0.5);
  const std::vector<double> I_s{700, 900, 0}, I_d{300, 0, 900}, g{0, 10, 0};
  const Counts all = run_constant(*batch, I_s, I_d, g, 600.0, 0.0);
  for (std::size_t i = 0; i < 3; ++i) {
    const Counts one = run_constant(*single, {I_s[i]}, {I_d[i]}, {g[i]}, 600.0, 0.0);
    CHECK(one.spikes[0] == all.spikes[i]);
    CHECK(one.bursts[0] == all.bursts[i]);
    CHECK(one.ca_events[0] == all.ca_events[i]);
  }
  // Two states of one batch (the cell and its twin) stepped alternately with different drives: the
  // first evolves exactly as when it is alone.
  auto cell = batch->initial_state(), twin = batch->initial_state();
  const std::vector<double> zero(3, 0.0);
  double spikes = 0;
  for (int k = 0; k < 1200; ++k) {
    batch->step(*cell, {I_s, I_d, g}, 0.5);
    batch->step(*twin, {I_s, zero, zero}, 0.5);
    spikes += batch->outputs(*cell).spike[0];
  }
  CHECK(spikes == all.spikes[0]);
  CHECK_THROWS_AS(detail::make_compartmental_cells(spec, 3, 0.51), std::invalid_argument);  // not whole steps
  CompartmentalCellSpec no_ca = spec;
  no_ca.ca_site = "soma(0.5)";
  CHECK_THROWS_WITH(detail::make_compartmental_cells(no_ca, 3, 0.5), Catch::Matchers::Contains("no sca channel"));
}

TEST_CASE("Bahl cell time step: 0.05 ms keeps the spikes of 0.025 ms (the first within 0.5 ms)",
          "[bci][bahl]") {
  // 300 ms of constant somatic drive (as the documented check in compartmental_cell.hpp).
  const auto spike_times = [](double cell_dt) {
    CompartmentalCellSpec spec = default_bahl();
    spec.dt_ms = cell_dt;
    const auto cells = detail::make_compartmental_cells(spec, 1, 0.5);
    auto state = cells->initial_state();
    std::vector<double> times;
    const std::vector<double> I_s{1000.0}, zero{0.0};
    for (int k = 0; k < 800; ++k) {
      cells->step(*state, {I_s, zero, zero}, 0.5);
      if (cells->outputs(*state).spike[0] > 0) times.push_back(0.5 * (k + 1));
    }
    return times;
  };
  const std::vector<double> fine = spike_times(0.025), coarse = spike_times(0.05);
  REQUIRE(fine.size() >= 5);
  REQUIRE(coarse.size() == fine.size());
  for (std::size_t k = 0; k < fine.size(); ++k) CHECK(std::abs(coarse[k] - fine[k]) <= 1.5 * (k + 1));
  CHECK(std::abs(coarse[0] - fine[0]) <= 0.5);
}

TEST_CASE("spec validation: bahl2012 needs the cell and a step that divides dt", "[bci][bahl]") {
  ExperimentSpec s;
  s.circuit.cell_model = CellModel::bahl2012;
  CHECK_THROWS_WITH(validate(s), Catch::Matchers::Contains("circuit.compartmental.description is missing"));
  s.circuit.compartmental.description = bahl_cell();
  CHECK_NOTHROW(validate(s));
  s.circuit.compartmental.dt_ms = 0.03;
  CHECK_THROWS_WITH(validate(s), Catch::Matchers::Contains("must divide dt_ms"));
  CHECK(std::string(to_string(CellModel::bahl2012)) == "bahl2012");
}

TEST_CASE("a virtual mouse of Bahl cells runs a short session with plausible rates, deterministically",
          "[bci][bahl]") {
  ExperimentSpec s;
  s.field_of_view = {3, 3, 2};
  s.learning.rule = "R0";  // no twin: half the cost
  s.schedule.days = 1;
  s.schedule.calibration_min = 1.0;
  s.schedule.session_min = 1.0;
  s.loop.chance_repetitions = 0;
  s.seed = 11;
  s.circuit.cell_model = CellModel::bahl2012;
  s.circuit.compartmental.description = bahl_cell();
  s.circuit.compartmental.dt_ms = 0.05;  // the documented fast option; half the cost of 0.025 ms
  const MouseRecord a = simulate_mouse(s, 0);
  REQUIRE(a.sessions.size() == 1);
  const SessionRecord& session = a.sessions[0];
  REQUIRE(session.neurons.size() == 8);
  double bursts = 0;
  for (const NeuronTrace& t : session.neurons) {
    INFO("neuron " << t.id << " rate " << t.rate_hz << " events " << t.event_rate_hz << " bursts " << t.burst_rate_hz);
    CHECK(t.rate_hz >= 0.5);
    CHECK(t.rate_hz <= 40.0);
    CHECK(t.burst_rate_hz <= t.event_rate_hz);
    bursts += t.burst_rate_hz;
    CHECK(std::all_of(t.soma_dff.begin(), t.soma_dff.end(), [](double x) { return std::isfinite(x); }));
    REQUIRE(t.dendrite_dff.size() == t.soma_dff.size());
    CHECK(*std::max_element(t.dendrite_dff.begin(), t.dendrite_dff.end()) > 0.5);  // dendritic Ca events are seen
  }
  CHECK(bursts > 0.0);

  const MouseRecord b = simulate_mouse(s, 0);
  REQUIRE(b.sessions.size() == 1);
  CHECK(b.sessions[0].decoder_z == session.decoder_z);
  CHECK(b.sessions[0].weights == session.weights);
  for (std::size_t i = 0; i < session.neurons.size(); ++i) {
    CHECK(b.sessions[0].neurons[i].soma_dff == session.neurons[i].soma_dff);
    CHECK(b.sessions[0].neurons[i].dendrite_dff == session.neurons[i].dendrite_dff);
  }
}
