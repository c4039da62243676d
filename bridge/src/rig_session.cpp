#include "apical/bridge/rig_session.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>
#include <stdexcept>

#include "apical/bridge/calibration_file.hpp"
#include "apical/bridge/frame_processor.hpp"
#include "apical/bridge/latency_stats.hpp"
#include "apical/bridge/reference_image.hpp"
#include "apical/bridge/reward_device_worker.hpp"
#include "apical/bridge/stimulus_output.hpp"
#include "apical/io/loop_section.hpp"
#include "apical/io/nwb/iso8601.hpp"
#include "apical/models/bci/virtual_mouse.hpp"
#include "confirmed_light.hpp"

namespace apical::bridge {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds fetch_wait{200};        // between checks of stop, the devices and the status
constexpr std::int64_t status_interval_ns = 1'000'000'000;
constexpr milliseconds device_drain_limit{2000};  // the session's end waits this long for queued rewards

std::uint64_t lost_frames(const SourceCounters& c) { return c.dropped + c.overruns + c.truncated + c.wrong_size; }

// What went wrong with the frames between two counter readings ("3 frames dropped, sender
// disconnected"); empty when nothing did.
std::string frame_gap_cause(const SourceCounters& before, const SourceCounters& now) {
  std::string cause;
  const auto add = [&](std::uint64_t count, const char* one, const char* many) {
    if (count == 0) return;
    cause += (cause.empty() ? "" : ", ") + (count == 1 ? std::string(one) : std::to_string(count) + " " + many);
  };
  add(lost_frames(now) - lost_frames(before), "1 frame lost", "frames lost");
  add(now.disconnects - before.disconnects, "sender disconnected", "sender disconnects");
  add(now.stalls - before.stalls, "stall", "stalls");
  return cause;
}

// The registration references of the planes: the decoder's, and the distal one in two-plane sessions.
struct References {
  ReferenceImage proximal;
  std::optional<ReferenceImage> distal;
};

// A trial whose record waits for the outcome of its reward request.
struct PendingTrial {
  TrialSummary trial;
  std::optional<std::uint64_t> reward_request;
};

}  // namespace

const char* phase_name(SessionPhase phase) {
  switch (phase) {
    case SessionPhase::reference: return "reference";
    case SessionPhase::calibration: return "calibration";
    case SessionPhase::task: return "task";
  }
  return "?";
}

struct RigSession::Impl {
  const RigConfig& config;
  SessionRecorder& recorder;
  EventLog log;
  std::unique_ptr<FrameSource> source;
  std::unique_ptr<RewardDeviceWorker> device;
  std::unique_ptr<StimulusOutput> stimulus;
  std::unique_ptr<bci::LiveMouse> mouse;  // hybrid sessions only

  // The decoder's slots: imaged ROIs, then simulated neurons; their values for the current frame.
  std::vector<Slot> slots;
  std::vector<loop::Role> roles;
  std::vector<std::size_t> simulated_neurons;  // neuron index of each simulated slot
  std::unique_ptr<loop::DeltaFOverF> simulated_dff;
  std::vector<double> simulated_f, simulated_dff_values, f, f0, dff;

  // Two-plane sessions: the distal plane's own registration, F and F0, recorded and never decoded. A
  // proximal frame's record is held until the distal frame of its ETL cycle has been processed, so the
  // two planes of one cycle share a row of the recording; the decoder never waits for it.
  std::unique_ptr<FrameProcessor> distal_processor;
  std::optional<FrameRecord> held;
  Frame held_frame;
  std::optional<Frame> carried;  // a frame read to complete a cycle that belongs to the next phase
  std::vector<double> distal_missing;  // NaN per distal ROI: a cycle whose distal frame was lost

