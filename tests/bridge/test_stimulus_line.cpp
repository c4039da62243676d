// The APICAL-STIM line of the udp stimulus output (docs/stimulus.md): version 2 carries the decision
// behind each command and reads back exactly; version-1 lines, as older rigs send them, still parse;
// malformed lines are errors naming the field.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>

#include "apical/bridge/stimulus_line.hpp"
#include "apical/bridge/stimulus_output.hpp"

using namespace apical;
using namespace apical::bridge;
using Catch::Matchers::Contains;

namespace {

StimulusCommand reward_frame_command() {
  loop::TaskFrame task;
  task.frame = 1301;
  task.trial = 7;
  task.state = loop::TaskState::reward;
  task.stimulus = {false, 90.0};
  task.reward_command = true;
  task.outcome = loop::Outcome::hit;
  loop::DecoderOutput decision;
  decision.x = 0.1 / 3.0;  // numbers without a short decimal form
  decision.x_bar = -2.0 / 7.0;
  decision.z = std::sqrt(2.0);
  decision.bin = 4;
  decision.angle_deg = 60.0;
  decision.error = 1.0 / 3.0;
  decision.error_deg = 30.0;
  return stimulus_command(task, decision, 3401);
}

}  // namespace

TEST_CASE("an APICAL-STIM/2 line carries the task frame and the decision and reads back exactly", "[bridge][stimulus]") {
  const StimulusCommand sent = reward_frame_command();
  const std::string line = stimulus_line(sent);
  // Version 1's six fields stay in their places, so a receiver reading only those still works.
  CHECK(line.starts_with("APICAL-STIM/2 1301 7 reward 90.000 1 seq=3401 events=- outcome=hit x="));

  const StimulusMessage got = parse_stimulus_line(line + "\n");
  REQUIRE(got.version == 2);
  REQUIRE(got.has_decision());
  const StimulusCommand& c = got.command;
  CHECK(c.frame == 1301);
  CHECK(c.trial == 7);
  CHECK(c.state == loop::TaskState::reward);
  CHECK_FALSE(c.stimulus.black);
  CHECK(c.stimulus.angle_deg == 90.0);
  CHECK(c.reward);
  CHECK(c.source_seq == 3401);
  CHECK(c.outcome == loop::Outcome::hit);
  CHECK(c.decision.x == sent.decision.x);  // bit for bit: the shortest round-trip form
  CHECK(c.decision.x_bar == sent.decision.x_bar);
  CHECK(c.decision.z == sent.decision.z);
  CHECK(c.decision.bin == 4);
  CHECK(c.decision.angle_deg == 60.0);
  CHECK(c.decision.error == sent.decision.error);
  CHECK(c.decision.error_deg == 30.0);
  CHECK_FALSE(c.decision.at_target);

  const loop::TaskFrame task = task_frame_of(c);
  CHECK(task.frame == 1301);
  CHECK(task.reward_command);
  CHECK(task.outcome == loop::Outcome::hit);
  CHECK_FALSE(task.timeout);

  // Each event flag, a black screen, the target bin and a NaN z survive the trip too.
  StimulusCommand events = sent;
  events.state = loop::TaskState::fail;
  events.stimulus = {true, 0.0};
  events.reward = false;
  events.trial_start = events.timeout = events.trial_end = true;
  events.hit = false;
  events.decision.bin = 6;
  events.decision.z = std::numeric_limits<double>::quiet_NaN();
  const StimulusCommand back = parse_stimulus_line(stimulus_line(events)).command;
  CHECK(back.stimulus.black);
  CHECK((back.trial_start && back.timeout && back.trial_end && !back.hit));
  CHECK(back.decision.at_target);
  CHECK(std::isnan(back.decision.z));
}

TEST_CASE("APICAL-STIM/1 lines, as older rigs send them, still parse, without a decision", "[bridge][stimulus]") {
  const StimulusCommand sent = reward_frame_command();
  CHECK(stimulus_line(sent, 1) == "APICAL-STIM/1 1301 7 reward 90.000 1");
  const StimulusMessage got = parse_stimulus_line("APICAL-STIM/1 1320 7 blank_ok black 0\n");
  CHECK(got.version == 1);
  CHECK_FALSE(got.has_decision());
  CHECK(got.command.frame == 1320);
  CHECK(got.command.state == loop::TaskState::blank_ok);
  CHECK(got.command.stimulus.black);
  CHECK_FALSE(got.command.reward);
  // A later version's unknown keys are skipped.
  CHECK(parse_stimulus_line(stimulus_line(sent) + " photodiode=1").command.source_seq == 3401);
}

TEST_CASE("malformed APICAL-STIM lines are errors naming the field", "[bridge][stimulus]") {
  const auto error = [](const std::string& line) -> std::string {
    try {
      parse_stimulus_line(line);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "no error";
  };
  CHECK_THAT(error("HELLO 1 2 open 3 0"), Contains("the tag"));
  CHECK_THAT(error("APICAL-STIM/1 12 0 open 45.000"), Contains("5 fields"));
  CHECK_THAT(error("APICAL-STIM/1 12 0 opne 45.000 0"), Contains("state 'opne'"));
  CHECK_THAT(error("APICAL-STIM/1 12 0 open 45.000 2"), Contains("reward '2'"));
  const std::string line = stimulus_line(reward_frame_command());
  CHECK_THAT(error(line.substr(0, line.find(" error="))), Contains("without error="));
  CHECK_THAT(error(line + " z"), Contains("key=value"));
  std::string bad_z = line;
  bad_z.replace(bad_z.find("z=") + 2, 1, "q");
  CHECK_THAT(error(bad_z), Contains("z '"));
}

TEST_CASE("docs/stimulus.md lists every parameter of the udp output", "[bridge][stimulus][docs]") {
  std::ifstream in(std::string(APICAL_SOURCE_DIR) + "/docs/stimulus.md");
  const std::string docs((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t section = docs.find("## `udp`");
  REQUIRE(section != std::string::npos);
  const StimulusOutputRegistry::Entry* udp = builtin_stimulus_outputs().find("udp");
  REQUIRE(udp != nullptr);
  for (const SourceParameter& p : udp->info.parameters) {
    INFO(p.name);
    CHECK(docs.find("\n| `" + p.name + "`", section) < docs.find("## `display`"));
  }
}
