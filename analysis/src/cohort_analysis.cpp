#include "apical/analysis/cohort_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

namespace apical::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

ResidualBlock residual_block(const Cohort& cohort, const std::vector<SdSession>& sd, OptoFilter opto,
                             const AnalysisOptions& o) {
  ResidualBlock b;
  b.computed = true;
  std::vector<double> z;
  for (const SdSession& s : sd)
    for (const SdNeuron& n : s.neurons)
      if (n.fitted)
        for (const SdEvent& e : n.events)
          if (passes(opto, e.opto) && std::isfinite(e.residual_z)) z.push_back(e.residual_z);
  b.events = z.size();
  b.residual = t_test_one_sample(z, 0.0);
  ContrastOptions c = o.contrast;
  c.opto = opto;
  b.contrast = residual_contrast(cohort, sd, c);
  if (o.decode) {
    DecodingOptions d = o.decoding;
    d.opto = opto;
    b.decoding = decode_outcome(cohort, sd, d);
  } else {
    b.decoding.pre_mean = b.decoding.post_mean = b.decoding.pre_null_mean = b.decoding.post_null_mean = nan;
    b.decoding.fraction_post_significant = nan;
    for (TTest* t : {&b.decoding.pre_vs_null, &b.decoding.post_vs_null, &b.decoding.post_vs_pre}) t->mean = t->t = t->p = nan;
  }
  return b;
}

std::string role_key(Role r) {
  switch (r) {
    case Role::plus: return "plus";
    case Role::minus: return "minus";
    case Role::zero: return "zero";
  }
  return "?";
}

std::string day_key(std::int32_t day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "day%02d", static_cast<int>(day));
  return buf;
}

class Rows {
 public:
  void add(const std::string& name, double v) { rows_.push_back({name, v}); }
  void add(const std::string& name, std::size_t v) { add(name, static_cast<double>(v)); }
  void effect(const std::string& prefix, const AnovaEffect* e) {
    add(prefix + ".F", e ? e->F : nan);
    add(prefix + ".df_effect", e ? e->df_effect : nan);
    add(prefix + ".df_error", e ? e->df_error : nan);
    add(prefix + ".p", e ? e->p : nan);
    add(prefix + ".epsilon_gg", e ? e->epsilon_gg : nan);
    add(prefix + ".p_gg", e ? e->p_gg : nan);
  }
  void ttest(const std::string& prefix, const TTest& t) {
    add(prefix + ".mean", t.mean);
    add(prefix + ".t", t.t);
    add(prefix + ".p", t.p);
    add(prefix + ".n", t.n);
  }
  void pair(const std::string& prefix, const PairwiseComparison* c, double sign) {
    add(prefix + ".difference", c ? sign * c->difference : nan);
    add(prefix + ".q", c ? c->q : nan);
    add(prefix + ".p", c ? c->p : nan);
  }
  // Tukey: every later day against the first day of the cohort.
  void tukey_vs_first_day(const std::string& prefix, const MetricCurve& c, const std::vector<std::int32_t>& days) {
    const auto level = [&](std::size_t column) {
      const auto at = std::find(c.anova_days.begin(), c.anova_days.end(), column);
      return static_cast<std::size_t>(at - c.anova_days.begin());
    };
    for (std::size_t d = 1; d < days.size(); ++d) {
      const PairwiseComparison* found = nullptr;
      if (c.anova)
        for (const PairwiseComparison& t : c.anova->tukey)
          if (t.first == level(0) && t.second == level(d)) found = &t;
      pair(prefix + "." + day_key(days[d]) + "_vs_" + day_key(days[0]), found, 1.0);
    }
  }
  void metric(const std::string& prefix, const MetricCurve& c, const std::vector<std::int32_t>& days) {
    effect(prefix + ".anova", c.anova ? &c.anova->condition : nullptr);
    tukey_vs_first_day(prefix + ".tukey", c, days);
    add(prefix + ".early.mean", mean(c.early));
    add(prefix + ".late.mean", mean(c.late));
    ttest(prefix + ".late_vs_early", c.late_vs_early);
    for (std::size_t d = 0; d < days.size(); ++d) {
      add(prefix + "." + day_key(days[d]) + ".mean", c.mean[d]);
      add(prefix + "." + day_key(days[d]) + ".sem", c.sem[d]);
    }
  }
  void chance(const std::string& prefix, const ChanceCurve& c, const std::vector<std::int32_t>& days) {
    for (std::size_t d = 0; d < days.size(); ++d) {
      add(prefix + "." + day_key(days[d]) + ".mean", c.mean[d]);
      add(prefix + "." + day_key(days[d]) + ".sem", c.sem[d]);
    }
  }
  void block(const std::string& prefix, const ResidualBlock& b) {
    add(prefix + ".events", b.events);
    ttest(prefix + ".residual_z", b.residual);
    const ContrastSummary& c = b.contrast;
    add(prefix + ".contrast.plus.mean", c.plus_mean);
    add(prefix + ".contrast.minus.mean", c.minus_mean);
    add(prefix + ".contrast.zero.mean", c.zero_mean);
    add(prefix + ".contrast.separation.mean", c.separation_mean);
    add(prefix + ".contrast.separation.sem", c.separation_sem);
    add(prefix + ".contrast.fraction_separation_positive", c.fraction_separation_positive);
    add(prefix + ".contrast.fraction_sign_by_role", c.fraction_sign_by_role);
    add(prefix + ".contrast.mice", c.mice_with_separation);
    const DecodingSummary& d = b.decoding;
    add(prefix + ".decoding.units", d.units.size());
    add(prefix + ".decoding.pre.balanced_accuracy", d.pre_mean);
    add(prefix + ".decoding.post.balanced_accuracy", d.post_mean);
    add(prefix + ".decoding.pre.null", d.pre_null_mean);
    add(prefix + ".decoding.post.null", d.post_null_mean);
    ttest(prefix + ".decoding.pre_vs_null", d.pre_vs_null);
    ttest(prefix + ".decoding.post_vs_null", d.post_vs_null);
    ttest(prefix + ".decoding.post_vs_pre", d.post_vs_pre);
    add(prefix + ".decoding.fraction_post_significant", d.fraction_post_significant);
  }
  std::vector<NamedValue> take() { return std::move(rows_); }

