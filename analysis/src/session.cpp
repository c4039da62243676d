#include "apical/analysis/session.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>

namespace apical::analysis {

const char* role_name(Role role) {
  switch (role) {
    case Role::plus: return "P+";
    case Role::minus: return "P-";
    case Role::zero: return "P0";
  }
  return "?";
}

bool passes(OptoFilter filter, bool opto_on) {
  switch (filter) {
    case OptoFilter::all: return true;
    case OptoFilter::off: return !opto_on;
    case OptoFilter::on: return opto_on;
  }
  return false;
}

namespace {

[[noreturn]] void fail(const Session& s, const std::string& what) {
  std::ostringstream msg;
  msg << s.mouse_id << " day " << s.day << " session " << s.session << ": " << what;
  throw std::invalid_argument(msg.str());
}

void check_length(const Session& s, const std::string& field, std::size_t n, bool may_be_empty) {
  if (n == s.frames() || (may_be_empty && n == 0)) return;
  fail(s, field + " has " + std::to_string(n) + " frames, expected " + std::to_string(s.frames()));
}

}  // namespace

void validate(const Session& s) {
  if (s.mouse_id.empty()) fail(s, "mouse_id is empty");
  if (!(s.frame_rate_hz > 0.0) || !std::isfinite(s.frame_rate_hz)) fail(s, "frame_rate_hz must be positive");
  if (s.frames() == 0) fail(s, "decoder_z is empty (no frames)");
  check_length(s, "error", s.error.size(), false);
  check_length(s, "state", s.state.size(), false);
  check_length(s, "flags", s.flags.size(), true);
  check_length(s, "opto", s.opto.size(), true);
  std::set<std::int32_t> ids;
  for (std::size_t i = 0; i < s.neurons.size(); ++i) {
    const NeuronRecord& n = s.neurons[i];
    const std::string name = "neurons[" + std::to_string(i) + "]";
    if (!ids.insert(n.id).second) fail(s, name + ".id " + std::to_string(n.id) + " is used twice");
    check_length(s, name + ".soma_dff", n.soma_dff.size(), false);
    check_length(s, name + ".dendrite_dff", n.dendrite_dff.size(), true);
  }
  const auto frames = static_cast<std::int64_t>(s.frames());
  std::int64_t previous_end = 0;
  for (std::size_t t = 0; t < s.trials.size(); ++t) {
    const Trial& tr = s.trials[t];
    const std::string name = "trials[" + std::to_string(t) + "]";
    if (tr.start_frame < 0) fail(s, name + ".start_frame is negative");
    if (tr.start_frame < previous_end) fail(s, name + ".start_frame overlaps the previous trial");
    if (tr.outcome == Outcome::incomplete && tr.end_frame == -1) {  // the window ran to the session end
      if (tr.start_frame > frames) fail(s, name + ".start_frame is past the last frame");
      previous_end = frames;
      continue;
    }
    if (tr.end_frame < tr.start_frame || tr.end_frame > frames)
      fail(s, name + ".end_frame " + std::to_string(tr.end_frame) + " is outside [start_frame, frames]");
    if (tr.outcome == Outcome::hit && tr.hit_frame != tr.end_frame)
      fail(s, name + ".hit_frame must equal end_frame for a hit");
    if (tr.outcome != Outcome::hit && tr.hit_frame >= 0) fail(s, name + ".hit_frame set on a trial that is not a hit");
    if (tr.reward_frame >= frames) fail(s, name + ".reward_frame is past the last frame");
    previous_end = tr.end_frame;
  }
}

void validate(const Cohort& cohort) {
  std::set<std::tuple<std::string, std::int32_t, std::int32_t>> keys;
  for (const Session& s : cohort.sessions) {
    validate(s);
    if (!keys.insert({s.mouse_id, s.day, s.session}).second) fail(s, "mouse/day/session appears twice in the cohort");
  }
}

std::vector<std::string> mouse_ids(const Cohort& cohort) {
  std::set<std::string> ids;
  for (const Session& s : cohort.sessions) ids.insert(s.mouse_id);
  return {ids.begin(), ids.end()};
}

std::vector<std::int32_t> days(const Cohort& cohort) {
  std::set<std::int32_t> d;
  for (const Session& s : cohort.sessions) d.insert(s.day);
  return {d.begin(), d.end()};
}

}  // namespace apical::analysis
