#include "emulator_options.hpp"

#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace apical::emulator {

std::string usage() {
  return "usage: apical-rig-emulator --protocol cloose|riglink1 [options]\n"
         "Opens a pseudo-terminal, prints its slave path on the first line of stdout, and acts as the rig's\n"
         "reward microcontroller on it; the device's own log follows on stdout.\n"
         "  --watchdog-ms N          RIGLINK/1: no HB for N ms closes the valves and disarms (1000)\n"
         "  --lick-interval-ms N     a lick every N ms (0: none; default 0)\n"
         "  --frame-hz F             RIGLINK/1: FRM frame-clock events per second (15; 0: none)\n"
         "  --photodiode-hz F        RIGLINK/1: photodiode flips (PHD events) per second (0: none)\n"
         "  --clock-drift-ppm P      RIGLINK/1: the device clock runs P ppm fast (negative: slow; 0)\n"
         "  --clock-offset-us N      RIGLINK/1: the device clock reads N us at start (0)\n"
         "  --sync-seed N            RIGLINK/1: seed of the SYNC pulse intervals (1)\n"
         "  --valve-ms N             CLOOSE: valve time of one reward (40)\n"
         "  --stream-interval-ms N   CLOOSE: lick-counter byte period after 'a' (10)\n"
         "faults:\n"
         "  --drop-reply-every N     RIGLINK/1: drop every Nth reply\n"
         "  --corrupt-crc-every N    RIGLINK/1: send every Nth reply with a wrong CRC\n"
         "  --garbage-every N        RIGLINK/1: send an unframed line before every Nth reply\n"
         "  --frame-glitch-every N   RIGLINK/1: a 50-us spurious frame-clock pulse after every Nth frame\n"
         "  --unplug-after-s T       close the pseudo-terminal T seconds after start\n";
}

namespace {

double number_after(int& i, int argc, char** argv, double min) {
  const std::string flag = argv[i];
  if (++i >= argc) throw std::invalid_argument(flag + " needs a value");
  char* end = nullptr;
  const double value = std::strtod(argv[i], &end);
  if (end == argv[i] || *end != '\0' || value < min)
    throw std::invalid_argument(flag + " needs a number >= " + std::to_string(min) + ", not '" + argv[i] + "'");
  return value;
}

}  // namespace

Options parse_options(int argc, char** argv, bool& help) {
  Options o;
  help = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const auto whole = [&] { return static_cast<std::int64_t>(number_after(i, argc, argv, 0)); };
    if (flag == "--help") help = true;
    else if (flag == "--protocol" && i + 1 < argc) o.protocol = argv[++i];
    else if (flag == "--watchdog-ms") o.watchdog_ms = whole();
    else if (flag == "--lick-interval-ms") o.lick_interval_ms = whole();
    else if (flag == "--frame-hz") o.frame_hz = number_after(i, argc, argv, 0);
    else if (flag == "--photodiode-hz") o.photodiode_hz = number_after(i, argc, argv, 0);
    else if (flag == "--clock-drift-ppm") o.clock_drift_ppm = number_after(i, argc, argv, -1000);
    else if (flag == "--clock-offset-us") o.clock_offset_us = whole();
    else if (flag == "--sync-seed") o.sync_seed = whole();
    else if (flag == "--valve-ms") o.valve_ms = whole();
    else if (flag == "--stream-interval-ms") o.stream_interval_ms = whole();
    else if (flag == "--drop-reply-every") o.drop_reply_every = whole();
    else if (flag == "--corrupt-crc-every") o.corrupt_crc_every = whole();
    else if (flag == "--garbage-every") o.garbage_every = whole();
    else if (flag == "--frame-glitch-every") o.frame_glitch_every = whole();
    else if (flag == "--unplug-after-s") o.unplug_after_s = number_after(i, argc, argv, 0);
    else throw std::invalid_argument("unknown or incomplete option '" + flag + "'");
  }
  if (!help && o.protocol != "cloose" && o.protocol != "riglink1")
    throw std::invalid_argument("--protocol must be 'cloose' or 'riglink1'");
  if (o.stream_interval_ms < 1) throw std::invalid_argument("--stream-interval-ms must be at least 1");
  return o;
}

}  // namespace apical::emulator
