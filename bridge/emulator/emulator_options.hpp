#pragma once
// Command-line options of apical-rig-emulator. Every fault is off unless its flag is given.
#include <cstdint>
#include <memory>
#include <string>

#include "emulated_device.hpp"

namespace apical::emulator {

struct Options {
  std::string protocol;              // "cloose" or "riglink1"
  std::int64_t watchdog_ms = 1000;   // RIGLINK/1 WDOG: no HB for this long closes the valves (rig.md §3)
  std::int64_t lick_interval_ms = 0; // a lick every this many ms (0: no licks)
  double frame_hz = 15;              // RIGLINK/1 FRM events (0: none)
  double photodiode_hz = 0;          // RIGLINK/1: photodiode flips per second, as a display's patch (0: none)
  double clock_drift_ppm = 0;        // RIGLINK/1: the device clock runs this much fast (negative: slow)
  std::int64_t clock_offset_us = 0;  // RIGLINK/1: the device clock reads this at the emulator's start
  std::int64_t sync_seed = 1;        // RIGLINK/1: seed of the SYNC interval generator
  std::int64_t valve_ms = 40;        // CLOOSE: the firmware's fixed valve time per 'b'
  std::int64_t stream_interval_ms = 10;  // CLOOSE: lick-counter byte period once a run has started
  std::int64_t drop_reply_every = 0;     // RIGLINK/1: drop every Nth reply (the device still caches it)
  std::int64_t corrupt_crc_every = 0;    // RIGLINK/1: send every Nth reply with a wrong CRC
  std::int64_t garbage_every = 0;        // RIGLINK/1: send an unframed line before every Nth reply
  std::int64_t frame_glitch_every = 0;   // RIGLINK/1: a 50-us spurious frame-clock pulse after every Nth frame
  double unplug_after_s = 0;             // close the pty this long after start (0: never)
};

// Throws std::invalid_argument naming the bad flag; `help` is set for --help.
Options parse_options(int argc, char** argv, bool& help);
std::string usage();

std::unique_ptr<EmulatedDevice> make_cloose_device(const Options& options, Send send);
std::unique_ptr<EmulatedDevice> make_riglink_device(const Options& options, Send send);

}  // namespace apical::emulator
