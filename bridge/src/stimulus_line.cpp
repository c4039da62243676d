#include "apical/bridge/stimulus_line.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace apical::bridge {
namespace {

constexpr std::string_view tag_prefix = "APICAL-STIM/";
constexpr std::array<loop::TaskState, 6> states{loop::TaskState::open, loop::TaskState::hit, loop::TaskState::reward,
                                                loop::TaskState::show, loop::TaskState::blank_ok, loop::TaskState::fail};
constexpr std::array<loop::Outcome, 3> outcomes{loop::Outcome::pending, loop::Outcome::hit, loop::Outcome::fail};

// The shortest text that reads back to the same double (nan and inf as "nan", "inf").
std::string exact(double value) {
  std::array<char, 32> text{};
  const auto [end, error] = std::to_chars(text.data(), text.data() + text.size(), value);
  return std::string(text.data(), error == std::errc{} ? end : text.data());
}

std::string events(const StimulusCommand& c) {
  std::string out;
  const auto add = [&](bool set, const char* name) {
    if (!set) return;
    if (!out.empty()) out += ',';
    out += name;
  };
  add(c.trial_start, "trial_start");
  add(c.hit, "hit");
  add(c.timeout, "timeout");
  add(c.trial_end, "trial_end");
  return out.empty() ? "-" : out;
}

[[noreturn]] void malformed(const std::string& field, std::string_view text, const std::string& expected) {
  throw std::invalid_argument("APICAL-STIM line: " + field + " '" + std::string(text) + "' is not " + expected);
}

template <class Number>
Number number(const std::string& field, std::string_view text) {
  Number v{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (error != std::errc{} || end != text.data() + text.size()) malformed(field, text, "a number");
  return v;
}

bool zero_or_one(const std::string& field, std::string_view text) {
  if (text == "0" || text == "1") return text == "1";
  malformed(field, text, "0 or 1");
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && text[at] == separator) ++at;
    const std::size_t end = std::min(text.find(separator, at), text.size());
    if (end > at) out.push_back(text.substr(at, end - at));
    at = end;
  }
  return out;
}

void read_events(std::string_view text, StimulusCommand& c) {
  if (text == "-") return;
  for (std::string_view e : split(text, ',')) {
    if (e == "trial_start") c.trial_start = true;
    else if (e == "hit") c.hit = true;
    else if (e == "timeout") c.timeout = true;
    else if (e == "trial_end") c.trial_end = true;
    else malformed("events", e, "trial_start, hit, timeout or trial_end");
  }
}

}  // namespace

const char* task_state_name(loop::TaskState state) {
  switch (state) {
    case loop::TaskState::open: return "open";
    case loop::TaskState::hit: return "hit";
    case loop::TaskState::reward: return "reward";
    case loop::TaskState::show: return "show";
    case loop::TaskState::blank_ok: return "blank_ok";
    case loop::TaskState::fail: return "fail";
  }
  return "?";
}

const char* outcome_name(loop::Outcome outcome) {
  switch (outcome) {
    case loop::Outcome::pending: return "pending";
    case loop::Outcome::hit: return "hit";
    case loop::Outcome::fail: return "fail";
  }
  return "?";
}

StimulusCommand stimulus_command(const loop::TaskFrame& task, const loop::DecoderOutput& decision, std::uint64_t source_seq) {
  StimulusCommand c;
  c.frame = task.frame;
  c.trial = task.trial;
  c.state = task.state;
  c.stimulus = task.stimulus;
  c.reward = task.reward_command;
  c.source_seq = source_seq;
  c.trial_start = task.trial_start;
  c.hit = task.hit;
  c.timeout = task.timeout;
  c.trial_end = task.trial_end;
  c.outcome = task.outcome;
  c.decision = decision;
  return c;
}

std::string stimulus_line(const StimulusCommand& c, int version) {
  if (version != 1 && version != 2) throw std::invalid_argument("APICAL-STIM: no version " + std::to_string(version));
  char angle[32];
  if (c.stimulus.black) std::snprintf(angle, sizeof angle, "black");
  else std::snprintf(angle, sizeof angle, "%.3f", c.stimulus.angle_deg);
  std::string line = std::string(tag_prefix) + std::to_string(version) + " " + std::to_string(c.frame) + " " +
                     std::to_string(c.trial) + " " + task_state_name(c.state) + " " + angle + " " + (c.reward ? "1" : "0");
  if (version == 1) return line;
  const loop::DecoderOutput& d = c.decision;
  return line + " seq=" + std::to_string(c.source_seq) + " events=" + events(c) + " outcome=" + outcome_name(c.outcome) +
         " x=" + exact(d.x) + " x_bar=" + exact(d.x_bar) + " z=" + exact(d.z) + " bin=" + std::to_string(d.bin) +
         " decoder_angle=" + exact(d.angle_deg) + " error=" + exact(d.error);
}

