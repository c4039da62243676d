// Learning curves (experiment.md §1 metrics, §8 Fig. 1g, §9 T1–T2), learning slopes and the
// perturbation/control slope ratio (T13, learning_rules.md §7 T-opto), and the early-contrast
// prediction of later activity change (T12).
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "apical/analysis/learning_curves.hpp"
#include "apical/analysis/learning_prediction.hpp"
#include "synthetic.hpp"

using namespace apical::analysis;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

// A bare session of `minutes` with the given outcomes (hits are rewarded).
Session scripted(const std::string& mouse, int day, int session, double minutes, const std::vector<Outcome>& outcomes) {
  Session s;
  s.mouse_id = mouse;
  s.day = day;
  s.session = session;
  const auto frames = static_cast<std::size_t>(minutes * 60 * 15);
  s.decoder_z.assign(frames, 0.0);
  s.error.assign(frames, 1.0);
  s.state.assign(frames, TrialState::none);
  std::int64_t k = 0;
  for (Outcome o : outcomes) {
    Trial t;
    t.start_frame = k;
    t.end_frame = k + 100;
    t.outcome = o;
    if (o == Outcome::hit) t.hit_frame = t.end_frame, t.reward_frame = t.end_frame + 15;
    s.trials.push_back(t);
    k += 200;
  }
  return s;
}

Cohort learning_cohort(double start, double gain_per_day, int mice, std::uint64_t seed) {
  Cohort c;
  for (int m = 0; m < mice; ++m)
    for (int day = 1; day <= 6; ++day) {
      synthetic::Options o;
      o.mouse = "m" + std::to_string(m);
      o.day = day;
      o.seed = seed + static_cast<std::uint64_t>(100 * m + day);
      o.minutes = 20.0;
      o.n_plus = o.n_minus = 1;
      o.n_zero = 0;
      o.hit_probability = std::min(0.95, start + gain_per_day * (day - 1));
      c.sessions.push_back(synthetic::make_session(o));
    }
  return c;
}

}  // namespace

TEST_CASE("accuracy and rewards per minute pool a day's sessions", "[analysis][learning]") {
  using O = Outcome;
  Cohort c;
  c.sessions.push_back(scripted("a", 1, 0, 2.0, {O::hit, O::miss, O::miss, O::incomplete}));
  c.sessions.push_back(scripted("a", 1, 1, 1.0, {O::hit, O::hit}));
  c.sessions.push_back(scripted("a", 2, 0, 2.0, {O::hit, O::hit, O::hit, O::miss}));
  c.sessions.push_back(scripted("b", 1, 0, 2.0, {O::miss, O::miss}));
  c.sessions.push_back(scripted("b", 2, 0, 4.0, {O::hit, O::miss}));
  CHECK_THAT(session_accuracy(c.sessions[0]), WithinRel(1.0 / 3.0, 1e-15));
  CHECK_THAT(session_rewards_per_min(c.sessions[0]), WithinRel(0.5, 1e-15));
  const LearningCurves l = learning_curves(c);
  REQUIRE(l.mice == std::vector<std::string>{"a", "b"});
  REQUIRE(l.days == std::vector<std::int32_t>{1, 2});
  CHECK_THAT(l.accuracy.per_mouse(0, 0), WithinRel(3.0 / 5.0, 1e-15));  // 3 hits of 5 finished trials
  CHECK_THAT(l.rewards_per_min.per_mouse(0, 0), WithinRel(1.0, 1e-15));  // 3 rewards in 3 minutes
  CHECK(l.trials(0, 0) == 5.0);
  CHECK_THAT(l.accuracy.per_mouse(1, 1), WithinRel(0.5, 1e-15));
  CHECK_THAT(l.rewards_per_min.per_mouse(1, 1), WithinRel(0.25, 1e-15));
  CHECK_THAT(l.accuracy.mean[0], WithinRel(0.3, 1e-15));
  CHECK_THAT(l.accuracy.sem[0], WithinRel(0.3, 1e-14));  // |0.6 − 0| / 2
  REQUIRE(l.accuracy.anova);
  CHECK(l.accuracy.anova->subjects == 2);
}

