#include "apical/io/nwb/session_reader.hpp"

#include <algorithm>
#include <mutex>
#include <optional>

#include "../h5_util.hpp"
#include "roi_table.hpp"
#include "session_paths.hpp"
#include "text_reading.hpp"

namespace apical::nwb {

namespace {

// An open group and its path.
struct Group {
  h5::Handle handle;
  std::string path;
  [[nodiscard]] hid_t id() const { return handle.id(); }
};

// A dataset of rows (time or table rows) with `width` values each (width 0: 1-D).
template <class T>
struct Rows {
  std::vector<T> values;
  std::size_t rows = 0, width = 0;

  void keep(std::size_t n) {
    values.resize(n * std::max<std::size_t>(width, 1));
    rows = n;
  }
};

class SessionFile {
 public:
  // A kill between a flush's index updates and its superblock leaves the recorded end of the file
  // short of rows that the flush did write: read up to the file's real end. In memory only: unlike
  // h5clear --increment, this leaves the file as it is.
  explicit SessionFile(const std::string& path) : reader_(path) {
    if (H5Fincrement_filesize(reader_.root(), 0) < 0) reader_.fail("/", "cannot read the file's end");
  }

  [[nodiscard]] const h5::Reader& reader() const { return reader_; }

  // `path` is absolute; the root's path is kept as "" so that children read "/name".
  Group group(const std::string& path) const {
    if (path == "/") return Group{h5::Handle(H5Gopen2(reader_.root(), "/", H5P_DEFAULT), H5Gclose), ""};
    return Group{reader_.group(reader_.root(), "", path.substr(1)), path};
  }

  template <class T>
  Rows<T> rows(const std::string& group_path, const std::string& name, std::size_t width = 0) const {
    const Group g = group(group_path);
    std::vector<hsize_t> dims;
    Rows<T> out{reader_.dataset<T>(g.id(), g.path, name, &dims), 0, width};
    const std::size_t expected_rank = width == 0 ? 1 : 2;
    if (dims.size() != expected_rank || (width > 0 && dims[1] != width))
      reader_.fail(g.path + "/" + name, "expected " + (width == 0 ? std::string("one value per row")
                                                                  : std::to_string(width) + " values per row"));
    out.rows = static_cast<std::size_t>(dims[0]);
    return out;
  }

  std::string text(const std::string& group_path, const std::string& name) const {
    const Group g = group(group_path);
    return detail::read_text_dataset(reader_, g.id(), g.path, name);
  }
  std::vector<std::string> texts(const std::string& group_path, const std::string& name) const {
    const Group g = group(group_path);
    return detail::read_text_list(reader_, g.id(), g.path, name);
  }
  std::string attribute(const std::string& object_path, const std::string& name) const {
    const h5::Handle object(H5Oopen(reader_.root(), object_path.c_str(), H5P_DEFAULT), H5Oclose);
    if (!object.valid()) reader_.fail(object_path, "missing object");
    return detail::read_text_attribute(reader_, object.id(), object_path, name);
  }
  double number(const std::string& group_path, const std::string& name) const {
    const Group g = group(group_path);
    return reader_.dataset<double>(g.id(), g.path, name, std::size_t{1}).front();
  }
  std::vector<std::string> children(const std::string& group_path) const {
    const Group g = group(group_path);
    return reader_.children(g.id(), g.path);
  }
  // Whether every link along the absolute path exists (H5Lexists needs the parents to exist).
  bool has_object(const std::string& object_path) const {
    for (std::size_t end = object_path.find('/', 1);; end = object_path.find('/', end + 1)) {
      if (H5Lexists(reader_.root(), object_path.substr(0, end).c_str(), H5P_DEFAULT) <= 0) return false;
      if (end == std::string::npos) return true;
    }
  }
  // The path of the object an H5R_OBJECT attribute refers to (DynamicTableRegion.table).
  std::string referenced_path(const std::string& object_path, const std::string& name) const {
    const h5::Handle object(H5Oopen(reader_.root(), object_path.c_str(), H5P_DEFAULT), H5Oclose);
    const h5::Handle attribute(object.valid() ? H5Aopen(object.id(), name.c_str(), H5P_DEFAULT) : -1, H5Aclose);
    hobj_ref_t reference{};
    char target[512] = {};
    if (!attribute.valid() || H5Aread(attribute.id(), H5T_STD_REF_OBJ, &reference) < 0 ||
        H5Rget_name(reader_.root(), H5R_OBJECT, &reference, target, sizeof target) <= 0)
      reader_.fail(object_path, "cannot read the object reference '" + name + "'");
    return target;
  }
  bool has_attribute(const std::string& object_path, const std::string& name) const {
    const h5::Handle object(H5Oopen(reader_.root(), object_path.c_str(), H5P_DEFAULT), H5Oclose);
    return object.valid() && reader_.has_attribute(object.id(), name);
  }

