#pragma once
// A reward device on its own thread, so that the frame loop never waits for it (docs/reward-devices.md).
// RIGLINK/1 waits a few ms for each reply and up to (retries + 1) · reply_timeout when replies go
// missing; on this thread that wait holds up only the device, never a frame. The loop enqueues reward
// requests, trial-start marks and opto switches (served in the order queued) and collects, whenever it likes, what the thread has gathered since: each request's outcome
// with the host time the device answered, the device's events (licks, rewards, frame clock,
// photodiode, watchdog), its clock pings and fit (rig.md §5: pinging happens on this thread too) and
// its log lines with the time they were logged, all in order. Marks and opto switches report no
// outcome: the device's TTL and opto events, and its log lines, say what came of them.
//
// The device object is only ever touched by the thread; the loop sees its counters and lost flag as
// copies taken after every call.
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "apical/bridge/reward_device.hpp"

namespace apical::bridge {

struct RewardOutcome {
  enum class Status {
    delivered,    // the device accepted it (RIGLINK/1: OK reply; CLOOSE: 'b' sent)
    refused,      // the device answered ERR, did not answer, or the volume was unusable
    device_lost,  // the device was or became lost
    not_sent,     // the session ended before the request's turn came
  };
  std::uint64_t request = 0;       // request_reward()'s number
  Status status = Status::not_sent;
  double volume_uL = 0;
  std::int64_t requested_ns = 0;   // CLOCK_MONOTONIC when the loop asked
  std::int64_t answered_ns = 0;    // CLOCK_MONOTONIC when the device call returned (0 for not_sent)
};

struct DeviceLogLine {
  std::int64_t host_ns = 0;
  std::string text;
};

// What the thread gathered since the last collect().
struct DeviceReport {
  std::vector<DeviceEvent> events;
  std::vector<RewardOutcome> outcomes;
  std::vector<DeviceLogLine> log;
  std::vector<ClockPing> clock_pings;
  std::optional<ClockFit> clock_fit;  // the latest
  DeviceCounters counters;
  bool lost = false;
};

class RewardDeviceWorker {
 public:
  // Makes the device the config selects (InputError on a bad config, as make_reward_device); its log
  // lines are gathered for collect(). Nothing runs until start().
  explicit RewardDeviceWorker(const JsonValue& config, const RewardDeviceRegistry& registry = builtin_reward_devices());
  // finish()es with no time for queued requests if the owner did not.
  ~RewardDeviceWorker();
  RewardDeviceWorker(const RewardDeviceWorker&) = delete;
  RewardDeviceWorker& operator=(const RewardDeviceWorker&) = delete;

  // Starts the thread: it starts the device's session, then serves requests and polls the device.
  void start();
  // Queues a reward and returns its number at once (0, 1, 2, ...).
  std::uint64_t request_reward(double volume_uL);
  // Queues RewardDevice::mark_trial_start().
  void request_trial_mark();
  // Queues RewardDevice::set_opto(pulses).
  void request_opto(const std::optional<OptoPulses>& pulses);
  // Moves everything gathered since the last call into `into` (its vectors are cleared first).
  void collect(DeviceReport& into);
  // Takes no more requests, serves those queued until `deadline` (the one being delivered then is
  // always finished), stops and joins the thread. Rewards left are reported not_sent; marks and opto
  // switches left are dropped (the device's watchdog ends its light). collect() afterwards returns the rest.
  void finish(std::chrono::steady_clock::time_point deadline);

  [[nodiscard]] const std::string& describe() const { return description_; }

 private:
  struct Request {
    enum class Kind { reward, trial_mark, opto } kind = Kind::reward;
    std::uint64_t number = 0;  // rewards only
    double volume_uL = 0;
    std::int64_t requested_ns = 0;
    std::optional<OptoPulses> opto;  // opto only: on with these pulses, or off
  };
  void enqueue(Request request);
  void serve();
  // Hands over the events and clock pings, copies the fit, counters and lost flag; caller holds no lock.
  void publish(std::vector<DeviceEvent>& events);

  std::unique_ptr<RewardDevice> device_;
  std::string description_;
  std::thread thread_;

  std::mutex mutex_;  // guards everything below
  std::deque<Request> requests_;
  std::uint64_t next_request_ = 0;
  bool finishing_ = false;
  std::chrono::steady_clock::time_point deadline_{};
  DeviceReport gathered_;
};

}  // namespace apical::bridge