  std::int64_t t0_ns = monotonic_ns();
  bool begun = false;
  std::vector<std::string> early_notes;  // logged before the recorder began
  DeviceReport device_report;
  std::vector<Presentation> presentations;  // the display's, taken after each command
  LatencyStats latency, reward_wait;
  // Trials in order: the running one, and finished ones held until their reward's outcome is known.
  std::optional<PendingTrial> current_trial;
  std::deque<PendingTrial> finished_trials;
  std::optional<double> last_frame_s;   // the previous processed frame, for gaps
  SourceCounters counters_at_last_frame;
  std::string write_problem;            // the recorder's, as last seen
  SessionSummary summary;
  SessionStatus status;
  const StatusCallback* on_status = nullptr;
  std::int64_t last_status_ns = 0;
  std::uint64_t frames_at_last_status = 0, processed = 0;
  std::int64_t logged_frame_clock_mismatch = 0;  // frame-clock pulses − frames received, as last logged
  ConfirmedLight light{1.0 / config.frame_rate_hz};  // the device's OPT events
  bool opto_commanded = false;                        // the light the session asked for last
  bool block_commanded = false;                       // an OPTO on since the last block was closed

  Impl(const RigConfig& c, SessionRecorder& r, EventLog l) : config(c), recorder(r), log(std::move(l)) {
    const EventLog to_note = [this](const std::string& line) { note(line); };
    source = make_frame_source(JsonValue(config.document["source"], config.file, "/source"), to_note);
    if (config.has_reward_device())
      device = std::make_unique<RewardDeviceWorker>(JsonValue(config.document["reward"], config.file, "/reward"));
    if (config.has_stimulus_output())
      stimulus = builtin_stimulus_outputs().make(JsonValue(config.document["stimulus"], config.file, "/stimulus"), to_note);
    for (std::size_t i = 0; i < config.rois.rois.size(); ++i)
      slots.push_back({config.rois.rois[i].name, config.roles[i], false, i});
    if (config.simulated) add_simulated_slots(*config.simulated);
    for (const Slot& slot : slots) roles.push_back(slot.role);
    for (auto* v : {&f, &f0, &dff}) v->assign(slots.size(), 0.0);
    if (config.distal) distal_missing.assign(config.distal->rois.rois.size(), std::numeric_limits<double>::quiet_NaN());
  }

  // The first `count` neurons of each role of the simulated mouse (its roles come from its own
  // calibration block, simulated here).
  void add_simulated_slots(const SimulatedSpec& sim) {
    mouse = std::make_unique<bci::LiveMouse>(sim.spec, sim.mouse);
    const std::vector<loop::Role>& mouse_roles = mouse->setup().roles;
    for (const auto& [role, count] : {std::pair{loop::Role::plus, sim.plus}, std::pair{loop::Role::minus, sim.minus},
                                      std::pair{loop::Role::zero, sim.zero}}) {
      std::size_t taken = 0;
      for (std::size_t n = 0; n < mouse_roles.size() && taken < count; ++n) {
        if (mouse_roles[n] != role) continue;
        char name[64];
        std::snprintf(name, sizeof name, "sim_%s_n%02zu", mouse->setup().mouse_id.c_str(), n);
        slots.push_back({name, role, true, n});
        simulated_neurons.push_back(n);
        ++taken;
      }
    }
    simulated_dff = std::make_unique<loop::DeltaFOverF>(simulated_neurons.size(), loop::DffParams{});
    simulated_f.assign(simulated_neurons.size(), 0.0);
    simulated_dff_values.assign(simulated_neurons.size(), 0.0);
  }

  // One frame's values for every slot: the imaged ROIs from the frame, the simulated neurons from a
  // frame of the mouse (a task frame with teaching, under the scenario's opto manipulation when the
  // device lit this frame, or an idle one during calibration).
  const FrameOutcome& measure(FrameProcessor& processor, Frame& frame, bool task_frame, bool lit) {
    const FrameOutcome& out = processor.process(frame);
    std::copy(out.f.begin(), out.f.end(), f.begin());
    std::copy(out.f0.begin(), out.f0.end(), f0.begin());
    std::copy(out.dff.begin(), out.dff.end(), dff.begin());
    if (mouse) {
      const std::span<const double> soma_f = task_frame ? mouse->task_frame(lit) : mouse->idle_frame();
      for (std::size_t k = 0; k < simulated_neurons.size(); ++k) simulated_f[k] = soma_f[simulated_neurons[k]];
      simulated_dff->step(simulated_f, simulated_dff_values);
      const std::size_t first = out.f.size();
      std::copy(simulated_f.begin(), simulated_f.end(), f.begin() + static_cast<std::ptrdiff_t>(first));
      std::copy(simulated_dff->f0().begin(), simulated_dff->f0().end(), f0.begin() + static_cast<std::ptrdiff_t>(first));
      std::copy(simulated_dff_values.begin(), simulated_dff_values.end(), dff.begin() + static_cast<std::ptrdiff_t>(first));
    }
    return out;
  }

