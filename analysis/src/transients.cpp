#include "apical/analysis/transients.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <tuple>

#include "apical/analysis/butterworth.hpp"
#include "grouping.hpp"

namespace apical::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// NaNs replaced by linear interpolation between valid neighbours, held flat at the ends.
// Returns false when fewer than 2 frames are valid.
bool bridge_gaps(std::span<const double> x, std::vector<double>& out) {
  out.assign(x.begin(), x.end());
  std::vector<std::size_t> valid;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i])) valid.push_back(i);
  if (valid.size() < 2) return false;
  for (std::size_t i = 0; i < valid.front(); ++i) out[i] = x[valid.front()];
  for (std::size_t i = valid.back() + 1; i < x.size(); ++i) out[i] = x[valid.back()];
  for (std::size_t v = 0; v + 1 < valid.size(); ++v) {
    const std::size_t a = valid[v], b = valid[v + 1];
    for (std::size_t i = a + 1; i < b; ++i)
      out[i] = x[a] + (x[b] - x[a]) * static_cast<double>(i - a) / static_cast<double>(b - a);
  }
  return true;
}

// Local maxima; a flat top is reported once, at its middle (rounded down).
std::vector<std::size_t> local_maxima(const std::vector<double>& x) {
  std::vector<std::size_t> peaks;
  const std::size_t n = x.size();
  std::size_t i = 1;
  while (i + 1 < n) {
    if (x[i - 1] < x[i]) {
      std::size_t ahead = i + 1;
      while (ahead + 1 < n && x[ahead] == x[i]) ++ahead;
      if (x[ahead] < x[i]) {
        peaks.push_back((i + ahead - 1) / 2);
        i = ahead;
        continue;
      }
      i = ahead;
      continue;
    }
    ++i;
  }
  return peaks;
}

// Prominence of each peak: the walk from k stops at the first sample strictly above x(k), so the left
// interval is (previous strictly greater, k] and the right one [k, next strictly greater). One pass
// each way with a monotonic stack gives every such interval minimum in O(n): an element's interval is
// the chain of the intervals of the elements it pops, plus itself.
std::vector<double> prominences(const std::vector<double>& x, const std::vector<std::size_t>& peaks) {
  const std::size_t n = x.size();
  std::vector<double> left_min(n), right_min(n);
  std::vector<std::size_t> stack;
  for (std::size_t i = 0; i < n; ++i) {
    double m = x[i];
    while (!stack.empty() && x[stack.back()] <= x[i]) m = std::min(m, left_min[stack.back()]), stack.pop_back();
    left_min[i] = m;
    stack.push_back(i);
  }
  stack.clear();
  for (std::size_t i = n; i-- > 0;) {
    double m = x[i];
    while (!stack.empty() && x[stack.back()] <= x[i]) m = std::min(m, right_min[stack.back()]), stack.pop_back();
    right_min[i] = m;
    stack.push_back(i);
  }
  std::vector<double> out;
  out.reserve(peaks.size());
  for (std::size_t k : peaks) out.push_back(x[k] - std::max(left_min[k], right_min[k]));
  return out;
}

}  // namespace

