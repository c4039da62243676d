#include "apical/bridge/stimulus_output.hpp"

#include <cstdio>

namespace apical::bridge {

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

std::string stimulus_line(const StimulusCommand& c) {
  char angle[32];
  if (c.stimulus.black) std::snprintf(angle, sizeof angle, "black");
  else std::snprintf(angle, sizeof angle, "%.3f", c.stimulus.angle_deg);
  return "APICAL-STIM/1 " + std::to_string(c.frame) + " " + std::to_string(c.trial) + " " + task_state_name(c.state) +
         " " + angle + " " + (c.reward ? "1" : "0");
}

}  // namespace apical::bridge
