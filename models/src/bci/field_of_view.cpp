// Field of view stepped at dt and summarised per frame; equations in field_of_view.hpp.
#include "field_of_view.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace apical::bci::detail {

namespace {

std::vector<double> plane_rows(const std::vector<double>& rows, bool dual_plane) {
  std::vector<double> out(rows);
  if (dual_plane)
    for (double& r : out) r *= 0.5;
  return out;
}

const CellBatch& checked_cells(const FieldOfViewConfig& config, std::size_t neurons) {
  if (!config.cells || config.cells->size() != neurons)
    throw std::invalid_argument("field of view: the cell batch must hold one cell per neuron");
  return *config.cells;
}

}  // namespace

FieldOfView::FieldOfView(const FieldOfViewConfig& config, std::size_t neurons)
    : config_(config),
      n_(neurons),
      m_(config.inputs.n_inputs),
      frame_ms_(1000.0 / 15.0),
      cells_(checked_cells(config_, neurons)),
      population_(config.inputs, neurons, config.inputs_id),
      observer_(config.indicator, neurons),
      cell_state_(cells_.initial_state()),
      twin_state_(config.twin ? cells_.initial_state() : nullptr),
      input_state_(population_.initial_state()),
      indicator_state_(observer_.initial_state()) {
  if (config_.rows.size() != n_) throw std::invalid_argument("field of view: one row fraction per neuron is required");
  plane_rows_ = plane_rows(config_.rows, config_.dual_plane);
  if (config_.imaging) {
    ImagingPlaneParameters soma{15.0, 0.0, config_.noise_dFF, ImagingNoise::gaussian};
    ImagingPlaneParameters dendrite{15.0, config_.dual_plane ? 0.5 * frame_ms_ : 0.0, config_.noise_dFF,
                                    ImagingNoise::gaussian};
    soma_sampler_.emplace(observer_, GcampRoi::soma, soma, plane_rows_, config_.soma_noise_id);
    dendrite_sampler_.emplace(observer_, GcampRoi::dendrite, dendrite, plane_rows_, config_.dendrite_noise_id);
  }
  I_s_.assign(n_, 0.0);
  I_d_.assign(n_, 0.0);
  g_.assign(n_, 0.0);
  xi_.assign(n_, 0.0);
  I_d_twin_.assign(n_, 0.0);
  g_twin_.assign(n_, 0.0);
  xi_key_.resize(n_);
  for (std::size_t i = 0; i < n_; ++i) {
    xi_key_[i] = mix64(config_.perturbation_key ^ mix64(i + 1));
    xi_[i] = config_.perturbation_sd_pA * bits_to_approx_normal(stream_bits(xi_key_[i], 0));
  }
  soma_F_.assign(n_, 0.0);
  dendrite_F_.assign(n_, 0.0);
  for (auto* v : {&totals_.spikes, &totals_.events, &totals_.bursts, &totals_.I_syn_sum_pA, &totals_.f_max,
                  &totals_.xi_sum_pA, &totals_.soma_F, &totals_.dendrite_F, &totals_.twin_spikes, &totals_.twin_events, &totals_.twin_bursts})
    v->assign(n_, 0.0);
  totals_.input_spikes.assign(m_, 0.0);
}

std::int64_t FieldOfView::first_step(std::int64_t frame) const {
  return static_cast<std::int64_t>(std::ceil(static_cast<double>(frame) * frame_ms_ / config_.dt_ms - 1e-9));
}

void FieldOfView::capture(GcampFrameSampler& sampler, std::optional<std::int64_t>& index, std::vector<double>& F) {
  if (!sampler.sample(indicator_state_)) return;
  const GcampFrameSampler::Frame f = sampler.frame();
  std::copy(f.F.begin(), f.F.end(), F.begin());
  index = f.index;
}

void FieldOfView::drop_gated_samples(std::vector<double>& F, double plane_offset_ms) const {
  const double period = config_.light_period_ms;
  for (std::size_t i = 0; i < n_; ++i) {
    const double t = static_cast<double>(frame_) * frame_ms_ + plane_offset_ms + plane_rows_[i] * frame_ms_;
    if (t - std::floor(t / period) * period < config_.pmt_gate_ms) F[i] = std::numeric_limits<double>::quiet_NaN();
  }
}

void FieldOfView::advance_imaging(bool frame_end) {
  if (!config_.imaging) return;
  if (!frame_end && since_advance_ms_ < config_.indicator_step_ms - 1e-9) return;
  observer_.advance(indicator_state_);
  since_advance_ms_ = 0.0;
  capture(*soma_sampler_, soma_index_, soma_F_);
  capture(*dendrite_sampler_, dendrite_index_, dendrite_F_);
}

