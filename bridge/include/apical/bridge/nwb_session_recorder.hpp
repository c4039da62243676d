#pragma once
// A rig session recorded as one NWB file (docs/nwb.md) through nwb::SessionWriter: the decoder's slots
// as the ROI table (imaged ROIs with their pixel masks, simulated neurons marked as such), every frame's
// F, F0, ΔF/F, decoder output, stimulus, shift, confirmed opto flag and stage times, licks, rewards,
// trials (with their confirmed opto flag), the calibration block and each block of confirmed opto light
// as epochs, gaps in the frames as invalid times, every log line, and the reward device's events on both
// clocks (licks and rewards at the time they happened when the host-device clock fit gives it, at the
// time their line arrived otherwise) with the raw clock pings. The writer flushes at least once a second.
// A two-plane session adds the distal plane (ImagingPlane_distal, its ROI table with paired_roi and
// pair_r, its F, ΔF/F, F0 and registration shift per cycle); the log's last line counts the pairs with
// r ≥ 0.6.
//
// A failed write (a full disk, an I/O error) does not end the session: the writer keeps every record in
// memory and tries again at its next flush, at most once per flush interval; write_problem() says why
// meanwhile. Only a failure of the last flush, at end(), throws: a std::runtime_error naming the file,
// how many frames it holds and the cause.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "apical/bridge/session_recorder.hpp"
#include "apical/io/nwb/session_writer.hpp"

namespace apical::bridge {

class NwbSessionRecorder final : public SessionRecorder {
 public:
  explicit NwbSessionRecorder(std::string path, nwb::WriterOptions options = {})
      : path_(std::move(path)), options_(std::move(options)) {}

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
  void end(const SessionSummary& summary) override;
  [[nodiscard]] std::string write_problem() const override { return problem_; }

 private:
  [[nodiscard]] double seconds(std::int64_t ns) const;
  void close_calibration_epoch();
  void note_pairs(const SessionSummary& summary);
  // Runs one writer call; a WriteError becomes write_problem() until a later flush succeeds.
  template <class Write>
  void guarded(Write&& write);

  std::string path_;
  nwb::WriterOptions options_;
  std::string problem_;                  // the last WriteError while the writer cannot flush
  std::uint64_t flushes_at_failure_ = 0;
  std::unique_ptr<nwb::SessionWriter> writer_;
  std::int64_t clock_zero_ns_ = 0;
  double reward_volume_uL_ = 0;
  nlohmann::json protocol_;
  std::optional<double> calibration_start_s_;
  double calibration_last_s_ = 0;
  double latest_s_ = 0;                       // the latest frame or note: when end() notes the pairs
  std::vector<double> f_, f0_, dff_;          // a two-plane frame's values, proximal then distal
};

}  // namespace apical::bridge
