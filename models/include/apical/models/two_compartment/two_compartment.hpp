#pragma once
// Two-compartment layer-5 pyramidal cell (soma + apical dendrite) of Naud & Sprekeler (2018) as used
// by Payeur et al. (2021), for a batch of N neurons stored as structure of arrays (neurons innermost).
//
// Equations (V in mV, t in ms, currents in pA, capacitances in pF, conductances in nS):
//
//   Soma      C_s dV_s/dt = −(C_s/τ_s)(V_s − E_L) + g_s·f(V_d) + b_w·w_s + I_s
//             τ_ws dw_s/dt = −w_s
//   Threshold τ_θ dθ/dt = θ₀ − θ
//   Dendrite  C_d dV_d/dt = −(C_d/τ_d)(V_d − E_L) + g_d·f(V_d) + c_d·K(t) + a_w·w_d
//                            − g_inh·(V_d − E_inh) + I_d
//             τ_wd dw_d/dt = (V_d − E_L) − w_d
//   f(V) = 1/(1 + exp(−(V − E_d)/D))            (dendritic Ca nonlinearity, 0…1)
//   K(t) = 1 for 2 ms after each somatic spike  (back-propagating AP, a box kernel)
//   Spike when V_s > θ:  V_s → E_reset, θ → θ + Δθ, w_s → w_s + 1, K switched on. No explicit
//   refractory period: the threshold jump and w_s do that work.
//
// g_inh (nS) is an apical inhibitory conductance towards E_inh; it carries dendrite-targeting
// (SST/NDNF) inhibition, in particular the frame-locked O1 manipulation of learning_rules.md §4.
// I_s collects basal/perisomatic synaptic input, I_d apical feedback (teaching), context and noise.
//
// Parameters (models.md §3; defaults from the authors' code, auryn NaudGroup):
//
//   | Field            | Symbol | Default | Unit | Meaning                                      |
//   |------------------|--------|---------|------|----------------------------------------------|
//   | E_L_mV           | E_L    | −70     | mV   | leak reversal, both compartments             |
//   | E_reset_mV       |        | −70     | mV   | somatic reset                                |
//   | E_inh_mV         | E_inh  | −80     | mV   | reversal of the apical inhibitory conductance|
//   | theta_0_mV       | θ₀     | −50     | mV   | resting spike threshold (per neuron)         |
//   | delta_theta_mV   | Δθ     | 2       | mV   | threshold jump per spike                     |
//   | tau_theta_ms     | τ_θ    | 27      | ms   | threshold relaxation                         |
//   | tau_s_ms         | τ_s    | 16      | ms   | somatic membrane time constant               |
//   | C_s_pF           | C_s    | 370     | pF   | somatic capacitance                          |
//   | g_s_pA           | g_s    | 1300    | pA   | dendrite→soma drive at f = 1 (per neuron)    |
//   | b_w_pA           | b_w    | −200    | pA   | somatic adaptation current per unit w_s      |
//   | tau_ws_ms        | τ_ws   | 100     | ms   | somatic adaptation decay                     |
//   | tau_d_ms         | τ_d    | 7       | ms   | dendritic membrane time constant             |
//   | C_d_pF           | C_d    | 170     | pF   | dendritic capacitance                        |
//   | g_d_pA           | g_d    | 1200    | pA   | regenerative dendritic current at f = 1 (per neuron) |
//   | a_w_nS           | a_w    | −13     | nS   | dendritic adaptation coupling                |
//   | tau_wd_ms        | τ_wd   | 30      | ms   | dendritic adaptation time constant           |
//   | c_d_pA           | c_d    | 2600    | pA   | bAP current during the box (per neuron)      |
//   | bap_duration_ms  |        | 2       | ms   | bAP box length                               |
//   | E_d_mV           | E_d    | −38     | mV   | half-activation of f                         |
//   | D_mV             | D      | 6       | mV   | slope of f                                   |
//   | burst_isi_ms     |        | 16      | ms   | burst criterion (ISI ≤ this), burst_events.hpp |
//
// θ₀, g_s, g_d and c_d may differ between neurons (TwoCompartmentPerNeuron): heterogeneous excitability,
// and O4 decoupling (g_s = c_d = 0). Time constants and capacitances are shared by the batch, so the
// decay factors are scalars, computed when dt changes and cached in the state (a state belongs to the
// model that made it).
//
// Numerics: exponential Euler. Over one step the input currents and the coupling terms (f(V_d), w_s,
// w_d, the bAP box fraction) are frozen at their start-of-step values; each linear relaxation is then
// integrated exactly: x ← x∞ + (x − x∞)·e^(−dt/τ). Why this scheme, for speed and accuracy:
//   * one exp per neuron-step for f(V_d) and one for the dendritic decay e^(−dt(C_d/τ_d + g_inh)/C_d),
//     which depends on the per-neuron inhibition; the other decays are shared scalars;
//   * unconditionally stable in the leak and in any g_inh (O1 pulses of tens of nS make the dendrite
//     faster than 2 ms; forward Euler, as in auryn at 0.1 ms, loses accuracy there first);
//   * exact for the subthreshold linear dynamics, so dt is limited only by the explicit treatment of
//     the regenerative f(V_d) and the coupling: first order overall. Higher-order steppers (odeint
//     RK4/Dormand–Prince) would spend 4–7 evaluations of f per step and still be first order across
//     the reset discontinuities.
//   * spikes: the crossing of V_s − θ is interpolated linearly within the step; the reset, the jumps
//     of θ and w_s and the start of the bAP box are applied at that time and relaxed over the rest of
//     the step (a 4th-order Taylor e^(−x) for that fraction). Without this each reset lags by dt/2 on
//     average and the lags add up along a train (ISIs biased by +dt/2). The bAP box's charge
//     c_d·2 ms is exact for any dt, including dt that do not divide 2 ms.
//   * accuracy against Boost.Odeint RK4 at 1 µs (tests/unit/fast, 400 ms of mixed somatic, dendritic
//     and inhibitory input with bursts): mean spike-time error 0.23 ms at dt = 0.5 ms, 0.11 at 0.25,
//     0.047 at 0.1; V_d RMS error 0.9, 0.42, 0.18 mV; no spike gained or lost.
//   * spike times, ISIs and burst/event flags live on the step grid (the step's end); the crossing
//     time is available as t − spike_offset_ms.
// All loops run over neurons with no branches (selects only), so they vectorise, and each neuron's
// arithmetic is the same whatever the batch size: a batch is bit-identical to single-neuron runs.
// A step allocates nothing. Cost: ≈6 ns per neuron-step at N = 50, ≈5 ns for large N (AVX-512, one
// core of a shared Zen 4 host, thread CPU time).
//
// Order within a step (t → t + dt): f₀ = f(V_d(t)); V_s, V_d, w_d, w_s, θ relax with the frozen terms;
// the bAP box advances; a crossing V_s > θ at t + dt is a spike, applied at its interpolated time;
// burst/event flags are set; f(V_d(t + dt)) is stored for the next step and for observers.
//
// References:
//   Naud R, Sprekeler H (2018). Sparse bursts optimize information transmission in a multiplexed
//     neural code. PNAS 115:E6329–E6338.
//   Payeur A, Guerguiev J, Zenke F, Richards BA, Naud R (2021). Burst-dependent synaptic plasticity can
//     coordinate learning in hierarchical circuits. Nat Neurosci 24:1010–1019.
//   Reference implementation read for the defaults: fzenke/auryn src/auryn/NaudGroup.cpp.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "apical/engine/parameter.hpp"
#include "apical/models/two_compartment/burst_events.hpp"

