#pragma once
// The output folder of a rig session (docs/rig-sessions.md):
//
//   rig.json          the rig file as run (paths resolved)
//   session.nwb       the recording (NWB 2.x), written as the session goes — by the inner recorder
//   session.log       every log line with its session time, flushed line by line
//   calibration.json  the decoder's calibration, for the next day's rig file
//   summary.json      counts, latencies and how the session ended, written at the end
//
// Each file is written the moment its content exists, so a session that ends abnormally keeps
// everything up to that moment.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "apical/bridge/session_recorder.hpp"

namespace apical::bridge {

class SessionFolder final : public SessionRecorder {
 public:
  // Creates the folder (std::runtime_error naming it when that fails). `inner` also receives everything.
  SessionFolder(std::string folder, std::unique_ptr<SessionRecorder> inner);
  ~SessionFolder() override;

  void begin(const SessionStart& start) override;
  void calibrated(const loop::Calibration& calibration, bool from_file) override;
  void frame(const FrameRecord& record) override;
  void device_event(const DeviceEvent& event, double t_s) override;
  void clock_ping(const ClockPing& ping) override;
  void stimulus_presented(const Presentation& presentation, double commanded_s, double flipped_s) override;
  void trial(const TrialSummary& trial) override;
  void opto_block(double start_s, double stop_s, std::size_t pulses) override;
  void note(double t_s, const std::string& line) override;
  void invalid_time(double start_s, double stop_s, const std::string& why) override;
  void idle() override;
  // Writes summary.json before the inner recorder's end, so that it exists whatever that end does.
  void end(const SessionSummary& summary) override;
  [[nodiscard]] std::string write_problem() const override { return inner_ ? inner_->write_problem() : std::string(); }

  [[nodiscard]] const std::string& folder() const { return folder_; }

 private:
  std::string folder_;
  std::unique_ptr<SessionRecorder> inner_;
  std::FILE* log_ = nullptr;
};

// summary.json's content.
nlohmann::json summary_json(const SessionSummary& summary);

}  // namespace apical::bridge
