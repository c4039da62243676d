// O1-t (learning_rules.md §4): light locked to the task, decided from the frames before. error_reduction
// lights the frame after each frame of the analysis' own error-reduction epochs (residual_contrast.hpp),
// after_reward the after_reward_s after each reward, and random_epochs a seeded chain with the set lit
// fraction and mean lit run. Under O2 (LED only) the session is otherwise unchanged.
#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "apical/analysis/residual_contrast.hpp"
#include "apical/io/session_conversion.hpp"
#include "bci_test_support.hpp"

using namespace apical;
using namespace apical::bci;

namespace {

ExperimentSpec locked_spec(OptoSchedule schedule, OptoKind kind, double session_min) {
  ExperimentSpec s = test::small_spec("R3", 1, session_min);
  s.schedule.calibration_min = 3.0;
  s.manipulations.opto.kind = kind;
  s.manipulations.opto.schedule = schedule;
  return s;
}

std::size_t count_lit(const SessionRecord& s) {
  std::size_t n = 0;
  for (const std::uint8_t lit : s.opto) n += lit;
  return n;
}

}  // namespace

TEST_CASE("O1-t error_reduction lights the frame after each frame of an error-reduction epoch", "[bci][opto]") {
  for (const OptoKind kind : {OptoKind::light_only, OptoKind::apical_inhibition}) {
    const SessionRecord s = simulate_mouse(locked_spec(OptoSchedule::error_reduction, kind, 3.0), 0).sessions.front();
    const std::vector<analysis::ErrorEpoch> epochs = analysis::error_epochs(to_analysis_session(s));
    CHECK(s.opto.front() == 0);
    std::size_t disagree = 0;
    for (std::size_t k = 1; k < s.opto.size(); ++k)
      disagree += (s.opto[k] == 1) != (epochs[k - 1] == analysis::ErrorEpoch::reduction);
    CHECK(disagree == 0);
    CHECK(count_lit(s) > 100);  // about 40 % of the OPEN frames (2,700 frames)
  }
}

TEST_CASE("O1-t after_reward lights after_reward_s from the frame after each reward", "[bci][opto]") {
  const ExperimentSpec spec = locked_spec(OptoSchedule::after_reward, OptoKind::apical_inhibition, 6.0);
  const SessionRecord s = simulate_mouse(spec, 0).sessions.front();
  std::vector<std::uint8_t> expected(s.opto.size(), 0);
  std::size_t rewards = 0;
  for (std::size_t r = 0; r < s.flags.size(); ++r)
    if (s.flags[r] & frame_flag::reward) {
      ++rewards;
      for (std::size_t k = r + 1; k <= r + 30 && k < expected.size(); ++k) expected[k] = 1;  // 2 s at 15 Hz
    }
  REQUIRE(rewards > 2);
  CHECK(s.opto == expected);
}

TEST_CASE("O1-t random_epochs: the set lit fraction and mean lit run, reproducible from the seed", "[bci][opto]") {
  ExperimentSpec spec = locked_spec(OptoSchedule::random_epochs, OptoKind::light_only, 10.0);
  const SessionRecord s = simulate_mouse(spec, 0).sessions.front();
  std::size_t runs = 0;
  for (std::size_t k = 0; k < s.opto.size(); ++k) runs += s.opto[k] && (k == 0 || !s.opto[k - 1]);
  const double lit = static_cast<double>(count_lit(s));
  const double fraction = lit / static_cast<double>(s.opto.size()), mean_run_s = lit / static_cast<double>(runs) / 15.0;
  WARN("lit fraction " << fraction << ", mean lit run " << mean_run_s << " s");
  CHECK(fraction == Approx(spec.manipulations.opto.random_duty).margin(0.05));  // 9,000 frames
  CHECK(mean_run_s == Approx(spec.manipulations.opto.random_epoch_s).epsilon(0.1));
  CHECK(simulate_mouse(spec, 0).sessions.front().opto == s.opto);
  CHECK(simulate_mouse(spec, 1).sessions.front().opto != s.opto);
  // O2: the LED alone changes nothing but the flag.
  ExperimentSpec dark = spec;
  dark.manipulations.opto.kind = OptoKind::none;
  const SessionRecord d = simulate_mouse(dark, 0).sessions.front();
  CHECK(count_lit(d) == 0);
  CHECK(d.decoder_z == s.decoder_z);
  CHECK(d.flags == s.flags);
}
