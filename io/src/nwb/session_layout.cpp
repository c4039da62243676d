#include "session_layout.hpp"

#include "nwb_objects.hpp"
#include "roi_table.hpp"
#include "session_paths.hpp"

namespace apical::nwb::detail {

namespace {

// Events and table rows come a few a minute: small chunks, so that an empty table costs little room.
constexpr std::size_t event_chunk_bytes = 4096;

// The groups the session's series and tables live in.
struct Groups {
  Node acquisition, presentation, general, ophys, behavior, rig, intervals;
};

Node processing_module(Builder& builder, const Node& processing, const std::string& name,
                       const std::string& description) {
  Node module = builder.typed_group(processing, name, "ProcessingModule");
  builder.text_attribute(module, "description", description);
  return module;
}

Groups write_root(Builder& builder, const Node& root, const SessionInfo& info, const std::string& file_create_date) {
  builder.type_attributes(root, "NWBFile");
  builder.text_attribute(root, "nwb_version", paths::nwb_version);
  builder.text_list_dataset(root, "file_create_date", {file_create_date});
  builder.text_dataset(root, "identifier", info.identifier);
  builder.text_dataset(root, "session_description", info.session_description);
  builder.text_dataset(root, "session_start_time", info.session_start_time);
  builder.text_dataset(root, "timestamps_reference_time", info.session_start_time);
  Groups groups;
  groups.acquisition = builder.group(root, "acquisition");
  builder.group(root, "analysis");
  const Node stimulus = builder.group(root, "stimulus");
  groups.presentation = builder.group(stimulus, "presentation");
  builder.group(stimulus, "templates");
  groups.general = builder.group(root, "general");
  const Node processing = builder.group(root, "processing");
  groups.ophys = processing_module(builder, processing, "ophys", "ROI fluorescence, registration and the frame clock");
  groups.behavior = processing_module(builder, processing, "behavior", "the decoder's output and the rewards");
  groups.rig = processing_module(builder, processing, "rig", "the closed loop's own timing and log");
  groups.intervals = builder.group(root, "intervals");
  return groups;
}

void write_devices(Builder& builder, const Node& general, const SessionInfo& info) {
  const Node devices = builder.group(general, "devices");
  for (const Device& device : info.devices) {
    const Node node = builder.typed_group(devices, device.name, "Device");
    builder.text_attribute(node, "description", device.description);
    if (!device.manufacturer.empty()) builder.text_attribute(node, "manufacturer", device.manufacturer);
  }
}

void write_imaging_planes(Builder& builder, const Node& general, const SessionInfo& info) {
  const Node optophysiology = builder.group(general, "optophysiology");
  for (const ImagingPlane& plane : info.planes) {
    const Node node = builder.typed_group(optophysiology, "ImagingPlane_" + plane.name, "ImagingPlane");
    builder.text_dataset(node, "description", plane.description);
    builder.float32_dataset(node, "excitation_lambda", plane.excitation_lambda_nm);
    builder.float32_dataset(node, "imaging_rate", info.imaging_rate_hz);
    builder.text_dataset(node, "indicator", plane.indicator);
    builder.text_dataset(node, "location", plane.location);
    const Node channel = builder.typed_group(node, "OpticalChannel", "OpticalChannel");
    builder.text_dataset(channel, "description", "green emission (" + plane.indicator + ")");
    builder.float32_dataset(channel, "emission_lambda", plane.emission_lambda_nm);
    builder.soft_link(node, "device", std::string(paths::devices) + "/" + plane.device);
  }
}

// Fluorescence, ΔF/F and F0 of each plane, as RoiResponseSeries over that plane's ROI table.
std::vector<PlaneSeries> write_roi_series(Builder& builder, const Node& ophys, const SessionInfo& info,
                                          const std::vector<Node>& tables, std::size_t chunk_bytes) {
  const Node fluorescence = builder.typed_group(ophys, "Fluorescence", "Fluorescence");
  const Node dff = builder.typed_group(ophys, "DfOverF", "DfOverF");
  std::vector<PlaneSeries> series;
  for (std::size_t p = 0; p < info.planes.size(); ++p) {
    const std::string& plane = info.planes[p].name;
    std::size_t rois = 0;
    for (const Roi& roi : info.rois) rois += roi.plane == p ? 1 : 0;
    const auto roi_series = [&](const Node& parent, SeriesSpec spec, hid_t file_type) {
      spec.type = "RoiResponseSeries";
      Node group;
      Doubles data = frame_series<double>(builder, parent, spec, file_type, rois, chunk_bytes, &group);
      table_region(builder, group, "rois", tables[p], rois, "every ROI of PlaneSegmentation_" + plane);
      return data;
    };
    series.push_back(PlaneSeries{
        roi_series(fluorescence,
                   {"RoiResponseSeries_" + plane, "", "raw F: weighted mean of each ROI's pixels", "a.u."},
                   H5T_IEEE_F32LE),
        roi_series(dff, {"RoiResponseSeries_" + plane, "", "dF/F = (F - F0)/F0 exactly as the decoder saw it", "n.a."},
                   H5T_IEEE_F64LE),
        roi_series(dff, {"F0_" + plane, "", "F0: sliding 10th-percentile baseline of F (rig.md §8)", "a.u."},
                   H5T_IEEE_F32LE)});
  }
  return series;
}

FrameSeries write_frame_series(Builder& builder, const Groups& groups, const SessionInfo& info,
                               const std::vector<Node>& tables, std::size_t chunk_bytes) {
  FrameSeries frames;
  const Node clock = series_group(builder, groups.ophys,
                                  {"frame_index", "TimeSeries",
                                   "the frame clock: each processed frame's index in the session (calibration and "
                                   "task together) at its time; every per-frame series links its timestamps here",
                                   "frames", "step"});
  frames.timestamps = Doubles(builder, clock, "timestamps", H5T_IEEE_F64LE, 0, chunk_bytes);
  timestamps_attributes(builder, frames.timestamps.node());
  frames.index = Integers(builder, clock, "data", H5T_STD_U64LE, 0, chunk_bytes);
  series_data_attributes(builder, frames.index.node(), {"frame_index", "TimeSeries", "", "frames", "step"});

  frames.planes = write_roi_series(builder, groups.ophys, info, tables, chunk_bytes);
  const auto scalar = [&](const Node& parent, const SeriesSpec& spec) {
    return frame_series<double>(builder, parent, spec, H5T_IEEE_F64LE, 0, chunk_bytes);
  };
  const auto shifts = [&](const SeriesSpec& spec) {
    return frame_series<double>(builder, groups.ophys, spec, H5T_IEEE_F64LE, 2, chunk_bytes);
  };
  const auto flags = [&](const Node& parent, const SeriesSpec& spec) {
    return frame_series<std::int64_t>(builder, parent, spec, H5T_STD_U8LE, 0, chunk_bytes);
  };
  frames.shifts = shifts({"registration_shifts", "TimeSeries",
                          "rigid shift of each frame against the reference; columns dx, dy", "pixels"});
  frames.peak_ratio = scalar(
      groups.ophys, {"registration_peak_ratio", "TimeSeries", "(peak - mean)/SD of the phase correlation", "n.a."});
  // Written in single-plane sessions too (all NaN), so that every file has the same per-frame series.
  frames.distal_shifts = shifts({"registration_shifts_distal", "TimeSeries",
                                 "rigid shift of each row's distal frame against the distal plane's own reference; "
                                 "columns dx, dy; NaN = no distal plane, or that cycle's distal frame was lost",
                                 "pixels"});
  frames.distal_peak_ratio = scalar(groups.ophys, {"registration_peak_ratio_distal", "TimeSeries",
                                                   "(peak - mean)/SD of the distal frame's phase correlation; NaN = "
                                                   "no distal frame",
                                                   "n.a."});
  frames.bad =
      flags(groups.ophys, {"bad_frames", "TimeSeries", "1 = the frame was flagged bad, 0 = good", "n.a.", "step"});
  frames.opto = flags(groups.presentation,
                      {"opto", "TimeSeries",
                       "1 = the LED was confirmed on by the device for this frame (a pulse at its frame-clock edge), "
                       "0 = dark",
                       "n.a.", "step"});

  const Node decoder = builder.typed_group(groups.behavior, "BehavioralTimeSeries", "BehavioralTimeSeries");
  frames.decoder_x_bar = scalar(
      decoder,
      {"decoder_x_bar", "TimeSeries",
       "smoothed population difference, dF/F units (z units with per-neuron z-scoring); NaN = no decision", "a.u."});
  frames.decoder_z =
      scalar(decoder, {"decoder_z", "TimeSeries", "(x_bar - mu_cal)/sigma_cal; NaN = no decision", "n.a."});
  frames.angle = scalar(
      decoder, {"angle", "TimeSeries", "the decoder's angle, 15 degrees x bin; NaN = no decision", "degrees", "step"});
  frames.stimulus_angle =
      scalar(groups.presentation,
             {"grating_angle", "TimeSeries", "the grating angle on the screen; NaN = black screen", "degrees", "step"});
  frames.stage_times = frame_series<double>(
      builder, groups.rig,
      {"stage_times", "TimeSeries",
       "when each stage was done with the frame, session clock; columns received, registered, extracted, decided, "
       "sent; NaN = not reached",
       "seconds", "instantaneous"},
      H5T_IEEE_F64LE, 5, chunk_bytes);
  return frames;
}

template <class T>
EventSeries<T> event_series(Builder& builder, const Node& parent, const SeriesSpec& spec, hid_t file_type,
                            std::size_t chunk_bytes) {
  const Node series = series_group(builder, parent, spec);
  EventSeries<T> events{Doubles(builder, series, "timestamps", H5T_IEEE_F64LE, 0, chunk_bytes),
                        GrowingDataset<T>(builder, series, "data", file_type, 0, chunk_bytes)};
  timestamps_attributes(builder, events.timestamps.node());
  series_data_attributes(builder, events.data.node(), spec);
  return events;
}

TrialTable write_trial_table(Builder& builder, const Node& intervals, std::size_t chunk_bytes) {
  const Node table =
      table_group(builder, intervals, "trials", "TimeIntervals", "trials of the BCI task",
                  {"start_time", "stop_time", "outcome", "t_hit", "t_reward", "reward_uL", "opto", "theta"});
  TrialTable trials;
  trials.id = Integers(builder, table, "id", H5T_STD_I64LE, 0, chunk_bytes);
  builder.type_attributes(trials.id.node(), "ElementIdentifiers", "hdmf-common");
  const auto seconds = [&](const char* name, const char* description) {
    return table_column<double>(builder, table, name, description, H5T_IEEE_F64LE, chunk_bytes);
  };
  trials.start_time = seconds("start_time", "start of the trial, s");
  trials.stop_time = seconds("stop_time", "end of the trial, s");
  trials.outcome =
      table_column<std::string>(builder, table, "outcome", "hit, fail, or pending (cut short by the session's end)",
                                fixed_text_type(outcome_bytes).id(), chunk_bytes);
  trials.t_hit = seconds("t_hit", "time of the hit, s; NaN = none");
  trials.t_reward = seconds("t_reward", "time the reward was delivered, s; NaN = none");
  trials.reward_ul = seconds("reward_uL", "reward volume delivered, microliters");
  trials.opto = table_column<std::int64_t>(builder, table, "opto", "1 = the LED was on during the trial", H5T_STD_U8LE,
                                           chunk_bytes);
  trials.theta = seconds("theta", "the decoder's target threshold, z units");
  return trials;
}

IntervalTable write_interval_table(Builder& builder, const Node& intervals, const std::string& name,
                                   const std::string& description, std::size_t chunk_bytes) {
  const Node table =
      table_group(builder, intervals, name, "TimeIntervals", description, {"start_time", "stop_time", "tags"});
  IntervalTable rows;
  rows.id = Integers(builder, table, "id", H5T_STD_I64LE, 0, chunk_bytes);
  builder.type_attributes(rows.id.node(), "ElementIdentifiers", "hdmf-common");
  rows.start_time = table_column<double>(builder, table, "start_time", "start, s", H5T_IEEE_F64LE, chunk_bytes);
  rows.stop_time = table_column<double>(builder, table, "stop_time", "end, s", H5T_IEEE_F64LE, chunk_bytes);
  rows.tags = table_column<std::string>(builder, table, "tags", "what the interval is", fixed_text_type(tag_bytes).id(),
                                        chunk_bytes);
  rows.tags_index = Integers(builder, table, "tags_index", H5T_STD_U64LE, 0, chunk_bytes);
  index_attributes(builder, rows.tags_index.node(), rows.tags.node());
  return rows;
}

DeviceEventTable write_device_event_table(Builder& builder, const Node& rig, std::size_t chunk_bytes) {
  const Node table = table_group(
      builder, rig, "device_events", "DynamicTable",
      "the rig microcontroller's events (rig.md §5): when each happened on the session clock (its device time mapped "
      "through the host-device clock fit), its raw device time and when the host read it",
      {"time", "device_time_us", "received_time", "kind", "channel", "value"}, "hdmf-common");
  DeviceEventTable rows;
  rows.id = Integers(builder, table, "id", H5T_STD_I64LE, 0, chunk_bytes);
  builder.type_attributes(rows.id.node(), "ElementIdentifiers", "hdmf-common");
  rows.time = table_column<double>(builder, table, "time",
                                   "when it happened: device time mapped to the session clock, s; NaN = no clock fit yet",
                                   H5T_IEEE_F64LE, chunk_bytes);
  rows.device_time_us = table_column<std::int64_t>(
      builder, table, "device_time_us", "the device's own microsecond clock, raw; -1 = none", H5T_STD_I64LE, chunk_bytes);
  rows.received_time = table_column<double>(builder, table, "received_time", "when the host read the event's line, s",
                                            H5T_IEEE_F64LE, chunk_bytes);
  rows.kind = table_column<std::string>(builder, table, "kind",
                                        "lick, reward, frame_clock, photodiode, watchdog, ttl, sync or opto",
                                        fixed_text_type(device_kind_bytes).id(), chunk_bytes);
  rows.channel = table_column<std::int64_t>(builder, table, "channel", "lick port or valve", H5T_STD_I32LE, chunk_bytes);
  rows.value = table_column<std::int64_t>(
      builder, table, "value",
      "lick: 1 onset / 0 offset; reward: valve open time, us; frame_clock: pulse count; photodiode: 1 bright / 0 dark",
      H5T_STD_I64LE, chunk_bytes);
  return rows;
}

ClockPingTable write_clock_ping_table(Builder& builder, const Node& rig, std::size_t chunk_bytes) {
  const Node table = table_group(
      builder, rig, "clock_pings", "DynamicTable",
      "host-device clock pings (rig.md §5), raw: the host sent TIME at sent_time, the device answered device_time_us, "
      "the host read the answer at received_time; offset = device - (sent + received)/2 within (received - sent)/2",
      {"sent_time", "device_time_us", "received_time"}, "hdmf-common");
  ClockPingTable rows;
  rows.id = Integers(builder, table, "id", H5T_STD_I64LE, 0, chunk_bytes);
  builder.type_attributes(rows.id.node(), "ElementIdentifiers", "hdmf-common");
  rows.sent_time =
      table_column<double>(builder, table, "sent_time", "t0: TIME sent, session clock, s", H5T_IEEE_F64LE, chunk_bytes);
  rows.device_time_us = table_column<std::int64_t>(builder, table, "device_time_us",
                                                   "t_d: the device's microsecond clock in its answer", H5T_STD_I64LE,
                                                   chunk_bytes);
  rows.received_time = table_column<double>(builder, table, "received_time", "t1: answer read, session clock, s",
                                            H5T_IEEE_F64LE, chunk_bytes);
  return rows;
}

ScreenPresentationTable write_screen_presentation_table(Builder& builder, const Node& rig, std::size_t chunk_bytes) {
  const Node table = table_group(
      builder, rig, "screen_presentations", "DynamicTable",
      "new pictures on the rig's built-in display: when the flip that showed each completed (session clock); the "
      "photodiode patch toggles at every flip, so flip pairs a row with the patch's edges",
      {"time", "commanded_time", "frame", "flip", "angle"}, "hdmf-common");
  ScreenPresentationTable rows;
  rows.id = Integers(builder, table, "id", H5T_STD_I64LE, 0, chunk_bytes);
  builder.type_attributes(rows.id.node(), "ElementIdentifiers", "hdmf-common");
  rows.time = table_column<double>(builder, table, "time", "the buffer swap that showed the picture completed, s",
                                   H5T_IEEE_F64LE, chunk_bytes);
  rows.commanded_time = table_column<double>(builder, table, "commanded_time", "when the loop commanded it, s",
                                             H5T_IEEE_F64LE, chunk_bytes);
  rows.frame = table_column<std::int64_t>(builder, table, "frame", "the task frame whose command it shows",
                                          H5T_STD_I64LE, chunk_bytes);
  rows.flip = table_column<std::int64_t>(builder, table, "flip", "flips since the window opened, from 1",
                                         H5T_STD_I64LE, chunk_bytes);
  rows.angle = table_column<double>(builder, table, "angle", "grating angle, degrees; NaN = black", H5T_IEEE_F64LE,
                                    chunk_bytes);
  return rows;
}

}  // namespace

void SessionLayout::write_pending(const Builder& builder) {
  for (Doubles* d : {&frames.timestamps,         &frames.shifts,          &frames.peak_ratio,     &frames.distal_shifts,
                     &frames.distal_peak_ratio,  &frames.decoder_x_bar,   &frames.decoder_z,      &frames.angle,
                     &frames.stimulus_angle,     &frames.stage_times,     &licks.timestamps,      &rewards.timestamps,
                     &rewards.data,              &messages.timestamps,    &trials.start_time,     &trials.stop_time,
                     &trials.t_hit,              &trials.t_reward,        &trials.reward_ul,      &trials.theta,
                     &epochs.start_time,         &epochs.stop_time,       &invalid_times.start_time,
                     &invalid_times.stop_time,   &device_events.time,     &device_events.received_time,
                     &clock_pings.sent_time,     &clock_pings.received_time, &screen_presentations.time,
                     &screen_presentations.commanded_time, &screen_presentations.angle})
    d->write_pending(builder);
  for (PlaneSeries& plane : frames.planes)
    for (Doubles* d : {&plane.f, &plane.dff, &plane.f0}) d->write_pending(builder);
  for (Integers* i : {&frames.index, &frames.bad, &frames.opto, &licks.data, &trials.id, &trials.opto, &epochs.id,
                      &epochs.tags_index, &invalid_times.id, &invalid_times.tags_index, &device_events.id,
                      &device_events.device_time_us, &device_events.channel, &device_events.value, &clock_pings.id,
                      &clock_pings.device_time_us,
                      &screen_presentations.id, &screen_presentations.frame, &screen_presentations.flip})
    i->write_pending(builder);
  for (Texts* t : {&messages.data, &trials.outcome, &epochs.tags, &invalid_times.tags, &device_events.kind})
    t->write_pending(builder);
}

SessionLayout lay_out_session(Builder& builder, const SessionInfo& info, std::size_t chunk_bytes,
                              const std::string& file_create_date) {
  const Groups groups = write_root(builder, builder.root(), info, file_create_date);
  SessionLayout layout;
  layout.protocol = builder.text_dataset(groups.general, "protocol", info.protocol_json);
  write_devices(builder, groups.general, info);
  write_imaging_planes(builder, groups.general, info);

  const Node segmentation = builder.typed_group(groups.ophys, "ImageSegmentation", "ImageSegmentation");
  RoiTables tables = write_roi_tables(builder, segmentation, info);
  layout.frames = write_frame_series(builder, groups, info, tables.tables, chunk_bytes);
  layout.pair_r = std::move(tables.pair_r);

  layout.licks = event_series<std::int64_t>(
      builder, groups.acquisition, {"Licks", "TimeSeries", "lick onsets; data = lick port", "port", "instantaneous"},
      H5T_STD_I32LE, event_chunk_bytes);
  const Node events = builder.typed_group(groups.behavior, "BehavioralEvents", "BehavioralEvents");
  layout.rewards = event_series<double>(
      builder, events, {"reward", "TimeSeries", "valve openings; data = volume", "microliters", "instantaneous"},
      H5T_IEEE_F64LE, event_chunk_bytes);
  layout.messages = event_series<std::string>(
      builder, groups.rig, {"log", "AnnotationSeries", "device and log messages", "n/a", "instantaneous"},
      fixed_text_type(message_bytes).id(), event_chunk_bytes);
  layout.device_events = write_device_event_table(builder, groups.rig, event_chunk_bytes);
  layout.clock_pings = write_clock_ping_table(builder, groups.rig, event_chunk_bytes);
  layout.screen_presentations = write_screen_presentation_table(builder, groups.rig, event_chunk_bytes);

  layout.trials = write_trial_table(builder, groups.intervals, event_chunk_bytes);
  layout.epochs =
      write_interval_table(builder, groups.intervals, "epochs",
                           "blocks of the session (calibration, opto, ...); tags name them", event_chunk_bytes);
  layout.invalid_times =
      write_interval_table(builder, groups.intervals, "invalid_times",
                           "stretches to leave out of analyses (bad frames, ...); tags say why", event_chunk_bytes);
  return layout;
}

}  // namespace apical::nwb::detail
