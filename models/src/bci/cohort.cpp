// Cohort of virtual mice on parallel_for; see cohort.hpp.
#include "apical/models/bci/cohort.hpp"

#include <stdexcept>

#include "apical/engine/parallel_for.hpp"
#include "apical/models/bci/virtual_mouse.hpp"

namespace apical::bci {

namespace {

void check(const ExperimentSpec& spec, const CohortOptions& options) {
  validate(spec);
  if (options.mice == 0) throw std::invalid_argument("CohortOptions.mice must be >= 1");
  if (options.threads == 0) throw std::invalid_argument("CohortOptions.threads must be >= 1");
}

}  // namespace

std::vector<MouseSetup> run_cohort(const ExperimentSpec& spec, const CohortOptions& options, const CohortSink& sink,
                                   const CohortProgress& progress) {
  check(spec, options);
  std::vector<MouseSetup> setups(options.mice);
  parallel_for(options.mice, options.threads, [&](std::size_t m) {
    const std::uint64_t mouse = options.first_mouse + m;
    DayProgress day_progress;
    if (progress) day_progress = [&, mouse](int day) { progress(mouse, day); };
    setups[m] = simulate_mouse(spec, mouse, sink, day_progress);
  });
  return setups;
}

std::vector<MouseRecord> run_cohort(const ExperimentSpec& spec, const CohortOptions& options,
                                    const CohortProgress& progress) {
  check(spec, options);
  std::vector<MouseRecord> records(options.mice);
  parallel_for(options.mice, options.threads, [&](std::size_t m) {
    const std::uint64_t mouse = options.first_mouse + m;
    DayProgress day_progress;
    if (progress) day_progress = [&, mouse](int day) { progress(mouse, day); };
    records[m] = simulate_mouse(spec, mouse, day_progress);
  });
  return records;
}

}  // namespace apical::bci
