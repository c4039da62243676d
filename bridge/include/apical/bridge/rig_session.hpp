#pragma once
// A closed-loop rig session (docs/rig-sessions.md): frames from the configured source become a
// registration reference, then a calibration block, then the task — each task frame goes through the
// same objects as a simulated session (loop::DeltaFOverF, loop::Decoder, loop::TrialTask), the reward
// command goes to the reward device and the stimulus to the stimulus output, and everything goes to
// the recorder as it happens.
//
// In a hybrid session the decoder's slots are the imaged ROIs plus simulated neurons of a virtual mouse
// (bci::LiveMouse): each frame steps the mouse's cells once, its chosen neurons' F joins the ROIs' F
// (ΔF/F by the same loop::DeltaFOverF), and after the task has decided the mouse learns from that
// decision — the real reward and teaching events. A pure-rig session is the case without simulated
// neurons; simulate_mouse's own sessions step the same LiveMouse calls.
//
//   reference    the first N frames (re-aligned mean), or the mean of a TIFF                rig.md §7
//   calibration  M frames processed without a decoder → loop::calibrate (or a calibration file)
//   task         process → decoder → task → reward / stimulus → record, until the duration is
//                reached, the source ends, or stop is requested (Ctrl-C)
//
// Two planes (RigConfig::distal): frames alternate proximal and distal (an ETL; the plane from the APF/1
// header when it counts 2 planes, else from the sequence number, even = proximal). Each plane has its
// own reference, registration, F and F0; only the proximal plane reaches the decoder and the task, which
// step once per proximal frame exactly as in a single-plane session. A proximal frame's record waits
// for the distal frame of its cycle (NaN distal values when that frame is lost), so one record is one
// cycle; the decision never waits.
//
// Faults never end the session: the source and the devices count, log and reconnect; the loop goes on.
// The reward device runs on its own thread (RewardDeviceWorker), so no frame waits for its replies;
// the session's end waits up to 2 s for rewards still queued and records every outcome. A gap in the
// frames is recorded as an invalid time; a recorder that cannot write keeps its records and retries.
// Set-up problems (a port in use, ROIs drawn on another frame size, a degenerate calibration block)
// throw before anything is recorded, or — for the calibration — after the block is recorded.
#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "apical/bridge/frame_source.hpp"
#include "apical/bridge/rig_config.hpp"
#include "apical/bridge/session_recorder.hpp"

namespace apical::bridge {

struct SessionStatus {
  SessionPhase phase = SessionPhase::reference;
  std::uint64_t frames = 0;        // frames of this phase so far
  std::uint64_t phase_frames = 0;  // frames the phase needs (0: open-ended)
  double frame_rate_hz = 0;        // over the last status interval
  std::uint64_t lost_frames = 0;   // dropped, overrun, truncated or mis-sized so far
  double latency_p50_ms = 0, latency_p99_ms = 0;  // received → sent, last 60 s of task frames
  std::size_t trials = 0, hits = 0;
  std::uint64_t rewards = 0;
  bool device_lost = false;
  std::string write_problem;       // the recorder's, while it cannot write (records kept in memory)
};

using StatusCallback = std::function<void(const SessionStatus&)>;

class RigSession {
 public:
  // Makes the source, reward device and stimulus output (their set-up errors throw here).
  RigSession(const RigConfig& config, SessionRecorder& recorder, EventLog log);
  ~RigSession();
  RigSession(const RigSession&) = delete;
  RigSession& operator=(const RigSession&) = delete;

  // Runs the session; `status` is called about once a second. The recorder's end() is called on every
  // way out that follows begin(), an exception included.
  SessionSummary run(const std::atomic<bool>& stop, const StatusCallback& status = {});

  // The frame source (its listening port, for tests with port 0).
  [[nodiscard]] const FrameSource& source() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace apical::bridge
