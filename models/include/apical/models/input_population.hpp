#pragma once
// Presynaptic input to one field of view: M input channels whose rates share K slow latent factors,
// spiking as inhomogeneous Poisson processes, projected through the basal/perisomatic weights W
// (neurons × inputs) onto each neuron's soma; plus a dendritic background noise current per neuron
// (learning_rules.md §1, "Input statistics").
//
// Rates (Hz), for input j with base rate r̄_j:
//   r_j(t) = r̄_j · [1 + m_sh·Σ_k L_jk z_k(t) + m_pr·η_j(t)]₊
//   τ_z dz_k = −z_k dt + √(2τ_z) dB_k      (K latent Ornstein–Uhlenbeck factors, unit variance)
//   τ_η dη_j = −η_j dt + √(2τ_η) dB_j      (private OU modulation, unit variance)
// Loadings: row L_j· = normalise(g·e₀ + N(0, I_K)), unit length, so Σ_k L_jk z_k has unit variance
// and m_sh is the SD of the shared modulation. The global bias g on factor 0 makes most inputs
// co-modulate positively, which sets the mean pairwise correlation; the other factors give
// structured (mixed-sign) correlations. Base rates are log-normal with mean r̄ and CV rate_cv.
// z and η are updated exactly every rate_update_ms and held in between (their τ ≫ that interval).
//
// Spikes: input j spikes when its rescaled time Λ_j = ∫ r_j dt reaches an Exp(1) threshold (time
// rescaling; exact, since rates are constant within an interval). Spike times are generated one rate
// interval ahead, when the interval's rates are drawn (O(M) per interval, vectorised), and delivered
// by the steps in time order (O(spikes) per step), each with its exact sub-step time.
//
// Somatic current, W in pA per Hz (the learning rules' WeightMatrix: row-major [i·M + j]):
//   I_s,i(t) = Σ_j W_ij ν_j(t),   ν_j = (1/τ_syn) Σ_spikes e^(−(t − t_s)/τ_syn)   (Hz)
// so a spike of j adds W_ij·1000/τ_syn pA to I_s,i, which decays with τ_syn (AMPA, 5 ms), and the
// mean current is Σ_j W_ij r_j. Shared inputs and shared factors give the neurons correlated noise.
// W is passed to every step (it is plastic and owned by the caller); adding a spike reads one column
// of the row-major matrix (stride M), ≈ M·r̄·dt columns per step.
//
// Dendritic background: per-neuron OU current, exact update every step,
//   I_d,i ← μ + (I_d,i − μ)·a + σ·√(1 − a²)·ξ,  a = e^(−dt/τ_Id),
// with ξ approximately normal (bits_to_approx_normal: vectorised, exact mean and variance).
//
// Parameters:
//
//   | Field                 | Symbol | Default | Unit | Meaning                                        |
//   |-----------------------|--------|---------|------|------------------------------------------------|
//   | n_inputs              | M      | 400     | 1    | input channels in the field of view             |
//   | n_factors             | K      | 3       | 1    | shared latent factors                          |
//   | mean_rate_Hz          | r̄      | 5       | Hz   | mean base rate                                 |
//   | rate_cv               |        | 0.5     | 1    | CV of base rates across inputs (log-normal)    |
//   | tau_factor_ms         | τ_z    | 1000    | ms   | latent factor time constant (0.5–2 s)          |
//   | shared_modulation     | m_sh   | 0.15    | 1    | SD of the shared rate modulation (× r̄_j)       |
//   | global_loading        | g      | 0.5     | 1    | bias of factor-0 loadings (positive correlations) |
//   | private_modulation    | m_pr   | 0.3     | 1    | SD of the private rate modulation (× r̄_j)      |
//   | tau_private_ms        | τ_η    | 200     | ms   | private modulation time constant               |
//   | rate_update_ms        |        | 5       | ms   | interval of factor/rate updates                |
//   | tau_syn_ms            | τ_syn  | 5       | ms   | somatic synaptic current decay (AMPA)          |
//   | I_d_mean_pA           | μ      | 0       | pA   | dendritic background mean                      |
//   | I_d_sd_pA             | σ      | 150     | pA   | dendritic background SD                        |
//   | tau_I_d_ms            | τ_Id   | 10      | ms   | dendritic background correlation time          |
//
// Defaults [M] (tests/unit/fast/test_input_population.cpp): with random_input_weights' defaults
// (p = 0.2, mean current 400 pA) 50 two-compartment cells fire 6.5–8 spikes/s, 5–6 events/s with a
// burst fraction of 0.12–0.13 (two seeds; Naud & Sprekeler's noise setting: events 4–5 Hz, bursts
// ≈12 %), and the mean pairwise correlation of spike counts in 1-s bins is 0.07–0.09 (≈0.3 for the
// somatic currents), within the range reported for nearby cortical neurons. Raise m_sh or g for
// stronger correlations (g = 1 gives ≈0.25).
//
// Cost at N = 50, M = 400, dt = 0.5 ms (one core): ≈4 ns per neuron-step (spike delivery through
// strided columns of W, the dendritic noise, and the amortised interval generation).
//
// Randomness: everything is a pure function of RandomStreamId (seed, mouse, stream): loadings, base
// rates, factors, private noise, spikes, dendritic noise and (random_input_weights) W. Each channel has
// its own counter-based stream, so results do not depend on batch layout or threads.
//
// References: learning_rules.md §1; Payeur et al. (2021) Nat Neurosci 24:1010 and Naud & Sprekeler
// (2018) PNAS 115:E6329 drive the same cell with Poisson input; latent-factor noise correlations after
// the population-imaging literature summarised in experiment.md.
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "apical/engine/parameter.hpp"
#include "apical/models/random_streams.hpp"