const FrameTotals& FieldOfView::run_frame(std::span<const double> W, const FrameDrive& drive) {
  const std::size_t n = n_;
  const double dt = config_.dt_ms;
  const std::int64_t end = first_step(frame_ + 1);
  const bool apical = !drive.apical_pA.empty();
  if (apical && drive.apical_pA.size() != n) throw std::invalid_argument("field of view: apical drive has the wrong size");

  FrameTotals& tot = totals_;
  for (auto* v : {&tot.spikes, &tot.events, &tot.bursts, &tot.I_syn_sum_pA, &tot.xi_sum_pA, &tot.twin_spikes, &tot.twin_events, &tot.twin_bursts})
    std::fill(v->begin(), v->end(), 0.0);
  std::fill(tot.f_max.begin(), tot.f_max.end(), 0.0);
  std::fill(tot.input_spikes.begin(), tot.input_spikes.end(), 0.0);
  tot.steps = static_cast<std::size_t>(end - step_);
  tot.duration_s = static_cast<double>(tot.steps) * dt * 1e-3;

  const double soma_scale = 1.0 - drive.somatic_reduction;
  const double xi_sd = config_.perturbation_sd_pA;
  const double xi_a = xi_sd > 0.0 ? std::exp(-dt / config_.perturbation_tau_ms) : 0.0;
  const double xi_b = xi_sd * std::sqrt(1.0 - xi_a * xi_a);
  const bool xi_apical = config_.perturbation_apical;
  const double g_decay = std::exp(-dt / config_.opto_tau_ms);

  for (; step_ < end; ++step_) {
    population_.step(input_state_, W, dt);
    for (const std::uint32_t j : input_state_.spiking_inputs) tot.input_spikes[j] += 1.0;

    // O1 conductance: light fraction of this step, then the exact low-pass update.
    if (drive.conductance || g_inh_ != 0.0) {
      double on = 0.0;
      if (drive.conductance) {
        const double t0 = static_cast<double>(step_) * dt, t1 = t0 + dt;
        const double period = config_.light_period_ms, light = config_.light_ms;
        const double p0 = std::floor(t0 / period) * period;
        for (double p = p0; p < t1; p += period) on += std::max(0.0, std::min(t1, p + light) - std::max(t0, p));
        on /= dt;
      }
      const double target = config_.opto_g_max_nS * on;
      g_inh_ = target + (g_inh_ - target) * g_decay;
      if (g_inh_ < 1e-9 && !drive.conductance) g_inh_ = 0.0;
    }

    // Perturbation (R2), exact OU update.
    if (xi_sd > 0.0) {
      const auto counter = static_cast<std::uint64_t>(step_ + 1);
      for (std::size_t i = 0; i < n; ++i) xi_[i] = xi_[i] * xi_a + xi_b * bits_to_approx_normal(stream_bits(xi_key_[i], counter));
    }

    const double* I_syn = input_state_.I_s_pA.data();
    const double* I_bg = input_state_.I_d_pA.data();
    const double background = drive.dendritic_background ? 1.0 : 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double xi = xi_[i];
      I_s_[i] = soma_scale * I_syn[i] + (xi_apical ? 0.0 : xi);
      I_d_[i] = background * I_bg[i] + (apical ? drive.apical_pA[i] : 0.0) + drive.apical_excitation_pA +
                (xi_apical ? xi : 0.0);
      g_[i] = g_inh_;
      tot.I_syn_sum_pA[i] += soma_scale * I_syn[i];
      tot.xi_sum_pA[i] += xi;
    }
    cells_.step(*cell_state_, {I_s_, I_d_, g_, drive.decoupled}, dt);
    if (config_.twin) {
      const double g_twin = config_.twin_inhibited ? g_inh_ : 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        I_d_twin_[i] = background * I_bg[i];
        I_s_[i] = soma_scale * I_syn[i];
        g_twin_[i] = g_twin;
      }
      cells_.step(*twin_state_, {I_s_, I_d_twin_, g_twin_, drive.decoupled}, dt);
      const CellOutputs twin_out = cells_.outputs(*twin_state_);
      for (std::size_t i = 0; i < n; ++i) {
        tot.twin_spikes[i] += twin_out.spike[i];
        tot.twin_events[i] += twin_out.event[i];
        tot.twin_bursts[i] += twin_out.burst[i];
      }
    }
    const CellOutputs out = cells_.outputs(*cell_state_);
    for (std::size_t i = 0; i < n; ++i) {
      tot.spikes[i] += out.spike[i];
      tot.events[i] += out.event[i];
      tot.bursts[i] += out.burst[i];
      tot.f_max[i] = std::max(tot.f_max[i], out.ca_signal[i]);
    }
    if (config_.imaging) {
      observer_.accumulate(indicator_state_, out.spike, out.ca_signal, dt);
      since_advance_ms_ += dt;
      advance_imaging(step_ + 1 == end);
    }
  }

  if (config_.imaging) {
    if (soma_index_ != frame_ || dendrite_index_ != frame_)
      throw std::logic_error("field of view: frame " + std::to_string(frame_) + " was not completed by both imaging planes");
    std::copy(soma_F_.begin(), soma_F_.end(), tot.soma_F.begin());
    std::copy(dendrite_F_.begin(), dendrite_F_.end(), tot.dendrite_F.begin());
    if (drive.light && !config_.pmt_gate_in_flyback) {
      drop_gated_samples(tot.soma_F, 0.0);
      drop_gated_samples(tot.dendrite_F, config_.dual_plane ? 0.5 * frame_ms_ : 0.0);
    }
  }
  ++frame_;
  return tot;
}

}  // namespace apical::bci::detail