 private:
  h5::Reader reader_;
};

Population population_from(const SessionFile& file, const std::string& path, const std::string& name) {
  if (name == "P+") return Population::plus;
  if (name == "P-" || name == "P\u2212") return Population::minus;
  if (name == "P0") return Population::zero;
  file.reader().fail(path, "unknown population '" + name + "'");
}

RoiSource source_from(const SessionFile& file, const std::string& path, const std::string& name) {
  if (name == "imaged") return RoiSource::imaged;
  if (name == "simulated") return RoiSource::simulated;
  file.reader().fail(path, "unknown ROI source '" + name + "'");
}

TrialOutcome outcome_from(const SessionFile& file, const std::string& path, const std::string& name) {
  if (name == "hit") return TrialOutcome::hit;
  if (name == "fail") return TrialOutcome::fail;
  if (name == "pending") return TrialOutcome::pending;
  file.reader().fail(path, "unknown trial outcome '" + name + "'");
}

const std::string plane_prefix = "ImagingPlane_";

// Devices and planes come back in name order (HDF5 lists a group's members by name).
void read_setup(const SessionFile& file, SessionInfo& info) {
  info.identifier = file.text("/", "identifier");
  info.session_description = file.text("/", "session_description");
  info.session_start_time = file.text("/", "session_start_time");
  info.protocol_json = file.text("/general", "protocol");
  for (const std::string& name : file.children(paths::devices)) {
    const std::string path = std::string(paths::devices) + "/" + name;
    Device device{name, file.attribute(path, "description"), ""};
    if (file.has_attribute(path, "manufacturer")) device.manufacturer = file.attribute(path, "manufacturer");
    info.devices.push_back(std::move(device));
  }
  for (const std::string& child : file.children(paths::optophysiology)) {
    if (child.rfind(plane_prefix, 0) != 0) continue;
    const std::string path = paths::imaging_plane(child.substr(plane_prefix.size()));
    ImagingPlane plane;
    plane.name = child.substr(plane_prefix.size());
    plane.description = file.text(path, "description");
    plane.indicator = file.text(path, "indicator");
    plane.location = file.text(path, "location");
    plane.excitation_lambda_nm = file.number(path, "excitation_lambda");
    plane.emission_lambda_nm = file.number(path + "/OpticalChannel", "emission_lambda");
    info.imaging_rate_hz = file.number(path, "imaging_rate");
    const h5::Handle group(H5Gopen2(file.reader().root(), path.c_str(), H5P_DEFAULT), H5Gclose);
    char target[512] = {};
    if (!group.valid() || H5Lget_val(group.id(), "device", target, sizeof target, H5P_DEFAULT) < 0)
      file.reader().fail(path + "/device", "missing link to the device");
    const std::string device = target;
    plane.device = device.substr(device.rfind('/') + 1);
    info.planes.push_back(std::move(plane));
  }
  if (info.planes.empty()) file.reader().fail(paths::optophysiology, "no imaging plane");
}

std::vector<RoiPixel> read_pixels(const SessionFile& file, const std::string& table) {
  const Group g = file.group(table);
  const std::string path = table + "/pixel_mask";
  if (!file.reader().exists(g.id(), "pixel_mask")) file.reader().fail(path, "missing dataset");
  const h5::Handle dataset(H5Dopen2(g.id(), "pixel_mask", H5P_DEFAULT), H5Dclose);
  const h5::Handle space(dataset.valid() ? H5Dget_space(dataset.id()) : -1, H5Sclose);
  const h5::Handle type = detail::pixel_type(true);
  if (!dataset.valid() || !space.valid() || !type.valid()) file.reader().fail(path, "cannot open the pixel mask");
  std::vector<RoiPixel> pixels(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.id())));
  if (!pixels.empty() && H5Dread(dataset.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pixels.data()) < 0)
    file.reader().fail(path, "cannot read the pixel mask (fields x, y, weight)");
  return pixels;
}

