// `apical stream` end to end: the program publishes a TIFF over each protocol to a source in this test.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "apical/bridge/tiff_stack.hpp"
#include "test_images.hpp"

using namespace apical::bridge;
using namespace apical::bridge::test;
using std::chrono::milliseconds;

namespace {

int run_apical(const std::string& arguments) {
  return std::system((std::string(APICAL_CLI_PATH) + " " + arguments + " > /dev/null 2>&1").c_str());
}

}  // namespace

TEST_CASE("apical stream publishes a TIFF as APF/1 frames that tcp-framed receives whole", "[bridge][stream]") {
  const std::string path = temp_path("stream_apf.tif");
  std::vector<Frame> pages;
  for (std::uint64_t k = 0; k < 6; ++k) pages.push_back(pattern_frame(24, 16, k));
  write_tiff_stack(path, pages);
  std::vector<std::string> events;
  auto source = source_from(R"({"type": "tcp-framed", "address": "127.0.0.1", "port": 0, "width": 24, "height": 16})", events);
  int status = -1;
  std::thread streamer([&] {
    status = run_apical("stream " + path + " --port " + std::to_string(*source->listening_port()) + " --rate 200 --crc");
  });
  Frame got;
  for (std::uint64_t k = 0; k < 6; ++k) {
    REQUIRE(source->next(got, milliseconds(5000)) == FetchStatus::frame);
    CHECK(got.seq == k);
    CHECK(got.pixels == pages[k].pixels);
  }
  CHECK(source->next(got, milliseconds(5000)) == FetchStatus::end);
  streamer.join();
  CHECK(status == 0);
  CHECK(source->counters().dropped == 0);
  std::filesystem::remove(path);
}

TEST_CASE("apical stream rejects a bad command line with a hint", "[bridge][stream]") {
  CHECK(run_apical("stream --help") == 0);
  CHECK(WEXITSTATUS(run_apical("stream x.tif --protocl apf")) == 2);
  CHECK(WEXITSTATUS(run_apical("stream /nonexistent/x.tif")) != 0);
}
