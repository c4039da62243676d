#pragma once
// Runs apical-rig-emulator as a child process for the device tests: reads the slave path from its
// first stdout line and keeps every later line (the device's own log) for the tests to look at.
// The child is stopped with SIGTERM (by its pid) when the object goes away.
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace apical::bridge::test {

class EmulatorProcess {
 public:
  explicit EmulatorProcess(std::vector<std::string> args) {
    args.insert(args.begin(), APICAL_RIG_EMULATOR_PATH);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    const int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    out_ = pipe_fds[0];
    if (spawned != 0) throw std::runtime_error("cannot start " + args[0]);
    if (!read_line(std::chrono::seconds(5))) throw std::runtime_error("the emulator printed no slave path");
    slave_path_ = lines_.front();
    lines_.clear();
  }
  ~EmulatorProcess() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
    ::close(out_);
  }
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  [[nodiscard]] const std::string& slave_path() const { return slave_path_; }

  // Waits (at most `timeout`) for a log line containing `text`.
  bool wait_for(const std::string& text, std::chrono::milliseconds timeout) { return !line_with(text, timeout).empty(); }

  // The first log line containing `text`, waiting for it at most `timeout`; empty if none came.
  std::string line_with(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (std::size_t seen = 0;;) {
      for (; seen < lines_.size(); ++seen)
        if (lines_[seen].find(text) != std::string::npos) return lines_[seen];
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !read_line(left)) return {};
    }
  }

  // Log lines containing `text` among those read so far.
  [[nodiscard]] std::size_t count(const std::string& text) const {
    std::size_t n = 0;
    for (const std::string& l : lines_) n += l.find(text) != std::string::npos;
    return n;
  }

 private:
  bool read_line(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (const std::size_t lf = partial_.find('\n'); lf != std::string::npos) {
        lines_.push_back(partial_.substr(0, lf));
        partial_.erase(0, lf + 1);
        return true;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd p{out_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
      char bytes[512];
      const ssize_t n = ::read(out_, bytes, sizeof bytes);
      if (n <= 0) return false;
      partial_.append(bytes, static_cast<std::size_t>(n));
    }
  }

  pid_t pid_ = -1;
  int out_ = -1;
  std::string slave_path_, partial_;
  std::vector<std::string> lines_;
};

}  // namespace apical::bridge::test
