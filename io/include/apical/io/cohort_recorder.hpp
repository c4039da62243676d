#pragma once
// The sink of a BCI cohort run (bci::run_cohort): writes each finished session into the mouse's HDF5
// file (mice/mNN.h5, layout in bci_mouse_file.hpp) as it arrives, and keeps only one small table row per
// session and per trial, so memory stays bounded however long the run. Thread-safe: run_cohort calls
// it from several worker threads at once.
//
//   days.csv    mouse,day,session,trials,hits,misses,accuracy,rewards_per_min,chance,chance_baseline,
//               reward_baseline,rate_plus_hz,rate_minus_hz,rate_zero_hz (mean true spike rate of each
//               role's neurons); chance on the session's own traces, chance_baseline on the calibration
//               block in force (records.hpp)
//   trials.csv  mouse,day,session,trial,start_frame,end_frame,hit_frame,reward_frame,outcome
// Both are sorted by mouse, day and session, so they do not depend on the thread count.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "apical/models/bci/records.hpp"

namespace apical {

struct SessionRow {
  std::uint64_t mouse = 0;  // mouse index (sort key)
  std::string mouse_id;
  std::int32_t day = 1, session = 0;
  std::size_t trials = 0, hits = 0, misses = 0;
  double accuracy = 0, rewards_per_min = 0, chance = 0, chance_baseline = 0, reward_baseline = 0;
  double rate_plus_hz = 0, rate_minus_hz = 0, rate_zero_hz = 0;
};

struct TrialCsvRow {
  std::uint64_t mouse = 0;
  std::string mouse_id;
  std::int32_t day = 1, session = 0;
  std::size_t trial = 0;  // index within the session
  bci::TrialRow row;
};

class CohortRecorder {
 public:
  // Creates `folder`/mice. `scenario` is written into every mouse file.
  CohortRecorder(std::string folder, std::string scenario);

  // The run_cohort sink. Creates the mouse's file on its first session.
  void record(const bci::MouseSetup& setup, bci::SessionRecord&& session);

  // The rows so far, sorted by mouse, day, session (and trial).
  [[nodiscard]] std::vector<SessionRow> session_rows() const;
  [[nodiscard]] std::vector<TrialCsvRow> trial_rows() const;
  // The mouse files written, sorted by mouse index.
  [[nodiscard]] std::vector<std::string> mouse_files() const;

  // Writes days.csv and trials.csv into the folder; returns their paths.
  [[nodiscard]] std::vector<std::string> write_tables() const;

 private:
  std::string folder_, scenario_;
  mutable std::mutex mutex_;  // guards the members below (HDF5 has its own lock)
  std::map<std::uint64_t, std::string> files_;
  std::vector<SessionRow> sessions_;
  std::vector<TrialCsvRow> trials_;
};

const char* outcome_name(bci::TrialOutcome outcome);  // "hit", "miss", "incomplete"

}  // namespace apical
