// A rig session end to end on a synthetic TIFF: reference, calibration and task through the shared
// decoder and trial task, rewards through the emulated RIGLINK/1 device, the stimulus over UDP, and
// every frame, trial and event handed to the recorder.
#include <arpa/inet.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>

#include "apical/bridge/calibration_file.hpp"
#include "apical/bridge/nwb_session_recorder.hpp"
#include "apical/bridge/rig_session.hpp"
#include "apical/bridge/session_folder.hpp"
#include "apical/io/nwb/session_reader.hpp"
#include "apical/io/input_error.hpp"
#include "emulator_process.hpp"
#include "memory_recorder.hpp"
#include "rig_fixture.hpp"
#include "tee_recorder.hpp"

using namespace apical::bridge;
using namespace apical::bridge::test;
using Catch::Matchers::Contains;

namespace {

const RigFixture& fixture() {
  static const RigFixture f("rig_session");
  return f;
}

RigConfig config_of(const nlohmann::json& rig) { return read_rig_config(rig, "rig.json", ""); }

SessionSummary run(const nlohmann::json& rig, MemoryRecorder& recorder) {
  const RigConfig config = config_of(rig);
  RigSession session(config, recorder, {});
  const std::atomic<bool> stop{false};
  return session.run(stop);
}

// Receives UDP datagrams on a loopback port until destroyed.
class UdpListener {
 public:
  UdpListener() : fd_(::socket(AF_INET, SOCK_DGRAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t length = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &length);
    port_ = ntohs(a.sin_port);
    timeval timeout{0, 100000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    thread_ = std::thread([this] {
      char buffer[256];
      while (!done_) {
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n > 0) lines_.emplace_back(buffer, static_cast<std::size_t>(n));
      }
    });
  }
  ~UdpListener() { stop(); }
  void stop() {
    if (thread_.joinable()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      done_ = true;
      thread_.join();
      ::close(fd_);
    }
  }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] const std::vector<std::string>& lines() const { return lines_; }

 private:
  int fd_;
  int port_ = 0;
  std::atomic<bool> done_{false};
  std::vector<std::string> lines_;
  std::thread thread_;
};

}  // namespace

TEST_CASE("a rig session runs reference, calibration and task through the shared decoder and trial task", "[bridge][rig]") {
  const RigFixture& f = fixture();
  UdpListener listener;
  nlohmann::json rig = f.rig();
  rig["stimulus"] = {{"type", "udp"}, {"port", listener.port()}};
  MemoryRecorder recorder;
  const SessionSummary summary = run(rig, recorder);
  listener.stop();

  CHECK(recorder.begun);
  CHECK(recorder.ends == 1);
  CHECK(summary.ended_by == "the source ended");
  CHECK(summary.reference_frames == f.reference_frames);
  CHECK(recorder.count(SessionPhase::calibration) == f.calibration_frames);
  CHECK(recorder.count(SessionPhase::task) == f.task_frames);
  REQUIRE(recorder.calibration);
  CHECK(recorder.calibration->theta > recorder.calibration->lo);
  CHECK_FALSE(recorder.calibration_from_file);

  // Frames arrive in order, with ΔF/F for every ROI, the motion measured, and the stages stamped in order.
  for (std::size_t k = 0; k < recorder.frames.size(); ++k) {
    const RecordedFrame& r = recorder.frames[k];
    CHECK(r.index == k);
    CHECK(r.seq == f.reference_frames + k);
    CHECK(r.dff.size() == 6);
    CHECK(r.decided == (r.phase == SessionPhase::task));
    CHECK(std::abs(r.shift.dx) <= 1.5);
    CHECK(r.stages.registered_ns >= r.stages.received_ns);
    if (r.decided) CHECK(r.stages.sent_ns >= r.stages.decided_ns);
  }

  // The P+ bursts reach θ: trials are hit, each reward command follows its hit by reward_delay_frames.
  REQUIRE(summary.trials >= 4);
  CHECK(summary.hits >= 3);
  CHECK(recorder.trials.size() == summary.trials);
  std::optional<std::size_t> hit_frame;
  std::size_t rewards = 0;
  for (const RecordedFrame& r : recorder.frames) {
    if (!r.decided) continue;
    if (r.task.hit) hit_frame = r.task.frame;
    if (r.task.reward_command) {
      REQUIRE(hit_frame);
      CHECK(r.task.frame - *hit_frame == 5);
      ++rewards;
    }
    if (r.task.state == apical::loop::TaskState::open) CHECK(r.task.stimulus.angle_deg == r.decision.angle_deg);
  }
  CHECK(rewards == summary.rewards_commanded);
  CHECK(summary.rewards_delivered == 0);  // no reward device configured: commands are logged only
  CHECK(recorder.noted("REWARD COMMAND (no reward device configured)"));
  for (const TrialSummary& t : recorder.trials)
    if (t.outcome == apical::loop::Outcome::hit) CHECK((t.hit_s >= t.start_s && t.hit_s <= t.stop_s));

  // One stimulus datagram per task frame, in the documented form, all counted as sent.
  CHECK(listener.lines().size() == f.task_frames);
  CHECK(summary.stimulus.sent == f.task_frames);
  CHECK(summary.stimulus.failed == 0);
  CHECK(summary.presentations == 0);  // UDP sees no screen
  REQUIRE_FALSE(listener.lines().empty());
  CHECK_THAT(listener.lines().front(), Contains("APICAL-STIM/2 0 0 open "));
  CHECK_THAT(listener.lines().front(), Contains(" seq=" + std::to_string(f.reference_frames + f.calibration_frames) + " "));
  CHECK(summary.latency_p99_ms > 0);
  CHECK(summary.latency_p50_ms <= summary.latency_p99_ms);
  CHECK_THAT(recorder.protocol, Contains("\"open_frames\": 60"));
}

