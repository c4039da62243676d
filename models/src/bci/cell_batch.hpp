#pragma once
// The cells of one field of view behind one interface (private to the BCI simulation): the batch is
// immutable and shared, each simulated copy of the cells (the cell, the basal-only twin) is a state.
//
// Contract of step(state, drive, dt): every neuron i advances by dt with, held constant over the step,
//   I_s[i] (pA) somatic/basal current, I_d[i] (pA) apical tuft current, g_inh[i] (nS) tuft inhibitory
//   conductance, and with `decoupled` no coupling between tuft and soma in either direction (a batch
//   that cannot do that throws std::invalid_argument); afterwards outputs(state) gives per neuron, for this step:
//   spike  somatic spikes in the step (0 or 1 in practice), event / burst  how many of them began an
//   event / made the current event a burst (burst_events.hpp), ca_signal  the dendritic Ca signal in
//   [0, 1] at the end of the step (the two-compartment f(V_d), or the biophysical cell's equivalent:
//   compartmental_cell.hpp). A step allocates nothing. A batch may accept only the dt it was made for
//   (make_cell_batch's dt_ms) and throws std::invalid_argument for another.
//
// Implementations, one file each: two_compartment_cells.cpp (TwoCompartmentModel, one step per step),
// compartmental_cells.cpp (an engine batch of a CellDescription, several engine steps per step).
#include <cstddef>
#include <memory>
#include <span>

#include "apical/models/bci/experiment_spec.hpp"

namespace apical::bci::detail {

struct CellDrive {
  std::span<const double> I_s_pA, I_d_pA, g_inh_nS;  // [N] each
  bool decoupled = false;  // O4: tuft and soma cut apart for the step (two-compartment cell only)
};

struct CellOutputs {
  std::span<const double> spike, event, burst, ca_signal;  // [N] each, valid until the next step
};

class CellBatchState {
 public:
  virtual ~CellBatchState() = default;
};

class CellBatch {
 public:
  virtual ~CellBatch() = default;
  [[nodiscard]] virtual std::size_t size() const = 0;
  // The cells at the start of a simulation (a fresh, independent copy each call).
  [[nodiscard]] virtual std::unique_ptr<CellBatchState> initial_state() const = 0;
  virtual void step(CellBatchState& state, const CellDrive& drive, double dt_ms) const = 0;
  [[nodiscard]] virtual CellOutputs outputs(const CellBatchState& state) const = 0;
};

// The circuit's cell model for n neurons. Throws std::invalid_argument for a bad cell (e.g. a site the
// cell does not have) or a step that the cell cannot take.
std::unique_ptr<CellBatch> make_cell_batch(const CircuitSpec& circuit, std::size_t neurons, double dt_ms);

std::unique_ptr<CellBatch> make_two_compartment_cells(const TwoCompartmentParameters& cell, std::size_t neurons);
std::unique_ptr<CellBatch> make_compartmental_cells(const CompartmentalCellSpec& cell, std::size_t neurons,
                                                    double dt_ms);

}  // namespace apical::bci::detail