  [[nodiscard]] double seconds(std::int64_t ns) const { return static_cast<double>(ns - t0_ns) * 1e-9; }

  void note(const std::string& line, std::int64_t host_ns = monotonic_ns()) {
    if (log) log(line);
    if (begun) recorder.note(seconds(host_ns), line);
    else early_notes.push_back(line);
  }

  void begin() {
    t0_ns = monotonic_ns();  // the session clock starts here, after any set-up
    nlohmann::json protocol = {{"rig", config.document}, {"loop", loop_section_json(config.loop)}};
    recorder.begin({&config, slots, nwb::iso8601_local(std::chrono::system_clock::now()), t0_ns, protocol.dump(2)});
    begun = true;
    for (const std::string& line : early_notes) recorder.note(0.0, line);
    early_notes.clear();
    note("SESSION " + config.name + ": frames from " + source->describe() +
         (device ? ", rewards by " + device->describe() : ", no reward device") +
         (stimulus ? ", stimulus by " + stimulus->describe() : ", no stimulus output") +
         (mouse ? ", " + std::to_string(simulated_neurons.size()) + " simulated neurons of mouse " + mouse->setup().mouse_id
                : "") +
         (config.distal ? ", two planes (proximal decoded, " + std::to_string(config.distal->rois.rois.size()) +
                              " distal ROIs recorded)"
                        : ""));
    if (mouse && config.opto.schedule != OptoPlan::Schedule::off) note_opto_on_simulated_neurons();
    if (device) device->start();
  }

  void note_opto_on_simulated_neurons() {
    const bci::OptoSpec& o = config.simulated->spec.manipulations.opto;
    if (o.kind == bci::OptoKind::none) {
      note("OPTO leaves the simulated neurons as they are: their scenario's manipulations.opto.kind is none");
      return;
    }
    char text[256];
    std::snprintf(text, sizeof text,
                  "OPTO reaches the simulated neurons on every frame the device lit: %s (g_max %g nS, tau %g ms, "
                  "%g ms of light per %g ms from their scenario)",
                  bci::to_string(o.kind), o.g_max_nS, o.tau_ms, o.light_ms, o.light_period_ms);
    note(text);
  }

  // Takes in what the device thread gathered: log lines, clock pings, events, reward outcomes.
  void poll_devices() {
    if (!device) return;
    device->collect(device_report);
    for (const DeviceLogLine& line : device_report.log) note(line.text, line.host_ns);
    for (const ClockPing& ping : device_report.clock_pings) recorder.clock_ping(ping);
    for (const DeviceEvent& e : device_report.events) {
      if (e.kind == DeviceEvent::Kind::lick && e.value == 1) ++summary.licks;
      if (e.kind == DeviceEvent::Kind::frame_clock) ++summary.frame_clock_pulses;
      recorder.device_event(e, seconds(e.host_ns));
      if (e.kind == DeviceEvent::Kind::opto) confirmed_pulse(e);
      if (e.kind == DeviceEvent::Kind::watchdog) close_light_block();  // the device switched the LED off
    }
    for (const RewardOutcome& o : device_report.outcomes) reward_outcome(o);
    status.device_lost = device_report.lost;
    summary.device = device_report.counters;
    if (device_report.clock_fit) summary.device_clock = device_report.clock_fit;
  }

  // An OPT event: the LED was on from its device time (mapped to the session clock; without a clock
  // fit yet, its line's arrival less the time it was on) for `value` µs.
  void confirmed_pulse(const DeviceEvent& e) {
    ++summary.opto_pulses;
    const double on_for_s = static_cast<double>(e.value) * 1e-6;
    light.pulse(e.mapped_ns ? seconds(*e.mapped_ns) : seconds(e.host_ns) - on_for_s, on_for_s);
  }

