// Repeated-measures ANOVA (experiment.md §8) against worked examples.
//
// Sources of the reference numbers:
//  * "3 × 3 by hand": computed on paper, below.
//  * The 6 × 4 one-way and 5 × 3 × 4 two-way data sets are invented for this test; their F, p and
//    Greenhouse–Geisser ε come from tests/analysis/make_reference.py (NumPy 1.24.2, SciPy 1.10.1),
//    which gets the sums of squares by other routes than the C++ code: least-squares model comparison
//    (one-way) and Kronecker-product projections (two-way), ε on a random QR contrast basis.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "apical/analysis/rm_anova.hpp"

using namespace apical::analysis;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

TEST_CASE("one-way RM ANOVA: a 3 × 3 example worked by hand", "[analysis][anova]") {
  // Subjects (rows) × conditions (columns). Grand mean 4; condition means 2, 4, 6; subject means all 4.
  // SS_cond = 3·((2−4)² + 0 + (6−4)²) = 24, SS_subj = 0, SS_total = 8 + 18 + 2 = 28, SS_err = 4.
  // df = 2 and 4, F = (24/2)/(4/4) = 12. For F(2, d), P(F ≥ f) = (1 + 2f/d)^(−d/2) = 7⁻² = 1/49.
  const Grid y{{2, 4, 6},  //
               {1, 4, 7},  //
               {3, 4, 5}};
  const OneWayRmAnova a = rm_anova_oneway(y);
  CHECK(a.subjects == 3);
  CHECK(a.levels == 3);
  CHECK_THAT(a.condition.ss_effect, WithinRel(24.0, 1e-14));
  CHECK_THAT(a.condition.ss_error, WithinRel(4.0, 1e-13));
  CHECK(a.condition.df_effect == 2.0);
  CHECK(a.condition.df_error == 4.0);
  CHECK_THAT(a.condition.F, WithinRel(12.0, 1e-13));
  CHECK_THAT(a.condition.p, WithinRel(1.0 / 49.0, 1e-12));
}

TEST_CASE("one-way RM ANOVA: 6 subjects × 4 conditions against NumPy/SciPy", "[analysis][anova]") {
  const Grid y{{45, 50, 55, 58},  //
               {42, 42, 45, 47},  //
               {36, 41, 43, 49},  //
               {39, 35, 40, 42},  //
               {51, 55, 59, 62},  //
               {44, 49, 56, 58}};
  const OneWayRmAnova a = rm_anova_oneway(y);
  CHECK_THAT(a.condition.ss_effect, WithinRel(346.79166666666663, 1e-12));
  CHECK_THAT(a.condition.ss_error, WithinRel(75.458333333333371, 1e-12));
  CHECK(a.condition.df_effect == 3.0);
  CHECK(a.condition.df_error == 15.0);
  CHECK_THAT(a.condition.F, WithinRel(22.979017117614568, 1e-12));
  CHECK_THAT(a.condition.p, WithinRel(7.3202358767768935e-06, 1e-9));
  CHECK_THAT(a.condition.epsilon_gg, WithinRel(0.43236355693044842, 1e-12));
  CHECK_THAT(a.condition.p_gg, WithinRel(0.0018224501919039866, 1e-9));
}

namespace {

std::vector<Grid> twoway_data() {
  // make_reference.py, "twoway data": subjects × A (3) × B (4).
  const double v[5][3][4] = {
      {{12.1, 14.1, 13.9, 10.5}, {8.7, 12.9, 15.8, 16.9}, {16.6, 14.8, 14.9, 11.9}},
      {{7.8, 13.8, 11.7, 14.0}, {8.7, 11.9, 11.5, 14.3}, {14.8, 10.3, 12.5, 13.7}},
      {{8.7, 10.3, 11.2, 13.2}, {10.6, 13.3, 14.2, 16.7}, {13.4, 16.6, 12.3, 15.8}},
      {{9.2, 8.9, 14.0, 11.5}, {10.7, 10.0, 9.9, 17.2}, {10.7, 14.9, 17.3, 13.2}},
      {{7.7, 11.6, 13.1, 11.9}, {11.5, 15.5, 16.6, 17.3}, {11.3, 13.2, 14.8, 13.0}}};
  std::vector<Grid> y;
  for (const auto& s : v) {
    Grid m(3, 4);
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 4; ++j) m(i, j) = s[i][j];
    y.push_back(m);
  }
  return y;
}

}  // namespace

