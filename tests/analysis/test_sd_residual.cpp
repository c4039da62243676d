// Soma–dendrite pairing, coincident events, the linear fit and the z-scored residual (experiment.md §5),
// the opto projection (ED10e), and the residual contrast by role (§6 row 3) on synthetic sessions whose
// a, b and residual signs are planted (synthetic.hpp).
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "apical/analysis/residual_contrast.hpp"
#include "apical/analysis/sd_residual.hpp"
#include "apical/analysis/statistics.hpp"
#include "synthetic.hpp"

using namespace apical::analysis;
using Catch::Matchers::WithinAbs;

namespace {

std::vector<SdSession> run_sd(const Cohort& c, const SdOptions& o = {}) {
  std::vector<SessionTransients> t;
  for (const Session& s : c.sessions) t.push_back(detect_session_transients(s));
  return sd_residuals(c, t, o);
}

Cohort planted_cohort(double contrast, int mice, std::uint64_t seed) {
  Cohort c;
  for (int m = 0; m < mice; ++m) {
    synthetic::Options o;
    o.mouse = "m" + std::to_string(m);
    o.seed = seed + static_cast<std::uint64_t>(m);
    o.minutes = 15.0;
    o.contrast = contrast;
    c.sessions.push_back(synthetic::make_session(o));
  }
  return c;
}

}  // namespace

TEST_CASE("coincident events pair one-to-one, closest first, within the window", "[analysis][sd]") {
  auto at = [](std::vector<std::int64_t> frames) {
    std::vector<Transient> t;
    for (auto f : frames) t.push_back({f, 1.0, 1.0, 1.0});
    return t;
  };
  const auto pairs = coincident_events(at({10, 50, 100}), at({12, 48, 52, 130}), 15);
  REQUIRE(pairs.size() == 2);
  CHECK(pairs[0].prox == 0);
  CHECK(pairs[0].dist == 0);
  CHECK(pairs[1].prox == 1);
  CHECK(pairs[1].dist == 1);  // 48 and 52 tie at lag 2; the earlier distal peak wins
}

TEST_CASE("the SD fit recovers the planted a and b, residuals are z-scored per neuron", "[analysis][sd]") {
  synthetic::Options o;
  o.minutes = 20.0;
  o.a = 0.05;
  o.b = 1.2;
  Cohort c;
  c.sessions.push_back(synthetic::make_session(o));
  // One extra neuron whose distal trace belongs to another cell: it must not pair.
  NeuronRecord stranger = c.sessions[0].neurons[0];
  stranger.id = 99;
  stranger.dendrite_dff = c.sessions[0].neurons[5].dendrite_dff;
  c.sessions[0].neurons.push_back(stranger);

  const std::vector<SdSession> sd = run_sd(c);
  REQUIRE(sd[0].neurons.size() == 13);
  std::size_t linear_best = 0, aic_defined = 0;
  for (std::size_t i = 0; i < 12; ++i) {
    const SdNeuron& n = sd[0].neurons[i];
    INFO("neuron " << i << " r " << n.pairing_r << " events " << n.events.size());
    CHECK(n.pairing_r > 0.9);
    REQUIRE(n.fitted);
    CHECK_FALSE(n.pooled_fit);
    CHECK(n.events.size() > 40);
    CHECK_THAT(n.b, WithinAbs(1.2, 0.12));
    CHECK_THAT(n.a, WithinAbs(0.05, 0.08));
    std::vector<double> z;
    for (const SdEvent& e : n.events) z.push_back(e.residual_z);
    CHECK_THAT(mean(z), WithinAbs(0.0, 1e-12));
    CHECK_THAT(sample_sd(z), WithinAbs(1.0, 1e-12));
    if (std::isfinite(n.aic_linear)) {
      ++aic_defined;
      if (n.aic_linear <= n.aic_quadratic) ++linear_best;
    }
  }
  CHECK(aic_defined == 12);
  CHECK(linear_best >= 6);  // the true model is linear; the quadratic wins by chance ~16 % of the time
  CHECK(sd[0].neurons[12].pairing_r < 0.3);
  CHECK_FALSE(sd[0].neurons[12].paired);
  CHECK(sd[0].neurons[12].events.empty());
}

