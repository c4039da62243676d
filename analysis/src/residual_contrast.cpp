#include "apical/analysis/residual_contrast.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "apical/analysis/statistics.hpp"

namespace apical::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Sums {
  Role role = Role::zero;
  double reduction = 0, increase = 0;
  std::size_t n_reduction = 0, n_increase = 0;
};

}  // namespace

std::vector<ErrorEpoch> error_epochs(const Session& s, const ContrastOptions& o) {
  std::vector<ErrorEpoch> epoch(s.frames(), ErrorEpoch::none);
  const auto lag = static_cast<std::int64_t>(std::lround(o.lag_s * s.frame_rate_hz));
  const auto frames = static_cast<std::int64_t>(s.frames());
  auto open = [&](std::int64_t k) { return s.state[static_cast<std::size_t>(k)] == TrialState::open; };
  for (const Trial& t : s.trials) {
    const std::int64_t end = t.end_frame < 0 ? frames : std::min(t.end_frame, frames);  // -1: cut off
    for (std::int64_t k = t.start_frame + lag; k < end; ++k) {
      if (!open(k) || !open(k - lag)) continue;
      const double d = s.error[static_cast<std::size_t>(k)] - s.error[static_cast<std::size_t>(k - lag)];
      if (!std::isfinite(d)) continue;
      if (d < -o.threshold) epoch[static_cast<std::size_t>(k)] = ErrorEpoch::reduction;
      else if (d > o.threshold) epoch[static_cast<std::size_t>(k)] = ErrorEpoch::increase;
    }
  }
  return epoch;
}

ContrastSummary residual_contrast(const Cohort& cohort, const std::vector<SdSession>& sd, const ContrastOptions& o) {
  if (sd.size() != cohort.sessions.size())
    throw std::invalid_argument("residual_contrast: one SdSession per session is required");
  std::map<std::pair<std::string, std::int32_t>, Sums> per_neuron;
  for (std::size_t si = 0; si < cohort.sessions.size(); ++si) {
    const Session& s = cohort.sessions[si];
    if (s.day < o.first_day || s.day > o.last_day) continue;
    const std::vector<ErrorEpoch> epoch = error_epochs(s, o);
    for (const SdNeuron& n : sd[si].neurons) {
      if (!n.fitted) continue;
      Sums& acc = per_neuron[{s.mouse_id, n.neuron_id}];
      acc.role = n.role;
      for (const SdEvent& e : n.events) {
        if (!passes(o.opto, e.opto) || !std::isfinite(e.residual_z)) continue;
        const ErrorEpoch ep = epoch[static_cast<std::size_t>(e.frame)];
        if (ep == ErrorEpoch::reduction) acc.reduction += e.residual_z, ++acc.n_reduction;
        if (ep == ErrorEpoch::increase) acc.increase += e.residual_z, ++acc.n_increase;
      }
    }
  }

  ContrastSummary out;
  std::map<std::string, std::array<std::vector<double>, role_count>> by_mouse;
  for (const auto& [key, acc] : per_neuron) {
    NeuronContrast c;
    c.mouse_id = key.first;
    c.neuron_id = key.second;
    c.role = acc.role;
    c.n_reduction = acc.n_reduction;
    c.n_increase = acc.n_increase;
    c.mean_reduction = acc.n_reduction ? acc.reduction / static_cast<double>(acc.n_reduction) : nan;
    c.mean_increase = acc.n_increase ? acc.increase / static_cast<double>(acc.n_increase) : nan;
    const std::size_t need = std::max<std::size_t>(1, o.min_events_per_epoch);
    c.contrast = (acc.n_reduction >= need && acc.n_increase >= need) ? c.mean_reduction - c.mean_increase : nan;
    out.neurons.push_back(c);
    auto& lists = by_mouse[c.mouse_id];
    if (std::isfinite(c.contrast)) lists[static_cast<std::size_t>(c.role)].push_back(c.contrast);
  }

  std::vector<double> plus, minus, zero, separation;
  std::size_t signed_mice = 0;
  for (const auto& [mouse, lists] : by_mouse) {
    MouseContrast m;
    m.mouse_id = mouse;
    m.plus = mean(lists[static_cast<std::size_t>(Role::plus)]);
    m.minus = mean(lists[static_cast<std::size_t>(Role::minus)]);
    m.zero = mean(lists[static_cast<std::size_t>(Role::zero)]);
    m.n_plus = lists[static_cast<std::size_t>(Role::plus)].size();
    m.n_minus = lists[static_cast<std::size_t>(Role::minus)].size();
    m.n_zero = lists[static_cast<std::size_t>(Role::zero)].size();
    m.separation = m.plus - m.minus;
    out.mice.push_back(m);
    plus.push_back(m.plus);
    minus.push_back(m.minus);
    zero.push_back(m.zero);
    separation.push_back(m.separation);
    if (std::isfinite(m.separation) && m.plus > 0.0 && m.minus < 0.0) ++signed_mice;
  }
  out.plus_mean = mean(plus);
  out.minus_mean = mean(minus);
  out.zero_mean = mean(zero);
  out.separation_mean = mean(separation);
  out.separation_sem = sem(separation);
  out.mice_with_separation = count_finite(separation);
  const auto positive = static_cast<std::size_t>(
      std::count_if(separation.begin(), separation.end(), [](double v) { return std::isfinite(v) && v > 0.0; }));
  const double denom = static_cast<double>(out.mice_with_separation);
  out.fraction_separation_positive = denom > 0 ? static_cast<double>(positive) / denom : nan;
  out.fraction_sign_by_role = denom > 0 ? static_cast<double>(signed_mice) / denom : nan;
  return out;
}

}  // namespace apical::analysis
