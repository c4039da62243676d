// tcp-framed over loopback: the sender writes whole sessions into the socket buffer before the
// receiver reads, so no test needs a second thread.
#include <catch2/catch.hpp>

#include "apical/bridge/frame_senders.hpp"
#include "test_images.hpp"

using namespace apical::bridge;
using namespace apical::bridge::test;
using std::chrono::milliseconds;

namespace {

constexpr std::uint32_t W = 32, H = 24;
const milliseconds wait{2000};

std::unique_ptr<FrameSource> framed_source(std::vector<std::string>& events) {
  return source_from(R"({"type": "tcp-framed", "address": "127.0.0.1", "port": 0, "width": 32, "height": 24,
                         "stall_timeout": "200 ms"})",
                     events);
}

ApfSender sender_to(const FrameSource& source, bool crc = false) {
  return ApfSender("127.0.0.1", *source.listening_port(), milliseconds(2000), crc);
}

}  // namespace

TEST_CASE("tcp-framed delivers frames intact, in order, with their metadata and a receive time", "[bridge][tcp]") {
  std::vector<std::string> events;
  auto source = framed_source(events);
  ApfSender sender = sender_to(*source);
  for (std::uint64_t k = 0; k < 5; ++k) {
    Frame f = pattern_frame(W, H, k);
    f.acquired_ns = 1000 + k;
    REQUIRE(sender.send_frame(f));
  }
  REQUIRE(sender.send_end(5));
  Frame got;
  for (std::uint64_t k = 0; k < 5; ++k) {
    REQUIRE(source->next(got, wait) == FetchStatus::frame);
    CHECK(got.seq == k);
    CHECK(got.acquired_ns == 1000 + k);
    CHECK(got.pixels == pattern_frame(W, H, k).pixels);
    CHECK(got.stages.received_ns > 0);
  }
  CHECK(source->next(got, wait) == FetchStatus::end);
  CHECK(source->counters().frames == 5);
  CHECK(source->counters().dropped == 0);
  CHECK(source->counters().duplicates == 0);
  CHECK(logged(events, "CONNECT"));
}

TEST_CASE("tcp-framed transposes column-major payloads and checks CRC-32C", "[bridge][tcp]") {
  std::vector<std::string> events;
  auto source = framed_source(events);
  ApfSender sender = sender_to(*source, true);
  const Frame f = pattern_frame(W, H, 7);
  apf::Header h;
  h.seq = 0;
  h.width = W;
  h.height = H;
  h.layout = apf::Layout::column_major;
  h.payload_bytes = W * H * 2;
  const apf::HeaderBytes header = apf::encode(h);
  std::vector<std::byte> message(header.begin(), header.end());
  for (std::uint32_t x = 0; x < W; ++x)
    for (std::uint32_t y = 0; y < H; ++y) {
      message.push_back(std::byte(f.at(x, y) & 0xff));
      message.push_back(std::byte(f.at(x, y) >> 8));
    }
  REQUIRE(sender.send_bytes(message));
  Frame bad = pattern_frame(W, H, 1);
  bad.seq = 1;
  std::vector<std::byte> corrupted = encode_apf_frame(bad, apf::flag::crc32c);
  corrupted[apf::header_bytes + 10] ^= std::byte{0x40};
  REQUIRE(sender.send_bytes(corrupted));
  Frame good = pattern_frame(W, H, 2);
  REQUIRE(sender.send_frame(good));

  Frame got;
  REQUIRE(source->next(got, wait) == FetchStatus::frame);
  CHECK(got.pixels == f.pixels);
  REQUIRE(source->next(got, wait) == FetchStatus::frame);
  CHECK(got.seq == 2);
  CHECK(source->counters().rejected == 1);
  CHECK(logged(events, "BAD_CRC message seq 1"));
  CHECK(source->counters().dropped == 1);  // the rejected frame shows as a gap, never silently
}

