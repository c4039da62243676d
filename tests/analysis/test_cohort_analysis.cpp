// analyze_cohort end to end on a synthetic cohort with every effect planted (learning, P− down-
// regulation, sign-by-role residuals, post-outcome residuals), its headline rows, determinism, the
// opto blocks, and validation errors that name the field.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "apical/analysis/cohort_analysis.hpp"
#include "synthetic.hpp"

using namespace apical::analysis;

namespace {

Cohort planted(bool alternate_opto) {
  Cohort c;
  c.name = alternate_opto ? "opto" : "control";
  for (int m = 0; m < 6; ++m)
    for (int day = 1; day <= 4; ++day) {
      synthetic::Options o;
      o.mouse = "m" + std::to_string(m);
      o.day = day;
      o.seed = 1000 + static_cast<std::uint64_t>(10 * m + day);
      o.minutes = 12.0;
      o.n_zero = 3;
      o.hit_probability = 0.3 + 0.15 * (day - 1);
      o.rate_hz = {0.15, 0.15 * (1.0 - 0.15 * (day - 1)), 0.15};
      o.contrast = 0.1;
      o.outcome_signal = 0.1;
      o.opto = alternate_opto && day % 2 == 0;
      c.sessions.push_back(synthetic::make_session(o));
    }
  return c;
}

std::map<std::string, double> as_map(const std::vector<NamedValue>& rows) {
  std::map<std::string, double> m;
  for (const NamedValue& r : rows) m[r.name] = r.value;
  return m;
}

}  // namespace

TEST_CASE("analyze_cohort reports the planted effects", "[analysis][cohort]") {
  AnalysisOptions o;
  o.decoding.shuffles = 50;
  const CohortAnalysis a = analyze_cohort(planted(false), o);
  CHECK(a.mice == 6);
  CHECK(a.days == 4);
  CHECK(a.sessions == 24);
  CHECK_FALSE(a.has_opto);
  CHECK_FALSE(a.opto_on.computed);

  const std::vector<NamedValue> rows = headline_rows(a);
  std::set<std::string> names;
  for (const NamedValue& r : rows) CHECK(names.insert(r.name).second);  // unique names
  const auto v = as_map(rows);
  CHECK(v.at("learning.accuracy.anova.p") < 0.01);
  CHECK(v.at("learning.slope_per_day.mean") > 0.08);
  CHECK(v.at("learning.accuracy.day01.mean") < v.at("learning.accuracy.day04.mean"));
  CHECK(v.at("transients.minus.late_normalised.mean") < v.at("transients.plus.late_normalised.mean"));
  CHECK(v.at("transients.anova.interaction.p") < 0.05);
  // Tukey after the ANOVAs: accuracy rises 0.15 per day, so day 4 is 0.45 above day 1; P− falls.
  CHECK(v.at("learning.accuracy.tukey.day04_vs_day01.difference") > 0.3);
  CHECK(v.at("learning.accuracy.tukey.day04_vs_day01.p") < 0.001);
  CHECK(v.at("learning.accuracy.tukey.day02_vs_day01.p") > v.at("learning.accuracy.tukey.day04_vs_day01.p"));
  CHECK(v.at("transients.tukey.plus_vs_minus.difference") > 0.0);
  CHECK(v.at("transients.tukey.plus_vs_minus.p") < 0.05);
  CHECK(v.at("transients.tukey.plus_vs_zero.p") > 0.05);
  CHECK(v.at("transients.tukey.minus_vs_zero.difference") < 0.0);
  // Synthetic sessions carry no chance level: the rows exist, undefined.
  CHECK(std::isnan(v.at("learning.chance_baseline.day01.mean")));
  CHECK(std::isnan(v.at("learning.chance_session.day04.mean")));
  CHECK(v.at("learning.accuracy.late_vs_chance_baseline.n") == 0.0);
  CHECK(v.at("sd.paired") == v.at("sd.neuron_sessions"));
  CHECK(v.at("sd.fitted") == v.at("sd.paired"));
  CHECK(v.at("residual.opto_off.contrast.fraction_sign_by_role") == 1.0);
  CHECK(v.at("residual.opto_off.contrast.separation.mean") > 1.0);
  CHECK(v.at("residual.opto_off.decoding.post.balanced_accuracy") > 0.75);
  CHECK(v.at("residual.opto_off.decoding.post.balanced_accuracy") >
        v.at("residual.opto_off.decoding.pre.balanced_accuracy") + 0.15);
  CHECK(v.at("residual.opto_off.decoding.post_vs_null.p") < 0.01);
  CHECK(std::isnan(v.at("residual.opto_on.contrast.separation.mean")));
  CHECK(v.at("prediction.r") > 0.3);

  // Deterministic: a second run gives the same rows, bit for bit (NaN where NaN).
  const std::vector<NamedValue> again = headline_rows(analyze_cohort(planted(false), o));
  REQUIRE(again.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO(rows[i].name);
    CHECK(again[i].name == rows[i].name);
    CHECK((again[i].value == rows[i].value || (std::isnan(again[i].value) && std::isnan(rows[i].value))));
  }
}

