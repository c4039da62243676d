#include "apical/bridge/reward_device_worker.hpp"

#include <optional>

#include "apical/bridge/frame.hpp"

namespace apical::bridge {
namespace {

using Clock = std::chrono::steady_clock;

// How long the thread waits for device input when no request is queued: a new request waits at most
// this long before it goes out.
constexpr std::chrono::milliseconds idle_poll{2};

}  // namespace

RewardDeviceWorker::RewardDeviceWorker(const JsonValue& config, const RewardDeviceRegistry& registry) {
  device_ = make_reward_device(
      config,
      [this](const std::string& line) {
        const std::lock_guard<std::mutex> lock(mutex_);
        gathered_.log.push_back({monotonic_ns(), line});
      },
      registry);
  description_ = device_->describe();
}

RewardDeviceWorker::~RewardDeviceWorker() { finish(Clock::now()); }

void RewardDeviceWorker::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { serve(); });
}

std::uint64_t RewardDeviceWorker::request_reward(double volume_uL) {
  const std::lock_guard<std::mutex> lock(mutex_);
  const std::uint64_t number = next_request_++;
  if (finishing_)
    gathered_.outcomes.push_back({number, RewardOutcome::Status::not_sent, volume_uL, monotonic_ns(), 0});
  else
    requests_.push_back({Request::Kind::reward, number, volume_uL, monotonic_ns(), std::nullopt});
  return number;
}

void RewardDeviceWorker::request_trial_mark() { enqueue({Request::Kind::trial_mark, 0, 0, monotonic_ns(), std::nullopt}); }

void RewardDeviceWorker::request_opto(const std::optional<OptoPulses>& pulses) {
  enqueue({Request::Kind::opto, 0, 0, monotonic_ns(), pulses});
}

void RewardDeviceWorker::enqueue(Request request) {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (!finishing_) requests_.push_back(std::move(request));
}

void RewardDeviceWorker::collect(DeviceReport& into) {
  into.events.clear();
  into.outcomes.clear();
  into.log.clear();
  into.clock_pings.clear();
  const std::lock_guard<std::mutex> lock(mutex_);
  std::swap(into.events, gathered_.events);
  std::swap(into.outcomes, gathered_.outcomes);
  std::swap(into.log, gathered_.log);
  std::swap(into.clock_pings, gathered_.clock_pings);
  into.clock_fit = gathered_.clock_fit;
  into.counters = gathered_.counters;
  into.lost = gathered_.lost;
}

void RewardDeviceWorker::finish(Clock::time_point deadline) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    finishing_ = true;
    deadline_ = deadline;
  }
  if (thread_.joinable()) thread_.join();
  const std::lock_guard<std::mutex> lock(mutex_);
  for (const Request& r : requests_)
    if (r.kind == Request::Kind::reward)
      gathered_.outcomes.push_back({r.number, RewardOutcome::Status::not_sent, r.volume_uL, r.requested_ns, 0});
  requests_.clear();
}

void RewardDeviceWorker::publish(std::vector<DeviceEvent>& events) {
  const std::lock_guard<std::mutex> lock(mutex_);
  gathered_.events.insert(gathered_.events.end(), events.begin(), events.end());
  device_->take_clock_pings(gathered_.clock_pings);
  gathered_.clock_fit = device_->clock_fit();
  gathered_.counters = device_->counters();
  gathered_.lost = device_->lost();
  events.clear();
}

void RewardDeviceWorker::serve() {
  std::vector<DeviceEvent> events;
  device_->start_session();
  publish(events);
  for (;;) {
    std::optional<Request> request;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      const bool out_of_time = finishing_ && Clock::now() >= deadline_;
      if (!requests_.empty() && !out_of_time) {
        request = requests_.front();
        requests_.pop_front();
      } else if (finishing_) {
        break;
      }
    }
    if (request && request->kind == Request::Kind::trial_mark) {
      device_->mark_trial_start();
    } else if (request && request->kind == Request::Kind::opto) {
      device_->set_opto(request->opto);
    } else if (request) {
      const bool delivered = device_->deliver_reward(request->volume_uL);
      const RewardOutcome::Status status = delivered         ? RewardOutcome::Status::delivered
                                           : device_->lost() ? RewardOutcome::Status::device_lost
                                                             : RewardOutcome::Status::refused;
      const std::lock_guard<std::mutex> lock(mutex_);
      gathered_.outcomes.push_back({request->number, status, request->volume_uL, request->requested_ns, monotonic_ns()});
    }
    device_->poll(events, request ? std::chrono::milliseconds(0) : idle_poll);
    publish(events);
  }
  device_->poll(events, std::chrono::milliseconds(0));  // what arrived while the last request was served
  publish(events);
}

}  // namespace apical::bridge
