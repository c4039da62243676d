#pragma once
// Lays out a new session file (docs/nwb.md): the NWBFile root, /general with the protocol, devices and
// imaging planes, the ROI tables, and every growing dataset the session appends to, empty.
#include <cstdint>
#include <string>
#include <vector>

#include "apical/io/nwb/session_info.hpp"
#include "growing_dataset.hpp"

namespace apical::nwb::detail {

// Fixed lengths of the text that grows (growing_dataset.hpp says why), in bytes: a log message longer
// than message_bytes continues in the next entries, at the same time; a tag must fit.
inline constexpr std::size_t message_bytes = 512, tag_bytes = 64, outcome_bytes = 8, device_kind_bytes = 16;

using Doubles = GrowingDataset<double>;
using Integers = GrowingDataset<std::int64_t>;
using Texts = GrowingDataset<std::string>;

// The per-frame data of one imaging plane, [frames × ROIs of the plane].
struct PlaneSeries {
  Doubles f, dff, f0;
};

// Every per-frame dataset; /processing/ophys/frame_index/timestamps is the frame clock, and the other
// per-frame series link their timestamps to it.
struct FrameSeries {
  Doubles timestamps;
  Integers index;
  std::vector<PlaneSeries> planes;  // SessionInfo::planes order
  Doubles shifts, peak_ratio, distal_shifts, distal_peak_ratio, decoder_x_bar, decoder_z, angle, stimulus_angle,
      stage_times;
  Integers bad, opto;
};

template <class T>
struct EventSeries {
  Doubles timestamps;
  GrowingDataset<T> data;
};

struct TrialTable {
  Integers id;
  Doubles start_time, stop_time, t_hit, t_reward, reward_ul, theta;
  Texts outcome;
  Integers opto;
};

struct IntervalTable {
  Integers id;
  Doubles start_time, stop_time;
  Texts tags;
  Integers tags_index;
};

// The rig microcontroller's events on both clocks, and the raw clock pings (rig.md §5).
struct DeviceEventTable {
  Integers id, device_time_us, channel, value;
  Doubles time, received_time;
  Texts kind;
};

struct ClockPingTable {
  Integers id, device_time_us;
  Doubles sent_time, received_time;
};

// The built-in display's new pictures with their flip times.
struct ScreenPresentationTable {
  Integers id, frame, flip;
  Doubles time, commanded_time, angle;
};

struct SessionLayout {
  Node protocol;
  std::vector<Node> pair_r;  // per plane: its table's pair_r column, rewritten by every flush; empty Node if none
  FrameSeries frames;
  EventSeries<std::int64_t> licks;
  EventSeries<double> rewards;
  EventSeries<std::string> messages;
  TrialTable trials;
  IntervalTable epochs, invalid_times;
  DeviceEventTable device_events;
  ClockPingTable clock_pings;
  ScreenPresentationTable screen_presentations;

  // Calls write_pending on every growing dataset.
  void write_pending(const Builder& builder);
};

SessionLayout lay_out_session(Builder& builder, const SessionInfo& info, std::size_t chunk_bytes,
                              const std::string& file_create_date);

}  // namespace apical::nwb::detail
