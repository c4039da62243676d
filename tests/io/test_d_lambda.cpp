// The d-lambda rule on cylinders, where lambda_f has a closed form, and the profile discretisation
// of a reconstructed section against the taper it reduces to.
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "apical/engine/d_lambda.hpp"

using namespace apical;
using Catch::Matchers::WithinRel;

namespace {

SectionSpec cylinder(double length_um, double diam_um) {
  SectionSpec s;
  s.name = "cyl";
  s.length_um = length_um;
  s.diam_start_um = s.diam_end_um = diam_um;
  s.Ra_ohm_cm = 100;
  s.cm_uF_per_cm2 = 1;
  return s;
}

}  // namespace

TEST_CASE("lambda_f of a cylinder has its closed form", "[morphology]") {
  // λ_f = ½·√(d/(π f R_a c_m)) in cm: d = 2e-4 cm, f = 100 Hz, R_a = 100 Ω·cm, c_m = 1e-6 F/cm².
  const double lambda_cm = 0.5 * std::sqrt(2e-4 / (std::numbers::pi * 100 * 100 * 1e-6));
  CHECK_THAT(lambda_f_um(2, 100, 1, 100), WithinRel(lambda_cm * 1e4, 1e-12));
  CHECK_THAT(electrotonic_length(cylinder(1000, 2), 100), WithinRel(1000 / (lambda_cm * 1e4), 1e-12));
}

TEST_CASE("the d-lambda segment count is the odd count that keeps segments under d_lambda", "[morphology]") {
  const double lambda = lambda_f_um(2, 100, 1, 100);  // 398.9 um
  const DLambdaRule rule{0.1, 100};
  for (double segments : {0.05, 1.0, 1.2, 3.0, 25.07, 40.5}) {
    const SectionSpec s = cylinder(segments * 0.1 * lambda, 2);
    const int nseg = d_lambda_nseg(s, rule);
    INFO("L = " << segments << " x d_lambda x lambda_f: nseg " << nseg);
    CHECK(nseg % 2 == 1);
    CHECK(nseg == 2 * static_cast<int>((segments + 0.9) / 2) + 1);
    // nseg >= L/(d_lambda λ) − 0.1, so no segment is longer than 1.1 d_lambda λ, and the rule adds
    // at most one segment pair beyond the count it needs.
    CHECK(s.length_um / nseg <= 1.1 * 0.1 * lambda * (1 + 1e-12));
    CHECK(nseg <= std::ceil(segments) + 2);
  }
  // Halving the frequency lengthens λ_f by √2: 25.07 segments' worth becomes 17.73, hence 19.
  CHECK(d_lambda_nseg(cylinder(25.07 * 0.1 * lambda, 2), DLambdaRule{0.1, 50}) == 19);
}

TEST_CASE("a profile sums the rule piece by piece", "[morphology]") {
  SectionSpec s = cylinder(300, 1);
  s.profile = {{0, 4}, {100, 4}, {300, 1}};
  s.diam_start_um = 4;
  const double expected =
      100 / lambda_f_um(4, 100, 1, 100) + 200 / lambda_f_um(2.5, 100, 1, 100);  // mean diameter per piece
  CHECK_THAT(electrotonic_length(s, 100), WithinRel(expected, 1e-12));
}

TEST_CASE("a section with a constant profile discretises as the cylinder", "[morphology]") {
  SectionSpec plain = cylinder(500, 2);
  plain.nseg = 5;
  SectionSpec profiled = plain;
  profiled.profile = {{0, 2}, {120, 2}, {120, 2}, {500, 2}};  // a repeated point adds nothing
  const Cable a = discretise(Morphology{{plain}});
  const Cable b = discretise(Morphology{{profiled}});
  REQUIRE(a.size() == b.size());
  for (std::size_t n = 0; n < a.size(); ++n) {
    CHECK_THAT(b.area_um2[n], WithinRel(a.area_um2[n], 1e-12));
    if (a.parent[n] >= 0) CHECK_THAT(b.g_axial_uS[n], WithinRel(a.g_axial_uS[n], 1e-12));
  }
}

TEST_CASE("a tapered profile has the frustum's area and resistance", "[morphology]") {
  SectionSpec s = cylinder(100, 4);
  s.diam_end_um = 2;
  s.profile = {{0, 4}, {100, 2}};
  const Cable cable = discretise(Morphology{{s}});
  const int seg = cable.segment_nodes[0][0], end = cable.end_node[0];
  CHECK_THAT(cable.area_um2[seg], WithinRel(std::numbers::pi * 3 * std::hypot(100, 1), 1e-12));
  // Proximal half 4 -> 3 um over 50 um, distal half 3 -> 2 um: R = 0.01 Ra 4 l / (pi d1 d2) MOhm.
  const double R = [](double d1, double d2) { return 0.01 * 100 * 4 * 50 / (std::numbers::pi * d1 * d2); }(3, 2);
  CHECK_THAT(1 / cable.g_axial_uS[end], WithinRel(R, 1e-12));
}
