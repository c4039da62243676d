#pragma once
// A rig session recorded as one NWB file (docs/nwb.md) through nwb::SessionWriter: the decoder's slots
// as the ROI table (imaged ROIs with their pixel masks, simulated neurons marked as such), every frame's
// F, F0, ΔF/F, decoder output, stimulus, shift and stage times, licks, rewards, trials, the
// calibration block as an epoch, and every log line. The writer flushes at least once a second.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "apical/bridge/session_recorder.hpp"
#include "apical/io/nwb/session_writer.hpp"

namespace apical::bridge {

class NwbSessionRecorder final : public SessionRecorder {
 public:
  explicit NwbSessionRecorder(std::string path) : path_(std::move(path)) {}

  void begin(const SessionStart& start) override;
  void calibrated(const loop::Calibration& calibration, bool from_file) override;
  void frame(const FrameRecord& record) override;
  void device_event(const DeviceEvent& event, double t_s) override;
  void trial(const TrialSummary& trial) override;
  void note(double t_s, const std::string& line) override;
  void idle() override;
  void end(const SessionSummary& summary) override;

 private:
  [[nodiscard]] double seconds(std::int64_t ns) const;
  void close_calibration_epoch();

  std::string path_;
  std::unique_ptr<nwb::SessionWriter> writer_;
  std::int64_t clock_zero_ns_ = 0;
  double reward_volume_uL_ = 0;
  nlohmann::json protocol_;
  std::optional<double> calibration_start_s_;
  double calibration_last_s_ = 0;
};

}  // namespace apical::bridge
