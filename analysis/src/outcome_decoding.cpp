#include "apical/analysis/outcome_decoding.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include <Eigen/Dense>

#include "apical/engine/random.hpp"
#include "resampling.hpp"

namespace apical::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

template <class T>
void shuffle(std::vector<T>& v, CounterRng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[draw_index(rng, i)]);
}

// One fold's label-independent matrices: scores = M · (y − ȳ) for the training and the test trials.
struct Fold {
  std::vector<Eigen::Index> train, test;
  Eigen::MatrixXd train_map, test_map;
};

Fold prepare_fold(const Eigen::MatrixXd& X, std::vector<Eigen::Index> train, std::vector<Eigen::Index> test,
                  double ridge) {
  const auto nt = static_cast<Eigen::Index>(train.size()), nv = static_cast<Eigen::Index>(test.size());
  const Eigen::Index p = X.cols();
  Eigen::MatrixXd Xt(nt, p), Xv(nv, p);
  for (Eigen::Index i = 0; i < nt; ++i) Xt.row(i) = X.row(train[static_cast<std::size_t>(i)]);
  for (Eigen::Index i = 0; i < nv; ++i) Xv.row(i) = X.row(test[static_cast<std::size_t>(i)]);
  standardise_with_training_statistics(Xt, Xv);
  const Eigen::MatrixXd K = Xt * Xt.transpose();
  double lambda = ridge * K.trace() / static_cast<double>(std::max<Eigen::Index>(nt, 1));
  if (!(lambda > 0.0)) lambda = 1.0;
  const Eigen::LDLT<Eigen::MatrixXd> solver(K + lambda * Eigen::MatrixXd::Identity(nt, nt));
  Fold f;
  f.train = std::move(train);
  f.test = std::move(test);
  // K A and K_vt A with A = (K + λI)⁻¹; A is symmetric, so both are transposes of A·(…)ᵀ solves.
  f.train_map = solver.solve(K).transpose();
  f.test_map = solver.solve(Xt * Xv.transpose()).transpose();
  return f;
}

double balanced_accuracy(const std::vector<Fold>& folds, const std::vector<int>& y) {
  double tp = 0, tn = 0, pos = 0, neg = 0;
  for (const Fold& f : folds) {
    const auto nt = static_cast<Eigen::Index>(f.train.size());
    Eigen::VectorXd yc(nt);
    double n1 = 0;
    for (Eigen::Index i = 0; i < nt; ++i) n1 += yc(i) = y[static_cast<std::size_t>(f.train[static_cast<std::size_t>(i)])];
    const double n0 = static_cast<double>(nt) - n1;
    std::vector<int> predicted(f.test.size());
    if (n1 == 0 || n0 == 0) {  // a one-class training fold predicts that class
      std::fill(predicted.begin(), predicted.end(), n1 > 0 ? 1 : 0);
    } else {
      yc.array() -= n1 / static_cast<double>(nt);
      const Eigen::VectorXd u = f.train_map * yc, v = f.test_map * yc;
      double m1 = 0, m0 = 0;
      for (Eigen::Index i = 0; i < nt; ++i) (y[static_cast<std::size_t>(f.train[static_cast<std::size_t>(i)])] ? m1 : m0) += u(i);
      const double threshold = 0.5 * (m1 / n1 + m0 / n0);
      for (std::size_t i = 0; i < f.test.size(); ++i) predicted[i] = v(static_cast<Eigen::Index>(i)) > threshold ? 1 : 0;
    }
    for (std::size_t i = 0; i < f.test.size(); ++i) {
      const int truth = y[static_cast<std::size_t>(f.test[i])];
      (truth ? pos : neg) += 1;
      if (truth && predicted[i]) tp += 1;
      if (!truth && !predicted[i]) tn += 1;
    }
  }
  return 0.5 * (tp / pos + tn / neg);
}

}  // namespace

