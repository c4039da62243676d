#pragma once
// Executing the runs of a sweep: the plan (which runs still need executing), a local pool of worker
// threads, and the OpenMPI backend (rank 0 hands out runs and gathers their outcomes). Both give the
// same outcomes, in grid order, whatever the number of threads or ranks: every run is a pure function
// of its scenario and seed, executed on one thread, and its outcome is read back from its folder.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "apical/sweep/run_folder.hpp"
#include "apical/sweep/sweep_file.hpp"

namespace apical::sweep {

// Which runs to execute: one per distinct folder (two runs with the same resolved scenario share
// it), loadable, not finished; in grid order.
struct Plan {
  std::vector<std::size_t> pending;  // run indices to execute
  std::size_t finished = 0;          // distinct folders already finished (skipped)
  std::size_t not_loading = 0;       // runs whose scenario does not load (failed without executing)
};
Plan plan_runs(const std::string& out, const std::vector<Run>& runs);

struct SweepOptions {
  unsigned threads = 1;         // local worker threads (≥ 1); each executes one run at a time
  Simulate simulate = simulate_cohort;
  // Each run in a child process (execute_run_isolated), so that a crash fails that run only. Off only
  // for simulations that must run in this process (tests that count their calls).
  bool isolate_runs = true;
  // After each executed run, with the count done so far and the number pending; from worker
  // threads, one call at a time.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct SweepResult {
  std::vector<Outcome> outcomes;  // one per run, grid order
  std::size_t executed = 0;       // runs executed now
  std::size_t skipped = 0;        // distinct folders found finished
};

// Executes one run as the options say (isolated or not); never throws: an error outside the run's own
// (e.g. bad_alloc, a failed fork) is its outcome.
Outcome execute_for_sweep(const std::string& out, const Run& run, const SweepOptions& options);

// The outcome of every run: `executed` holds those of the runs just executed (by index, others
// empty); the rest are read from their folders, and a run sharing the folder of an executed one
// takes its outcome.
std::vector<Outcome> assemble_outcomes(const std::string& out, const std::vector<Run>& runs,
                                       const std::vector<std::optional<Outcome>>& executed);

// Executes the plan on `options.threads` threads, then assembles every outcome.
SweepResult run_local(const std::vector<Run>& runs, const std::string& out, const SweepOptions& options);

// ---------------------------------------------------------------------------------------- MPI

// Whether this apical was built with the MPI backend.
bool mpi_built_in();

// The number of processes of the MPI job this process was started in, from the launcher's
// environment (OMPI_COMM_WORLD_SIZE of OpenMPI's mpirun, PMI_SIZE of MPICH and srun); 0 if none.
int launcher_world_size();

// MPI_Init_thread (MPI_THREAD_FUNNELED) for the object's lifetime, MPI_Finalize at its end. Without
// the MPI backend the constructor throws std::runtime_error.
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  [[nodiscard]] int rank() const { return rank_; }
  [[nodiscard]] int size() const { return size_; }
  // Whether every rank passed true (collective).
  [[nodiscard]] bool all(bool ok) const;
  // Ends every rank of the job (after an unrecoverable error on rank 0).
  [[noreturn]] void abort(int code) const;

 private:
  int rank_ = 0, size_ = 1;
};

// Collective. Rank 0 executes runs on one worker thread and hands the others, one at a time, to the
// ranks that ask (its main thread only communicates); every other rank executes what it is handed
// and sends back the outcome. Rank 0 returns the sweep's result; the others return an empty one.
// `options.threads` is not used (one run per rank at a time); progress is called on rank 0.
SweepResult run_mpi(const MpiSession& mpi, const std::vector<Run>& runs, const std::string& out,
                    const SweepOptions& options);

}  // namespace apical::sweep
