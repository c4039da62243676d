#pragma once
// Small virtual mice for the BCI tests: 3 P+, 3 P−, 10 P0, 400 inputs, short calibration and
// sessions, no chance level, so that a mouse-day costs well under a second.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "apical/models/bci/cohort.hpp"
#include "apical/models/bci/virtual_mouse.hpp"

namespace apical::bci::test {

inline ExperimentSpec small_spec(const std::string& rule, int days = 4, double session_min = 5.0) {
  ExperimentSpec s;
  s.field_of_view = {3, 3, 10};
  s.learning.rule = rule;
  s.schedule.days = days;
  s.schedule.session_min = session_min;
  s.schedule.calibration_min = 5.0;
  s.loop.chance_repetitions = 0;
  s.seed = 2026;
  return s;
}

// Whether a trace lost a sample (NaN: a row under the PMT gate).
inline bool has_missing_sample(const std::vector<double>& trace) {
  return std::any_of(trace.begin(), trace.end(), [](double v) { return std::isnan(v); });
}

inline double mean_rate(const SessionRecord& s, loop::Role role) {
  double sum = 0;
  int n = 0;
  for (const NeuronTrace& t : s.neurons)
    if (t.role == role) sum += t.rate_hz, ++n;
  return n ? sum / n : 0.0;
}

// Hits and decided trials pooled over the sessions of days [first, last] (1-based) of every mouse.
inline double pooled_accuracy(const MouseRecord& m, int first, int last) {
  std::size_t hits = 0, decided = 0;
  for (const SessionRecord& s : m.sessions)
    if (s.day >= first && s.day <= last) hits += s.hits, decided += s.hits + s.misses;
  return decided ? static_cast<double>(hits) / static_cast<double>(decided) : 0.0;
}

}  // namespace apical::bci::test