  // The schedule of RigConfig::opto: whether task frame k lies in a lit block (blocks alternate dark
  // and lit from a dark one, as a scenario's blocks schedule).
  [[nodiscard]] bool opto_wanted(std::uint64_t k) const {
    switch (config.opto.schedule) {
      case OptoPlan::Schedule::off: return false;
      case OptoPlan::Schedule::every_frame: return true;
      case OptoPlan::Schedule::blocks: {
        const double block_frames = config.opto.block_s * config.frame_rate_hz;
        return static_cast<std::uint64_t>(std::floor(static_cast<double>(k) / block_frames)) % 2 == 1;
      }
    }
    return false;
  }

  // Sends OPTO on / off when the schedule changes; a new lit block closes the last one's epoch.
  void switch_opto(bool on) {
    if (!device || on == opto_commanded) return;
    opto_commanded = on;
    if (on) close_light_block();
    block_commanded = block_commanded || on;
    device->request_opto(on ? std::optional<OptoPulses>(config.opto.pulses) : std::nullopt);
    note(on ? "OPTO ON commanded: LED " + std::to_string(config.opto.pulses.led_us) + " us and PMT gate " +
                  std::to_string(config.opto.pulses.gate_us) + " us at every frame-clock edge"
            : "OPTO OFF commanded");
  }

  // Records the confirmed light since the last close as an opto epoch.
  void close_light_block() {
    const std::optional<LitBlock> block = light.close_block();
    if (!block) {
      if (block_commanded)
        note("OPTO NOT CONFIRMED: the device reported no LED pulse since OPTO ON was commanded (refused, disarmed, "
             "or no frame clock); nothing is recorded as lit");
      block_commanded = false;
      return;
    }
    block_commanded = false;
    ++summary.opto_blocks;
    recorder.opto_block(block->start_s, block->stop_s, block->pulses);
    char text[128];
    std::snprintf(text, sizeof text, "OPTO BLOCK %.3f s to %.3f s: %zu LED pulses confirmed", block->start_s,
                  block->stop_s, block->pulses);
    note(text);
  }

  // rig.md §5: the frame-clock pulses the device reported should equal the frames received. A pulse and
  // its frame arrive by different paths, a moment apart, so a difference of one is no mismatch; a
  // mismatch is logged when it changes, at most once a second (the status interval) and at the end.
  void check_frame_clock() {
    if (summary.frame_clock_pulses == 0) return;  // no frame clock wired, or a device without one
    summary.frames_received = source->counters().frames;
    const auto difference =
        static_cast<std::int64_t>(summary.frame_clock_pulses) - static_cast<std::int64_t>(summary.frames_received);
    const std::int64_t mismatch = difference >= -1 && difference <= 1 ? 0 : difference;
    if (mismatch == logged_frame_clock_mismatch) return;
    logged_frame_clock_mismatch = mismatch;
    const std::string counts = std::to_string(summary.frame_clock_pulses) + " frame-clock pulses from " +
                               device->describe() + ", " + std::to_string(summary.frames_received) +
                               " frames received from " + source->describe();
    note(mismatch == 0 ? "FRAME CLOCK MATCHES again: " + counts
                       : "FRAME CLOCK MISMATCH: " + counts + " (" + (mismatch > 0 ? "+" : "") + std::to_string(mismatch) +
                             "); frames went missing or the frame clock is miswired");
  }

  // Logs the start and the end of an outage of the recorder, once each.
  void check_recorder() {
    std::string problem = recorder.write_problem();
    if (problem.empty() != write_problem.empty()) {
      if (problem.empty())
        note("RECORDING RESUMED: the records kept in memory are written");
      else
        note("RECORDING FAILED: " + problem + "; the session goes on, its records are kept in memory and the write is retried");
    }
    write_problem = std::move(problem);
    status.write_problem = write_problem;
  }

  void report_status(std::uint64_t phase_frames_done) {
    const std::int64_t now = monotonic_ns();
    if (now - last_status_ns < status_interval_ns) return;
    const double elapsed = last_status_ns == 0 ? 0.0 : static_cast<double>(now - last_status_ns) * 1e-9;
    status.frame_rate_hz = elapsed > 0 ? static_cast<double>(processed - frames_at_last_status) / elapsed : 0.0;
    last_status_ns = now;
    frames_at_last_status = processed;
    status.frames = phase_frames_done;
    status.lost_frames = lost_frames(source->counters());
    status.latency_p50_ms = latency.recent(0.50);
    status.latency_p99_ms = latency.recent(0.99);
    if (on_status && *on_status) (*on_status)(status);
    check_frame_clock();
  }

