#pragma once
// One field of view stepped at dt and summarised per 15-Hz frame (private to the BCI simulation).
//
// Per cell step (time t → t + dt), with the frame's drive held constant:
//   inputs:   input population step through W → I_syn,i (pA) and the dendritic background I_bg,i
//   soma:     I_s,i = (1 − opto_somatic_reduction)·I_syn,i + ξ_i (R2 at the soma)
//   tuft:     I_d,i = I_bg,i + apical_i + I_O3 + ξ_i (R2-apical);   g_inh = O1 conductance (same for all)
//   O4:       the step is decoupled (cell_batch.hpp), for the cell and the twin alike
//   cell step (cell_batch.hpp: the two-compartment cell or a multicompartment one), indicator sources
//   accumulated (somatic spikes; the cell's dendritic Ca signal); indicator advanced every
//   indicator_step_ms and at the end of the frame; both imaging planes sampled after every advance.
// O1 conductance: τ_g dg/dt = −g + g_max·L(t), L = 1 for the first light_ms of every light period;
// integrated exactly per step with L replaced by its mean over the step.
// Twin (optional): the same cells stepped with I_s (without an R2 perturbation), I_bg only (no I_O3) and
// g_inh = the O1 conductance (twin_inhibited) or 0, i.e. the cell as basal input alone would drive
// it; its spikes give rule R3's basal rate. Without teaching the twin is the cell, spike for spike.
// R2 perturbation: OU per neuron, ξ ← ξ·a + σ√(1 − a²)·n, a = e^(−dt/τ_ξ), n approximately normal.
//
// Frame g covers the steps n with g·T ≤ n·dt < (g + 1)·T, T = 1000/15 ms (133 or 134 steps at
// dt = 0.5 ms). Imaging planes: soma plane samples ROI i at g·T + (r_i/2)·T, dendrite plane at
// g·T + T/2 + (r_i/2)·T (dual plane, r_i ∈ [0, 1) the ROI's row); both complete inside frame g.
// PMT gate (pmt_gate_in_flyback false): on a lit frame a sample taken less than pmt_gate_ms after the
// start of a light period (light periods start at t = 0, as the O1 pulses) is lost: its raw F is NaN.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "apical/models/gcamp7f.hpp"
#include "apical/models/input_population.hpp"
#include "apical/models/random_streams.hpp"
#include "cell_batch.hpp"

namespace apical::bci::detail {

struct FieldOfViewConfig {
  std::shared_ptr<const CellBatch> cells;  // one cell per neuron (immutable, may be shared)
  InputPopulationParameters inputs;
  Gcamp7fParameters indicator;
  double noise_dFF = 0.022;
  bool dual_plane = true;
  bool imaging = true;             // false: no indicator (f-I block)
  double indicator_step_ms = 1.0;
  double dt_ms = 0.5;
  std::vector<double> rows;        // [N] row fraction r_i ∈ [0, 1)
  RandomStreamId inputs_id, soma_noise_id, dendrite_noise_id;
  // R2 perturbation (σ = 0: none).
  double perturbation_sd_pA = 0.0, perturbation_tau_ms = 75.0;
  bool perturbation_apical = false;
  std::uint64_t perturbation_key = 0;
  // Basal-only twin: a second copy of the cells fed the same somatic current and dendritic background,
  // but no teaching current and no apical perturbation (rule R3's prediction); it gets the O1
  // conductance only if twin_inhibited.
  bool twin = false;
  bool twin_inhibited = true;
  // O1 conductance shape.
  double light_ms = 6.0, light_period_ms = 1000.0 / 15.0, opto_tau_ms = 20.0, opto_g_max_nS = 500.0;
  // PMT gate from every pulse's start; unless it falls in the flyback, lit frames lose the samples in it.
  double pmt_gate_ms = 7.0;
  bool pmt_gate_in_flyback = true;
};

// What one frame's drive is (constant over the frame).
struct FrameDrive {
  std::span<const double> apical_pA;  // [N] teaching current (empty: none)
  bool light = false;                 // LED pulses in this frame (O1 or O2): sets the opto flag
  bool conductance = false;           // O1: the pulses drive the inhibitory conductance
  double somatic_reduction = 0.0;     // fraction of I_syn removed
  double apical_excitation_pA = 0.0;  // O3: I_O3, into every tuft of the cell (not the twin)
  bool decoupled = false;             // O4: tuft and soma cut apart, in the cell and the twin
  bool dendritic_background = true;   // false: I_bg = 0 (f-I block option)
};

// Per-frame totals (reset at the start of every frame).
struct FrameTotals {
  std::size_t steps = 0;
  double duration_s = 0;
  std::vector<double> spikes, events, bursts;  // [N] counts
  std::vector<double> I_syn_sum_pA;            // [N] Σ over steps of the somatic synaptic current as applied
  std::vector<double> f_max;                   // [N] max dendritic Ca signal (f(V_d) or its equivalent)
  std::vector<double> xi_sum_pA;               // [N] Σ over steps of ξ
  std::vector<double> twin_spikes, twin_events, twin_bursts;  // [N] counts of the basal-only twin (twin only)
  std::vector<double> input_spikes;            // [M] presynaptic spike counts
  std::vector<double> soma_F, dendrite_F;      // [N] raw F of this frame (imaging only)
};

class FieldOfView {
 public:
  FieldOfView(const FieldOfViewConfig& config, std::size_t neurons);

  // Runs the next frame with W (row-major N × M, pA/Hz). Allocates nothing.
  const FrameTotals& run_frame(std::span<const double> W, const FrameDrive& drive);

  [[nodiscard]] std::size_t neurons() const { return n_; }
  [[nodiscard]] std::size_t inputs() const { return m_; }
  [[nodiscard]] std::int64_t frame() const { return frame_; }  // frames completed
  [[nodiscard]] double time_ms() const { return static_cast<double>(step_) * config_.dt_ms; }
  [[nodiscard]] const FrameTotals& totals() const { return totals_; }

 private:
  [[nodiscard]] std::int64_t first_step(std::int64_t frame) const;
  void advance_imaging(bool frame_end);
  void capture(GcampFrameSampler& sampler, std::optional<std::int64_t>& index, std::vector<double>& F);
  void drop_gated_samples(std::vector<double>& F, double plane_offset_ms) const;

  FieldOfViewConfig config_;
  std::size_t n_, m_;
  double frame_ms_;
  const CellBatch& cells_;
  InputPopulation population_;
  Gcamp7fObserver observer_;
  std::unique_ptr<CellBatchState> cell_state_, twin_state_;
  InputPopulationState input_state_;
  Gcamp7fState indicator_state_;
  std::optional<GcampFrameSampler> soma_sampler_, dendrite_sampler_;
  std::optional<std::int64_t> soma_index_, dendrite_index_;  // frame held in soma_F_/dendrite_F_
  std::vector<double> soma_F_, dendrite_F_;
  std::int64_t frame_ = 0, step_ = 0;
  double since_advance_ms_ = 0;
  double g_inh_ = 0;
  std::vector<double> I_s_, I_d_, g_, xi_, I_d_twin_, g_twin_;
  std::vector<std::uint64_t> xi_key_;
  std::vector<double> plane_rows_;  // [N] row fraction of a plane's scan
  FrameTotals totals_;
};

}  // namespace apical::bci::detail