TEST_CASE("opto-on events project onto the opto-off fit, an all-opto session uses the pooled fit", "[analysis][sd]") {
  Cohort c;
  synthetic::Options off;
  off.minutes = 15.0;
  off.seed = 11;
  c.sessions.push_back(synthetic::make_session(off));
  synthetic::Options on = off;
  on.day = 2;
  on.seed = 12;
  on.opto = true;
  on.opto_dendrite_gain = 0.5;
  c.sessions.push_back(synthetic::make_session(on));
  const std::vector<SdSession> sd = run_sd(c);
  std::vector<double> z_on;
  for (const SdNeuron& n : sd[1].neurons) {
    REQUIRE(n.fitted);
    CHECK(n.pooled_fit);  // no opto-off events that day
    for (const SdEvent& e : n.events) {
      CHECK(e.opto);
      z_on.push_back(e.residual_z);
    }
  }
  for (const SdNeuron& n : sd[0].neurons) CHECK_FALSE(n.pooled_fit);
  // Halving A_dist ≈ 0.05 + 1.2·0.7 removes ~0.45 ΔF/F, against a residual SD of ~0.05.
  CHECK(mean(z_on) < -4.0);
  // Without the LED the projection is centred: the day-1 events have mean residual_z 0 by construction.
}

TEST_CASE("planted residual signs by role are recovered as the contrast", "[analysis][sd][contrast]") {
  const Cohort c = planted_cohort(0.1, 6, 500);
  const std::vector<SdSession> sd = run_sd(c);
  const ContrastSummary s = residual_contrast(c, sd);
  REQUIRE(s.mice.size() == 6);
  CHECK(s.mice_with_separation == 6);
  CHECK(s.fraction_sign_by_role == 1.0);
  CHECK(s.fraction_separation_positive == 1.0);
  CHECK(s.plus_mean > 0.5);
  CHECK(s.minus_mean < -0.5);
  CHECK(std::abs(s.zero_mean) < 0.3);
  for (const NeuronContrast& n : s.neurons) {
    INFO(n.mouse_id << " neuron " << n.neuron_id);
    if (n.role == Role::plus) CHECK(n.contrast > 0.0);
    if (n.role == Role::minus) CHECK(n.contrast < 0.0);
    CHECK(n.n_reduction > 5);
    CHECK(n.n_increase > 5);
  }

  // No planted signal: the separation stays near zero.
  const Cohort null_cohort = planted_cohort(0.0, 6, 900);
  const ContrastSummary null = residual_contrast(null_cohort, run_sd(null_cohort));
  CHECK(std::abs(null.separation_mean) < 0.4);
  CHECK(std::abs(null.separation_mean) < 0.25 * s.separation_mean);
}

TEST_CASE("error epochs follow Δε over 1 s inside OPEN only", "[analysis][contrast]") {
  synthetic::Truth truth;
  const Session s = synthetic::make_session(synthetic::Options{}, &truth);
  const std::vector<ErrorEpoch> epochs = error_epochs(s);
  REQUIRE(epochs.size() == s.frames());
  std::size_t reduction = 0, increase = 0, mismatched = 0, outside_open = 0;
  for (std::size_t k = 0; k < epochs.size(); ++k) {
    mismatched += static_cast<int>(epochs[k]) != -truth.epoch[k];  // the enum stores the sign of Δε
    outside_open += epochs[k] != ErrorEpoch::none && s.state[k] != TrialState::open;
    reduction += epochs[k] == ErrorEpoch::reduction;
    increase += epochs[k] == ErrorEpoch::increase;
  }
  CHECK(mismatched == 0);
  CHECK(outside_open == 0);
  CHECK(reduction > 1000);
  CHECK(increase > 1000);
}