namespace apical {

struct TwoCompartmentParameters {
  double E_L_mV = -70.0;           // leak reversal of both compartments
  double E_reset_mV = -70.0;       // somatic reset after a spike
  double E_inh_mV = -80.0;         // reversal of the apical inhibitory conductance (O1)
  double theta_0_mV = -50.0;       // resting threshold θ₀
  double delta_theta_mV = 2.0;     // threshold jump per spike Δθ
  double tau_theta_ms = 27.0;      // threshold relaxation τ_θ
  double tau_s_ms = 16.0;          // somatic membrane time constant τ_s
  double C_s_pF = 370.0;           // somatic capacitance C_s
  double g_s_pA = 1300.0;          // dendrite→soma drive at f = 1
  double b_w_pA = -200.0;          // somatic adaptation per unit w_s (negative: hyperpolarising)
  double tau_ws_ms = 100.0;        // somatic adaptation decay τ_ws
  double tau_d_ms = 7.0;           // dendritic membrane time constant τ_d
  double C_d_pF = 170.0;           // dendritic capacitance C_d
  double g_d_pA = 1200.0;          // regenerative dendritic current at f = 1
  double a_w_nS = -13.0;           // dendritic adaptation coupling a_w
  double tau_wd_ms = 30.0;         // dendritic adaptation time constant τ_wd
  double c_d_pA = 2600.0;          // bAP current while the box is on
  double bap_duration_ms = 2.0;    // bAP box length
  double E_d_mV = -38.0;           // half-activation of f(V_d)
  double D_mV = 6.0;               // slope factor of f(V_d)
  double burst_isi_ms = 16.0;      // burst criterion: ISI ≤ burst_isi_ms
};

// The one field visitor: visitor(name, unit, field, min, max, description) for every parameter, in
// table order. `name` is the field name without its unit suffix (e.g. "tau_s"), as written in files.
// Drives the parameter specs, validation and (in the io layer) loading and saving.
template <class Parameters, class Visitor>
void visit_fields(Parameters& p, Visitor&& v)
  requires std::is_same_v<std::remove_const_t<Parameters>, TwoCompartmentParameters>
{
  v("E_L", "mV", p.E_L_mV, -120.0, 0.0, "leak reversal potential of both compartments");
  v("E_reset", "mV", p.E_reset_mV, -120.0, 0.0, "somatic reset potential");
  v("E_inh", "mV", p.E_inh_mV, -120.0, 0.0, "reversal potential of the apical inhibitory conductance");
  v("theta_0", "mV", p.theta_0_mV, -100.0, 0.0, "resting spike threshold");
  v("delta_theta", "mV", p.delta_theta_mV, 0.0, 50.0, "threshold jump per spike");
  v("tau_theta", "ms", p.tau_theta_ms, 0.01, 1e4, "threshold relaxation time constant");
  v("tau_s", "ms", p.tau_s_ms, 0.1, 1e3, "somatic membrane time constant");
  v("C_s", "pF", p.C_s_pF, 1.0, 1e5, "somatic capacitance");
  v("g_s", "pA", p.g_s_pA, 0.0, 1e5, "dendrite-to-soma drive at f(V_d) = 1");
  v("b_w", "pA", p.b_w_pA, -1e5, 1e5, "somatic adaptation current per unit w_s");
  v("tau_ws", "ms", p.tau_ws_ms, 0.01, 1e5, "somatic adaptation time constant");
  v("tau_d", "ms", p.tau_d_ms, 0.1, 1e3, "dendritic membrane time constant");
  v("C_d", "pF", p.C_d_pF, 1.0, 1e5, "dendritic capacitance");
  v("g_d", "pA", p.g_d_pA, 0.0, 1e5, "regenerative dendritic current at f(V_d) = 1");
  v("a_w", "nS", p.a_w_nS, -1e3, 1e3, "dendritic adaptation coupling");
  v("tau_wd", "ms", p.tau_wd_ms, 0.01, 1e5, "dendritic adaptation time constant");
  v("c_d", "pA", p.c_d_pA, 0.0, 1e5, "back-propagating AP current while the box is on");
  v("bap_duration", "ms", p.bap_duration_ms, 0.0, 100.0, "length of the bAP box after each spike");
  v("E_d", "mV", p.E_d_mV, -100.0, 50.0, "half-activation voltage of the dendritic nonlinearity");
  v("D", "mV", p.D_mV, 0.01, 100.0, "slope factor of the dendritic nonlinearity");
  v("burst_isi", "ms", p.burst_isi_ms, 0.0, 1e3, "burst criterion: inter-spike interval at most this");
}

// Name, unit, default, bounds and description of every parameter, in table order.
std::vector<ParameterSpec> two_compartment_parameter_specs();

// Throws std::invalid_argument naming the field when a value is not finite or out of bounds.
void validate(const TwoCompartmentParameters& p);

// Optional per-neuron values; an empty vector means "the shared value for every neuron".
struct TwoCompartmentPerNeuron {
  std::vector<double> theta_0_mV;
  std::vector<double> g_s_pA;
  std::vector<double> g_d_pA;
  std::vector<double> c_d_pA;
};

// Mutable state of a batch, and the outputs of the last step. Every vector has one entry per neuron.
struct TwoCompartmentState {
  double t_ms = 0.0;                    // time reached
  std::vector<double> V_s_mV;           // somatic potential
  std::vector<double> V_d_mV;           // dendritic potential
  std::vector<double> w_s;              // somatic adaptation variable (jumps by 1 per spike)
  std::vector<double> w_d_mV;           // dendritic adaptation variable
  std::vector<double> theta_mV;         // moving spike threshold
  std::vector<double> bap_remaining_ms; // time left in the current bAP box
  std::vector<double> f_Vd;             // f(V_d) at t_ms: the dendritic Ca signal, 0…1
  std::vector<double> since_spike_ms;   // time since the last somatic spike (+∞ before the first)
  std::vector<double> spikes_in_event;  // spikes of the current event so far (0 before the first)
  // Outputs of the last step, 0.0 or 1.0: a spike at t_ms, whether it began an event, whether it made
  // the current event a burst (raised at the second spike). Doubles rather than bytes: a byte array in
  // the loop would make the compiler vectorise 64 neurons at a time, leaving batches of ≈50 scalar; and
  // consumers sum them (counts per frame, Ca influx).
  std::vector<double> spike, event, burst;
  // For a spike in the last step: how long before t_ms V_s crossed θ (linear interpolation); the
  // reset took effect then. Spike times on the grid are t_ms; precise ones t_ms − spike_offset_ms.
  std::vector<double> spike_offset_ms;
  // Shared decay factors of the last dt (derived; recomputed when dt changes).
  double cached_dt_ms = -1.0, decay_s = 0.0, decay_ws = 0.0, decay_wd = 0.0, decay_theta = 0.0;

