#include "sequence_tracker.hpp"

namespace apical::bridge {

std::string SequenceTracker::observe(std::uint64_t seq, SourceCounters& counters) {
  const std::optional<std::uint64_t> last = last_;
  const bool new_stream = new_stream_;
  last_ = seq;
  new_stream_ = false;
  if (!last) return "";
  if (new_stream && seq == 0) {
    ++counters.restarts;
    return "RESTART stream restarted at seq 0 (previous stream ended at seq " + std::to_string(*last) + ")";
  }
  if (seq == *last + 1) return "";
  if (seq > *last) {
    const std::uint64_t missing = seq - *last - 1;
    ++counters.gaps;
    counters.dropped += missing;
    return "DROP " + std::to_string(missing) + " (seq " + std::to_string(*last) + " -> " + std::to_string(seq) + ")";
  }
  ++counters.duplicates;
  return "DUPLICATE seq " + std::to_string(seq) + " after seq " + std::to_string(*last);
}

}  // namespace apical::bridge
