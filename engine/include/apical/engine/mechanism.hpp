#pragma once
// The kernel interface every mechanism (channel, ion pool, point process) implements.
//
// Data layout: a batch of n_cells cells with identical topology. A mechanism has K instances (one per
// node for a density mechanism, one per placement for a point process). Every parameter and state is
// an array of K*n_cells doubles indexed [k*n_cells + c], so the loops over cells are contiguous and
// vectorise. Node arrays (V, current accumulators, ions) are indexed [node*n_cells + c].
//
// Units inside the engine: V mV, t ms, conductance µS, current nA, capacitance nF, [Ca] mM,
// Ca current density mA/cm². A density mechanism's conductance in µS is g[S/cm²]·area[µm²]·1e-2.
#include <cstddef>
#include <vector>

#include "apical/engine/parameter.hpp"

namespace apical {

// Immutable placement of one mechanism in a batch.
struct MechanismInstances {
  int n_cells = 1;
  std::vector<int> node;                        // [K] node of each instance
  std::vector<double> area_um2;                 // [K] membrane area of that node
  std::vector<std::vector<double>> parameters;  // [P][K*n_cells]
  std::vector<std::vector<double>> event_times; // [K*n_cells] sorted spike times (ms), event mechanisms only

  [[nodiscard]] std::size_t count() const { return node.size(); }
};

// Mutable per-mechanism state: [S][K*n_cells], plus each event stream's read position.
struct MechanismState {
  std::vector<std::vector<double>> values;
  std::vector<std::size_t> next_event;
};

// What a kernel reads and writes on the node arrays during one evaluation.
struct NodeContext {
  int n_cells = 1;
  double t_eval = 0;     // time at which time-dependent inputs are evaluated (midpoint for fixed steps)
  double dt = 0;         // step for advance(); unused by derivatives()
  double celsius = 37;
  const double* v = nullptr;   // [nodes*n_cells]
  double* g = nullptr;         // conductance accumulator dI/dV (µS)
  double* i = nullptr;         // outward current accumulator at v (nA)
  double* ica = nullptr;       // Ca current density accumulator (mA/cm²), inward negative
  double* cai = nullptr;       // [Ca]_i (mM), written by ion pools
};

class Mechanism {
 public:
  virtual ~Mechanism() = default;
  [[nodiscard]] virtual const MechanismInfo& info() const = 0;

  // States at steady state for the node voltages (and ions) in ctx.
  virtual void initialise(const MechanismInstances& inst, MechanismState& state, const NodeContext& ctx) const = 0;
  // Adds this mechanism's membrane current at the present states to ctx.g / ctx.i (and ctx.ica).
  virtual void add_currents(const MechanismInstances& inst, const MechanismState& state, NodeContext& ctx) const = 0;
  // Advances the states over ctx.dt using the new voltages in ctx.v (the fixed-step scheme).
  virtual void advance(const MechanismInstances& inst, MechanismState& state, const NodeContext& ctx) const = 0;
  // d(state)/dt at the present voltages (for CVODE); dstate has the layout of state.values.
  virtual void derivatives(const MechanismInstances& inst, const MechanismState& state, const NodeContext& ctx,
                           std::vector<std::vector<double>>& dstate) const = 0;
  // Ion pools publish [Ca]_i into ctx.cai before currents are evaluated. Default: nothing.
  virtual void write_ions(const MechanismInstances&, const MechanismState&, NodeContext&) const {}
  // Event-driven mechanisms apply the spike events with times <= t_until. Default: nothing.
  virtual void deliver_events(const MechanismInstances&, MechanismState&, double /*t_until*/) const {}
  // The earliest time > t at which this mechanism's input jumps (stimulus edge, event); +inf if none.
  [[nodiscard]] virtual double next_discontinuity(const MechanismInstances&, const MechanismState&, double t) const;
};

}  // namespace apical