 private:
  std::vector<NamedValue> rows_;
};

ResidualBlock empty_block() {
  ResidualBlock b;
  b.residual.mean = b.residual.t = b.residual.df = b.residual.p = nan;
  ContrastSummary& c = b.contrast;
  c.plus_mean = c.minus_mean = c.zero_mean = c.separation_mean = c.separation_sem = nan;
  c.fraction_separation_positive = c.fraction_sign_by_role = nan;
  DecodingSummary& d = b.decoding;
  d.pre_mean = d.post_mean = d.pre_null_mean = d.post_null_mean = d.fraction_post_significant = nan;
  for (TTest* t : {&d.pre_vs_null, &d.post_vs_null, &d.post_vs_pre}) t->mean = t->t = t->p = nan;
  return b;
}

}  // namespace

CohortAnalysis analyze_cohort(const Cohort& cohort, const AnalysisOptions& o) {
  validate(cohort);
  CohortAnalysis a;
  a.cohort = cohort.name;
  a.sessions = cohort.sessions.size();
  a.mice = mouse_ids(cohort).size();
  a.days = days(cohort).size();
  for (const Session& s : cohort.sessions) {
    for (const Trial& t : s.trials) a.trials += t.outcome != Outcome::incomplete ? 1 : 0;
    for (std::uint8_t v : s.opto) a.has_opto = a.has_opto || v != 0;
  }

  std::vector<SessionTransients> transients;
  transients.reserve(cohort.sessions.size());
  for (const Session& s : cohort.sessions) transients.push_back(detect_session_transients(s, o.transients));

  a.learning = learning_curves(cohort, o.learning);
  a.slopes = learning_slopes(a.learning);
  a.rates = transient_rates(cohort, transients, OptoFilter::all);
  a.population = population_rates(a.rates, o.population);

  const std::vector<SdSession> sd = sd_residuals(cohort, transients, o.sd);
  std::vector<double> r, fa, fb;
  std::size_t aic_defined = 0, aic_linear = 0;
  for (const SdSession& s : sd)
    for (const SdNeuron& n : s.neurons) {
      ++a.neuron_sessions;
      if (std::isfinite(n.pairing_r)) ++a.with_dendrite, r.push_back(n.pairing_r);
      if (n.paired) ++a.paired, a.coincident_events += n.events.size();
      if (!n.fitted) continue;
      ++a.fitted;
      if (n.pooled_fit) ++a.pooled_fits;
      fa.push_back(n.a);
      fb.push_back(n.b);
      if (std::isfinite(n.aic_linear) && std::isfinite(n.aic_quadratic)) {
        ++aic_defined;
        if (n.aic_linear <= n.aic_quadratic) ++aic_linear;
      }
    }
  a.pairing_r_mean = mean(r);
  a.fit_a_mean = mean(fa);
  a.fit_b_mean = mean(fb);
  a.fraction_linear_aic_best = aic_defined ? static_cast<double>(aic_linear) / static_cast<double>(aic_defined) : nan;

  a.opto_off = residual_block(cohort, sd, OptoFilter::off, o);
  a.opto_on = a.has_opto ? residual_block(cohort, sd, OptoFilter::on, o) : empty_block();

  ContrastOptions early = o.contrast;
  early.opto = OptoFilter::off;
  a.prediction = early_contrast_vs_change(cohort, sd, a.rates, early, o.early_late);
  a.network = residual_network(cohort, sd, o.network);
  return a;
}

