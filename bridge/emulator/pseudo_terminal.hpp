#pragma once
// The emulator's end of a pseudo-terminal pair: the master, which the emulator reads and writes, and
// the slave path that the host opens exactly as it would open /dev/ttyACM0. The emulator keeps the
// slave open itself (raw mode) so the pair stays usable before the host opens it and after it closes
// it; close() drops both ends, which the host sees as an unplugged device (EIO / hang-up).
#include <string>
#include <string_view>

namespace apical::emulator {

class PseudoTerminal {
 public:
  PseudoTerminal();  // throws std::runtime_error naming the failing call
  ~PseudoTerminal();
  PseudoTerminal(const PseudoTerminal&) = delete;
  PseudoTerminal& operator=(const PseudoTerminal&) = delete;

  [[nodiscard]] const std::string& slave_path() const { return slave_path_; }
  [[nodiscard]] bool is_open() const { return master_ >= 0; }
  // Bytes the host wrote, waiting at most timeout_ms; empty if none.
  std::string read(int timeout_ms);
  // Writes what the pty buffer takes now; false if bytes were dropped because the host does not read.
  bool write(std::string_view bytes);
  void close();

 private:
  int master_ = -1, slave_ = -1;
  std::string slave_path_;
};

}  // namespace apical::emulator