TEST_CASE("an alternating-day opto cohort projects LED events onto the LED-off fit", "[analysis][cohort]") {
  AnalysisOptions o;
  o.decode = false;
  const CohortAnalysis a = analyze_cohort(planted(true), o);
  CHECK(a.has_opto);
  CHECK(a.opto_on.computed);
  CHECK(a.pooled_fits > 0);
  CHECK(a.opto_on.residual.mean < -3.0);
  CHECK(std::abs(a.opto_off.residual.mean) < 0.2);
  const auto v = as_map(headline_rows(a));
  CHECK(std::isnan(v.at("residual.opto_off.decoding.post.balanced_accuracy")));
  // The same names as a cohort without LED frames.
  AnalysisOptions control_options = o;
  const auto control = headline_rows(analyze_cohort(planted(false), control_options));
  CHECK(control.size() == v.size());
}

TEST_CASE("validation names the session and the field", "[analysis][cohort]") {
  Cohort c = planted(false);
  c.sessions[3].neurons[2].soma_dff.pop_back();
  try {
    (void)analyze_cohort(c);
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    CHECK(msg.find("m0 day 4 session 0") != std::string::npos);
    CHECK(msg.find("neurons[2].soma_dff") != std::string::npos);
  }
  Cohort d = planted(false);
  d.sessions[1] = d.sessions[0];
  CHECK_THROWS_WITH(analyze_cohort(d), Catch::Matchers::Contains("appears twice"));

  // A trial cut off by the end of the session has end_frame −1 (bci::TrialRow's convention); its
  // OPEN frames still carry error epochs up to the last frame.
  Session e = planted(false).sessions[0];
  Trial cut;
  cut.start_frame = static_cast<std::int64_t>(e.frames()) - 100;
  cut.outcome = Outcome::incomplete;
  for (std::size_t k = e.frames() - 100; k < e.frames(); ++k) {
    e.state[k] = TrialState::open;
    e.error[k] = 1.0 + 0.01 * static_cast<double>(k - (e.frames() - 100));  // rising: Δε = 0.15 per second
  }
  e.trials.push_back(cut);
  CHECK_NOTHROW(validate(e));
  const std::vector<ErrorEpoch> epochs = error_epochs(e);
  std::size_t tagged = 0;
  for (std::size_t k = e.frames() - 85; k < e.frames(); ++k) tagged += epochs[k] == ErrorEpoch::increase;
  CHECK(tagged == 85);
  e.trials.back().end_frame = -2;
  CHECK_THROWS_WITH(validate(e), Catch::Matchers::Contains(".end_frame"));
}

TEST_CASE("perturbation vs control slope rows", "[analysis][cohort]") {
  SlopeComparison s;
  s.perturbed_mean = 0.02;
  s.control_mean = 0.08;
  s.ratio = 0.25;
  s.reduction = 0.75;
  const auto v = as_map(headline_rows(s));
  CHECK(v.at("slopes.ratio") == 0.25);
  CHECK(v.at("slopes.reduction") == 0.75);
  CHECK(v.count("slopes.welch.p") == 1);
}
