// ExperimentSpec: defaults from the docs, validate() naming the field, rule parameters by name, the
// opto schedule and the stabiliser summary.
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "apical/models/bci/experiment_spec.hpp"

using namespace apical;
using namespace apical::bci;
using Catch::Matchers::Contains;

TEST_CASE("ExperimentSpec defaults follow experiment.md and learning_rules.md", "[bci][spec]") {
  const ExperimentSpec s;
  CHECK(s.field_of_view.n_plus == 5);
  CHECK(s.field_of_view.n_minus == 5);
  CHECK(s.field_of_view.n_zero == 40);
  CHECK(s.schedule.days == 14);
  CHECK(s.schedule.sessions_per_day == 1);
  CHECK(s.schedule.session_min == 30.0);
  CHECK(s.schedule.calibration_min == 10.0);
  CHECK(s.schedule.calibration_policy == CalibrationPolicy::once_frozen);
  CHECK(s.session_frames() == 27000);
  CHECK(s.calibration_frames() == 9000);
  CHECK(s.loop.calibration.p_cal == 0.30);
  CHECK(s.loop.task.reward_delay_frames == 15);
  CHECK(s.loop.task.open_frames == 420);
  CHECK(s.reward.baseline_alpha == 0.8);
  CHECK(s.teaching.feedback == FeedbackType::oracle);
  CHECK(s.manipulations.opto.light_ms == 6.0);
  CHECK(s.manipulations.opto.tau_ms == 20.0);
  CHECK(s.circuit.cell.E_inh_mV == -80.0);
  CHECK(s.learning.rule == "R3");
  CHECK_NOTHROW(validate(s));
}

