// Executing one run in a child process, so that a run that crashes (a signal, an abort, the
// out-of-memory killer) fails that run only and the sweep goes on.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>

#include "apical/sweep/run_folder.hpp"

namespace apical::sweep {
namespace {

// How the child ended, in words for sweep.csv's error column.
std::string describe_abnormal_end(int status) {
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    return "crashed: killed by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
  }
  return "crashed: its process exited with status " + std::to_string(WEXITSTATUS(status));
}

}  // namespace

Outcome execute_run_isolated(const std::string& out, const Run& run, const Simulate& simulate) {
  if (!run.loads()) return read_outcome(out, run);
  std::cout.flush();  // what the parent buffered must not be written twice
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error(std::string("cannot start a process for the run: ") + std::strerror(errno));
  if (child == 0) {
    // The child writes the run's folder and markers, then leaves without the parent's exit handlers
    // (MPI, HDF5 and static destructors belong to the parent).
    int code = 0;
    try {
      (void)execute_run(out, run, simulate);
    } catch (...) {
      code = 1;
    }
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    ::_exit(code);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error(std::string("lost the run's process: ") + std::strerror(errno));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return read_outcome(out, run);
  Outcome crashed{RunStatus::failed, describe_abnormal_end(status), {}};
  record_failure(out, run, crashed.error);
  return crashed;
}

}  // namespace apical::sweep