TEST_CASE("two-way RM ANOVA: 5 subjects × 3 × 4 against NumPy/SciPy", "[analysis][anova]") {
  const TwoWayRmAnova a = rm_anova_twoway(twoway_data());
  CHECK_THAT(a.a.ss_effect, WithinRel(59.241333333334616, 1e-10));
  CHECK_THAT(a.a.ss_error, WithinRel(35.818666666666651, 1e-10));
  CHECK_THAT(a.a.F, WithinRel(6.6156938653962154, 1e-10));
  CHECK_THAT(a.a.p, WithinRel(0.020157952698377318, 1e-8));
  CHECK(a.a.df_effect == 2.0);
  CHECK(a.a.df_error == 8.0);
  CHECK_THAT(a.b.F, WithinRel(10.232369014977813, 1e-10));
  CHECK_THAT(a.b.p, WithinRel(0.0012588989965403557, 1e-8));
  CHECK(a.b.df_error == 12.0);
  CHECK_THAT(a.interaction.ss_effect, WithinRel(57.13466666666632, 1e-10));
  CHECK_THAT(a.interaction.ss_error, WithinRel(89.411999999999949, 1e-10));
  CHECK_THAT(a.interaction.F, WithinRel(2.556017835040771, 1e-10));
  CHECK_THAT(a.interaction.p, WithinRel(0.046658844556483302, 1e-8));
  CHECK(a.interaction.df_effect == 6.0);
  CHECK(a.interaction.df_error == 24.0);
  CHECK_THAT(a.a.epsilon_gg, WithinRel(0.79400540425700228, 1e-10));
  CHECK_THAT(a.b.epsilon_gg, WithinRel(0.74560773393096058, 1e-10));
  CHECK_THAT(a.interaction.epsilon_gg, WithinRel(0.38635129530735135, 1e-10));
}

TEST_CASE("a two-way main effect equals the one-way ANOVA on the means over the other factor", "[analysis][anova]") {
  // MS_A and MS_{A×S} both scale by b when B is averaged out, so F and its dfs are unchanged.
  const std::vector<Grid> y = twoway_data();
  Grid means_a(5, 3), means_b(5, 4);
  for (std::size_t s = 0; s < 5; ++s)
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 4; ++j) {
        means_a(s, i) += y[s](i, j) / 4.0;
        means_b(s, j) += y[s](i, j) / 3.0;
      }
  const TwoWayRmAnova two = rm_anova_twoway(y);
  CHECK_THAT(rm_anova_oneway(means_a).condition.F, WithinRel(two.a.F, 1e-12));
  CHECK_THAT(rm_anova_oneway(means_b).condition.F, WithinRel(two.b.F, 1e-12));
  CHECK_THAT(rm_anova_oneway(means_a).condition.epsilon_gg, WithinRel(two.a.epsilon_gg, 1e-12));
}

TEST_CASE("RM ANOVA rejects malformed input", "[analysis][anova]") {
  CHECK_THROWS_AS(rm_anova_oneway(Grid(1, 3, 1.0)), std::invalid_argument);
  Grid y(3, 3, 1.0);
  y(1, 1) = std::nan("");
  CHECK_THROWS_AS(rm_anova_oneway(y), std::invalid_argument);
  CHECK_THROWS_AS(rm_anova_twoway({Grid(2, 2, 1.0), Grid(2, 3, 1.0)}), std::invalid_argument);
  CHECK_THROWS_AS((Grid{{1, 2}, {3}}), std::invalid_argument);
}
