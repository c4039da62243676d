#include "apical/analysis/rm_anova.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <Eigen/Dense>

#include "apical/analysis/statistics.hpp"
#include "apical/analysis/studentised_range.hpp"

namespace apical::analysis {

namespace {

Eigen::MatrixXd to_eigen(const Grid& g) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(g.rows), static_cast<Eigen::Index>(g.cols));
  for (std::size_t r = 0; r < g.rows; ++r)
    for (std::size_t c = 0; c < g.cols; ++c) m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = g(r, c);
  return m;
}

// m × (m − 1) orthonormal Helmert contrasts: columns orthogonal to each other and to the ones vector.
Eigen::MatrixXd helmert(Eigen::Index m) {
  Eigen::MatrixXd c = Eigen::MatrixXd::Zero(m, m - 1);
  for (Eigen::Index j = 0; j + 1 < m; ++j) {
    const double norm = std::sqrt(static_cast<double>((j + 1) * (j + 2)));
    for (Eigen::Index i = 0; i <= j; ++i) c(i, j) = 1.0 / norm;
    c(j + 1, j) = -static_cast<double>(j + 1) / norm;
  }
  return c;
}

// ε̂ of the subjects' scores projected on orthonormal contrasts C.
double epsilon_of(const Eigen::MatrixXd& scores, const Eigen::MatrixXd& contrasts) {
  const Eigen::Index q = contrasts.cols();
  if (q < 1 || scores.rows() < 2) return 1.0;
  const Eigen::MatrixXd z = scores * contrasts;
  const Eigen::MatrixXd centred = z.rowwise() - z.colwise().mean();
  const Eigen::MatrixXd s = centred.transpose() * centred / static_cast<double>(scores.rows() - 1);
  const double tr = s.trace(), tr2 = (s * s).trace();
  if (!(tr2 > 0.0)) return 1.0;
  const double eps = tr * tr / (static_cast<double>(q) * tr2);
  return std::clamp(eps, 1.0 / static_cast<double>(q), 1.0);
}

AnovaEffect effect(double ss_effect, double df_effect, double ss_error, double df_error, double epsilon) {
  AnovaEffect e;
  e.ss_effect = ss_effect;
  e.ss_error = ss_error;
  e.df_effect = df_effect;
  e.df_error = df_error;
  e.epsilon_gg = epsilon;
  const double ms_error = ss_error / df_error;
  if (ms_error > 0.0) {
    e.F = (ss_effect / df_effect) / ms_error;
    e.p = f_upper_tail(e.F, df_effect, df_error);
    e.p_gg = f_upper_tail(e.F, epsilon * df_effect, epsilon * df_error);
  } else if (ss_effect > 0.0) {  // no within-subject noise at all: the effect is exact
    e.F = std::numeric_limits<double>::infinity();
    e.p = e.p_gg = 0.0;
  } else {
    e.F = e.p = e.p_gg = std::numeric_limits<double>::quiet_NaN();
  }
  return e;
}

void require_finite(const Eigen::MatrixXd& m, const char* what) {
  if (!m.allFinite()) throw std::invalid_argument(std::string(what) + ": every entry must be finite (drop incomplete subjects)");
}

}  // namespace

std::vector<PairwiseComparison> tukey_hsd(std::span<const double> means, double ms_error, double df_error,
                                          double n_per_mean) {
  const double k = static_cast<double>(means.size());
  const double standard_error = std::sqrt(ms_error / n_per_mean);
  std::vector<PairwiseComparison> out;
  for (std::size_t i = 0; i < means.size(); ++i)
    for (std::size_t j = i + 1; j < means.size(); ++j) {
      PairwiseComparison c;
      c.first = i;
      c.second = j;
      c.difference = means[j] - means[i];
      if (standard_error > 0.0) {
        c.q = std::abs(c.difference) / standard_error;
        c.p = studentised_range_upper_tail(c.q, k, df_error);
      } else if (standard_error == 0.0 && c.difference != 0.0) {  // no within-subject noise: exact
        c.q = std::numeric_limits<double>::infinity();
        c.p = 0.0;
      } else {
        c.q = c.p = std::numeric_limits<double>::quiet_NaN();
      }
      out.push_back(c);
    }
  return out;
}

double greenhouse_geisser(const Grid& scores) {
  const Eigen::MatrixXd s = to_eigen(scores);
  return epsilon_of(s, helmert(s.cols()));
}

OneWayRmAnova rm_anova_oneway(const Grid& grid) {
  const Eigen::MatrixXd y = to_eigen(grid);
  if (y.rows() < 2 || y.cols() < 2)
    throw std::invalid_argument("rm_anova_oneway: need at least 2 subjects and 2 levels, got " +
                                std::to_string(y.rows()) + " × " + std::to_string(y.cols()));
  require_finite(y, "rm_anova_oneway");
  const auto n = static_cast<double>(y.rows()), k = static_cast<double>(y.cols());
  const double grand = y.mean();
  const double ss_total = (y.array() - grand).square().sum();
  const double ss_cond = n * (y.colwise().mean().array() - grand).square().sum();
  const double ss_subj = k * (y.rowwise().mean().array() - grand).square().sum();
  OneWayRmAnova out;
  out.subjects = static_cast<std::size_t>(y.rows());
  out.levels = static_cast<std::size_t>(y.cols());
  out.condition = effect(ss_cond, k - 1.0, std::max(0.0, ss_total - ss_cond - ss_subj), (n - 1.0) * (k - 1.0),
                         epsilon_of(y, helmert(y.cols())));
  const Eigen::RowVectorXd level_means = y.colwise().mean();
  out.level_means.assign(level_means.data(), level_means.data() + level_means.size());
  out.tukey = tukey_hsd(out.level_means, out.condition.ss_error / out.condition.df_error, out.condition.df_error, n);
  return out;
}

