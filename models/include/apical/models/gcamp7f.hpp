#pragma once
// GCaMP7f (jGCaMP7f) indicator observer for the two-compartment cell, and a frame sampler that turns
// it into raw fluorescence per ROI per imaging frame (models.md §5–§6, experiment.md §4).
//
// The observer reads the cell (somatic spikes and f(V_d)) and never feeds back into it. Each neuron
// has two ROIs: `soma` (the proximal apical trunk, the BCI plane and soma proxy) and `dendrite` (the
// distal trunk/tuft plane).
//
// 1. Ca source per ROI (total influx before buffering, nM; J in nM/ms):
//      soma:      J_s = A_s · Σ_k δ(t − t_k)                                    (somatic spikes t_k)
//      dendrite:  J_d = α_bAP · Σ_k δ(t − t_k) + β · [(f(V_d) − f_on)/(1 − f_on)]₊
//    With f_on = 0 the dendritic term is models.md's β·f(V_d). The default f_on = 0.5 (V_d above E_d,
//    i.e. the regenerative branch) is a deliberate deviation: the bAP alone drives f(V_d) to ≈0.33 for
//    a few ms, and with β large enough for a plateau to reach 0.8 × saturation, β·f would give an
//    isolated bAP ≈0.4 ΔF/F in the dendrite instead of ≈0 (measured while calibrating). The resting
//    f(E_L) ≈ 0.005 would also shift resting Ca; the threshold removes both.
// 2. Free Ca with endogenous buffering:  d[Ca]/dt = (J − γ_ext([Ca] − [Ca]₀))/(1 + κ_S).
//    Decay time (1 + κ_S)/γ_ext = 139 ms with the defaults.
// 3. Binding:  τ_b dθ/dt = θ∞([Ca]) − θ,  θ∞ = [Ca]ⁿ/([Ca]ⁿ + K_dⁿ).
// 4. Fluorescence:  F = F_min·(1 + (R − 1)·θ) + F_bg, R = F_max/F_min.  ΔF/F = (F − F_rest)/F_rest with
//    F_rest = F at [Ca]₀. F_bg (neuropil/background) sets the saturation
//    ΔF/F_sat = F_min(R − 1)(1 − θ_rest)/F_rest to ≈6, as in vivo.
//
// Parameters:
//
//   | Field                          | Symbol  | Default | Unit  | Source                           |
//   |--------------------------------|---------|---------|-------|----------------------------------|
//   | Ca_rest_nM                     | [Ca]₀   | 50      | nM    | models.md §6                     |
//   | kappa_S                        | κ_S     | 110     | 1     | cleo/NAOMi                       |
//   | gamma_ext_per_s                | γ_ext   | 800     | 1/s   | models.md §6 (raised from 292)   |
//   | K_d_nM                         | K_d     | 174     | nM    | Dana 2019 (purified protein)     |
//   | hill_n                         | n       | 2.3     | 1     | Dana 2019                        |
//   | tau_binding_ms                 | τ_b     | 14      | ms    | calibrated [M] (§6 suggests ≈16) |
//   | F_max_over_F_min               | R       | 30.2    | 1     | Dana 2019                        |
//   | F_min_au                       | F_min   | 100     | a.u.  | scale of raw F (arbitrary)       |
//   | F_bg_au                        | F_bg    | 203.56  | a.u.  | calibrated: saturation 6.00 ΔF/F |
//   | soma_spike_influx_nM           | A_s     | 1716    | nM    | calibrated: 1 AP → 0.20 ΔF/F     |
//   | dend_bap_influx_nM             | α_bAP   | 170     | nM    | calibrated: 1 bAP → ≈0.015 ΔF/F  |
//   | dend_plateau_influx_nM_per_ms  | β       | 2000    | nM/ms | calibrated: 30-ms plateau → ≥0.8 sat |
//   | dend_f_threshold               | f_on    | 0.5     | 1     | see 1. above                     |
//
// Calibration [M] (tests/unit/fast/test_gcamp7f.cpp checks each): one somatic AP peaks at ≈0.20 ΔF/F
// ≈34 ms after the spike, half-decay ≈105 ms after the peak (the Zhang 2023 in-vivo fit: 0.213 at
// 34 ms, 95 ms); saturation 6.0; an isolated bAP gives ≈0.015 in the dendrite ROI; a dendritic Ca event
// (f(V_d) ≈ 1 for 30 ms) peaks at ≈5.3 ΔF/F (0.88 × saturation). Known limitation: the Hill model is
// more sublinear for 100-Hz trains than the in-vivo fit (10 AP: ≈2.4 vs 3.7 ΔF/F); the 0.4-s slow
// component of the fit is ignored.
//
// Numerics. The cell steps at 0.1–0.5 ms; the indicator is slow (τ_b = 14 ms, Ca decay 139 ms) and
// its Hill function costs a log and an exp, so sources are *accumulated* every cell step (cheap) and
// the state *advanced* at a coarser interval h (1–2 ms is plenty): the accumulated influx is spread
// evenly over h, Ca is integrated exactly for that constant source, θ exactly for θ∞ at the midpoint
// Ca. With h = the cell step this is a plain exponential integrator. Vectorised over neurons,
// bit-identical for any batch size, no allocation after construction. The Hill power uses a
// reduced-precision vectorised exp/log (relative error ≈1e-11, tested against std::pow). Cost at
// N = 50 (one core): accumulate ≈0.4 ns per neuron-step, advance ≈7 ns per neuron per call, i.e.
// ≈4 ns per neuron-step with dt = 0.5 ms and h = 1 ms, ≈2 ns with h = 2 ms (max ΔF/F difference to
// h = dt: 0.02 at 1 ms, 0.04 at 2 ms, on a burst plus a plateau).
//
// Sampling (GcampFrameSampler): each plane is scanned at frame_rate_Hz; ROI i of frame k is a point
// sample at t = t₀ + k·T + row_i·T (row_i ∈ [0, 1) the ROI's vertical position, models.md §6.7), of the
// state at the first advance() at or after that time. Noise per sample: Gaussian with
// σ = noise_dFF·F_rest (default 0.022, §5), or shot noise σ = noise_dFF·√(F·F_rest) (photon counting
// scaled to give the same σ at rest). The sampler outputs raw F; the closed loop computes ΔF/F with its
// own sliding F0. Noise is a pure function of (seed, mouse, stream, ROI kind, neuron, frame index).
//
// References:
//   Dana H et al. (2019). High-performance calcium sensors for imaging activity in neuronal populations
//     and microcompartments. Nat Methods 16:649–657.
//   Zhang Y et al. (2023). Fast and sensitive GCaMP calcium indicators for imaging neural populations.
//     Nature 615:884–891.
//   Naud R, Sprekeler H (2018). PNAS 115:E6329–E6338; Payeur A et al. (2021). Nat Neurosci 24:1010–1019
//     (the cell whose spikes and f(V_d) are the sources).
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "apical/engine/parameter.hpp"
#include "apical/models/random_streams.hpp"