// The ROI tables; each ROI goes to the place its id gives. Returns each plane's ROIs in column order.
std::vector<std::vector<std::size_t>> read_rois(const SessionFile& file, SessionInfo& info) {
  std::vector<std::vector<std::size_t>> plane_rois(info.planes.size());
  std::vector<Roi> rois;
  std::vector<bool> seen;
  for (std::size_t p = 0; p < info.planes.size(); ++p) {
    const std::string table = paths::plane_segmentation(info.planes[p].name);
    const Rows<std::int64_t> ids = file.rows<std::int64_t>(table, "id");
    const Rows<std::int64_t> ends = file.rows<std::int64_t>(table, "pixel_mask_index");
    const std::vector<RoiPixel> pixels = read_pixels(file, table);
    const std::vector<std::string> names = file.texts(table, "roi_name"), populations = file.texts(table, "population"),
                                   sources = file.texts(table, "source");
    if (ends.rows != ids.rows || names.size() != ids.rows || populations.size() != ids.rows ||
        sources.size() != ids.rows)
      file.reader().fail(table, "its columns differ in length");
    std::size_t begin = 0;
    for (std::size_t row = 0; row < ids.rows; ++row) {
      const auto id = static_cast<std::size_t>(ids.values[row]);
      const auto end = static_cast<std::size_t>(ends.values[row]);
      if (ids.values[row] < 0 || end < begin || end > pixels.size())
        file.reader().fail(table, "row " + std::to_string(row) + " has a bad id or pixel_mask_index");
      if (id >= rois.size()) {
        rois.resize(id + 1);
        seen.resize(id + 1, false);
      }
      if (seen[id]) file.reader().fail(table + "/id", "ROI id " + std::to_string(id) + " appears twice");
      seen[id] = true;
      rois[id] = Roi{names[row], p, population_from(file, table + "/population", populations[row]),
                     source_from(file, table + "/source", sources[row]),
                     std::vector<RoiPixel>(pixels.begin() + static_cast<std::ptrdiff_t>(begin),
                                           pixels.begin() + static_cast<std::ptrdiff_t>(end)),
                     std::nullopt};  // read_pairs fills it in
      plane_rois[p].push_back(id);
      begin = end;
    }
  }
  if (std::find(seen.begin(), seen.end(), false) != seen.end())
    file.reader().fail(paths::segmentation, "the ROI ids are not 0 … N-1");
  info.rois = std::move(rois);
  return plane_rois;
}

