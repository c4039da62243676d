// Presynaptic input population of a field of view; model and parameters in input_population.hpp.
#include "apical/models/input_population.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "field_specs.hpp"

namespace apical {

namespace {

// Purpose tags of random_streams.hpp used here (ASCII mnemonics; any distinct values would do).
constexpr std::uint64_t purpose_base_rate = 0x62617365ULL;        // "base"
constexpr std::uint64_t purpose_loading = 0x6c6f6164ULL;          // "load"
constexpr std::uint64_t purpose_factor = 0x66616374ULL;           // "fact"
constexpr std::uint64_t purpose_private = 0x70726976ULL;          // "priv"
constexpr std::uint64_t purpose_threshold = 0x7468726573ULL;      // "thres"
constexpr std::uint64_t purpose_dendritic = 0x64656e64ULL;        // "dend"
constexpr std::uint64_t purpose_weights = 0x77656967ULL;          // "weig"

void check_size(std::size_t got, std::size_t expected, const char* what) {
  if (got != expected)
    throw std::invalid_argument(std::string("input_population: ") + what + " has " + std::to_string(got) +
                                " entries, expected " + std::to_string(expected));
}

// Log-normal with the given mean and coefficient of variation, from one standard normal.
double lognormal(double mean, double cv, double z) {
  const double s2 = std::log1p(cv * cv);
  return mean * std::exp(std::sqrt(s2) * z - 0.5 * s2);
}

}  // namespace

std::vector<ParameterSpec> input_population_parameter_specs() {
  return detail::specs_from_fields<InputPopulationParameters>();
}

void validate(const InputPopulationParameters& p) { detail::check_fields(p, "input_population"); }

InputPopulation::InputPopulation(const InputPopulationParameters& parameters, std::size_t n_neurons, RandomStreamId id)
    : p_(parameters), n_(n_neurons), id_(id) {
  validate(p_);
  if (n_ == 0) throw std::invalid_argument("input_population: a field of view needs at least one neuron");
  const std::size_t M = p_.n_inputs, K = p_.n_factors;
  base_rate_.resize(M);
  private_key_.resize(M);
  threshold_key_.resize(M);
  for (std::size_t j = 0; j < M; ++j) {
    base_rate_[j] = lognormal(p_.mean_rate_Hz, p_.rate_cv, stream_rng(id_, purpose_base_rate, j).normal());
    private_key_[j] = stream_key(id_, purpose_private, j);
    threshold_key_[j] = stream_key(id_, purpose_threshold, j);
  }
  loading_.assign(K * M, 0.0);
  for (std::size_t j = 0; j < M; ++j) {
    CounterRng rng = stream_rng(id_, purpose_loading, j);
    double norm2 = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
      const double l = rng.normal() + (k == 0 ? p_.global_loading : 0.0);
      loading_[k * M + j] = l;
      norm2 += l * l;
    }
    const double inv = norm2 > 0.0 ? 1.0 / std::sqrt(norm2) : 0.0;
    for (std::size_t k = 0; k < K; ++k) loading_[k * M + j] *= inv;
  }
  dend_key_.resize(n_);
  for (std::size_t i = 0; i < n_; ++i) dend_key_[i] = stream_key(id_, purpose_dendritic, i);
}

InputPopulationState InputPopulation::initial_state() const {
  const std::size_t M = p_.n_inputs, K = p_.n_factors;
  InputPopulationState s;
  s.factors.resize(K);
  for (std::size_t k = 0; k < K; ++k) s.factors[k] = CounterRng(stream_key(id_, purpose_factor, k), 0).normal();
  s.private_noise.resize(M);
  for (std::size_t j = 0; j < M; ++j) s.private_noise[j] = bits_to_approx_normal(stream_bits(private_key_[j], 0));
  s.rate_Hz.assign(M, 0.0);
  compute_rates(s);  // the rates of interval 0
  s.remaining.resize(M);
  for (std::size_t j = 0; j < M; ++j) s.remaining[j] = -std::log(bits_to_uniform(stream_bits(threshold_key_[j], 0)));
  s.threshold_draws.assign(M, 1);
  s.pending.reserve(std::max<std::size_t>(M, 64));
  s.spiking_inputs.reserve(std::max<std::size_t>(M, 64));
  s.I_s_pA.assign(n_, 0.0);
  s.I_d_pA.resize(n_);
  for (std::size_t i = 0; i < n_; ++i)
    s.I_d_pA[i] = p_.I_d_mean_pA + p_.I_d_sd_pA * bits_to_approx_normal(stream_bits(dend_key_[i], 0));
  s.steps = 1;  // counter 0 of the dendritic streams went into the initial values
  return s;
}

