// apical rig RIG.json: a closed-loop session on a two-photon rig (docs/rig-sessions.md) with a live
// status line; Ctrl-C ends it cleanly (a second Ctrl-C forces the exit).
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>

#include "apical/bridge/nwb_session_recorder.hpp"
#include "apical/bridge/rig_session.hpp"
#include "apical/bridge/session_folder.hpp"
#include "apical/io/suggest.hpp"
#include "commands.hpp"
#include "format.hpp"

namespace apical::cli {
namespace {

constexpr const char* rig_usage = R"(usage: apical rig RIG.json [--out DIR]

Runs a closed-loop BCI session on a two-photon rig as RIG.json describes it (docs/rig-sessions.md):
frames from the configured source, a registration reference, the decoder's calibration block (or a
calibration file from an earlier session), then the task - the same decoder and trial task as the
simulation - with rewards through the reward device and the stimulus through the stimulus output.

  --out DIR   the session folder (default sessions/NAME-YYYYMMDD-HHMMSS): session.nwb, session.log,
              calibration.json, summary.json and rig.json

A status line shows the phase, frame rate, lost frames, latency p50/p99, trials and hit rate when
stderr is a terminal. Ctrl-C ends the session cleanly; everything recorded so far is kept.
)";

std::atomic<bool> stop_requested{false};

extern "C" void on_interrupt(int) {
  // The first Ctrl-C asks the session to end; the default action then handles a second one.
  stop_requested = true;
  std::signal(SIGINT, SIG_DFL);
}

std::string default_folder(const std::string& name) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  return (std::filesystem::path("sessions") / (name + "-" + stamp)).string();
}

std::string status_text(const bridge::SessionStatus& s) {
  std::string text = std::string("[") + bridge::phase_name(s.phase) + "] frame " + std::to_string(s.frames);
  if (s.phase_frames) text += "/" + std::to_string(s.phase_frames);
  text += "  " + fixed(s.frame_rate_hz, 1) + " Hz  lost " + std::to_string(s.lost_frames);
  if (s.phase == bridge::SessionPhase::task) {
    text += "  latency p50 " + fixed(s.latency_p50_ms, 2) + " ms p99 " + fixed(s.latency_p99_ms, 2) + " ms";
    text += "  trials " + std::to_string(s.trials) + " hits " + std::to_string(s.hits);
    if (s.trials) text += " (" + fixed(100.0 * double(s.hits) / double(s.trials), 0) + "%)";
    text += "  rewards " + std::to_string(s.rewards);
  }
  if (s.device_lost) text += "  REWARD DEVICE LOST";
  if (!s.write_problem.empty()) text += "  RECORDING FAILED (kept in memory, retrying)";
  return text;
}

}  // namespace

int rig_command(const std::vector<std::string>& args) {
  std::optional<std::string> rig_file, out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << rig_usage;
      return 0;
    }
    if (a == "--out") {
      if (i + 1 >= args.size()) throw UsageError("--out needs a folder");
      out = args[++i];
    } else if (a.starts_with("--")) {
      throw UsageError("unknown option '" + a + "'" + suggestion_suffix(a, {"--out", "--help"}));
    } else if (rig_file) {
      throw UsageError("apical rig takes one rig file, got '" + *rig_file + "' and '" + a + "'");
    } else {
      rig_file = a;
    }
  }
  if (!rig_file) throw UsageError("apical rig needs a rig file");

  const bridge::RigConfig config = bridge::load_rig_config(*rig_file);
  const std::string folder = out.value_or(default_folder(config.name));
  bridge::SessionFolder recorder(
      folder, std::make_unique<bridge::NwbSessionRecorder>((std::filesystem::path(folder) / "session.nwb").string()));
  const bool terminal = isatty(STDERR_FILENO) != 0;
  bool status_shown = false;
  const auto clear_status = [&] {
    if (status_shown) std::cerr << "\r\033[K";
    status_shown = false;
  };
  bridge::RigSession session(config, recorder, [&](const std::string& line) {
    clear_status();
    std::cout << line << std::endl;
  });
  std::cout << "session folder " << folder << std::endl;
  stop_requested = false;
  std::signal(SIGINT, on_interrupt);
  const bridge::StatusCallback status = [&](const bridge::SessionStatus& s) {
    if (!terminal) return;
    std::cerr << "\r\033[K" << status_text(s) << std::flush;
    status_shown = true;
  };
  const bridge::SessionSummary summary = session.run(stop_requested, status);
  std::signal(SIGINT, SIG_DFL);
  clear_status();
  std::cout << "session ended (" << summary.ended_by << "): " << summary.task_frames << " task frames, " << summary.trials
            << " trials, " << summary.hits << " hits, " << summary.rewards_delivered << " of " << summary.rewards_commanded
            << " rewards delivered; latency p50 " << fixed(summary.latency_p50_ms, 2) << " ms, p99 "
            << fixed(summary.latency_p99_ms, 2) << " ms\nwritten to " << folder << std::endl;
  return 0;
}

}  // namespace apical::cli
