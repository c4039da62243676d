#include "apical/bridge/socket.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace apical::bridge {
namespace {

std::string endpoint(const std::string& host, std::uint16_t port) { return host + ":" + std::to_string(port); }

[[noreturn]] void fail(const std::string& what, const std::string& where) {
  throw std::runtime_error(what + " " + where + ": " + std::strerror(errno));
}

void set_options(int fd, std::size_t receive_buffer_bytes) {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (receive_buffer_bytes > 0) {
    const int bytes = static_cast<int>(receive_buffer_bytes);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
  }
}

int milliseconds_until(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1 << 30));
}

sockaddr_in resolve(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr)
    throw std::runtime_error("cannot resolve host '" + host + "'");
  sockaddr_in address{};
  std::memcpy(&address, found->ai_addr, sizeof address);
  ::freeaddrinfo(found);
  address.sin_port = htons(port);
  return address;
}

}  // namespace

Socket::~Socket() { close(); }

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.release();
  }
  return *this;
}

void Socket::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

int Socket::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

Socket listen_tcp(const std::string& address, std::uint16_t port) {
  const std::string where = endpoint(address, port);
  Socket s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!s.is_open()) fail("cannot create a socket for", where);
  const int one = 1;
  ::setsockopt(s.fd(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const sockaddr_in bind_address = resolve(address, port);
  if (::bind(s.fd(), reinterpret_cast<const sockaddr*>(&bind_address), sizeof bind_address) != 0)
    fail("cannot bind", where);
  if (::listen(s.fd(), 4) != 0) fail("cannot listen on", where);
  return s;
}

std::uint16_t local_port(const Socket& socket) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  if (::getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&address), &length) != 0)
    fail("cannot read the port of socket", std::to_string(socket.fd()));
  return ntohs(address.sin_port);
}

std::optional<Socket> accept_until(const Socket& listener, Clock::time_point deadline, std::size_t receive_buffer_bytes) {
  if (!wait_readable(listener, deadline)) return std::nullopt;
  Socket s(::accept4(listener.fd(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!s.is_open()) return std::nullopt;
  set_options(s.fd(), receive_buffer_bytes);
  return s;
}

std::optional<Socket> connect_until(const std::string& host, std::uint16_t port, Clock::time_point deadline,
                                    std::size_t receive_buffer_bytes) {
  const sockaddr_in address = resolve(host, port);
  Socket s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!s.is_open()) fail("cannot create a socket for", endpoint(host, port));
  set_options(s.fd(), receive_buffer_bytes);
  if (::connect(s.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    if (errno != EINPROGRESS) return std::nullopt;
    pollfd p{s.fd(), POLLOUT, 0};
    if (::poll(&p, 1, milliseconds_until(deadline)) <= 0) return std::nullopt;
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) return std::nullopt;
  }
  // Back to blocking: reads and writes wait through poll() deadlines instead.
  ::fcntl(s.fd(), F_SETFL, ::fcntl(s.fd(), F_GETFL) & ~O_NONBLOCK);
  return s;
}

bool wait_readable(const Socket& socket, Clock::time_point deadline) {
  for (;;) {
    pollfd p{socket.fd(), POLLIN, 0};
    const int ready = ::poll(&p, 1, milliseconds_until(deadline));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return true;  // let the following read report the error
  }
}

ReadStatus read_exact(const Socket& socket, std::span<std::byte> buffer, Clock::time_point deadline, std::size_t& got) {
  got = 0;
  while (got < buffer.size()) {
    if (!wait_readable(socket, deadline)) return ReadStatus::timeout;
    const ssize_t n = ::recv(socket.fd(), buffer.data() + got, buffer.size() - got, 0);
    if (n > 0) {
      got += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    return ReadStatus::closed;
  }
  return ReadStatus::complete;
}

bool write_all(const Socket& socket, std::span<const std::byte> bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(socket.fd(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
  return true;
}

}  // namespace apical::bridge
