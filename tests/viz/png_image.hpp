#pragma once
// A PNG read back with libpng as RGB pixels, and pixel counts by colour, for picture tests.
#include <png.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "apical/viz/role_colours.hpp"

namespace apical::test {

struct PngImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  // row-major, 3 bytes a pixel

  // Pixels within `tolerance` of `c` in every channel.
  [[nodiscard]] std::size_t count(viz::Rgb c, int tolerance = 8) const {
    std::size_t n = 0;
    for (std::size_t i = 0; i + 2 < rgb.size(); i += 3)
      n += std::abs(rgb[i] - c.r) <= tolerance && std::abs(rgb[i + 1] - c.g) <= tolerance &&
           std::abs(rgb[i + 2] - c.b) <= tolerance;
    return n;
  }
  [[nodiscard]] std::size_t not_white() const {
    return static_cast<std::size_t>(width) * static_cast<std::size_t>(height) - count({255, 255, 255}, 0);
  }
};

inline PngImage read_png_image(const std::string& path) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  REQUIRE(png_image_begin_read_from_file(&png, path.c_str()) != 0);
  png.format = PNG_FORMAT_RGB;
  PngImage image{static_cast<int>(png.width), static_cast<int>(png.height), {}};
  image.rgb.resize(PNG_IMAGE_SIZE(png));
  REQUIRE(png_image_finish_read(&png, nullptr, image.rgb.data(), 0, nullptr) != 0);
  return image;
}

}  // namespace apical::test
