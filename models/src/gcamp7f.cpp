// GCaMP7f observer and frame sampler; equations and calibration in gcamp7f.hpp.
#include "apical/models/gcamp7f.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "apical/models/two_compartment/two_compartment.hpp"
#include "fast_math.hpp"
#include "field_specs.hpp"

namespace apical {

namespace {

// Purpose tags of random_streams.hpp used here.
constexpr std::uint64_t purpose_imaging_noise = 0x696d6167696e67ULL;  // "imaging"

void check_size(std::size_t got, std::size_t n, const char* what) {
  if (got != n)
    throw std::invalid_argument(std::string("gcamp7f: ") + what + " has " + std::to_string(got) + " entries for " +
                                std::to_string(n) + " neurons");
}

}  // namespace

std::vector<ParameterSpec> gcamp7f_parameter_specs() { return detail::specs_from_fields<Gcamp7fParameters>(); }

void validate(const Gcamp7fParameters& p) { detail::check_fields(p, "gcamp7f"); }

Gcamp7fObserver::Gcamp7fObserver(const Gcamp7fParameters& parameters, std::size_t n_neurons)
    : p_(parameters), n_(n_neurons) {
  validate(p_);
  if (n_ == 0) throw std::invalid_argument("gcamp7f: an observer needs at least one neuron");
  theta_rest_ = hill(p_.Ca_rest_nM);
  F_offset_ = p_.F_min_au + p_.F_bg_au;
  F_range_ = p_.F_min_au * (p_.F_max_over_F_min - 1.0);
  F_rest_ = fluorescence(theta_rest_);
}

double Gcamp7fObserver::hill(double Ca_nM) const {
  const double x = detail::vpow(Ca_nM / p_.K_d_nM, p_.hill_n);
  return x / (1.0 + x);
}

double Gcamp7fObserver::saturation_dFF() const { return (fluorescence(1.0) - F_rest_) / F_rest_; }

Gcamp7fState Gcamp7fObserver::initial_state() const {
  Gcamp7fState s;
  s.Ca_soma_nM.assign(n_, p_.Ca_rest_nM);
  s.Ca_dend_nM.assign(n_, p_.Ca_rest_nM);
  s.theta_soma.assign(n_, theta_rest_);
  s.theta_dend.assign(n_, theta_rest_);
  s.pending_spikes.assign(n_, 0.0);
  s.pending_plateau_ms.assign(n_, 0.0);
  return s;
}

void Gcamp7fObserver::accumulate(Gcamp7fState& s, std::span<const double> spikes, std::span<const double> f_Vd,
                                 double dt) const {
  if (!(dt > 0.0) || !std::isfinite(dt)) throw std::invalid_argument("gcamp7f: the time step must be positive");
  check_size(spikes.size(), n_, "spikes");
  check_size(f_Vd.size(), n_, "f_Vd");
  check_size(s.size(), n_, "the state");
  const double f_on = p_.dend_f_threshold, scale = dt / (1.0 - f_on);
  const double* __restrict spike = spikes.data();
  const double* __restrict f = f_Vd.data();
  double* __restrict pending_spikes = s.pending_spikes.data();
  double* __restrict pending_plateau = s.pending_plateau_ms.data();
#pragma omp simd
  for (std::size_t i = 0; i < n_; ++i) {
    pending_spikes[i] += spike[i];
    pending_plateau[i] += std::max(f[i] - f_on, 0.0) * scale;
  }
  s.accumulated_ms += dt;
}

void Gcamp7fObserver::accumulate(Gcamp7fState& s, const TwoCompartmentState& cell, double dt) const {
  accumulate(s, cell.spike, cell.f_Vd, dt);
}

void Gcamp7fObserver::advance(Gcamp7fState& s) const {
  check_size(s.size(), n_, "the state");
  const double h = s.accumulated_ms;
  if (!(h > 0.0)) return;
  const double gamma = p_.gamma_ext_per_s * 1e-3;                 // 1/ms
  if (h != s.cached_interval_ms) {
    s.cached_interval_ms = h;
    s.decay_Ca = std::exp(-h * gamma / (1.0 + p_.kappa_S));
    s.decay_binding = std::exp(-h / p_.tau_binding_ms);
  }
  const double decay_Ca = s.decay_Ca, decay_b = s.decay_binding;
  // A constant total influx J (nM/ms) holds free Ca at [Ca]₀ + J/γ; here J = amount/h.
  const double per_amount = 1.0 / (h * gamma);
  const double Ca_0 = p_.Ca_rest_nM, inv_K_d = 1.0 / p_.K_d_nM, n_hill = p_.hill_n;
  const double A_s = p_.soma_spike_influx_nM, A_bap = p_.dend_bap_influx_nM;
  const double beta = p_.dend_plateau_influx_nM_per_ms;
  double* __restrict Ca_s = s.Ca_soma_nM.data();
  double* __restrict th_s = s.theta_soma.data();
  double* __restrict Ca_d = s.Ca_dend_nM.data();
  double* __restrict th_d = s.theta_dend.data();
  double* __restrict spikes = s.pending_spikes.data();
  double* __restrict plateau = s.pending_plateau_ms.data();
#pragma omp simd
  for (std::size_t i = 0; i < n_; ++i) {
    // Soma ROI.
    const double eq_s = Ca_0 + spikes[i] * A_s * per_amount;
    const double Ca_s_new = eq_s + (Ca_s[i] - eq_s) * decay_Ca;
    const double x_s = detail::vpow(0.5 * (Ca_s[i] + Ca_s_new) * inv_K_d, n_hill);
    const double inf_s = x_s / (1.0 + x_s);
    th_s[i] = inf_s + (th_s[i] - inf_s) * decay_b;
    Ca_s[i] = Ca_s_new;
    // Dendrite ROI.
    const double eq_d = Ca_0 + (spikes[i] * A_bap + plateau[i] * beta) * per_amount;
    const double Ca_d_new = eq_d + (Ca_d[i] - eq_d) * decay_Ca;
    const double x_d = detail::vpow(0.5 * (Ca_d[i] + Ca_d_new) * inv_K_d, n_hill);
    const double inf_d = x_d / (1.0 + x_d);
    th_d[i] = inf_d + (th_d[i] - inf_d) * decay_b;
    Ca_d[i] = Ca_d_new;
    spikes[i] = 0.0;
    plateau[i] = 0.0;
  }
  s.t_ms += h;
  s.accumulated_ms = 0.0;
}

void Gcamp7fObserver::fluorescence(const Gcamp7fState& s, GcampRoi roi, std::span<double> out) const {
  check_size(s.size(), n_, "the state");
  check_size(out.size(), n_, "the output");
  const std::vector<double>& theta = roi == GcampRoi::soma ? s.theta_soma : s.theta_dend;
  for (std::size_t i = 0; i < n_; ++i) out[i] = fluorescence(theta[i]);
}

GcampFrameSampler::GcampFrameSampler(const Gcamp7fObserver& observer, GcampRoi roi, const ImagingPlaneParameters& plane,
                                     std::vector<double> row_fraction, RandomStreamId id)
    : observer_(observer), roi_(roi), plane_(plane), id_(id) {
  const std::size_t n = observer_.size();
  if (!(plane_.frame_rate_Hz > 0.0) || !std::isfinite(plane_.frame_rate_Hz))
    throw std::invalid_argument("gcamp7f sampler: the frame rate must be positive");
  if (!(plane_.noise_dFF >= 0.0) || !std::isfinite(plane_.noise_dFF))
    throw std::invalid_argument("gcamp7f sampler: the noise level must be finite and ≥ 0");
  if (!std::isfinite(plane_.first_frame_ms)) throw std::invalid_argument("gcamp7f sampler: first_frame_ms is not finite");
  period_ms_ = 1000.0 / plane_.frame_rate_Hz;
  first_frame_ms_ = plane_.first_frame_ms;
  row_ = row_fraction.empty() ? std::vector<double>(n, 0.0) : std::move(row_fraction);
  check_size(row_.size(), n, "row_fraction");
  for (double r : row_)
    if (!(r >= 0.0 && r < 1.0)) throw std::invalid_argument("gcamp7f sampler: row fractions must lie in [0, 1)");
  order_.resize(n);
  std::iota(order_.begin(), order_.end(), std::size_t{0});
  std::stable_sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) { return row_[a] < row_[b]; });
  current_.assign(n, 0.0);
  done_.assign(n, 0.0);
}

