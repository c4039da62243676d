#pragma once
// The APICAL-STIM text line a `udp` stimulus output sends once per task frame (docs/stimulus.md): the
// command a lab's stimulus program draws and, from version 2 on, the decision behind it, so that a
// closed-loop virtual microscope in another process can teach its mouse what the rig decided.
//
//   version 1   APICAL-STIM/1 <frame> <trial> <state> <angle_deg|black> <reward>
//   version 2   APICAL-STIM/2 <the same five fields> seq=<S> events=<E> outcome=<O> x=<x> x_bar=<x̄>
//                             z=<z> bin=<b> decoder_angle=<deg> error=<ε>
//
// Version 2 keeps version 1's fields in their places and appends key=value fields; a reader ignores
// keys it does not know, so later versions can add more. Numbers of the decision are written in the
// shortest form that reads back to the same double.
//   seq            sequence number of the microscope frame the decision was made on (APF/1 header)
//   events         comma-separated trial_start, hit, timeout, trial_end; "-" for none
//   outcome        pending, hit or fail (loop::Outcome)
//   x … error      loop::DecoderOutput: x, x̄, z, the angle bin, the decoder's angle (which drives the
//                  patch only in OPEN) and ε = max(0, θ − z) in z units
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "apical/engine/loop/decoder.hpp"
#include "apical/engine/loop/trial_task.hpp"

namespace apical::bridge {

struct StimulusCommand {
  std::uint64_t frame = 0;        // task frame, from 0
  std::size_t trial = 0;          // trial index, from 0
  loop::TaskState state = loop::TaskState::open;
  loop::Stimulus stimulus;        // black, or the patch at angle_deg
  bool reward = false;            // this frame commands the valve
  // Version 2: the decision behind the command.
  std::uint64_t source_seq = 0;   // sequence number of the frame decided on
  bool trial_start = false, hit = false, timeout = false, trial_end = false;
  loop::Outcome outcome = loop::Outcome::pending;
  loop::DecoderOutput decision;
};

// The command for one task frame of a rig session, with its decision.
StimulusCommand stimulus_command(const loop::TaskFrame& task, const loop::DecoderOutput& decision, std::uint64_t source_seq);

constexpr int stimulus_line_version = 2;  // the newest version written

// One line (without the newline) of the given version (1 or 2).
std::string stimulus_line(const StimulusCommand& command, int version = stimulus_line_version);

struct StimulusMessage {
  int version = 0;
  StimulusCommand command;  // version 1: the decision fields keep their defaults
  [[nodiscard]] bool has_decision() const { return version >= 2; }
};

// Reads one line (a trailing newline is allowed). std::invalid_argument naming the field that is
// missing or malformed.
StimulusMessage parse_stimulus_line(std::string_view line);

// The task frame a version-2 command describes (loop::TaskFrame as the rig's TrialTask gave it).
loop::TaskFrame task_frame_of(const StimulusCommand& command);

const char* task_state_name(loop::TaskState state);  // "open", "hit", "reward", "show", "blank_ok", "fail"
const char* outcome_name(loop::Outcome outcome);      // "pending", "hit", "fail"

}  // namespace apical::bridge
