// Rig sessions under faults (issue 4): a reward device slow to answer or unplugged, a disk that fills
// during the session, a frame sender that disconnects and reconnects. Each time the session goes on,
// the frames keep their latency, and the outcome reaches the summary and the recording.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "apical/bridge/frame_senders.hpp"
#include "apical/bridge/nwb_session_recorder.hpp"
#include "apical/bridge/rig_session.hpp"
#include "apical/bridge/session_folder.hpp"
#include "apical/bridge/tiff_stack.hpp"
#include "apical/io/nwb/session_reader.hpp"
#include "emulator_process.hpp"
#include "memory_recorder.hpp"
#include "rig_fixture.hpp"

using namespace apical::bridge;
using namespace apical::bridge::test;
using Catch::Matchers::Contains;

namespace {

SessionSummary run(const nlohmann::json& rig, SessionRecorder& recorder, const StatusCallback& status = {}) {
  const RigConfig config = read_rig_config(rig, "rig.json", "");
  RigSession session(config, recorder, {});
  const std::atomic<bool> stop{false};
  return session.run(stop, status);
}

double latency_ms(const StageTimes& stages) { return static_cast<double>(stages.sent_ns - stages.received_ns) * 1e-6; }

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Hands everything to `inner` and calls `on_frame` with each frame's index first.
struct FrameHook final : SessionRecorder {
  SessionRecorder& inner;
  std::function<void(std::uint64_t)> on_frame;
  FrameHook(SessionRecorder& r, std::function<void(std::uint64_t)> f) : inner(r), on_frame(std::move(f)) {}
  void begin(const SessionStart& s) override { inner.begin(s); }
  void calibrated(const apical::loop::Calibration& c, bool from_file) override { inner.calibrated(c, from_file); }
  void frame(const FrameRecord& r) override {
    on_frame(r.index);
    inner.frame(r);
  }
  void device_event(const DeviceEvent& e, double t_s) override { inner.device_event(e, t_s); }
  void trial(const TrialSummary& t) override { inner.trial(t); }
  void note(double t_s, const std::string& line) override { inner.note(t_s, line); }
  void invalid_time(double a, double b, const std::string& why) override { inner.invalid_time(a, b, why); }
  void idle() override { inner.idle(); }
  void end(const SessionSummary& s) override { inner.end(s); }
  [[nodiscard]] std::string write_problem() const override { return inner.write_problem(); }
};

// Exactly one invalid-time interval names the sender's disconnect; it spans the 300-ms absence and,
// where the source can see them, names the frames lost. The summary counts every interval.
void check_one_disconnect_gap(const MemoryRecorder& recorder, const SessionSummary& summary,
                              const std::string& also_names = "") {
  std::size_t gaps_with_disconnect = 0;
  for (const MemoryRecorder::InvalidTime& t : recorder.invalid_times) {
    if (t.why.find("sender disconnected") == std::string::npos) continue;
    ++gaps_with_disconnect;
    CHECK(t.stop_s - t.start_s >= 0.3);
    if (!also_names.empty()) CHECK_THAT(t.why, Contains(also_names));
  }
  CHECK(gaps_with_disconnect == 1);
  CHECK(summary.invalid_intervals == recorder.invalid_times.size());
}

}  // namespace

