#include "apical/bridge/nwb_session_recorder.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <stdexcept>

#include "apical/bridge/calibration_file.hpp"
#include "apical/bridge/stimulus_output.hpp"

namespace apical::bridge {
namespace {

// A random (version 4) UUID: NWB's identifier must be globally unique.
std::string uuid4() {
  std::random_device device;
  std::uniform_int_distribution<int> byte(0, 255);
  unsigned char b[16];
  for (unsigned char& x : b) x = static_cast<unsigned char>(byte(device));
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char text[37];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return text;
}

nwb::Population population(loop::Role role) {
  switch (role) {
    case loop::Role::plus: return nwb::Population::plus;
    case loop::Role::minus: return nwb::Population::minus;
    case loop::Role::zero: return nwb::Population::zero;
  }
  return nwb::Population::zero;
}

nwb::SessionInfo session_info(const SessionStart& start) {
  const RigConfig& config = *start.config;
  nwb::SessionInfo info;
  info.identifier = uuid4();
  info.session_description = config.description.empty() ? "apical rig session " + config.name : config.description;
  info.session_start_time = start.start_time_iso;
  info.protocol_json = start.protocol_json;
  info.imaging_rate_hz = config.frame_rate_hz;
  info.devices.push_back({"Microscope", "two-photon microscope; frames from " +
                                            config.document["source"].value("type", std::string("?")), ""});
  if (config.has_reward_device())
    info.devices.push_back({"RewardController", config.document["reward"].value("type", std::string("?")), ""});
  nwb::ImagingPlane plane;
  plane.name = "proximal";
  plane.description = "the decoder's plane: somata / proximal apical trunks";
  info.planes.push_back(plane);
  if (config.distal) {
    plane.name = "distal";
    plane.description = "distal apical trunks, alternating with the proximal plane (ETL); recorded, not decoded";
    info.planes.push_back(plane);
  }
  for (const Slot& slot : start.slots) {
    nwb::Roi roi;
    roi.name = slot.name;
    roi.population = population(slot.role);
    roi.source = slot.simulated ? nwb::RoiSource::simulated : nwb::RoiSource::imaged;
    if (!slot.simulated)
      for (const RoiPixel& p : config.rois.rois[slot.index].pixels) roi.pixel_mask.push_back({p.x, p.y, p.weight});
    info.rois.push_back(std::move(roi));
  }
  // The distal ROIs follow the decoder's slots; each names its proximal ROI's slot (imaged slots come
  // first, in ROI order, so a proximal ROI's index is its slot's).
  if (config.distal)
    for (std::size_t d = 0; d < config.distal->rois.rois.size(); ++d) {
      const Roi& distal = config.distal->rois.rois[d];
      nwb::Roi roi;
      roi.name = distal.name;
      roi.plane = 1;
      roi.population = info.rois[config.distal->partner[d]].population;
      for (const RoiPixel& p : distal.pixels) roi.pixel_mask.push_back({p.x, p.y, p.weight});
      roi.paired_roi = config.distal->partner[d];
      info.rois.push_back(std::move(roi));
    }
  return info;
}

// `proximal` then `distal`, into `into` (reusing its room).
std::span<const double> joined(std::span<const double> proximal, std::span<const double> distal,
                               std::vector<double>& into) {
  into.assign(proximal.begin(), proximal.end());
  into.insert(into.end(), distal.begin(), distal.end());
  return into;
}

double or_none(double t_s) { return t_s >= 0 ? t_s : nwb::none; }

const char* device_event_kind(DeviceEvent::Kind kind) {
  switch (kind) {
    case DeviceEvent::Kind::lick: return "lick";
    case DeviceEvent::Kind::reward: return "reward";
    case DeviceEvent::Kind::frame_clock: return "frame_clock";
    case DeviceEvent::Kind::photodiode: return "photodiode";
    case DeviceEvent::Kind::watchdog: return "watchdog";
    case DeviceEvent::Kind::ttl: return "ttl";
    case DeviceEvent::Kind::sync: return "sync";
    case DeviceEvent::Kind::opto: return "opto";
  }
  return "?";
}

}  // namespace

template <class Write>
void NwbSessionRecorder::guarded(Write&& write) {
  try {
    write();
  } catch (const nwb::WriteError& e) {
    problem_ = e.what();
    flushes_at_failure_ = writer_->flushes();
    return;
  }
  if (!problem_.empty() && writer_->flushes() > flushes_at_failure_) problem_.clear();
}

double NwbSessionRecorder::seconds(std::int64_t ns) const {
  return ns == 0 ? nwb::none : static_cast<double>(ns - clock_zero_ns_) * 1e-9;
}

void NwbSessionRecorder::begin(const SessionStart& start) {
  clock_zero_ns_ = start.clock_zero_ns;
  reward_volume_uL_ = start.config->reward_volume_uL;
  protocol_ = nlohmann::json::parse(start.protocol_json);
  writer_ = std::make_unique<nwb::SessionWriter>(path_, session_info(start), options_);
}

void NwbSessionRecorder::calibrated(const loop::Calibration& calibration, bool from_file) {
  protocol_["calibration"] = calibration_json(calibration);
  protocol_["calibration_from_file"] = from_file;
  writer_->update_protocol(protocol_.dump(2));
  close_calibration_epoch();
}

void NwbSessionRecorder::close_calibration_epoch() {
  if (!calibration_start_s_) return;
  guarded([&] { writer_->append_epoch({*calibration_start_s_, calibration_last_s_, "calibration"}); });
  calibration_start_s_.reset();
}

void NwbSessionRecorder::frame(const FrameRecord& r) {
  nwb::FrameRecord out;
  out.index = r.index;
  out.time_s = r.t_s;
  out.f = r.distal_f.empty() ? r.f : joined(r.f, r.distal_f, f_);
  out.dff = r.distal_dff.empty() ? r.dff : joined(r.dff, r.distal_dff, dff_);
  out.f0 = r.distal_f0.empty() ? r.f0 : joined(r.f0, r.distal_f0, f0_);
  if (r.decided) {
    out.decoder_x_bar = r.decision.x_bar;
    out.decoder_z = r.decision.z;
    out.angle_deg = r.decision.angle_deg;
    out.stimulus_angle_deg = r.task.stimulus.black ? nwb::none : r.task.stimulus.angle_deg;
  }
  out.shift_dx_px = r.shift.dx;
  out.shift_dy_px = r.shift.dy;
  out.shift_peak_ratio = r.shift.peak_ratio;
  if (r.distal_frame) {  // a lost or absent distal frame keeps the record's NaN
    out.distal_shift_dx_px = r.distal_shift.dx;
    out.distal_shift_dy_px = r.distal_shift.dy;
    out.distal_shift_peak_ratio = r.distal_shift.peak_ratio;
  }
  out.opto = r.opto;
  const StageTimes& st = r.frame->stages;
  out.stages = {seconds(st.received_ns), seconds(st.registered_ns), seconds(st.extracted_ns), seconds(st.decided_ns),
                seconds(st.sent_ns)};
  latest_s_ = std::max(latest_s_, r.t_s);
  if (r.phase == SessionPhase::calibration) {
    if (!calibration_start_s_) calibration_start_s_ = r.t_s;
    calibration_last_s_ = r.t_s;
  }
  guarded([&] { writer_->append_frame(out); });
}

void NwbSessionRecorder::device_event(const DeviceEvent& e, double t_s) {
  const double happened_s = e.mapped_ns ? seconds(*e.mapped_ns) : nwb::none;
  const double t = e.mapped_ns ? happened_s : t_s;
  guarded([&] {
    writer_->append_device_event({happened_s, e.device_us, t_s, device_event_kind(e.kind), e.channel, e.value});
  });
  switch (e.kind) {
    case DeviceEvent::Kind::lick:
      if (e.value == 1) guarded([&] { writer_->append_lick({t, e.channel}); });
      break;
    case DeviceEvent::Kind::reward: guarded([&] { writer_->append_reward({t, reward_volume_uL_}); }); break;
    case DeviceEvent::Kind::watchdog:
      guarded([&] {
        writer_->append_message({t_s, "reward device watchdog closed the valves and switched the LED off (the host went quiet)"});
      });
      break;
    case DeviceEvent::Kind::ttl:   // trial starts and sync pulses for other systems' alignment, and the LED
    case DeviceEvent::Kind::sync:  // pulses (their blocks become opto epochs): device_events holds them all
    case DeviceEvent::Kind::opto:
    case DeviceEvent::Kind::frame_clock:  // the frames carry their own times; both stay in device_events
    case DeviceEvent::Kind::photodiode: break;
  }
}

void NwbSessionRecorder::clock_ping(const ClockPing& p) {
  guarded([&] { writer_->append_clock_ping({seconds(p.host_sent_ns), p.device_us, seconds(p.host_received_ns)}); });
}

void NwbSessionRecorder::stimulus_presented(const Presentation& p, double commanded_s, double flipped_s) {
  const double angle = p.stimulus.black ? nwb::none : p.stimulus.angle_deg;
  guarded([&] {
    writer_->append_screen_presentation({flipped_s, commanded_s, static_cast<std::int64_t>(p.frame),
                                         static_cast<std::int64_t>(p.flip), angle});
  });
}

void NwbSessionRecorder::trial(const TrialSummary& t) {
  nwb::Trial out;
  out.start_time_s = t.start_s;
  out.stop_time_s = t.stop_s;
  out.outcome = t.outcome == loop::Outcome::hit    ? nwb::TrialOutcome::hit
                : t.outcome == loop::Outcome::fail ? nwb::TrialOutcome::fail
                                                   : nwb::TrialOutcome::pending;
  out.hit_time_s = or_none(t.hit_s);
  out.reward_time_s = t.reward_uL > 0 ? or_none(t.reward_confirmed_s) : nwb::none;
  out.reward_ul = t.reward_uL;
  out.theta = t.theta;
  out.opto = t.opto;
  guarded([&] { writer_->append_trial(out); });
}

void NwbSessionRecorder::opto_block(double start_s, double stop_s, std::size_t pulses) {
  (void)pulses;  // each pulse is in device_events
  guarded([&] { writer_->append_epoch({start_s, stop_s, "opto"}); });
}

void NwbSessionRecorder::note(double t_s, const std::string& line) {
  latest_s_ = std::max(latest_s_, t_s);
  if (writer_) guarded([&] { writer_->append_message({t_s, line}); });
}

void NwbSessionRecorder::invalid_time(double start_s, double stop_s, const std::string& why) {
  // NWB tags hold at most 64 bytes; the session log has the whole cause.
  guarded([&] { writer_->append_invalid_time({start_s, stop_s, why.substr(0, 64)}); });
}

void NwbSessionRecorder::idle() {
  if (writer_) guarded([&] { writer_->flush_if_due(); });
}

void NwbSessionRecorder::end(const SessionSummary& summary) {
  if (!writer_) return;
  close_calibration_epoch();  // a session that ended during its calibration block
  protocol_["summary"] = {{"ended_by", summary.ended_by}};
  writer_->update_protocol(protocol_.dump(2));
  note_pairs(summary);
  try {
    writer_->close();
  } catch (const nwb::WriteError& e) {
    throw std::runtime_error("the session's NWB file " + path_ + " could not be completed: it holds " +
                             std::to_string(writer_->flushed_frames()) + " of the session's " +
                             std::to_string(writer_->frames()) + " frames (those up to its last successful write); " +
                             "the rest were lost with the session's memory: " + e.what());
  }
}

// Logs how many pairs pass experiment.md's r >= 0.6 (the file's pair_r column has each r).
void NwbSessionRecorder::note_pairs(const SessionSummary& summary) {
  const std::vector<double> r = writer_->pair_r();
  std::size_t pairs = 0, passing = 0;
  for (double value : r) {
    if (std::isnan(value)) continue;
    ++pairs;
    passing += value >= nwb::pairing_r_min ? 1 : 0;
  }
  if (summary.distal_frames == 0 && pairs == 0) return;  // a single-plane session
  char line[200];
  std::snprintf(line, sizeof line, "PAIRS: %zu of %zu distal ROIs correlate with their proximal ROI at r >= %g over the session",
                passing, pairs, nwb::pairing_r_min);
  guarded([&] { writer_->append_message({latest_s_, line}); });
}

}  // namespace apical::bridge
