#pragma once
// Synthetic BCI sessions with known ground truth, for the analysis tests. Not a model of the cells:
// transients are planted directly as GCaMP-like kernels (instant rise, exponential decay), so every
// analysis has an answer known in advance.
//
// Per neuron, events arrive as a Poisson process (rate by role) thinned to ≥ 3 s apart, plus optional
// outcome-locked events 2–25 frames after each trial end. Each event has a proximal amplitude
// A_prox ~ U(0.4, 1.0) and a distal amplitude
//   A_dist = a + b·A_prox + residual,  residual = N(0, residual_noise)
//            + contrast·s_role·s_epoch        (s_role = +1 P+, −1 P−, 0 P0; s_epoch = +1 in error-
//                                              reduction frames, −1 in error-increase frames, 0 else)
//            + outcome_signal·(+1 hit, −1 miss) for the outcome-locked events,
// multiplied by opto_dendrite_gain on LED frames. Both traces get white noise of SD trace_noise.
// The trial structure follows experiment.md §3 with a sinusoidal error inside OPEN.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "apical/analysis/session.hpp"
#include "apical/engine/random.hpp"

namespace synthetic {

using namespace apical::analysis;

struct Options {
  std::string mouse = "m01";
  std::int32_t day = 1;
  std::int32_t session = 0;
  std::uint64_t seed = 1;
  double minutes = 10.0;
  int n_plus = 4, n_minus = 4, n_zero = 4;
  double hit_probability = 0.5;
  std::array<double, 3> rate_hz{0.12, 0.12, 0.12};  // background event rate per role (plus, minus, zero)
  double a = 0.05, b = 1.2;                          // distal = a + b·proximal
  double residual_noise = 0.05;
  double contrast = 0.0;
  double outcome_signal = 0.0;
  double outcome_event_probability = 0.8;
  double trace_noise = 0.01;
  double tau_s = 0.4;
  bool opto = false;                                 // LED on in every frame
  double opto_dendrite_gain = 0.5;
};

inline double role_sign(Role r) { return r == Role::plus ? 1.0 : r == Role::minus ? -1.0 : 0.0; }

struct Truth {
  // Per neuron, the planted events.
  struct Event {
    std::int64_t frame;
    double a_prox, a_dist;
  };
  std::vector<std::vector<Event>> events;
  std::vector<int> epoch;  // [frame] +1 reduction, −1 increase, 0 none (same rule as the analysis)
};

inline Session make_session(const Options& o, Truth* truth = nullptr) {
  constexpr double fs = 15.0;
  const auto frames = static_cast<std::int64_t>(o.minutes * 60.0 * fs);
  apical::CounterRng rng(o.seed, 0);
  Session s;
  s.mouse_id = o.mouse;
  s.day = o.day;
  s.session = o.session;
  s.frame_rate_hz = fs;
  s.decoder_z.assign(static_cast<std::size_t>(frames), 0.0);
  s.error.assign(static_cast<std::size_t>(frames), 0.0);
  s.state.assign(static_cast<std::size_t>(frames), TrialState::none);
  s.flags.assign(static_cast<std::size_t>(frames), 0);
  if (o.opto) s.opto.assign(static_cast<std::size_t>(frames), 1);

  // Trials (experiment.md §3): OPEN ≤ 420 frames; hit → HIT 15, REWARD 1, SHOW to +30, BLANK_OK 15; miss → FAIL 45.
  auto set_state = [&](std::int64_t from, std::int64_t to, TrialState st) {
    for (std::int64_t k = from; k < to && k < frames; ++k) s.state[static_cast<std::size_t>(k)] = st;
  };
  std::vector<double> phase(static_cast<std::size_t>(frames), 0.0);
  std::int64_t k = 30;
  while (k + 420 + 60 < frames) {
    Trial t;
    t.start_frame = k;
    const bool hit = rng.uniform() < o.hit_probability;
    const double trial_phase = 6.283185307179586 * rng.uniform();
    if (hit) {
      t.end_frame = k + 60 + static_cast<std::int64_t>(rng.uniform() * 340.0);
      t.hit_frame = t.end_frame;
      t.reward_frame = t.end_frame + 15;
      t.outcome = Outcome::hit;
      set_state(t.start_frame, t.end_frame, TrialState::open);
      set_state(t.end_frame, t.end_frame + 15, TrialState::hit);
      set_state(t.reward_frame, t.reward_frame + 1, TrialState::reward);
      set_state(t.reward_frame + 1, t.end_frame + 30, TrialState::show);
      set_state(t.end_frame + 30, t.end_frame + 45, TrialState::blank_ok);
      s.flags[static_cast<std::size_t>(t.hit_frame)] |= frame_flag::hit;
      s.flags[static_cast<std::size_t>(t.reward_frame)] |= frame_flag::reward;
    } else {
      t.end_frame = k + 420;
      t.outcome = Outcome::miss;
      set_state(t.start_frame, t.end_frame, TrialState::open);
      set_state(t.end_frame, t.end_frame + 45, TrialState::fail);
    }
    for (std::int64_t j = t.start_frame; j < t.end_frame; ++j)
      phase[static_cast<std::size_t>(j)] = trial_phase + 6.283185307179586 * static_cast<double>(j - t.start_frame) / 90.0;
    s.trials.push_back(t);
    k = t.end_frame + 45;
  }
  std::vector<int> epoch(static_cast<std::size_t>(frames), 0);
  for (std::int64_t j = 0; j < frames; ++j) {
    const double e = std::max(0.0, 1.5 + std::sin(phase[static_cast<std::size_t>(j)]));
    s.error[static_cast<std::size_t>(j)] = e;
    s.decoder_z[static_cast<std::size_t>(j)] = 2.0 - e;
  }
  for (const Trial& t : s.trials)
    for (std::int64_t j = t.start_frame + 15; j < t.end_frame; ++j) {
      const double d = s.error[static_cast<std::size_t>(j)] - s.error[static_cast<std::size_t>(j - 15)];
      epoch[static_cast<std::size_t>(j)] = d < -0.05 ? 1 : d > 0.05 ? -1 : 0;
    }

  // Neurons.
  std::vector<Role> roles;
  roles.insert(roles.end(), static_cast<std::size_t>(o.n_plus), Role::plus);
  roles.insert(roles.end(), static_cast<std::size_t>(o.n_minus), Role::minus);
  roles.insert(roles.end(), static_cast<std::size_t>(o.n_zero), Role::zero);
  const double decay = std::exp(-1.0 / (o.tau_s * fs));
  const auto kernel_len = static_cast<std::int64_t>(8.0 * o.tau_s * fs);
  Truth local;
  Truth& tr = truth ? *truth : local;
  tr.events.clear();
  tr.epoch = epoch;
  for (std::size_t i = 0; i < roles.size(); ++i) {
    apical::CounterRng nrng(o.seed, 1000 + i);
    NeuronRecord n;
    n.id = static_cast<std::int32_t>(i);
    n.role = roles[i];
    // Candidate events: outcome-locked ones first (they win conflicts), then Poisson background.
    struct Candidate {
      std::int64_t frame;
      double outcome;  // ±1 for outcome-locked, 0 otherwise
    };
    std::vector<Candidate> candidates;
    if (o.outcome_signal != 0.0)
      for (const Trial& t : s.trials)
        if (nrng.uniform() < o.outcome_event_probability)
          candidates.push_back({t.end_frame + 2 + static_cast<std::int64_t>(nrng.uniform() * 23.0),
                                t.outcome == Outcome::hit ? 1.0 : -1.0});
    const double rate = o.rate_hz[static_cast<std::size_t>(n.role)];
    for (double t = nrng.exponential(1.0 / rate); t * fs < static_cast<double>(frames - kernel_len);
         t += nrng.exponential(1.0 / rate))
      candidates.push_back({static_cast<std::int64_t>(t * fs), 0.0});
    std::vector<Candidate> accepted;
    for (const Candidate& c : candidates) {
      if (c.frame < 20 || c.frame >= frames - kernel_len) continue;
      bool ok = true;
      for (const Candidate& a : accepted) ok = ok && std::abs(a.frame - c.frame) >= 45;
      if (ok) accepted.push_back(c);
    }
    std::sort(accepted.begin(), accepted.end(), [](const Candidate& x, const Candidate& y) { return x.frame < y.frame; });

    n.soma_dff.assign(static_cast<std::size_t>(frames), 0.0);
    n.dendrite_dff.assign(static_cast<std::size_t>(frames), 0.0);
    std::vector<Truth::Event> planted;
    for (const Candidate& c : accepted) {
      const double a_prox = 0.4 + 0.6 * nrng.uniform();
      double residual = o.residual_noise * nrng.normal() +
                        o.contrast * role_sign(n.role) * epoch[static_cast<std::size_t>(c.frame)] +
                        o.outcome_signal * c.outcome;
      double a_dist = std::max(0.05, o.a + o.b * a_prox + residual);
      if (s.opto_on(c.frame)) a_dist *= o.opto_dendrite_gain;
      planted.push_back({c.frame, a_prox, a_dist});
      double gp = a_prox, gd = a_dist;
      for (std::int64_t j = c.frame; j < c.frame + kernel_len && j < frames; ++j) {
        n.soma_dff[static_cast<std::size_t>(j)] += gp;
        n.dendrite_dff[static_cast<std::size_t>(j)] += gd;
        gp *= decay;
        gd *= decay;
      }
    }
    for (std::int64_t j = 0; j < frames; ++j) {
      n.soma_dff[static_cast<std::size_t>(j)] += o.trace_noise * nrng.normal();
      n.dendrite_dff[static_cast<std::size_t>(j)] += o.trace_noise * nrng.normal();
    }
    tr.events.push_back(std::move(planted));
    s.neurons.push_back(std::move(n));
  }
  return s;
}

}  // namespace synthetic
