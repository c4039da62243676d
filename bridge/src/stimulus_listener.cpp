#include "apical/bridge/stimulus_listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace apical::bridge {

StimulusListener::StimulusListener(const std::string& address, std::uint16_t port)
    : socket_(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) {
  const std::string where = address + ":" + std::to_string(port);
  if (!socket_.is_open()) throw std::runtime_error("cannot open a UDP socket for " + where + ": " + std::strerror(errno));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (::inet_pton(AF_INET, address.c_str(), &a.sin_addr) != 1)
    throw std::runtime_error("cannot listen for UDP on " + where + ": not an IPv4 address");
  if (::bind(socket_.fd(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0)
    throw std::runtime_error("cannot listen for UDP on " + where + ": " + std::strerror(errno));
  sockaddr_in bound{};
  socklen_t length = sizeof bound;
  ::getsockname(socket_.fd(), reinterpret_cast<sockaddr*>(&bound), &length);
  port_ = ntohs(bound.sin_port);
}

std::optional<std::string> StimulusListener::receive(Clock::time_point deadline) {
  std::array<char, 2048> buffer{};  // an APICAL-STIM/2 line is about 200 bytes
  for (;;) {
    const ssize_t n = ::recv(socket_.fd(), buffer.data(), buffer.size(), 0);
    if (n >= 0) return std::string(buffer.data(), static_cast<std::size_t>(n));
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return std::nullopt;
    if (!wait_readable(socket_, deadline)) return std::nullopt;
  }
}

}  // namespace apical::bridge
