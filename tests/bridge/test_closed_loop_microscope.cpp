// The closed-loop virtual microscope (docs/virtual-microscope.md#closed-loop): its mouse, stepped live,
// learns from the decisions a rig session sends as APICAL-STIM/2 lines — once per task frame, with the
// rig's own states and rewards — so its weights and reward baseline end where an open-loop session of
// the same mouse does not; missing, late, lost and unreadable lines are counted.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <thread>

#include "apical/bridge/closed_loop_microscope.hpp"
#include "apical/bridge/frame_senders.hpp"
#include "apical/bridge/rig_config.hpp"
#include "apical/bridge/rig_session.hpp"
#include "apical/io/bci_scenario.hpp"
#include "apical/models/bci/virtual_mouse.hpp"
#include "memory_recorder.hpp"
#include "test_images.hpp"
#include "tiny_scenario.hpp"

using namespace apical;
using namespace apical::bridge;
using namespace apical::bridge::test;
using Catch::Matchers::Contains;

namespace {

// R1, whose weights change only with δ at outcome frames: whatever the mouse learns, it learns from the
// outcomes the loop hands it.
BciScenario tiny_scenario() { return load_bci_scenario(write_tiny_scenario("tiny_closed_loop", "R1", 1)); }

VirtualMicroscopeParams small_field() {
  VirtualMicroscopeParams p;
  p.width = 128;
  p.height = 96;
  p.seed = 7;
  p.motion_px = 1;
  return p;
}

// The field of the open-loop microscope of the same mouse: layout, motion, noise.
VirtualMicroscope field_of(const BciScenario& scenario, std::size_t frames) {
  return VirtualMicroscope(simulate_activity(scenario, 0, frames), small_field());
}

// Sends datagrams to a loopback UDP port, as a rig's udp stimulus output does.
class UdpSender {
 public:
  explicit UdpSender(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_DGRAM, 0)) {
    to_.sin_family = AF_INET;
    to_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to_.sin_port = htons(port);
  }
  ~UdpSender() { ::close(fd_); }
  void send(const std::string& text) const {
    REQUIRE(::sendto(fd_, text.data(), text.size(), 0, reinterpret_cast<const sockaddr*>(&to_), sizeof to_) ==
            static_cast<ssize_t>(text.size()));
  }

 private:
  int fd_;
  sockaddr_in to_{};
};

std::string decision_line(std::uint64_t rig_frame, std::uint64_t seq, bool reward) {
  StimulusCommand c;
  c.frame = rig_frame;
  c.state = reward ? loop::TaskState::reward : loop::TaskState::open;
  c.stimulus = {false, reward ? 90.0 : 30.0};
  c.reward = reward;
  c.source_seq = seq;
  c.decision.z = 0.5;
  c.decision.bin = 2;
  c.decision.angle_deg = 30.0;
  c.decision.error = 1.5;
  return stimulus_line(c);
}

Clock::time_point in(int ms) { return Clock::now() + std::chrono::milliseconds(ms); }

}  // namespace

