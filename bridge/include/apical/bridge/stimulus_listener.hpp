#pragma once
// The receiving end of a `udp` stimulus output: a UDP socket bound to a port, handing over one datagram
// (one APICAL-STIM line, stimulus_line.hpp) at a time with a deadline. A closed-loop virtual microscope
// hears the rig's decisions through it.
#include <cstdint>
#include <optional>
#include <string>

#include "apical/bridge/socket.hpp"

namespace apical::bridge {

class StimulusListener {
 public:
  // Binds address:port (port 0: any free port; address "0.0.0.0": every interface). std::runtime_error
  // naming the address and the cause when it cannot.
  StimulusListener(const std::string& address, std::uint16_t port);

  // The next datagram's text, or nullopt if none arrived before the deadline.
  std::optional<std::string> receive(Clock::time_point deadline);
  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  Socket socket_;
  std::uint16_t port_ = 0;
};

}  // namespace apical::bridge
