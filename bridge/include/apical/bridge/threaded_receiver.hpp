#pragma once
// A frame source read on its own thread (rig.md §2): the thread reads frames as they come into a
// bounded FrameRing, so a slow loop never blocks the sender; when the ring is full the oldest frame is
// overwritten, counted in SourceCounters::overruns and logged ("OVERRUN 3 frames ..."), and the loop
// goes on with fresher frames. Arrivals are checked for stalls (StallDetector, logged "STALL ...").
//
// Every log line, the inner source's included, is handed to the EventLog on the thread that calls
// next(), in the order the events happened; counters() is brought up to date by each next().
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "apical/bridge/frame_ring.hpp"
#include "apical/bridge/frame_source.hpp"
#include "apical/bridge/stall_detector.hpp"

namespace apical::bridge {

// The TCP sources fill these from their queue_frames and frame_rate keys (tcp_parameters.hpp).
struct ReceiverParams {
  std::size_t queue_frames = 0;            // ring capacity, frames (at least 1)
  std::chrono::nanoseconds frame_period{};  // nominal; more than 2 periods without a frame is a stall
};

class ThreadedReceiver final : public FrameSource {
 public:
  // Builds the inner source on this thread (so set-up errors throw here), passing it the log it must
  // use, then starts the receive thread.
  using InnerMaker = std::function<std::unique_ptr<FrameSource>(EventLog)>;
  ThreadedReceiver(const InnerMaker& make_inner, const ReceiverParams& params, EventLog log);
  ~ThreadedReceiver() override;  // stops the thread (within the inner source's poll and stall timeouts)

  // The oldest frame in the ring; `end` once the inner source has ended and the ring is empty. An
  // exception thrown by the inner source on the receive thread is rethrown here.
  FetchStatus next(Frame& into, std::chrono::milliseconds timeout) override;
  [[nodiscard]] std::string describe() const override;
  [[nodiscard]] std::optional<std::uint16_t> listening_port() const override { return inner_->listening_port(); }

 private:
  void receive();

  std::mutex mutex_;  // guards the members below, up to failure_
  std::condition_variable arrived_;
  std::vector<std::string> lines_;  // waiting for the caller's thread
  FrameRing ring_;
  StallDetector stall_;
  SourceCounters received_;  // the inner source's counters after its latest next()
  std::uint64_t overruns_ = 0, unreported_overruns_ = 0, stalls_ = 0, delivered_ = 0, newest_seq_ = 0;
  bool ended_ = false;
  std::exception_ptr failure_;
  std::unique_ptr<FrameSource> inner_;  // used by the receive thread only, after construction
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace apical::bridge
