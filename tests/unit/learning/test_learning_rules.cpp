// Learning rules against analytic single-synapse schedules (learning_rules.md §7, T-trace): the
// eligibility trace and the weight change match closed forms to 1e-12, third-factor updates fire at
// the reward frame whether or not the neuron spikes, and each rule needs exactly its own factors.
#include <catch2/catch.hpp>
#include <cmath>

#include "apical/models/learning/learning_rules.hpp"

using namespace apical;

namespace {

constexpr double frame_s = 1.0 / 15.0;

FrameActivity quiet_frame(std::size_t neurons = 1, std::size_t inputs = 1) {
  FrameActivity a;
  a.frame_s = frame_s;
  a.presynaptic_trace.assign(inputs, 0.0);
  for (auto* v : {&a.rate_hz, &a.rate_mean_hz, &a.basal_rate_hz, &a.event_rate_hz, &a.burst_rate_hz,
                  &a.basal_event_rate_hz, &a.basal_burst_rate_hz, &a.burst_fraction_mean, &a.apical_sign, &a.ca_gate,
                  &a.perturbation})
    v->assign(neurons, 0.0);
  return a;
}

WeightMatrix one_weight(double w0) {
  WeightMatrix W;
  W.neurons = W.inputs = 1;
  W.w = {w0};
  W.w_max = 1.0;
  W.clip_fraction = 1.0;  // no clipping: the closed form is exact
  return W;
}

std::vector<double> defaults(const LearningRule& rule) {
  std::vector<double> p;
  for (const ParameterSpec& spec : rule.info().parameters) p.push_back(spec.default_value);
  return p;
}

}  // namespace

TEST_CASE("R1 eligibility and weight change match the closed form, reward-timed", "[learning][R1]") {
  const auto rule = builtin_learning_rules().find("R1");
  REQUIRE(rule);
  std::vector<double> p = defaults(*rule);
  p[0] = 0.01;  // η
  const double tau = p[1], a = std::exp(-frame_s / tau);
  const double H = 2.0 * 5.0;  // (r − r̄)·x̃ during the first ten frames
  PlasticityState state{{0.0}};
  WeightMatrix W = one_weight(0.5);
  for (int k = 0; k <= 30; ++k) {
    FrameActivity f = quiet_frame();
    if (k < 10) {
      f.rate_hz = {12.0};
      f.rate_mean_hz = {10.0};
      f.presynaptic_trace = {5.0};
    }
    if (k == 30) f.reward_prediction_error = 0.5;  // no spike in this frame: the update is time-driven
    rule->update(p, f, state, W);
    if (k == 9) CHECK(state.eligibility[0] == Approx(H * (1 - std::pow(a, 10))).epsilon(1e-12));
    if (k < 30) REQUIRE(W.w[0] == 0.5);
  }
  const double e30 = H * (1 - std::pow(a, 10)) * std::pow(a, 21);
  CHECK(state.eligibility[0] == Approx(e30).epsilon(1e-12));
  CHECK(W.w[0] - 0.5 == Approx(0.01 * 0.5 * e30).epsilon(1e-12));
}

TEST_CASE("R1-Ca needs the apical gate and R2 correlates the perturbation", "[learning][R1][R2]") {
  const auto r1 = builtin_learning_rules().find("R1");
  std::vector<double> p = defaults(*r1);
  p[2] = 1.0;  // ca_gated
  PlasticityState s{{0.0}};
  WeightMatrix W = one_weight(0.5);
  FrameActivity f = quiet_frame();
  f.rate_hz = {20.0};
  f.presynaptic_trace = {5.0};
  f.reward_prediction_error = 1.0;
  r1->update(p, f, s, W);
  CHECK(W.w[0] == 0.5);  // no Ca plateau, no plasticity
  f.ca_gate = {1.0};
  r1->update(p, f, s, W);
  CHECK(W.w[0] > 0.5);

  const auto r2 = builtin_learning_rules().find("R2");
  PlasticityState s2{{0.0}};
  WeightMatrix W2 = one_weight(0.5);
  FrameActivity g = quiet_frame();
  g.perturbation = {-3.0};
  g.presynaptic_trace = {5.0};
  g.reward_prediction_error = 1.0;
  r2->update(defaults(*r2), g, s2, W2);
  CHECK(W2.w[0] < 0.5);  // positive reward after negative exploration: depress
}

