#pragma once
// A SessionRecorder that keeps everything in memory, for the rig-session tests.
#include <atomic>
#include <functional>

#include "apical/bridge/session_recorder.hpp"

namespace apical::bridge::test {

struct RecordedFrame {
  std::uint64_t index = 0;
  SessionPhase phase = SessionPhase::calibration;
  std::uint64_t seq = 0;
  bool decided = false;
  loop::DecoderOutput decision;
  loop::TaskFrame task;
  std::vector<double> dff;
  Shift shift;
  StageTimes stages;
  bool opto = false;
};

struct MemoryRecorder final : SessionRecorder {
  bool begun = false;
  int ends = 0;
  std::string protocol;
  std::vector<Slot> slots;
  std::optional<loop::Calibration> calibration;
  bool calibration_from_file = false;
  std::vector<RecordedFrame> frames;
  std::vector<DeviceEvent> events;
  std::vector<TrialSummary> trials;
  struct OptoBlock {
    double start_s, stop_s;
    std::size_t pulses;
  };
  std::vector<OptoBlock> opto_blocks;
  std::int64_t clock_zero_ns = 0;
  std::vector<std::string> notes;
  struct InvalidTime {
    double start_s, stop_s;
    std::string why;
  };
  std::vector<InvalidTime> invalid_times;
  struct Shown {
    Presentation presentation;
    double commanded_s, flipped_s;
  };
  std::vector<Shown> presentations;
  SessionSummary summary;
  std::function<void(const RecordedFrame&)> on_frame;  // e.g. to request a stop

  void begin(const SessionStart& start) override {
    begun = true;
    protocol = start.protocol_json;
    clock_zero_ns = start.clock_zero_ns;
    slots = start.slots;
  }
  void calibrated(const loop::Calibration& c, bool from_file) override {
    calibration = c;
    calibration_from_file = from_file;
  }
  void frame(const FrameRecord& r) override {
    frames.push_back({r.index, r.phase, r.frame->seq, r.decided, r.decision, r.task,
                      std::vector<double>(r.dff.begin(), r.dff.end()), r.shift, r.frame->stages, r.opto});
    if (on_frame) on_frame(frames.back());
  }
  void device_event(const DeviceEvent& e, double) override { events.push_back(e); }
  void trial(const TrialSummary& t) override { trials.push_back(t); }
  void opto_block(double start_s, double stop_s, std::size_t pulses) override { opto_blocks.push_back({start_s, stop_s, pulses}); }
  // A host-clock time on the session clock, computed as the session computes it.
  [[nodiscard]] double seconds(std::int64_t ns) const { return static_cast<double>(ns - clock_zero_ns) * 1e-9; }
  void stimulus_presented(const Presentation& p, double commanded_s, double flipped_s) override {
    presentations.push_back({p, commanded_s, flipped_s});
  }
  void note(double, const std::string& line) override { notes.push_back(line); }
  void invalid_time(double start_s, double stop_s, const std::string& why) override {
    invalid_times.push_back({start_s, stop_s, why});
  }
  void end(const SessionSummary& s) override {
    ++ends;
    summary = s;
  }

  [[nodiscard]] std::size_t count(SessionPhase phase) const {
    std::size_t n = 0;
    for (const RecordedFrame& f : frames) n += f.phase == phase;
    return n;
  }
  [[nodiscard]] bool noted(const std::string& text) const {
    for (const std::string& n : notes)
      if (n.find(text) != std::string::npos) return true;
    return false;
  }
};

}  // namespace apical::bridge::test
