// The CLOOSE Arduino as our reference sketch behaves (docs/reward-devices.md): 'a' starts a run and
// the lick-counter stream, 'b' opens the valve for the fixed valve time, and the wrapping uint8 lick
// counter goes out every stream interval.
#include "emulator_options.hpp"
#include "lick_generator.hpp"

namespace apical::emulator {
namespace {

class ClooseDevice final : public EmulatedDevice {
 public:
  ClooseDevice(const Options& o, Send send)
      : send_(std::move(send)), licks_(o.lick_interval_ms), valve_us_(o.valve_ms * 1000), stream_us_(o.stream_interval_ms * 1000) {}

  void receive(std::string_view bytes, std::int64_t now_us) override {
    for (const char c : bytes) {
      if (c == 'a') {
        running_ = true;
        report("START run");
      } else if (c == 'b') {
        close_at_us_ = now_us + valve_us_;
        report("VALVE 0 OPEN " + std::to_string(valve_us_) + " us");
      } else {
        report("IGNORED byte " + std::to_string(static_cast<unsigned char>(c)));
      }
    }
  }

  void tick(std::int64_t now_us) override {
    if (close_at_us_ >= 0 && now_us >= close_at_us_) {
      close_at_us_ = -1;
      report("VALVE 0 CLOSED");
    }
    if (licks_.step(now_us) > 0) ++counter_;
    if (running_ && now_us >= next_byte_us_) {
      next_byte_us_ = now_us + stream_us_;
      send_(std::string(1, static_cast<char>(counter_)));
    }
  }

  // The protocol has no watchdog: the valve closes on its own timer.
  [[nodiscard]] bool settled_after_unplug() const override { return close_at_us_ < 0; }

 private:
  Send send_;
  LickGenerator licks_;
  std::int64_t valve_us_, stream_us_;
  std::int64_t close_at_us_ = -1, next_byte_us_ = 0;
  std::uint8_t counter_ = 0;
  bool running_ = false;
};

}  // namespace

std::unique_ptr<EmulatedDevice> make_cloose_device(const Options& options, Send send) {
  return std::make_unique<ClooseDevice>(options, std::move(send));
}

}  // namespace apical::emulator