TEST_CASE("a rig session delivers its rewards through the emulated RIGLINK/1 device and records its events",
          "[bridge][rig][devices]") {
  // RIGLINK/1 refuses rewards less than 200 ms apart: with 50 frames of display and black after each
  // hit, rewards at 120 Hz are at least 417 ms apart.
  const RigFixture f("rig_session_device", 300, 300);
  EmulatorProcess emulator({"--protocol", "riglink1", "--lick-interval-ms", "30"});
  nlohmann::json rig = f.rig(120);
  rig["loop"]["task"]["show_frames"] = 30;
  rig["loop"]["task"]["blank_ok_frames"] = 20;
  rig["reward"] = {{"type", "riglink1"}, {"path", emulator.slave_path()}, {"valve_a_uL_per_ms", 2.0}};
  MemoryRecorder recorder;
  const SessionSummary summary = run(rig, recorder);
  CHECK(summary.rewards_commanded >= 3);
  CHECK(summary.rewards_delivered == summary.rewards_commanded);
  CHECK(summary.rewards_refused == 0);
  std::size_t reward_events = 0, licks = 0;
  for (const DeviceEvent& e : recorder.events) {
    reward_events += e.kind == DeviceEvent::Kind::reward;
    licks += e.kind == DeviceEvent::Kind::lick && e.value == 1;
  }
  CHECK(reward_events == summary.rewards_delivered);
  CHECK(licks > 0);
  CHECK(licks == summary.licks);
  for (const TrialSummary& t : recorder.trials)
    if (t.reward_s >= 0) CHECK(t.reward_uL == 4.0);
}

TEST_CASE("a rig session stopped mid-task records the trial it cut short and ends the recording once", "[bridge][rig]") {
  const RigFixture& f = fixture();
  const RigConfig config = config_of(f.rig());
  MemoryRecorder recorder;
  std::atomic<bool> stop{false};
  recorder.on_frame = [&](const RecordedFrame& r) {
    if (r.phase == SessionPhase::task && r.task.frame == 70) stop = true;
  };
  RigSession session(config, recorder, {});
  const SessionSummary summary = session.run(stop);
  CHECK(summary.ended_by == "stopped by the user");
  CHECK(recorder.ends == 1);
  CHECK(recorder.count(SessionPhase::task) == 71);
  REQUIRE_FALSE(recorder.trials.empty());
  CHECK(recorder.trials.back().stop_s >= recorder.trials.back().start_s);
}

