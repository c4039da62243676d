// A RIGLINK/1 device: the reference firmware's own core (firmware/riglink/riglink_core.h) on a
// pseudo-terminal instead of a microcontroller. This wrapper only plays the hardware: it hands the core
// the host's bytes and the time, makes licks, frame-clock pulses and photodiode flips as sensor edges,
// shows valve and LED changes and the core's log on stdout, and injects faults into the replies on
// their way out (the core's reply cache always holds the true reply). Its clock may run off the
// host's by a set offset and drift: events happen on the emulator's (host) time and are stamped with
// the device's.
#include <cmath>
#include <cstdint>
#include <string>

#include "apical/io/units.hpp"
#include "emulator_options.hpp"
#include "lick_generator.hpp"
#include "riglink_core.h"

namespace apical::emulator {
namespace {

constexpr std::int64_t kFramePulseUs = 2000;      // frame-clock TTL width
constexpr std::uint32_t kFramePulseMinUs = 1000;  // the glitch filter: half the nominal width
constexpr std::int64_t kGlitchUs = 50;            // a spurious pulse, as valve switching induces

riglink::Settings firmware_settings(const Options& o) {
  riglink::Settings s;
  s.board = "emulator";
  s.watchdog_ms = static_cast<std::uint32_t>(o.watchdog_ms);
  s.frame_pulse_min_us = kFramePulseMinUs;
  s.random_seed = static_cast<std::uint32_t>(o.sync_seed);
  return s;
}


class RiglinkDevice final : public EmulatedDevice, private riglink::Board {
 public:
  RiglinkDevice(const Options& o, Send send)
      : o_(o), send_(std::move(send)), licks_(o.lick_interval_ms), settings_(firmware_settings(o)), core_(*this, settings_),
        frame_period_us_(o.frame_hz > 0 ? static_cast<std::int64_t>(1e6 / o.frame_hz) : 0),
        flip_period_us_(o.photodiode_hz > 0 ? static_cast<std::int64_t>(1e6 / o.photodiode_hz) : 0) {
    core_.boot(micros(0));
  }

  void receive(std::string_view bytes, std::int64_t now_us) override {
    for (const char c : bytes) core_.receive(c, micros(now_us));
  }

  void tick(std::int64_t now_us) override {
    core_.update(micros(now_us));
    if (const int lick = licks_.step(now_us); lick != 0) core_.lick_edge(0, lick > 0, micros(now_us));
    if (frame_period_us_ > 0) frame_clock(now_us);
    if (flip_period_us_ > 0 && now_us >= next_flip_us_) {
      next_flip_us_ = now_us + flip_period_us_;
      bright_ = !bright_;
      core_.photodiode_edge(bright_, micros(now_us));
    }
  }

  [[nodiscard]] bool settled_after_unplug() const override { return !core_.armed() && !core_.valve_open(); }

 private:
  // The core's clock is the microcontroller's 32-bit micros() (it extends it to 64 bits itself), here
  // offset + (1 + drift) · the emulator's time.
  [[nodiscard]] std::uint32_t micros(std::int64_t now_us) const {
    return static_cast<std::uint32_t>(o_.clock_offset_us + std::llround(static_cast<double>(now_us) * (1 + o_.clock_drift_ppm * 1e-6)));
  }

  void frame_clock(std::int64_t now_us) {
    if (pulse_high_ && now_us >= pulse_end_us_) {
      pulse_high_ = false;
      core_.frame_clock_edge(false, micros(now_us));
      if (o_.frame_glitch_every > 0 && ++pulses_ % o_.frame_glitch_every == 0) {
        core_.frame_clock_edge(true, micros(now_us));
        core_.frame_clock_edge(false, micros(now_us + kGlitchUs));
      }
    }
    if (!pulse_high_ && now_us >= next_frame_us_) {
      next_frame_us_ = now_us + frame_period_us_;
      pulse_high_ = true;
      pulse_end_us_ = now_us + kFramePulseUs;
      core_.frame_clock_edge(true, micros(now_us));
    }
  }

  void write_valve(std::uint8_t valve, bool open) override {
    const std::uint8_t bit = static_cast<std::uint8_t>(1u << valve);
    if (open == ((valves_open_ & bit) != 0)) return;  // the core also closes closed valves, to be safe
    valves_open_ = static_cast<std::uint8_t>(open ? valves_open_ | bit : valves_open_ & ~bit);
    if (!open) report("VALVE " + std::to_string(valve) + " CLOSED");
  }

