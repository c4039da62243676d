#pragma once
// Reads a rig session's NWB file (docs/nwb.md) back into plain data: the set-up, every frame's
// values and every event. It reads files cut short by a crash too; their frame count is that of the
// shortest per-frame dataset (all have the same length unless the writer was killed during a flush).
// Every problem is an InputError naming the file and the HDF5 path.
#include <cstdint>
#include <string>
#include <vector>

#include "apical/io/nwb/records.hpp"
#include "apical/io/nwb/session_info.hpp"

namespace apical::nwb {

struct SessionRecording {
  std::string nwb_version;
  SessionInfo info;  // devices, planes and ROIs as written (ROIs in their per-frame order), partners included
  // Per ROI: the pair_r column (Pearson r of its ΔF/F and its partner's over the session); NaN for ROIs
  // without a partner and in files written before the column existed.
  std::vector<double> pair_r;

  // Per frame; the per-ROI arrays are row-major [frames × ROIs], ROIs in info.rois order.
  std::size_t frames = 0;
  std::vector<std::uint64_t> frame_index;
  std::vector<double> frame_time_s;
  std::vector<double> f, dff, f0;
  std::vector<double> decoder_x_bar, decoder_z, angle_deg, stimulus_angle_deg;
  std::vector<double> shift_dx_px, shift_dy_px, shift_peak_ratio;
  // The distal plane's shifts (FrameRecord::distal_shift_*): NaN without a distal plane, for a lost distal
  // frame, and in files written before these series.
  std::vector<double> distal_shift_dx_px, distal_shift_dy_px, distal_shift_peak_ratio;
  std::vector<std::uint8_t> bad;
  std::vector<std::uint8_t> opto;  // 1 = the device confirmed the LED on; empty in files written before the series
  std::vector<StageTimes> stages;

  std::vector<Lick> licks;
  std::vector<Reward> rewards;
  std::vector<Trial> trials;
  std::vector<Interval> epochs, invalid_times;
  std::vector<LogMessage> messages;
  std::vector<DeviceEvent> device_events;
  std::vector<ClockPing> clock_pings;
  std::vector<ScreenPresentation> screen_presentations;
};

SessionRecording read_session(const std::string& path);

}  // namespace apical::nwb
