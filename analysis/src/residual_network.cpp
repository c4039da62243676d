#include "apical/analysis/residual_network.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <Eigen/Dense>

#include "grouping.hpp"
#include "resampling.hpp"

namespace apical::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// One held-out block for one target: ŷ_test = ȳ_train + test_map · (y_train − ȳ_train).
struct Fold {
  Eigen::Index begin = 0, end = 0;  // held-out rows [begin, end)
  Eigen::MatrixXd test_map;         // held-out rows × training rows
};

Eigen::MatrixXd rows_outside(const Eigen::MatrixXd& X, Eigen::Index begin, Eigen::Index end) {
  Eigen::MatrixXd out(X.rows() - (end - begin), X.cols());
  out << X.topRows(begin), X.bottomRows(X.rows() - end);
  return out;
}

Eigen::VectorXd rows_outside(const Eigen::VectorXd& y, Eigen::Index begin, Eigen::Index end) {
  Eigen::VectorXd out(y.size() - (end - begin));
  out << y.head(begin), y.tail(y.size() - end);
  return out;
}

Fold prepare_fold(const Eigen::MatrixXd& predictors, Eigen::Index begin, Eigen::Index end, double ridge) {
  Eigen::MatrixXd Xt = rows_outside(predictors, begin, end);
  Eigen::MatrixXd Xv = predictors.middleRows(begin, end - begin);
  standardise_with_training_statistics(Xt, Xv);
  const Eigen::MatrixXd G = Xt.transpose() * Xt;
  double lambda = ridge * G.trace() / static_cast<double>(std::max<Eigen::Index>(G.rows(), 1));
  if (!(lambda > 0.0)) lambda = 1.0;
  const Eigen::LDLT<Eigen::MatrixXd> solver(G + lambda * Eigen::MatrixXd::Identity(G.rows(), G.cols()));
  return {begin, end, Xv * solver.solve(Xt.transpose())};
}

// Cross-validated R² of y from the folds' maps, held-out predictions pooled.
double cross_validated_r2(const std::vector<Fold>& folds, const Eigen::VectorXd& y) {
  double sse = 0.0;
  for (const Fold& f : folds) {
    const Eigen::VectorXd yt = rows_outside(y, f.begin, f.end);
    const double m = yt.mean();
    const Eigen::VectorXd predicted = (f.test_map * (yt.array() - m).matrix()).array() + m;
    sse += (y.segment(f.begin, f.end - f.begin) - predicted).squaredNorm();
  }
  const double sst = (y.array() - y.mean()).square().sum();
  return sst > 0.0 ? 1.0 - sse / sst : nan;
}

Eigen::VectorXd rotated(const Eigen::VectorXd& y, Eigen::Index shift) {
  Eigen::VectorXd out(y.size());
  out << y.tail(y.size() - shift), y.head(shift);
  return out;
}

// The binned residual traces of a session's fitted neurons (columns in `fitted` order).
Grid binned_residuals(const Session& s, const SdSession& sd, const std::vector<std::size_t>& fitted,
                      const NetworkOptions& o) {
  const auto width = static_cast<std::size_t>(std::max<long>(1, std::lround(o.bin_s * s.frame_rate_hz)));
  std::vector<std::vector<double>> rows;
  std::vector<double> sum(fitted.size());
  std::size_t used = 0;
  auto close_bin = [&] {
    if (used > 0) {
      for (double& v : sum) v /= static_cast<double>(used);
      rows.push_back(sum);
    }
    std::fill(sum.begin(), sum.end(), 0.0);
    used = 0;
  };
  for (std::size_t k = 0; k < s.frames(); ++k) {
    if (k > 0 && k % width == 0) close_bin();
    if (!passes(o.opto, s.opto_on(static_cast<std::int64_t>(k)))) continue;
    bool finite = true;
    for (std::size_t i : fitted)
      finite = finite && std::isfinite(s.neurons[i].soma_dff[k]) && std::isfinite(s.neurons[i].dendrite_dff[k]);
    if (!finite) continue;
    for (std::size_t c = 0; c < fitted.size(); ++c) {
      const SdNeuron& n = sd.neurons[fitted[c]];
      const NeuronRecord& r = s.neurons[fitted[c]];
      sum[c] += r.dendrite_dff[k] - (n.a + n.b * r.soma_dff[k]);
    }
    ++used;
  }
  close_bin();
  Grid X(rows.size(), fitted.size());
  for (std::size_t b = 0; b < rows.size(); ++b)
    for (std::size_t c = 0; c < fitted.size(); ++c) X(b, c) = rows[b][c];
  return X;
}

}  // namespace

