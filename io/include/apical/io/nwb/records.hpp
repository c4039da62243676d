#pragma once
// What a rig session appends to its NWB file while it runs: one FrameRecord per processed frame and
// the events between frames. Times are seconds on the session clock, whose zero is
// SessionInfo::session_start_time. NaN marks "none" wherever a value may be missing.
#include <cstdint>
#include <limits>
#include <span>
#include <string>

namespace apical::nwb {

inline constexpr double none = std::numeric_limits<double>::quiet_NaN();

// When each stage of the loop was done with a frame (rig.md §6), seconds on the session clock;
// NaN = the stage was not reached (e.g. no decision during the calibration block).
struct StageTimes {
  double received_s = none, registered_s = none, extracted_s = none, decided_s = none, sent_s = none;
};

struct FrameRecord {
  std::uint64_t index = 0;                  // the frame's index in the session (calibration and task together)
  double time_s = 0;                        // the frame's time; finite
  std::span<const double> f;                // raw F per ROI (a.u.), in SessionInfo::rois order
  std::span<const double> dff;              // ΔF/F per ROI exactly as the decoder saw it
  std::span<const double> f0;               // F0 per ROI (a.u.), the sliding-percentile baseline
  double decoder_x_bar = none;              // smoothed population difference x̄; NaN when the decoder did not step
  double decoder_z = none;                  // (x̄ − μ_cal)/σ_cal
  double angle_deg = none;                  // the decoder's angle, 15° · bin
  double stimulus_angle_deg = none;         // the grating angle on the screen; NaN when the screen is black
  double shift_dx_px = 0, shift_dy_px = 0;  // rigid registration shift
  double shift_peak_ratio = 0;              // (peak − mean)/SD of the phase correlation
  // A two-plane session's distal frame of the same ETL cycle, registered against its own reference;
  // NaN without a distal plane or when that cycle's distal frame was lost.
  double distal_shift_dx_px = none, distal_shift_dy_px = none;
  double distal_shift_peak_ratio = none;
  bool bad = false;                         // the frame was flagged bad (dark, z-moved, ...)
  bool opto = false;                        // the LED was confirmed on by the device for this frame
  StageTimes stages;
};

struct Lick {
  double time_s = 0;
  std::int32_t port = 0;
};

struct Reward {
  double time_s = 0;  // valve opening
  double volume_ul = 0;
};

// An event of the rig's microcontroller on both clocks (rig.md §5).
struct DeviceEvent {
  double time_s = none;              // when it happened: the device time mapped to the session clock; NaN = no map yet
  std::int64_t device_time_us = -1;  // the device's own µs clock, raw; -1 = the protocol carries none
  double received_time_s = 0;        // when the host read its line
  std::string kind;                  // "lick", "reward", "frame_clock", "photodiode", "watchdog" (at most 16 bytes)
  std::int32_t channel = 0;          // lick port, valve
  std::int64_t value = 0;            // lick 1/0, valve open µs, frame-clock count, photodiode level 1/0
};

// One TIME ping of the host-device clock synchronisation, raw: the map can be refitted from these.
struct ClockPing {
  double sent_time_s = 0;        // t0, session clock
  std::int64_t device_time_us = 0;  // t_d, the device's µs clock
  double received_time_s = 0;    // t1, session clock
};

// A new picture on the rig's own screen (the built-in display): when the flip that showed it completed.
// The flip number pairs it with the photodiode patch's edges (the patch toggles at every flip).
struct ScreenPresentation {
  double time_s = 0;            // the buffer swap that showed it completed, session clock
  double commanded_time_s = 0;  // when the loop commanded it
  std::int64_t frame = 0;       // the task frame whose command it shows
  std::int64_t flip = 0;        // flips since the window opened, from 1
  double angle_deg = none;      // the grating angle; NaN = black
};

// Written as "pending", "hit", "fail"; pending = cut short by the session's end.
enum class TrialOutcome : std::uint8_t { pending, hit, fail };

struct Trial {
  double start_time_s = 0, stop_time_s = 0;
  TrialOutcome outcome = TrialOutcome::pending;
  double hit_time_s = none;     // NaN when there was no hit
  double reward_time_s = none;  // NaN when no reward was delivered
  double reward_ul = 0;
  bool opto = false;  // the LED was on during the trial
  double theta = 0;   // the decoder's target threshold, z units
};

// An epoch (e.g. "calibration", "opto") or an invalid stretch (e.g. "bad frames"); `tag` (at most 64
// bytes) names it.
struct Interval {
  double start_time_s = 0, stop_time_s = 0;
  std::string tag;
};

// A device or log message, e.g. "serial device unplugged". The file holds text in entries of at most
// 512 bytes: a longer message continues in the next entries, at the same time.
struct LogMessage {
  double time_s = 0;
  std::string text;
};

}  // namespace apical::nwb
