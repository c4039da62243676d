#pragma once
// The virtual microscope with the loop closed (docs/virtual-microscope.md#closed-loop): its mouse is not
// played back but stepped live, frame by frame, by bci::LiveMouse, and learns from the decisions of the
// rig that images it — heard as the APICAL-STIM/2 lines (stimulus_line.hpp) the rig's `udp` stimulus
// output sends, one per task frame, so that an unmodified `apical rig` in another process closes the loop.
//
// Per frame k (the caller paces the frames and sends them):
//   render(k)          before the rig's first decision: an idle frame (no task, no teaching, W frozen
//                      unless the scenario makes it plastic during calibration), as in the rig's
//                      reference and calibration phases; after it: a task frame, whose apical drive
//                      carries the teaching of the last decision learned
//   await_decision(t)  hears the rig until the line whose seq is k arrives, then LiveMouse::learn() with
//                      the rig's task frame and decoder output (δ at reward and timeout frames, T for
//                      the next frame, the rule's weight update); or until t, the latest moment the next
//                      frame can still be stepped and rendered in time
//
// The first decision starts the mouse's session (LiveMouse::start_session); it was made on a frame the
// mouse ran idle, so it teaches nothing, nor do the decisions on the frames already sent behind it (a
// rig works off the frames queued during its calibration). The rig must decide on each frame before
// the next is due, as its own latency budget asks (rig.md §6): a decision can only teach the frame the
// mouse ran last. A decision that has not come by its deadline is missing: the
// mouse steps the next frame without it (no δ, no weight update; T keeps its last value), the frame is
// counted and logged (the first, then at most once a minute; an outage of 15 frames or more also when
// it ends). Its line, if it still comes, is counted late and dropped. Gaps
// in the rig's task-frame numbers count lost lines; APICAL-STIM/1 lines (no decision) and datagrams that
// are no APICAL-STIM line are counted and logged once each. Single plane only (the mouse gives somatic F).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "apical/bridge/frame.hpp"
#include "apical/bridge/socket.hpp"
#include "apical/bridge/stimulus_line.hpp"
#include "apical/bridge/stimulus_listener.hpp"
#include "apical/bridge/virtual_microscope.hpp"
#include "apical/models/bci/virtual_mouse.hpp"

namespace apical::bridge {

struct ClosedLoopCounters {
  std::uint64_t idle_frames = 0;     // rendered before the rig's first decision
  std::uint64_t task_frames = 0;     // rendered after it
  std::uint64_t learned = 0;         // task frames whose decision came in time: learn() called
  std::uint64_t missing = 0;         // task frames stepped on without their decision
  std::uint64_t late = 0;            // decisions that came after their frame's deadline (dropped)
  std::uint64_t on_idle_frames = 0;  // decisions on frames the mouse ran idle: the rig's first task frames
                                     // while it catches up after its calibration (dropped)
  std::uint64_t lost = 0;            // rig task frames whose line never came (gaps in their numbers)
  std::uint64_t unexpected = 0;      // decisions on frames this microscope has not rendered yet
  std::uint64_t old_format = 0;      // APICAL-STIM/1 lines: no decision to learn from
  std::uint64_t malformed = 0;       // datagrams that are no APICAL-STIM line
  std::uint64_t rewards = 0;         // reward commands learned from
  std::uint64_t timeouts = 0;        // timeouts learned from
};

class ClosedLoopMicroscope {
 public:
  using EventLog = std::function<void(const std::string&)>;
  // Called with each decision the mouse learned from, after learn() (for tests and monitors).
  using LearnObserver = std::function<void(const StimulusCommand&)>;

  // `field`: the single-plane virtual microscope of the same scenario and mouse (imaged_spec), which
  // gives the layout, expression, motion, noise and neuropil; its played-back activity is not shown.
  // The mouse is made here (its warm-up and calibration block: seconds for a 50-neuron scenario).
  // Listens for the rig's lines on address:port (port 0: any free port). std::invalid_argument for a
  // two-plane field or one whose neuron count is not the mouse's; std::runtime_error if it cannot listen.
  ClosedLoopMicroscope(const bci::ExperimentSpec& spec, std::uint64_t mouse, VirtualMicroscope field,
                       const std::string& address, std::uint16_t port, EventLog log = {});

  // Steps the mouse one frame and renders it as frame k (seq k).
  void render(std::uint64_t k, Frame& into);
  // Hears the rig until frame k's decision is learned (true) or the deadline passes (false).
  bool await_decision(Clock::time_point deadline);

  void on_learn(LearnObserver observer) { observer_ = std::move(observer); }
  [[nodiscard]] const ClosedLoopCounters& counters() const { return counters_; }
  [[nodiscard]] bool in_task() const { return in_task_; }
  [[nodiscard]] const bci::LiveMouse& mouse() const { return mouse_; }
  [[nodiscard]] const VirtualMicroscope& field() const { return field_; }
  [[nodiscard]] std::uint16_t port() const { return listener_.port(); }
  // One line: frames, decisions learned and missed, lines late, lost and unreadable, rewards, R̄.
  [[nodiscard]] std::string describe_counters() const;

 private:
  void hear(std::string_view datagram);
  void learn(const StimulusCommand& command);
  void log(const std::string& line) const {
    if (log_) log_(line);
  }

  bci::LiveMouse mouse_;
  VirtualMicroscope field_;
  StimulusListener listener_;
  EventLog log_;
  LearnObserver observer_;
  ClosedLoopCounters counters_;
  bool in_task_ = false;
  bool awaiting_ = false;              // the last frame rendered is a task frame without its decision yet
  std::uint64_t awaited_seq_ = 0;      // that frame's seq
  std::uint64_t rendered_ = 0;         // frames rendered
  std::uint64_t first_task_seq_ = 0;   // the first frame rendered as a task frame
  bool heard_rig_frame_ = false;
  std::uint64_t last_rig_frame_ = 0;   // the rig's task-frame number of the last line heard
  std::uint64_t outage_ = 0;           // task frames missed in a row
  Clock::time_point last_missing_log_{};
};

}  // namespace apical::bridge
