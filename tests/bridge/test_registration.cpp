#include <catch2/catch.hpp>

#include "apical/bridge/fft_size.hpp"
#include "apical/bridge/phase_correlation.hpp"
#include "apical/bridge/reference_image.hpp"
#include "test_images.hpp"

using namespace apical::bridge;
using namespace apical::bridge::test;
using Catch::Matchers::WithinAbs;

namespace {

RegistrationParams quick(RegistrationParams::FftSize size = RegistrationParams::FftSize::pad) {
  RegistrationParams p;
  p.fft_size = size;
  p.planning = RegistrationParams::Planning::estimate;
  return p;
}

std::vector<float> as_float(const Frame& f) { return {f.pixels.begin(), f.pixels.end()}; }

}  // namespace

TEST_CASE("FFT lengths are padded or cropped to 5-smooth sizes", "[bridge][registration]") {
  CHECK(next_5_smooth(796) == 800);
  CHECK(previous_5_smooth(796) == 768);
  CHECK(next_5_smooth(512) == 512);
  CHECK(next_5_smooth(131) == 135);
  CHECK_FALSE(is_5_smooth(199));
}

TEST_CASE("phase correlation recovers whole and sub-pixel shifts", "[bridge][registration]") {
  const std::uint32_t w = 128, h = 96;
  const auto blobs = random_blobs(w, h, 60, 1);
  const Frame ref = blob_frame(w, h, blobs, 0, 0);
  PhaseCorrelation registration(as_float(ref), w, h, quick());
  const std::vector<std::pair<double, double>> shifts{{0, 0}, {3, -5}, {-7, 2}, {0.5, -0.25}, {2.3, 1.7}, {-4.6, -3.4}};
  for (const auto& [dx, dy] : shifts) {
    const Shift s = registration.measure(blob_frame(w, h, blobs, dx, dy).view());
    CAPTURE(dx, dy, s.dx, s.dy);
    CHECK_THAT(s.dx, WithinAbs(dx, 0.2));
    CHECK_THAT(s.dy, WithinAbs(dy, 0.2));
    CHECK(s.peak_ratio > 4);
  }
}

TEST_CASE("odd widths are registered on a padded or a cropped grid", "[bridge][registration]") {
  const std::uint32_t w = 199, h = 64;  // 199 is prime, like 796 = 4·199
  const auto blobs = random_blobs(w, h, 80, 2);
  const Frame ref = blob_frame(w, h, blobs, 0, 0);
  for (auto size : {RegistrationParams::FftSize::pad, RegistrationParams::FftSize::crop}) {
    PhaseCorrelation registration(as_float(ref), w, h, quick(size));
    CHECK(is_5_smooth(registration.fft_width()));
    CHECK(registration.fft_width() == (size == RegistrationParams::FftSize::pad ? 200u : 192u));
    const Shift s = registration.measure(blob_frame(w, h, blobs, -6.4, 2.2).view());
    CHECK_THAT(s.dx, WithinAbs(-6.4, 0.2));
    CHECK_THAT(s.dy, WithinAbs(2.2, 0.2));
  }
}

TEST_CASE("the shift search is bounded by max_shift", "[bridge][registration]") {
  const std::uint32_t w = 128, h = 128;
  const auto blobs = random_blobs(w, h, 60, 3);
  RegistrationParams p = quick();
  p.max_shift_fraction = 0.05;  // ±6 px
  PhaseCorrelation registration(as_float(blob_frame(w, h, blobs, 0, 0)), w, h, p);
  CHECK(registration.max_shift_x() == 6);
  const Shift inside = registration.measure(blob_frame(w, h, blobs, 5, -5).view());
  CHECK_THAT(inside.dx, WithinAbs(5, 0.2));
  const Shift outside = registration.measure(blob_frame(w, h, blobs, 15, 0).view());
  CHECK(std::abs(outside.dx) <= 6.5);
  CHECK(std::abs(outside.dy) <= 6.5);
}

TEST_CASE("a reference from noisy, jittered frames registers them back", "[bridge][registration]") {
  const std::uint32_t w = 96, h = 80;
  const auto blobs = random_blobs(w, h, 50, 4);
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> jitter(-3, 3);
  std::vector<Frame> frames;
  std::vector<std::pair<int, int>> truth;
  for (int k = 0; k < 12; ++k) {
    truth.emplace_back(jitter(rng), jitter(rng));
    frames.push_back(blob_frame(w, h, blobs, truth.back().first, truth.back().second));
  }
  const ReferenceImage ref = reference_from_frames(frames, quick());
  PhaseCorrelation registration(ref.pixels, w, h, quick());
  // The reference sits wherever the jitter's average put it; shifts between frames are what must hold.
  const Shift s0 = registration.measure(frames[0].view());
  for (int k = 1; k < 12; ++k) {
    const Shift s = registration.measure(frames[std::size_t(k)].view());
    CHECK_THAT(s.dx - s0.dx, WithinAbs(truth[std::size_t(k)].first - truth[0].first, 0.15));
    CHECK_THAT(s.dy - s0.dy, WithinAbs(truth[std::size_t(k)].second - truth[0].second, 0.15));
  }
}
