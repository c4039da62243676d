#pragma once
// Plasticity of the basal/perisomatic weights W (neurons × inputs), advanced once per imaging frame.
//
// The cells are simulated at sub-millisecond steps, but every rule of learning_rules.md §3 is a rate
// rule whose factors change slowly next to a 66.7-ms frame, so the simulation summarises each frame
// in a FrameActivity and the rules integrate their traces exactly over it. Units: rates in Hz, times
// in s, W in pA per Hz of presynaptic rate (the somatic current one input channel contributes).
#include <cstddef>
#include <string>
#include <vector>

#include "apical/engine/parameter.hpp"

namespace apical {

// What the field of view did during one frame (N neurons, M input channels).
struct FrameActivity {
  double frame_s = 1.0 / 15.0;
  std::vector<double> presynaptic_trace;       // [M] x̃_j: low-passed presynaptic rate (Hz)
  std::vector<double> rate_hz;                 // [N] r_i: somatic spike rate in this frame
  std::vector<double> rate_mean_hz;            // [N] r̄_i: slow running mean of r_i
  std::vector<double> basal_rate_hz;           // [N] the rate the basal input alone predicts (R3)
  std::vector<double> event_rate_hz;           // [N] E_i: singlets and first spikes of bursts
  std::vector<double> burst_rate_hz;           // [N] B_i: bursts (≥ 2 spikes within 16 ms)
  std::vector<double> basal_event_rate_hz;     // [N] E_i of the basal-only twin (R4's cancellation); E_i without one
  std::vector<double> basal_burst_rate_hz;     // [N] B_i of the basal-only twin; B_i without one
  std::vector<double> burst_fraction_mean;     // [N] P̄_i: running mean of B/E (τ ≈ 10 s)
  std::vector<double> apical_sign;             // [N] g_i for R5: B/E − P̄ in a frame with an event, else 0
  std::vector<double> ca_gate;                 // [N] Ca_i in [0, 1]: apical plateau this frame
  std::vector<double> perturbation;            // [N] ξ_i: exploratory noise injected this frame (R2)
  double reward_prediction_error = 0.0;        // δ = R − R̄ delivered in this frame, 0 otherwise
};

// Row-major neurons × inputs, with the explicit stabilisers every run reports.
struct WeightMatrix {
  std::size_t neurons = 0, inputs = 0;
  std::vector<double> w;            // [i * inputs + j]
  double w_max = 1.0;               // hard bounds [0, w_max]
  double clip_fraction = 1e-3;      // |ΔW| per update ≤ clip_fraction · w_max

  [[nodiscard]] double& at(std::size_t i, std::size_t j) { return w[i * inputs + j]; }
  [[nodiscard]] double at(std::size_t i, std::size_t j) const { return w[i * inputs + j]; }
  // W_ij += Δ, clipped per update and kept inside the bounds.
  void apply(std::size_t i, std::size_t j, double delta);
};

// A rule's mutable state: eligibility traces e_ij (same layout as W), and the part of δ that a rule
// with a reward kernel has not yet delivered (R5; 0 for every other rule).
struct PlasticityState {
  std::vector<double> eligibility;
  double pending_reward = 0.0;
};

struct LearningRuleInfo {
  std::string name;                        // "R3", as written in scenarios
  std::string description;
  std::string citation;
  std::vector<ParameterSpec> parameters;   // values arrive in this order
  bool uses_reward = false;                // reads δ (a neuromodulator): blocked by O6
  bool uses_apical_teaching = false;       // learns through the tuft: the teaching signal must reach it
  bool perturbs_soma = false;              // R2: needs ξ_i injected at the soma
  bool perturbs_apical = false;            // R2-apical: ξ_i injected at the tuft
};

class LearningRule {
 public:
  virtual ~LearningRule() = default;
  [[nodiscard]] virtual const LearningRuleInfo& info() const = 0;
  // Integrates traces and weights over one frame. `parameters` follow info().parameters.
  virtual void update(const std::vector<double>& parameters, const FrameActivity& activity,
                      PlasticityState& state, WeightMatrix& weights) const = 0;
};

// Exact update of τ de/dt = −e + H over a frame with H held constant: e ← e·a + (1 − a)·H, a = e^(−Δ/τ).
inline double relax(double trace, double target, double decay) { return trace * decay + (1.0 - decay) * target; }

}  // namespace apical
