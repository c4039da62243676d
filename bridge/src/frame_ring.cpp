#include "apical/bridge/frame_ring.hpp"

#include <stdexcept>
#include <utility>

namespace apical::bridge {

FrameRing::FrameRing(std::size_t capacity) : slots_(capacity) {
  if (capacity == 0) throw std::invalid_argument("FrameRing: capacity must be at least 1 frame");
}

bool FrameRing::push(Frame& frame) {
  const bool full = size_ == slots_.size();
  if (full) {
    // The oldest slot becomes the newest.
    std::swap(slots_[head_], frame);
    head_ = (head_ + 1) % slots_.size();
    return true;
  }
  std::swap(slots_[(head_ + size_) % slots_.size()], frame);
  ++size_;
  return false;
}

bool FrameRing::pop(Frame& into) {
  if (size_ == 0) return false;
  std::swap(slots_[head_], into);
  head_ = (head_ + 1) % slots_.size();
  --size_;
  return true;
}

}  // namespace apical::bridge