  // The next frame; false when the source ended or a stop was requested (summary.ended_by says which).
  bool next(Frame& frame, const std::atomic<bool>& stop, std::uint64_t phase_frames_done) {
    if (carried) {
      frame = std::move(*carried);
      carried.reset();
      return true;
    }
    while (!stop.load()) {
      const FetchStatus got = source->next(frame, fetch_wait);
      poll_devices();
      if (got == FetchStatus::timeout) recorder.idle();
      check_recorder();
      report_status(phase_frames_done);
      if (got == FetchStatus::frame) return true;
      if (got == FetchStatus::end) {
        summary.ended_by = "the source ended";
        return false;
      }
    }
    summary.ended_by = "stopped by the user";
    return false;
  }

  void enter(SessionPhase phase, std::uint64_t frames) {
    status.phase = phase;
    status.phase_frames = frames;
    status.frames = 0;
    note("PHASE " + std::string(phase_name(phase)) + (frames ? " (" + std::to_string(frames) + " frames)" : ""));
  }

  void check_size(const Frame& frame) const {
    if (frame.width != config.rois.width || frame.height != config.rois.height)
      throw std::runtime_error("the source sends " + std::to_string(frame.width) + "x" + std::to_string(frame.height) +
                               " frames but the ROIs of " + config.file + " were drawn on " +
                               std::to_string(config.rois.width) + "x" + std::to_string(config.rois.height) + " frames");
  }

  // The plane of a frame: 0 = proximal (decoded), 1 = distal. The APF/1 header's plane when the sender
  // fills it in (n_planes = 2), else the sequence number: the ETL alternates from the stream's first
  // frame, even = proximal. A single-plane session takes every frame as proximal.
  std::size_t plane_of(const Frame& frame) const {
    if (!config.distal) return 0;
    if (frame.planes > 2 || frame.plane >= std::max<std::uint8_t>(frame.planes, 2))
      throw std::runtime_error(source->describe() + " sends plane " + std::to_string(frame.plane) + " of " +
                               std::to_string(frame.planes) + " interleaved planes, but " + config.file +
                               " images 2 (proximal and distal)");
    return frame.planes == 2 ? frame.plane : frame.seq % 2;
  }

  ReferenceImage tiff_reference(const std::string& path) {
    ReferenceImage image = reference_from_tiff(path);
    if (image.width != config.rois.width || image.height != config.rois.height)
      throw std::runtime_error("the reference " + path + " is " + std::to_string(image.width) + "x" +
                               std::to_string(image.height) + " but the ROIs were drawn on " +
                               std::to_string(config.rois.width) + "x" + std::to_string(config.rois.height));
    note("REFERENCE from " + path);
    return image;
  }

  // Each plane's reference: its TIFF, or the re-aligned mean of its first frames of the session.
  // nullopt when the session ended before the references were complete.
  std::optional<References> reference(const std::atomic<bool>& stop) {
    const ReferenceSpec* distal_spec = config.distal ? &config.distal->reference : nullptr;
    const std::size_t proximal_wanted = config.reference.tiff.empty() ? config.reference.frames : 0;
    const std::size_t distal_wanted = distal_spec && distal_spec->tiff.empty() ? distal_spec->frames : 0;
    std::vector<Frame> frames[2];
    if (proximal_wanted + distal_wanted > 0) {
      enter(SessionPhase::reference, proximal_wanted);
      while (frames[0].size() < proximal_wanted || frames[1].size() < distal_wanted) {
        Frame frame;
        if (!next(frame, stop, frames[0].size())) return std::nullopt;
        check_size(frame);
        const std::size_t plane = plane_of(frame);
        ++(plane == 0 ? summary.reference_frames : summary.distal_frames);
        if (frames[plane].size() < (plane == 0 ? proximal_wanted : distal_wanted)) frames[plane].push_back(std::move(frame));
      }
    }
    const auto image = [&](const ReferenceSpec& spec, const std::vector<Frame>& taken) {
      return spec.tiff.empty() ? reference_from_frames(taken, config.registration, spec.passes) : tiff_reference(spec.tiff);
    };
    References out{image(config.reference, frames[0]), std::nullopt};
    if (distal_spec) out.distal = image(*distal_spec, frames[1]);
    return out;
  }

