#pragma once
// Stimulus outputs: where the task's commanded stimulus goes every frame (the grating angle, or black).
// One output per file under bridge/src/stimuli, registered by name with its parameters declared once;
// the rig JSON selects one:
//
//   "stimulus": {"type": "udp", "host": "127.0.0.1", "port": 47900}
//   "stimulus": {"type": "display", "screen_width": "52 cm", "viewing_distance": "20 cm"}
//
// An output never stops the session: a receiver that is not there is counted and logged once per
// outage, and the session goes on.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "apical/bridge/plugin_registry.hpp"
#include "apical/bridge/stimulus_line.hpp"

namespace apical::bridge {

// The first flip that put a new picture on a screen the output drives (a new angle, or black after a
// grating): the built-in display reports these; outputs that hand the stimulus to another program cannot.
struct Presentation {
  std::uint64_t frame = 0;          // the task frame whose command it shows
  loop::Stimulus stimulus;
  std::uint64_t flip = 0;           // flips since the window opened, from 1 (photodiode edges)
  std::int64_t commanded_ns = 0;    // the command was given, monotonic_ns()
  std::int64_t flipped_ns = 0;      // the buffer swap completed, monotonic_ns()
};

struct StimulusCounters {
  std::uint64_t sent = 0;    // commands handed to the transport
  std::uint64_t failed = 0;  // commands the transport refused
};

class StimulusOutput {
 public:
  using EventLog = std::function<void(const std::string&)>;
  explicit StimulusOutput(EventLog log) : log_(std::move(log)) {}
  virtual ~StimulusOutput() = default;
  StimulusOutput(const StimulusOutput&) = delete;
  StimulusOutput& operator=(const StimulusOutput&) = delete;

  // Shows (or sends) one frame's command without blocking the loop.
  virtual void show(const StimulusCommand& command) = 0;
  [[nodiscard]] virtual std::string describe() const = 0;
  // Moves the presentations seen since the last call into `out` (appended); none for outputs that do
  // not see the screen.
  virtual void take_presentations(std::vector<Presentation>& out) { (void)out; }
  [[nodiscard]] const StimulusCounters& counters() const { return counters_; }

 protected:
  void log(const std::string& line) const {
    if (log_) log_(line);
  }
  StimulusCounters counters_;

 private:
  EventLog log_;
};

using StimulusOutputInfo = PluginInfo;
using StimulusOutputRegistry = PluginRegistry<StimulusOutput, StimulusOutput::EventLog>;

void register_all_stimulus_outputs(StimulusOutputRegistry& registry);  // generated from bridge/CMakeLists.txt
const StimulusOutputRegistry& builtin_stimulus_outputs();

}  // namespace apical::bridge
