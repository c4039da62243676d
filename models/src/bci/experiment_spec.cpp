// Validation, rule-parameter resolution and summaries of ExperimentSpec (experiment_spec.hpp).
#include "apical/models/bci/experiment_spec.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "apical/engine/loop/sliding_percentile.hpp"
#include "apical/models/learning/learning_rules.hpp"

namespace apical::bci {

namespace {

[[noreturn]] void fail(const std::string& path, double value, const std::string& requirement) {
  std::ostringstream message;
  message << "ExperimentSpec." << path << " = " << value << " " << requirement;
  throw std::invalid_argument(message.str());
}

void finite(const std::string& path, double v) {
  if (!std::isfinite(v)) fail(path, v, "must be finite");
}
void positive(const std::string& path, double v) {
  if (!(std::isfinite(v) && v > 0.0)) fail(path, v, "must be > 0");
}
void non_negative(const std::string& path, double v) {
  if (!(std::isfinite(v) && v >= 0.0)) fail(path, v, "must be >= 0");
}
void within(const std::string& path, double v, double lo, double hi) {
  if (!(std::isfinite(v) && v >= lo && v <= hi)) {
    std::ostringstream r;
    r << "must lie in [" << lo << ", " << hi << "]";
    fail(path, v, r.str());
  }
}
template <class F>
void nested(const std::string& path, F&& check) {
  try {
    check();
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("ExperimentSpec." + path + ": " + e.what());
  }
}

std::size_t frames_of_minutes(double minutes) {
  return static_cast<std::size_t>(std::llround(minutes * 60.0 * frame_rate_Hz));
}

}  // namespace

std::size_t ExperimentSpec::session_frames() const { return frames_of_minutes(schedule.session_min); }
std::size_t ExperimentSpec::calibration_frames() const { return frames_of_minutes(schedule.calibration_min); }

std::vector<double> resolve_rule_parameters(const LearningSpec& learning) {
  const auto rule = builtin_learning_rules().find(learning.rule);
  if (!rule) {
    std::string names;
    for (const std::string& n : builtin_learning_rules().names()) names += (names.empty() ? "" : ", ") + n;
    throw std::invalid_argument("ExperimentSpec.learning.rule = '" + learning.rule + "' is not a learning rule (known: " +
                                names + ")");
  }
  const auto& specs = rule->info().parameters;
  std::vector<double> values;
  for (const ParameterSpec& p : specs) values.push_back(p.default_value);
  for (const auto& [name, value] : learning.parameters) {
    std::size_t k = 0;
    while (k < specs.size() && specs[k].name != name) ++k;
    if (k == specs.size()) {
      std::string names;
      for (const ParameterSpec& p : specs) names += (names.empty() ? "" : ", ") + p.name;
      throw std::invalid_argument("ExperimentSpec.learning.parameters." + name + ": rule " + learning.rule +
                                  " has no such parameter (it has: " + (names.empty() ? "none" : names) + ")");
    }
    within("learning.parameters." + name, value, specs[k].min, specs[k].max);
    values[k] = value;
  }
  return values;
}

void validate(const ExperimentSpec& s) {
  const FieldOfViewSpec& fov = s.field_of_view;
  if (fov.n_plus < 1) fail("field_of_view.n_plus", static_cast<double>(fov.n_plus), "must be >= 1");
  if (fov.n_minus < 1) fail("field_of_view.n_minus", static_cast<double>(fov.n_minus), "must be >= 1");

  within("dt_ms", s.dt_ms, 1e-3, 5.0);

  nested("circuit.cell", [&] { validate(s.circuit.cell); });
  if (s.circuit.cell_model == CellModel::bahl2012) {
    const CompartmentalCellSpec& c = s.circuit.compartmental;
    if (!c.description)
      throw std::invalid_argument("ExperimentSpec.circuit.compartmental.description is missing: cell_model "
                                  "bahl2012 needs the cell (the scenario loader reads models/data/bahl2012/model2.json)");
    within("circuit.compartmental.dt_ms", c.dt_ms, 1e-4, s.dt_ms);
    const double substeps = s.dt_ms / c.dt_ms;
    if (std::abs(substeps - std::round(substeps)) > 1e-6 * substeps)
      fail("circuit.compartmental.dt_ms", c.dt_ms, "must divide dt_ms into whole steps");
    finite("circuit.compartmental.somatic_gain", c.somatic_gain);
    finite("circuit.compartmental.apical_gain", c.apical_gain);
    non_negative("circuit.compartmental.inhibition_gain", c.inhibition_gain);
    within("circuit.compartmental.E_inh_mV", c.E_inh_mV, -150.0, 100.0);
    within("circuit.compartmental.spike_threshold_mV", c.spike_threshold_mV, -100.0, 50.0);
    positive("circuit.compartmental.ca_open_reference", c.ca_open_reference);
    non_negative("circuit.compartmental.burst_isi_ms", c.burst_isi_ms);
  }
  nested("circuit.inputs", [&] { validate(s.circuit.inputs); });
  within("circuit.input_weights.connection_probability", s.circuit.input_weights.connection_probability, 1e-9, 1.0);
  non_negative("circuit.input_weights.mean_current_pA", s.circuit.input_weights.mean_current_pA);
  non_negative("circuit.input_weights.weight_cv", s.circuit.input_weights.weight_cv);
  within("circuit.neuron_drive_cv", s.circuit.neuron_drive_cv, 0.0, 10.0);

  nested("imaging.indicator", [&] { validate(s.imaging.indicator); });
  non_negative("imaging.noise_dFF", s.imaging.noise_dFF);
  within("imaging.indicator_step_ms", s.imaging.indicator_step_ms, s.dt_ms, 1000.0 / frame_rate_Hz);
  nested("imaging.dff.baseline", [&] { loop::SlidingPercentile check(s.imaging.dff.baseline); });

  const LoopSpec& lp = s.loop;
  if (lp.decoder.smoothing_frames < 1) fail("loop.decoder.smoothing_frames", 0, "must be >= 1");
  if (lp.calibration.pseudo_trials < 1) fail("loop.calibration.pseudo_trials", 0, "must be >= 1");
  if (lp.calibration.trial_frames < 1) fail("loop.calibration.trial_frames", 0, "must be >= 1");
  within("loop.calibration.p_cal", lp.calibration.p_cal, 1e-6, 1.0 - 1e-6);
  within("loop.calibration.floor_quantile", lp.calibration.floor_quantile, 0.0, 1.0);
  nested("loop.task", [&] { loop::TrialTask check(lp.task); });
  within("loop.task.target_angle_deg", lp.task.target_angle_deg, 0.0, 360.0);

  const SelectionSpec& sel = s.selection;
  positive("selection.threshold_mad", sel.threshold_mad);
  non_negative("selection.min_interval_s", sel.min_interval_s);
  non_negative("selection.min_rate_per_min", sel.min_rate_per_min);

  const TeachingSpec& t = s.teaching;
  finite("teaching.kappa_delta_s", t.kappa_delta_s);
  finite("teaching.kappa_epsilon", t.kappa_epsilon);
  finite("teaching.kappa_R", t.kappa_R);
  non_negative("teaching.error_rate_tau_s", t.error_rate_tau_s);
  positive("teaching.reward_tau_s", t.reward_tau_s);
  finite("teaching.teaching_gain_pA", t.teaching_gain_pA);
  positive("teaching.teaching_limit", t.teaching_limit);
  non_negative("teaching.learned_feedback_rate", t.learned_feedback_rate);

  within("reward.baseline_alpha", s.reward.baseline_alpha, 0.0, 1.0);
  if (s.reward.initial_baseline >= 0.0) within("reward.initial_baseline", s.reward.initial_baseline, 0.0, 1.0);
  finite("reward.initial_baseline", s.reward.initial_baseline);

  const LearningSpec& l = s.learning;
  resolve_rule_parameters(l);
  positive("learning.w_max_pA_per_Hz", l.w_max_pA_per_Hz);
  within("learning.clip_fraction", l.clip_fraction, 1e-12, 1.0);
  positive("learning.presynaptic_tau_s", l.presynaptic_tau_s);
  positive("learning.rate_mean_tau_s", l.rate_mean_tau_s);
  within("learning.activity_cost", l.activity_cost, 0.0, 1.0);
  within("learning.synaptic_scaling_tau_s", l.synaptic_scaling_tau_s, 0.0, 1e7);
  positive("learning.fi_block_s", l.fi_block_s);
  if (l.fi_scales < 2) fail("learning.fi_scales", static_cast<double>(l.fi_scales), "must be >= 2");
  positive("learning.fi_bin_pA", l.fi_bin_pA);

  const OptoSpec& o = s.manipulations.opto;
  positive("manipulations.opto.light_period_ms", o.light_period_ms);
  within("manipulations.opto.light_ms", o.light_ms, 0.0, o.light_period_ms);
  // The gate must cover the LED pulse, or the PMTs see the light (as the rig's firmware demands).
  within("manipulations.opto.pmt_gate_ms", o.pmt_gate_ms, o.light_ms, o.light_period_ms);
  positive("manipulations.opto.tau_ms", o.tau_ms);
  non_negative("manipulations.opto.g_max_nS", o.g_max_nS);
  within("manipulations.opto.somatic_current_reduction", o.somatic_current_reduction, 0.0, 1.0);
  within("manipulations.opto.silencing_current_reduction", o.silencing_current_reduction, 0.0, 1.0);
  non_negative("manipulations.opto.excitation_pA", o.excitation_pA);
  positive("manipulations.opto.block_s", o.block_s);
  positive("manipulations.opto.after_reward_s", o.after_reward_s);
  positive("manipulations.opto.error_lag_s", o.error_lag_s);
  non_negative("manipulations.opto.error_threshold", o.error_threshold);
  positive("manipulations.opto.random_epoch_s", o.random_epoch_s);
  within("manipulations.opto.random_duty", o.random_duty, 0.0, 1.0);
  if (o.kind == OptoKind::apical_decoupling && s.circuit.cell_model != CellModel::two_compartment)
    throw std::invalid_argument(std::string("ExperimentSpec.manipulations.opto.kind = apical_decoupling (O4) needs "
                                            "circuit.cell_model two_compartment: the ") +
                                to_string(s.circuit.cell_model) +
                                " cell's tuft is joined to the soma by its cable, which cannot be cut while the light is on");
  if (o.first_day < 1) fail("manipulations.opto.first_day", o.first_day, "must be >= 1");

  const ScheduleSpec& sc = s.schedule;
  if (sc.days < 1) fail("schedule.days", sc.days, "must be >= 1");
  if (sc.sessions_per_day < 1) fail("schedule.sessions_per_day", sc.sessions_per_day, "must be >= 1");
  positive("schedule.session_min", sc.session_min);
  positive("schedule.calibration_min", sc.calibration_min);
  non_negative("schedule.warm_up_s", sc.warm_up_s);
  if (s.calibration_frames() < lp.calibration.trial_frames)
    fail("schedule.calibration_min", sc.calibration_min,
         "is shorter than one calibration pseudo-trial (loop.calibration.trial_frames = " +
             std::to_string(lp.calibration.trial_frames) + " frames)");
  if (s.session_frames() < 2) fail("schedule.session_min", sc.session_min, "gives fewer than 2 frames");
  if (lp.chance_repetitions > 0) {
    // The chance level runs on every session and, as the baseline chance, on every calibration block.
    const std::size_t needed = std::max(2 * lp.chance_min_shift_frames + 1, lp.task.open_frames) + 1;
    const std::string why = "is too short for the chance level (needs > " + std::to_string(needed - 1) +
                            " frames; set loop.chance_repetitions = 0 to skip it)";
    if (s.session_frames() < needed) fail("schedule.session_min", sc.session_min, why);
    if (s.calibration_frames() < needed) fail("schedule.calibration_min", sc.calibration_min, why);
  }
}

bool opto_light_on(const OptoSpec& o, int day, double t_s) {
  switch (o.kind) {
    case OptoKind::none: return false;
    case OptoKind::apical_inhibition:
    case OptoKind::light_only:
    case OptoKind::somatic_silencing:
    case OptoKind::apical_excitation:
    case OptoKind::apical_decoupling: break;
  }
  switch (o.schedule) {
    case OptoSchedule::every_session: return true;
    case OptoSchedule::alternate_days: return day >= o.first_day && (day - o.first_day) % 2 == 0;
    case OptoSchedule::blocks: return static_cast<long long>(std::floor(t_s / o.block_s)) % 2 == 1;
    case OptoSchedule::after_reward:
    case OptoSchedule::error_reduction:
    case OptoSchedule::random_epochs: return false;
  }
  return false;
}

bool opto_task_locked(const OptoSpec& o) {
  return o.schedule == OptoSchedule::after_reward || o.schedule == OptoSchedule::error_reduction ||
         o.schedule == OptoSchedule::random_epochs;
}

bool opto_lights_calibration(const OptoSpec& o, int day) {
  return o.calibration_lit && o.schedule != OptoSchedule::blocks && opto_light_on(o, day, 0.0);
}

std::string stabiliser_summary(const ExperimentSpec& s) {
  std::ostringstream out;
  const double wmax = s.learning.w_max_pA_per_Hz;
  out << "hard bounds [0, " << wmax << " pA/Hz]; |dW| <= " << s.learning.clip_fraction * wmax
      << " pA/Hz per frame update; " << (s.circuit.plastic_unconnected ? "all M inputs plastic" : "only existing synapses plastic")
      << "; synaptic scaling ";
  if (s.learning.synaptic_scaling_tau_s > 0.0)
    out << "on (tau " << s.learning.synaptic_scaling_tau_s << " s, set point: day-1 calibration rate)";
  else
    out << "off";
  out << "; activity cost ";
  if (s.learning.activity_cost > 0.0)
    out << "on (lambda " << s.learning.activity_cost << ")";
  else
    out << "off";
  out << "; rule " << s.learning.rule;
  return out.str();
}

const char* to_string(CellModel m) {
  switch (m) {
    case CellModel::two_compartment: return "two_compartment";
    case CellModel::bahl2012: return "bahl2012";
  }
  return "?";
}
const char* to_string(FeedbackType t) {
  switch (t) {
    case FeedbackType::oracle: return "oracle";
    case FeedbackType::random: return "random";
    case FeedbackType::learned: return "learned";
    case FeedbackType::zero: return "zero";
  }
  return "?";
}
const char* to_string(OptoKind k) {
  switch (k) {
    case OptoKind::none: return "none";
    case OptoKind::apical_inhibition: return "apical_inhibition";
    case OptoKind::light_only: return "light_only";
    case OptoKind::somatic_silencing: return "somatic_silencing";
    case OptoKind::apical_excitation: return "apical_excitation";
    case OptoKind::apical_decoupling: return "apical_decoupling";
  }
  return "?";
}
const char* to_string(OptoSchedule s) {
  switch (s) {
    case OptoSchedule::every_session: return "every_session";
    case OptoSchedule::alternate_days: return "alternate_days";
    case OptoSchedule::blocks: return "blocks";
    case OptoSchedule::after_reward: return "after_reward";
    case OptoSchedule::error_reduction: return "error_reduction";
    case OptoSchedule::random_epochs: return "random_epochs";
  }
  return "?";
}
const char* to_string(CalibrationPolicy p) {
  switch (p) {
    case CalibrationPolicy::once_frozen: return "once_frozen";
    case CalibrationPolicy::daily: return "daily";
  }
  return "?";
}

}  // namespace apical::bci