TEST_CASE("validate() names the offending field", "[bci][spec]") {
  auto message = [](const ExperimentSpec& s) {
    try {
      validate(s);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  ExperimentSpec s;
  s.teaching.reward_tau_s = -1;
  CHECK_THAT(message(s), Contains("ExperimentSpec.teaching.reward_tau_s"));
  s = {};
  s.field_of_view.n_minus = 0;
  CHECK_THAT(message(s), Contains("field_of_view.n_minus"));
  s = {};
  s.learning.rule = "R9";
  CHECK_THAT(message(s), Contains("learning.rule"));
  CHECK_THAT(message(s), Contains("R3"));  // lists the known rules
  s = {};
  s.learning.parameters["learnig_rate"] = 1e-4;
  CHECK_THAT(message(s), Contains("learning.parameters.learnig_rate"));
  CHECK_THAT(message(s), Contains("learning_rate"));
  s = {};
  s.learning.parameters["learning_rate"] = -1;
  CHECK_THAT(message(s), Contains("learning.parameters.learning_rate"));
  s = {};
  s.schedule.session_min = 1.0;  // shorter than 2 × 60 s of chance-level shift
  CHECK_THAT(message(s), Contains("schedule.session_min"));
  s.loop.chance_repetitions = 0;
  CHECK(message(s) == "no error");
  s = {};
  s.schedule.calibration_min = 1.5;  // ≥ one pseudo-trial, but the baseline chance needs > 2 × 60 s
  CHECK_THAT(message(s), Contains("schedule.calibration_min"));
  CHECK_THAT(message(s), Contains("too short for the chance level"));
  s.loop.chance_repetitions = 0;
  CHECK(message(s) == "no error");
  s = {};
  s.circuit.cell.tau_s_ms = -3;
  CHECK_THAT(message(s), Contains("circuit.cell"));
  CHECK_THAT(message(s), Contains("tau_s"));
  s = {};
  s.manipulations.opto.light_ms = 70;
  CHECK_THAT(message(s), Contains("manipulations.opto.light_ms"));
  s = {};
  s.manipulations.opto.pmt_gate_ms = 5.0;  // shorter than the 6-ms pulse: the PMTs would see the light
  CHECK_THAT(message(s), Contains("manipulations.opto.pmt_gate_ms"));
  s = {};
  s.imaging.indicator_step_ms = 0.1;  // below dt
  CHECK_THAT(message(s), Contains("imaging.indicator_step_ms"));
}

TEST_CASE("rule parameters resolve by name, defaults filled in", "[bci][spec]") {
  LearningSpec l;
  l.rule = "R2";
  l.parameters = {{"perturbation_sd", 12.5}};
  const std::vector<double> p = resolve_rule_parameters(l);
  REQUIRE(p.size() == 5);
  CHECK(p[2] == 12.5);  // perturbation_sd, third in R2's list
  CHECK(p[1] == 2.0);   // tau_eligibility default
  CHECK(resolve_rule_parameters(LearningSpec{"R3"}).at(0) == 4e-4);  // R3's tuned registered η
  CHECK(resolve_rule_parameters(LearningSpec{"R0"}).empty());
}

TEST_CASE("opto schedules", "[bci][spec]") {
  OptoSpec o;
  CHECK_FALSE(opto_light_on(o, 2, 0.0));  // kind none
  o.kind = OptoKind::apical_inhibition;
  o.schedule = OptoSchedule::alternate_days;
  o.first_day = 2;
  CHECK_FALSE(opto_light_on(o, 1, 0.0));
  CHECK(opto_light_on(o, 2, 0.0));
  CHECK_FALSE(opto_light_on(o, 3, 0.0));
  CHECK(opto_light_on(o, 4, 100.0));
  o.schedule = OptoSchedule::blocks;
  o.block_s = 60;
  CHECK_FALSE(opto_light_on(o, 1, 59.9));
  CHECK(opto_light_on(o, 1, 60.0));
  CHECK_FALSE(opto_light_on(o, 1, 120.0));
  o.schedule = OptoSchedule::every_session;
  CHECK(opto_light_on(o, 7, 3.0));
  // O3 and O4 use the same schedules.
  o.schedule = OptoSchedule::alternate_days;
  for (OptoKind kind : {OptoKind::apical_excitation, OptoKind::apical_decoupling}) {
    o.kind = kind;
    CHECK_FALSE(opto_light_on(o, 1, 0.0));
    CHECK(opto_light_on(o, 2, 0.0));
  }
}

TEST_CASE("a calibration block is lit on days lit throughout, unless calibration_lit is off", "[bci][spec]") {
  OptoSpec o;
  o.schedule = OptoSchedule::every_session;
  CHECK_FALSE(opto_lights_calibration(o, 1));  // kind none
  o.kind = OptoKind::apical_inhibition;
  CHECK(opto_lights_calibration(o, 1));
  o.schedule = OptoSchedule::alternate_days;
  o.first_day = 2;
  CHECK_FALSE(opto_lights_calibration(o, 1));
  CHECK(opto_lights_calibration(o, 2));
  CHECK_FALSE(opto_lights_calibration(o, 3));
  o.schedule = OptoSchedule::blocks;  // blocks start dark
  CHECK_FALSE(opto_lights_calibration(o, 1));
  // The task-locked schedules (O1-t) light no calibration block: it has no task to lock to.
  for (OptoSchedule locked : {OptoSchedule::after_reward, OptoSchedule::error_reduction, OptoSchedule::random_epochs}) {
    o.schedule = locked;
    CHECK(opto_task_locked(o));
    CHECK_FALSE(opto_lights_calibration(o, 1));
    CHECK_FALSE(opto_light_on(o, 1, 0.0));  // not a clock schedule: the session decides each frame
  }
  o.schedule = OptoSchedule::every_session;
  CHECK_FALSE(opto_task_locked(o));
  o.calibration_lit = false;
  CHECK_FALSE(opto_lights_calibration(o, 1));
}

TEST_CASE("the task-locked opto settings are checked, naming the key", "[bci][spec]") {
  ExperimentSpec s;
  s.manipulations.opto.random_duty = 1.5;
  CHECK_THROWS_WITH(validate(s), Contains("ExperimentSpec.manipulations.opto.random_duty = 1.5"));
  s.manipulations.opto.random_duty = 0.42;
  s.manipulations.opto.after_reward_s = 0.0;
  CHECK_THROWS_WITH(validate(s), Contains("ExperimentSpec.manipulations.opto.after_reward_s = 0 must be > 0"));
  s.manipulations.opto.after_reward_s = 2.0;
  s.manipulations.opto.error_threshold = -0.1;
  CHECK_THROWS_WITH(validate(s), Contains("ExperimentSpec.manipulations.opto.error_threshold = -0.1 must be >= 0"));
}

TEST_CASE("O4 needs the two-compartment cell, O3's current must be depolarising", "[bci][spec]") {
  ExperimentSpec s;
  s.manipulations.opto.kind = OptoKind::apical_decoupling;
  s.circuit.cell_model = CellModel::bahl2012;
  s.circuit.compartmental.description = std::make_shared<const CellDescription>();
  CHECK_THROWS_WITH(validate(s), Contains("ExperimentSpec.manipulations.opto.kind = apical_decoupling (O4) needs "
                                          "circuit.cell_model two_compartment"));
  ExperimentSpec o3;
  o3.manipulations.opto.excitation_pA = -1.0;
  CHECK_THROWS_WITH(validate(o3), Contains("ExperimentSpec.manipulations.opto.excitation_pA = -1 must be >= 0"));
}

TEST_CASE("the stabiliser summary reports bounds and clipping", "[bci][spec]") {
  const std::string s = stabiliser_summary(ExperimentSpec{});
  CHECK_THAT(s, Contains("[0, 5 pA/Hz]"));
  CHECK_THAT(s, Contains("0.005 pA/Hz per frame"));
  CHECK_THAT(s, Contains("synaptic scaling off"));
  CHECK_THAT(s, Contains("activity cost off"));
  ExperimentSpec on;
  on.learning.activity_cost = 1e-6;
  on.learning.synaptic_scaling_tau_s = 1800.0;
  const std::string t = stabiliser_summary(on);
  CHECK_THAT(t, Contains("synaptic scaling on (tau 1800 s"));
  CHECK_THAT(t, Contains("activity cost on (lambda 1e-06)"));
  on.learning.activity_cost = -1.0;
  CHECK_THROWS_WITH(validate(on), Contains("learning.activity_cost"));
}
