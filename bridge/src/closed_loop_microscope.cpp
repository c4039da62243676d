#include "apical/bridge/closed_loop_microscope.hpp"

#include <cstdio>
#include <stdexcept>

namespace apical::bridge {
namespace {

constexpr std::uint64_t long_outage_frames = 15;  // 1 s at 15 Hz: an outage worth its own log line

VirtualMicroscope checked_field(VirtualMicroscope field, const bci::LiveMouse& mouse) {
  if (field.params().planes != 1)
    throw std::invalid_argument("a closed-loop virtual microscope images one plane: the live mouse gives somatic F only");
  if (field.somata().size() != mouse.neurons())
    throw std::invalid_argument("a closed-loop virtual microscope's field has " + std::to_string(field.somata().size()) +
                                " somata, its mouse " + std::to_string(mouse.neurons()) + " neurons");
  return field;
}

}  // namespace

ClosedLoopMicroscope::ClosedLoopMicroscope(const bci::ExperimentSpec& spec, std::uint64_t mouse, VirtualMicroscope field,
                                           const std::string& address, std::uint16_t port, EventLog log)
    : mouse_(imaged_spec(spec), mouse), field_(checked_field(std::move(field), mouse_)), listener_(address, port),
      log_(std::move(log)) {}

void ClosedLoopMicroscope::render(std::uint64_t k, Frame& into) {
  if (awaiting_) {  // the last task frame's decision did not come in time
    ++counters_.missing;
    ++outage_;
    // Single late lines are common at high frame rates: log the first, then at most once a minute.
    const Clock::time_point now = Clock::now();
    if (counters_.missing == 1 || now - last_missing_log_ >= std::chrono::minutes(1)) {
      log("DECISION MISSING for frame " + std::to_string(awaited_seq_) + ": the mouse steps on without teaching (" +
          std::to_string(counters_.missing) + " frames so far; logged at most once a minute)");
      last_missing_log_ = now;
    }
  }
  awaiting_ = false;
  if (in_task_) {
    field_.render(k, mouse_.task_frame(), into);
    ++counters_.task_frames;
    awaiting_ = true;
    awaited_seq_ = k;
  } else {
    field_.render(k, mouse_.idle_frame(), into);
    ++counters_.idle_frames;
  }
  ++rendered_;
}

bool ClosedLoopMicroscope::await_decision(Clock::time_point deadline) {
  // Before the first decision there is nothing to wait for, but the lines must be heard to find it.
  // Lines already queued are heard even past the deadline: one read costs microseconds.
  for (;;) {
    const std::optional<std::string> datagram = listener_.receive(deadline);
    if (!datagram) return false;
    const std::uint64_t learned = counters_.learned;
    hear(*datagram);
    if (counters_.learned != learned) return true;
  }
}

void ClosedLoopMicroscope::hear(std::string_view datagram) {
  StimulusMessage message;
  try {
    message = parse_stimulus_line(datagram);
  } catch (const std::invalid_argument& e) {
    if (counters_.malformed++ == 0) log(std::string("UNREADABLE DECISION LINE (logged once): ") + e.what());
    return;
  }
  if (!message.has_decision()) {
    if (counters_.old_format++ == 0)
      log("APICAL-STIM/1 lines carry no decision: the mouse learns nothing from them; set the rig's stimulus "
          "\"protocol\" to 2, the default (logged once)");
    return;
  }
  const StimulusCommand& c = message.command;
  if (heard_rig_frame_ && c.frame > last_rig_frame_ + 1) counters_.lost += c.frame - last_rig_frame_ - 1;
  if (!heard_rig_frame_ || c.frame > last_rig_frame_) last_rig_frame_ = c.frame;
  heard_rig_frame_ = true;

  if (!in_task_) {
    // The rig's first task frame: from the next frame on, the mouse runs task frames and learns.
    in_task_ = true;
    first_task_seq_ = rendered_;
    mouse_.start_session();
    log("TASK STARTED: the rig decided on frame " + std::to_string(c.source_seq) + " (its task frame " +
        std::to_string(c.frame) + "); the mouse learns from the next frame on");
    return;
  }
  if (awaiting_ && c.source_seq == awaited_seq_) {
    learn(c);
    return;
  }
  if (c.source_seq >= rendered_) ++counters_.unexpected;
  else if (c.source_seq < first_task_seq_) ++counters_.on_idle_frames;
  else ++counters_.late;
}

void ClosedLoopMicroscope::learn(const StimulusCommand& c) {
  mouse_.learn(task_frame_of(c), c.decision);
  awaiting_ = false;
  ++counters_.learned;
  counters_.rewards += c.reward;
  counters_.timeouts += c.timeout;
  if (outage_ >= long_outage_frames)
    log("DECISIONS BACK after " + std::to_string(outage_) + " frames stepped without teaching");
  outage_ = 0;
  if (observer_) observer_(c);
}

std::string ClosedLoopMicroscope::describe_counters() const {
  const ClosedLoopCounters& c = counters_;
  char baseline[32];
  std::snprintf(baseline, sizeof baseline, "%.4f", mouse_.reward_baseline());
  const auto count = [](std::uint64_t n, const char* what) { return std::to_string(n) + " " + what; };
  return count(c.idle_frames, "idle and ") + count(c.task_frames, "task frames; ") +
         count(c.learned, "decisions learned (") + count(c.rewards, "rewards, ") + count(c.timeouts, "timeouts), ") +
         count(c.missing, "frames without their decision; lines ") + count(c.late, "late, ") +
         count(c.on_idle_frames, "on idle frames, ") + count(c.lost, "lost, ") + count(c.unexpected, "unexpected, ") +
         count(c.old_format, "APICAL-STIM/1, ") + count(c.malformed, "unreadable; reward baseline R̄ ") + baseline;
}

}  // namespace apical::bridge
