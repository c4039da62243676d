// SessionRecord (models/bci) carries what apical::analysis::Session needs, field for field: the copy
// below passes analysis::validate(), and the analysis's accuracy and rewards/min agree with the
// simulation's own. The copy itself belongs in the io layer (it links both); it is spelled out here
// as the reference for that conversion.
#include <catch2/catch.hpp>
#include <cmath>

#include "apical/analysis/learning_curves.hpp"
#include "apical/analysis/session.hpp"
#include "bci_test_support.hpp"

using namespace apical;

namespace {

analysis::Role role_of(loop::Role r) {
  switch (r) {
    case loop::Role::plus: return analysis::Role::plus;
    case loop::Role::minus: return analysis::Role::minus;
    case loop::Role::zero: return analysis::Role::zero;
  }
  return analysis::Role::zero;
}

analysis::Session to_analysis(const bci::SessionRecord& s) {
  analysis::Session out;
  out.mouse_id = s.mouse_id;
  out.day = s.day;
  out.session = s.session;
  out.frame_rate_hz = s.frame_rate_hz;
  for (const bci::NeuronTrace& n : s.neurons) out.neurons.push_back({n.id, role_of(n.role), n.soma_dff, n.dendrite_dff});
  out.decoder_z = s.decoder_z;
  out.error = s.error;
  for (loop::TaskState st : s.state) out.state.push_back(static_cast<analysis::TrialState>(static_cast<int>(st) + 1));
  out.flags = s.flags;
  out.opto = s.opto;
  for (const bci::TrialRow& t : s.trials) {
    analysis::Trial tr;
    tr.start_frame = t.start_frame;
    tr.end_frame = t.end_frame;
    tr.hit_frame = t.hit_frame;
    tr.reward_frame = t.reward_frame;
    tr.outcome = t.outcome == bci::TrialOutcome::hit    ? analysis::Outcome::hit
                 : t.outcome == bci::TrialOutcome::miss ? analysis::Outcome::miss
                                                        : analysis::Outcome::incomplete;
    out.trials.push_back(tr);
  }
  return out;
}

}  // namespace

TEST_CASE("a simulated session converts to a valid analysis::Session", "[bci][analysis]") {
  static_assert(static_cast<int>(loop::TaskState::open) + 1 == static_cast<int>(analysis::TrialState::open));
  static_assert(static_cast<int>(loop::TaskState::fail) + 1 == static_cast<int>(analysis::TrialState::fail));
  static_assert(bci::frame_flag::hit == analysis::frame_flag::hit && bci::frame_flag::reward == analysis::frame_flag::reward);
  bci::ExperimentSpec spec = bci::test::small_spec("R3", 2, 3.0);
  spec.schedule.calibration_min = 3.0;
  spec.manipulations.opto.kind = bci::OptoKind::light_only;  // alternate days from day 2
  const bci::MouseRecord mouse = bci::simulate_mouse(spec, 0);
  analysis::Cohort cohort;
  for (const bci::SessionRecord& s : mouse.sessions) {
    analysis::Session a = to_analysis(s);
    REQUIRE_NOTHROW(analysis::validate(a));
    CHECK(analysis::session_accuracy(a) == Approx(s.accuracy));
    CHECK(analysis::session_rewards_per_min(a) == Approx(s.rewards_per_min));
    CHECK(a.opto_on(10) == (s.day == 2));
    cohort.sessions.push_back(std::move(a));
  }
  REQUIRE_NOTHROW(analysis::validate(cohort));
}