TwoWayRmAnova rm_anova_twoway(const std::vector<Grid>& grids) {
  std::vector<Eigen::MatrixXd> y;
  for (const Grid& g : grids) y.push_back(to_eigen(g));
  if (y.size() < 2) throw std::invalid_argument("rm_anova_twoway: need at least 2 subjects");
  const Eigen::Index a = y[0].rows(), b = y[0].cols();
  if (a < 2 || b < 2) throw std::invalid_argument("rm_anova_twoway: need at least 2 levels of each factor");
  for (const auto& m : y) {
    if (m.rows() != a || m.cols() != b) throw std::invalid_argument("rm_anova_twoway: subjects differ in shape");
    require_finite(m, "rm_anova_twoway");
  }
  const auto n = static_cast<Eigen::Index>(y.size());
  const double dn = static_cast<double>(n), da = static_cast<double>(a), db = static_cast<double>(b);

  Eigen::MatrixXd cell = Eigen::MatrixXd::Zero(a, b);       // ȳ_·ab
  Eigen::MatrixXd subj_a(n, a), subj_b(n, b), subj_ab(n, a * b);
  Eigen::VectorXd subj(n);
  for (Eigen::Index s = 0; s < n; ++s) {
    cell += y[s];
    subj_a.row(s) = y[s].rowwise().mean().transpose();
    subj_b.row(s) = y[s].colwise().mean();
    subj(s) = y[s].mean();
    for (Eigen::Index i = 0; i < a; ++i)
      for (Eigen::Index j = 0; j < b; ++j) subj_ab(s, i * b + j) = y[s](i, j);
  }
  cell /= dn;
  const double grand = cell.mean();
  const Eigen::VectorXd mean_a = cell.rowwise().mean();
  const Eigen::RowVectorXd mean_b = cell.colwise().mean();

  double ss_a = 0, ss_b = 0, ss_ab = 0, ss_as = 0, ss_bs = 0, ss_abs = 0;
  for (Eigen::Index i = 0; i < a; ++i) ss_a += std::pow(mean_a(i) - grand, 2);
  for (Eigen::Index j = 0; j < b; ++j) ss_b += std::pow(mean_b(j) - grand, 2);
  for (Eigen::Index i = 0; i < a; ++i)
    for (Eigen::Index j = 0; j < b; ++j) ss_ab += std::pow(cell(i, j) - mean_a(i) - mean_b(j) + grand, 2);
  for (Eigen::Index s = 0; s < n; ++s) {
    for (Eigen::Index i = 0; i < a; ++i) ss_as += std::pow(subj_a(s, i) - mean_a(i) - subj(s) + grand, 2);
    for (Eigen::Index j = 0; j < b; ++j) ss_bs += std::pow(subj_b(s, j) - mean_b(j) - subj(s) + grand, 2);
    for (Eigen::Index i = 0; i < a; ++i)
      for (Eigen::Index j = 0; j < b; ++j)
        ss_abs += std::pow(y[s](i, j) - cell(i, j) - subj_a(s, i) - subj_b(s, j) + mean_a(i) + mean_b(j) +
                               subj(s) - grand,
                           2);
  }
  ss_a *= dn * db;
  ss_b *= dn * da;
  ss_ab *= dn;
  ss_as *= db;
  ss_bs *= da;

  const Eigen::MatrixXd ca = helmert(a), cb = helmert(b);
  Eigen::MatrixXd cab(a * b, (a - 1) * (b - 1));
  for (Eigen::Index i = 0; i < a; ++i)
    for (Eigen::Index j = 0; j < b; ++j)
      for (Eigen::Index p = 0; p < a - 1; ++p)
        for (Eigen::Index q = 0; q < b - 1; ++q) cab(i * b + j, p * (b - 1) + q) = ca(i, p) * cb(j, q);

  TwoWayRmAnova out;
  out.subjects = y.size();
  out.levels_a = static_cast<std::size_t>(a);
  out.levels_b = static_cast<std::size_t>(b);
  out.a = effect(ss_a, da - 1, ss_as, (da - 1) * (dn - 1), epsilon_of(subj_a, ca));
  out.b = effect(ss_b, db - 1, ss_bs, (db - 1) * (dn - 1), epsilon_of(subj_b, cb));
  out.interaction = effect(ss_ab, (da - 1) * (db - 1), ss_abs, (da - 1) * (db - 1) * (dn - 1), epsilon_of(subj_ab, cab));
  out.means_a.assign(mean_a.data(), mean_a.data() + mean_a.size());
  out.tukey_a = tukey_hsd(out.means_a, out.a.ss_error / out.a.df_error, out.a.df_error, dn * db);
  return out;
}

}  // namespace apical::analysis
