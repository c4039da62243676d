#include "pseudo_terminal.hpp"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace apical::emulator {

PseudoTerminal::PseudoTerminal() {
  master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (master_ < 0) throw std::runtime_error(std::string("posix_openpt: ") + std::strerror(errno));
  if (::grantpt(master_) != 0 || ::unlockpt(master_) != 0)
    throw std::runtime_error(std::string("grantpt/unlockpt: ") + std::strerror(errno));
  slave_path_ = ::ptsname(master_);
  slave_ = ::open(slave_path_.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave_ < 0) throw std::runtime_error("open " + slave_path_ + ": " + std::strerror(errno));
  // Raw from the start: no echo of host bytes back to the host, no CR/LF translation.
  termios tio{};
  ::tcgetattr(slave_, &tio);
  ::cfmakeraw(&tio);
  ::tcsetattr(slave_, TCSANOW, &tio);
}

PseudoTerminal::~PseudoTerminal() { close(); }

std::string PseudoTerminal::read(int timeout_ms) {
  if (master_ < 0) return {};
  pollfd p{master_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0 || !(p.revents & POLLIN)) return {};
  char bytes[512];
  const ssize_t n = ::read(master_, bytes, sizeof bytes);
  return n > 0 ? std::string(bytes, static_cast<std::size_t>(n)) : std::string();
}

bool PseudoTerminal::write(std::string_view bytes) {
  if (master_ < 0) return false;
  const ssize_t n = ::write(master_, bytes.data(), bytes.size());
  return n == static_cast<ssize_t>(bytes.size());
}

void PseudoTerminal::close() {
  if (slave_ >= 0) ::close(slave_);
  if (master_ >= 0) ::close(master_);
  slave_ = master_ = -1;
}

}  // namespace apical::emulator
