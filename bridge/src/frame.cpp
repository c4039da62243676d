#include "apical/bridge/frame.hpp"

#include <chrono>
#include <stdexcept>

namespace apical::bridge {

std::int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void Frame::resize(std::uint32_t w, std::uint32_t h) {
  width = w;
  height = h;
  pixels.resize(std::size_t(w) * h);
}

void transpose_to_row_major(std::span<const std::uint16_t> y_fastest, std::uint32_t width, std::uint32_t height,
                            std::span<std::uint16_t> row_major) {
  const std::size_t n = std::size_t(width) * height;
  if (y_fastest.size() != n || row_major.size() != n)
    throw std::invalid_argument("transpose_to_row_major: buffers must hold width x height pixels");
  for (std::uint32_t x = 0; x < width; ++x)
    for (std::uint32_t y = 0; y < height; ++y) row_major[std::size_t(y) * width + x] = y_fastest[std::size_t(x) * height + y];
}

}  // namespace apical::bridge
