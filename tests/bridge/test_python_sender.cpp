// tools/apf_sender.py, the reference Python sender, into the bridge's own tcp-framed source: frames
// arrive intact and in order, its metadata opens the stream and its end message closes it. Passes with
// a warning where python3 is not installed.
#include <spawn.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "test_images.hpp"

using namespace apical::bridge;
using namespace apical::bridge::test;

TEST_CASE("the Python APF/1 sender's frames arrive intact in the tcp-framed source", "[bridge][tcp]") {
  if (std::system("python3 -c '' 2>/dev/null") != 0) {
    WARN("python3 not found: tools/apf_sender.py not tested");
    return;
  }
  constexpr std::uint32_t W = 32, H = 24;
  const std::string raw = temp_path("python_sender.raw");
  {
    std::ofstream out(raw, std::ios::binary);
    for (std::uint64_t k = 0; k < 4; ++k) {
      const Frame f = pattern_frame(W, H, k);
      for (const std::uint16_t v : f.pixels) out.put(static_cast<char>(v & 0xFF)).put(static_cast<char>(v >> 8));
    }
  }
  std::vector<std::string> events;
  auto source = source_from(R"({"type": "tcp-framed", "address": "127.0.0.1", "port": 0, "width": 32, "height": 24})", events);
  std::vector<std::string> args{"python3", std::string(APICAL_SOURCE_DIR) + "/tools/apf_sender.py", raw, "--width", "32",
                                "--height", "24", "--rate", "100", "--port", std::to_string(*source->listening_port())};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  REQUIRE(posix_spawnp(&pid, "python3", nullptr, nullptr, argv.data(), environ) == 0);
  Frame got;
  for (std::uint64_t k = 0; k < 4; ++k) {
    REQUIRE(source->next(got, std::chrono::milliseconds(5000)) == FetchStatus::frame);
    CHECK(got.seq == k);
    CHECK(got.pixels == pattern_frame(W, H, k).pixels);
    CHECK(got.acquired_ns > 0);
  }
  CHECK(source->next(got, std::chrono::milliseconds(5000)) == FetchStatus::end);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(source->counters().dropped == 0);
  CHECK(logged(events, "CONNECT"));
  std::remove(raw.c_str());
}
