// Every registered rule runs inside the simulated loop with the factors it needs, and the feedback
// variants deliver what learning_rules.md §2 describes.
#include <catch2/catch.hpp>
#include <cmath>

#include "apical/models/learning/learning_rules.hpp"
#include "bci_test_support.hpp"

using namespace apical;
using namespace apical::bci;
using apical::bci::test::small_spec;

namespace {

ExperimentSpec short_spec(const std::string& rule) {
  ExperimentSpec s = small_spec(rule, 1, 3.0);
  s.schedule.calibration_min = 3.0;
  return s;
}

}  // namespace

TEST_CASE("every rule runs in the loop and plastic rules change W within bounds", "[bci][rules]") {
  for (const std::string& rule : builtin_learning_rules().names()) {
    ExperimentSpec s = short_spec(rule);
    if (rule == "R1" || rule == "R5") s.learning.parameters["learning_rate"] = 1e-4;
    const MouseRecord m = simulate_mouse(s, 0);
    const std::vector<double>& w = m.sessions[0].weights;
    INFO("rule " << rule);
    if (rule == "R0") {
      CHECK(w == m.setup.initial_weights);
    } else {
      CHECK(w != m.setup.initial_weights);
    }
    for (std::size_t k = 0; k < w.size(); ++k) {
      REQUIRE(w[k] >= 0.0);
      REQUIRE(w[k] <= s.learning.w_max_pA_per_Hz);
      if (!m.setup.connected[k]) REQUIRE(w[k] == 0.0);
    }
  }
}

// learning_rules.md §7 T-opto: "O6 blocks R1, R2 and R5 only". δ ≡ 0 freezes W exactly for the rules
// that read it (R1's and R2's eligibilities and R5's apical sign wait for δ); R3 and R4 learn from the
// tuft and keep moving W.
TEST_CASE("O6 (neuromodulator block) freezes W under R1, R2 and R5 only", "[bci][rules]") {
  const LearningRuleRegistry& rules = builtin_learning_rules();
  for (const std::string& rule : rules.names()) {
    if (rule == "R0") continue;
    ExperimentSpec s = short_spec(rule);
    if (rule == "R1" || rule == "R5") s.learning.parameters["learning_rate"] = 1e-4;
    s.manipulations.neuromodulator_block = true;
    const MouseRecord m = simulate_mouse(s, 0);
    INFO("rule " << rule);
    const bool reads_delta = rule == "R1" || rule == "R2" || rule == "R5";
    CHECK(rules.find(rule)->info().uses_reward == reads_delta);
    CHECK((m.sessions[0].weights == m.setup.initial_weights) == reads_delta);
  }
}

TEST_CASE("feedback variants: random is role-blind, learned starts at zero and moves, zero is silent", "[bci][feedback]") {
  ExperimentSpec s = short_spec("R0");
  s.teaching.feedback = FeedbackType::random;
  const MouseRecord random = simulate_mouse(s, 0);
  std::size_t p0_nonzero = 0;
  for (std::size_t i = 0; i < random.setup.roles.size(); ++i)
    if (random.setup.roles[i] == loop::Role::zero && random.sessions[0].feedback[i] != 0.0) ++p0_nonzero;
  CHECK(p0_nonzero == 10);

  s.teaching.feedback = FeedbackType::learned;
  s.teaching.learned_feedback_rate = 1e-2;
  const MouseRecord learned = simulate_mouse(s, 0);
  double moved = 0;
  for (double b : learned.sessions[0].feedback) moved += std::abs(b);
  CHECK(moved > 0.0);

  s.teaching.feedback = FeedbackType::zero;
  const MouseRecord zero = simulate_mouse(s, 0);
  for (double b : zero.sessions[0].feedback) CHECK(b == 0.0);
  // No teaching current: the recorded T is still computed, but the cells never see it, so the
  // simulation equals one whose teaching gain is 0.
  s.teaching.feedback = FeedbackType::oracle;
  s.teaching.teaching_gain_pA = 0.0;
  const MouseRecord silent = simulate_mouse(s, 0);
  CHECK(zero.sessions[0].decoder_z == silent.sessions[0].decoder_z);
}

TEST_CASE("fi_curve mode measures a non-decreasing basal rate curve over the operating range", "[bci][rules]") {
  ExperimentSpec s = short_spec("R3");
  s.learning.basal_prediction = LearningSpec::BasalPrediction::fi_curve;
  s.learning.fi_block_s = 5.0;
  const MouseRecord m = simulate_mouse(s, 0);
  const std::vector<double>&I = m.setup.fi_current_pA, &r = m.setup.fi_rate_hz;
  REQUIRE(I.size() >= 10);
  REQUIRE(I.size() == r.size());
  for (std::size_t b = 1; b < I.size(); ++b) {
    CHECK(I[b] > I[b - 1]);
    CHECK(r[b] >= r[b - 1]);
  }
  CHECK(r.front() < 1.0);  // W × 0.2: nearly silent
  CHECK(r.back() > 20.0);  // W × 2.4: strongly driven
  CHECK(m.sessions[0].weights != m.setup.initial_weights);
  // The default mode does not run the f-I block.
  CHECK(simulate_mouse(short_spec("R0"), 0).setup.fi_current_pA.empty());
}

TEST_CASE("R4's cancellation leaves only the teaching's bursts: no teaching, no weight change", "[bci][rules]") {
  ExperimentSpec s = short_spec("R4");
  s.teaching.feedback = FeedbackType::zero;
  // Without teaching the basal-only twin is the cell spike for spike, so the cancelled B − P̄·E is 0.
  const MouseRecord cancelled = simulate_mouse(s, 0);
  CHECK(cancelled.sessions[0].weights == cancelled.setup.initial_weights);
  // The spec's uncancelled rule drifts on the same activity (the teaching-free covariance of B − P̄·E with x̃).
  s.learning.parameters["cancellation"] = 0.0;
  const MouseRecord uncancelled = simulate_mouse(s, 0);
  CHECK(uncancelled.sessions[0].weights != uncancelled.setup.initial_weights);
  // With the teaching, the cancelled rule learns.
  s.learning.parameters.erase("cancellation");
  s.teaching.feedback = FeedbackType::oracle;
  const MouseRecord taught = simulate_mouse(s, 0);
  CHECK(taught.sessions[0].weights != taught.setup.initial_weights);
  // The twin is what cancels: the f-I curve mode has none, and says so.
  s.learning.basal_prediction = LearningSpec::BasalPrediction::fi_curve;
  CHECK_THROWS_WITH(simulate_mouse(s, 0), Catch::Contains("basal_prediction") && Catch::Contains("cancellation"));
}