// The pair columns of the planes that have them (files before them, and single-plane files, have
// none): each ROI's partner and pair_r, per ROI in info.rois order (NaN where there is none).
std::vector<double> read_pairs(const SessionFile& file, const std::vector<std::vector<std::size_t>>& plane_rois,
                               SessionInfo& info) {
  std::vector<double> pair_r(info.rois.size(), none);
  for (std::size_t p = 0; p < info.planes.size(); ++p) {
    const std::string table = paths::plane_segmentation(info.planes[p].name);
    if (!file.has_object(table + "/paired_roi")) continue;
    const std::string target = file.referenced_path(table + "/paired_roi", "table");
    std::size_t partner = 0;
    while (partner < info.planes.size() && paths::plane_segmentation(info.planes[partner].name) != target) ++partner;
    if (partner == info.planes.size() || partner == p)
      file.reader().fail(table + "/paired_roi", "its table '" + target + "' is not another plane's ROI table");
    const Rows<std::int64_t> rows = file.rows<std::int64_t>(table, "paired_roi");
    const Rows<double> r = file.rows<double>(table, "pair_r");
    if (rows.rows != plane_rois[p].size() || r.rows != plane_rois[p].size())
      file.reader().fail(table, "paired_roi or pair_r differs in length from the table");
    for (std::size_t row = 0; row < rows.rows; ++row) {
      const std::int64_t partner_row = rows.values[row];
      if (partner_row < 0 || static_cast<std::size_t>(partner_row) >= plane_rois[partner].size())
        file.reader().fail(table + "/paired_roi",
                           "row " + std::to_string(row) + " names row " + std::to_string(partner_row) + " of " +
                               target + ", which has " + std::to_string(plane_rois[partner].size()) + " rows");
      const std::size_t roi = plane_rois[p][row];
      info.rois[roi].paired_roi = plane_rois[partner][static_cast<std::size_t>(partner_row)];
      pair_r[roi] = r.values[row];
    }
  }
  return pair_r;
}

// A per-frame series of `width` values a row (0: one) that files written before it lack: NaN in each of
// the frame clock's `rows` rows then.
Rows<double> rows_or_none(const SessionFile& file, const std::string& series, std::size_t width, std::size_t rows) {
  if (file.has_object(series)) return file.rows<double>(series, "data", width);
  return Rows<double>{std::vector<double>(rows * std::max<std::size_t>(width, 1), none), rows, width};
}

void read_frames(const SessionFile& file, const std::vector<std::vector<std::size_t>>& plane_rois,
                 SessionRecording& out) {
  const std::string behavior = paths::behavior_series;
  auto times = file.rows<double>(paths::frame_index, "timestamps");
  auto index = file.rows<std::int64_t>(paths::frame_index, "data");
  auto shifts = file.rows<double>(paths::shifts, "data", 2);
  auto peak = file.rows<double>(paths::peak_ratio, "data");
  auto bad = file.rows<std::int64_t>(paths::bad_frames, "data");
  auto x_bar = file.rows<double>(behavior + "/decoder_x_bar", "data");
  auto z = file.rows<double>(behavior + "/decoder_z", "data");
  auto angle = file.rows<double>(behavior + "/angle", "data");
  auto stimulus = file.rows<double>(paths::grating_angle, "data");
  auto stages = file.rows<double>(paths::stage_times, "data", 5);
  auto distal_shifts = rows_or_none(file, paths::distal_shifts, 2, times.rows);
  auto distal_peak = rows_or_none(file, paths::distal_peak_ratio, 0, times.rows);
  std::optional<Rows<std::int64_t>> opto;  // files written before the per-frame flags read with none
  if (file.has_object(paths::opto_frames)) opto = file.rows<std::int64_t>(paths::opto_frames, "data");
  std::vector<Rows<double>> f, dff, f0;
  std::size_t frames = std::min({times.rows, index.rows, shifts.rows, peak.rows, distal_shifts.rows, distal_peak.rows,
                                 bad.rows, opto ? opto->rows : times.rows, x_bar.rows, z.rows, angle.rows,
                                 stimulus.rows, stages.rows});
  for (std::size_t p = 0; p < plane_rois.size(); ++p) {
    const std::string& plane = out.info.planes[p].name;
    f.push_back(file.rows<double>(paths::raw_f(plane), "data", plane_rois[p].size()));
    dff.push_back(file.rows<double>(paths::dff_series(plane), "data", plane_rois[p].size()));
    f0.push_back(file.rows<double>(paths::f0_series(plane), "data", plane_rois[p].size()));
    frames = std::min({frames, f.back().rows, dff.back().rows, f0.back().rows});
  }
  // A kill during a flush may leave some datasets longer than others: keep the frames all of them hold.
  out.frames = frames;
  for (auto* rows : {&times, &shifts, &peak, &distal_shifts, &distal_peak, &x_bar, &z, &angle, &stimulus, &stages})
    rows->keep(frames);
  index.keep(frames);
  bad.keep(frames);
  out.frame_time_s = std::move(times.values);
  out.frame_index.assign(index.values.begin(), index.values.end());
  for (std::size_t k = 0; k < frames; ++k) {
    out.shift_dx_px.push_back(shifts.values[2 * k]);
    out.shift_dy_px.push_back(shifts.values[2 * k + 1]);
    out.distal_shift_dx_px.push_back(distal_shifts.values[2 * k]);
    out.distal_shift_dy_px.push_back(distal_shifts.values[2 * k + 1]);
    const double* s = &stages.values[5 * k];
    out.stages.push_back(StageTimes{s[0], s[1], s[2], s[3], s[4]});
  }
  out.shift_peak_ratio = std::move(peak.values);
  out.distal_shift_peak_ratio = std::move(distal_peak.values);
  out.bad.assign(bad.values.begin(), bad.values.end());
  if (opto) {
    opto->keep(frames);
    out.opto.assign(opto->values.begin(), opto->values.end());
  }
  out.decoder_x_bar = std::move(x_bar.values);
  out.decoder_z = std::move(z.values);
  out.angle_deg = std::move(angle.values);
  out.stimulus_angle_deg = std::move(stimulus.values);

  const std::size_t rois = out.info.rois.size();
  for (auto [plane_values, all] : {std::pair{&f, &out.f}, std::pair{&dff, &out.dff}, std::pair{&f0, &out.f0}}) {
    all->assign(frames * rois, 0.0);
    for (std::size_t p = 0; p < plane_rois.size(); ++p) {
      const std::vector<double>& values = (*plane_values)[p].values;
      const std::size_t width = plane_rois[p].size();
      for (std::size_t k = 0; k < frames; ++k)
        for (std::size_t c = 0; c < width; ++c) (*all)[k * rois + plane_rois[p][c]] = values[k * width + c];
    }
  }
}

