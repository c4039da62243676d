#include "apical/bridge/threaded_receiver.hpp"

namespace apical::bridge {
namespace {

// How long the receive thread waits in the inner source before it checks whether to stop.
constexpr std::chrono::milliseconds stop_poll{100};

}  // namespace

ThreadedReceiver::ThreadedReceiver(const InnerMaker& make_inner, const ReceiverParams& params, EventLog log)
    : FrameSource(std::move(log)), ring_(params.queue_frames), stall_(params.frame_period) {
  inner_ = make_inner([this](const std::string& line) {
    const std::lock_guard<std::mutex> lock(mutex_);
    lines_.push_back(line);
  });
  thread_ = std::thread([this] { receive(); });
}

ThreadedReceiver::~ThreadedReceiver() {
  stop_ = true;
  thread_.join();
}

void ThreadedReceiver::receive() {
  Frame incoming;
  while (!stop_) {
    FetchStatus status = FetchStatus::timeout;
    try {
      status = inner_->next(incoming, stop_poll);
    } catch (...) {
      const std::lock_guard<std::mutex> lock(mutex_);
      failure_ = std::current_exception();
      arrived_.notify_all();
      return;
    }
    const std::lock_guard<std::mutex> lock(mutex_);
    received_ = inner_->counters();
    if (status == FetchStatus::timeout) continue;
    if (status == FetchStatus::end) {
      ended_ = true;
      arrived_.notify_all();
      return;
    }
    if (std::optional<std::string> line = stall_.arrival(incoming.stages.received_ns, incoming.seq)) {
      ++stalls_;
      lines_.push_back(std::move(*line));
    }
    newest_seq_ = incoming.seq;
    if (ring_.push(incoming)) ++overruns_, ++unreported_overruns_;
    arrived_.notify_one();
  }
}

FetchStatus ThreadedReceiver::next(Frame& into, std::chrono::milliseconds timeout) {
  std::vector<std::string> lines;
  FetchStatus status = FetchStatus::timeout;
  std::exception_ptr failure;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    arrived_.wait_for(lock, timeout, [this] { return !ring_.empty() || ended_ || failure_; });
    lines.swap(lines_);
    if (unreported_overruns_ > 0) {
      lines.push_back("OVERRUN " + std::to_string(unreported_overruns_) + " frames overwritten in the receive ring of " +
                      std::to_string(ring_.capacity()) + " frames (newest seq " + std::to_string(newest_seq_) +
                      "): the loop fell behind the sender");
      unreported_overruns_ = 0;
    }
    if (ring_.pop(into)) {
      ++delivered_;
      status = FetchStatus::frame;
    } else if (ended_) {
      status = FetchStatus::end;
    } else {
      failure = failure_;
    }
    counters_ = received_;
    counters_.frames = delivered_;
    counters_.overruns = overruns_;
    counters_.stalls = stalls_;
  }
  for (const std::string& line : lines) log(line);
  if (failure) std::rethrow_exception(failure);
  return status;
}

std::string ThreadedReceiver::describe() const {
  return inner_->describe() + ", read on its own thread into a ring of " + std::to_string(ring_.capacity()) + " frames";
}

}  // namespace apical::bridge
