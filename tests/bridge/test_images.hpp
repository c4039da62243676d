#pragma once
// Frames for the bridge tests: a pattern that tells pixels and frames apart, and a field of Gaussian
// "cells" that can be displaced by any sub-pixel amount exactly (the image is evaluated at x − dx).
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "../io/io_test_support.hpp"
#include "apical/bridge/frame.hpp"

namespace apical::bridge::test {

inline Frame pattern_frame(std::uint32_t width, std::uint32_t height, std::uint64_t seq) {
  Frame f;
  f.resize(width, height);
  f.seq = seq;
  for (std::uint32_t y = 0; y < height; ++y)
    for (std::uint32_t x = 0; x < width; ++x)
      f.pixels[std::size_t(y) * width + x] = static_cast<std::uint16_t>((x * 7u + y * 131u + seq * 1009u) & 0xffffu);
  return f;
}

struct Blob {
  double x, y, amplitude;
};

inline std::vector<Blob> random_blobs(std::uint32_t width, std::uint32_t height, int count, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> ux(0, width), uy(0, height), ua(500, 3000);
  std::vector<Blob> blobs;
  for (int i = 0; i < count; ++i) blobs.push_back({ux(rng), uy(rng), ua(rng)});
  return blobs;
}

// 200 + Σ a·exp(−r²/(2·2.5²)) at (x − dx, y − dy): the blob field with its content moved by (dx, dy).
inline Frame blob_frame(std::uint32_t width, std::uint32_t height, const std::vector<Blob>& blobs, double dx, double dy) {
  Frame f;
  f.resize(width, height);
  for (std::uint32_t y = 0; y < height; ++y)
    for (std::uint32_t x = 0; x < width; ++x) {
      double v = 200;
      for (const Blob& b : blobs) {
        const double ex = double(x) - dx - b.x, ey = double(y) - dy - b.y;
        const double r2 = ex * ex + ey * ey;
        if (r2 < 400) v += b.amplitude * std::exp(-r2 / (2 * 2.5 * 2.5));
      }
      f.pixels[std::size_t(y) * width + x] = static_cast<std::uint16_t>(std::lround(v));
    }
  return f;
}

// Every file a bridge test writes lives in one folder of this test process, removed with everything in
// it when the process ends: CTest runs test cases side by side in their own processes, so names never
// collide, and a run leaves nothing behind in the system temp directory.
inline std::string temp_path(const std::string& name) {
  static const apical::test::TempDir folder;
  return folder.file(name);
}

}  // namespace apical::bridge::test

#include <memory>
#include <nlohmann/json.hpp>

#include "apical/bridge/frame_source.hpp"

namespace apical::bridge::test {

// A source made from a JSON text through the registry, as the rig JSON would make it; its event lines
// are appended to `events`.
inline std::unique_ptr<FrameSource> source_from(const std::string& json_text, std::vector<std::string>& events) {
  const nlohmann::json config = nlohmann::json::parse(json_text);
  return make_frame_source(JsonValue(config, "rig.json", "/source"),
                           [&events](const std::string& line) { events.push_back(line); });
}

inline bool logged(const std::vector<std::string>& events, const std::string& text) {
  for (const std::string& e : events)
    if (e.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace apical::bridge::test
