#pragma once
// Writes an 8-bit RGB image (rows top to bottom) as a PNG, e.g. a frame read back from the grating
// display; std::runtime_error naming the file when it cannot be written.
#include <cstdint>
#include <string>
#include <vector>

namespace apical::viz {

void write_rgb_png(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgb);

}  // namespace apical::viz