namespace apical {

struct TwoCompartmentState;

struct Gcamp7fParameters {
  double Ca_rest_nM = 50.0;                    // resting free Ca [Ca]₀
  double kappa_S = 110.0;                      // endogenous buffer capacity
  double gamma_ext_per_s = 800.0;              // extrusion rate
  double K_d_nM = 174.0;                       // indicator affinity
  double hill_n = 2.3;                         // Hill coefficient
  double tau_binding_ms = 14.0;                // binding relaxation
  double F_max_over_F_min = 30.2;              // dynamic range R
  double F_min_au = 100.0;                     // fluorescence of the unbound indicator
  double F_bg_au = 203.56;                     // background (neuropil) fluorescence
  double soma_spike_influx_nM = 1716.0;        // total Ca per somatic spike, soma ROI
  double dend_bap_influx_nM = 170.0;           // total Ca per bAP, dendrite ROI
  double dend_plateau_influx_nM_per_ms = 2000.0;  // β: influx at f(V_d) = 1
  double dend_f_threshold = 0.5;               // f_on
};

template <class Parameters, class Visitor>
void visit_fields(Parameters& p, Visitor&& v)
  requires std::is_same_v<std::remove_const_t<Parameters>, Gcamp7fParameters>
{
  v("Ca_rest", "nM", p.Ca_rest_nM, 1.0, 1e3, "resting free Ca concentration");
  v("kappa_S", "1", p.kappa_S, 0.0, 1e4, "endogenous buffer capacity");
  v("gamma_ext", "1/s", p.gamma_ext_per_s, 1.0, 1e5, "Ca extrusion rate");
  v("K_d", "nM", p.K_d_nM, 1.0, 1e5, "indicator dissociation constant");
  v("hill_n", "1", p.hill_n, 0.5, 6.0, "Hill coefficient of indicator binding");
  v("tau_binding", "ms", p.tau_binding_ms, 0.1, 1e3, "binding relaxation time constant");
  v("F_max_over_F_min", "1", p.F_max_over_F_min, 1.0, 1e3, "indicator dynamic range");
  v("F_min", "a.u.", p.F_min_au, 1e-6, 1e9, "fluorescence of the unbound indicator");
  v("F_bg", "a.u.", p.F_bg_au, 0.0, 1e9, "background (neuropil) fluorescence");
  v("soma_spike_influx", "nM", p.soma_spike_influx_nM, 0.0, 1e7, "total Ca entering the soma ROI per spike");
  v("dend_bap_influx", "nM", p.dend_bap_influx_nM, 0.0, 1e7, "total Ca entering the dendrite ROI per bAP");
  v("dend_plateau_influx", "nM/ms", p.dend_plateau_influx_nM_per_ms, 0.0, 1e7,
    "dendritic Ca influx at f(V_d) = 1");
  v("dend_f_threshold", "1", p.dend_f_threshold, 0.0, 0.99, "f(V_d) below which no plateau Ca enters");
}

std::vector<ParameterSpec> gcamp7f_parameter_specs();
void validate(const Gcamp7fParameters& p);  // std::invalid_argument naming the field

enum class GcampRoi : std::uint8_t { soma = 0, dendrite = 1 };

// Per-neuron indicator state and the sources accumulated since the last advance().
struct Gcamp7fState {
  double t_ms = 0.0;                      // time the state has been advanced to
  double accumulated_ms = 0.0;            // length of the interval whose sources are pending
  std::vector<double> Ca_soma_nM, theta_soma;
  std::vector<double> Ca_dend_nM, theta_dend;
  std::vector<double> pending_spikes;     // somatic spikes (= bAPs) since the last advance()
  std::vector<double> pending_plateau_ms; // ∫[(f − f_on)/(1 − f_on)]₊ dt since the last advance()
  // Decay factors of the last interval length (derived; recomputed when it changes).
  double cached_interval_ms = -1.0, decay_Ca = 0.0, decay_binding = 0.0;

