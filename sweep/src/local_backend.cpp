// The plan of a sweep, the assembly of its outcomes, and the local pool of worker threads.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "apical/sweep/sweep_runner.hpp"

namespace apical::sweep {

Plan plan_runs(const std::string& out, const std::vector<Run>& runs) {
  Plan plan;
  std::set<std::string> seen;
  for (const Run& r : runs) {
    if (!r.loads()) {
      ++plan.not_loading;
      continue;
    }
    if (!seen.insert(r.folder).second) continue;  // same scenario and seed as an earlier run
    if (run_finished(out, r)) ++plan.finished;
    else plan.pending.push_back(r.index);
  }
  return plan;
}

std::vector<Outcome> assemble_outcomes(const std::string& out, const std::vector<Run>& runs,
                                       const std::vector<std::optional<Outcome>>& executed) {
  std::map<std::string, const Outcome*> by_folder;
  for (std::size_t i = 0; i < runs.size() && i < executed.size(); ++i)
    if (executed[i] && runs[i].loads()) by_folder.emplace(runs[i].folder, &*executed[i]);
  std::vector<Outcome> outcomes;
  outcomes.reserve(runs.size());
  for (const Run& r : runs) {
    const auto it = r.loads() ? by_folder.find(r.folder) : by_folder.end();
    outcomes.push_back(it != by_folder.end() ? *it->second : read_outcome(out, r));
  }
  return outcomes;
}

Outcome execute_for_sweep(const std::string& out, const Run& run, const SweepOptions& options) {
  try {
    return options.isolate_runs ? execute_run_isolated(out, run, options.simulate)
                                : execute_run(out, run, options.simulate);
  } catch (const std::exception& e) {  // the run's own failures are recorded inside; this is e.g. bad_alloc
    return {RunStatus::failed, e.what(), {}};
  }
}

SweepResult run_local(const std::vector<Run>& runs, const std::string& out, const SweepOptions& options) {
  if (options.threads == 0) throw std::invalid_argument("run_local: threads must be >= 1");
  const Plan plan = plan_runs(out, runs);
  std::vector<std::optional<Outcome>> executed(runs.size());
  std::atomic<std::size_t> next{0};
  std::mutex mutex;  // guards `done` and the progress callback
  std::size_t done = 0;
  const auto work = [&] {
    for (std::size_t k = next++; k < plan.pending.size(); k = next++) {
      const std::size_t index = plan.pending[k];
      executed[index] = execute_for_sweep(out, runs[index], options);  // one slot per run: no race
      const std::lock_guard<std::mutex> lock(mutex);
      ++done;
      if (options.progress) options.progress(done, plan.pending.size());
    }
  };
  const std::size_t threads = std::min<std::size_t>(options.threads, std::max<std::size_t>(plan.pending.size(), 1));
  {
    std::vector<std::jthread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
  }
  SweepResult result;
  result.outcomes = assemble_outcomes(out, runs, executed);
  result.executed = plan.pending.size();
  result.skipped = plan.finished;
  return result;
}

int launcher_world_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    const char* value = std::getenv(name);
    if (value && *value) {
      const int n = std::atoi(value);
      if (n > 0) return n;
    }
  }
  return 0;
}

}  // namespace apical::sweep
