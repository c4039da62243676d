// Two-compartment L5 cell (Naud & Sprekeler 2018; Payeur et al. 2021): exponential-Euler step over a
// batch stored as structure of arrays. Equations and the choice of scheme: two_compartment.hpp.
#include "apical/models/two_compartment/two_compartment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "apical/engine/simd_math.hpp"
#include "../field_specs.hpp"

namespace apical {

std::vector<ParameterSpec> two_compartment_parameter_specs() {
  return detail::specs_from_fields<TwoCompartmentParameters>();
}

void validate(const TwoCompartmentParameters& p) { detail::check_fields(p, "two_compartment"); }

namespace {

std::vector<double> per_neuron_values(const std::vector<double>& given, double shared, std::size_t n,
                                      const char* name) {
  if (given.empty()) return std::vector<double>(n, shared);
  if (given.size() != n)
    throw std::invalid_argument(std::string("two_compartment: per-neuron '") + name + "' has " +
                                std::to_string(given.size()) + " values for " + std::to_string(n) + " neurons");
  for (double v : given)
    if (!std::isfinite(v)) throw std::invalid_argument(std::string("two_compartment: per-neuron '") + name + "' is not finite");
  return given;
}

// e^(−x) for the fraction of one step after a spike, x ≤ dt/τ: Taylor series to x⁴ (relative error
// below x⁵/120, i.e. < 1e-9 for x ≤ 0.03 = 0.5 ms/16 ms). Cheaper than vexp and branch-free.
inline double decay_short(double x) { return 1.0 - x * (1.0 - 0.5 * x * (1.0 - (1.0 / 3.0) * x * (1.0 - 0.25 * x))); }

void check_size(std::size_t got, std::size_t n, const char* what) {
  if (got != n)
    throw std::invalid_argument(std::string("two_compartment: ") + what + " has " + std::to_string(got) +
                                " entries for " + std::to_string(n) + " neurons");
}

}  // namespace

TwoCompartmentModel::TwoCompartmentModel(const TwoCompartmentParameters& parameters, std::size_t n_neurons,
                                         const TwoCompartmentPerNeuron& per_neuron)
    : p_(parameters), n_(n_neurons) {
  validate(p_);
  if (n_ == 0) throw std::invalid_argument("two_compartment: a batch needs at least one neuron");
  theta_0_ = per_neuron_values(per_neuron.theta_0_mV, p_.theta_0_mV, n_, "theta_0");
  g_s_ = per_neuron_values(per_neuron.g_s_pA, p_.g_s_pA, n_, "g_s");
  g_d_ = per_neuron_values(per_neuron.g_d_pA, p_.g_d_pA, n_, "g_d");
  c_d_ = per_neuron_values(per_neuron.c_d_pA, p_.c_d_pA, n_, "c_d");
}

double TwoCompartmentModel::f(double V_d_mV) const {
  return 1.0 / (1.0 + vexp(-(V_d_mV - p_.E_d_mV) * (1.0 / p_.D_mV)));
}

TwoCompartmentState TwoCompartmentModel::initial_state() const {
  TwoCompartmentState s;
  s.V_s_mV.assign(n_, p_.E_L_mV);
  s.V_d_mV.assign(n_, p_.E_L_mV);
  s.w_s.assign(n_, 0.0);
  s.w_d_mV.assign(n_, 0.0);
  s.theta_mV = theta_0_;
  s.bap_remaining_ms.assign(n_, 0.0);
  s.f_Vd.assign(n_, f(p_.E_L_mV));
  s.since_spike_ms.assign(n_, std::numeric_limits<double>::infinity());
  s.spikes_in_event.assign(n_, 0.0);
  s.spike.assign(n_, 0.0);
  s.event.assign(n_, 0.0);
  s.burst.assign(n_, 0.0);
  s.spike_offset_ms.assign(n_, 0.0);
  return s;
}

void TwoCompartmentModel::step(TwoCompartmentState& s, const TwoCompartmentInput& in, double dt) const {
  if (!(dt > 0.0) || !std::isfinite(dt)) throw std::invalid_argument("two_compartment: the time step must be positive");
  check_size(in.I_s_pA.size(), n_, "I_s");
  check_size(in.I_d_pA.size(), n_, "I_d");
  check_size(in.g_inh_nS.size(), n_, "g_inh");
  check_size(s.size(), n_, "the state");

  const TwoCompartmentParameters& p = p_;
  // Shared coefficients of this step.
  const double E_L = p.E_L_mV, E_inh = p.E_inh_mV, E_reset = p.E_reset_mV;
  const double R_s = p.tau_s_ms / p.C_s_pF;         // somatic input resistance, mV/pA (GΩ)
  const double g_Ld = p.C_d_pF / p.tau_d_ms;        // dendritic leak conductance, nS
  const double minus_dt_over_C_d = -dt / p.C_d_pF;  // × total dendritic conductance gives the exponent
  if (dt != s.cached_dt_ms) {
    s.cached_dt_ms = dt;
    s.decay_s = std::exp(-dt / p.tau_s_ms);
    s.decay_ws = std::exp(-dt / p.tau_ws_ms);
    s.decay_wd = std::exp(-dt / p.tau_wd_ms);
    s.decay_theta = std::exp(-dt / p.tau_theta_ms);
  }
  const double decay_s = s.decay_s, decay_ws = s.decay_ws, decay_wd = s.decay_wd, decay_theta = s.decay_theta;
  const double b_w = p.b_w_pA, a_w = p.a_w_nS, delta_theta = p.delta_theta_mV;
  const double E_d = p.E_d_mV, inv_D = 1.0 / p.D_mV, bap_duration = p.bap_duration_ms;
  const double inv_dt = 1.0 / dt, burst_isi = p.burst_isi_ms;
  const double inv_C_d = 1.0 / p.C_d_pF;
  const double inv_tau_s = 1.0 / p.tau_s_ms, inv_tau_theta = 1.0 / p.tau_theta_ms, inv_tau_ws = 1.0 / p.tau_ws_ms;

  const double* __restrict I_s = in.I_s_pA.data();
  const double* __restrict I_d = in.I_d_pA.data();
  const double* __restrict g_inh = in.g_inh_nS.data();
  const double* __restrict theta_0 = theta_0_.data();
  const double* __restrict g_s = g_s_.data();
  const double* __restrict g_d = g_d_.data();
  const double* __restrict c_d = c_d_.data();
  double* __restrict V_s = s.V_s_mV.data();
  double* __restrict V_d = s.V_d_mV.data();
  double* __restrict w_s = s.w_s.data();
  double* __restrict w_d = s.w_d_mV.data();
  double* __restrict theta = s.theta_mV.data();
  double* __restrict bap = s.bap_remaining_ms.data();
  double* __restrict f_Vd = s.f_Vd.data();
  double* __restrict since = s.since_spike_ms.data();
  double* __restrict in_event = s.spikes_in_event.data();
  double* __restrict spike_out = s.spike.data();
  double* __restrict event_out = s.event.data();
  double* __restrict burst_out = s.burst.data();
  double* __restrict offset_out = s.spike_offset_ms.data();

#pragma omp simd
  for (std::size_t i = 0; i < n_; ++i) {
    const double f0 = f_Vd[i];
    // Soma: relax towards V∞ = E_L + R_s·(g_s f + b_w w_s + I_s).
    const double V_s_inf = E_L + R_s * (g_s[i] * f0 + b_w * w_s[i] + I_s[i]);
    const double V_s_new = V_s_inf + (V_s[i] - V_s_inf) * decay_s;
    // Dendrite: total conductance g_Ld + g_inh; the bAP box contributes the fraction of the step it covers.
    const double box = std::min(bap[i], dt) * inv_dt;
    const double G = g_Ld + g_inh[i];
    const double drive = g_Ld * E_L + g_inh[i] * E_inh + g_d[i] * f0 + c_d[i] * box + a_w * w_d[i] + I_d[i];
    const double V_d_inf = drive / G;
    const double V_d_old = V_d[i];
    double V_d_new = V_d_inf + (V_d_old - V_d_inf) * vexp(minus_dt_over_C_d * G);
    // Adaptation and threshold, with V_d frozen at its start-of-step value.
    const double w_d_inf = V_d_old - E_L;
    w_d[i] = w_d_inf + (w_d[i] - w_d_inf) * decay_wd;
    const double w_s_new = w_s[i] * decay_ws;
    const double theta_new = theta_0[i] + (theta[i] - theta_0[i]) * decay_theta;
    const double bap_left = std::max(bap[i] - dt, 0.0);
    // Spike: V_s − θ crosses 0 during the step. The crossing time is interpolated linearly, and the
    // reset, the threshold jump and the adaptation jump take effect there and relax for the rest of
    // the step ("after", in ms). Without this, every reset would lag by dt/2 on average and the lags
    // would add up along a spike train (ISIs biased by +dt/2).
    const double u_old = V_s[i] - theta[i], u_new = V_s_new - theta_new;
    const bool spike = u_new > 0.0;
    const double after = spike ? dt * std::min(u_new / std::max(u_new - u_old, 1e-12), 1.0) : 0.0;
    V_s[i] = spike ? V_s_inf + (E_reset - V_s_inf) * decay_short(after * inv_tau_s) : V_s_new;
    theta[i] = spike ? theta_new + delta_theta * decay_short(after * inv_tau_theta) : theta_new;
    w_s[i] = spike ? w_s_new + decay_short(after * inv_tau_ws) : w_s_new;
    // The bAP box starts at the crossing too: the part of it inside this step enters V_d as a charge
    // (c_d·after/C_d), the rest is delivered by the next steps. Its total charge is c_d·duration.
    const double bap_now = std::min(after, bap_duration);
    bap[i] = spike ? bap_duration - bap_now : bap_left;
    V_d_new += c_d[i] * bap_now * inv_C_d;
    // Spike times, ISIs and burst flags are on the step grid (a spike belongs to the step's end).
    double since_new = since[i] + dt, count = in_event[i], event = 0.0, burst = 0.0;
    classify_spike_lane(spike ? 1.0 : 0.0, since_new, count, burst_isi, event, burst);
    since[i] = since_new;
    in_event[i] = count;
    V_d[i] = V_d_new;
    f_Vd[i] = 1.0 / (1.0 + vexp(-(V_d_new - E_d) * inv_D));
    spike_out[i] = spike ? 1.0 : 0.0;
    offset_out[i] = after;
    event_out[i] = event;
    burst_out[i] = burst;
  }
  s.t_ms += dt;
}

}  // namespace apical
