#include "apical/bridge/session_folder.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "apical/bridge/calibration_file.hpp"

namespace apical::bridge {
namespace {

namespace fs = std::filesystem;

void write_json(const fs::path& path, const nlohmann::json& content) {
  std::ofstream out(path);
  out << content.dump(2) << '\n';
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// The last host-device clock fit; null without one.
nlohmann::json device_clock_json(const SessionSummary& s) {
  if (!s.device_clock) return nullptr;
  const ClockFit& fit = *s.device_clock;
  return {{"pings", s.device.clock_pings}, {"pings_used", fit.pings_used}, {"drift_ppm", fit.drift * 1e6},
          {"max_error_us", fit.max_error_us}, {"offset_us", fit.offset_us}, {"at_monotonic_ns", fit.reference_ns}};
}

}  // namespace

SessionFolder::SessionFolder(std::string folder, std::unique_ptr<SessionRecorder> inner)
    : folder_(std::move(folder)), inner_(std::move(inner)) {
  std::error_code error;
  fs::create_directories(folder_, error);
  if (error) throw std::runtime_error("cannot create the session folder " + folder_ + ": " + error.message());
  const std::string log_path = (fs::path(folder_) / "session.log").string();
  log_ = std::fopen(log_path.c_str(), "a");
  if (!log_) throw std::runtime_error("cannot write " + log_path + ": " + std::strerror(errno));
}

SessionFolder::~SessionFolder() {
  if (log_) std::fclose(log_);
}

void SessionFolder::begin(const SessionStart& start) {
  write_json(fs::path(folder_) / "rig.json", start.config->document);
  std::fprintf(log_, "%s session %s started\n", start.start_time_iso.c_str(), start.config->name.c_str());
  std::fflush(log_);
  if (inner_) inner_->begin(start);
}

void SessionFolder::calibrated(const loop::Calibration& calibration, bool from_file) {
  write_json(fs::path(folder_) / "calibration.json", calibration_json(calibration));
  if (inner_) inner_->calibrated(calibration, from_file);
}

void SessionFolder::frame(const FrameRecord& record) {
  if (inner_) inner_->frame(record);
}

void SessionFolder::device_event(const DeviceEvent& event, double t_s) {
  if (inner_) inner_->device_event(event, t_s);
}

void SessionFolder::clock_ping(const ClockPing& ping) {
  if (inner_) inner_->clock_ping(ping);
}

void SessionFolder::stimulus_presented(const Presentation& presentation, double commanded_s, double flipped_s) {
  if (inner_) inner_->stimulus_presented(presentation, commanded_s, flipped_s);
}

void SessionFolder::trial(const TrialSummary& trial) {
  if (inner_) inner_->trial(trial);
}

void SessionFolder::opto_block(double start_s, double stop_s, std::size_t pulses) {
  if (inner_) inner_->opto_block(start_s, stop_s, pulses);
}

void SessionFolder::note(double t_s, const std::string& line) {
  std::fprintf(log_, "%10.3f s  %s\n", t_s, line.c_str());
  std::fflush(log_);
  if (inner_) inner_->note(t_s, line);
}

void SessionFolder::invalid_time(double start_s, double stop_s, const std::string& why) {
  if (inner_) inner_->invalid_time(start_s, stop_s, why);
}

void SessionFolder::idle() {
  if (inner_) inner_->idle();
}

void SessionFolder::end(const SessionSummary& summary) {
  write_json(fs::path(folder_) / "summary.json", summary_json(summary));
  try {
    if (inner_) inner_->end(summary);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(e.what()) + " (session.log and summary.json in " + folder_ + " are complete)");
  }
}

nlohmann::json summary_json(const SessionSummary& s) {
  const SourceCounters& c = s.source;
  const DeviceCounters& d = s.device;
  return {{"ended_by", s.ended_by},
          {"frames", {{"reference", s.reference_frames}, {"calibration", s.calibration_frames}, {"task", s.task_frames}}},
          {"distal_plane",
           {{"frames", s.distal_frames},
            {"without_proximal", s.distal_without_proximal},
            {"proximal_without_distal", s.proximal_without_distal}}},
          {"trials", s.trials},
          {"hits", s.hits},
          {"hit_rate", s.trials ? double(s.hits) / double(s.trials) : 0.0},
          {"rewards",
           {{"commanded", s.rewards_commanded}, {"delivered", s.rewards_delivered}, {"refused", s.rewards_refused},
            {"wait_ms", {{"p50", s.reward_wait_p50_ms}, {"max", s.reward_wait_max_ms}, {"from", "commanded"}, {"to", "device answered"}}}}},
          {"licks", s.licks},
          {"invalid_intervals", s.invalid_intervals},
          {"latency_ms", {{"p50", s.latency_p50_ms}, {"p99", s.latency_p99_ms}, {"from", "received"}, {"to", "commands sent"}}},
          {"source",
           {{"frames", c.frames}, {"dropped", c.dropped}, {"gaps", c.gaps}, {"duplicates", c.duplicates},
            {"restarts", c.restarts}, {"truncated", c.truncated}, {"wrong_size", c.wrong_size}, {"rejected", c.rejected},
            {"desyncs", c.desyncs}, {"connections", c.connections}, {"disconnects", c.disconnects},
            {"overruns", c.overruns}, {"stalls", c.stalls}}},
          {"reward_device",
           {{"rewards", d.rewards}, {"refused", d.refused}, {"licks", d.licks}, {"retries", d.retries},
            {"bad_crc", d.bad_crc}, {"corrupt_lines", d.corrupt_lines}, {"losses", d.losses}, {"reconnects", d.reconnects},
            {"clock_pings", d.clock_pings}}},
          {"frame_clock",
           {{"pulses", s.frame_clock_pulses}, {"frames_received", s.frames_received},
            {"difference", static_cast<std::int64_t>(s.frame_clock_pulses) - static_cast<std::int64_t>(s.frames_received)}}},
          {"opto", {{"pulses", s.opto_pulses}, {"task_frames_lit", s.opto_frames}, {"blocks", s.opto_blocks}}},
          {"stimulus", {{"sent", s.stimulus.sent}, {"failed", s.stimulus.failed}, {"presentations", s.presentations}}},
          {"device_clock", device_clock_json(s)},
          {"calibration", calibration_json(s.calibration)}};
}

}  // namespace apical::bridge
