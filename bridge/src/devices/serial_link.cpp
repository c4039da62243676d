#include "serial_link.hpp"

namespace apical::bridge {

SerialLink::SerialLink(const SourceSettings& s)
    : path_(s.text("path")),
      baud_(s.integer("baud")),
      reconnect_interval_(static_cast<long long>(s.number("reconnect_interval"))) {
  if (!is_supported_baud(baud_)) s.fail("baud", "unsupported baud rate " + std::to_string(baud_) + " (supported: " + supported_bauds() + ")");
}

bool SerialLink::open(std::string& error) {
  next_attempt_ = Clock::now() + reconnect_interval_;
  try {
    port_ = std::make_unique<SerialPort>(path_, baud_);
    return true;
  } catch (const SerialError& e) {
    port_.reset();
    error = e.what();
    return false;
  }
}

bool SerialLink::reopen_due() { return !is_open() && Clock::now() >= next_attempt_; }

namespace serial_parameters {

SourceParameter path() {
  return {"path", SourceParameter::Kind::text, "1", 0, 0, {}, nullptr, "serial device, e.g. /dev/ttyACM0"};
}
SourceParameter baud(long long default_baud) {
  return {"baud", SourceParameter::Kind::integer, "1", 1200, 2000000, {}, default_baud,
          "baud rate (8N1); native-USB boards and pseudo-terminals ignore it"};
}
SourceParameter reconnect_interval() {
  return {"reconnect_interval", SourceParameter::Kind::quantity, "ms", 10, 60000, {}, "1000 ms",
          "time between attempts to reopen a lost device"};
}

}  // namespace serial_parameters
}  // namespace apical::bridge
