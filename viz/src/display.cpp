#include "apical/viz/display.hpp"

#include <X11/Xlib.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace apical::viz {
namespace {

constexpr int xvfb_start_timeout_ms = 15000;

std::string find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = dirs.find(':', start);
    const std::string dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return {};
}

// Reads the display number Xvfb writes to -displayfd once it is ready to accept clients.
std::string read_display_number(int fd) {
  std::string digits;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(xvfb_start_timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, 100);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    char c = 0;
    const ssize_t n = ::read(fd, &c, 1);
    if (n <= 0) break;  // Xvfb exited without naming a display
    if (c == '\n') return digits;
    digits.push_back(c);
  }
  return {};
}

[[noreturn]] void fail_without_display(const std::string& why) {
  throw NoDisplayError(
      "apical: cannot draw pictures: " + why +
      ". VTK needs an X display. Install the virtual one (as root: apt-get install xvfb; apical then starts it "
      "by itself), or run the command under 'xvfb-run -a', or set DISPLAY to a running X server.");
}

}  // namespace

bool display_answers(const std::string& display) {
  Display* connection = XOpenDisplay(display.c_str());
  if (connection == nullptr) return false;
  XCloseDisplay(connection);
  return true;
}

DisplayLease::DisplayLease() {
  if (const char* current = std::getenv("DISPLAY"); current != nullptr && *current != '\0') {
    previous_display_ = current;
    had_previous_display_ = true;
    if (display_answers(current)) {
      display_ = current;
      return;
    }
  }
  const std::string xvfb = find_on_path("Xvfb");
  if (xvfb.empty())
    fail_without_display(had_previous_display_ ? "no X server answers at DISPLAY=" + previous_display_
                                               : "DISPLAY is not set and Xvfb is not installed");
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) fail_without_display(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) fail_without_display(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::dup2(pipe_fds[1], 3);  // -displayfd needs a descriptor that survives exec
    const int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
      ::dup2(devnull, STDOUT_FILENO);
      ::dup2(devnull, STDERR_FILENO);
    }
    ::execl(xvfb.c_str(), "Xvfb", "-displayfd", "3", "-screen", "0", "1920x1200x24", "-nolisten", "tcp",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  const std::string number = read_display_number(pipe_fds[0]);
  ::close(pipe_fds[0]);
  if (number.empty()) {
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
    fail_without_display("Xvfb (" + xvfb + ") did not start within " +
                         std::to_string(xvfb_start_timeout_ms / 1000) + " s");
  }
  xvfb_pid_ = pid;
  display_ = ":" + number;
  ::setenv("DISPLAY", display_.c_str(), 1);
}

DisplayLease::~DisplayLease() {
  if (xvfb_pid_ <= 0) return;
  ::kill(xvfb_pid_, SIGTERM);
  ::waitpid(xvfb_pid_, nullptr, 0);
  if (had_previous_display_)
    ::setenv("DISPLAY", previous_display_.c_str(), 1);
  else
    ::unsetenv("DISPLAY");
}

}  // namespace apical::viz
