// LiveMouse: a virtual mouse stepped frame by frame by a closed loop outside the simulation (hybrid
// rig sessions). Fed the decisions its own simulated loop made, it reproduces that session bit for
// bit — the same code path — and the outside loop's decisions reach its cells.
#include <catch2/catch.hpp>

#include "apical/models/bci/virtual_mouse.hpp"
#include "bci_test_support.hpp"

using namespace apical;
using namespace apical::bci;

namespace {

ExperimentSpec live_spec() {
  ExperimentSpec s = test::small_spec("R3", 1, 2.0);
  s.schedule.calibration_min = 3.0;
  s.record.raw_f = true;
  return s;
}

// The decoder output the teaching channel reads, rebuilt from a session record's frame k.
loop::DecoderOutput recorded_decision(const SessionRecord& r, std::size_t k, double theta) {
  loop::DecoderOutput d;
  d.z = r.decoder_z[k];
  d.error = r.error[k];
  d.angle_deg = r.angle_deg[k];
  d.error_deg = 90.0 - d.angle_deg;
  d.bin = static_cast<int>(d.angle_deg / 15.0);
  d.at_target = d.z >= theta;
  return d;
}

}  // namespace

TEST_CASE("a LiveMouse given its own loop's decisions reproduces the simulated session exactly", "[bci][hybrid]") {
  const ExperimentSpec spec = live_spec();
  const MouseRecord simulated = simulate_mouse(spec, 1);
  REQUIRE(simulated.sessions.size() == 1);
  const SessionRecord& session = simulated.sessions[0];

  LiveMouse live(spec, 1);
  CHECK(live.setup().roles == simulated.setup.roles);
  CHECK(live.setup().calibration.theta == simulated.setup.calibration.theta);
  REQUIRE(live.neurons() == session.neurons.size());
  live.start_session();
  loop::TrialTask task(spec.loop.task);
  const double theta = simulated.setup.calibration.theta;
  std::size_t mismatches = 0;
  for (std::size_t k = 0; k < session.decoder_z.size(); ++k) {
    const std::span<const double> soma_f = live.task_frame();
    for (std::size_t i = 0; i < live.neurons(); ++i) mismatches += soma_f[i] != session.neurons[i].soma_f[k];
    const loop::DecoderOutput d = recorded_decision(session, k, theta);
    const loop::TaskFrame frame = task.step(d.at_target, d.angle_deg);
    REQUIRE(frame.state == session.state[k]);
    live.learn(frame, d);
  }
  CHECK(mismatches == 0);
}

TEST_CASE("the outside loop's rewards and errors reach a LiveMouse's cells", "[bci][hybrid]") {
  const ExperimentSpec spec = live_spec();
  // Two copies of one mouse; one is told it hits at once every trial, the other that it never does.
  LiveMouse rewarded(spec, 2), failing(spec, 2);
  loop::TrialTask rewarded_task(spec.loop.task), failing_task(spec.loop.task);
  rewarded.start_session();
  failing.start_session();
  std::size_t rewards = 0, differing_frames = 0;
  for (std::size_t k = 0; k < 900; ++k) {
    const std::span<const double> a = rewarded.task_frame();
    const std::span<const double> b = failing.task_frame();
    differing_frames += !std::equal(a.begin(), a.end(), b.begin());
    loop::DecoderOutput hit, miss;
    hit.z = 10.0, hit.angle_deg = 90.0, hit.at_target = true;
    miss.z = -1.0, miss.error = 2.0, miss.error_deg = 90.0;
    const loop::TaskFrame f = rewarded_task.step(true, 90.0);
    rewards += f.reward_command;
    rewarded.learn(f, hit);
    failing.learn(failing_task.step(false, 0.0), miss);
  }
  CHECK(rewards >= 10);
  CHECK(differing_frames > 800);  // identical only until the first decision's teaching arrives
  CHECK_THROWS_AS(rewarded.learn(loop::TaskFrame{}, loop::DecoderOutput{}), std::logic_error);
}