TEST_CASE("no frame waits for a reward device that answers slowly, every outcome reaches the summary and the trials",
          "[bridge][rig][devices]") {
  // Every other reply is dropped and the heartbeat is not due again during the session, so each command
  // (REWARD_UL included) is answered only after one reply_timeout of 100 ms and a resend.
  const RigFixture f("rig_session_slow_device", 300, 300);
  EmulatorProcess emulator({"--protocol", "riglink1", "--frame-hz", "0", "--drop-reply-every", "2", "--watchdog-ms",
                            "60000", "--lick-interval-ms", "30"});
  nlohmann::json rig = f.rig(120);
  rig["loop"]["task"]["show_frames"] = 30;  // rewards at least 417 ms apart (the device refuses closer ones)
  rig["loop"]["task"]["blank_ok_frames"] = 20;
  rig["reward"] = {{"type", "riglink1"},          {"path", emulator.slave_path()},
                   {"valve_a_uL_per_ms", 2.0},    {"reply_timeout", "100 ms"},
                   {"heartbeat_interval", "10000 ms"}};
  MemoryRecorder recorder;
  const SessionSummary summary = run(rig, recorder);

  REQUIRE(summary.rewards_commanded >= 3);
  CHECK(summary.rewards_delivered == summary.rewards_commanded);
  CHECK(summary.device.retries >= summary.rewards_commanded);
  CHECK(summary.reward_wait_p50_ms >= 100);  // the device's wait happened ...
  std::size_t reward_frames = 0;
  for (const RecordedFrame& r : recorder.frames) {
    if (!r.decided || !r.task.reward_command) continue;
    ++reward_frames;
    CHECK(latency_ms(r.stages) < 50);  // ... but not in the frame that commanded the reward
  }
  CHECK(reward_frames == summary.rewards_commanded);
  std::size_t rewarded_trials = 0;
  for (const TrialSummary& t : recorder.trials) {
    if (t.reward_s < 0) continue;
    ++rewarded_trials;
    CHECK(t.reward_uL == 4.0);
    CHECK(t.reward_confirmed_s - t.reward_s >= 0.1);
  }
  CHECK(rewarded_trials == summary.rewards_commanded);
  CHECK(recorder.trials.size() == summary.trials);
  CHECK(summary.licks > 0);  // the events kept flowing meanwhile
}

TEST_CASE("a reward device unplugged mid-session: the session goes on, logs it and counts the refused rewards",
          "[bridge][rig][devices]") {
  const RigFixture f("rig_session_unplug", 300, 600);  // the task runs from about 2.7 s to 7.7 s
  EmulatorProcess emulator({"--protocol", "riglink1", "--lick-interval-ms", "30", "--unplug-after-s", "4"});
  nlohmann::json rig = f.rig(120);
  rig["loop"]["task"]["show_frames"] = 30;
  rig["loop"]["task"]["blank_ok_frames"] = 20;
  rig["reward"] = {{"type", "riglink1"}, {"path", emulator.slave_path()}, {"valve_a_uL_per_ms", 2.0}};
  MemoryRecorder recorder;
  bool lost_shown = false;
  const SessionSummary summary = run(rig, recorder, [&](const SessionStatus& s) { lost_shown = lost_shown || s.device_lost; });

  CHECK(summary.ended_by == "the source ended");
  CHECK(summary.task_frames == f.task_frames);
  CHECK(summary.device.losses == 1);
  CHECK(lost_shown);
  CHECK(recorder.noted("LOST riglink1 on " + emulator.slave_path()));
  CHECK(summary.rewards_delivered >= 1);
  CHECK(summary.rewards_refused >= 1);
  CHECK(summary.rewards_delivered + summary.rewards_refused == summary.rewards_commanded);
  CHECK(recorder.noted("REWARD NOT DELIVERED by riglink1 on " + emulator.slave_path() + ": device lost"));
  std::size_t unrewarded = 0;
  for (const TrialSummary& t : recorder.trials)
    if (t.reward_s >= 0 && t.reward_uL == 0) ++unrewarded;
  CHECK(unrewarded == summary.rewards_refused);
  CHECK(summary_json(summary)["reward_device"]["losses"] == 1);
}