std::vector<Transient> detect_transients(std::span<const double> dff, double fs_hz, const TransientOptions& o) {
  std::vector<double> x;
  if (!bridge_gaps(dff, x) || x.size() < 3) return {};
  const SosFilter hp = butterworth(FilterKind::highpass, o.filter_order, o.cutoff_over_fs * fs_hz, fs_hz);
  std::vector<double> h = filtfilt(hp, x);
  for (std::size_t i = 0; i < h.size(); ++i)
    if (!std::isfinite(dff[i])) h[i] = nan;
  const double sigma = sample_sd(h);
  if (!std::isfinite(sigma)) return {};
  const double min_prominence = o.prominence_sd * sigma;

  std::vector<std::size_t> peaks = local_maxima(x);
  // A peak on or next to a missing frame cannot be confirmed as a local maximum of the data.
  std::erase_if(peaks, [&](std::size_t k) {
    return !std::isfinite(dff[k]) || !std::isfinite(dff[k - 1]) || !std::isfinite(dff[k + 1]);
  });
  const std::vector<double> prom = prominences(x, peaks);
  std::vector<std::size_t> kept;
  std::vector<double> kept_prom;
  for (std::size_t i = 0; i < peaks.size(); ++i)
    if (prom[i] >= min_prominence) kept.push_back(peaks[i]), kept_prom.push_back(prom[i]);

  // Separation: tallest first; ties go to the earlier peak.
  const auto distance = static_cast<std::size_t>(std::max<long>(1, std::lround(o.min_separation_s * fs_hz)));
  std::vector<std::size_t> order(kept.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[kept[a]] > x[kept[b]]; });
  std::vector<bool> removed(kept.size(), false);
  for (std::size_t idx : order) {
    if (removed[idx]) continue;
    for (std::size_t j = idx; j-- > 0 && kept[idx] - kept[j] < distance;) removed[j] = true;
    for (std::size_t j = idx + 1; j < kept.size() && kept[j] - kept[idx] < distance; ++j) removed[j] = true;
  }

  const auto lookback = static_cast<std::size_t>(std::max<long>(0, std::lround(o.baseline_lookback_s * fs_hz)));
  std::vector<Transient> out;
  std::size_t previous = 0;
  bool have_previous = false;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (removed[i]) continue;
    const std::size_t k = kept[i];
    std::size_t start = k > lookback ? k - lookback : 0;
    if (have_previous) start = std::max(start, previous);
    double base = dff[k];
    for (std::size_t j = start; j <= k; ++j)
      if (std::isfinite(dff[j])) base = std::min(base, dff[j]);
    out.push_back({static_cast<std::int64_t>(k), dff[k], dff[k] - base, kept_prom[i]});
    previous = k;
    have_previous = true;
  }
  return out;
}

SessionTransients detect_session_transients(const Session& s, const TransientOptions& o) {
  SessionTransients t;
  t.soma.reserve(s.neurons.size());
  t.dendrite.reserve(s.neurons.size());
  for (const NeuronRecord& n : s.neurons) {
    t.soma.push_back(detect_transients(n.soma_dff, s.frame_rate_hz, o));
    t.dendrite.push_back(n.dendrite_dff.empty() ? std::vector<Transient>{}
                                                : detect_transients(n.dendrite_dff, s.frame_rate_hz, o));
  }
  return t;
}

std::vector<NeuronDayRate> transient_rates(const Cohort& cohort, const std::vector<SessionTransients>& transients,
                                           OptoFilter opto) {
  if (transients.size() != cohort.sessions.size())
    throw std::invalid_argument("transient_rates: one SessionTransients per session is required");
  std::map<std::tuple<std::string, std::int32_t, std::int32_t>, NeuronDayRate> acc;
  for (std::size_t si = 0; si < cohort.sessions.size(); ++si) {
    const Session& s = cohort.sessions[si];
    for (std::size_t i = 0; i < s.neurons.size(); ++i) {
      const NeuronRecord& n = s.neurons[i];
      NeuronDayRate& r = acc[{s.mouse_id, n.id, s.day}];
      if (r.mouse_id.empty()) {
        r.mouse_id = s.mouse_id;
        r.neuron_id = n.id;
        r.role = n.role;
        r.day = s.day;
      } else if (r.role != n.role) {
        throw std::invalid_argument(s.mouse_id + " neuron " + std::to_string(n.id) + " changes role within day " +
                                    std::to_string(s.day));
      }
      for (const Transient& t : transients[si].soma[i])
        if (passes(opto, s.opto_on(t.frame))) ++r.events;
      std::size_t frames = 0;
      for (std::size_t k = 0; k < n.soma_dff.size(); ++k)
        if (std::isfinite(n.soma_dff[k]) && passes(opto, s.opto_on(static_cast<std::int64_t>(k)))) ++frames;
      r.seconds += static_cast<double>(frames) / s.frame_rate_hz;
    }
  }
  std::vector<NeuronDayRate> out;
  out.reserve(acc.size());
  for (auto& [key, r] : acc) {
    r.rate_hz = r.seconds > 0 ? static_cast<double>(r.events) / r.seconds : nan;
    out.push_back(r);
  }
  return out;
}

