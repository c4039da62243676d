// SessionRecord (models/bci) carries what apical::analysis::Session needs, field for field: the io
// layer's copy passes analysis::validate(), and the analysis's accuracy and rewards/min agree with the
// simulation's own; both chance levels are carried over.
#include <catch2/catch.hpp>
#include <cmath>

#include "apical/analysis/learning_curves.hpp"
#include "apical/analysis/session.hpp"
#include "apical/io/session_conversion.hpp"
#include "bci_test_support.hpp"

using namespace apical;

TEST_CASE("a simulated session converts to a valid analysis::Session", "[bci][analysis]") {
  bci::ExperimentSpec spec = bci::test::small_spec("R3", 2, 3.0);
  spec.schedule.calibration_min = 3.0;
  spec.manipulations.opto.kind = bci::OptoKind::light_only;  // alternate days from day 2
  spec.loop.chance_repetitions = 20;
  const bci::MouseRecord mouse = bci::simulate_mouse(spec, 0);
  analysis::Cohort cohort;
  for (const bci::SessionRecord& s : mouse.sessions) {
    analysis::Session a = to_analysis_session(s);
    REQUIRE_NOTHROW(analysis::validate(a));
    CHECK(analysis::session_accuracy(a) == Approx(s.accuracy));
    CHECK(analysis::session_rewards_per_min(a) == Approx(s.rewards_per_min));
    CHECK(a.opto_on(10) == (s.day == 2));
    CHECK(std::isfinite(a.chance_baseline));
    CHECK(a.chance_baseline == s.chance_baseline);
    CHECK(a.chance == s.chance);
    cohort.sessions.push_back(std::move(a));
  }
  REQUIRE_NOTHROW(analysis::validate(cohort));
}
