// ThreadedReceiver: frames read on their own thread into a drop-oldest ring. The fake sources below
// hand-shake with the test, so what the ring holds when the consumer reads is known exactly.
#include <catch2/catch.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "apical/bridge/frame_senders.hpp"
#include "apical/bridge/threaded_receiver.hpp"
#include "test_images.hpp"

using namespace apical::bridge;
using namespace apical::bridge::test;
using std::chrono::milliseconds;

namespace {

constexpr std::uint32_t W = 16, H = 12;
const milliseconds wait{5000};

// `count` frames as fast as they are asked for, then the end of the stream, announced to `finished`.
class BurstSource final : public FrameSource {
 public:
  BurstSource(std::uint64_t count, std::promise<void>& finished, EventLog log)
      : FrameSource(std::move(log)), count_(count), finished_(finished) {}
  FetchStatus next(Frame& into, milliseconds) override {
    if (sent_ == count_) {
      log("END of the burst");
      finished_.set_value();
      return FetchStatus::end;
    }
    into = pattern_frame(W, H, sent_++);
    into.stages.received_ns = monotonic_ns();
    ++counters_.frames;
    return FetchStatus::frame;
  }
  [[nodiscard]] std::string describe() const override { return "burst"; }

 private:
  std::uint64_t count_, sent_ = 0;
  std::promise<void>& finished_;
};

// Frame k only once the consumer has taken frame k − 1: a consumer that always keeps up.
struct Handshake {
  std::mutex mutex;
  std::condition_variable taken_changed;
  std::uint64_t taken = 0;
  void take() {
    const std::lock_guard<std::mutex> lock(mutex);
    ++taken;
    taken_changed.notify_all();
  }
};

class LockstepSource final : public FrameSource {
 public:
  LockstepSource(std::uint64_t count, Handshake& handshake, EventLog log)
      : FrameSource(std::move(log)), count_(count), handshake_(handshake) {}
  FetchStatus next(Frame& into, milliseconds timeout) override {
    if (sent_ == count_) return FetchStatus::end;
    std::unique_lock<std::mutex> lock(handshake_.mutex);
    if (!handshake_.taken_changed.wait_for(lock, timeout, [&] { return handshake_.taken == sent_; }))
      return FetchStatus::timeout;
    into = pattern_frame(W, H, sent_++);
    into.stages.received_ns = monotonic_ns();
    return FetchStatus::frame;
  }
  [[nodiscard]] std::string describe() const override { return "lockstep"; }

 private:
  std::uint64_t count_, sent_ = 0;
  Handshake& handshake_;
};

EventLog into(std::vector<std::string>& events) {
  return [&events](const std::string& line) { events.push_back(line); };
}

}  // namespace

TEST_CASE("ThreadedReceiver: a consumer that falls behind gets the freshest frames and the loss is logged",
          "[bridge][ring]") {
  std::promise<void> finished;
  std::vector<std::string> events;
  ThreadedReceiver receiver(
      [&](EventLog log) { return std::make_unique<BurstSource>(20, finished, std::move(log)); },
      {4, milliseconds(1000)}, into(events));
  REQUIRE(finished.get_future().wait_for(wait) == std::future_status::ready);  // all 20 read, none taken
  Frame got;
  for (std::uint64_t seq = 16; seq < 20; ++seq) {
    REQUIRE(receiver.next(got, wait) == FetchStatus::frame);
    CHECK(got.seq == seq);
    CHECK(got.pixels == pattern_frame(W, H, seq).pixels);
  }
  CHECK(receiver.next(got, wait) == FetchStatus::end);
  CHECK(receiver.counters().overruns == 16);
  CHECK(receiver.counters().frames == 4);
  CHECK(logged(events, "OVERRUN 16 frames overwritten in the receive ring of 4 frames (newest seq 19)"));
  CHECK(logged(events, "END of the burst"));  // the inner source's lines reach the caller's log
}

TEST_CASE("ThreadedReceiver: a consumer that keeps up loses no frame, even with a ring of one", "[bridge][ring]") {
  Handshake handshake;
  std::vector<std::string> events;
  ThreadedReceiver receiver([&](EventLog log) { return std::make_unique<LockstepSource>(50, handshake, std::move(log)); },
                            {1, milliseconds(1000)}, into(events));
  Frame got;
  for (std::uint64_t seq = 0; seq < 50; ++seq) {
    REQUIRE(receiver.next(got, wait) == FetchStatus::frame);
    CHECK(got.seq == seq);
    handshake.take();
  }
  CHECK(receiver.next(got, wait) == FetchStatus::end);
  CHECK(receiver.counters().overruns == 0);
  CHECK(receiver.counters().frames == 50);
  CHECK_FALSE(logged(events, "OVERRUN"));
}

TEST_CASE("tcp-framed reads on its own thread: queue_frames holds a burst, a pause is a STALL", "[bridge][ring][tcp]") {
  std::vector<std::string> events;
  auto source = source_from(R"({"type": "tcp-framed", "address": "127.0.0.1", "port": 0, "width": 16, "height": 12,
                                "queue_frames": 64, "frame_rate": "1000 Hz"})",
                            events);
  ApfSender sender("127.0.0.1", *source->listening_port(), wait);
  for (std::uint64_t seq = 0; seq < 50; ++seq) REQUIRE(sender.send_frame(pattern_frame(W, H, seq)));
  Frame got;
  for (std::uint64_t seq = 0; seq < 50; ++seq) {
    REQUIRE(source->next(got, wait) == FetchStatus::frame);
    CHECK(got.seq == seq);
  }
  CHECK(source->counters().overruns == 0);
  // Frame 49 has arrived; frame 50 is sent at least 20 ms later, 10 frame periods at 1000 Hz.
  std::this_thread::sleep_for(milliseconds(20));
  REQUIRE(sender.send_frame(pattern_frame(W, H, 50)));
  REQUIRE(source->next(got, wait) == FetchStatus::frame);
  CHECK(got.seq == 50);
  // The burst itself may have had gaps of 2 ms on a busy machine; the pause before frame 50 is a stall.
  CHECK(source->counters().stalls >= 1);
  CHECK(logged(events, "without frames before seq 50 (limit 2 ms = 2 frame periods at 1000 Hz)"));
  CHECK_FALSE(logged(events, "OVERRUN"));
}
