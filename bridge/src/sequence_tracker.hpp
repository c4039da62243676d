#pragma once
// Classifies each frame's sequence number against the previous one (rig.md §2 receiver rules): +1 is
// normal, a jump forward is a gap (DROP n), a repeat or a step back a duplicate, and seq 0 as the
// first frame of a new connection or session a restart of the stream.
#include <cstdint>
#include <optional>
#include <string>

#include "apical/bridge/frame_source.hpp"

namespace apical::bridge {

class SequenceTracker {
 public:
  // Counts the event in `counters` and returns its log line, or "" for an in-order frame.
  std::string observe(std::uint64_t seq, SourceCounters& counters);
  // The next frame starts a new connection: seq 0 there is a restart, anything else continues the stream.
  void expect_new_stream() { new_stream_ = true; }

 private:
  std::optional<std::uint64_t> last_;
  bool new_stream_ = false;
};

}  // namespace apical::bridge