PopulationRates population_rates(const std::vector<NeuronDayRate>& rates, const PopulationRateOptions& options) {
  PopulationRates out;
  for (const NeuronDayRate& r : rates) {
    out.mice.push_back(r.mouse_id);
    out.days.push_back(r.day);
  }
  std::sort(out.mice.begin(), out.mice.end());
  out.mice.erase(std::unique(out.mice.begin(), out.mice.end()), out.mice.end());
  std::sort(out.days.begin(), out.days.end());
  out.days.erase(std::unique(out.days.begin(), out.days.end()), out.days.end());
  const std::size_t nm = out.mice.size(), nd = out.days.size();

  std::array<Grid, role_count> sum, count;
  for (std::size_t r = 0; r < role_count; ++r) sum[r] = count[r] = Grid(nm, nd, 0.0);
  Grid present(nm, nd, 0.0);
  for (const NeuronDayRate& r : rates) {
    const std::size_t m = index_of(out.mice, r.mouse_id), d = index_of(out.days, r.day);
    present(m, d) = 1.0;
    if (!std::isfinite(r.rate_hz)) continue;
    const auto role = static_cast<std::size_t>(r.role);
    sum[role](m, d) += r.rate_hz;
    count[role](m, d) += 1;
  }
  const std::size_t late = std::min<std::size_t>(static_cast<std::size_t>(std::max(options.late_days, 0)), nd);
  for (std::size_t r = 0; r < role_count; ++r) {
    out.raw[r] = Grid::nan(nm, nd);
    out.normalised[r] = out.raw[r];
    for (std::size_t m = 0; m < nm; ++m) {
      for (std::size_t d = 0; d < nd; ++d)
        if (count[r](m, d) > 0) out.raw[r](m, d) = sum[r](m, d) / count[r](m, d);
      std::size_t first = 0;
      while (first < nd && present(m, first) == 0.0) ++first;
      const double base = first < nd ? out.raw[r](m, first) : nan;
      if (std::isfinite(base) && base > 0.0)
        for (std::size_t d = 0; d < nd; ++d) out.normalised[r](m, d) = out.raw[r](m, d) / base;
      const std::vector<double> values = out.normalised[r].row(m);
      out.late[r].push_back(mean(std::span<const double>(values).last(late)));
    }
    for (std::size_t d = 0; d < nd; ++d) {
      const std::vector<double> values = out.normalised[r].column(d);
      out.mean[r].push_back(mean(values));
      out.sem[r].push_back(sem(values));
    }
  }
  out.late_plus_vs_minus = t_test_paired(out.late[static_cast<std::size_t>(Role::plus)],
                                         out.late[static_cast<std::size_t>(Role::minus)]);

  // Two-way RM ANOVA on complete mice over the shared roles and days.
  const std::vector<std::size_t> shared_days = columns_present_in_all_rows(present);
  for (Role role : {Role::plus, Role::minus, Role::zero}) {
    const auto r = static_cast<std::size_t>(role);
    bool everywhere = nm > 0;
    for (std::size_t m = 0; m < nm; ++m) {
      bool any = false;
      for (std::size_t d = 0; d < nd; ++d) any = any || count[r](m, d) > 0;
      everywhere = everywhere && any;
    }
    if (everywhere) out.anova_roles.push_back(role);
  }
  std::vector<Grid> subjects;
  for (std::size_t m = 0; m < nm; ++m) {
    Grid y(out.anova_roles.size(), shared_days.size());
    for (std::size_t a = 0; a < out.anova_roles.size(); ++a)
      for (std::size_t b = 0; b < shared_days.size(); ++b)
        y(a, b) = out.normalised[static_cast<std::size_t>(out.anova_roles[a])](m, shared_days[b]);
    const bool finite = std::all_of(y.values.begin(), y.values.end(), [](double v) { return std::isfinite(v); });
    if (!y.values.empty() && finite) subjects.push_back(std::move(y));
  }
  if (subjects.size() >= 2 && out.anova_roles.size() >= 2 && shared_days.size() >= 2)
    out.anova = rm_anova_twoway(subjects);
  return out;
}

}  // namespace apical::analysis
