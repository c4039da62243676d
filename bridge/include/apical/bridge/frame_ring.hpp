#pragma once
// A bounded ring of frames between the receive thread and the loop (rig.md §2): when it is full, a new
// frame overwrites the oldest, so the receiver never waits for the loop and the loop never falls more
// than `capacity` frames behind the sender. Frames move in and out by swapping their pixel buffers, so
// after the first round no push or pop allocates. Not thread-safe: the owner locks.
#include <cstddef>
#include <vector>

#include "apical/bridge/frame.hpp"

namespace apical::bridge {

class FrameRing {
 public:
  // Throws std::invalid_argument if capacity is 0.
  explicit FrameRing(std::size_t capacity);

  // Moves `frame` in; `frame` gets back a buffer to reuse. True if the oldest frame was overwritten.
  bool push(Frame& frame);
  // Moves the oldest frame into `into`; false (and `into` untouched) when the ring is empty.
  bool pop(Frame& into);

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t capacity() const { return slots_.size(); }
  [[nodiscard]] bool empty() const { return size_ == 0; }

 private:
  std::vector<Frame> slots_;
  std::size_t head_ = 0;  // the oldest frame
  std::size_t size_ = 0;
};

}  // namespace apical::bridge