void read_events(const SessionFile& file, SessionRecording& out) {
  const auto lick_times = file.rows<double>(paths::licks, "timestamps");
  const auto ports = file.rows<std::int64_t>(paths::licks, "data");
  for (std::size_t i = 0; i < std::min(lick_times.rows, ports.rows); ++i)
    out.licks.push_back(Lick{lick_times.values[i], static_cast<std::int32_t>(ports.values[i])});

  const auto reward_times = file.rows<double>(paths::rewards, "timestamps");
  const auto volumes = file.rows<double>(paths::rewards, "data");
  for (std::size_t i = 0; i < std::min(reward_times.rows, volumes.rows); ++i)
    out.rewards.push_back(Reward{reward_times.values[i], volumes.values[i]});

  const auto message_times = file.rows<double>(paths::log, "timestamps");
  const std::vector<std::string> texts = file.texts(paths::log, "data");
  for (std::size_t i = 0; i < std::min(message_times.rows, texts.size()); ++i)
    out.messages.push_back(LogMessage{message_times.values[i], texts[i]});
}

// Files written before device clocks were mapped have neither table: they read with none.
void read_device_events(const SessionFile& file, SessionRecording& out) {
  const std::string table = paths::device_events;
  if (!file.has_object(table) || !file.has_object(paths::clock_pings)) return;
  const auto time = file.rows<double>(table, "time"), received = file.rows<double>(table, "received_time");
  const auto device = file.rows<std::int64_t>(table, "device_time_us"), channel = file.rows<std::int64_t>(table, "channel"),
             value = file.rows<std::int64_t>(table, "value");
  const std::vector<std::string> kinds = file.texts(table, "kind");
  const std::size_t rows = std::min({time.rows, received.rows, device.rows, channel.rows, value.rows, kinds.size()});
  for (std::size_t i = 0; i < rows; ++i)
    out.device_events.push_back(DeviceEvent{time.values[i], device.values[i], received.values[i], kinds[i],
                                            static_cast<std::int32_t>(channel.values[i]), value.values[i]});

  const std::string pings = paths::clock_pings;
  const auto sent = file.rows<double>(pings, "sent_time"), answered = file.rows<double>(pings, "received_time");
  const auto device_time = file.rows<std::int64_t>(pings, "device_time_us");
  for (std::size_t i = 0; i < std::min({sent.rows, answered.rows, device_time.rows}); ++i)
    out.clock_pings.push_back(ClockPing{sent.values[i], device_time.values[i], answered.values[i]});
}

