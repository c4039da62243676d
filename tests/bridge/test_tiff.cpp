#include <catch2/catch.hpp>
#include <filesystem>

#include "apical/bridge/tiff_stack.hpp"
#include "test_images.hpp"

using namespace apical::bridge;
using namespace apical::bridge::test;
using std::chrono::milliseconds;

TEST_CASE("a multi-page 16-bit TIFF reads back page by page", "[bridge][tiff]") {
  const std::string path = temp_path("pages.tif");
  std::vector<Frame> pages;
  for (std::uint64_t k = 0; k < 4; ++k) pages.push_back(pattern_frame(23, 17, k));  // odd sizes
  write_tiff_stack(path, pages);
  TiffReader tiff(path);
  CHECK(tiff.pages() == 4);
  CHECK(tiff.width() == 23);
  CHECK(tiff.height() == 17);
  Frame got;
  for (std::size_t k = 0; k < 4; ++k) {
    tiff.read(k, got);
    CHECK(got.pixels == pages[k].pixels);
  }
  CHECK_THROWS_WITH(tiff.read(4, got), Catch::Matchers::Contains("page 4 does not exist"));
  std::filesystem::remove(path);
}

TEST_CASE("tiff-replay releases the pages at the set rate, then ends", "[bridge][tiff]") {
  const std::string path = temp_path("replay.tif");
  std::vector<Frame> pages;
  for (std::uint64_t k = 0; k < 5; ++k) pages.push_back(pattern_frame(16, 8, k));
  write_tiff_stack(path, pages);
  std::vector<std::string> events;
  auto source = source_from(R"({"type": "tiff-replay", "path": ")" + path + R"(", "rate": "100 Hz"})", events);
  Frame got;
  std::vector<std::int64_t> times;
  for (std::uint64_t k = 0; k < 5; ++k) {
    REQUIRE(source->next(got, milliseconds(1000)) == FetchStatus::frame);
    CHECK(got.seq == k);
    CHECK(got.pixels == pages[k].pixels);
    times.push_back(got.stages.received_ns);
  }
  CHECK(source->next(got, milliseconds(1000)) == FetchStatus::end);
  const double span_ms = double(times.back() - times.front()) / 1e6;
  CHECK(span_ms >= 39.0);   // four periods of 10 ms
  CHECK(span_ms < 200.0);
  // A timeout shorter than the period gives the caller back control without a frame.
  auto slow = source_from(R"({"type": "tiff-replay", "path": ")" + path + R"(", "rate": "1 Hz", "loop": true})", events);
  REQUIRE(slow->next(got, milliseconds(10)) == FetchStatus::frame);
  CHECK(slow->next(got, milliseconds(10)) == FetchStatus::timeout);
  std::filesystem::remove(path);
}
