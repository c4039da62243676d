// tcp-raw-cloose over loopback: the test plays Scanbox's side (a RawFrameServer) in the same thread;
// the source's first call connects (the kernel completes the connection from the listen backlog).
#include <catch2/catch.hpp>

#include "apical/bridge/frame_senders.hpp"
#include "test_images.hpp"

using namespace apical::bridge;
using namespace apical::bridge::test;
using std::chrono::milliseconds;

namespace {

constexpr std::uint32_t W = 20, H = 12;
const milliseconds wait{2000};

std::string cloose_config(std::uint16_t port, const std::string& extra) {
  return R"({"type": "tcp-raw-cloose", "host": "127.0.0.1", "port": )" + std::to_string(port) +
         R"(, "width": 20, "height": 12, "stall_timeout": "200 ms", "reconnect_interval": "20 ms")" + extra + "}";
}

void connect(FrameSource& source, RawFrameServer& server) {
  Frame unused;
  REQUIRE(source.next(unused, milliseconds(50)) == FetchStatus::timeout);
  REQUIRE(server.accept_client(Clock::now() + wait));
}

}  // namespace

TEST_CASE("tcp-raw-cloose reads headerless frames in every wire format", "[bridge][tcp]") {
  struct Case {
    const char* options;
    RawFrameFormat format;
  };
  const std::vector<Case> cases{
      {R"(, "byte_order": "big")", {false, true, true}},  // CLOOSE app defaults: x fastest, inverted
      {R"(, "byte_order": "little", "sample_order": "y_fastest", "invert": false)", {true, false, false}},  // Python demo
  };
  for (const Case& c : cases) {
    RawFrameServer server("127.0.0.1", 0, c.format);
    std::vector<std::string> events;
    auto source = source_from(cloose_config(server.port(), c.options), events);
    connect(*source, server);
    for (std::uint64_t k = 0; k < 3; ++k) REQUIRE(server.send_frame(pattern_frame(W, H, k)));
    Frame got;
    for (std::uint64_t k = 0; k < 3; ++k) {
      REQUIRE(source->next(got, wait) == FetchStatus::frame);
      CHECK(got.seq == k);
      CHECK(got.pixels == pattern_frame(W, H, k).pixels);
    }
    CHECK(logged(events, "CONNECT to 127.0.0.1"));
  }
}

TEST_CASE("tcp-raw-cloose keeps one plane of an interleaved stream", "[bridge][tcp]") {
  RawFrameServer server("127.0.0.1", 0, {false, false, false});
  std::vector<std::string> events;
  auto source = source_from(cloose_config(server.port(), R"(, "byte_order": "little", "invert": false, "planes": 2, "plane": 2)"), events);
  connect(*source, server);
  for (std::uint64_t k = 0; k < 4; ++k) REQUIRE(server.send_frame(pattern_frame(W, H, k)));
  Frame got;
  REQUIRE(source->next(got, wait) == FetchStatus::frame);
  CHECK(got.pixels == pattern_frame(W, H, 1).pixels);
  REQUIRE(source->next(got, wait) == FetchStatus::frame);
  CHECK(got.pixels == pattern_frame(W, H, 3).pixels);
  CHECK(source->counters().other_planes == 2);
}

TEST_CASE("tcp-raw-cloose: a frame cut by a disconnect is counted and the source reconnects", "[bridge][tcp]") {
  RawFrameServer server("127.0.0.1", 0, {false, false, false});
  std::vector<std::string> events;
  auto source = source_from(cloose_config(server.port(), R"(, "byte_order": "little", "invert": false)"), events);
  connect(*source, server);
  REQUIRE(server.send_frame(pattern_frame(W, H, 0)));
  const std::vector<std::byte> half = encode_raw_frame(pattern_frame(W, H, 1), {});
  REQUIRE(server.send_bytes(std::span(half).first(W * H)));
  server.drop_client();
  Frame got;
  REQUIRE(source->next(got, wait) == FetchStatus::frame);
  CHECK(source->next(got, milliseconds(50)) == FetchStatus::timeout);  // truncated, reconnecting
  REQUIRE(server.accept_client(Clock::now() + wait));
  REQUIRE(server.send_frame(pattern_frame(W, H, 2)));
  REQUIRE(source->next(got, wait) == FetchStatus::frame);
  CHECK(got.pixels == pattern_frame(W, H, 2).pixels);
  // The receive thread met the cut frame before frame 2, so both are reported by now.
  CHECK(source->counters().truncated == 1);
  CHECK(source->counters().disconnects == 1);
  CHECK(logged(events, "TRUNCATED frame 1: got 240 of 480 bytes"));
  CHECK(source->counters().connections == 2);
  CHECK(logged(events, "RECONNECT to 127.0.0.1"));
}