  // The next proximal frame. Distal frames read on the way are processed and complete the held
  // record of their cycle; a held record whose distal frame never came is recorded without it.
  bool next_proximal(Frame& frame, const std::atomic<bool>& stop, std::uint64_t phase_frames_done) {
    while (next(frame, stop, phase_frames_done)) {
      check_size(frame);
      if (plane_of(frame) == 0) {
        release_held(nullptr, nullptr);
        return true;
      }
      distal(frame);
    }
    return false;
  }

  void distal(Frame& frame) {
    ++summary.distal_frames;
    const FrameOutcome& out = distal_processor->process(frame);
    if (held) release_held(&frame, &out);
    else ++summary.distal_without_proximal;  // its proximal frame was lost: no row to put it in
  }

  // Records the held proximal frame with its cycle's distal values (null: the distal frame was lost).
  void release_held(const Frame* distal_frame, const FrameOutcome* distal_out) {
    if (!held) return;
    FrameRecord& r = *held;
    r.distal_frame = distal_frame;
    if (distal_out) {
      r.distal_shift = distal_out->shift;
      r.distal_f = distal_out->f;
      r.distal_f0 = distal_out->f0;
      r.distal_dff = distal_out->dff;
    } else {
      ++summary.proximal_without_distal;
      r.distal_f = r.distal_f0 = r.distal_dff = distal_missing;
    }
    recorder.frame(r);
    held.reset();
  }

  // At a phase's end: reads one more frame so that the held record gets its cycle's distal frame. A
  // proximal frame read instead is kept for the next phase. Why the session ends is the phase's call,
  // not this read's.
  void complete_cycle(const std::atomic<bool>& stop) {
    if (!held) return;
    const std::string ended_by = summary.ended_by;
    Frame frame;
    if (next(frame, stop, status.frames)) {
      check_size(frame);
      if (plane_of(frame) == 1) {
        distal(frame);
      } else {
        release_held(nullptr, nullptr);
        carried = std::move(frame);
      }
    }
    release_held(nullptr, nullptr);
    summary.ended_by = ended_by;
  }

  // Records the stretch since the previous frame as invalid when the source lost frames, stalled or
  // lost its sender in between.
  void check_gap(double t_s) {
    const SourceCounters& now = source->counters();
    const std::string cause = frame_gap_cause(counters_at_last_frame, now);
    if (last_frame_s && !cause.empty()) {
      recorder.invalid_time(*last_frame_s, t_s, cause);
      char span[64];
      std::snprintf(span, sizeof span, "INVALID TIME %.3f s to %.3f s: ", *last_frame_s, t_s);
      note(span + cause);
      ++summary.invalid_intervals;
    }
    counters_at_last_frame = now;
    last_frame_s = t_s;
  }

  void record(const Frame& frame, const Shift& shift, SessionPhase phase, const loop::DecoderOutput* decision,
              const loop::TaskFrame* task, bool lit) {
    check_gap(seconds(frame.stages.received_ns));
    FrameRecord r;
    r.index = processed++;
    r.phase = phase;
    r.t_s = seconds(frame.stages.received_ns);
    r.frame = &frame;
    r.shift = shift;
    r.f = f;
    r.f0 = f0;
    r.dff = dff;
    r.opto = lit;
    r.decided = task != nullptr;
    if (task) {
      r.decision = *decision;
      r.task = *task;
    }
    if (!config.distal) {
      recorder.frame(r);
      return;
    }
    // The record outlives the frame's buffer, which the distal frame reuses: keep what a record
    // promises (seq, sizes, stage times), not the pixels.
    held_frame.width = frame.width;
    held_frame.height = frame.height;
    held_frame.seq = frame.seq;
    held_frame.acquired_ns = frame.acquired_ns;
    held_frame.sender_ns = frame.sender_ns;
    held_frame.plane = frame.plane;
    held_frame.planes = frame.planes;
    held_frame.channel = frame.channel;
    held_frame.stages = frame.stages;
    r.frame = &held_frame;
    held = r;
  }

