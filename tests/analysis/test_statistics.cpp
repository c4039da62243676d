// Correlations and t-tests against SciPy 1.10.1 (tests/analysis/make_reference.py prints the numbers:
// scipy.stats.pearsonr, spearmanr, ttest_1samp, ttest_rel, ttest_ind(equal_var=False); the partial
// correlation from NumPy residuals of polyfit).
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "apical/analysis/statistics.hpp"

using namespace apical::analysis;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

struct Data {
  std::vector<double> x{1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<double> y, z{0.5, 0.1, 0.9, 0.4, 0.8, 0.2, 0.7, 0.3};
  Data() {
    const double base[] = {2.1, 3.9, 6.2, 7.8, 9.9, 12.2, 13.8, 16.5};
    for (std::size_t i = 0; i < 8; ++i) y.push_back(base[i] - 0.3 * x[i] * x[i] + static_cast<double>(i % 2));
  }
};

}  // namespace

TEST_CASE("correlations match SciPy", "[analysis][statistics]") {
  const Data d;
  const Correlation p = pearson(d.x, d.y);
  CHECK_THAT(p.r, WithinRel(-0.72008463096734543, 1e-12));
  CHECK_THAT(p.p, WithinRel(0.043963793391684228, 1e-9));
  CHECK(p.n == 8);
  const Correlation s = spearman(d.x, d.y);
  CHECK_THAT(s.r, WithinRel(-0.56288434309923174, 1e-12));
  CHECK_THAT(s.p, WithinRel(0.14633153260555043, 1e-9));
  const Correlation pp = partial_pearson(d.x, d.y, d.z);
  CHECK_THAT(pp.r, WithinRel(-0.72075274954583179, 1e-12));
  CHECK_THAT(pp.p, WithinRel(0.067633423057861228, 1e-9));
}

TEST_CASE("t-tests match SciPy", "[analysis][statistics]") {
  const Data d;
  const TTest one = t_test_one_sample(d.y, 3.0);
  CHECK_THAT(one.t, WithinRel(-1.4662012798021289, 1e-12));
  CHECK_THAT(one.p, WithinRel(0.18602267627829686, 1e-9));
  CHECK(one.df == 7);
  const TTest paired = t_test_paired(d.y, d.z);
  CHECK_THAT(paired.t, WithinRel(1.857887898015121, 1e-12));
  CHECK_THAT(paired.p, WithinRel(0.10553819622812849, 1e-9));
  const std::vector<double> z5(d.z.begin(), d.z.begin() + 5);
  const TTest welch = t_test_welch(d.y, z5);
  CHECK_THAT(welch.t, WithinRel(1.780469046614874, 1e-12));
  CHECK_THAT(welch.p, WithinRel(0.11534473717218482, 1e-9));
}

TEST_CASE("missing values are skipped and degenerate inputs give NaN", "[analysis][statistics]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> x{1, 2, nan, 4}, y{2, 4, 5, nan};
  CHECK(count_finite(x) == 3);
  CHECK_THAT(mean(x), WithinRel(7.0 / 3.0, 1e-15));
  const Correlation c = pearson(x, y);  // pairs (1,2), (2,4)
  CHECK(c.n == 2);
  CHECK(std::isnan(c.p));               // no degrees of freedom left
  CHECK(std::isnan(pearson(std::vector<double>{1, 1, 1}, std::vector<double>{1, 2, 3}).r));
  CHECK(std::isnan(sem(std::vector<double>{1.0})));
  const LineFit f = fit_line(std::vector<double>{0, 1, 2, nan}, std::vector<double>{1, 3, 5, 100});
  CHECK_THAT(f.slope, WithinRel(2.0, 1e-14));
  CHECK_THAT(f.intercept, WithinAbs(1.0, 1e-14));
  CHECK(f.n == 3);
}