void InputPopulation::compute_rates(InputPopulationState& s) const {
  const std::size_t M = p_.n_inputs, K = p_.n_factors;
  const double m_sh = p_.shared_modulation, m_pr = p_.private_modulation;
  const double* __restrict base = base_rate_.data();
  const double* __restrict eta = s.private_noise.data();
  double* __restrict rate = s.rate_Hz.data();
#pragma omp simd
  for (std::size_t j = 0; j < M; ++j) rate[j] = 1.0 + m_pr * eta[j];
  for (std::size_t k = 0; k < K; ++k) {
    const double c = m_sh * s.factors[k];
    const double* __restrict L = loading_.data() + k * M;
#pragma omp simd
    for (std::size_t j = 0; j < M; ++j) rate[j] += c * L[j];
  }
#pragma omp simd
  for (std::size_t j = 0; j < M; ++j) rate[j] = base[j] * std::max(rate[j], 0.0);
}

void InputPopulation::generate_interval(InputPopulationState& s) const {
  const std::size_t M = p_.n_inputs, K = p_.n_factors;
  const double h = p_.rate_update_ms;
  const std::uint64_t u = s.intervals++;
  const double t_u = static_cast<double>(u) * h;
  if (u > 0) {
    // z and η one interval on (exact OU update); counter u of their streams.
    const double a_z = std::exp(-h / p_.tau_factor_ms), b_z = std::sqrt(1.0 - a_z * a_z);
    const double a_p = std::exp(-h / p_.tau_private_ms), b_p = std::sqrt(1.0 - a_p * a_p);
    for (std::size_t k = 0; k < K; ++k)
      s.factors[k] = s.factors[k] * a_z + b_z * CounterRng(stream_key(id_, purpose_factor, k), u).normal();
    const std::uint64_t* __restrict key = private_key_.data();
    double* __restrict eta = s.private_noise.data();
#pragma omp simd
    for (std::size_t j = 0; j < M; ++j) eta[j] = eta[j] * a_p + b_p * bits_to_approx_normal(stream_bits(key[j], u));
    compute_rates(s);
  }
  // Drop delivered spikes (no reallocation), then append this interval's.
  s.pending.erase(s.pending.begin(), s.pending.begin() + static_cast<std::ptrdiff_t>(s.pending_next));
  s.pending_next = 0;
  const std::size_t first_new = s.pending.size();
  for (std::size_t j = 0; j < M; ++j) {
    const double r = s.rate_Hz[j] * 1e-3;  // 1/ms
    const double left = s.remaining[j] - r * h;
    if (left > 0.0) {  // no spike in this interval (always so for r = 0)
      s.remaining[j] = left;
      continue;
    }
    double tau = s.remaining[j] / r;  // time of the next spike from t_u
    while (tau < h) {
      s.pending.push_back({t_u + tau, static_cast<std::uint32_t>(j)});
      tau += -std::log(bits_to_uniform(stream_bits(threshold_key_[j], s.threshold_draws[j]++))) / r;
    }
    s.remaining[j] = (tau - h) * r;
  }
  std::sort(s.pending.begin() + static_cast<std::ptrdiff_t>(first_new), s.pending.end(),
            [](const InputPopulationState::Spike& a, const InputPopulationState::Spike& b) {
              return a.t_ms < b.t_ms || (a.t_ms == b.t_ms && a.input < b.input);
            });
}

