#include "apical/analysis/sd_residual.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <tuple>

#include <Eigen/Dense>

#include "apical/analysis/statistics.hpp"

namespace apical::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct FitEvents {
  std::vector<double> prox, dist;
};

double aic(double rss, std::size_t n, int k) {
  const auto dn = static_cast<double>(n);
  return dn * std::log(rss / dn) + 2.0 * k;
}

double quadratic_rss(const FitEvents& e) {
  const auto n = static_cast<Eigen::Index>(e.prox.size());
  Eigen::MatrixXd X(n, 3);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double x = e.prox[static_cast<std::size_t>(i)];
    X.row(i) << 1.0, x, x * x;
    y(i) = e.dist[static_cast<std::size_t>(i)];
  }
  const Eigen::VectorXd beta = X.colPivHouseholderQr().solve(y);
  return (y - X * beta).squaredNorm();
}

// Fits a, b on `fit` and fills the z-scoring constants and AICs; false when the fit is degenerate.
bool fit_neuron(SdNeuron& n, const FitEvents& fit, std::size_t min_events) {
  if (fit.prox.size() < std::max<std::size_t>(min_events, 3)) return false;
  const LineFit line = fit_line(fit.prox, fit.dist);
  if (!std::isfinite(line.slope)) return false;
  std::vector<double> r(fit.prox.size());
  for (std::size_t i = 0; i < r.size(); ++i) r[i] = fit.dist[i] - (line.intercept + line.slope * fit.prox[i]);
  const double s = sample_sd(r);
  if (!(s > 0.0)) return false;
  n.a = line.intercept;
  n.b = line.slope;
  n.residual_mean = mean(r);
  n.residual_sd = s;
  n.fit_events = r.size();
  if (r.size() >= 5) {
    n.aic_linear = aic(line.rss, r.size(), 2);
    n.aic_quadratic = aic(quadratic_rss(fit), r.size(), 3);
  }
  return true;
}

FitEvents opto_off_events(const SdNeuron& n) {
  FitEvents e;
  for (const SdEvent& ev : n.events)
    if (!ev.opto) e.prox.push_back(ev.a_prox), e.dist.push_back(ev.a_dist);
  return e;
}

}  // namespace

std::vector<CoincidentPair> coincident_events(const std::vector<Transient>& prox, const std::vector<Transient>& dist,
                                              std::int64_t max_lag_frames) {
  struct Candidate {
    std::int64_t lag;
    std::size_t dist, prox;
  };
  std::vector<Candidate> candidates;
  std::size_t lo = 0;
  for (std::size_t d = 0; d < dist.size(); ++d) {
    const std::int64_t f = dist[d].frame;
    while (lo < prox.size() && prox[lo].frame < f - max_lag_frames) ++lo;
    for (std::size_t p = lo; p < prox.size() && prox[p].frame <= f + max_lag_frames; ++p)
      candidates.push_back({std::abs(prox[p].frame - f), d, p});
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
    return std::tie(x.lag, x.dist, x.prox) < std::tie(y.lag, y.dist, y.prox);
  });
  std::vector<bool> used_dist(dist.size(), false), used_prox(prox.size(), false);
  std::vector<CoincidentPair> pairs;
  for (const Candidate& c : candidates) {
    if (used_dist[c.dist] || used_prox[c.prox]) continue;
    used_dist[c.dist] = used_prox[c.prox] = true;
    pairs.push_back({c.prox, c.dist});
  }
  std::sort(pairs.begin(), pairs.end(), [&](const CoincidentPair& x, const CoincidentPair& y) { return x.dist < y.dist; });
  return pairs;
}

std::vector<SdSession> sd_residuals(const Cohort& cohort, const std::vector<SessionTransients>& transients,
                                    const SdOptions& o) {
  if (transients.size() != cohort.sessions.size())
    throw std::invalid_argument("sd_residuals: one SessionTransients per session is required");
  std::vector<SdSession> out(cohort.sessions.size());
  std::map<std::pair<std::string, std::int32_t>, FitEvents> pooled;  // (mouse, neuron id) → opto-off events

  for (std::size_t si = 0; si < cohort.sessions.size(); ++si) {
    const Session& s = cohort.sessions[si];
    const auto max_lag = static_cast<std::int64_t>(std::lround(o.coincidence_s * s.frame_rate_hz));
    for (std::size_t i = 0; i < s.neurons.size(); ++i) {
      const NeuronRecord& rec = s.neurons[i];
      SdNeuron n;
      n.neuron_id = rec.id;
      n.role = rec.role;
      n.pairing_r = rec.dendrite_dff.empty() ? nan : pearson(rec.soma_dff, rec.dendrite_dff).r;
      n.paired = std::isfinite(n.pairing_r) && n.pairing_r >= o.pairing_r_min;
      n.a = n.b = n.residual_mean = n.residual_sd = n.aic_linear = n.aic_quadratic = nan;
      if (n.paired) {
        const std::vector<Transient>& prox = transients[si].soma[i];
        const std::vector<Transient>& dist = transients[si].dendrite[i];
        for (const CoincidentPair& p : coincident_events(prox, dist, max_lag)) {
          SdEvent e;
          e.frame = dist[p.dist].frame;
          e.a_prox = prox[p.prox].amplitude;
          e.a_dist = dist[p.dist].amplitude;
          e.opto = s.opto_on(e.frame);
          e.residual = e.residual_z = nan;
          n.events.push_back(e);
        }
        FitEvents& pool = pooled[{s.mouse_id, rec.id}];
        const FitEvents own = opto_off_events(n);
        pool.prox.insert(pool.prox.end(), own.prox.begin(), own.prox.end());
        pool.dist.insert(pool.dist.end(), own.dist.begin(), own.dist.end());
      }
      out[si].neurons.push_back(std::move(n));
    }
  }

  for (std::size_t si = 0; si < cohort.sessions.size(); ++si) {
    for (SdNeuron& n : out[si].neurons) {
      if (!n.paired) continue;
      n.fitted = fit_neuron(n, opto_off_events(n), o.min_fit_events);
      if (!n.fitted) {
        n.fitted = fit_neuron(n, pooled[{cohort.sessions[si].mouse_id, n.neuron_id}], o.min_fit_events);
        n.pooled_fit = n.fitted;
      }
      if (!n.fitted) continue;
      for (SdEvent& e : n.events) {
        e.residual = e.a_dist - (n.a + n.b * e.a_prox);
        e.residual_z = (e.residual - n.residual_mean) / n.residual_sd;
      }
    }
  }
  return out;
}

}  // namespace apical::analysis