// Files written before the display's presentations were recorded have no table: they read with none.
void read_screen_presentations(const SessionFile& file, SessionRecording& out) {
  const std::string table = paths::screen_presentations;
  if (!file.has_object(table)) return;
  const auto time = file.rows<double>(table, "time"), commanded = file.rows<double>(table, "commanded_time"),
             angle = file.rows<double>(table, "angle");
  const auto frame = file.rows<std::int64_t>(table, "frame"), flip = file.rows<std::int64_t>(table, "flip");
  const std::size_t rows = std::min({time.rows, commanded.rows, angle.rows, frame.rows, flip.rows});
  for (std::size_t i = 0; i < rows; ++i)
    out.screen_presentations.push_back(
        ScreenPresentation{time.values[i], commanded.values[i], frame.values[i], flip.values[i], angle.values[i]});
}

void read_trials(const SessionFile& file, SessionRecording& out) {
  const std::string table = paths::trials;
  const auto column = [&](const char* name) { return file.rows<double>(table, name); };
  const auto start = column("start_time"), stop = column("stop_time"), hit = column("t_hit"),
             reward = column("t_reward"), volume = column("reward_uL"), theta = column("theta");
  const auto opto = file.rows<std::int64_t>(table, "opto");
  const std::vector<std::string> outcomes = file.texts(table, "outcome");
  const std::size_t rows =
      std::min({start.rows, stop.rows, hit.rows, reward.rows, volume.rows, theta.rows, opto.rows, outcomes.size()});
  for (std::size_t i = 0; i < rows; ++i)
    out.trials.push_back(Trial{start.values[i], stop.values[i], outcome_from(file, table + "/outcome", outcomes[i]),
                               hit.values[i], reward.values[i], volume.values[i], opto.values[i] != 0,
                               theta.values[i]});
}

std::vector<Interval> read_intervals(const SessionFile& file, const std::string& table) {
  const auto start = file.rows<double>(table, "start_time"), stop = file.rows<double>(table, "stop_time");
  const auto ends = file.rows<std::int64_t>(table, "tags_index");
  const std::vector<std::string> tags = file.texts(table, "tags");
  std::vector<Interval> intervals;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < std::min({start.rows, stop.rows, ends.rows}); ++i) {
    const auto end = static_cast<std::size_t>(std::max<std::int64_t>(ends.values[i], 0));
    if (end < begin || end > tags.size()) break;  // tags cut short by a kill during a flush
    Interval interval{start.values[i], stop.values[i], ""};
    for (std::size_t t = begin; t < end; ++t) interval.tag += (t > begin ? ", " : "") + tags[t];
    intervals.push_back(std::move(interval));
    begin = end;
  }
  return intervals;
}

}  // namespace

SessionRecording read_session(const std::string& path) {
  const std::lock_guard<std::mutex> lock(h5::library_mutex());
  const SessionFile file(path);
  if (file.attribute("/", "neurodata_type") != "NWBFile") file.reader().fail("/", "not an NWB file");
  SessionRecording out;
  out.nwb_version = file.attribute("/", "nwb_version");
  read_setup(file, out.info);
  const std::vector<std::vector<std::size_t>> plane_rois = read_rois(file, out.info);
  out.pair_r = read_pairs(file, plane_rois, out.info);
  read_frames(file, plane_rois, out);
  read_events(file, out);
  read_device_events(file, out);
  read_screen_presentations(file, out);
  read_trials(file, out);
  out.epochs = read_intervals(file, paths::epochs);
  out.invalid_times = read_intervals(file, paths::invalid_times);
  return out;
}

}  // namespace apical::nwb