TEST_CASE("a later session reuses the calibration file an earlier one wrote", "[bridge][rig]") {
  const RigFixture& f = fixture();
  MemoryRecorder first;
  run(f.rig(), first);
  REQUIRE(first.calibration);
  const std::string path = temp_path("calibration.json");
  std::ofstream(path) << calibration_json(*first.calibration).dump(2);

  nlohmann::json rig = f.rig();
  rig["calibration"] = {{"file", path}};
  MemoryRecorder second;
  const SessionSummary summary = run(rig, second);
  REQUIRE(second.calibration);
  CHECK(second.calibration_from_file);
  CHECK(second.calibration->theta == first.calibration->theta);
  CHECK(second.calibration->sigma == first.calibration->sigma);
  CHECK(second.count(SessionPhase::calibration) == 0);
  CHECK(second.count(SessionPhase::task) == f.calibration_frames + f.task_frames);
  CHECK(summary.calibration_frames == 0);
}

TEST_CASE("ROIs drawn on another frame size end the session with a message naming both sizes", "[bridge][rig]") {
  const RigFixture& f = fixture();
  nlohmann::json rois;
  std::ifstream(f.rois) >> rois;
  rois["width"] = 65;
  const std::string path = temp_path("rig_rois_65.json");
  std::ofstream(path) << rois.dump();
  nlohmann::json rig = f.rig();
  rig["rois"] = path;
  MemoryRecorder recorder;
  CHECK_THROWS_WITH(run(rig, recorder), Contains("the source sends 64x48 frames") &&
                                            Contains("were drawn on 65x48"));
  CHECK(recorder.ends == 1);
  CHECK_THAT(recorder.summary.ended_by, Contains("error: the source sends 64x48"));
}

