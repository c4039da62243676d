#include "apical/io/nwb/session_writer.hpp"

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <optional>

#include "apical/io/nwb/iso8601.hpp"
#include "durable_file.hpp"
#include "running_pearson.hpp"
#include "session_checks.hpp"
#include "session_layout.hpp"

namespace apical::nwb {

WriteError::WriteError(std::string file, std::string object_path, std::string detail)
    : std::runtime_error(file + ": " + object_path + ": " + detail),
      file_(std::move(file)),
      object_path_(std::move(object_path)),
      detail_(std::move(detail)) {}

namespace {

using Clock = std::chrono::steady_clock;

// The ROIs of each plane, as indices into SessionInfo::rois: the columns of that plane's series.
std::vector<std::vector<std::size_t>> rois_by_plane(const SessionInfo& info) {
  std::vector<std::vector<std::size_t>> planes(info.planes.size());
  for (std::size_t i = 0; i < info.rois.size(); ++i) planes[info.rois[i].plane].push_back(i);
  return planes;
}

// `text` in pieces of at most message_bytes bytes, each cut between two UTF-8 characters.
std::vector<std::string> message_pieces(const std::string& text) {
  std::vector<std::string> pieces;
  std::size_t begin = 0;
  do {
    std::size_t end = std::min(text.size(), begin + detail::message_bytes);
    while (end < text.size() && end > begin + 1 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    pieces.push_back(text.substr(begin, end - begin));
    begin = end;
  } while (begin < text.size());
  return pieces;
}

}  // namespace

struct SessionWriter::Impl {
  std::string path;
  WriterOptions options;
  std::size_t rois = 0;
  std::vector<std::vector<std::size_t>> plane_rois;
  std::vector<double> row;  // one plane's values of one frame
  // Each paired ROI with its partner and the running r of their ΔF/F (good frames only).
  struct Pair {
    std::size_t roi, partner;
    detail::RunningPearson r;
  };
  std::vector<Pair> pairs;

  h5::Handle file;
  std::optional<detail::Builder> builder;
  detail::SessionLayout layout;
  std::optional<std::string> protocol_update;

  std::uint64_t frames = 0, flushed_frames = 0, flushes = 0;
  std::int64_t trials = 0, epochs = 0, invalid_times = 0, device_events = 0, clock_pings = 0, screen_presentations = 0;
  Clock::time_point last_flush_attempt;
  bool open = false;

  void append_plane_values(std::span<const double> values, detail::Doubles detail::PlaneSeries::*series) {
    for (std::size_t p = 0; p < plane_rois.size(); ++p) {
      row.clear();
      for (std::size_t roi : plane_rois[p]) row.push_back(values[roi]);
      (layout.frames.planes[p].*series).append(std::span<const double>(row));
    }
  }

  void append_interval(detail::IntervalTable& table, std::int64_t& count, const Interval& interval) {
    table.id.append(count++);
    table.start_time.append(interval.start_time_s);
    table.stop_time.append(interval.stop_time_s);
    table.tags.append(interval.tag);
    table.tags_index.append(count);  // one tag per row: row i's tags end at i + 1
  }

  // Rewrites every pair_r column with the r of the frames appended so far (their values are in
  // memory; the fixed-size column stays in place).
  void write_pair_r() {
    std::vector<double> r_of(rois, none);
    for (const Pair& pair : pairs) r_of[pair.roi] = pair.r.r();
    for (std::size_t p = 0; p < plane_rois.size(); ++p) {
      const detail::Node& column = layout.pair_r[p];
      if (!column.handle.valid()) continue;
      row.clear();
      for (std::size_t roi : plane_rois[p]) row.push_back(r_of[roi]);
      builder->check(H5Dwrite(column.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, row.data()), column.path,
                     "cannot write pair_r");
    }
  }

  void require_open() const {
    if (!open) throw std::logic_error("NWB writer for " + path + ": the file is closed");
  }

  // Closes every HDF5 object and the file. Caller holds the library lock.
  void release() {
    layout = detail::SessionLayout{};
    builder.reset();
    file.reset();
    open = false;
  }

  void flush() {
    require_open();
    const std::lock_guard<std::mutex> lock(h5::library_mutex());
    h5::silence_errors();
    last_flush_attempt = Clock::now();
    const std::uint64_t free = options.free_bytes ? options.free_bytes(path) : detail::free_bytes(path);
    if (free < options.min_free_bytes)
      throw WriteError(path, "/",
                       "only " + std::to_string(free >> 20) + " MiB free on the disk, less than the " +
                           std::to_string(options.min_free_bytes >> 20) +
                           " MiB the writer keeps free: the records stay in memory until a flush succeeds");
    if (protocol_update) {
      builder->rewrite_text(layout.protocol, *protocol_update);
      protocol_update.reset();
    }
    const std::uint64_t frames_written = frames;
    layout.write_pending(*builder);
    if (!pairs.empty()) write_pair_r();
    detail::flush_to_disk(file.id(), path);
    flushed_frames = frames_written;
    ++flushes;
  }