DecodingResult decode_binary(const Grid& grid, const std::vector<int>& labels, const DecodingOptions& o,
                             std::uint64_t stream) {
  const Eigen::MatrixXd X = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      grid.values.data(), static_cast<Eigen::Index>(grid.rows), static_cast<Eigen::Index>(grid.cols));
  const auto n = static_cast<std::size_t>(X.rows());
  if (labels.size() != n) throw std::invalid_argument("decode_binary: one label per row of X is required");
  if (o.folds < 2) throw std::invalid_argument("decode_binary: folds must be ≥ 2");
  const auto k = static_cast<std::size_t>(o.folds);
  std::array<std::vector<Eigen::Index>, 2> by_class;
  for (std::size_t i = 0; i < n; ++i) {
    if (labels[i] != 0 && labels[i] != 1) throw std::invalid_argument("decode_binary: labels must be 0 or 1");
    by_class[static_cast<std::size_t>(labels[i])].push_back(static_cast<Eigen::Index>(i));
  }
  if (by_class[0].size() < k || by_class[1].size() < k)
    throw std::invalid_argument("decode_binary: each class needs at least `folds` trials");

  CounterRng fold_rng(o.seed, 2 * stream), shuffle_rng(o.seed, 2 * stream + 1);
  std::vector<std::size_t> fold_of(n);
  std::size_t position = 0;  // continue the round-robin across classes so fold sizes stay balanced
  for (auto& members : by_class) {
    shuffle(members, fold_rng);
    for (Eigen::Index i : members) fold_of[static_cast<std::size_t>(i)] = position++ % k;
  }
  std::vector<Fold> folds;
  for (std::size_t f = 0; f < k; ++f) {
    std::vector<Eigen::Index> train, test;
    for (std::size_t i = 0; i < n; ++i) (fold_of[i] == f ? test : train).push_back(static_cast<Eigen::Index>(i));
    folds.push_back(prepare_fold(X, std::move(train), std::move(test), o.ridge));
  }

  DecodingResult r;
  r.trials = n;
  r.features = static_cast<std::size_t>(X.cols());
  r.balanced_accuracy = balanced_accuracy(folds, labels);
  std::vector<double> null;
  std::vector<int> permuted = labels;
  std::size_t at_least = 0;
  for (int s = 0; s < o.shuffles; ++s) {
    permuted = labels;
    shuffle(permuted, shuffle_rng);
    null.push_back(balanced_accuracy(folds, permuted));
    if (null.back() >= r.balanced_accuracy) ++at_least;
  }
  r.null_mean = null.empty() ? nan : mean(null);
  r.null_sd = null.size() > 1 ? sample_sd(null) : nan;
  r.p = static_cast<double>(1 + at_least) / static_cast<double>(1 + null.size());
  return r;
}