TEST_CASE("a closed-loop rig session teaches the microscope's mouse the rig's own decisions and rewards",
          "[bridge][virtual][closed_loop]") {
  const BciScenario scenario = tiny_scenario();
  const std::size_t stream_frames = 900;  // 1 min of field: more than the session below takes
  ClosedLoopMicroscope microscope(scenario.spec, 0, field_of(scenario, stream_frames), "127.0.0.1", 0);
  const std::vector<double> initial_weights(microscope.mouse().weights().begin(), microscope.mouse().weights().end());
  const double initial_baseline = microscope.mouse().reward_baseline();
  std::vector<StimulusCommand> learned;
  microscope.on_learn([&](const StimulusCommand& c) { learned.push_back(c); });

  const RoiSet rois = microscope.field().rois();
  const std::string rois_path = temp_path("closed_loop_rois.json");
  std::ofstream(rois_path) << roi_json_text(rois);
  const std::vector<loop::Role>& role = microscope.mouse().setup().roles;
  nlohmann::json roles = {{"P+", nlohmann::json::array()}, {"P-", nlohmann::json::array()}};
  for (std::size_t i = 0; i < role.size(); ++i)
    if (role[i] != loop::Role::zero) roles[role_name(role[i])].push_back(neuron_roi_name(i, role.size()));
  // An ordinary rig file: frames over APF/1, the stimulus over UDP to the microscope's port.
  const nlohmann::json rig = {
      {"format", "apical-rig"},
      {"format_version", 1},
      {"name", "closed_loop"},
      {"source", {{"type", "tcp-framed"}, {"address", "127.0.0.1"}, {"port", 0}, {"width", 128}, {"height", 96},
                  {"frame_rate", "100 Hz"}}},
      {"rois", rois_path},
      {"roles", roles},
      {"reference", {{"frames", 30}}},
      {"calibration", {{"frames", 300}}},
      {"loop",
       {{"calibration", {{"pseudo_trials", 50}, {"trial_frames", 60}}},
        {"task", {{"open_frames", 60}, {"reward_delay_frames", 5}, {"show_frames", 8}, {"blank_ok_frames", 3}, {"fail_frames", 5}}}}},
      {"stimulus", {{"type", "udp"}, {"host", "127.0.0.1"}, {"port", microscope.port()}}},
      {"session", {{"reward_volume_uL", 4}, {"duration", "30 s"}}}};
  MemoryRecorder recorder;
  const RigConfig config = read_rig_config(rig, "rig.json", "");
  RigSession session(config, recorder, {});

  // The stream as `apical stream --closed-loop` runs it: draw, release on the clock, send, hear the decision.
  std::uint64_t sent = 0;
  std::thread stream([&] {
    ApfSender sender("127.0.0.1", *session.source().listening_port(), std::chrono::seconds(10));
    const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / 100.0));
    const Clock::time_point start = Clock::now();
    Frame frame;
    for (std::uint64_t k = 0; k < stream_frames; ++k) {
      microscope.render(k, frame);
      std::this_thread::sleep_until(start + period * k);
      if (!sender.send_frame(frame)) break;  // the session has ended
      ++sent;
      microscope.await_decision(start + period * (k + 1));
    }
    // The rig's last line may still be queued when its closed connection ends the stream.
    while (microscope.await_decision(Clock::now() + std::chrono::milliseconds(200))) {
    }
  });
  const std::atomic<bool> stop{false};
  const SessionSummary summary = session.run(stop);
  stream.join();

  // Every task frame's decision went out; the mouse learned from nearly all of them, once each, in order.
  REQUIRE(summary.task_frames == 450);
  CHECK(sent >= 30 + 300 + 450);
  REQUIRE(summary.rewards_commanded >= 1);
  const ClosedLoopCounters& n = microscope.counters();
  INFO(microscope.describe_counters());
  CHECK(microscope.in_task());
  CHECK(n.lost == 0);
  CHECK(n.malformed == 0);
  CHECK(n.old_format == 0);
  CHECK(n.learned == learned.size());
  // Every line the rig sent was heard: the first (which starts the session), those on frames already sent
  // idle behind it, the learned ones and any late.
  CHECK(1 + n.on_idle_frames + n.learned + n.late + n.unexpected == summary.task_frames);
  CHECK(n.learned + n.missing + 1 >= n.task_frames);  // the last frame's decision may be cut off by the end
  CHECK(n.learned >= 449 * 9 / 10);                   // the rig's first task frame starts the mouse's session
  std::map<std::uint64_t, const RecordedFrame*> rig_frames;
  for (const RecordedFrame& r : recorder.frames)
    if (r.decided) rig_frames[r.seq] = &r;
  std::uint64_t rewards_learned = 0;
  for (std::size_t j = 0; j < learned.size(); ++j) {
    const StimulusCommand& c = learned[j];
    if (j > 0) CHECK(c.source_seq > learned[j - 1].source_seq);
    REQUIRE(rig_frames.count(c.source_seq) == 1);
    const RecordedFrame& r = *rig_frames[c.source_seq];
    CHECK(c.frame == r.task.frame);
    CHECK(c.state == r.task.state);
    CHECK(c.reward == r.task.reward_command);
    CHECK(c.timeout == r.task.timeout);
    CHECK(c.decision.z == r.decision.z);
    CHECK(c.decision.error == r.decision.error);
    rewards_learned += c.reward;
  }
  CHECK(rewards_learned == n.rewards);
  CHECK(rewards_learned >= 1);

  // The rewards and timeouts reached the mouse: R̄ moved and R1 changed W. An open-loop session of the
  // same mouse and length — learning from its own simulated decoder — ends with other weights.
  CHECK(microscope.mouse().reward_baseline() != initial_baseline);
  const std::vector<double> closed(microscope.mouse().weights().begin(), microscope.mouse().weights().end());
  CHECK(closed != initial_weights);
  bci::ExperimentSpec open_spec = imaged_spec(scenario.spec);
  open_spec.schedule.days = 1;
  open_spec.schedule.sessions_per_day = 1;
  open_spec.schedule.session_min = static_cast<double>(n.task_frames) / (60.0 * bci::frame_rate_Hz);
  const bci::MouseRecord open_loop = bci::simulate_mouse(open_spec, 0);
  REQUIRE(open_loop.setup.initial_weights == initial_weights);  // the same mouse, up to its first session
  CHECK(open_loop.sessions.at(0).weights != closed);
  std::filesystem::remove(rois_path);
}

