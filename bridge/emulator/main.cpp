// apical-rig-emulator: a reward microcontroller on a pseudo-terminal, speaking the CLOOSE Arduino
// protocol or RIGLINK/1 (rig.md §1.1, §3), with faults on request. The first stdout line is the slave
// path for the host to open; the device's log follows. Runs until SIGTERM/SIGINT, or, after an
// --unplug-after-s, until the device has settled (RIGLINK/1: its watchdog has closed the valves).
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "emulator_options.hpp"
#include "pseudo_terminal.hpp"

namespace {
volatile std::sig_atomic_t stop_requested = 0;
void request_stop(int) { stop_requested = 1; }
}  // namespace

int main(int argc, char** argv) {
  using namespace apical::emulator;
  bool help = false;
  Options options;
  try {
    options = parse_options(argc, argv, help);
  } catch (const std::exception& e) {
    std::cerr << "apical-rig-emulator: " << e.what() << "\n" << usage();
    return 2;
  }
  if (help) {
    std::cout << usage();
    return 0;
  }
  std::signal(SIGTERM, request_stop);
  std::signal(SIGINT, request_stop);
  try {
    PseudoTerminal pty;
    bool overflow_reported = false;
    const Send send = [&](const std::string& bytes) {
      if (!pty.write(bytes) && pty.is_open() && !overflow_reported) {
        report("OVERFLOW the host is not reading; output dropped");
        overflow_reported = true;
      }
    };
    auto device = options.protocol == "cloose" ? make_cloose_device(options, send) : make_riglink_device(options, send);
    // The path goes out once the device has booted: a host that opens it then flushes the boot lines,
    // as it does on a board that was running before it was opened.
    report(pty.slave_path());
    const auto start = std::chrono::steady_clock::now();
    if (options.protocol == "riglink1")  // for tests: what the device's clock reads at a host time
      report("CLOCK start " + std::to_string(std::chrono::nanoseconds(start.time_since_epoch()).count()) +
             " ns monotonic, device clock " + std::to_string(options.clock_offset_us) + " us + " +
             std::to_string(options.clock_drift_ppm) + " ppm");
    const auto now_us = [&] {
      return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
    };
    const auto unplug_us = static_cast<std::int64_t>(options.unplug_after_s * 1e6);
    while (!stop_requested) {
      if (pty.is_open()) {
        if (unplug_us > 0 && now_us() >= unplug_us) {
          pty.close();
          report("UNPLUG the pseudo-terminal is closed");
          continue;
        }
        const std::string bytes = pty.read(1);
        if (!bytes.empty()) device->receive(bytes, now_us());
      } else {
        if (device->settled_after_unplug()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      device->tick(now_us());
    }
  } catch (const std::exception& e) {
    std::cerr << "apical-rig-emulator: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