namespace {

std::string config_error(nlohmann::json rig) {
  try {
    config_of(rig);
  } catch (const apical::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("rig files are strict: every mistake names its JSON path", "[bridge][rig][config]") {
  const RigFixture& f = fixture();
  nlohmann::json rig = f.rig();
  rig["sesion"] = rig["session"];
  CHECK_THAT(config_error(rig), Contains("rig.json: /sesion") && Contains("did you mean 'session'"));

  rig = f.rig();
  rig["roles"]["P+"] = {"plus_a", "plus_c"};
  CHECK_THAT(config_error(rig), Contains("/roles/P+/1") && Contains("no ROI named 'plus_c'") &&
                                    Contains("did you mean 'plus_a'"));
  rig = f.rig();
  rig["roles"]["P-"] = {"minus_a", "plus_a"};
  CHECK_THAT(config_error(rig), Contains("/roles/P-/1") && Contains("already P+"));
  rig = f.rig();
  rig["roles"].erase("P-");
  CHECK_THAT(config_error(rig), Contains("/roles") && Contains("P-"));

  rig = f.rig();
  rig["source"]["type"] = "tiff-reply";
  CHECK_THAT(config_error(rig), Contains("/source/type") && Contains("tiff-replay"));
  rig = f.rig();
  rig["reward"] = {{"type", "riglink1"}, {"path", "/dev/ttyACM0"}};
  CHECK_THAT(config_error(rig), Contains("/reward") && Contains("valve_a_uL_per_ms"));
  rig = f.rig();
  rig["stimulus"] = {{"type", "udp"}, {"port", 70000}};
  CHECK_THAT(config_error(rig), Contains("/stimulus/port"));

  rig = f.rig();
  rig["registration"] = {{"sampling", "binned"}};
  CHECK_THAT(config_error(rig), Contains("/registration/sampling") && Contains("binned_2x2"));
  rig = f.rig();
  rig["calibration"] = {{"frames", 100}, {"file", "calibration.json"}};
  CHECK_THAT(config_error(rig), Contains("/calibration") && Contains("exactly one of"));
  rig = f.rig();
  rig["loop"]["task"]["open_frame"] = 5;
  CHECK_THAT(config_error(rig), Contains("/loop/task/open_frame") && Contains("open_frames"));
  rig = f.rig();
  rig["loop"]["calibration"]["p_cal"] = 1.5;
  CHECK_THAT(config_error(rig), Contains("/loop/calibration/p_cal"));
  rig = f.rig();
  rig["session"]["duration"] = "10 kg";
  CHECK_THAT(config_error(rig), Contains("/session/duration"));
  rig = f.rig();
  rig["rois"] = "no_such_rois.json";
  CHECK_THAT(config_error(rig), Contains("/rois") && Contains("no ROI file 'no_such_rois.json'"));
  rig = f.rig();
  rig["format"] = "apical-scenario";
  CHECK_THAT(config_error(rig), Contains("/format") && Contains("apical-rig"));
}

TEST_CASE("a hybrid session decodes imaged ROIs and simulated neurons together, which learn from the real task",
          "[bridge][rig][hybrid]") {
  const RigFixture& f = fixture();
  const std::string scenario = temp_path("hybrid_scenario.json");
  std::ofstream(scenario) << R"({"format": "apical-scenario", "format_version": 1, "kind": "bci_cohort",
    "field_of_view": {"n_plus": 3, "n_minus": 3, "n_zero": 10}, "schedule": {"calibration": "3 min"},
    "loop": {"chance_repetitions": 0}})";
  nlohmann::json rig = f.rig();
  rig["simulated"] = {{"scenario", scenario}, {"mouse", 0}, {"neurons", {{"P+", 2}, {"P-", 1}, {"P0", 1}}}};
  rig["roles"]["P-"] = nlohmann::json::array();  // the simulated P- neuron is the only one
  MemoryRecorder recorder;
  const SessionSummary summary = run(rig, recorder);
  REQUIRE(recorder.slots.size() == 10);
  CHECK(recorder.slots[5].name == "other_b");
  CHECK_FALSE(recorder.slots[5].simulated);
  CHECK(recorder.slots[3].role == apical::loop::Role::zero);  // minus_b, no longer listed, is P0
  for (std::size_t s = 6; s < 10; ++s) {
    CHECK(recorder.slots[s].simulated);
    CHECK_THAT(recorder.slots[s].name, Contains("sim_m00_n"));
  }
  CHECK(recorder.slots[6].role == apical::loop::Role::plus);
  CHECK(recorder.slots[8].role == apical::loop::Role::minus);
  CHECK(recorder.slots[9].role == apical::loop::Role::zero);
  // Every frame carries all ten values; the simulated neurons' ΔF/F moves.
  double lowest = 1e9, highest = -1e9;
  for (const RecordedFrame& r : recorder.frames) {
    REQUIRE(r.dff.size() == 10);
    lowest = std::min(lowest, r.dff[6]);
    highest = std::max(highest, r.dff[6]);
  }
  CHECK(highest - lowest > 0.1);
  CHECK(summary.trials >= 3);
  CHECK_THAT(recorder.notes.front() + recorder.notes[1], Contains("4 simulated neurons of mouse m00"));

  rig["simulated"]["neurons"]["P+"] = 4;
  CHECK_THAT(config_error(rig), Contains("/simulated/neurons/P+") && Contains("has 3 P+ neurons"));
  rig["simulated"]["neurons"] = {{"P+", 1}};
  CHECK_THAT(config_error(rig), Contains("/roles") && Contains("at least one P- neuron"));
}

TEST_CASE("a rig session's duration stops the task after that many frames", "[bridge][rig]") {
  const RigFixture& f = fixture();
  nlohmann::json rig = f.rig();
  rig["session"]["duration"] = "10 s";  // 150 frames at the default 15 Hz
  MemoryRecorder recorder;
  const SessionSummary summary = run(rig, recorder);
  CHECK(summary.ended_by == "duration reached");
  CHECK(summary.task_frames == 150);
}

TEST_CASE("a session folder holds the NWB recording of every frame, trial and ROI, and the calibration for the next day",
          "[bridge][rig][nwb]") {
  const RigFixture& f = fixture();
  const std::string folder = temp_path("rig_session_folder");
  std::filesystem::remove_all(folder);
  const RigConfig config = config_of(f.rig());
  SessionFolder recorder(folder, std::make_unique<NwbSessionRecorder>(folder + "/session.nwb"));
  RigSession session(config, recorder, {});
  const std::atomic<bool> stop{false};
  const SessionSummary summary = session.run(stop);

  const apical::nwb::SessionRecording nwb = apical::nwb::read_session(folder + "/session.nwb");
  CHECK(nwb.frames == f.calibration_frames + f.task_frames);
  REQUIRE(nwb.info.rois.size() == 6);
  CHECK(nwb.info.rois[0].name == "plus_a");
  CHECK(nwb.info.rois[0].population == apical::nwb::Population::plus);
  CHECK(nwb.info.rois[3].population == apical::nwb::Population::minus);
  CHECK(nwb.info.rois[0].pixel_mask.size() == config.rois.rois[0].pixels.size());
  CHECK(nwb.trials.size() == summary.trials);
  std::size_t hits = 0;
  for (const apical::nwb::Trial& t : nwb.trials) hits += t.outcome == apical::nwb::TrialOutcome::hit;
  CHECK(hits == summary.hits);
  CHECK(std::isnan(nwb.decoder_z.front()));  // calibration frames have no decision
  CHECK(std::isfinite(nwb.decoder_z.back()));
  CHECK(nwb.epochs.size() == 1);
  CHECK(nwb.epochs.front().tag == "calibration");
  CHECK_THAT(nwb.info.protocol_json, Contains("\"theta\"") && Contains("\"ended_by\": \"the source ended\""));
  CHECK(std::filesystem::exists(folder + "/calibration.json"));
  CHECK(read_calibration_file(folder + "/calibration.json", 6).theta == summary.calibration.theta);
  nlohmann::json written;
  std::ifstream(folder + "/summary.json") >> written;
  CHECK(written["trials"] == summary.trials);
  CHECK(written["stimulus"]["sent"] == summary.stimulus.sent);
  std::ifstream log(folder + "/session.log");
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  CHECK_THAT(text, Contains("PHASE task") && Contains("END the source ended"));
}

TEST_CASE("the NWB file holds the clock pings and the device's events on both clocks, the frame-clock count is checked",
          "[bridge][rig][nwb][devices]") {
  // Frames at 60 Hz from the TIFF against a 15-Hz frame clock on the device: a miswired rig.
  const RigFixture f("rig_session_clock", 120, 120);
  EmulatorProcess emulator({"--protocol", "riglink1", "--lick-interval-ms", "50", "--photodiode-hz", "30",
                            "--clock-drift-ppm", "50"});
  nlohmann::json rig = f.rig(60);
  rig["reward"] = {{"type", "riglink1"}, {"path", emulator.slave_path()}, {"valve_a_uL_per_ms", 2.0}};
  const std::string folder = temp_path("rig_session_clock_folder");
  std::filesystem::remove_all(folder);
  const RigConfig config = config_of(rig);
  SessionFolder recorder(folder, std::make_unique<NwbSessionRecorder>(folder + "/session.nwb"));
  RigSession session(config, recorder, {});
  const std::atomic<bool> stop{false};
  const SessionSummary summary = session.run(stop);

  const apical::nwb::SessionRecording nwb = apical::nwb::read_session(folder + "/session.nwb");
  REQUIRE(nwb.clock_pings.size() >= 5);  // the start burst, then one every 2 s
  CHECK(nwb.clock_pings.size() == summary.device.clock_pings);
  for (const apical::nwb::ClockPing& p : nwb.clock_pings) CHECK(p.received_time_s >= p.sent_time_s);
  std::size_t flips = 0, frame_clocks = 0, lick_onsets = 0;
  for (const apical::nwb::DeviceEvent& e : nwb.device_events) {
    CHECK(e.device_time_us >= 0);
    CHECK(std::isfinite(e.time_s));                // mapped: the fit came before the session's events
    CHECK(e.time_s <= e.received_time_s + 1e-6);   // it happened before its line was read
    CHECK(e.received_time_s - e.time_s < 0.1);
    flips += e.kind == "photodiode";
    frame_clocks += e.kind == "frame_clock";
    lick_onsets += e.kind == "lick" && e.value == 1;
  }
  CHECK(flips >= 100);  // 30 flips a second over the session's 4.3 s
  REQUIRE(lick_onsets == nwb.licks.size());
  // Licks are timed when they happened, on the mapped device clock, not when their line arrived.
  std::size_t k = 0;
  for (const apical::nwb::DeviceEvent& e : nwb.device_events)
    if (e.kind == "lick" && e.value == 1) CHECK(nwb.licks[k++].time_s == e.time_s);

  CHECK(summary.frame_clock_pulses == frame_clocks);
  CHECK(summary.frames_received == f.frames());
  nlohmann::json written;
  std::ifstream(folder + "/summary.json") >> written;
  CHECK(written["frame_clock"]["pulses"] == frame_clocks);
  CHECK(written["frame_clock"]["frames_received"] == f.frames());
  CHECK(written["device_clock"]["pings"] == nwb.clock_pings.size());
  std::ifstream log(folder + "/session.log");
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  CHECK_THAT(text, Contains("FRAME CLOCK MISMATCH: "));
}

TEST_CASE("apical rig runs a session with a session folder, and Ctrl-C ends it cleanly", "[bridge][rig][cli]") {
  const RigFixture& f = fixture();
  const std::string rig_path = temp_path("rig_cli.json");
  std::ofstream(rig_path) << f.rig(100).dump();  // 10 s of frames: time to interrupt the task
  const std::string folder = temp_path("rig_cli_session");
  std::filesystem::remove_all(folder);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDOUT_FILENO);
    ::execl(APICAL_CLI_PATH, APICAL_CLI_PATH, "rig", rig_path.c_str(), "--out", folder.c_str(), nullptr);
    ::_exit(127);
  }
  // Interrupt once the task has begun.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bool in_task = false;
  while (!in_task && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::ifstream log(folder + "/session.log");
    const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    in_task = text.find("PHASE task") != std::string::npos;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(in_task);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  nlohmann::json summary;
  std::ifstream(folder + "/summary.json") >> summary;
  CHECK(summary["ended_by"] == "stopped by the user");
  CHECK(summary["frames"]["task"] > 0);
  CHECK(summary["frames"]["task"] < f.task_frames);
  const apical::nwb::SessionRecording nwb = apical::nwb::read_session(folder + "/session.nwb");
  CHECK(nwb.frames == f.calibration_frames + summary["frames"]["task"].get<std::size_t>());
}

