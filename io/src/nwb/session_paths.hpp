#pragma once
// Where a rig session's NWB file keeps each thing (docs/nwb.md); the writer and the reader share these.
#include <string>

namespace apical::nwb::paths {

inline constexpr const char* nwb_version = "2.9.0";

inline constexpr const char* devices = "/general/devices";
inline constexpr const char* optophysiology = "/general/optophysiology";
inline constexpr const char* segmentation = "/processing/ophys/ImageSegmentation";
inline constexpr const char* fluorescence = "/processing/ophys/Fluorescence";
inline constexpr const char* dff = "/processing/ophys/DfOverF";
inline constexpr const char* frame_index = "/processing/ophys/frame_index";
inline constexpr const char* frame_times = "/processing/ophys/frame_index/timestamps";  // the frame clock
inline constexpr const char* shifts = "/processing/ophys/registration_shifts";
inline constexpr const char* peak_ratio = "/processing/ophys/registration_peak_ratio";
inline constexpr const char* distal_shifts = "/processing/ophys/registration_shifts_distal";
inline constexpr const char* distal_peak_ratio = "/processing/ophys/registration_peak_ratio_distal";
inline constexpr const char* bad_frames = "/processing/ophys/bad_frames";
inline constexpr const char* behavior_series = "/processing/behavior/BehavioralTimeSeries";
inline constexpr const char* rewards = "/processing/behavior/BehavioralEvents/reward";
inline constexpr const char* licks = "/acquisition/Licks";
inline constexpr const char* grating_angle = "/stimulus/presentation/grating_angle";
inline constexpr const char* opto_frames = "/stimulus/presentation/opto";
inline constexpr const char* stage_times = "/processing/rig/stage_times";
inline constexpr const char* log = "/processing/rig/log";
inline constexpr const char* device_events = "/processing/rig/device_events";
inline constexpr const char* clock_pings = "/processing/rig/clock_pings";
inline constexpr const char* screen_presentations = "/processing/rig/screen_presentations";
inline constexpr const char* trials = "/intervals/trials";
inline constexpr const char* epochs = "/intervals/epochs";
inline constexpr const char* invalid_times = "/intervals/invalid_times";

inline std::string imaging_plane(const std::string& plane) {
  return std::string(optophysiology) + "/ImagingPlane_" + plane;
}
inline std::string plane_segmentation(const std::string& plane) {
  return std::string(segmentation) + "/PlaneSegmentation_" + plane;
}
inline std::string raw_f(const std::string& plane) { return std::string(fluorescence) + "/RoiResponseSeries_" + plane; }
inline std::string dff_series(const std::string& plane) { return std::string(dff) + "/RoiResponseSeries_" + plane; }
inline std::string f0_series(const std::string& plane) { return std::string(dff) + "/F0_" + plane; }

}  // namespace apical::nwb::paths
