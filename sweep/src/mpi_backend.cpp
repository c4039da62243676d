// The OpenMPI backend of apical sweep. Only rank 0's main thread calls MPI (MPI_THREAD_FUNNELED):
// it polls for messages from the other ranks, answers each with the next pending run (or -1: no more
// work), and stores the outcomes they send; its own worker thread meanwhile executes runs from the
// same queue. A worker rank sends an empty "ready" message, then executes each run it is handed and
// sends "<index>\n<outcome JSON>" back, until it is handed -1.
#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "apical/sweep/sweep_runner.hpp"

namespace apical::sweep {
namespace {

constexpr int tag_outcome = 1;  // worker → rank 0: "" or "<index>\n<outcome JSON>"
constexpr int tag_assign = 2;   // rank 0 → worker: one int64, a run index or -1

void check(int code, const char* what) {
  if (code != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

void work_as_rank(const std::vector<Run>& runs, const std::string& out, const SweepOptions& options) {
  std::string message;  // the first one, empty, asks for work
  while (true) {
    check(MPI_Send(message.data(), static_cast<int>(message.size()), MPI_CHAR, 0, tag_outcome, MPI_COMM_WORLD),
          "MPI_Send");
    std::int64_t index = -1;
    check(MPI_Recv(&index, 1, MPI_INT64_T, 0, tag_assign, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
    if (index < 0 || static_cast<std::size_t>(index) >= runs.size()) return;
    const Outcome outcome = execute_for_sweep(out, runs[static_cast<std::size_t>(index)], options);
    message = std::to_string(index) + "\n" + outcome_to_json(outcome);
  }
}

}  // namespace

bool mpi_built_in() { return true; }

MpiSession::MpiSession() {
  int initialized = 0;
  check(MPI_Initialized(&initialized), "MPI_Initialized");
  if (initialized) throw std::logic_error("MpiSession: MPI is already initialised");
  int provided = 0;
  check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Finalize();
    throw std::runtime_error("the MPI library does not provide MPI_THREAD_FUNNELED");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

bool MpiSession::all(bool ok) const {
  int mine = ok ? 1 : 0, every = 0;
  check(MPI_Allreduce(&mine, &every, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD), "MPI_Allreduce");
  return every != 0;
}

void MpiSession::abort(int code) const {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

SweepResult run_mpi(const MpiSession& mpi, const std::vector<Run>& runs, const std::string& out,
                    const SweepOptions& options) {
  if (mpi.rank() != 0) {
    work_as_rank(runs, out, options);
    return {};
  }
  const Plan plan = plan_runs(out, runs);
  std::vector<std::optional<Outcome>> executed(runs.size());
  std::mutex mutex;  // guards next, done, executed and the progress callback
  std::size_t next = 0, done = 0;
  const auto take = [&]() -> std::int64_t {
    const std::lock_guard<std::mutex> lock(mutex);
    return next < plan.pending.size() ? static_cast<std::int64_t>(plan.pending[next++]) : -1;
  };
  const auto store = [&](std::size_t index, Outcome outcome) {
    const std::lock_guard<std::mutex> lock(mutex);
    executed[index] = std::move(outcome);
    ++done;
    if (options.progress) options.progress(done, plan.pending.size());
  };

  std::jthread local([&] {
    for (std::int64_t index = take(); index >= 0; index = take())
      store(static_cast<std::size_t>(index),
            execute_for_sweep(out, runs[static_cast<std::size_t>(index)], options));
  });

  int active = mpi.size() - 1;
  std::string buffer;
  while (active > 0) {
    int arrived = 0;
    MPI_Status status;
    check(MPI_Iprobe(MPI_ANY_SOURCE, tag_outcome, MPI_COMM_WORLD, &arrived, &status), "MPI_Iprobe");
    if (!arrived) {
      // Polling keeps this thread off the core that rank 0's worker uses (a blocking receive spins).
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    int count = 0;
    MPI_Get_count(&status, MPI_CHAR, &count);
    buffer.assign(static_cast<std::size_t>(count), '\0');
    check(MPI_Recv(buffer.data(), count, MPI_CHAR, status.MPI_SOURCE, tag_outcome, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
          "MPI_Recv");
    if (!buffer.empty()) {
      const std::size_t newline = buffer.find('\n');
      const auto index = static_cast<std::size_t>(std::stoull(buffer.substr(0, newline)));
      if (newline == std::string::npos || index >= runs.size())
        throw std::runtime_error("MPI: malformed outcome from rank " + std::to_string(status.MPI_SOURCE));
      store(index, outcome_from_json(buffer.substr(newline + 1)));
    }
    const std::int64_t index = take();
    check(MPI_Send(&index, 1, MPI_INT64_T, status.MPI_SOURCE, tag_assign, MPI_COMM_WORLD), "MPI_Send");
    if (index < 0) --active;
  }
  local.join();

  SweepResult result;
  result.outcomes = assemble_outcomes(out, runs, executed);
  result.executed = plan.pending.size();
  result.skipped = plan.finished;
  return result;
}

}  // namespace apical::sweep
