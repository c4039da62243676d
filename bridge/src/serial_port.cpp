#include "apical/bridge/serial_port.hpp"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace apical::bridge {
namespace {

constexpr std::pair<long long, speed_t> kBauds[] = {
    {1200, B1200},     {2400, B2400},     {4800, B4800},     {9600, B9600},     {19200, B19200},
    {38400, B38400},   {57600, B57600},   {115200, B115200}, {230400, B230400}, {460800, B460800},
    {500000, B500000}, {921600, B921600}, {1000000, B1000000}, {2000000, B2000000}};

std::string errno_text(int error) { return std::strerror(error); }

int remaining_ms(SerialPort::Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SerialPort::Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

bool is_supported_baud(long long baud) {
  for (const auto& [rate, code] : kBauds)
    if (rate == baud) return true;
  return false;
}

std::string supported_bauds() {
  std::string out;
  for (const auto& [rate, code] : kBauds) out += (out.empty() ? "" : ", ") + std::to_string(rate);
  return out;
}

SerialPort::SerialPort(const std::string& path, long long baud) : path_(path) {
  speed_t speed = B0;
  for (const auto& [rate, code] : kBauds)
    if (rate == baud) speed = code;
  if (speed == B0)
    throw SerialError("serial device " + path + ": unsupported baud rate " + std::to_string(baud) + " (supported: " +
                      supported_bauds() + ")");
  // O_NOCTTY: a rig device must never become our controlling terminal.
  fd_ = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) throw SerialError("cannot open serial device " + path + ": " + errno_text(errno));
  termios tio{};
  if (::tcgetattr(fd_, &tio) != 0) {
    const int error = errno;
    ::close(fd_);
    throw SerialError("serial device " + path + " is not a terminal: " + errno_text(error));
  }
  ::cfmakeraw(&tio);
  tio.c_cflag |= CLOCAL | CREAD;  // ignore modem lines, enable the receiver
  tio.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS);
  ::cfsetispeed(&tio, speed);
  ::cfsetospeed(&tio, speed);
  if (::tcsetattr(fd_, TCSANOW, &tio) != 0) {
    const int error = errno;
    ::close(fd_);
    throw SerialError("cannot configure serial device " + path + ": " + errno_text(error));
  }
  ::tcflush(fd_, TCIOFLUSH);  // drop whatever the device sent before we were listening
}

SerialPort::~SerialPort() {
  if (fd_ >= 0) ::close(fd_);
}

void SerialPort::lose(const std::string& reason) {
  lost_reason_ = "serial device " + path_ + " lost: " + reason;
  ::close(fd_);
  fd_ = -1;
}

SerialPort::ReadStatus SerialPort::read_some(std::span<char> buffer, Clock::time_point deadline, std::size_t& got) {
  got = 0;
  if (fd_ < 0) return ReadStatus::lost;
  for (;;) {
    const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
    if (n > 0) {
      got = static_cast<std::size_t>(n);
      return ReadStatus::data;
    }
    if (n == 0) {
      lose("end of file (device closed)");
      return ReadStatus::lost;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) {
      lose(errno_text(errno) + " (unplugged?)");
      return ReadStatus::lost;
    }
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, remaining_ms(deadline));
    if (ready == 0) return ReadStatus::timeout;
    if (ready < 0 && errno != EINTR) {
      lose("poll: " + errno_text(errno));
      return ReadStatus::lost;
    }
    if ((p.revents & (POLLHUP | POLLERR | POLLNVAL)) && !(p.revents & POLLIN)) {
      lose("hang-up (unplugged?)");
      return ReadStatus::lost;
    }
  }
}

bool SerialPort::write_all(std::string_view bytes, std::chrono::milliseconds timeout) {
  if (fd_ < 0) return false;
  const Clock::time_point deadline = Clock::now() + timeout;
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) {
      lose("write: " + errno_text(errno) + " (unplugged?)");
      return false;
    }
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) <= 0 || (p.revents & (POLLHUP | POLLERR))) {
      lose("write: device stopped accepting bytes");
      return false;
    }
  }
  return true;
}

}  // namespace apical::bridge