namespace apical {

struct InputPopulationParameters {
  std::size_t n_inputs = 400;        // M
  std::size_t n_factors = 3;         // K
  double mean_rate_Hz = 5.0;         // mean base rate r̄
  double rate_cv = 0.5;              // CV of base rates across inputs
  double tau_factor_ms = 1000.0;     // latent factor time constant τ_z
  double shared_modulation = 0.15;   // m_sh
  double global_loading = 0.5;       // g, bias of the factor-0 loadings
  double private_modulation = 0.3;   // m_pr
  double tau_private_ms = 200.0;     // τ_η
  double rate_update_ms = 5.0;       // interval of factor and rate updates
  double tau_syn_ms = 5.0;           // τ_syn
  double I_d_mean_pA = 0.0;          // dendritic background mean μ
  double I_d_sd_pA = 150.0;          // dendritic background SD σ
  double tau_I_d_ms = 10.0;          // dendritic background correlation time τ_Id
};

template <class Parameters, class Visitor>
void visit_fields(Parameters& p, Visitor&& v)
  requires std::is_same_v<std::remove_const_t<Parameters>, InputPopulationParameters>
{
  v("n_inputs", "1", p.n_inputs, 1.0, 1e6, "input channels in the field of view");
  v("n_factors", "1", p.n_factors, 0.0, 64.0, "shared latent factors");
  v("mean_rate", "Hz", p.mean_rate_Hz, 0.0, 1e3, "mean base rate of the inputs");
  v("rate_cv", "1", p.rate_cv, 0.0, 10.0, "coefficient of variation of the base rates");
  v("tau_factor", "ms", p.tau_factor_ms, 1.0, 1e6, "latent factor time constant");
  v("shared_modulation", "1", p.shared_modulation, 0.0, 10.0, "SD of the shared rate modulation, relative");
  v("global_loading", "1", p.global_loading, 0.0, 100.0, "bias of the factor-0 loadings");
  v("private_modulation", "1", p.private_modulation, 0.0, 10.0, "SD of the private rate modulation, relative");
  v("tau_private", "ms", p.tau_private_ms, 1.0, 1e6, "private modulation time constant");
  v("rate_update", "ms", p.rate_update_ms, 0.01, 1e3, "interval of factor and rate updates");
  v("tau_syn", "ms", p.tau_syn_ms, 0.1, 1e3, "somatic synaptic current decay");
  v("I_d_mean", "pA", p.I_d_mean_pA, -1e5, 1e5, "dendritic background current mean");
  v("I_d_sd", "pA", p.I_d_sd_pA, 0.0, 1e5, "dendritic background current SD");
  v("tau_I_d", "ms", p.tau_I_d_ms, 0.1, 1e5, "dendritic background correlation time");
}

std::vector<ParameterSpec> input_population_parameter_specs();
void validate(const InputPopulationParameters& p);  // std::invalid_argument naming the field

// Mutable state; sizes: K factors, M inputs, N neurons.
struct InputPopulationState {
  struct Spike {
    double t_ms;          // spike time
    std::uint32_t input;  // input channel j
  };
  double t_ms = 0.0;
  std::uint64_t steps = 0;                 // steps taken (counter of the dendritic noise streams)
  std::uint64_t intervals = 0;             // rate intervals generated so far
  std::vector<double> factors;             // [K] z_k of the latest interval
  std::vector<double> private_noise;       // [M] η_j of the latest interval
  std::vector<double> rate_Hz;             // [M] r_j of the latest interval
  std::vector<double> remaining;           // [M] rescaled time from the generated horizon to the next spike
  std::vector<std::uint64_t> threshold_draws;  // [M] Exp(1) thresholds drawn so far (stream counters)
  std::vector<Spike> pending;              // generated spikes not yet delivered, in time order
  std::size_t pending_next = 0;            // first undelivered entry of `pending`
  // Outputs of the last step.
  std::vector<std::uint32_t> spiking_inputs;  // inputs that spiked during it, one entry per spike, in time order
  std::vector<double> I_s_pA;              // [N] somatic synaptic current at t_ms
  std::vector<double> I_d_pA;              // [N] dendritic background current at t_ms
  // Constants of the last dt (derived; recomputed when dt changes).
  double cached_dt_ms = -1.0, syn_decay = 0.0, dend_decay = 0.0, dend_kick_pA = 0.0;
};

// Immutable description: parameters, loadings, base rates and the channels' random keys.
class InputPopulation {
 public:
  InputPopulation(const InputPopulationParameters& parameters, std::size_t n_neurons, RandomStreamId id);

