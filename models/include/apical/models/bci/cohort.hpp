#pragma once
// A cohort of virtual mice (experiment.md §8: n = 6 for the BCI learning cohort), one task per mouse
// on apical::parallel_for. Mouse m is simulate_mouse(spec, first_mouse + m): its random numbers
// derive from (spec.seed, mouse index) only (virtual_mouse.hpp), so every mouse's record is the
// same whatever the thread count or the order in which mice finish.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "apical/models/bci/experiment_spec.hpp"
#include "apical/models/bci/records.hpp"

namespace apical::bci {

struct CohortOptions {
  std::size_t mice = 6;           // [P]
  std::uint64_t first_mouse = 0;  // mouse indices first_mouse … first_mouse + mice − 1
  unsigned threads = 2;           // ≥ 1
};

// progress(mouse, day): day 0 after the mouse's calibration, then 1 … days. Called from worker
// threads, possibly concurrently: the callback must be thread-safe (e.g. guard a progress bar).
using CohortProgress = std::function<void(std::uint64_t mouse, int day)>;
// Each finished session, from worker threads, possibly concurrently (must be thread-safe).
using CohortSink = std::function<void(const MouseSetup& setup, SessionRecord&& session)>;

// Streams sessions to the sink; returns the mice's setups in mouse order.
std::vector<MouseSetup> run_cohort(const ExperimentSpec& spec, const CohortOptions& options, const CohortSink& sink,
                                   const CohortProgress& progress = {});
// Keeps everything in memory (mind the size: about 22 MB per 30-min session of 50 neurons).
std::vector<MouseRecord> run_cohort(const ExperimentSpec& spec, const CohortOptions& options,
                                    const CohortProgress& progress = {});

}  // namespace apical::bci