TEST_CASE("a disk that fills during a session does not end it: the frames wait in memory and reach the file",
          "[bridge][rig][nwb]") {
  const RigFixture f("rig_session_disk_full");  // 20 + 600 + 400 frames
  const std::string folder = temp_path("rig_session_disk_full");
  std::filesystem::remove_all(folder);
  std::atomic<bool> disk_full{false};
  apical::nwb::WriterOptions options;
  options.flush_interval = std::chrono::milliseconds(50);
  options.free_bytes = [&](const std::string&) { return disk_full ? std::uint64_t{0} : UINT64_MAX; };
  SessionFolder session_folder(folder, std::make_unique<NwbSessionRecorder>(folder + "/session.nwb", options));
  // The disk is full while frames 300 to 799 are recorded (at 300 Hz: 1.7 s, so a status line falls in it).
  FrameHook recorder(session_folder, [&](std::uint64_t index) { disk_full = index >= 300 && index < 800; });
  bool problem_shown = false;
  const SessionSummary summary =
      run(f.rig(300), recorder, [&](const SessionStatus& s) { problem_shown = problem_shown || !s.write_problem.empty(); });

  CHECK(summary.ended_by == "the source ended");
  CHECK(problem_shown);
  const std::string log = file_text(folder + "/session.log");
  CHECK(occurrences(log, "RECORDING FAILED") == 1);
  CHECK(occurrences(log, "RECORDING RESUMED") == 1);
  CHECK_THAT(log, Contains("MiB free on the disk"));
  const apical::nwb::SessionRecording nwb = apical::nwb::read_session(folder + "/session.nwb");
  CHECK(nwb.frames == f.calibration_frames + f.task_frames);
  bool failure_in_file = false;
  for (const apical::nwb::LogMessage& m : nwb.messages) failure_in_file = failure_in_file || m.text.starts_with("RECORDING FAILED");
  CHECK(failure_in_file);
}

TEST_CASE("a disk still full at a session's end is reported then, naming what the file holds", "[bridge][rig][nwb]") {
  const RigFixture f("rig_session_disk_full_at_end", 300, 200);
  const std::string folder = temp_path("rig_session_disk_full_at_end");
  std::filesystem::remove_all(folder);
  std::atomic<bool> disk_full{false};
  apical::nwb::WriterOptions options;
  options.flush_interval = std::chrono::milliseconds(50);
  options.free_bytes = [&](const std::string&) { return disk_full ? std::uint64_t{0} : UINT64_MAX; };
  SessionFolder session_folder(folder, std::make_unique<NwbSessionRecorder>(folder + "/session.nwb", options));
  FrameHook recorder(session_folder, [&](std::uint64_t index) { disk_full = disk_full || index >= 400; });
  CHECK_THROWS_WITH(run(f.rig(300), recorder),
                    Contains(folder + "/session.nwb could not be completed: it holds") &&
                        Contains("of the session's 500 frames") && Contains("MiB free") &&
                        Contains("session.log and summary.json in " + folder + " are complete"));
  nlohmann::json summary;
  std::ifstream(folder + "/summary.json") >> summary;
  CHECK(summary["ended_by"] == "the source ended");
  CHECK_THAT(file_text(folder + "/session.log"), Contains("RECORDING FAILED"));
}