bool GcampFrameSampler::sample(const Gcamp7fState& s) {
  const std::size_t n = observer_.size();
  check_size(s.size(), n, "the state");
  const std::vector<double>& theta = roi_ == GcampRoi::soma ? s.theta_soma : s.theta_dend;
  const double F_rest = observer_.resting_F();
  bool completed = false;
  for (;;) {
    const double frame_start = first_frame_ms_ + static_cast<double>(current_index_) * period_ms_;
    while (cursor_ < n && frame_start + row_[order_[cursor_]] * period_ms_ <= s.t_ms) {
      const std::size_t i = order_[cursor_++];
      const double F = observer_.fluorescence(theta[i]);
      const double sd = plane_.noise == ImagingNoise::gaussian ? plane_.noise_dFF * F_rest
                                                               : plane_.noise_dFF * std::sqrt(std::max(F, 0.0) * F_rest);
      CounterRng rng(stream_key(id_, purpose_imaging_noise + static_cast<std::uint64_t>(roi_), i),
                     static_cast<std::uint64_t>(current_index_));
      current_[i] = F + sd * rng.normal();
    }
    if (cursor_ < n) return completed;
    if (completed) throw std::logic_error("gcamp7f sampler: more than one frame completed in one call; call sample() at least once per frame");
    std::swap(current_, done_);
    done_index_ = current_index_++;
    cursor_ = 0;
    completed = true;
  }
}

}  // namespace apical
