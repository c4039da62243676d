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

namespace {

// Mean raw somatic F of a LiveMouse over `frames` task frames, the LED on every frame or never; the
// loop tells it every trial is missed, so both copies get the same decisions.
double mean_soma_f(const ExperimentSpec& spec, bool light, std::size_t frames, std::vector<double>* trace = nullptr) {
  LiveMouse mouse(spec, 3);
  loop::TrialTask task(spec.loop.task);
  mouse.start_session();
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t k = 0; k < frames; ++k) {
    const std::span<const double> soma_f = mouse.task_frame(light);
    for (const double f : soma_f) {
      sum += f;
      ++n;
      if (trace) trace->push_back(f);
    }
    loop::DecoderOutput miss;
    miss.z = -1.0, miss.error = 2.0, miss.error_deg = 90.0;
    mouse.learn(task.step(false, 0.0), miss);
  }
  return sum / static_cast<double>(n);
}

}  // namespace

TEST_CASE("a LiveMouse's lit frames get the scenario's O1 apical inhibition, O2's light alone changes nothing",
          "[bci][hybrid][opto]") {
  ExperimentSpec spec = live_spec();
  spec.manipulations.opto.kind = OptoKind::apical_inhibition;
  const std::size_t frames = 600;  // 40 s at 15 Hz
  const double dark = mean_soma_f(spec, false, frames), lit = mean_soma_f(spec, true, frames);
  INFO("mean somatic F over " << frames << " frames: dark " << dark << ", lit (O1) " << lit);
  CHECK(lit < dark * 0.98);

  spec.manipulations.opto.kind = OptoKind::light_only;
  std::vector<double> dark_trace, lit_trace;
  mean_soma_f(spec, false, frames, &dark_trace);
  mean_soma_f(spec, true, frames, &lit_trace);
  CHECK(lit_trace == dark_trace);
}