DecodingSummary decode_outcome(const Cohort& cohort, const std::vector<SdSession>& sd, const DecodingOptions& o) {
  if (sd.size() != cohort.sessions.size())
    throw std::invalid_argument("decode_outcome: one SdSession per session is required");
  std::map<std::pair<std::string, std::int32_t>, std::vector<std::size_t>> units;
  for (std::size_t si = 0; si < cohort.sessions.size(); ++si)
    units[{cohort.sessions[si].mouse_id, cohort.sessions[si].day}].push_back(si);

  DecodingSummary out;
  const std::size_t need = std::max<std::size_t>(o.min_trials_per_class, static_cast<std::size_t>(std::max(o.folds, 2)));
  for (const auto& [key, members] : units) {
    std::vector<std::int32_t> ids;
    for (std::size_t si : members)
      for (const SdNeuron& n : sd[si].neurons)
        if (n.fitted) ids.push_back(n.neuron_id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());

    std::vector<std::vector<double>> pre_rows, post_rows;
    std::vector<int> labels;
    for (std::size_t si : members) {
      const Session& s = cohort.sessions[si];
      const auto w = static_cast<std::int64_t>(std::lround(o.window_s * s.frame_rate_hz));
      std::vector<std::int64_t> ends;
      for (const Trial& t : s.trials) {
        if (t.outcome == Outcome::incomplete || t.end_frame - w < 0 ||
            t.end_frame + w > static_cast<std::int64_t>(s.frames()) || !passes(o.opto, s.opto_on(t.end_frame)))
          continue;
        ends.push_back(t.end_frame);
        labels.push_back(t.outcome == Outcome::hit ? 1 : 0);
      }
      // Sums and counts per (trial, feature), later turned into means.
      std::vector<std::vector<double>> pre_sum(ends.size(), std::vector<double>(ids.size(), 0.0)), post_sum = pre_sum;
      std::vector<std::vector<double>> pre_n = pre_sum, post_n = pre_sum;
      for (const SdNeuron& n : sd[si].neurons) {
        if (!n.fitted) continue;
        const auto j = static_cast<std::size_t>(std::lower_bound(ids.begin(), ids.end(), n.neuron_id) - ids.begin());
        for (const SdEvent& e : n.events) {
          if (!std::isfinite(e.residual_z)) continue;
          // post: end ≤ f < end + w  ⇔  end ∈ (f − w, f];  pre: end − w ≤ f < end  ⇔  end ∈ (f, f + w]
          for (auto it = std::upper_bound(ends.begin(), ends.end(), e.frame - w); it != ends.end() && *it <= e.frame; ++it) {
            const auto t = static_cast<std::size_t>(it - ends.begin());
            post_sum[t][j] += e.residual_z;
            post_n[t][j] += 1;
          }
          for (auto it = std::upper_bound(ends.begin(), ends.end(), e.frame); it != ends.end() && *it <= e.frame + w; ++it) {
            const auto t = static_cast<std::size_t>(it - ends.begin());
            pre_sum[t][j] += e.residual_z;
            pre_n[t][j] += 1;
          }
        }
      }
      for (std::size_t t = 0; t < ends.size(); ++t) {
        for (std::size_t j = 0; j < ids.size(); ++j) {
          if (pre_n[t][j] > 0) pre_sum[t][j] /= pre_n[t][j];
          if (post_n[t][j] > 0) post_sum[t][j] /= post_n[t][j];
        }
        pre_rows.push_back(std::move(pre_sum[t]));
        post_rows.push_back(std::move(post_sum[t]));
      }
    }

    UnitDecoding u;
    u.mouse_id = key.first;
    u.day = key.second;
    u.hits = static_cast<std::size_t>(std::count(labels.begin(), labels.end(), 1));
    u.misses = labels.size() - u.hits;
    if (u.hits < need || u.misses < need) continue;
    auto to_matrix = [&](const std::vector<std::vector<double>>& rows) {
      Grid X(rows.size(), ids.size());
      for (std::size_t t = 0; t < rows.size(); ++t)
        for (std::size_t j = 0; j < ids.size(); ++j) X(t, j) = rows[t][j];
      return X;
    };
    u.pre = decode_binary(to_matrix(pre_rows), labels, o, unit_key(u.mouse_id, u.day, 0));
    u.post = decode_binary(to_matrix(post_rows), labels, o, unit_key(u.mouse_id, u.day, 1));
    out.units.push_back(u);
  }

  std::vector<double> pre, post, pre_null, post_null;
  std::size_t significant = 0;
  for (const UnitDecoding& u : out.units) {
    pre.push_back(u.pre.balanced_accuracy);
    post.push_back(u.post.balanced_accuracy);
    pre_null.push_back(u.pre.null_mean);
    post_null.push_back(u.post.null_mean);
    if (u.post.p < 0.05) ++significant;
  }
  out.pre_mean = mean(pre);
  out.post_mean = mean(post);
  out.pre_null_mean = mean(pre_null);
  out.post_null_mean = mean(post_null);
  out.pre_vs_null = t_test_paired(pre, pre_null);
  out.post_vs_null = t_test_paired(post, post_null);
  out.post_vs_pre = t_test_paired(post, pre);
  out.fraction_post_significant = out.units.empty() ? nan : static_cast<double>(significant) / static_cast<double>(out.units.size());
  return out;
}

}  // namespace apical::analysis
