#include "apical/bridge/reward_device.hpp"

#include <stdexcept>

namespace apical::bridge {

void RewardDevice::mark_lost(const std::string& why) {
  if (lost_) return;
  lost_ = true;
  ++counters_.losses;
  log("LOST " + describe() + ": " + why + "; the session goes on and the device is reopened when it returns");
}

void RewardDevice::refuse(const std::string& why) {
  ++counters_.refused;
  log("REWARD NOT DELIVERED by " + describe() + ": " + why);
}

bool RewardDevice::set_opto(const std::optional<OptoPulses>& pulses) {
  if (pulses) log("OPTO NOT AVAILABLE on " + describe() + ": it drives no LED; the session records no light");
  return !pulses;
}

void RewardDevice::take_clock_pings(std::vector<ClockPing>& into) {
  into.insert(into.end(), clock_pings_.begin(), clock_pings_.end());
  clock_pings_.clear();
}

std::unique_ptr<RewardDevice> make_reward_device(const JsonValue& config, RewardDevice::EventLog log,
                                                 const RewardDeviceRegistry& registry) {
  return registry.make(config, std::move(log));
}

}  // namespace apical::bridge
