#pragma once
// What a rig session hands to its recorder, as plain data: the set-up at the start, then every
// processed frame, device event, trial and log line as it happens, and a summary at the end. The NWB
// writer (nwb_session_recorder.hpp) stores it; tests collect it in memory.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "apical/bridge/frame.hpp"
#include "apical/bridge/frame_source.hpp"
#include "apical/bridge/phase_correlation.hpp"
#include "apical/bridge/reward_device.hpp"
#include "apical/bridge/rig_config.hpp"
#include "apical/bridge/stimulus_output.hpp"
#include "apical/engine/loop/calibration.hpp"
#include "apical/engine/loop/decoder.hpp"
#include "apical/engine/loop/trial_task.hpp"

namespace apical::bridge {

enum class SessionPhase : std::uint8_t { reference, calibration, task };
const char* phase_name(SessionPhase phase);  // "reference", "calibration", "task"

// One slot of the decoder: an imaged ROI or a simulated neuron (hybrid sessions). Slots are ordered:
// the ROIs in the ROI file's order, then the simulated neurons.
struct Slot {
  std::string name;            // the ROI's name, or "sim_m00_n07" (mouse and neuron index)
  loop::Role role = loop::Role::zero;
  bool simulated = false;
  std::size_t index = 0;       // ROI index in RigConfig::rois, or neuron index in the simulated mouse
};

struct SessionStart {
  const RigConfig* config = nullptr;     // ROIs, the rig file's settings
  std::vector<Slot> slots;               // what each value of a FrameRecord's f, f0, dff belongs to
  std::string start_time_iso;            // wall clock at the session's start, ISO-8601 with time zone
  std::int64_t clock_zero_ns = 0;        // the session clock's zero on the host's monotonic clock
  std::string protocol_json;             // rig file, resolved loop settings and, once known, the calibration
};

struct FrameRecord {
  std::uint64_t index = 0;               // processed frames since the session's start (calibration + task)
  SessionPhase phase = SessionPhase::calibration;
  double t_s = 0;                        // received, seconds on the session clock
  const Frame* frame = nullptr;          // seq, sizes and per-stage host times
  Shift shift;
  std::span<const double> f;             // raw F per slot
  std::span<const double> f0;            // F0 per slot
  std::span<const double> dff;           // ΔF/F per slot as the decoder saw it
  // Two-plane sessions (RigConfig::distal): the distal frame of the same ETL cycle, the one that followed
  // this proximal frame, per distal ROI in RigConfig::distal->rois order; NaN when that frame was lost.
  // Empty spans and a null frame in single-plane sessions.
  const Frame* distal_frame = nullptr;   // seq and stage times; null when lost
  Shift distal_shift;
  std::span<const double> distal_f, distal_f0, distal_dff;
  bool decided = false;                  // task frames: the decoder stepped and the task advanced
  loop::DecoderOutput decision;
  loop::TaskFrame task;
  bool opto = false;                     // the device confirmed LED light at this frame's frame-clock edge
};

struct TrialSummary {
  std::size_t index = 0;
  double start_s = 0, stop_s = 0;        // first OPEN frame and last frame of the trial, session clock
  loop::Outcome outcome = loop::Outcome::pending;  // pending: cut short by the session's end
  double hit_s = -1, reward_s = -1;      // -1 when there was none; reward_s is the commanding frame
  double reward_confirmed_s = -1;        // when the device accepted the reward (-1: not delivered)
  double reward_uL = 0;                  // delivered (0 when refused or none)
  double theta = 0;                      // the decoder's target threshold, z units
  bool opto = false;                     // the device confirmed light on at least one of its frames
};

struct SessionSummary {
  std::string ended_by;                  // "duration reached", "the source ended", "stopped by the user"
  std::uint64_t reference_frames = 0, calibration_frames = 0, task_frames = 0;  // the proximal plane's frames
  // Two-plane sessions: distal frames processed (reference included), and the cycles that lost one plane:
  // a distal frame with no proximal frame before it (processed, not recorded) or a proximal frame
  // recorded without its distal frame (NaN distal values).
  std::uint64_t distal_frames = 0, distal_without_proximal = 0, proximal_without_distal = 0;
  std::size_t trials = 0, hits = 0;
  std::uint64_t rewards_commanded = 0, rewards_delivered = 0, rewards_refused = 0, licks = 0;
  double latency_p50_ms = 0, latency_p99_ms = 0;  // received → commands sent, task frames
  double reward_wait_p50_ms = 0, reward_wait_max_ms = 0;  // reward commanded → the device's answer
  std::uint64_t invalid_intervals = 0;   // gaps in the frames (drops, stalls, disconnects), recorded as invalid times
  SourceCounters source;
  DeviceCounters device;                 // the reward device's faults (losses, retries, bad lines)
  std::optional<ClockFit> device_clock;  // the last host-device clock fit (rig.md §5)
  // rig.md §5's check: frame-clock pulses the device reported during the session against frames the
  // source received (both 0 when the device reports no frame clock).
  std::uint64_t frame_clock_pulses = 0, frames_received = 0;
  // Rig-side opto: LED pulses the device reported (OPT events), task frames marked lit, and the blocks
  // of confirmed light recorded as opto epochs.
  std::uint64_t opto_pulses = 0, opto_frames = 0, opto_blocks = 0;
  // The stimulus output's commands (none without one) and the built-in display's new pictures.
  StimulusCounters stimulus;
  std::uint64_t presentations = 0;
  loop::Calibration calibration;
};

class SessionRecorder {
 public:
  virtual ~SessionRecorder() = default;
  virtual void begin(const SessionStart& start) = 0;
  virtual void calibrated(const loop::Calibration& calibration, bool from_file) = 0;
  virtual void frame(const FrameRecord& record) = 0;
  // `t_s` is when the host read the event; event.mapped_ns, when set, is when it happened.
  virtual void device_event(const DeviceEvent& event, double t_s) = 0;
  // A host-device clock ping, raw (rig.md §5); a recorder that keeps no raw clock data ignores it.
  virtual void clock_ping(const ClockPing& ping) { (void)ping; }
  // A new picture on the built-in display; the times are the presentation's, on the session clock.
  virtual void stimulus_presented(const Presentation& presentation, double commanded_s, double flipped_s) {
    (void)presentation, (void)commanded_s, (void)flipped_s;
  }
  virtual void trial(const TrialSummary& trial) = 0;
  // A block of light the device confirmed, from its first LED pulse to the end of its last (an opto
  // epoch); a recorder that keeps no epochs ignores it.
  virtual void opto_block(double start_s, double stop_s, std::size_t pulses) { (void)start_s, (void)stop_s, (void)pulses; }
  virtual void note(double t_s, const std::string& line) = 0;  // every log line of the session
  // A stretch of the session whose frames are missing or unreliable (dropped frames, a stall, the
  // sender gone); `why` names the cause.
  virtual void invalid_time(double start_s, double stop_s, const std::string& why) = 0;
  virtual void idle() {}  // called a few times a second while no frame arrives (e.g. to flush)
  // Why the recorder cannot write at the moment (e.g. a full disk), empty while it can. A recorder in
  // that state keeps its records and retries; the session logs each change and shows it on the status line.
  [[nodiscard]] virtual std::string write_problem() const { return {}; }
  virtual void end(const SessionSummary& summary) = 0;
};

}  // namespace apical::bridge
