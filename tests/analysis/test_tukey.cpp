// The studentised range distribution and Tukey's HSD after the RM ANOVA (experiment.md §8).
//
// Sources of the reference numbers:
//  * Quantiles: H. L. Harter (1960), "Tables of range and studentized range", Ann. Math. Statist.
//    31:1122–1147 (4 significant figures, "accurate to within a unit in the last place"), as
//    reprinted in the usual textbook tables. Tolerance 1.5e-3: that unit plus half a unit of rounding.
//    make_tukey_reference.py integrates P at the printed values independently: 0.950013 (3.877),
//    0.950010 (4.232), 0.989998 (5.270).
//  * Exact relations: for k = 2, Q = |Z₁ − Z₂|/s = √2·|T_ν|; and E[Q] = E[R]·E[1/s] with E[R] = 3/√π for
//    the range of 3 standard normals (twice the mean of their maximum, 3/(2√π)) and
//    E[1/s] = √(ν/2)·Γ((ν − 1)/2)/Γ(ν/2) for s = χ_ν/√ν.
//  * Tukey p-values: tests/analysis/make_tukey_reference.py (standard library only), which integrates
//    the lower tail by Simpson's rule on fixed grids, unlike the adaptive upper-tail integral here.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "apical/analysis/rm_anova.hpp"
#include "apical/analysis/statistics.hpp"
#include "apical/analysis/studentised_range.hpp"

using namespace apical::analysis;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

constexpr double infinite_df = std::numeric_limits<double>::infinity();

// Composite Simpson rule over [0, to] with n (even) intervals.
template <class F>
double simpson(F f, double to, int n) {
  const double h = to / n;
  double sum = f(0.0) + f(to);
  for (int i = 1; i < n; ++i) sum += (i % 2 ? 4.0 : 2.0) * f(i * h);
  return sum * h / 3.0;
}

}  // namespace

TEST_CASE("studentised range quantiles match the published table", "[analysis][tukey]") {
  CHECK_THAT(studentised_range_quantile(0.95, 3, 10), WithinAbs(3.877, 1.5e-3));
  CHECK_THAT(studentised_range_quantile(0.95, 5, 20), WithinAbs(4.232, 1.5e-3));
  CHECK_THAT(studentised_range_quantile(0.99, 3, 10), WithinAbs(5.270, 1.5e-3));
  CHECK_THAT(studentised_range_quantile(0.95, 2, infinite_df), WithinAbs(2.772, 1.5e-3));
}

TEST_CASE("for two means the studentised range is √2 times Student's t", "[analysis][tukey]") {
  for (double df : {1.0, 3.0, 10.0, 60.0, infinite_df})
    for (double q : {0.5, 2.0, 4.0, 12.0}) {
      CAPTURE(df, q);
      const double t_tail = std::isinf(df) ? std::erfc(q / 2.0) : t_two_sided(q / std::sqrt(2.0), df);
      CHECK_THAT(studentised_range_upper_tail(q, 2, df), WithinRel(t_tail, 1e-8));
      CHECK_THAT(studentised_range_cdf(q, 2, df), WithinAbs(1.0 - t_tail, 1e-9));
    }
  // q_0.95(2, 10) = √2 · t_0.975(10), t_0.975(10) = 2.2281388519862742 (mpmath 1.3, 30 digits).
  CHECK_THAT(studentised_range_quantile(0.95, 2, 10), WithinRel(std::sqrt(2.0) * 2.2281388519862742, 1e-8));
}

TEST_CASE("the mean of the studentised range of 3 is 3/√π · E[1/s]", "[analysis][tukey]") {
  const double mean_range = 3.0 / std::sqrt(std::numbers::pi);
  // E[Q] = ∫ P(Q ≥ q) dq; the part beyond the upper limit is below 1e-15 (ν = ∞) and 1e-9 (ν = 10,
  // where P(Q ≥ 40) = 2e-10). Measured relative errors: 4e-16 and 5e-10.
  const double infinite = simpson([](double q) { return studentised_range_upper_tail(q, 3, infinite_df); }, 12.0, 120);
  CHECK_THAT(infinite, WithinRel(mean_range, 1e-9));
  const double nu = 10.0;
  const double inverse_s = std::sqrt(nu / 2.0) * std::tgamma((nu - 1.0) / 2.0) / std::tgamma(nu / 2.0);
  const double finite = simpson([nu](double q) { return studentised_range_upper_tail(q, 3, nu); }, 40.0, 200);
  CHECK_THAT(finite, WithinRel(mean_range * inverse_s, 2e-9));
}

TEST_CASE("the studentised range's two tails add to 1 and reject bad arguments", "[analysis][tukey]") {
  for (double q : {0.3, 3.0, 6.0})
    CHECK_THAT(studentised_range_cdf(q, 5, 12) + studentised_range_upper_tail(q, 5, 12), WithinAbs(1.0, 1e-9));
  CHECK(studentised_range_cdf(0.0, 3, 10) == 0.0);
  CHECK(studentised_range_upper_tail(-1.0, 3, 10) == 1.0);
  CHECK(studentised_range_upper_tail(std::numeric_limits<double>::infinity(), 3, 10) == 0.0);
  CHECK(std::isnan(studentised_range_cdf(1.0, 1, 10)));   // k < 2
  CHECK(std::isnan(studentised_range_cdf(1.0, 2.5, 10)));  // k not whole
  CHECK(std::isnan(studentised_range_upper_tail(1.0, 3, 0)));
  CHECK(std::isnan(studentised_range_quantile(1.0, 3, 10)));
  // Far tails keep their relative precision (no 1 − P cancellation): q = 20 at ν = ∞ is ~1e-44.
  const double far = studentised_range_upper_tail(20.0, 3, infinite_df);
  CHECK(far > 0.0);
  CHECK(far < 1e-40);
}