  [[nodiscard]] std::size_t size() const { return Ca_soma_nM.size(); }
};

class Gcamp7fObserver {
 public:
  Gcamp7fObserver(const Gcamp7fParameters& parameters, std::size_t n_neurons);

  [[nodiscard]] std::size_t size() const { return n_; }
  [[nodiscard]] const Gcamp7fParameters& parameters() const { return p_; }

  // At rest: [Ca] = [Ca]₀ and θ = θ∞([Ca]₀) in both ROIs.
  [[nodiscard]] Gcamp7fState initial_state() const;

  // Adds one cell step's sources (every cell step; cheap). spikes[i]: somatic spikes in the step (0 or
  // 1 from the cell); f_Vd[i] the value of f(V_d) over the step. std::invalid_argument on a size mismatch.
  void accumulate(Gcamp7fState& state, std::span<const double> spikes, std::span<const double> f_Vd,
                  double dt_ms) const;
  // The same from the cell's state after its step (spike flags and the end-of-step f(V_d)).
  void accumulate(Gcamp7fState& state, const TwoCompartmentState& cell, double dt_ms) const;

  // Integrates Ca and binding over the accumulated interval and clears it (nothing if it is empty).
  void advance(Gcamp7fState& state) const;

  // Raw fluorescence of one ROI per neuron, F = F_min(1 + (R − 1)θ) + F_bg, into out (size N).
  void fluorescence(const Gcamp7fState& state, GcampRoi roi, std::span<double> out) const;
  [[nodiscard]] double fluorescence(double theta) const { return F_offset_ + F_range_ * theta; }

  [[nodiscard]] double hill(double Ca_nM) const;              // θ∞([Ca])
  [[nodiscard]] double resting_F() const { return F_rest_; }  // F at [Ca]₀
  [[nodiscard]] double saturation_dFF() const;                // ΔF/F at θ = 1

 private:
  Gcamp7fParameters p_;
  std::size_t n_;
  double theta_rest_, F_offset_, F_range_, F_rest_;  // F = F_offset + F_range·θ
};

enum class ImagingNoise : std::uint8_t { gaussian, shot };

struct ImagingPlaneParameters {
  double frame_rate_Hz = 15.0;     // frames per second on this plane
  double first_frame_ms = 0.0;     // start of frame 0 (e.g. T/2 for the second plane of a 30-Hz ETL clock)
  double noise_dFF = 0.022;        // per-sample noise SD at rest, in ΔF/F units (models.md §5)
  ImagingNoise noise = ImagingNoise::gaussian;
};

// Samples one ROI kind (one imaging plane) of an observer into frames of raw F. Stateful, like a
// recorder: it remembers which samples of the current frame have been taken.
class GcampFrameSampler {
 public:
  // row_fraction: each ROI's vertical position in the frame, in [0, 1); empty means 0 for all.
  GcampFrameSampler(const Gcamp7fObserver& observer, GcampRoi roi, const ImagingPlaneParameters& plane,
                    std::vector<double> row_fraction, RandomStreamId id);

  // Call after every observer advance() (at least once per frame). Takes every sample whose time has
  // been reached by state.t_ms; returns true when that completes a frame, which frame() then holds.
  // Throws std::logic_error if more than one frame completed since the previous call.
  bool sample(const Gcamp7fState& state);

  struct Frame {
    std::int64_t index = -1;          // frame number on this plane, from 0
    double start_ms = 0.0;            // t₀ + index·T
    std::span<const double> F;        // raw F per neuron (a.u.), noise included
  };
  // The last completed frame (index −1 before the first). F stays valid until the next completed frame.
  [[nodiscard]] Frame frame() const { return {done_index_, first_frame_ms_ + done_index_ * period_ms_, done_}; }
  [[nodiscard]] double frame_period_ms() const { return period_ms_; }

 private:
  Gcamp7fObserver observer_;
  GcampRoi roi_;
  ImagingPlaneParameters plane_;
  RandomStreamId id_;
  double period_ms_, first_frame_ms_;
  std::vector<double> row_;
  std::vector<std::size_t> order_;   // ROIs by sample time within a frame
  std::vector<double> current_, done_;
  std::int64_t current_index_ = 0, done_index_ = -1;
  std::size_t cursor_ = 0;           // next ROI (in order_) to sample in the current frame
};

}  // namespace apical
