#pragma once
// What both reward devices do with their port: open it, notice when it is lost, and reopen it at most
// once per reconnect interval (CLOOSE reopens after a failed read, rig.md §1.1; RIGLINK/1 reconnects
// after a rig fault). The device decides what "lost" means (EIO, silence, no reply); this keeps the
// port and the schedule.
#include <chrono>
#include <memory>
#include <string>

#include "apical/bridge/serial_port.hpp"
#include "apical/bridge/source_settings.hpp"

namespace apical::bridge {

class SerialLink {
 public:
  using Clock = SerialPort::Clock;
  explicit SerialLink(const SourceSettings& s);

  // Opens the port; on failure returns false with `error` naming the path and the cause.
  bool open(std::string& error);
  void close() { port_.reset(); }
  // True once per reconnect interval while the port is closed.
  bool reopen_due();

  [[nodiscard]] bool is_open() const { return port_ && port_->is_open(); }
  [[nodiscard]] SerialPort& port() { return *port_; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
  long long baud_;
  std::chrono::milliseconds reconnect_interval_;
  Clock::time_point next_attempt_{};
  std::unique_ptr<SerialPort> port_;
};

// The parameters every serial reward device declares, each declared once here.
namespace serial_parameters {
SourceParameter path();
SourceParameter baud(long long default_baud);
SourceParameter reconnect_interval();
}  // namespace serial_parameters

}  // namespace apical::bridge
