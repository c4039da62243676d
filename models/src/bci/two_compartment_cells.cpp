// The two-compartment cell (two_compartment.hpp) as a field-of-view cell batch: one cell step per
// step; spike/event/burst flags and f(V_d) are the cell's own outputs. A decoupled step (O4) is a step
// of the same cell with g_s = c_d = 0: the soma no longer sees f(V_d) and the tuft no longer gets the
// bAP. Time constants and capacitances are unchanged, so both models step the same state.
#include <stdexcept>

#include "cell_batch.hpp"

namespace apical::bci::detail {

namespace {

struct TwoCompartmentCellsState final : CellBatchState {
  explicit TwoCompartmentCellsState(TwoCompartmentState s) : cell(std::move(s)) {}
  TwoCompartmentState cell;
};

class TwoCompartmentCells final : public CellBatch {
 public:
  TwoCompartmentCells(const TwoCompartmentParameters& p, std::size_t n) : model_(p, n), decoupled_(without_coupling(p), n) {}
  [[nodiscard]] std::size_t size() const override { return model_.size(); }
  [[nodiscard]] std::unique_ptr<CellBatchState> initial_state() const override {
    return std::make_unique<TwoCompartmentCellsState>(model_.initial_state());
  }
  void step(CellBatchState& state, const CellDrive& drive, double dt_ms) const override {
    (drive.decoupled ? decoupled_ : model_)
        .step(static_cast<TwoCompartmentCellsState&>(state).cell, {drive.I_s_pA, drive.I_d_pA, drive.g_inh_nS}, dt_ms);
  }
  [[nodiscard]] CellOutputs outputs(const CellBatchState& state) const override {
    const TwoCompartmentState& s = static_cast<const TwoCompartmentCellsState&>(state).cell;
    return {s.spike, s.event, s.burst, s.f_Vd};
  }

 private:
  static TwoCompartmentParameters without_coupling(TwoCompartmentParameters p) {
    p.g_s_pA = 0.0;
    p.c_d_pA = 0.0;
    return p;
  }

  TwoCompartmentModel model_, decoupled_;
};

}  // namespace

std::unique_ptr<CellBatch> make_two_compartment_cells(const TwoCompartmentParameters& cell, std::size_t neurons) {
  return std::make_unique<TwoCompartmentCells>(cell, neurons);
}

std::unique_ptr<CellBatch> make_cell_batch(const CircuitSpec& circuit, std::size_t neurons, double dt_ms) {
  switch (circuit.cell_model) {
    case CellModel::two_compartment: return make_two_compartment_cells(circuit.cell, neurons);
    case CellModel::bahl2012: return make_compartmental_cells(circuit.compartmental, neurons, dt_ms);
  }
  throw std::invalid_argument("field of view: unknown cell model");
}

}  // namespace apical::bci::detail