TEST_CASE("tcp-framed counts and logs sequence gaps and duplicates", "[bridge][tcp]") {
  std::vector<std::string> events;
  auto source = framed_source(events);
  ApfSender sender = sender_to(*source);
  const std::vector<std::uint64_t> sent{0, 1, 2, 5, 6, 6, 3, 4};
  for (std::uint64_t seq : sent) {
    Frame f = pattern_frame(W, H, seq);
    REQUIRE(sender.send_frame(f));
  }
  Frame got;
  for (std::uint64_t seq : sent) {
    REQUIRE(source->next(got, wait) == FetchStatus::frame);
    CHECK(got.seq == seq);  // duplicates are delivered and counted, not hidden
  }
  const SourceCounters& c = source->counters();
  CHECK(c.frames == sent.size());
  CHECK(c.gaps == 1);
  CHECK(c.dropped == 2);
  CHECK(c.duplicates == 2);  // 6 after 6, 3 after 6
  CHECK(logged(events, "DROP 2 (seq 2 -> 5)"));
  CHECK(logged(events, "DUPLICATE seq 6 after seq 6"));
  CHECK(logged(events, "DUPLICATE seq 3 after seq 6"));
}

TEST_CASE("tcp-framed skips a frame of the wrong size and stays in step", "[bridge][tcp]") {
  std::vector<std::string> events;
  auto source = framed_source(events);
  ApfSender sender = sender_to(*source);
  Frame small = pattern_frame(16, 16, 0);
  REQUIRE(sender.send_frame(small));
  Frame right = pattern_frame(W, H, 1);
  REQUIRE(sender.send_frame(right));
  Frame got;
  REQUIRE(source->next(got, wait) == FetchStatus::frame);
  CHECK(got.seq == 1);
  CHECK(got.pixels == right.pixels);
  CHECK(source->counters().wrong_size == 1);
  CHECK(logged(events, "WRONG_SIZE seq 0: 16x16"));
  CHECK(logged(events, "expected 32x24"));
}

TEST_CASE("tcp-framed resynchronises on the next magic after garbage", "[bridge][tcp]") {
  std::vector<std::string> events;
  auto source = framed_source(events);
  ApfSender sender = sender_to(*source);
  const std::vector<std::byte> garbage(37, std::byte{0x5a});
  REQUIRE(sender.send_bytes(garbage));
  Frame f = pattern_frame(W, H, 0);
  REQUIRE(sender.send_frame(f));
  Frame got;
  REQUIRE(source->next(got, wait) == FetchStatus::frame);
  CHECK(got.pixels == f.pixels);
  CHECK(source->counters().desyncs == 1);
  CHECK(logged(events, "DESYNC skipped 37 bytes"));
}

TEST_CASE("tcp-framed: a truncated frame is counted, the sender reconnects and the stream goes on", "[bridge][tcp]") {
  std::vector<std::string> events;
  auto source = framed_source(events);
  {
    ApfSender first = sender_to(*source);
    Frame f0 = pattern_frame(W, H, 0);
    REQUIRE(first.send_frame(f0));
    const std::vector<std::byte> f1 = encode_apf_frame(pattern_frame(W, H, 1));
    REQUIRE(first.send_bytes(std::span(f1).first(apf::header_bytes + 100)));
  }  // disconnects inside frame 1
  Frame got;
  REQUIRE(source->next(got, wait) == FetchStatus::frame);
  CHECK(got.seq == 0);
  CHECK(source->next(got, milliseconds(100)) == FetchStatus::timeout);

  ApfSender second = sender_to(*source);
  Frame f2 = pattern_frame(W, H, 2);
  REQUIRE(second.send_frame(f2));
  REQUIRE(source->next(got, wait) == FetchStatus::frame);
  CHECK(got.seq == 2);
  // The receive thread met the cut frame before frame 2, so both are reported by now.
  CHECK(source->counters().truncated == 1);
  CHECK(source->counters().disconnects == 1);
  CHECK(logged(events, "TRUNCATED message seq 1: got 100 of 1536 bytes"));
  CHECK(source->counters().connections == 2);
  CHECK(source->counters().dropped == 1);  // the truncated frame 1
  CHECK(logged(events, "RECONNECT"));

  // A sender that starts again from seq 0 on a new connection is a restart, not a duplicate.
  second = ApfSender("127.0.0.1", *source->listening_port(), milliseconds(2000));
  Frame again = pattern_frame(W, H, 0);
  REQUIRE(second.send_frame(again));
  REQUIRE(source->next(got, wait) == FetchStatus::frame);
  CHECK(got.seq == 0);
  CHECK(source->counters().restarts == 1);
  CHECK(source->counters().duplicates == 0);
}