  void flush_if_due() {
    if (Clock::now() - last_flush_attempt >= options.flush_interval) flush();
  }
};

SessionWriter::SessionWriter(const std::string& path, const SessionInfo& info, const WriterOptions& options)
    : impl_(std::make_unique<Impl>()) {
  detail::check_session_info(info);
  Impl& w = *impl_;
  w.path = path;
  w.options = options;
  w.rois = info.rois.size();
  w.plane_rois = rois_by_plane(info);
  for (std::size_t i = 0; i < info.rois.size(); ++i)
    if (info.rois[i].paired_roi) w.pairs.push_back({i, *info.rois[i].paired_roi, {}});
  const std::lock_guard<std::mutex> lock(h5::library_mutex());
  h5::silence_errors();
  w.file = detail::create_session_file(path);
  w.open = true;
  try {
    w.builder.emplace(path, w.file.id());
    w.layout =
        detail::lay_out_session(*w.builder, info, options.chunk_bytes, iso8601_local(std::chrono::system_clock::now()));
    detail::flush_to_disk(w.file.id(), path);
  } catch (...) {
    // Nothing is recorded yet: remove the half-made file, so that a second try can create it.
    w.release();
    std::error_code ec;
    std::filesystem::remove(path, ec);
    throw;
  }
  w.flushes = 1;
  w.last_flush_attempt = Clock::now();
}

SessionWriter::~SessionWriter() { close_quietly(); }

void SessionWriter::close_quietly() noexcept {
  if (!impl_ || !impl_->open) return;
  try {
    close();
  } catch (...) {
    const std::lock_guard<std::mutex> lock(h5::library_mutex());
    impl_->release();
  }
}

SessionWriter::SessionWriter(SessionWriter&&) noexcept = default;

SessionWriter& SessionWriter::operator=(SessionWriter&& other) noexcept {
  if (this != &other) {
    close_quietly();
    impl_ = std::move(other.impl_);
  }
  return *this;
}

void SessionWriter::append_frame(const FrameRecord& frame) {
  Impl& w = *impl_;
  w.require_open();
  detail::check_frame(frame, w.rois);
  detail::FrameSeries& series = w.layout.frames;
  series.timestamps.append(frame.time_s);
  series.index.append(static_cast<std::int64_t>(frame.index));
  w.append_plane_values(frame.f, &detail::PlaneSeries::f);
  w.append_plane_values(frame.dff, &detail::PlaneSeries::dff);
  w.append_plane_values(frame.f0, &detail::PlaneSeries::f0);
  const double shift[2] = {frame.shift_dx_px, frame.shift_dy_px};
  series.shifts.append(std::span<const double>(shift));
  series.peak_ratio.append(frame.shift_peak_ratio);
  const double distal_shift[2] = {frame.distal_shift_dx_px, frame.distal_shift_dy_px};
  series.distal_shifts.append(std::span<const double>(distal_shift));
  series.distal_peak_ratio.append(frame.distal_shift_peak_ratio);
  series.bad.append(frame.bad ? 1 : 0);
  series.opto.append(frame.opto ? 1 : 0);
  if (!frame.bad)  // a bad frame's ΔF/F is held, not measured
    for (Impl::Pair& pair : w.pairs) pair.r.add(frame.dff[pair.roi], frame.dff[pair.partner]);
  series.decoder_x_bar.append(frame.decoder_x_bar);
  series.decoder_z.append(frame.decoder_z);
  series.angle.append(frame.angle_deg);
  series.stimulus_angle.append(frame.stimulus_angle_deg);
  const StageTimes& s = frame.stages;
  const double stages[5] = {s.received_s, s.registered_s, s.extracted_s, s.decided_s, s.sent_s};
  series.stage_times.append(std::span<const double>(stages));
  ++w.frames;
  w.flush_if_due();
}

void SessionWriter::append_lick(const Lick& lick) {
  Impl& w = *impl_;
  w.require_open();
  detail::check_time(lick.time_s, "lick");
  w.layout.licks.timestamps.append(lick.time_s);
  w.layout.licks.data.append(lick.port);
  w.flush_if_due();
}

void SessionWriter::append_reward(const Reward& reward) {
  Impl& w = *impl_;
  w.require_open();
  detail::check_time(reward.time_s, "reward");
  w.layout.rewards.timestamps.append(reward.time_s);
  w.layout.rewards.data.append(reward.volume_ul);
  w.flush_if_due();
}

void SessionWriter::append_trial(const Trial& trial) {
  Impl& w = *impl_;
  w.require_open();
  detail::check_interval({trial.start_time_s, trial.stop_time_s, ""}, "trial");
  detail::TrialTable& table = w.layout.trials;
  table.id.append(w.trials++);
  table.start_time.append(trial.start_time_s);
  table.stop_time.append(trial.stop_time_s);
  table.outcome.append(trial.outcome == TrialOutcome::hit    ? "hit"
                       : trial.outcome == TrialOutcome::fail ? "fail"
                                                             : "pending");
  table.t_hit.append(trial.hit_time_s);
  table.t_reward.append(trial.reward_time_s);
  table.reward_ul.append(trial.reward_ul);
  table.opto.append(trial.opto ? 1 : 0);
  table.theta.append(trial.theta);
  w.flush_if_due();
}

void SessionWriter::append_epoch(const Interval& epoch) {
  Impl& w = *impl_;
  w.require_open();
  detail::check_interval(epoch, "epoch");
  w.append_interval(w.layout.epochs, w.epochs, epoch);
  w.flush_if_due();
}

void SessionWriter::append_invalid_time(const Interval& interval) {
  Impl& w = *impl_;
  w.require_open();
  detail::check_interval(interval, "invalid time");
  w.append_interval(w.layout.invalid_times, w.invalid_times, interval);
  w.flush_if_due();
}

void SessionWriter::append_message(const LogMessage& message) {
  Impl& w = *impl_;
  w.require_open();
  detail::check_time(message.time_s, "message");
  for (const std::string& piece : message_pieces(message.text)) {
    w.layout.messages.timestamps.append(message.time_s);
    w.layout.messages.data.append(piece);
  }
  w.flush_if_due();
}

void SessionWriter::append_device_event(const DeviceEvent& event) {
  Impl& w = *impl_;
  w.require_open();
  detail::check_time(event.received_time_s, "device event");
  if (event.kind.empty() || event.kind.size() > detail::device_kind_bytes)
    throw std::invalid_argument("NWB device event: kind '" + event.kind + "' is empty or longer than " +
                                std::to_string(detail::device_kind_bytes) + " bytes");
  detail::DeviceEventTable& table = w.layout.device_events;
  table.id.append(w.device_events++);
  table.time.append(event.time_s);
  table.device_time_us.append(event.device_time_us);
  table.received_time.append(event.received_time_s);
  table.kind.append(event.kind);
  table.channel.append(event.channel);
  table.value.append(event.value);
  w.flush_if_due();
}

void SessionWriter::append_clock_ping(const ClockPing& ping) {
  Impl& w = *impl_;
  w.require_open();
  detail::check_time(ping.sent_time_s, "clock ping");
  detail::check_time(ping.received_time_s, "clock ping");
  detail::ClockPingTable& table = w.layout.clock_pings;
  table.id.append(w.clock_pings++);
  table.sent_time.append(ping.sent_time_s);
  table.device_time_us.append(ping.device_time_us);
  table.received_time.append(ping.received_time_s);
  w.flush_if_due();
}

void SessionWriter::append_screen_presentation(const ScreenPresentation& presentation) {
  Impl& w = *impl_;
  w.require_open();
  detail::check_time(presentation.time_s, "screen presentation");
  detail::check_time(presentation.commanded_time_s, "screen presentation");
  detail::ScreenPresentationTable& table = w.layout.screen_presentations;
  table.id.append(w.screen_presentations++);
  table.time.append(presentation.time_s);
  table.commanded_time.append(presentation.commanded_time_s);
  table.frame.append(presentation.frame);
  table.flip.append(presentation.flip);
  table.angle.append(presentation.angle_deg);
  w.flush_if_due();
}

void SessionWriter::update_protocol(const std::string& protocol_json) {
  impl_->require_open();
  impl_->protocol_update = protocol_json;
}

void SessionWriter::flush_if_due() { impl_->flush_if_due(); }
void SessionWriter::flush() { impl_->flush(); }

void SessionWriter::close() {
  Impl& w = *impl_;
  if (!w.open) return;
  w.flush();
  const std::lock_guard<std::mutex> lock(h5::library_mutex());
  w.release();
}

const std::string& SessionWriter::path() const { return impl_->path; }
std::uint64_t SessionWriter::frames() const { return impl_->frames; }
std::uint64_t SessionWriter::flushed_frames() const { return impl_->flushed_frames; }
std::uint64_t SessionWriter::flushes() const { return impl_->flushes; }

std::vector<double> SessionWriter::pair_r() const {
  std::vector<double> r(impl_->rois, none);
  for (const Impl::Pair& pair : impl_->pairs) r[pair.roi] = pair.r.r();
  return r;
}

}  // namespace apical::nwb
