#pragma once
// Kills a session writer the hard way for the crash tests: the writer runs in a forked child that
// reports through a pipe, and the parent ends it with SIGKILL while its file is open.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>

#include "nwb_test_session.hpp"

namespace apical::test {

// Ends the calling child process's life in waiting for SIGKILL: call it while the writer is open (a
// writer that goes out of scope closes its file, flushing everything).
[[noreturn]] inline void wait_to_be_killed() {
  for (;;) pause();
}

// Forks; the child runs `write(report)` (report: a pipe to write lines to), which ends in
// wait_to_be_killed() or in an endless loop.
// The parent calls `before_kill(reports)` (reports: the pipe's reading end; it returns what it read),
// kills the child with SIGKILL, and returns everything the child reported.
inline std::string run_and_kill(const std::function<void(int)>& write,
                                const std::function<std::string(int)>& before_kill) {
  int ends[2];
  if (pipe(ends) != 0) throw std::runtime_error("pipe failed");
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    close(ends[0]);
    try {
      write(ends[1]);
    } catch (const std::exception& error) {
      dprintf(ends[1], "error %s\n", error.what());
    }
    _exit(1);
  }
  close(ends[1]);
  std::string report = before_kill(ends[0]);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  char buffer[256];
  for (ssize_t n; (n = read(ends[0], buffer, sizeof buffer)) > 0;) report.append(buffer, static_cast<std::size_t>(n));
  close(ends[0]);
  return report;
}

// Reads from `reports` until a line containing `word` has arrived; returns what was read.
inline std::string read_until(int reports, const std::string& word) {
  std::string text;
  char c;
  while (text.find(word) == std::string::npos && read(reports, &c, 1) == 1) text += c;
  while (!text.empty() && text.back() != '\n' && read(reports, &c, 1) == 1) text += c;
  return text;
}

// A writer with only explicit flushes that flushes after `first` frames and after `second`, appends
// `unflushed` more frames (with their events), and is killed. Returns the child's report:
// "flushed <first>\nflushed <second>\nappended <second + unflushed>\n".
inline std::string write_flush_and_kill(const std::string& path, std::size_t first, std::size_t second,
                                        std::size_t unflushed) {
  return run_and_kill(
      [&](int report) {
        nwb::WriterOptions options;
        options.flush_interval = std::chrono::hours(1);
        nwb::SessionWriter writer(path, nwb_session_info(), options);
        std::size_t k = 0;
        for (const std::size_t until : {first, second}) {
          for (; k < until; ++k) nwb_append_frame_and_events(writer, k);
          writer.flush();
          dprintf(report, "flushed %llu\n", static_cast<unsigned long long>(writer.flushed_frames()));
        }
        for (; k < second + unflushed; ++k) nwb_append_frame_and_events(writer, k);
        dprintf(report, "appended %zu\n", k);
        wait_to_be_killed();
      },
      [](int reports) { return read_until(reports, "appended"); });
}

}  // namespace apical::test