TEST_CASE("rig-side opto: blocks of light through the emulated RIGLINK/1 device are recorded as the device confirmed them",
          "[bridge][rig][devices][opto][nwb]") {
  // A 10-Hz frame clock on the device and session.frame_rate 10 Hz, frames from the TIFF at 60 Hz: the
  // opto schedule counts nominal frames (6-s blocks = 60 frames = 1 s here), the frames' opto flags
  // follow the device's OPT pulses on the mapped clock.
  const RigFixture f("rig_session_opto", 120, 360);
  EmulatorProcess emulator({"--protocol", "riglink1", "--frame-hz", "10", "--sync-seed", "3"});
  nlohmann::json rig = f.rig(60);
  rig["session"]["frame_rate"] = "10 Hz";
  rig["reward"] = {{"type", "riglink1"},        {"path", emulator.slave_path()}, {"valve_a_uL_per_ms", 2.0},
                   {"trial_ttl_line", 0},       {"sync_mean_interval", "200 ms"}, {"sync_width", "10 ms"}};
  rig["opto"] = {{"schedule", "blocks"}, {"block_s", 6}, {"led_us", 6000}, {"gate_us", 7000}};
  const std::string folder = temp_path("rig_session_opto_folder");
  std::filesystem::remove_all(folder);
  const RigConfig config = config_of(rig);
  MemoryRecorder memory;
  SessionFolder nwb_folder(folder, std::make_unique<NwbSessionRecorder>(folder + "/session.nwb"));
  TeeRecorder recorder(memory, nwb_folder);
  RigSession session(config, recorder, {});
  const std::atomic<bool> stop{false};
  const SessionSummary summary = session.run(stop);
  REQUIRE(summary.task_frames == f.task_frames);

  // The device's LED pulses, on the session clock as the session maps them.
  struct Pulse {
    double start_s, stop_s;
  };
  std::vector<Pulse> pulses;
  std::size_t ttl = 0;
  std::vector<std::int64_t> syncs;
  for (const DeviceEvent& e : memory.events) {
    if (e.kind == DeviceEvent::Kind::ttl) ++ttl;
    if (e.kind == DeviceEvent::Kind::sync) syncs.push_back(e.value);
    if (e.kind != DeviceEvent::Kind::opto) continue;
    REQUIRE(e.mapped_ns);
    const double start = memory.seconds(*e.mapped_ns);
    pulses.push_back({start, start + static_cast<double>(e.value) * 1e-6});
  }
  CHECK(pulses.size() == summary.opto_pulses);

  // Three lit blocks of about 1 s at 10 Hz (task frames 60-119, 180-239, 300-359), one epoch each, from
  // its first pulse to the end of its last; every pulse lies in one.
  REQUIRE(memory.opto_blocks.size() == 3);
  CHECK(summary.opto_blocks == 3);
  std::size_t in_blocks = 0;
  for (const MemoryRecorder::OptoBlock& b : memory.opto_blocks) {
    double first = 1e9, last_end = -1e9;
    std::size_t n = 0;
    for (const Pulse& p : pulses) {
      if (p.start_s < b.start_s || p.start_s > b.stop_s) continue;
      first = std::min(first, p.start_s);
      last_end = std::max(last_end, p.stop_s);
      ++n;
    }
    INFO("block " << b.start_s << " s to " << b.stop_s << " s, " << b.pulses << " pulses");
    CHECK(n == b.pulses);
    CHECK(n >= 6);
    CHECK(n <= 14);
    CHECK(first == b.start_s);
    CHECK(last_end == b.stop_s);
    in_blocks += n;
  }
  CHECK(in_blocks == pulses.size());

  // Each frame is lit exactly when a confirmed pulse started 1.75 to 0.25 frame periods (100 ms)
  // before it arrived.
  std::size_t lit_frames = 0, disagreements = 0;
  for (const RecordedFrame& r : memory.frames) {
    const double t = memory.seconds(r.stages.received_ns);
    const bool expected = std::any_of(pulses.begin(), pulses.end(), [&](const Pulse& p) {
      return p.start_s >= t - 0.175 && p.start_s <= t - 0.025;
    });
    disagreements += expected != r.opto;
    lit_frames += r.opto;
    if (r.phase == SessionPhase::calibration) CHECK_FALSE(r.opto);
  }
  INFO(lit_frames << " frames lit of " << memory.frames.size());
  CHECK(disagreements == 0);
  CHECK(lit_frames == summary.opto_frames);
  CHECK(lit_frames >= 120);  // three lit seconds at 60 frames a second, less the edges

  // A trial is opto when one of its frames was lit; a TTL pulse marks every trial start.
  REQUIRE(memory.trials.size() >= 3);
  std::size_t opto_trials = 0, trial_starts = 0;
  for (const TrialSummary& trial : memory.trials) {
    bool any = false;
    for (const RecordedFrame& r : memory.frames) {
      const double t = memory.seconds(r.stages.received_ns);
      if (r.decided && t >= trial.start_s && t <= trial.stop_s) any = any || r.opto;
    }
    CHECK(trial.opto == any);
    opto_trials += trial.opto;
  }
  for (const RecordedFrame& r : memory.frames) trial_starts += r.decided && r.task.trial_start;
  CHECK(opto_trials >= 1);
  CHECK(opto_trials < memory.trials.size());
  CHECK(ttl == trial_starts);
  REQUIRE(syncs.size() >= 10);  // random intervals of 200 ms on average over about 8 s
  for (std::size_t k = 1; k < syncs.size(); ++k) CHECK(syncs[k] == syncs[k - 1] + 1);

  // The NWB file: each frame's opto flag, the opto epochs after the calibration epoch, the trials' opto
  // column, every pulse.
  const apical::nwb::SessionRecording nwb = apical::nwb::read_session(folder + "/session.nwb");
  REQUIRE(nwb.frames == memory.frames.size());
  REQUIRE(nwb.opto.size() == nwb.frames);
  std::size_t nwb_lit_frames = 0;
  for (std::size_t k = 0; k < nwb.frames; ++k) {
    INFO("frame " << k);
    CHECK(nwb.opto[k] == (memory.frames[k].opto ? 1 : 0));
    nwb_lit_frames += nwb.opto[k];
    // A single-plane session has no distal shifts.
    CHECK(std::isnan(nwb.distal_shift_dx_px[k]));
    CHECK(std::isnan(nwb.distal_shift_dy_px[k]));
    CHECK(std::isnan(nwb.distal_shift_peak_ratio[k]));
  }
  CHECK(nwb_lit_frames == summary.opto_frames);
  std::vector<apical::nwb::Interval> opto_epochs;
  for (const apical::nwb::Interval& e : nwb.epochs)
    if (e.tag == "opto") opto_epochs.push_back(e);
  REQUIRE(opto_epochs.size() == 3);
  for (std::size_t k = 0; k < 3; ++k) {
    CHECK(opto_epochs[k].start_time_s == memory.opto_blocks[k].start_s);
    CHECK(opto_epochs[k].stop_time_s == memory.opto_blocks[k].stop_s);
  }
  REQUIRE(nwb.trials.size() == memory.trials.size());
  for (std::size_t k = 0; k < nwb.trials.size(); ++k) CHECK(nwb.trials[k].opto == memory.trials[k].opto);
  std::size_t nwb_pulses = 0;
  for (const apical::nwb::DeviceEvent& e : nwb.device_events) nwb_pulses += e.kind == "opto";
  CHECK(nwb_pulses == pulses.size());
  nlohmann::json written;
  std::ifstream(folder + "/summary.json") >> written;
  CHECK(written["opto"]["blocks"] == 3);
  CHECK(memory.noted("OPTO ON commanded: LED 6000 us and PMT gate 7000 us"));
}