TEST_CASE("Tukey HSD after a one-way RM ANOVA: a 4 × 3 example by hand", "[analysis][tukey]") {
  // Level means 2, 3, 5.5; grand mean 3.5. SS_total 31, SS_cond 4·(2.25 + 0.25 + 4) = 26,
  // SS_subj 3·(0.25 + 1/36 + 0.25 + 1/36) = 5/3, so SS_err = 10/3, df 6, MS_err = 5/9 and the standard
  // error of a level mean √(5/9/4) = √5/6: q = 6/√5, 21/√5, 15/√5. p from make_tukey_reference.py.
  const Grid y{{1, 3, 5}, {2, 2, 6}, {3, 4, 5}, {2, 3, 6}};
  const OneWayRmAnova a = rm_anova_oneway(y);
  CHECK(a.level_means == std::vector<double>{2.0, 3.0, 5.5});
  REQUIRE(a.tukey.size() == 3);
  const double q[] = {6.0 / std::sqrt(5.0), 21.0 / std::sqrt(5.0), 15.0 / std::sqrt(5.0)};
  const double p[] = {0.219513403271, 0.0013700101026, 0.00759169817343};
  const std::size_t first[] = {0, 0, 1}, second[] = {1, 2, 2};
  const double difference[] = {1.0, 3.5, 2.5};
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(a.tukey[i].first == first[i]);
    CHECK(a.tukey[i].second == second[i]);
    CHECK_THAT(a.tukey[i].difference, WithinRel(difference[i], 1e-14));
    CHECK_THAT(a.tukey[i].q, WithinRel(q[i], 1e-12));
    CHECK_THAT(a.tukey[i].p, WithinRel(p[i], 1e-7));
  }
}

TEST_CASE("Tukey HSD after a one-way RM ANOVA: 6 × 4 against the reference script", "[analysis][tukey]") {
  // The data of test_rm_anova.cpp; MS_err = 75.458333/15 = 5.0305556.
  const Grid y{{45, 50, 55, 58}, {42, 42, 45, 47}, {36, 41, 43, 49},
               {39, 35, 40, 42}, {51, 55, 59, 62}, {44, 49, 56, 58}};
  const OneWayRmAnova a = rm_anova_oneway(y);
  REQUIRE(a.tukey.size() == 6);
  const double q[] = {2.730282962987356, 7.462773432165435, 10.739112987750262,
                      4.732490469178079, 8.008830024762906, 3.276339555584827};
  const double p[] = {0.257170499852, 0.000483262680194, 8.7967438881e-06, 0.0205366465805, 0.00023646066264,
                      0.138230214638};
  for (std::size_t i = 0; i < 6; ++i) {
    CAPTURE(i);
    CHECK_THAT(a.tukey[i].q, WithinRel(q[i], 1e-12));
    CHECK_THAT(a.tukey[i].p, WithinRel(p[i], 1e-7));
  }
}

TEST_CASE("Tukey on a two-way main effect equals Tukey on the subjects' means over the other factor",
          "[analysis][tukey]") {
  // MS_{A×S} and the n behind each A mean both scale by b when B is averaged out, so q is unchanged.
  std::vector<Grid> y;
  const double v[4][3][2] = {{{1.0, 1.4}, {2.2, 2.0}, {3.1, 3.9}},
                             {{0.8, 1.1}, {2.9, 2.4}, {2.6, 3.0}},
                             {{1.5, 0.9}, {1.8, 2.6}, {3.3, 3.4}},
                             {{1.2, 1.6}, {2.5, 2.1}, {2.7, 3.6}}};
  Grid means(4, 3);
  for (std::size_t s = 0; s < 4; ++s) {
    Grid m(3, 2);
    for (std::size_t i = 0; i < 3; ++i) {
      for (std::size_t j = 0; j < 2; ++j) m(i, j) = v[s][i][j];
      means(s, i) = (v[s][i][0] + v[s][i][1]) / 2.0;
    }
    y.push_back(m);
  }
  const TwoWayRmAnova two = rm_anova_twoway(y);
  const OneWayRmAnova one = rm_anova_oneway(means);
  REQUIRE(two.tukey_a.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK_THAT(two.tukey_a[i].difference, WithinAbs(one.tukey[i].difference, 1e-14));
    CHECK_THAT(two.tukey_a[i].q, WithinRel(one.tukey[i].q, 1e-12));
    CHECK_THAT(two.tukey_a[i].p, WithinRel(one.tukey[i].p, 1e-9));
  }
}

TEST_CASE("Tukey HSD without error variance", "[analysis][tukey]") {
  const std::vector<double> means{1.0, 1.0, 2.0};
  const std::vector<PairwiseComparison> t = tukey_hsd(means, 0.0, 4.0, 3.0);
  REQUIRE(t.size() == 3);
  CHECK(std::isnan(t[0].p));  // equal means: undefined
  CHECK(std::isinf(t[1].q));
  CHECK(t[1].p == 0.0);
  CHECK(tukey_hsd(std::vector<double>{1.0}, 1.0, 4.0, 3.0).empty());
}
