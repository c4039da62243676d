#pragma once
// One emulated rig microcontroller: it reacts to the host's bytes, runs its own timers (valve,
// watchdog, licks, frame clock) and writes through `send`. What it does is also reported on stdout
// ("VALVE 0 OPEN 40000 us", "WDOG ...") so tests and people can see the device's side.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace apical::emulator {

using Send = std::function<void(const std::string&)>;

// Prints one line of the device's own log on stdout, flushed at once (tests read it through a pipe).
void report(const std::string& line);

class EmulatedDevice {
 public:
  virtual ~EmulatedDevice() = default;
  virtual void receive(std::string_view bytes, std::int64_t now_us) = 0;
  virtual void tick(std::int64_t now_us) = 0;
  // After the pty is gone, true once the device has nothing more to do (e.g. its watchdog fired).
  [[nodiscard]] virtual bool settled_after_unplug() const = 0;
};

}  // namespace apical::emulator
