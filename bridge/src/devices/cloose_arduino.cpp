// cloose-arduino: the CLOOSE Arduino serial protocol (rig.md §1.1). 9600 baud 8N1; the host sends
// 'a' once to start a run and 'b' for each reward; the device streams a wrapping uint8 lick counter
// faster than the frame rate. CLOOSE reads the oldest unread byte once per frame; we read every byte
// and count each step of the counter (mod 256) as licks, stamped with the host time of the read, so
// no lick is lost to the once-per-frame sampling. The reward volume is fixed in the firmware (the
// valve time is set there), so it is declared in the config, and a request for another volume is
// logged. Silence for longer than silence_timeout is CLOOSE's "No Info From Arduino": the port is
// closed and reopened, and the run restarted with 'a'.
#include <cmath>
#include <thread>

#include "apical/bridge/frame.hpp"
#include "apical/bridge/reward_device.hpp"
#include "apical/io/units.hpp"
#include "serial_link.hpp"

namespace apical::bridge {
namespace {

using std::chrono::milliseconds;

class ClooseArduino final : public RewardDevice {
 public:
  ClooseArduino(const SourceSettings& s, EventLog log)
      : RewardDevice(std::move(log)),
        link_(s),
        reward_volume_uL_(s.number("reward_volume_uL")),
        boot_wait_(static_cast<long long>(s.number("boot_wait"))),
        silence_timeout_(static_cast<long long>(s.number("silence_timeout"))) {}

  bool start_session() override {
    std::string error;
    if (!link_.open(error)) {
      mark_lost(error);
      return false;
    }
    // Opening the port resets an Uno; bytes sent while it boots are lost.
    std::this_thread::sleep_for(boot_wait_);
    if (!link_.port().write_all("a")) {
      mark_lost(link_.port().lost_reason());
      return false;
    }
    has_counter_ = false;
    last_byte_ = SerialLink::Clock::now();
    if (lost_) {
      lost_ = false;
      ++counters_.reconnects;
      log("RECONNECT " + describe() + ": run restarted with 'a'");
    }
    return true;
  }

  bool deliver_reward(double volume_uL) override {
    if (lost_) {
      refuse("device lost");
      return false;
    }
    if (std::abs(volume_uL - reward_volume_uL_) > 1e-9 * reward_volume_uL_)
      log("REWARD " + describe() + " delivers its firmware's fixed " + format_number(reward_volume_uL_) + " uL, not the " +
          format_number(volume_uL) + " uL requested");
    if (!link_.port().write_all("b")) {
      mark_lost(link_.port().lost_reason());
      refuse("device lost while sending 'b'");
      return false;
    }
    ++counters_.rewards;
    // The protocol has no acknowledgement: the reward is recorded when 'b' has gone out.
    pending_.push_back({DeviceEvent::Kind::reward, monotonic_ns(), -1, 0, 0, {}});
    return true;
  }

  void poll(std::vector<DeviceEvent>& out, milliseconds wait) override {
    out.insert(out.end(), pending_.begin(), pending_.end());
    pending_.clear();
    const SerialLink::Clock::time_point deadline = SerialLink::Clock::now() + wait;
    if (lost_) {
      if (link_.reopen_due()) start_session();
      if (lost_) {
        std::this_thread::sleep_until(deadline);
        return;
      }
    }
    char bytes[256];
    std::size_t got = 0;
    for (SerialLink::Clock::time_point until = deadline;; until = SerialLink::Clock::now()) {
      const SerialPort::ReadStatus status = link_.port().read_some(bytes, until, got);
      if (status == SerialPort::ReadStatus::lost) {
        mark_lost(link_.port().lost_reason());
        return;
      }
      if (status == SerialPort::ReadStatus::timeout) break;
      count_licks(std::string_view(bytes, got), monotonic_ns(), out);
      last_byte_ = SerialLink::Clock::now();
    }
    if (SerialLink::Clock::now() - last_byte_ > silence_timeout_) {
      link_.close();
      mark_lost("No Info From Arduino: no lick byte for " + std::to_string(silence_timeout_.count()) + " ms");
    }
  }

  [[nodiscard]] std::string describe() const override { return "cloose-arduino on " + link_.path(); }

 private:
  void count_licks(std::string_view bytes, std::int64_t host_ns, std::vector<DeviceEvent>& out) {
    for (const char c : bytes) {
      const auto value = static_cast<std::uint8_t>(c);
      if (has_counter_) {
        const auto steps = static_cast<std::uint8_t>(value - counter_);
        for (unsigned k = 0; k < steps; ++k) out.push_back({DeviceEvent::Kind::lick, host_ns, -1, 0, 1, {}});
        counters_.licks += steps;
      }
      counter_ = value;
      has_counter_ = true;
    }
  }

  SerialLink link_;
  double reward_volume_uL_;
  milliseconds boot_wait_, silence_timeout_;
  std::vector<DeviceEvent> pending_;
  SerialLink::Clock::time_point last_byte_{};
  std::uint8_t counter_ = 0;
  bool has_counter_ = false;  // the first byte after a start is the reference, not a lick
};

}  // namespace

void register_cloose_arduino(RewardDeviceRegistry& registry) {
  using Kind = SourceParameter::Kind;
  registry.add(
      {"cloose-arduino",
       "CLOOSE's Arduino: 'a' starts a run, 'b' gives one reward of a volume fixed in the firmware, and the device "
       "streams a wrapping uint8 lick counter",
       {serial_parameters::path(),
        serial_parameters::baud(9600),
        {"reward_volume_uL", Kind::quantity, "1", 0.01, 1000, {}, nullptr,
         "volume in uL of the one reward the firmware gives per 'b' (from the valve calibration, rig.md §4)"},
        {"boot_wait", Kind::quantity, "ms", 0, 10000, {}, "2000 ms",
         "wait after opening the port before sending 'a' (opening resets an Uno, which boots in about 2 s)"},
        {"silence_timeout", Kind::quantity, "ms", 10, 60000, {}, "1000 ms",
         "no lick byte for this long means the device is lost ('No Info From Arduino'); it is reopened"},
        serial_parameters::reconnect_interval()}},
      [](const SourceSettings& s, RewardDevice::EventLog log) { return std::make_unique<ClooseArduino>(s, std::move(log)); });
}

}  // namespace apical::bridge