TEST_CASE("R3 follows the apical error continuously and R4 compares bursts with expected bursts", "[learning][R3][R4]") {
  const auto r3 = builtin_learning_rules().find("R3");
  std::vector<double> p = defaults(*r3);
  PlasticityState none;
  WeightMatrix W = one_weight(0.0);  // from 0, so the change is read without cancellation
  FrameActivity f = quiet_frame();
  f.rate_hz = {15.0};
  f.basal_rate_hz = {10.0};
  f.presynaptic_trace = {4.0};
  r3->update(p, f, none, W);
  CHECK(W.w[0] == Approx(p[0] * frame_s * 5.0 * 4.0).epsilon(1e-12));

  // R4 as the spec writes it (cancellation 0): bursts against their expected share of events.
  const auto r4 = builtin_learning_rules().find("R4");
  std::vector<double> spec_rule = defaults(*r4);
  spec_rule[2] = 0.0;
  WeightMatrix W4 = one_weight(0.5);
  FrameActivity b = quiet_frame();
  b.event_rate_hz = {10.0};
  b.burst_rate_hz = {2.0};
  b.burst_fraction_mean = {0.2};
  b.presynaptic_trace = {4.0};
  r4->update(spec_rule, b, none, W4);
  CHECK(W4.w[0] == 0.5);  // bursts exactly as expected: no change
  b.burst_rate_hz = {1.0};
  r4->update(spec_rule, b, none, W4);
  CHECK(W4.w[0] < 0.5);  // fewer bursts than expected (apical inhibition): depression

  // Cancelled (the default): the twin's B − P̄E is subtracted, so only the teaching's bursts count.
  const std::vector<double> cancelled = defaults(*r4);
  REQUIRE(cancelled[2] == 1.0);
  WeightMatrix Wc = one_weight(0.5);
  b.burst_rate_hz = {3.0};        // the cell: B − P̄E = 3 − 2 = +1
  b.basal_event_rate_hz = {10.0};
  b.basal_burst_rate_hz = {1.0};  // the twin: 1 − 2 = −1, a deficit the teaching did not make
  r4->update(cancelled, b, none, Wc);
  CHECK(Wc.w[0] - 0.5 == Approx(cancelled[0] * frame_s * 2.0 * 4.0).epsilon(1e-12));
  b.basal_burst_rate_hz = b.burst_rate_hz;  // no teaching: the twin is the cell, nothing moves
  WeightMatrix Wn = one_weight(0.5);
  r4->update(cancelled, b, none, Wn);
  CHECK(Wn.w[0] == 0.5);
}

TEST_CASE("R5 needs both the reward error and the apical sign", "[learning][R5]") {
  const auto r5 = builtin_learning_rules().find("R5");
  std::vector<double> p = defaults(*r5);
  p[2] = 0.0;  // reward_kernel_tau 0: δ as an impulse, so one frame gives the whole change
  const double a = std::exp(-frame_s / p[1]);
  for (const auto& [delta, sign, moves] : std::vector<std::tuple<double, double, bool>>{{1.0, 0.0, false}, {0.0, 1.0, false}, {1.0, 1.0, true}}) {
    PlasticityState s{{0.0}};
    WeightMatrix W = one_weight(0.5);
    FrameActivity f = quiet_frame();
    f.rate_hz = {20.0};
    f.presynaptic_trace = {5.0};
    f.apical_sign = {sign};
    f.reward_prediction_error = delta;
    r5->update(p, f, s, W);
    CHECK((W.w[0] != 0.5) == moves);
    // e = (1 − a)·g·x̃ and ΔW = η·δ·e, whatever the rate.
    CHECK(s.eligibility[0] == Approx((1.0 - a) * sign * 5.0).margin(1e-15));
    CHECK(W.w[0] - 0.5 == Approx(p[0] * delta * (1.0 - a) * sign * 5.0).margin(1e-15));
  }
  // The sign is counted once: a neuron below its mean rate with a positive apical sign is potentiated by
  // a reward, and one with a negative apical sign is depressed.
  for (const double sign : {0.2, -0.2}) {
    PlasticityState s{{0.0}};
    WeightMatrix W = one_weight(0.5);
    FrameActivity f = quiet_frame();
    f.rate_hz = {0.0};
    f.rate_mean_hz = {10.0};
    f.presynaptic_trace = {5.0};
    f.apical_sign = {sign};
    f.reward_prediction_error = 1.0;
    r5->update(p, f, s, W);
    CHECK((W.w[0] - 0.5) * sign > 0.0);
  }
}

