#include "apical/io/session_conversion.hpp"

namespace apical {
namespace {

static_assert(static_cast<int>(loop::TaskState::open) + 1 == static_cast<int>(analysis::TrialState::open));
static_assert(static_cast<int>(loop::TaskState::fail) + 1 == static_cast<int>(analysis::TrialState::fail));
static_assert(bci::frame_flag::hit == analysis::frame_flag::hit);
static_assert(bci::frame_flag::reward == analysis::frame_flag::reward);

analysis::Outcome outcome_of(bci::TrialOutcome outcome) {
  switch (outcome) {
    case bci::TrialOutcome::hit: return analysis::Outcome::hit;
    case bci::TrialOutcome::miss: return analysis::Outcome::miss;
    case bci::TrialOutcome::incomplete: break;
  }
  return analysis::Outcome::incomplete;
}

}  // namespace

analysis::Session to_analysis_session(const bci::SessionRecord& record) {
  analysis::Session out;
  out.mouse_id = record.mouse_id;
  out.day = record.day;
  out.session = record.session;
  out.frame_rate_hz = record.frame_rate_hz;
  out.neurons.reserve(record.neurons.size());
  for (const bci::NeuronTrace& n : record.neurons) out.neurons.push_back({n.id, n.role, n.soma_dff, n.dendrite_dff});
  out.decoder_z = record.decoder_z;
  out.error = record.error;
  out.state.reserve(record.state.size());
  for (loop::TaskState s : record.state) out.state.push_back(static_cast<analysis::TrialState>(static_cast<int>(s) + 1));
  out.flags = record.flags;
  out.opto = record.opto;
  out.trials.reserve(record.trials.size());
  for (const bci::TrialRow& t : record.trials)
    out.trials.push_back({t.start_frame, t.end_frame, t.hit_frame, t.reward_frame, outcome_of(t.outcome)});
  out.chance_baseline = record.chance_baseline;
  out.chance = record.chance;
  return out;
}

}  // namespace apical
