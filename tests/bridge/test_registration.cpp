#include <catch2/catch.hpp>

#include "apical/bridge/fft_size.hpp"
#include "apical/bridge/phase_correlation.hpp"
#include "apical/bridge/reference_image.hpp"
#include "test_images.hpp"

using namespace apical::bridge;
using namespace apical::bridge::test;
using Catch::Matchers::WithinAbs;

namespace {

// The small test frames are registered on the full grid; binning is tested at rig sizes below.
RegistrationParams quick(RegistrationParams::FftSize size = RegistrationParams::FftSize::pad,
                         RegistrationParams::Sampling sampling = RegistrationParams::Sampling::full) {
  RegistrationParams p;
  p.fft_size = size;
  p.sampling = sampling;
  p.planning = RegistrationParams::Planning::estimate;
  return p;
}

std::vector<float> as_float(const Frame& f) { return {f.pixels.begin(), f.pixels.end()}; }

// blob_frame's field drawn blob by blob (each blob reaches 20 px, as there), fast enough for rig-sized
// frames, with Poisson shot noise when `rng` is given.
Frame rig_frame(std::uint32_t w, std::uint32_t h, const std::vector<Blob>& blobs, double dx, double dy, std::mt19937* rng) {
  std::vector<double> v(std::size_t(w) * h, 200.0);
  for (const Blob& b : blobs) {
    const double cx = b.x + dx, cy = b.y + dy;
    for (int y = std::max(0, int(cy) - 21); y <= std::min(int(h) - 1, int(cy) + 21); ++y)
      for (int x = std::max(0, int(cx) - 21); x <= std::min(int(w) - 1, int(cx) + 21); ++x) {
        const double r2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
        if (r2 < 400) v[std::size_t(y) * w + std::size_t(x)] += b.amplitude * std::exp(-r2 / (2 * 2.5 * 2.5));
      }
  }
  Frame f;
  f.resize(w, h);
  for (std::size_t i = 0; i < v.size(); ++i)
    f.pixels[i] = static_cast<std::uint16_t>(rng ? std::poisson_distribution<int>(v[i])(*rng) : std::lround(v[i]));
  return f;
}

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

TEST_CASE("binned and full registration recover whole and sub-pixel shifts of rig-sized noisy frames", "[bridge][registration]") {
  using Sampling = RegistrationParams::Sampling;
  const std::vector<std::pair<double, double>> shifts{{0, 0},        {7, -12},      {-21, 4},    {0.5, -0.25},
                                                      {3.3, 9.7},    {-15.6, -2.4}, {25.25, -30.75}};
  for (const auto& [w, h] : {std::pair<std::uint32_t, std::uint32_t>{512, 512}, {796, 512}}) {
    const auto blobs = random_blobs(w, h, int(w * h / 1000), 6);
    const Frame ref = rig_frame(w, h, blobs, 0, 0, nullptr);
    for (const Sampling sampling : {Sampling::binned_2x2, Sampling::full}) {
      PhaseCorrelation registration(as_float(ref), w, h, quick(RegistrationParams::FftSize::pad, sampling));
      CHECK(registration.binning() == (sampling == Sampling::binned_2x2 ? 2u : 1u));
      CHECK(registration.max_shift_x() >= int(0.1 * w) - 1);
      std::mt19937 rng(7);
      for (const auto& [dx, dy] : shifts) {
        const Shift s = registration.measure(rig_frame(w, h, blobs, dx, dy, &rng).view());
        CAPTURE(w, h, registration.binning(), dx, dy, s.dx, s.dy, s.peak_ratio);
        CHECK_THAT(s.dx, WithinAbs(dx, 0.05));  // 0.025 px at most, binned or not
        CHECK_THAT(s.dy, WithinAbs(dy, 0.05));
        CHECK(s.peak_ratio > 12);               // 19–26
      }
    }
  }
}

TEST_CASE("binned registration is the default and fits 512 x 796 onto a 256 x 400 grid", "[bridge][registration]") {
  const std::uint32_t w = 796, h = 512;
  RegistrationParams p;
  p.planning = RegistrationParams::Planning::estimate;
  PhaseCorrelation registration(std::vector<float>(std::size_t(w) * h, 100.0f), w, h, p);
  CHECK(registration.binning() == 2);
  CHECK(registration.fft_width() == 400);
  CHECK(registration.fft_height() == 256);
  CHECK(registration.max_shift_x() == 78);  // 10 % of 796 px, in whole grid pixels of 2 px
  CHECK(registration.max_shift_y() == 50);
}

TEST_CASE("binned registration keeps the small test images' shifts", "[bridge][registration]") {
  const std::uint32_t w = 128, h = 96;
  const auto blobs = random_blobs(w, h, 60, 1);
  PhaseCorrelation registration(as_float(blob_frame(w, h, blobs, 0, 0)), w, h,
                                quick(RegistrationParams::FftSize::pad, RegistrationParams::Sampling::binned_2x2));
  for (const auto& [dx, dy] : std::vector<std::pair<double, double>>{{3, -5}, {-7, 2}, {0.5, -0.25}, {2.3, 1.7}, {-4.6, -3.4}}) {
    const Shift s = registration.measure(blob_frame(w, h, blobs, dx, dy).view());
    CAPTURE(dx, dy, s.dx, s.dy);
    CHECK_THAT(s.dx, WithinAbs(dx, 0.2));
    CHECK_THAT(s.dy, WithinAbs(dy, 0.2));
  }
}

TEST_CASE("the binned shift stays within the search bound", "[bridge][registration]") {
  const std::uint32_t w = 256, h = 256;
  const auto blobs = random_blobs(w, h, 65, 8);
  RegistrationParams p = quick(RegistrationParams::FftSize::pad, RegistrationParams::Sampling::binned_2x2);
  p.max_shift_fraction = 0.05;  // ±12.8 px: ±6 grid pixels of 2 px
  PhaseCorrelation registration(as_float(rig_frame(w, h, blobs, 0, 0, nullptr)), w, h, p);
  CHECK(registration.max_shift_x() == 12);
  const Shift inside = registration.measure(rig_frame(w, h, blobs, 9.5, -11, nullptr).view());
  CHECK_THAT(inside.dx, WithinAbs(9.5, 0.1));
  CHECK_THAT(inside.dy, WithinAbs(-11, 0.1));
  const Shift outside = registration.measure(rig_frame(w, h, blobs, 30, -24, nullptr).view());
  CHECK(std::abs(outside.dx) <= 12.5);
  CHECK(std::abs(outside.dy) <= 12.5);
}

TEST_CASE("a dark frame has a low peak ratio", "[bridge][registration]") {
  const std::uint32_t w = 512, h = 512;
  const auto blobs = random_blobs(w, h, 262, 9);
  for (const auto sampling : {RegistrationParams::Sampling::binned_2x2, RegistrationParams::Sampling::full}) {
    PhaseCorrelation registration(as_float(rig_frame(w, h, blobs, 0, 0, nullptr)), w, h,
                                  quick(RegistrationParams::FftSize::pad, sampling));
    std::mt19937 rng(10);
    std::poisson_distribution<int> dark_counts(20);
    Frame dark;
    dark.resize(w, h);
    for (int k = 0; k < 5; ++k) {
      for (auto& v : dark.pixels) v = static_cast<std::uint16_t>(dark_counts(rng));
      const Shift s = registration.measure(dark.view());
      CAPTURE(registration.binning(), s.peak_ratio);
      CHECK(s.peak_ratio < 6);  // 4.9 at most over 200 such frames; frames with cells score above 12
    }
  }
}
