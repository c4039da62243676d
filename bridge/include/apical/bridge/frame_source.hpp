#pragma once
// Frame sources: where the rig's frames come from (rig.md §2). One source per file under
// bridge/src/sources, registered by name with its parameters declared once; the rig JSON selects one:
//
//   "source": {"type": "tcp-framed", "port": 47800, "width": 796, "height": 512}
//
// A source never fails silently: sequence gaps, duplicates, truncated or mis-sized frames, bad
// checksums, disconnects and reconnects are counted in SourceCounters and each one is logged as a
// line ("DROP 3 ...", "TRUNCATED ...") through the EventLog the source was made with.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "apical/bridge/frame.hpp"
#include "apical/bridge/plugin_registry.hpp"
#include "apical/bridge/source_settings.hpp"

namespace apical::bridge {

// Receives one line per noteworthy event, e.g. "DROP 2 (seq 4 -> 7)".
using EventLog = std::function<void(const std::string&)>;

struct SourceCounters {
  std::uint64_t frames = 0;        // frames delivered by next()
  std::uint64_t dropped = 0;       // frames missing from the sequence (sum of the gap sizes)
  std::uint64_t gaps = 0;          // places where the sequence jumped forward
  std::uint64_t duplicates = 0;    // frames whose seq repeated or went back (the frame is still delivered)
  std::uint64_t restarts = 0;      // the sender started a new stream (seq 0 on a new connection, new session)
  std::uint64_t truncated = 0;     // frames cut short by a disconnect or a stall
  std::uint64_t wrong_size = 0;    // frames whose size differs from the declared one (skipped)
  std::uint64_t rejected = 0;      // other unusable messages: bad checksum, unsupported pixel type (skipped)
  std::uint64_t desyncs = 0;       // times the receiver had to scan for the next header
  std::uint64_t connections = 0;   // connections made or accepted
  std::uint64_t disconnects = 0;   // connections lost
  std::uint64_t other_planes = 0;  // frames of planes this source does not keep (read and discarded)
  std::uint64_t overruns = 0;      // frames received but overwritten in the receive ring by fresher ones
  std::uint64_t stalls = 0;        // gaps of more than 2 frame periods between arrivals
};

enum class FetchStatus {
  frame,    // `into` holds the next frame
  timeout,  // nothing within the timeout (the source keeps waiting, reconnecting if needed)
  end,      // the stream ended (APF end-of-stream, end of a replay file)
};

class FrameSource {
 public:
  explicit FrameSource(EventLog log) : log_(std::move(log)) {}
  virtual ~FrameSource() = default;
  FrameSource(const FrameSource&) = delete;
  FrameSource& operator=(const FrameSource&) = delete;

  // Waits at most `timeout` for the next frame. Bad input is counted, logged and skipped; only an
  // unusable set-up (e.g. a port that cannot be bound) throws.
  virtual FetchStatus next(Frame& into, std::chrono::milliseconds timeout) = 0;
  // "tcp-framed listening on 0.0.0.0:47800", for logs.
  [[nodiscard]] virtual std::string describe() const = 0;
  // The bound port of a source that listens (useful with port 0); nullopt for the others.
  [[nodiscard]] virtual std::optional<std::uint16_t> listening_port() const { return std::nullopt; }

  [[nodiscard]] const SourceCounters& counters() const { return counters_; }

 protected:
  void log(const std::string& line) const {
    if (log_) log_(line);
  }
  SourceCounters counters_;

 private:
  EventLog log_;
};

using FrameSourceInfo = PluginInfo;
using FrameSourceRegistry = PluginRegistry<FrameSource, EventLog>;

void register_all_frame_sources(FrameSourceRegistry& registry);  // generated from bridge/CMakeLists.txt
const FrameSourceRegistry& builtin_frame_sources();

// Makes the source a config object selects by its "type"; InputError (naming the JSON path) on a bad
// config.
std::unique_ptr<FrameSource> make_frame_source(const JsonValue& config, EventLog log,
                                               const FrameSourceRegistry& registry = builtin_frame_sources());

}  // namespace apical::bridge