  [[nodiscard]] std::size_t n_neurons() const { return n_; }
  [[nodiscard]] std::size_t n_inputs() const { return p_.n_inputs; }
  [[nodiscard]] const InputPopulationParameters& parameters() const { return p_; }
  [[nodiscard]] std::span<const double> base_rate_Hz() const { return base_rate_; }  // [M]
  [[nodiscard]] double loading(std::size_t input, std::size_t factor) const { return loading_[factor * p_.n_inputs + input]; }

  // Factors, private noise and dendritic noise drawn from their stationary distributions; I_s = 0
  // (it reaches its stationary mean within a few τ_syn).
  [[nodiscard]] InputPopulationState initial_state() const;

  // Advances by dt_ms: draws the rates and spikes of every rate interval that starts before t + dt,
  // delivers the spikes in (t, t + dt] through W (row-major N × M, pA/Hz) to the somatic current and
  // advances the dendritic noise. Throws std::invalid_argument on size mismatch. Allocates only if a
  // step or an interval holds more spikes than ever before (capacity is reserved for M of each).
  void step(InputPopulationState& state, std::span<const double> W_pA_per_Hz, double dt_ms) const;

 private:
  void generate_interval(InputPopulationState& s) const;  // rates and spikes of the next interval
  void compute_rates(InputPopulationState& s) const;      // r_j from the current z and η

  InputPopulationParameters p_;
  std::size_t n_;
  RandomStreamId id_;
  std::vector<double> base_rate_;           // [M]
  std::vector<double> loading_;             // [K·M], factor-major
  std::vector<std::uint64_t> private_key_;  // [M]
  std::vector<std::uint64_t> threshold_key_;  // [M]
  std::vector<std::uint64_t> dend_key_;     // [N]
};

// Random basal weights (row-major N × M, pA/Hz): each input reaches each neuron with probability
// connection_probability; connected weights are log-normal with CV weight_cv and a mean chosen so that
// the expected somatic current at the mean rate is mean_current_pA.
struct InputWeightParameters {
  double connection_probability = 0.2;
  double mean_current_pA = 400.0;
  double weight_cv = 0.5;
};
std::vector<double> random_input_weights(std::size_t n_neurons, const InputPopulationParameters& inputs,
                                         const InputWeightParameters& weights, RandomStreamId id);

}  // namespace apical