void InputPopulation::step(InputPopulationState& s, std::span<const double> W, double dt) const {
  if (!(dt > 0.0) || !std::isfinite(dt)) throw std::invalid_argument("input_population: the time step must be positive");
  const std::size_t M = p_.n_inputs, N = n_;
  check_size(W.size(), N * M, "W (neurons × inputs)");
  check_size(s.rate_Hz.size(), M, "the state's rates");
  check_size(s.I_s_pA.size(), N, "the state's somatic currents");
  if (dt != s.cached_dt_ms) {
    s.cached_dt_ms = dt;
    s.syn_decay = std::exp(-dt / p_.tau_syn_ms);
    s.dend_decay = std::exp(-dt / p_.tau_I_d_ms);
    s.dend_kick_pA = p_.I_d_sd_pA * std::sqrt(1.0 - s.dend_decay * s.dend_decay);
  }
  const double t_end = s.t_ms + dt;
  while (static_cast<double>(s.intervals) * p_.rate_update_ms < t_end) generate_interval(s);

  // Somatic current: decay over the step, then each spike at t_s adds W_ij·(1000/τ_syn)·e^(−(t_end − t_s)/τ_syn).
  double* __restrict I_s = s.I_s_pA.data();
  const double syn_decay = s.syn_decay;
#pragma omp simd
  for (std::size_t i = 0; i < N; ++i) I_s[i] *= syn_decay;
  const double jump = 1000.0 / p_.tau_syn_ms, inv_tau = 1.0 / p_.tau_syn_ms;
  s.spiking_inputs.clear();
  while (s.pending_next < s.pending.size() && s.pending[s.pending_next].t_ms < t_end) {
    const InputPopulationState::Spike spike = s.pending[s.pending_next++];
    s.spiking_inputs.push_back(spike.input);
    const double scale = jump * std::exp(-(t_end - spike.t_ms) * inv_tau);
    const double* __restrict column = W.data() + spike.input;
    for (std::size_t i = 0; i < N; ++i) I_s[i] += scale * column[i * M];
  }

  // Dendritic background (OU, exact update).
  {
    const double a = s.dend_decay, b = s.dend_kick_pA, mu = p_.I_d_mean_pA;
    const std::uint64_t counter = s.steps;
    const std::uint64_t* __restrict key = dend_key_.data();
    double* __restrict I_d = s.I_d_pA.data();
#pragma omp simd
    for (std::size_t i = 0; i < N; ++i) I_d[i] = mu + (I_d[i] - mu) * a + b * bits_to_approx_normal(stream_bits(key[i], counter));
  }
  ++s.steps;
  s.t_ms = t_end;
}

std::vector<double> random_input_weights(std::size_t n_neurons, const InputPopulationParameters& inputs,
                                         const InputWeightParameters& w, RandomStreamId id) {
  validate(inputs);
  if (!(w.connection_probability > 0.0 && w.connection_probability <= 1.0))
    throw std::invalid_argument("random_input_weights: connection_probability must lie in (0, 1]");
  if (!(w.weight_cv >= 0.0) || !std::isfinite(w.mean_current_pA))
    throw std::invalid_argument("random_input_weights: weight_cv must be ≥ 0 and mean_current_pA finite");
  const std::size_t M = inputs.n_inputs;
  const double mean_rate = inputs.mean_rate_Hz > 0.0 ? inputs.mean_rate_Hz : 1.0;
  const double mean_weight = w.mean_current_pA / (w.connection_probability * static_cast<double>(M) * mean_rate);
  std::vector<double> W(n_neurons * M, 0.0);
  for (std::size_t i = 0; i < n_neurons; ++i) {
    CounterRng rng = stream_rng(id, purpose_weights, i);
    for (std::size_t j = 0; j < M; ++j) {
      const double u = rng.uniform(), z = rng.normal();  // two draws per pair, connected or not
      if (u < w.connection_probability) W[i * M + j] = lognormal(mean_weight, w.weight_cv, z);
    }
  }
  return W;
}

}  // namespace apical