TEST_CASE("a frame sender that disconnects mid-task and reconnects: the session goes on and records the gap",
          "[bridge][rig][tcp]") {
  const RigFixture f("rig_session_reconnect", 200, 300);
  nlohmann::json rig = f.rig();
  rig["source"] = {{"type", "tcp-framed"}, {"address", "127.0.0.1"}, {"port", 0}, {"width", f.width},
                   {"height", f.height}, {"frame_rate", "50 Hz"}, {"queue_frames", 256}};  // no overruns while calibrating
  const RigConfig config = read_rig_config(rig, "rig.json", "");
  MemoryRecorder recorder;
  RigSession session(config, recorder, {});
  const std::uint16_t port = *session.source().listening_port();

  // Sends the fixture's frames at 200 Hz; after frame 320 (100 frames into the task) it goes away for
  // 300 ms and comes back without frames 321-325.
  constexpr std::uint64_t last_before = 320, first_after = 326;
  std::thread sender([&] {
    TiffReader tiff(f.tiff);
    Frame frame;
    const auto send_range = [&](ApfSender& to, std::uint64_t from, std::uint64_t until) {
      for (std::uint64_t k = from; k < until; ++k) {
        tiff.read(k, frame);
        frame.seq = k;
        if (!to.send_frame(frame)) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    };
    {
      ApfSender first("127.0.0.1", port, std::chrono::milliseconds(5000));
      send_range(first, 0, last_before + 1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ApfSender second("127.0.0.1", port, std::chrono::milliseconds(5000));
    send_range(second, first_after, f.frames());
    second.send_end(f.frames());
  });
  const std::atomic<bool> stop{false};
  const SessionSummary summary = session.run(stop);
  sender.join();

  CHECK(summary.ended_by == "the source ended");
  CHECK(summary.calibration_frames == f.calibration_frames);
  CHECK(summary.task_frames == f.task_frames - (first_after - last_before - 1));
  CHECK(summary.source.connections == 2);
  CHECK(summary.source.disconnects == 1);
  CHECK(summary.source.dropped == first_after - last_before - 1);
  CHECK(recorder.noted("DISCONNECT"));
  CHECK(recorder.noted("RECONNECT sender connected"));
  check_one_disconnect_gap(recorder, summary, "5 frames lost");
  CHECK(recorder.noted("INVALID TIME"));
  CHECK(recorder.trials.size() == summary.trials);
  CHECK(summary.trials >= 3);
}

// The same over CLOOSE's headerless stream: the bridge is the client and reconnects by itself. With no
// sequence numbers the lost frames are unseen, but the disconnect still marks the gap as invalid.
TEST_CASE("a CLOOSE frame server that drops the bridge mid-task: it reconnects and the gap is recorded",
          "[bridge][rig][tcp]") {
  const RigFixture f("rig_session_reconnect_cloose", 200, 300);
  RawFrameServer server("127.0.0.1", 0, {false, false, false});
  nlohmann::json rig = f.rig();
  rig["source"] = {{"type", "tcp-raw-cloose"}, {"host", "127.0.0.1"}, {"port", server.port()}, {"width", f.width},
                   {"height", f.height}, {"byte_order", "little"}, {"invert", false}, {"frame_rate", "50 Hz"},
                   {"reconnect_interval", "20 ms"}, {"queue_frames", 256}};
  const RigConfig config = read_rig_config(rig, "rig.json", "");
  MemoryRecorder recorder;
  RigSession session(config, recorder, {});

  // Serves the fixture's frames at 200 Hz; after frame 320 it drops the bridge, and the frames of the
  // next 300 ms (321-325) are gone when the bridge is back. The session is stopped once all are sent.
  constexpr std::uint64_t last_before = 320, first_after = 326;
  std::atomic<bool> stop{false};
  std::thread sender([&] {
    TiffReader tiff(f.tiff);
    Frame frame;
    const auto serve_range = [&](std::uint64_t from, std::uint64_t until) {
      if (!server.accept_client(Clock::now() + std::chrono::seconds(5))) return;
      for (std::uint64_t k = from; k < until; ++k) {
        tiff.read(k, frame);
        if (!server.send_frame(frame)) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    };
    serve_range(0, last_before + 1);
    server.drop_client();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    serve_range(first_after, f.frames());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the bridge takes in the last frames
    stop = true;
  });
  const SessionSummary summary = session.run(stop);
  sender.join();

  CHECK(summary.ended_by == "stopped by the user");
  CHECK(summary.calibration_frames == f.calibration_frames);
  CHECK(summary.task_frames == f.task_frames - (first_after - last_before - 1));
  CHECK(summary.source.connections == 2);
  CHECK(summary.source.disconnects == 1);
  CHECK(summary.source.dropped == 0);  // unseen without sequence numbers
  CHECK(recorder.noted("RECONNECT to 127.0.0.1"));
  check_one_disconnect_gap(recorder, summary);
  CHECK(recorder.trials.size() == summary.trials);
  CHECK(summary.trials >= 3);
}