TEST_CASE("the rig file's opto section is strict and names its JSON path", "[bridge][rig][config][opto]") {
  const RigFixture& f = fixture();
  nlohmann::json rig = f.rig();
  rig["reward"] = {{"type", "riglink1"}, {"path", "/dev/ttyACM0"}, {"valve_a_uL_per_ms", 2.0}};
  rig["opto"] = {{"schedule", "blocks"}, {"block_s", 60}, {"led_us", 6000}};
  CHECK(config_of(rig).opto.schedule == OptoPlan::Schedule::blocks);
  CHECK(config_of(rig).opto.pulses.gate_us == 7000);
  rig["opto"] = {{"schedule", "block"}};
  CHECK_THAT(config_error(rig), Contains("/opto/schedule") && Contains("blocks"));
  rig["opto"] = {{"schedule", "every_frame"}, {"led_ms", 6}};
  CHECK_THAT(config_error(rig), Contains("/opto/led_ms") && Contains("did you mean 'led_us'"));
  rig["opto"] = {{"schedule", "blocks"}};
  CHECK_THAT(config_error(rig), Contains("/opto") && Contains("block_s"));
  rig["opto"] = {{"schedule", "every_frame"}, {"block_s", 60}};
  CHECK_THAT(config_error(rig), Contains("/opto/block_s") && Contains("blocks schedule only"));
  rig["opto"] = {{"schedule", "every_frame"}, {"led_us", 6000}, {"gate_us", 5000}};
  CHECK_THAT(config_error(rig), Contains("/opto/gate_us") && Contains("must cover the LED pulse"));
  rig["opto"] = {{"schedule", "every_frame"}, {"led_us", 200000}};
  CHECK_THAT(config_error(rig), Contains("/opto/led_us"));
  rig["opto"] = {{"schedule", "every_frame"}};
  rig.erase("reward");
  CHECK_THAT(config_error(rig), Contains("/opto/schedule") && Contains("needs a reward device"));
}