TEST_CASE("the closed-loop microscope counts missing, late, lost and unreadable decision lines",
          "[bridge][virtual][closed_loop]") {
  const BciScenario scenario = tiny_scenario();
  std::vector<std::string> log;
  ClosedLoopMicroscope microscope(scenario.spec, 0, field_of(scenario, 60), "127.0.0.1", 0,
                                  [&](const std::string& line) { log.push_back(line); });
  const UdpSender rig(microscope.port());
  Frame frame;

  // Idle frames until the rig's first decision, which starts the session and teaches nothing.
  microscope.render(0, frame);
  CHECK_FALSE(microscope.await_decision(in(20)));
  CHECK_FALSE(microscope.in_task());
  rig.send("APICAL-STIM/1 0 0 open 30.000 0");  // an old rig: nothing to learn from
  rig.send("not a stimulus line");
  rig.send(decision_line(0, 0, false));
  CHECK_FALSE(microscope.await_decision(in(200)));
  CHECK(microscope.in_task());
  CHECK(microscope.counters().old_format == 1);
  CHECK(microscope.counters().malformed == 1);
  CHECK(logged(log, "APICAL-STIM/1 lines carry no decision"));
  CHECK(logged(log, "UNREADABLE DECISION LINE"));

  // Frame 1's decision comes in time.
  microscope.render(1, frame);
  rig.send(decision_line(1, 1, false));
  CHECK(microscope.await_decision(in(2000)));
  CHECK(microscope.counters().learned == 1);

  // Frame 2's line is lost: the wait ends at the deadline, frame 3 steps without it.
  microscope.render(2, frame);
  CHECK_FALSE(microscope.await_decision(in(30)));
  microscope.render(3, frame);
  CHECK(microscope.counters().missing == 1);
  CHECK(logged(log, "DECISION MISSING for frame 2"));
  // Frame 3's decision (a reward) arrives with a gap in the rig's numbers; then frame 1's again, late.
  rig.send(decision_line(3, 3, true));
  CHECK(microscope.await_decision(in(2000)));
  rig.send(decision_line(1, 1, false));
  microscope.render(4, frame);
  rig.send(decision_line(4, 4, false));
  CHECK(microscope.await_decision(in(2000)));

  const ClosedLoopCounters& n = microscope.counters();
  CHECK(n.idle_frames == 1);
  CHECK(n.task_frames == 4);
  CHECK(n.learned == 3);
  CHECK(n.rewards == 1);
  CHECK(n.missing == 1);
  CHECK(n.lost == 1);
  CHECK(n.late == 1);
  CHECK(n.unexpected == 0);
  CHECK(n.on_idle_frames == 0);
  CHECK_THAT(microscope.describe_counters(), Contains("3 decisions learned (1 rewards, 0 timeouts), 1 frames without"));
}

TEST_CASE("apical stream --closed-loop needs --virtual, --listen-udp and one plane", "[bridge][virtual][closed_loop][stream]") {
  const auto status = [](const std::string& arguments) {
    const int s = std::system((std::string(APICAL_CLI_PATH) + " stream " + arguments + " > /dev/null 2>&1").c_str());
    return WEXITSTATUS(s);
  };
  CHECK(status("--virtual s.json --closed-loop") == 2);
  CHECK(status("--virtual s.json --listen-udp 47900") == 2);
  CHECK(status("--virtual s.json --closed-loop --listen-udp 47900 --planes 2") == 2);
  CHECK(status("x.tif --closed-loop --listen-udp 47900") == 2);
  CHECK(status("--virtual s.json --closed-loop --listen-udp 0") == 2);
}

TEST_CASE("the shipped closed-loop example images the in-silico demo's field and sends its decisions to the stream",
          "[bridge][virtual][closed_loop][rig]") {
  const std::string folder = std::string(APICAL_SOURCE_DIR) + "/scenarios/rig";
  const RigConfig closed = load_rig_config(folder + "/virtual_closed_loop.json");
  const RigConfig played = load_rig_config(folder + "/virtual_session.json");
  // The stream command in its description and in docs/virtual-microscope.md draws virtual_session.json's field.
  const std::string description = closed.document["description"].get<std::string>();
  const nlohmann::json& field = played.document["source"];
  CHECK_THAT(description, Contains("apical stream --virtual scenarios/francioni2026/cohort_default.json --size " +
                                   std::to_string(field["width"].get<int>()) + "x" + std::to_string(field["height"].get<int>()) +
                                   " --closed-loop --listen-udp 47900"));
  CHECK(field["mouse"] == 0);
  CHECK(field["seed"] == 1);
  CHECK(field["motion"] == 2);
  CHECK(closed.document["rois"] == played.document["rois"]);
  CHECK(closed.document["roles"] == played.document["roles"]);
  const nlohmann::json& source = closed.document["source"];
  CHECK(source["type"] == "tcp-framed");
  CHECK(source["port"] == 47800);  // apical stream's default APF/1 port
  CHECK(source["width"] == field["width"]);
  CHECK(source["height"] == field["height"]);
  const nlohmann::json& stimulus = closed.document["stimulus"];
  CHECK(stimulus["type"] == "udp");
  CHECK(stimulus["port"] == 47900);
  CHECK_FALSE(stimulus.contains("protocol"));  // the default, version 2, carries the decisions
}
