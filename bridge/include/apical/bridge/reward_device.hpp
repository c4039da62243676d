#pragma once
// Reward devices: the microcontroller that opens the reward valve and reports licks (rig.md §1.1, §3);
// a RIGLINK/1 board also pulses TTL and sync lines and drives the frame-locked opto LED.
// One device per file under bridge/src/devices, registered by name with its parameters declared once;
// the rig JSON selects one:
//
//   "reward": {"type": "riglink1", "path": "/dev/ttyACM0", "valve_a_uL_per_ms": 0.05, "valve_b_uL": 0}
//
// A device never crashes the session: an unplugged port (EIO, hang-up), a device that stops answering
// or a corrupt line is counted, logged as a line naming the device and the cause, and the device is
// marked lost; poll() keeps trying to reopen it. Only an unusable config throws (InputError).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "apical/bridge/clock_sync.hpp"
#include "apical/bridge/plugin_registry.hpp"
#include "apical/bridge/source_settings.hpp"

namespace apical::bridge {

struct DeviceEvent {
  enum class Kind {
    lick,         // channel = lick port, value = 1 onset / 0 offset
    reward,       // channel = valve, value = valve open time in µs (0 if the device does not say);
                  // device_us = the opening
    frame_clock,  // value = frame-clock pulse count (the device's, from its boot)
    photodiode,   // value = the stimulus photodiode's new level, 1 bright / 0 dark: a display flip
    watchdog,     // the device closed its valves and switched the LED off because the host went quiet
    ttl,          // channel = TTL line; device_us = the pulse's rising edge
    sync,         // value = sync pulse count (the device's, from its boot); device_us = the rising edge
    opto,         // value = µs the LED was on; device_us = when it went on: a frame-clock edge
  };
  Kind kind = Kind::lick;
  std::int64_t host_ns = 0;       // CLOCK_MONOTONIC when the host read the line or byte
  std::int64_t device_us = -1;    // the device's µs clock; -1 if the protocol carries none
  int channel = 0;
  std::int64_t value = 0;
  // device_us on CLOCK_MONOTONIC through the host-device clock fit (rig.md §5): when the event
  // happened, not when its line arrived. nullopt without a device clock or before the first fit.
  std::optional<std::int64_t> mapped_ns;
};

// The frame-locked opto light (rig.md §3 OPTO): on every frame-clock edge the LED for led_us and the
// PMT gate for gate_us.
struct OptoPulses {
  std::uint32_t led_us = 6000;
  std::uint32_t gate_us = 7000;
};

struct DeviceCounters {
  std::uint64_t rewards = 0;        // rewards the device accepted
  std::uint64_t refused = 0;        // rewards not delivered (device lost, ERR reply, no reply)
  std::uint64_t licks = 0;          // lick onsets
  std::uint64_t retries = 0;        // commands sent again after a missing or unreadable reply
  std::uint64_t bad_crc = 0;        // lines whose checksum did not match
  std::uint64_t corrupt_lines = 0;  // other unreadable lines (no checksum, too long, unknown kind)
  std::uint64_t losses = 0;         // times the device was lost
  std::uint64_t reconnects = 0;     // times it was opened again after a loss
  std::uint64_t clock_pings = 0;    // TIME pings answered (RIGLINK/1 clock synchronisation)
};

class RewardDevice {
 public:
  using EventLog = std::function<void(const std::string&)>;
  explicit RewardDevice(EventLog log) : log_(std::move(log)) {}
  virtual ~RewardDevice() = default;
  RewardDevice(const RewardDevice&) = delete;
  RewardDevice& operator=(const RewardDevice&) = delete;

  // Opens the port and starts a run (CLOOSE: 'a'; RIGLINK/1: HELLO, CAL, ARM). False if the device
  // could not be started (logged; poll() keeps trying).
  virtual bool start_session() = 0;
  // Delivers volume_uL of reward; false if it was not delivered (logged and counted as refused).
  virtual bool deliver_reward(double volume_uL) = 0;
  // Marks a trial's start on the device's outputs (RIGLINK/1: a TTL pulse on the configured line);
  // nothing on a device without one or where none is configured. A refusal is logged.
  virtual void mark_trial_start() {}
  // Frame-locked opto light on (`pulses`) or off (nullopt). False when the device refused, did not
  // answer or has no LED (logged). The light the animal got comes back as opto events, one per pulse.
  virtual bool set_opto(const std::optional<OptoPulses>& pulses);
  // Appends the events received since the last call; sends keep-alives and reopens a lost device.
  // Waits for input at most `wait`.
  virtual void poll(std::vector<DeviceEvent>& out, std::chrono::milliseconds wait) = 0;
  // "riglink1 on /dev/ttyACM0", for logs.
  [[nodiscard]] virtual std::string describe() const = 0;
  // The clock fit that maps device times to the host's (nullopt: the device has no clock or no ping
  // was answered yet).
  [[nodiscard]] virtual std::optional<ClockFit> clock_fit() const { return std::nullopt; }

  // Moves the clock pings answered since the last call into `into` (appended), to be recorded raw.
  void take_clock_pings(std::vector<ClockPing>& into);

  [[nodiscard]] bool lost() const { return lost_; }
  [[nodiscard]] const DeviceCounters& counters() const { return counters_; }

 protected:
  void log(const std::string& line) const {
    if (log_) log_(line);
  }
  // Logs "LOST <describe()>: <why>; ..." once per loss and counts it; the session goes on.
  void mark_lost(const std::string& why);
  // Logs "REWARD NOT DELIVERED by <describe()>: <why>" and counts it.
  void refuse(const std::string& why);
  bool lost_ = false;
  DeviceCounters counters_;
  std::vector<ClockPing> clock_pings_;  // answered, not yet taken

 private:
  EventLog log_;
};

using RewardDeviceInfo = PluginInfo;
using RewardDeviceRegistry = PluginRegistry<RewardDevice, RewardDevice::EventLog>;

void register_all_reward_devices(RewardDeviceRegistry& registry);  // generated from bridge/CMakeLists.txt
const RewardDeviceRegistry& builtin_reward_devices();

// Makes the device a config object selects by its "type"; InputError (naming the JSON path, with the
// nearest known key or type) on a bad config. Does not open the port: start_session() does.
std::unique_ptr<RewardDevice> make_reward_device(const JsonValue& config, RewardDevice::EventLog log,
                                                 const RewardDeviceRegistry& registry = builtin_reward_devices());

}  // namespace apical::bridge