TEST_CASE("R5 delivers delta through its reward kernel: closed form of the summed doses", "[learning][R5]") {
  // g and x̃ held from frame 0 (e_k = H·(1 − a^(k+1)), H = g·x̃), δ in frame k0; dose in frame k ≥ k0:
  // δ·(1 − b)·b^(k − k0), b = e^(−Δ/τ_M). Over frames k0 … K−1 (n = K − k0):
  //   ΔW = η·δ·H·(1 − b)·[(1 − b^n)/(1 − b) − a^(k0+1)·(1 − (ab)^n)/(1 − ab)].
  const auto r5 = builtin_learning_rules().find("R5");
  const std::vector<double> p = defaults(*r5);
  REQUIRE(p[2] > 0.0);
  const double eta = p[0], a = std::exp(-frame_s / p[1]), b = std::exp(-frame_s / p[2]);
  const double g = 0.3, x = 5.0, delta = 0.6, H = g * x;
  const int k0 = 10, K = 25, n = K - k0;
  PlasticityState s{{0.0}};
  WeightMatrix W = one_weight(0.0);
  FrameActivity f = quiet_frame();
  f.presynaptic_trace = {x};
  f.apical_sign = {g};
  for (int k = 0; k < K; ++k) {
    f.reward_prediction_error = k == k0 ? delta : 0.0;
    r5->update(p, f, s, W);
    if (k < k0) CHECK(W.w[0] == 0.0);  // nothing before δ
  }
  const double expected = eta * delta * H * (1.0 - b) *
                          ((1.0 - std::pow(b, n)) / (1.0 - b) - std::pow(a, k0 + 1) * (1.0 - std::pow(a * b, n)) / (1.0 - a * b));
  CHECK(W.w[0] == Approx(expected).epsilon(1e-12));
  CHECK(s.pending_reward == Approx(delta * std::pow(b, n)).epsilon(1e-12));  // the doses so far: δ·(1 − b^n)
}

TEST_CASE("weights stay inside [0, w_max] and each update is clipped", "[learning][bounds]") {
  WeightMatrix W;
  W.neurons = W.inputs = 1;
  W.w = {0.5};
  W.w_max = 2.0;
  W.clip_fraction = 1e-3;
  W.apply(0, 0, 10.0);
  CHECK(W.w[0] == Approx(0.502));
  W.w = {1.9999};
  W.apply(0, 0, 1.0);
  CHECK(W.w[0] == 2.0);
  W.w = {0.0001};
  W.apply(0, 0, -1.0);
  CHECK(W.w[0] == 0.0);
}

TEST_CASE("every rule R0-R5 is registered with consistent metadata", "[learning][registry]") {
  const auto names = builtin_learning_rules().names();
  CHECK(names == std::vector<std::string>{"R0", "R1", "R2", "R3", "R4", "R5"});
  for (const auto& name : names) {
    const LearningRuleInfo& info = builtin_learning_rules().find(name)->info();
    INFO(name);
    for (const ParameterSpec& s : info.parameters) {
      CHECK(s.min <= s.default_value);
      CHECK(s.default_value <= s.max);
      CHECK_FALSE(s.unit.empty());
    }
  }
  CHECK(builtin_learning_rules().find("R1")->info().uses_reward);
  CHECK_FALSE(builtin_learning_rules().find("R3")->info().uses_reward);
  CHECK(builtin_learning_rules().find("R4")->info().uses_apical_teaching);
}