  // nullopt when the session ended during the calibration block.
  std::optional<loop::Calibration> calibration(FrameProcessor& processor, const std::atomic<bool>& stop) {
    if (!config.calibration.file.empty()) {
      loop::Calibration c = read_calibration_file(config.calibration.file, slots.size());
      note("CALIBRATION from " + config.calibration.file);
      recorder.calibrated(c, true);
      return c;
    }
    enter(SessionPhase::calibration, config.calibration.frames);
    std::vector<double> block;
    block.reserve(config.calibration.frames * slots.size());
    Frame frame;
    for (std::size_t k = 0; k < config.calibration.frames; ++k) {
      if (!next_proximal(frame, stop, k)) return std::nullopt;
      const FrameOutcome& out = measure(processor, frame, false, false);
      block.insert(block.end(), dff.begin(), dff.end());
      const bool lit = light.frame_lit(seconds(frame.stages.received_ns));  // no light is commanded yet
      record(frame, out.shift, SessionPhase::calibration, nullptr, nullptr, lit);
      ++summary.calibration_frames;
    }
    complete_cycle(stop);  // the calibration epoch ends with its last row recorded
    const loop::Calibration c =
        loop::calibrate(loop::FrameBlock(block, slots.size()), roles, config.loop.decoder, config.loop.calibration);
    note("CALIBRATED mu " + std::to_string(c.mu) + " sigma " + std::to_string(c.sigma) + " lo " + std::to_string(c.lo) +
         " theta " + std::to_string(c.theta) + " (pseudo-trial hit fraction " + std::to_string(c.pseudo_hit_fraction) + ")");
    recorder.calibrated(c, false);
    return c;
  }

  void task(FrameProcessor& processor, const loop::Calibration& calibration, const std::atomic<bool>& stop) {
    enter(SessionPhase::task, config.task_frames.value_or(0));
    loop::Decoder decoder(roles, calibration, config.loop.decoder);
    loop::TrialTask task(config.loop.task);
    if (mouse) mouse->start_session();
    Frame frame;
    for (std::uint64_t k = 0; !config.task_frames || k < *config.task_frames; ++k) {
      if (!next_proximal(frame, stop, k)) break;
      switch_opto(opto_wanted(k));
      const bool lit = light.frame_lit(seconds(frame.stages.received_ns));
      summary.opto_frames += lit;
      const FrameOutcome& out = measure(processor, frame, true, lit);
      const loop::DecoderOutput decision = decoder.step(dff);
      frame.stages.decided_ns = monotonic_ns();
      const loop::TaskFrame tf = task.step(decision.at_target, decision.angle_deg);
      if (mouse) mouse->learn(tf, decision);  // the simulated neurons get the real task's reward and teaching
      const double t = seconds(frame.stages.received_ns);
      if (tf.trial_start) {
        current_trial = PendingTrial{};
        current_trial->trial = TrialSummary{tf.trial, t, t, loop::Outcome::pending, -1, -1, -1, 0, calibration.theta};
        if (device) device->request_trial_mark();
      }
      const std::optional<std::uint64_t> reward_request = tf.reward_command ? request_reward() : std::nullopt;
      if (current_trial) {
        TrialSummary& trial = current_trial->trial;
        if (tf.hit) trial.hit_s = t;
        if (lit) trial.opto = true;
        if (tf.reward_command) trial.reward_s = t;
        if (reward_request) current_trial->reward_request = reward_request;
      }
      if (stimulus) {
        stimulus->show(stimulus_command(tf, decision, frame.seq));
        record_presentations();
      }
      frame.stages.sent_ns = monotonic_ns();
      latency.add(static_cast<double>(frame.stages.sent_ns - frame.stages.received_ns) * 1e-6);
      record(frame, out.shift, SessionPhase::task, &decision, &tf, lit);
      ++summary.task_frames;
      if (current_trial) {
        current_trial->trial.outcome = tf.outcome;
        current_trial->trial.stop_s = t;
        if (tf.trial_end) finish_trial();
      }
      status.trials = summary.trials;
      status.hits = summary.hits;
    }
    if (summary.ended_by.empty()) {
      summary.ended_by = "duration reached";
      complete_cycle(stop);
    }
    if (current_trial) finish_trial();  // cut short; its outcome may already be known
  }

  // Queues the reward with the device thread; its number, or nullopt without a device.
  std::optional<std::uint64_t> request_reward() {
    ++summary.rewards_commanded;
    status.rewards = summary.rewards_commanded;
    if (!device) {
      note("REWARD COMMAND (no reward device configured)");
      return std::nullopt;
    }
    return device->request_reward(config.reward_volume_uL);
  }

