// FrameRing: drop-oldest when full, frames in arrival order, buffers reused.
#include <catch2/catch.hpp>

#include "apical/bridge/frame_ring.hpp"
#include "test_images.hpp"

using namespace apical::bridge;
using namespace apical::bridge::test;

TEST_CASE("FrameRing keeps the newest frames in order and says when it overwrote the oldest", "[bridge][ring]") {
  FrameRing ring(4);
  int overwritten = 0;
  for (std::uint64_t k = 0; k < 10; ++k) {
    Frame f = pattern_frame(8, 6, k);
    if (ring.push(f)) ++overwritten;
  }
  CHECK(overwritten == 6);
  CHECK(ring.size() == 4);
  Frame got;
  for (std::uint64_t k = 6; k < 10; ++k) {
    REQUIRE(ring.pop(got));
    CHECK(got.seq == k);
    CHECK(got.pixels == pattern_frame(8, 6, k).pixels);
  }
  CHECK_FALSE(ring.pop(got));
  CHECK(got.seq == 9);  // untouched by a pop from an empty ring
}

TEST_CASE("FrameRing below capacity loses nothing and rejects a capacity of 0", "[bridge][ring]") {
  FrameRing ring(3);
  Frame got;
  for (std::uint64_t k = 0; k < 7; ++k) {
    Frame f = pattern_frame(8, 6, k);
    CHECK_FALSE(ring.push(f));
    REQUIRE(ring.pop(got));
    CHECK(got.seq == k);
  }
  CHECK(ring.empty());
  CHECK_THROWS_AS(FrameRing(0), std::invalid_argument);
}