std::vector<ColumnPrediction> predict_columns_from_others(const Grid& grid, const NetworkOptions& o,
                                                          std::uint64_t stream) {
  if (o.folds < 2) throw std::invalid_argument("predict_columns_from_others: folds must be ≥ 2");
  if (grid.cols < 2) throw std::invalid_argument("predict_columns_from_others: at least 2 columns are required");
  const auto k = static_cast<Eigen::Index>(o.folds);
  const auto n = static_cast<Eigen::Index>(grid.rows);
  if (n < 2 * k) throw std::invalid_argument("predict_columns_from_others: at least 2·folds rows are required");
  const Eigen::MatrixXd X = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      grid.values.data(), n, static_cast<Eigen::Index>(grid.cols));

  CounterRng shift_rng(o.seed, stream);
  const Eigen::Index min_shift = n / k, shift_choices = n - 2 * (n / k) + 1;
  std::vector<ColumnPrediction> out;
  for (Eigen::Index target = 0; target < X.cols(); ++target) {
    Eigen::MatrixXd predictors(n, X.cols() - 1);
    predictors << X.leftCols(target), X.rightCols(X.cols() - target - 1);
    std::vector<Fold> folds;
    for (Eigen::Index f = 0; f < k; ++f) folds.push_back(prepare_fold(predictors, f * n / k, (f + 1) * n / k, o.ridge));
    const Eigen::VectorXd y = X.col(target);

    ColumnPrediction c;
    c.r2 = cross_validated_r2(folds, y);
    std::vector<double> null;
    std::size_t at_least = 0;
    for (int s = 0; s < o.shifts; ++s) {
      const auto shift = min_shift + static_cast<Eigen::Index>(draw_index(shift_rng, static_cast<std::size_t>(shift_choices)));
      null.push_back(cross_validated_r2(folds, rotated(y, shift)));
      if (null.back() >= c.r2) ++at_least;
    }
    c.null_mean = null.empty() ? nan : mean(null);
    c.p = std::isfinite(c.r2) ? static_cast<double>(1 + at_least) / static_cast<double>(1 + null.size()) : nan;
    out.push_back(c);
  }
  return out;
}

NetworkSummary residual_network(const Cohort& cohort, const std::vector<SdSession>& sd, const NetworkOptions& o) {
  if (sd.size() != cohort.sessions.size())
    throw std::invalid_argument("residual_network: one SdSession per session is required");
  NetworkSummary out;
  for (std::size_t si = 0; si < cohort.sessions.size(); ++si) {
    const Session& s = cohort.sessions[si];
    std::vector<std::size_t> fitted;
    for (std::size_t i = 0; i < sd[si].neurons.size(); ++i)
      if (sd[si].neurons[i].fitted) fitted.push_back(i);
    if (fitted.size() < std::max<std::size_t>(o.min_neurons, 2)) continue;
    const Grid X = binned_residuals(s, sd[si], fitted, o);
    if (X.rows < 2 * static_cast<std::size_t>(std::max(o.folds, 2))) continue;
    const std::vector<ColumnPrediction> predictions =
        predict_columns_from_others(X, o, unit_key(s.mouse_id, s.day, s.session));
    for (std::size_t c = 0; c < fitted.size(); ++c) {
      const SdNeuron& n = sd[si].neurons[fitted[c]];
      out.neurons.push_back({s.mouse_id, s.day, s.session, n.neuron_id, n.role, X.rows, fitted.size() - 1, predictions[c]});
    }
  }

  for (const NeuronNetworkPrediction& n : out.neurons) out.mice.push_back(n.mouse_id);
  std::sort(out.mice.begin(), out.mice.end());
  out.mice.erase(std::unique(out.mice.begin(), out.mice.end()), out.mice.end());
  // Per mouse (and per mouse and role): the neuron-sessions' R² and null values.
  std::vector<std::vector<double>> r2(out.mice.size()), null(out.mice.size());
  std::array<std::vector<std::vector<double>>, role_count> role_r2, role_null;
  role_r2.fill(std::vector<std::vector<double>>(out.mice.size()));
  role_null = role_r2;
  std::size_t significant = 0;
  for (const NeuronNetworkPrediction& n : out.neurons) {
    const std::size_t m = index_of(out.mice, n.mouse_id);
    const auto role = static_cast<std::size_t>(n.role);
    r2[m].push_back(n.prediction.r2);
    null[m].push_back(n.prediction.null_mean);
    role_r2[role][m].push_back(n.prediction.r2);
    role_null[role][m].push_back(n.prediction.null_mean);
    if (n.prediction.p < 0.05) ++significant;
  }
  auto means = [](const std::vector<std::vector<double>>& per_mouse) {
    std::vector<double> v;
    for (const auto& values : per_mouse) v.push_back(mean(values));
    return v;
  };
  out.mouse_r2 = means(r2);
  out.mouse_null = means(null);
  out.r2_mean = mean(out.mouse_r2);
  out.null_mean = mean(out.mouse_null);
  out.observed_vs_null = t_test_paired(out.mouse_r2, out.mouse_null);
  out.fraction_significant =
      out.neurons.empty() ? nan : static_cast<double>(significant) / static_cast<double>(out.neurons.size());
  for (std::size_t r = 0; r < role_count; ++r) out.roles[r] = {mean(means(role_r2[r])), mean(means(role_null[r]))};
  return out;
}

}  // namespace apical::analysis
