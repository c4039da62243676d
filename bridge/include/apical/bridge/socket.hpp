#pragma once
// Minimal blocking TCP over POSIX sockets, with deadlines taken by poll(), for the frame sources and
// senders. Errors of set-up (bind, listen) throw std::runtime_error naming the address and errno text;
// a peer going away is a normal outcome (ReadStatus::closed, write_all returning false).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace apical::bridge {

class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket();
  Socket(Socket&& other) noexcept : fd_(other.release()) {}
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] bool is_open() const { return fd_ >= 0; }
  void close();
  int release();

 private:
  int fd_ = -1;
};

using Clock = std::chrono::steady_clock;

// Listens on address:port (port 0: any free port). TCP_NODELAY and SO_REUSEADDR are set.
Socket listen_tcp(const std::string& address, std::uint16_t port);
std::uint16_t local_port(const Socket& socket);
// An accepted connection, or nullopt if none arrived before the deadline. Sets TCP_NODELAY and a
// receive buffer of at least `receive_buffer_bytes`.
std::optional<Socket> accept_until(const Socket& listener, Clock::time_point deadline, std::size_t receive_buffer_bytes);
// A connection to host:port, or nullopt if it was refused or could not be made before the deadline.
std::optional<Socket> connect_until(const std::string& host, std::uint16_t port, Clock::time_point deadline,
                                    std::size_t receive_buffer_bytes = 0);

enum class ReadStatus { complete, timeout, closed };
// Reads exactly buffer.size() bytes unless the deadline passes or the peer closes; `got` counts the
// bytes read either way.
ReadStatus read_exact(const Socket& socket, std::span<std::byte> buffer, Clock::time_point deadline, std::size_t& got);
// Waits until the socket has data or the peer closed (true), or the deadline passed (false).
bool wait_readable(const Socket& socket, Clock::time_point deadline);
// Writes everything; false if the peer has gone (no SIGPIPE).
bool write_all(const Socket& socket, std::span<const std::byte> bytes);

}  // namespace apical::bridge