StimulusMessage parse_stimulus_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  const std::vector<std::string_view> fields = split(line, ' ');
  if (fields.empty() || !fields[0].starts_with(tag_prefix))
    malformed("the tag", fields.empty() ? line : fields[0], "APICAL-STIM/<version>");
  StimulusMessage m;
  m.version = number<int>("the version", fields[0].substr(tag_prefix.size()));
  if (m.version < 1) malformed("the version", fields[0], "1 or later");
  if (fields.size() < 6)
    throw std::invalid_argument("APICAL-STIM line: " + std::to_string(fields.size()) + " fields, at least 6 expected");
  StimulusCommand& c = m.command;
  c.frame = number<std::uint64_t>("frame", fields[1]);
  c.trial = number<std::size_t>("trial", fields[2]);
  bool known_state = false;
  for (loop::TaskState s : states)
    if (fields[3] == task_state_name(s)) c.state = s, known_state = true;
  if (!known_state) malformed("state", fields[3], "open, hit, reward, show, blank_ok or fail");
  if (fields[4] == "black") c.stimulus = {true, 0.0};
  else c.stimulus = {false, number<double>("angle_deg", fields[4])};
  c.reward = zero_or_one("reward", fields[5]);
  if (m.version == 1) return m;

  // Version 2 and later: key=value fields; every key version 2 defines must be there, others are skipped.
  std::array<bool, 9> seen{};
  const std::array<std::string_view, 9> keys{"seq", "events", "outcome", "x", "x_bar", "z", "bin", "decoder_angle", "error"};
  loop::DecoderOutput& d = c.decision;
  for (std::size_t f = 6; f < fields.size(); ++f) {
    const std::size_t eq = fields[f].find('=');
    if (eq == std::string_view::npos) malformed("field " + std::to_string(f + 1), fields[f], "key=value");
    const std::string_view key = fields[f].substr(0, eq), value = fields[f].substr(eq + 1);
    const std::string name(key);
    std::size_t which = keys.size();
    for (std::size_t k = 0; k < keys.size(); ++k)
      if (key == keys[k]) which = k;
    if (which == keys.size()) continue;
    seen[which] = true;
    switch (which) {
      case 0: c.source_seq = number<std::uint64_t>(name, value); break;
      case 1: read_events(value, c); break;
      case 2: {
        bool known = false;
        for (loop::Outcome o : outcomes)
          if (value == outcome_name(o)) c.outcome = o, known = true;
        if (!known) malformed(name, value, "pending, hit or fail");
        break;
      }
      case 3: d.x = number<double>(name, value); break;
      case 4: d.x_bar = number<double>(name, value); break;
      case 5: d.z = number<double>(name, value); break;
      case 6: d.bin = number<int>(name, value); break;
      case 7: d.angle_deg = number<double>(name, value); break;
      case 8: d.error = number<double>(name, value); break;
    }
  }
  for (std::size_t k = 0; k < keys.size(); ++k)
    if (!seen[k])
      throw std::invalid_argument("APICAL-STIM/" + std::to_string(m.version) + " line without " + std::string(keys[k]) + "=");
  if (d.bin < 0 || d.bin > loop::Decoder::edge_count) malformed("bin", std::to_string(d.bin), "within 0 … 6");
  // What the decoder derives from these (decoder.hpp): ε in degrees, and z ≥ θ exactly when the bin is the last.
  d.error_deg = loop::Decoder::target_angle_deg - d.angle_deg;
  d.at_target = d.bin == loop::Decoder::edge_count;
  return m;
}

loop::TaskFrame task_frame_of(const StimulusCommand& c) {
  loop::TaskFrame t;
  t.frame = static_cast<std::size_t>(c.frame);
  t.state = c.state;
  t.trial = c.trial;
  t.stimulus = c.stimulus;
  t.trial_start = c.trial_start;
  t.hit = c.hit;
  t.timeout = c.timeout;
  t.reward_command = c.reward;
  t.trial_end = c.trial_end;
  t.outcome = c.outcome;
  return t;
}

}  // namespace apical::bridge
