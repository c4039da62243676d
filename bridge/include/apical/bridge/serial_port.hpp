#pragma once
// A serial device opened the way a rig needs it: raw 8N1 at a set baud rate, no modem control, no
// echo, non-blocking reads bounded by deadlines. Works the same on /dev/ttyACM*, /dev/ttyUSB* and the
// slave side of a pseudo-terminal (which ignores the baud rate). Opening errors throw SerialError
// naming the device path; losing the device later (unplugged: EIO or a hang-up) is a normal outcome,
// reported by the read and write calls with a message that names the path and the cause.
#include <chrono>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace apical::bridge {

class SerialError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The rates termios can set, for config checks and messages.
bool is_supported_baud(long long baud);
std::string supported_bauds();

class SerialPort {
 public:
  using Clock = std::chrono::steady_clock;
  enum class ReadStatus { data, timeout, lost };

  // Throws SerialError, e.g. "cannot open serial device /dev/ttyACM0: No such file or directory".
  SerialPort(const std::string& path, long long baud);
  ~SerialPort();
  SerialPort(const SerialPort&) = delete;
  SerialPort& operator=(const SerialPort&) = delete;

  // Reads what is available, waiting until the deadline for the first byte; `got` counts the bytes.
  // On `lost` the port is closed and lost_reason() says why.
  ReadStatus read_some(std::span<char> buffer, Clock::time_point deadline, std::size_t& got);
  // Writes every byte within `timeout`; false (port closed, lost_reason() set) if the device is gone.
  bool write_all(std::string_view bytes, std::chrono::milliseconds timeout = std::chrono::milliseconds(1000));

  [[nodiscard]] bool is_open() const { return fd_ >= 0; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string& lost_reason() const { return lost_reason_; }

 private:
  void lose(const std::string& reason);

  std::string path_;
  int fd_ = -1;
  std::string lost_reason_;
};

}  // namespace apical::bridge