std::vector<NamedValue> headline_rows(const CohortAnalysis& a) {
  Rows rows;
  rows.add("cohort.mice", a.mice);
  rows.add("cohort.days", a.days);
  rows.add("cohort.sessions", a.sessions);
  rows.add("cohort.trials", a.trials);

  rows.metric("learning.accuracy", a.learning.accuracy, a.learning.days);
  rows.ttest("learning.accuracy.late_vs_chance_baseline", a.learning.late_accuracy_vs_chance_baseline);
  rows.chance("learning.chance_baseline", a.learning.chance_baseline, a.learning.days);
  rows.chance("learning.chance_session", a.learning.chance_session, a.learning.days);
  rows.metric("learning.rewards_per_min", a.learning.rewards_per_min, a.learning.days);
  rows.add("learning.slope_per_day.mean", a.slopes.mean);
  rows.add("learning.slope_per_day.sem", a.slopes.sem);

  const PopulationRates& p = a.population;
  const TwoWayRmAnova* anova = p.anova ? &*p.anova : nullptr;
  rows.effect("transients.anova.population", anova ? &anova->a : nullptr);
  rows.effect("transients.anova.day", anova ? &anova->b : nullptr);
  rows.effect("transients.anova.interaction", anova ? &anova->interaction : nullptr);
  for (Role role : {Role::plus, Role::minus, Role::zero}) {
    const auto i = static_cast<std::size_t>(role);
    const std::string prefix = "transients." + role_key(role);
    rows.add(prefix + ".late_normalised.mean", mean(p.late[i]));
    rows.add(prefix + ".late_normalised.sem", sem(p.late[i]));
    for (std::size_t d = 0; d < p.days.size(); ++d)
      rows.add(prefix + "." + day_key(p.days[d]) + ".normalised.mean", p.mean[i][d]);
  }
  rows.ttest("transients.late_plus_vs_minus", p.late_plus_vs_minus);
  // Tukey on the population main effect (the paper's P+ vs P−, P+ vs P0, P− vs P0).
  const std::pair<Role, Role> population_pairs[] = {
      {Role::plus, Role::minus}, {Role::plus, Role::zero}, {Role::minus, Role::zero}};
  for (const auto& [x, y] : population_pairs) {
    const PairwiseComparison* found = nullptr;
    double sign = 1.0;
    const auto& roles = p.anova_roles;
    const auto ix = std::find(roles.begin(), roles.end(), x), iy = std::find(roles.begin(), roles.end(), y);
    if (anova && ix != roles.end() && iy != roles.end()) {
      const auto i = static_cast<std::size_t>(ix - roles.begin()), j = static_cast<std::size_t>(iy - roles.begin());
      for (const PairwiseComparison& t : anova->tukey_a)
        if (t.first == std::min(i, j) && t.second == std::max(i, j)) found = &t;
      sign = i < j ? -1.0 : 1.0;  // the row is x − y; the comparison is second − first
    }
    rows.pair("transients.tukey." + role_key(x) + "_vs_" + role_key(y), found, sign);
  }

  rows.add("sd.neuron_sessions", a.neuron_sessions);
  rows.add("sd.with_dendrite", a.with_dendrite);
  rows.add("sd.paired", a.paired);
  rows.add("sd.fitted", a.fitted);
  rows.add("sd.pooled_fits", a.pooled_fits);
  rows.add("sd.pairing_r.mean", a.pairing_r_mean);
  rows.add("sd.fit_a.mean", a.fit_a_mean);
  rows.add("sd.fit_b.mean", a.fit_b_mean);
  rows.add("sd.coincident_events", a.coincident_events);
  rows.add("sd.fraction_linear_aic_best", a.fraction_linear_aic_best);

  rows.add("residual.has_opto", a.has_opto ? 1.0 : 0.0);
  rows.block("residual.opto_off", a.opto_off);
  rows.block("residual.opto_on", a.opto_on);

  rows.add("prediction.neurons", a.prediction.r.n);
  rows.add("prediction.r", a.prediction.r.r);
  rows.add("prediction.p", a.prediction.r.p);
  rows.add("prediction.partial_r", a.prediction.partial_r.r);
  rows.add("prediction.partial_p", a.prediction.partial_r.p);

  rows.add("network.neuron_sessions", a.network.neurons.size());
  rows.add("network.mice", a.network.mice.size());
  rows.add("network.r2.mean", a.network.r2_mean);
  rows.add("network.null.mean", a.network.null_mean);
  rows.ttest("network.vs_null", a.network.observed_vs_null);
  rows.add("network.fraction_significant", a.network.fraction_significant);
  for (Role role : {Role::plus, Role::minus, Role::zero}) {
    const RoleNetworkSummary& r = a.network.roles[static_cast<std::size_t>(role)];
    rows.add("network." + role_key(role) + ".r2.mean", r.r2_mean);
    rows.add("network." + role_key(role) + ".null.mean", r.null_mean);
  }
  return rows.take();
}

std::vector<NamedValue> headline_rows(const SlopeComparison& c) {
  Rows rows;
  rows.add("slopes.perturbed.mean", c.perturbed_mean);
  rows.add("slopes.control.mean", c.control_mean);
  rows.add("slopes.ratio", c.ratio);
  rows.add("slopes.reduction", c.reduction);
  rows.ttest("slopes.welch", c.welch);
  return rows.take();
}

}  // namespace apical::analysis