  // The LED and the sync line are shown as they switch (the tests watch them); TTL lines and the PMT
  // gate through the core's log.
  void write_output(std::uint8_t output, bool high) override {
    const std::uint8_t bit = static_cast<std::uint8_t>(1u << output);
    if (high == ((outputs_high_ & bit) != 0)) return;
    outputs_high_ = static_cast<std::uint8_t>(high ? outputs_high_ | bit : outputs_high_ & ~bit);
    if (output == riglink::kLedOutput) report(high ? "LED ON" : "LED OFF");
  }

  void write_line(const char* line, std::uint8_t length) override {
    std::string text(line, length);
    const bool is_reply = !text.empty() && text[0] >= '0' && text[0] <= '9';
    if (is_reply) inject_faults(text);
    if (!text.empty()) send_(text);
  }

  void store_calibration(std::uint8_t valve, float a, float b) override {
    report("CAL valve " + std::to_string(valve) + " a=" + format_number(a) + " uL/ms b=" + format_number(b) + " uL");
  }

  void log(riglink::Happening what, std::uint8_t index, std::uint32_t value) override {
    using riglink::Happening;
    switch (what) {
      case Happening::valve_opened: report("VALVE " + std::to_string(index) + " OPEN " + std::to_string(value) + " us"); break;
      case Happening::valve_closed: break;  // write_valve reports it
      case Happening::armed: report("ARMED"); break;
      case Happening::disarmed: report("DISARMED"); break;
      case Happening::watchdog:
        report("WDOG no HB for " + std::to_string(o_.watchdog_ms) + " ms: valves closed (" +
               (value != 0 ? "one was open" : "all were closed") + "), disarmed");
        break;
      case Happening::repeat_answered: report("REPEAT seq " + std::to_string(value) + " answered from the cache"); break;
      case Happening::line_rejected: report("REJECTED host line: ERR " + std::to_string(value)); break;
      case Happening::frame_glitch: report("GLITCH frame-clock pulse of " + std::to_string(value) + " us is not a frame"); break;
      case Happening::ttl_pulse: report("TTL " + std::to_string(index) + " pulse " + std::to_string(value) + " us"); break;
      case Happening::sync_started: report("SYNC started, mean interval " + std::to_string(value) + " ms"); break;
      case Happening::sync_stopped: report("SYNC stopped"); break;
      case Happening::opto_started: report("OPTO on, LED " + std::to_string(value) + " us per frame"); break;
      case Happening::opto_stopped: report(std::string("OPTO stopped") + (value != 0 ? ", an LED pulse cut short" : "")); break;
      case Happening::stimulus_angle: report("STIM " + std::to_string(value) + " cdeg"); break;
    }
  }

  // Empties `line` to drop it; may send an unframed line first.
  void inject_faults(std::string& line) {
    ++replies_;
    const std::string body = line.substr(0, line.size() - 5);
    if (o_.garbage_every > 0 && replies_ % o_.garbage_every == 0) {
      report("GARBAGE before reply " + std::to_string(replies_));
      send_("\x01\x7f~noise without a checksum\n");
    }
    if (o_.drop_reply_every > 0 && replies_ % o_.drop_reply_every == 0) {
      report("DROP reply '" + body + "'");
      line.clear();
      return;
    }
    if (o_.corrupt_crc_every > 0 && replies_ % o_.corrupt_crc_every == 0) {
      char& digit = line[line.size() - 2];
      digit = digit == '0' ? '1' : '0';
      report("CORRUPT CRC of reply '" + body + "'");
    }
  }

  Options o_;
  Send send_;
  LickGenerator licks_;
  riglink::Settings settings_;
  riglink::Device core_;
  std::int64_t frame_period_us_, next_frame_us_ = 0, pulse_end_us_ = 0, pulses_ = 0;
  bool pulse_high_ = false;
  std::int64_t flip_period_us_, next_flip_us_ = 0;
  bool bright_ = false;
  std::int64_t replies_ = 0;
  std::uint8_t valves_open_ = 0;
  std::uint8_t outputs_high_ = 0;
};

}  // namespace

std::unique_ptr<EmulatedDevice> make_riglink_device(const Options& options, Send send) {
  return std::make_unique<RiglinkDevice>(options, std::move(send));
}

}  // namespace apical::emulator