  void reward_outcome(const RewardOutcome& o) {
    const bool delivered = o.status == RewardOutcome::Status::delivered;
    ++(delivered ? summary.rewards_delivered : summary.rewards_refused);
    if (o.status == RewardOutcome::Status::not_sent)
      note("REWARD NOT DELIVERED by " + device->describe() + ": the session ended before it could be sent");
    else
      reward_wait.add(static_cast<double>(o.answered_ns - o.requested_ns) * 1e-6);
    const auto settle = [&](PendingTrial& p) {
      if (p.reward_request != o.request) return;
      p.reward_request.reset();
      if (!delivered) return;
      p.trial.reward_uL = o.volume_uL;
      p.trial.reward_confirmed_s = seconds(o.answered_ns);
    };
    if (current_trial) settle(*current_trial);
    for (PendingTrial& p : finished_trials) settle(p);
    release_trials();
  }

  void finish_trial() {
    ++summary.trials;
    if (current_trial->trial.outcome == loop::Outcome::hit) ++summary.hits;
    finished_trials.push_back(std::move(*current_trial));
    current_trial.reset();
    release_trials();
  }

  // Records finished trials in order, as soon as no earlier one waits for its reward's outcome.
  void release_trials() {
    while (!finished_trials.empty() && !finished_trials.front().reward_request) {
      recorder.trial(finished_trials.front().trial);
      finished_trials.pop_front();
    }
  }

  SessionSummary run(const std::atomic<bool>& stop) {
    const std::optional<References> references = reference(stop);
    if (!references) return summary;
    ProcessorParams params;
    params.registration = config.registration;
    FrameProcessor processor(references->proximal, config.rois, params);
    if (config.distal)
      distal_processor = std::make_unique<FrameProcessor>(*references->distal, config.distal->rois, params);
    const std::optional<loop::Calibration> c = calibration(processor, stop);
    if (!c) return summary;
    summary.calibration = *c;
    task(processor, *c, stop);
    return summary;
  }

  // Hands the screen's new pictures to the recorder with their flip times.
  void record_presentations() {
    presentations.clear();
    stimulus->take_presentations(presentations);
    summary.presentations += presentations.size();
    for (const Presentation& p : presentations)
      recorder.stimulus_presented(p, seconds(p.commanded_ns), seconds(p.flipped_ns));
  }

  void end() {
    release_held(nullptr, nullptr);  // a session that ended (or failed) before the cycle's distal frame
    if (stimulus) record_presentations();  // the last pictures, shown after the last command
    if (device) {  // every reward commanded gets its outcome recorded
      switch_opto(false);
      device->finish(std::chrono::steady_clock::now() + device_drain_limit);
      poll_devices();
      check_frame_clock();
      close_light_block();
    }
    release_trials();
    summary.source = source->counters();
    if (stimulus) summary.stimulus = stimulus->counters();
    summary.latency_p50_ms = latency.overall(0.50);
    summary.latency_p99_ms = latency.overall(0.99);
    summary.reward_wait_p50_ms = reward_wait.overall(0.50);
    summary.reward_wait_max_ms = reward_wait.overall(1.0);
    note("END " + summary.ended_by + ": " + std::to_string(summary.task_frames) + " task frames, " +
         std::to_string(summary.trials) + " trials, " + std::to_string(summary.hits) + " hits, " +
         std::to_string(summary.rewards_delivered) + " rewards delivered");
    recorder.end(summary);
  }
};

RigSession::RigSession(const RigConfig& config, SessionRecorder& recorder, EventLog log)
    : impl_(std::make_unique<Impl>(config, recorder, std::move(log))) {}

RigSession::~RigSession() = default;

const FrameSource& RigSession::source() const { return *impl_->source; }

SessionSummary RigSession::run(const std::atomic<bool>& stop, const StatusCallback& status) {
  impl_->on_status = &status;
  impl_->begin();
  try {
    impl_->run(stop);
  } catch (const std::exception& e) {
    impl_->summary.ended_by = std::string("error: ") + e.what();
    impl_->end();
    throw;
  }
  impl_->end();
  return impl_->summary;
}

}  // namespace apical::bridge
