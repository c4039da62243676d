#pragma once
// Parameters both TCP frame sources declare, so each is declared once with its unit and bounds, and
// the receive thread both run on.
#include <chrono>
#include <memory>

#include "apical/bridge/source_settings.hpp"
#include "apical/bridge/threaded_receiver.hpp"

namespace apical::bridge::tcp_parameters {

inline SourceParameter width() {
  return {"width", SourceParameter::Kind::integer, "1", 1, 4096, {}, nullptr, "pixels per line (x) of every frame"};
}
inline SourceParameter height() {
  return {"height", SourceParameter::Kind::integer, "1", 1, 4096, {}, nullptr, "lines (y) of every frame"};
}
inline SourceParameter stall_timeout() {
  return {"stall_timeout", SourceParameter::Kind::quantity, "ms", 1, 60000, {}, "1000 ms",
          "once a frame has begun, the longest wait for its remaining bytes before it counts as truncated"};
}
inline SourceParameter receive_buffer_frames() {
  return {"receive_buffer_frames", SourceParameter::Kind::integer, "1", 4, 1000, {}, 8,
          "kernel receive buffer in frames (rig.md §2: at least 4)"};
}

inline SourceParameter queue_frames() {
  return {"queue_frames", SourceParameter::Kind::integer, "1", 1, 1000, {}, 8,
          "frames the receive thread holds for the loop; when full, the oldest is overwritten (OVERRUN)"};
}
inline SourceParameter frame_rate() {
  return {"frame_rate", SourceParameter::Kind::quantity, "Hz", 0.1, 1000, {}, "15 Hz",
          "nominal frame rate; no frame for 2 frame periods is reported as a STALL"};
}

// The source read on its own thread into a ring, as queue_frames and frame_rate ask.
template <class Source>
std::unique_ptr<FrameSource> on_receive_thread(const SourceSettings& s, EventLog log) {
  const ReceiverParams params{static_cast<std::size_t>(s.integer("queue_frames")),
                              std::chrono::nanoseconds(static_cast<long long>(1e9 / s.number("frame_rate")))};
  return std::make_unique<ThreadedReceiver>([&s](EventLog inner_log) { return std::make_unique<Source>(s, std::move(inner_log)); },
                                            params, std::move(log));
}

}  // namespace apical::bridge::tcp_parameters
