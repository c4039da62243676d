#pragma once
// Descriptive statistics, correlations, straight-line fits and t-tests used across the analyses
// (experiment.md §8). Every function skips non-finite values (NaN = missing); paired functions skip a
// pair when either member is missing. A statistic that cannot be formed (too few values, zero
// variance) is NaN, never an exception. p-values come from Boost.Math distributions.
#include <cstddef>
#include <span>

namespace apical::analysis {

[[nodiscard]] std::size_t count_finite(std::span<const double> x);
[[nodiscard]] double mean(std::span<const double> x);            // NaN if no finite value
[[nodiscard]] double sample_sd(std::span<const double> x);       // n − 1 denominator; NaN if n < 2
[[nodiscard]] double sem(std::span<const double> x);             // sample_sd / √n (s.e.m. across mice, §8)

struct Correlation {
  double r = 0.0;     // coefficient, in [−1, 1]
  double p = 1.0;     // two-sided, from t = r √((n − 2 − c)/(1 − r²)) with n − 2 − c df (c = controls)
  std::size_t n = 0;  // complete cases used
};

// Pearson product-moment correlation.
[[nodiscard]] Correlation pearson(std::span<const double> x, std::span<const double> y);
// Spearman rank correlation: Pearson on mid-ranks (ties share their mean rank).
[[nodiscard]] Correlation spearman(std::span<const double> x, std::span<const double> y);
// Partial Pearson correlation of x and y controlling for z: the correlation of the residuals of x and
// of y after each is regressed on z (experiment.md §9 T12, "controlling for baseline rate").
[[nodiscard]] Correlation partial_pearson(std::span<const double> x, std::span<const double> y,
                                          std::span<const double> z);

// Ordinary least squares y = intercept + slope·x.
struct LineFit {
  double intercept = 0.0, slope = 0.0;
  double rss = 0.0;         // Σ (y − ŷ)²
  std::size_t n = 0;
};
[[nodiscard]] LineFit fit_line(std::span<const double> x, std::span<const double> y);

struct TTest {
  double mean = 0.0;   // mean (one-sample, paired: of the differences) or mean difference x − y (Welch)
  double t = 0.0;
  double df = 0.0;
  double p = 1.0;      // two-sided
  std::size_t n = 0;   // values (one-sample), pairs (paired) or n_x + n_y (Welch)
};
[[nodiscard]] TTest t_test_one_sample(std::span<const double> x, double mu0 = 0.0);
[[nodiscard]] TTest t_test_paired(std::span<const double> x, std::span<const double> y);
// Unequal-variance (Welch) two-sample test with Welch–Satterthwaite df.
[[nodiscard]] TTest t_test_welch(std::span<const double> x, std::span<const double> y);

// Upper tail P(F ≥ f) of the F(df1, df2) distribution; NaN for non-finite input.
[[nodiscard]] double f_upper_tail(double f, double df1, double df2);
// Two-sided P(|T| ≥ |t|) of Student's t with df degrees of freedom.
[[nodiscard]] double t_two_sided(double t, double df);

}  // namespace apical::analysis