  [[nodiscard]] std::size_t size() const { return V_s_mV.size(); }
};

// Per-neuron inputs for one step, held constant over it. Each span has one entry per neuron.
struct TwoCompartmentInput {
  std::span<const double> I_s_pA;    // somatic input current (basal/perisomatic synapses, injection)
  std::span<const double> I_d_pA;    // dendritic input current (feedback/teaching, context, noise)
  std::span<const double> g_inh_nS;  // apical inhibitory conductance towards E_inh (≥ 0)
};

// The immutable description of a batch: parameters and per-neuron values. step() is const.
class TwoCompartmentModel {
 public:
  // Validates (std::invalid_argument names the field). n_neurons ≥ 1.
  TwoCompartmentModel(const TwoCompartmentParameters& parameters, std::size_t n_neurons,
                      const TwoCompartmentPerNeuron& per_neuron = {});

  [[nodiscard]] std::size_t size() const { return n_; }
  [[nodiscard]] const TwoCompartmentParameters& parameters() const { return p_; }
  [[nodiscard]] std::span<const double> theta_0_mV() const { return theta_0_; }
  [[nodiscard]] std::span<const double> g_s_pA() const { return g_s_; }
  [[nodiscard]] std::span<const double> g_d_pA() const { return g_d_; }
  [[nodiscard]] std::span<const double> c_d_pA() const { return c_d_; }

  // Rest: V_s = V_d = E_L, w = 0, θ = θ₀, no spike yet.
  [[nodiscard]] TwoCompartmentState initial_state() const;

  // Advances every neuron by dt_ms (> 0). Throws std::invalid_argument if a span or the state has the
  // wrong size; allocates nothing.
  void step(TwoCompartmentState& state, const TwoCompartmentInput& input, double dt_ms) const;

  // The dendritic nonlinearity f(V) = 1/(1 + exp(−(V − E_d)/D)), as the step evaluates it.
  [[nodiscard]] double f(double V_d_mV) const;

 private:
  TwoCompartmentParameters p_;
  std::size_t n_;
  std::vector<double> theta_0_, g_s_, g_d_, c_d_;
};

}  // namespace apical
