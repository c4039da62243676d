#pragma once
// One two-photon frame as the bridge passes it along the loop: uint16 pixels, where the frame came
// from, and when each stage of the loop was done with it (rig.md §6: per-stage timestamps on every
// frame).
#include <cstdint>
#include <span>
#include <vector>

namespace apical::bridge {

// The host's CLOCK_MONOTONIC in nanoseconds (std::chrono::steady_clock on Linux).
std::int64_t monotonic_ns();

// Host monotonic times at which each stage finished with the frame; 0 = not reached.
struct StageTimes {
  std::int64_t received_ns = 0;    // the frame's last byte was read (or the replay released it)
  std::int64_t registered_ns = 0;  // its rigid shift is known
  std::int64_t extracted_ns = 0;   // F and ΔF/F of every ROI are known
  std::int64_t decided_ns = 0;     // the decoder has stepped
  std::int64_t sent_ns = 0;        // stimulus and reward commands are written
};

struct Frame {
  std::uint32_t width = 0;               // pixels per line (x)
  std::uint32_t height = 0;              // lines (y)
  std::vector<std::uint16_t> pixels;     // [y · width + x], whatever order the wire used
  std::uint64_t seq = 0;                 // the sender's sequence number (APF/1) or the receiver's frame count
  std::uint64_t acquired_ns = 0;         // acquisition clock at the frame-clock edge; 0 = unknown
  std::uint64_t sender_ns = 0;           // sender's monotonic clock at send; 0 = unknown
  std::uint8_t plane = 0;                // ETL plane index (0-based)
  std::uint8_t planes = 1;               // planes interleaved in the stream
  std::uint8_t channel = 0;              // PMT channel
  StageTimes stages;

  [[nodiscard]] std::uint16_t at(std::uint32_t x, std::uint32_t y) const { return pixels[std::size_t(y) * width + x]; }
  [[nodiscard]] std::span<const std::uint16_t> view() const { return pixels; }
  // Sets the size and makes room for width·height pixels (reusing the buffer).
  void resize(std::uint32_t w, std::uint32_t h);
};

// Writes the transpose of a y-fastest (column-major) image of width × height into `row_major`.
void transpose_to_row_major(std::span<const std::uint16_t> y_fastest, std::uint32_t width, std::uint32_t height,
                            std::span<std::uint16_t> row_major);

}  // namespace apical::bridge