TEST_CASE("chance levels average a mouse's sessions per day, late accuracy is paired with the baseline chance",
          "[analysis][learning]") {
  using O = Outcome;
  Cohort c;
  // Mouse a: 2/3 then 3/3 hits; b: 1/3 then 2/3. Baseline chance fixed per mouse, session chance rising.
  const std::vector<std::vector<O>> a_days{{O::hit, O::hit, O::miss}, {O::hit, O::hit, O::hit}};
  const std::vector<std::vector<O>> b_days{{O::hit, O::miss, O::miss}, {O::hit, O::hit, O::miss}};
  for (int day = 1; day <= 2; ++day) {
    Session a = scripted("a", day, 0, 1.0, a_days[day - 1]);
    a.chance_baseline = 0.25;
    a.chance = 0.5 + 0.25 * (day - 1);
    c.sessions.push_back(a);
    Session b = scripted("b", day, 0, 1.0, b_days[day - 1]);
    b.chance_baseline = 0.5;
    b.chance = day == 1 ? 0.75 : std::nan("");  // undefined: left out, not zero
    c.sessions.push_back(b);
  }
  Session a2 = scripted("a", 2, 1, 1.0, {O::miss});  // a second session, without a chance level
  c.sessions.push_back(a2);
  LearningCurveOptions o;
  o.early_days = 1;
  o.late_days = 1;
  const LearningCurves l = learning_curves(c, o);
  CHECK(l.chance_baseline.per_mouse(0, 1) == 0.25);
  CHECK(l.chance_baseline.mean == std::vector<double>{0.375, 0.375});
  CHECK_THAT(l.chance_baseline.sem[0], WithinRel(0.125, 1e-15));  // SD 0.25/√2 over √2
  CHECK(l.chance_session.mean[0] == 0.625);
  CHECK(l.chance_session.mean[1] == 0.75);                 // mouse a only
  CHECK(std::isnan(l.chance_session.per_mouse(1, 1)));
  CHECK(std::isnan(l.chance_session.sem[1]));
  // Late (day 2) accuracy − baseline chance: a 3/4 − 0.25 = 0.5, b 2/3 − 0.5 = 1/6.
  const TTest& t = l.late_accuracy_vs_chance_baseline;
  CHECK(t.n == 2);
  CHECK_THAT(t.mean, WithinRel((0.5 + 1.0 / 6.0) / 2.0, 1e-14));
  CHECK_THAT(t.t, WithinRel(t.mean / ((0.5 - 1.0 / 6.0) / 2.0), 1e-12));  // s.e.m. of 2 values = |d1 − d2|/2
}

TEST_CASE("rising accuracy gives a significant RM ANOVA and a positive slope", "[analysis][learning]") {
  const Cohort c = learning_cohort(0.3, 0.1, 6, 1);
  const LearningCurves l = learning_curves(c);
  REQUIRE(l.accuracy.anova);
  CHECK(l.accuracy.anova->condition.p < 0.001);
  CHECK(l.accuracy.anova->condition.df_effect == 5.0);
  CHECK(l.accuracy.anova->condition.df_error == 25.0);
  REQUIRE(l.rewards_per_min.anova);
  CHECK(l.rewards_per_min.anova->condition.p < 0.01);
  CHECK(mean(l.accuracy.late) > mean(l.accuracy.early) + 0.2);
  CHECK(l.accuracy.late_vs_early.p < 0.01);
  const LearningSlopes s = learning_slopes(l);
  CHECK_THAT(s.mean, WithinAbs(0.1, 0.03));

  // Flat accuracy: no day effect expected.
  const LearningCurves flat = learning_curves(learning_cohort(0.5, 0.0, 6, 2));
  REQUIRE(flat.accuracy.anova);
  CHECK(flat.accuracy.anova->condition.p > 0.001);
  const SlopeComparison cmp = compare_learning_slopes(learning_slopes(flat), s);
  CHECK_THAT(cmp.ratio, WithinAbs(0.0, 0.3));
  CHECK(cmp.reduction > 0.7);
  CHECK(cmp.welch.p < 0.01);
}

TEST_CASE("early residual contrast predicts the later somatic change per neuron", "[analysis][learning]") {
  // Neurons with a positive early contrast (P+) keep their rate; P− neurons (negative contrast) lose it.
  Cohort c;
  for (int m = 0; m < 3; ++m)
    for (int day = 1; day <= 4; ++day) {
      synthetic::Options o;
      o.mouse = "m" + std::to_string(m);
      o.day = day;
      o.seed = 300 + static_cast<std::uint64_t>(10 * m + day);
      o.minutes = 15.0;
      o.contrast = 0.1;
      o.n_zero = 0;
      o.rate_hz = {0.15, 0.15 * (1.0 - 0.2 * (day - 1)), 0.15};
      c.sessions.push_back(synthetic::make_session(o));
    }
  std::vector<SessionTransients> t;
  for (const Session& s : c.sessions) t.push_back(detect_session_transients(s));
  const std::vector<SdSession> sd = sd_residuals(c, t);
  const std::vector<NeuronDayRate> rates = transient_rates(c, t);
  EarlyLateOptions el;
  el.early_days = 1;
  el.late_days = 1;
  const ContrastPredictsChange p = early_contrast_vs_change(c, sd, rates, {}, el);
  CHECK(p.neurons.size() == 24);
  CHECK(p.r.n == 24);
  CHECK(p.r.r > 0.6);
  CHECK(p.r.p < 0.01);
  CHECK(p.partial_r.r > 0.5);
}
