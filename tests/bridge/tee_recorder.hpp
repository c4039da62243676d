#pragma once
// A SessionRecorder that hands everything to two recorders, e.g. the NWB file and an in-memory one, so
// that a test can compare what the file holds with what the session recorded.
#include "apical/bridge/session_recorder.hpp"

namespace apical::bridge::test {

struct TeeRecorder final : SessionRecorder {
  SessionRecorder &a, &b;
  TeeRecorder(SessionRecorder& first, SessionRecorder& second) : a(first), b(second) {}
  void begin(const SessionStart& s) override { a.begin(s), b.begin(s); }
  void calibrated(const apical::loop::Calibration& c, bool from_file) override { a.calibrated(c, from_file), b.calibrated(c, from_file); }
  void frame(const FrameRecord& r) override { a.frame(r), b.frame(r); }
  void device_event(const DeviceEvent& e, double t_s) override { a.device_event(e, t_s), b.device_event(e, t_s); }
  void clock_ping(const ClockPing& p) override { a.clock_ping(p), b.clock_ping(p); }
  void trial(const TrialSummary& t) override { a.trial(t), b.trial(t); }
  void opto_block(double start_s, double stop_s, std::size_t pulses) override {
    a.opto_block(start_s, stop_s, pulses), b.opto_block(start_s, stop_s, pulses);
  }
  void note(double t_s, const std::string& line) override { a.note(t_s, line), b.note(t_s, line); }
  void invalid_time(double s, double e, const std::string& why) override { a.invalid_time(s, e, why), b.invalid_time(s, e, why); }
  void idle() override { a.idle(), b.idle(); }
  void end(const SessionSummary& s) override { a.end(s), b.end(s); }
};

}  // namespace apical::bridge::test
