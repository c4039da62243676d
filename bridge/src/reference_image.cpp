#include "apical/bridge/reference_image.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "apical/bridge/tiff_stack.hpp"

namespace apical::bridge {
namespace {

// Adds frame(y + dy, x + dx) to `sum` (edges repeated), which undoes a content displacement (dx, dy).
void accumulate_shifted(const Frame& frame, int dx, int dy, std::vector<double>& sum) {
  const int w = int(frame.width), h = int(frame.height);
  for (int y = 0; y < h; ++y) {
    const int sy = std::clamp(y + dy, 0, h - 1);
    for (int x = 0; x < w; ++x) sum[std::size_t(y) * w + x] += frame.at(std::uint32_t(std::clamp(x + dx, 0, w - 1)), std::uint32_t(sy));
  }
}

ReferenceImage to_image(std::uint32_t width, std::uint32_t height, const std::vector<double>& sum, std::size_t n) {
  ReferenceImage ref{width, height, std::vector<float>(sum.size())};
  for (std::size_t i = 0; i < sum.size(); ++i) ref.pixels[i] = static_cast<float>(sum[i] / double(n));
  return ref;
}

}  // namespace

ReferenceImage mean_image(std::span<const Frame> frames) {
  if (frames.empty()) throw std::invalid_argument("reference image: no frames");
  std::vector<double> sum(frames[0].pixels.size(), 0.0);
  for (const Frame& f : frames) {
    if (f.width != frames[0].width || f.height != frames[0].height)
      throw std::invalid_argument("reference image: frames of different sizes");
    accumulate_shifted(f, 0, 0, sum);
  }
  return to_image(frames[0].width, frames[0].height, sum, frames.size());
}

ReferenceImage reference_from_frames(std::span<const Frame> frames, const RegistrationParams& params, int passes) {
  ReferenceImage ref = mean_image(frames);
  for (int pass = 0; pass < passes; ++pass) {
    PhaseCorrelation registration(ref.pixels, ref.width, ref.height, params);
    std::vector<double> sum(ref.pixels.size(), 0.0);
    for (const Frame& f : frames) {
      const Shift s = registration.measure(f.view());
      accumulate_shifted(f, int(std::lround(s.dx)), int(std::lround(s.dy)), sum);
    }
    ref = to_image(ref.width, ref.height, sum, frames.size());
  }
  return ref;
}

ReferenceImage reference_from_tiff(const std::string& path) {
  TiffReader tiff(path);
  std::vector<double> sum(std::size_t(tiff.width()) * tiff.height(), 0.0);
  Frame page;
  for (std::size_t p = 0; p < tiff.pages(); ++p) {
    tiff.read(p, page);
    accumulate_shifted(page, 0, 0, sum);
  }
  return to_image(tiff.width(), tiff.height(), sum, tiff.pages());
}

}  // namespace apical::bridge
