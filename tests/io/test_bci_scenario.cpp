// bci_cohort scenarios: the bundled Francioni 2026 files, the resolved scenario and its round trip,
// every key reaching its own field, the errors a user sees, and the key reference in the docs.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <iostream>
#include <set>

#include "apical/io/bci_scenario.hpp"
#include "apical/io/json_reader.hpp"
#include "apical/io/scenario.hpp"
#include "apical/io/units.hpp"
#include "apical/models/learning/learning_rules.hpp"
#include "io_test_support.hpp"

using apical::BciScenario;
using apical::InputError;
using Catch::Matchers::Contains;
using nlohmann::json;
namespace bci = apical::bci;
namespace fs = std::filesystem;

namespace {

const std::string folder = std::string(APICAL_SOURCE_DIR) + "/scenarios/francioni2026";

json header() {
  return json::parse(R"~({"format": "apical-scenario", "format_version": 1, "kind": "bci_cohort"})~");
}

// The header plus `sections` (an object of top-level keys).
json with(const json& sections) {
  json doc = header();
  doc.update(sections);
  return doc;
}

BciScenario read(const json& doc) { return apical::read_bci_scenario(doc, "test.json"); }

std::string error(const json& doc) {
  try {
    (void)read(doc);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

std::vector<fs::path> bundled_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Every leaf of a JSON object as (JSON Pointer, value).
void leaves(const json& value, const std::string& pointer, std::vector<std::pair<std::string, json>>& out) {
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) leaves(member, pointer + "/" + key, out);
  } else {
    out.emplace_back(pointer, value);
  }
}

// A different valid value for a leaf of the resolved default scenario.
json perturbed(const std::string& pointer, const json& value) {
  static const std::map<std::string, json> other_choice{
      {"/teaching/feedback", "random"},         {"/manipulations/opto/kind", "light_only"},
      {"/manipulations/opto/schedule", "blocks"}, {"/schedule/calibration_policy", "daily"},
      {"/loop/task/show_from", "reward"},       {"/learning/basal_prediction", "fi_curve"},
      {"/circuit/cell_model", "bahl2012"}};
  if (value.is_boolean()) return !value.get<bool>();
  if (value.is_number_unsigned() || value.is_number_integer()) return value.get<long long>() + 1;
  if (value.is_number_float()) {
    const double v = value.get<double>();
    return v == 0.0 ? 0.01 : v * 1.01;
  }
  if (const auto it = other_choice.find(pointer); it != other_choice.end()) return it->second;
  const std::string text = value.get<std::string>();
  const std::size_t space = text.find(' ');
  REQUIRE(space != std::string::npos);
  const double v = std::stod(text.substr(0, space));
  return apical::format_number(v == 0.0 ? 0.01 : v * 1.01) + text.substr(space);
}

}  // namespace

TEST_CASE("every bundled Francioni 2026 scenario loads and validates", "[bci_scenario]") {
  const auto files = bundled_files();
  REQUIRE(files.size() == 19);
  const std::string readme = apical::test::read_text(folder + "/README.md");
  for (const fs::path& file : files) {
    INFO(file.string());
    const json doc = apical::read_json_file(file.string());
    CHECK(apical::scenario_kind(doc, file.string()) == "bci_cohort");
    const BciScenario s = apical::load_bci_scenario(file.string());
    CHECK(s.name == file.stem().string());
    CHECK(s.file == file.string());
    CHECK(!s.description.empty());
    CHECK_NOTHROW(bci::validate(s.spec));
    CHECK(readme.find("`" + file.filename().string() + "`") != std::string::npos);
  }
}

TEST_CASE("the bundled scenarios set what their names say", "[bci_scenario]") {
  const auto load = [](const std::string& name) { return apical::load_bci_scenario(folder + "/" + name + ".json"); };
  const BciScenario bahl = load("cohort_bahl2012");
  CHECK(bahl.spec.circuit.cell_model == bci::CellModel::bahl2012);
  REQUIRE(bahl.spec.circuit.compartmental.description);
  CHECK(bahl.spec.circuit.compartmental.description->name == "bahl2012_model2");
  CHECK(bahl.spec.schedule.days == 1);
  CHECK(apical::resolved_bci_scenario(apical::read_bci_scenario(apical::resolved_bci_scenario(bahl), "r.json")) ==
        apical::resolved_bci_scenario(bahl));
  for (const auto& [name, schedule] : {std::pair{"r3_o1t_error_reduction", bci::OptoSchedule::error_reduction},
                                        std::pair{"r3_o1t_after_reward", bci::OptoSchedule::after_reward},
                                        std::pair{"r3_o1t_random_epochs", bci::OptoSchedule::random_epochs}}) {
    const BciScenario o1t = load(name);
    CHECK(o1t.spec.manipulations.opto.kind == bci::OptoKind::apical_inhibition);
    CHECK(o1t.spec.manipulations.opto.schedule == schedule);
  }
  const BciScenario pmt = load("r3_o2_pmt_gate");
  CHECK(pmt.spec.manipulations.opto.kind == bci::OptoKind::light_only);
  CHECK(pmt.spec.manipulations.opto.schedule == bci::OptoSchedule::every_session);
  CHECK_FALSE(pmt.spec.manipulations.opto.pmt_gate_in_flyback);
  CHECK(pmt.spec.manipulations.opto.calibration_lit);
  const BciScenario d = load("cohort_default");
  CHECK(d.mice == 6);
  CHECK(d.first_mouse == 0);
  CHECK(d.spec.schedule.days == 14);
  CHECK(d.spec.learning.rule == "R3");
  CHECK(d.spec.teaching.feedback == bci::FeedbackType::oracle);
  CHECK(d.spec.manipulations.opto.kind == bci::OptoKind::none);
  CHECK(d.spec.learning.activity_cost == 7e-7);
  CHECK(d.spec.learning.synaptic_scaling_tau_s == 4.0 * 3600.0);

  const std::map<std::string, std::string> rules{{"r0_none", "R0"},
                                                 {"r1_three_factor", "R1"},
                                                 {"r2_node_perturbation", "R2"},
                                                 {"r3_random_feedback", "R3"},
                                                 {"r3_learned_feedback", "R3"},
                                                 {"r4_burstprop", "R4"},
                                                 {"r5_rpe_apical_sign", "R5"},
                                                 {"r3_o1_ndnf_inhibition", "R3"},
                                                 {"r3_o2_light_only", "R3"},
                                                 {"r3_o2_pmt_gate", "R3"},
                                                 {"r3_o3_apical_excitation", "R3"},
                                                 {"r3_o4_apical_decoupling", "R3"},
                                                 {"r3_o7_somatic_silencing", "R3"},
                                                 {"r0_bac_null", "R0"}};
  for (const auto& [name, rule] : rules) {
    INFO(name);
    CHECK(load(name).spec.learning.rule == rule);
  }
  CHECK(load("r3_random_feedback").spec.teaching.feedback == bci::FeedbackType::random);
  CHECK(load("r3_learned_feedback").spec.teaching.feedback == bci::FeedbackType::learned);
  const BciScenario null = load("r0_bac_null");
  CHECK(null.spec.teaching.feedback == bci::FeedbackType::zero);
  CHECK(null.spec.circuit.cell.c_d_pA == apical::TwoCompartmentParameters{}.c_d_pA);  // default coupling
  CHECK(null.spec.circuit.cell.g_s_pA == apical::TwoCompartmentParameters{}.g_s_pA);
  CHECK_THAT(null.description, Contains("supralinear") && Contains("BAC"));
  const BciScenario o1 = load("r3_o1_ndnf_inhibition"), o2 = load("r3_o2_light_only");
  CHECK(o1.spec.manipulations.opto.kind == bci::OptoKind::apical_inhibition);
  CHECK(o2.spec.manipulations.opto.kind == bci::OptoKind::light_only);
  CHECK(load("r3_o7_somatic_silencing").spec.manipulations.opto.kind == bci::OptoKind::somatic_silencing);
  CHECK(load("r3_o3_apical_excitation").spec.manipulations.opto.kind == bci::OptoKind::apical_excitation);
  CHECK(load("r3_o4_apical_decoupling").spec.manipulations.opto.kind == bci::OptoKind::apical_decoupling);
  for (const BciScenario* s : {&o1, &o2}) {
    CHECK(s->spec.manipulations.opto.schedule == bci::OptoSchedule::alternate_days);
    CHECK(bci::opto_light_on(s->spec.manipulations.opto, 2, 0.0));
    CHECK_FALSE(bci::opto_light_on(s->spec.manipulations.opto, 3, 0.0));
  }
}

TEST_CASE("the default scenario is the ExperimentSpec default with the stabilisers on", "[bci_scenario]") {
  const BciScenario loaded = apical::load_bci_scenario(folder + "/cohort_default.json");
  BciScenario defaults;
  defaults.name = loaded.name;
  defaults.description = loaded.description;
  defaults.spec.learning.activity_cost = 7e-7;                 // docs/learning-rules.md#stabilisers
  defaults.spec.learning.synaptic_scaling_tau_s = 4.0 * 3600.0;
  CHECK(apical::resolved_bci_scenario(loaded) == apical::resolved_bci_scenario(defaults));
  // The rule's parameters are filled in, so the spec says exactly what runs.
  std::map<std::string, double> declared;
  for (const apical::ParameterSpec& p : apical::builtin_learning_rules().find("R3")->info().parameters) declared[p.name] = p.default_value;
  CHECK(declared.size() == 2);
  CHECK(loaded.spec.learning.parameters == declared);
}

TEST_CASE("the resolved scenario writes every field with its unit", "[bci_scenario]") {
  const json r = apical::resolved_bci_scenario(read(header()));
  CHECK(r.at("format") == "apical-scenario");
  CHECK(r.at("format_version") == 1);
  CHECK(r.at("kind") == "bci_cohort");
  CHECK(r.at("name") == "test");
  CHECK(r.at("cohort") == json::parse(R"({"mice": 6, "first_mouse": 0})"));
  CHECK(r.at("seed") == 1);
  CHECK(r.at("dt") == "0.5 ms");
  CHECK(r.at("schedule").at("session") == "30 min");
  CHECK(r.at("schedule").at("calibration") == "10 min");
  CHECK(r.at("selection").at("min_rate") == "0.5 1/min");
  CHECK(r.at("learning").at("w_max") == "5 pA/Hz");
  CHECK(r.at("learning").at("parameters") == json::parse(R"({"learning_rate": 0.0004, "ca_gated": 0.0})"));
  CHECK(r.at("manipulations").at("opto").at("light_period") == "66.66666666666667 ms");
  CHECK(r.at("manipulations").at("opto").at("g_max") == "100 nS");
  CHECK(r.at("circuit").at("cell").at("a_w") == "-13 nS");
  CHECK(r.at("circuit").at("cell").at("C_s") == "370 pF");
  CHECK(r.at("circuit").at("inputs").at("n_inputs") == 400);
  CHECK(r.at("imaging").at("indicator").at("gamma_ext") == "800 1/s");
  CHECK(r.at("imaging").at("indicator").at("F_bg") == "203.56 a.u.");
  CHECK(r.at("imaging").at("dff").at("baseline").at("window") == 870);
  CHECK(r.at("loop").at("task").at("target_angle") == "90 deg");
  CHECK(r.at("teaching").at("feedback") == "oracle");
  CHECK_FALSE(r.at("loop").at("calibration").contains("seed"));  // derived per mouse, not a setting

  // Every leaf is a documented key and every documented key (but the objects) is a leaf.
  std::vector<std::pair<std::string, json>> all;
  leaves(r, "", all);
  std::set<std::string> leaf_paths;
  for (const auto& [pointer, value] : all) {
    std::string dotted = pointer.substr(1);
    std::replace(dotted.begin(), dotted.end(), '/', '.');
    if (dotted.rfind("learning.parameters.", 0) == 0) continue;
    leaf_paths.insert(dotted);
  }
  std::set<std::string> key_paths{"format", "format_version", "kind", "name", "description"};
  for (const apical::BciScenarioKey& k : apical::bci_scenario_keys())
    if (k.type != "object") key_paths.insert(k.path);
  CHECK(leaf_paths == key_paths);
}

TEST_CASE("a scenario with non-default values reads back identically from its resolved form", "[bci_scenario]") {
  const json doc = with(json::parse(R"~({
    "name": "custom", "description": "every section touched",
    "cohort": {"mice": 3, "first_mouse": 18446744073709551000},
    "seed": 12345678901234567890,
    "field_of_view": {"n_plus": 3, "n_minus": 4, "n_zero": 9},
    "circuit": {"cell": {"tau_s": "0.02 s", "a_w": "-0.015 uS", "C_d": "0.2 nF", "burst_isi": "12 ms"},
                "inputs": {"n_inputs": 123, "mean_rate": "0.007 kHz", "I_d_sd": "0.1 nA"},
                "input_weights": {"connection_probability": 0.35, "mean_current": "0.3 nA", "weight_cv": 0.7},
                "neuron_drive_cv": 0.1, "plastic_unconnected": true},
    "imaging": {"indicator": {"tau_binding": "15 ms", "gamma_ext": "700 Hz", "dend_plateau_influx": "1.5 uM/ms",
                              "F_bg": "210 a.u."},
                "noise_dFF": 0.03, "dual_plane": false, "indicator_step": "2 ms",
                "dff": {"baseline": {"window": 600, "quantile": 0.2, "bin_width": "0.5 a.u.", "bins": 100000}}},
    "loop": {"decoder": {"smoothing_frames": 5, "per_neuron_zscore": true},
             "calibration": {"pseudo_trials": 150, "trial_frames": 300, "p_cal": 0.25, "floor_quantile": 0.01},
             "task": {"open_frames": 300, "show_from": "reward", "target_angle": "80 deg"},
             "chance_repetitions": 0, "chance_min_shift_frames": 450},
    "selection": {"threshold_mad": 3.5, "min_interval": "500 ms", "min_rate": "0.02 Hz"},
    "teaching": {"kappa_delta": "250 ms", "kappa_epsilon": 0, "kappa_R": 1.5, "error_rate_tau": "0 s",
                 "reward_tau": "0.3 s", "teaching_gain": "0.01 nA", "teaching_limit": 4,
                 "feedback": "learned", "learned_feedback_rate": 0.002},
    "reward": {"baseline_alpha": 0.75, "initial_baseline": 0.3},
    "learning": {"rule": "R2", "parameters": {"perturbation_sd": "0.05 nA", "tau_eligibility": "1500 ms"},
                 "w_max": "0.004 nA/Hz", "clip_fraction": 0.002, "presynaptic_tau": "50 ms",
                 "rate_mean_tau": "0.2 min", "plastic_during_calibration": true, "basal_prediction": "fi_curve",
                 "twin_includes_apical_inhibition": false, "fi_block": "10 s", "fi_scales": 6, "fi_bin": "0.05 nA",
                 "fi_without_dendritic_noise": true},
    "manipulations": {"opto": {"kind": "apical_inhibition", "schedule": "blocks", "first_day": 3, "block": "1 min",
                               "light": "5 ms", "light_period": "33.333 ms", "tau": "0.05 s", "g_max": "0.05 uS",
                               "somatic_current_reduction": 0.05, "pmt_gate": "0.008 s", "pmt_gate_in_flyback": false},
                      "feedback_sign_swap": true, "neuromodulator_block": true},
    "schedule": {"days": 5, "sessions_per_day": 2, "session": "600 s", "calibration": "0.1 h", "warm_up": "500 ms",
                 "calibration_policy": "daily"},
    "record": {"dendrite_dff": false, "raw_f": true, "calibration_dff": true},
    "dt": "250 us"
  })~"));
  const BciScenario a = read(doc);
  // Conversions are exact where the decimal value is.
  CHECK(a.mice == 3);
  CHECK(a.first_mouse == 18446744073709551000ULL);
  CHECK(a.spec.seed == 12345678901234567890ULL);
  CHECK(a.spec.circuit.cell.tau_s_ms == 20.0);
  CHECK(a.spec.circuit.cell.a_w_nS == -15.0);
  CHECK(a.spec.circuit.cell.C_d_pF == 200.0);
  CHECK(a.spec.circuit.inputs.n_inputs == 123);
  CHECK(a.spec.circuit.inputs.mean_rate_Hz == 7.0);
  CHECK(a.spec.circuit.input_weights.mean_current_pA == 300.0);
  CHECK(a.spec.imaging.indicator.dend_plateau_influx_nM_per_ms == 1500.0);
  CHECK(a.spec.selection.min_rate_per_min == 1.2);
  CHECK(a.spec.teaching.teaching_gain_pA == 10.0);
  CHECK(a.spec.learning.w_max_pA_per_Hz == 4.0);
  CHECK(a.spec.learning.rate_mean_tau_s == 12.0);
  CHECK(a.spec.learning.parameters.at("perturbation_sd") == 50.0);
  CHECK(a.spec.learning.parameters.at("tau_eligibility") == 1.5);
  CHECK(a.spec.learning.parameters.at("exploration_site") == 0.0);  // the default, filled in
  CHECK(a.spec.manipulations.opto.block_s == 60.0);
  CHECK(a.spec.manipulations.opto.g_max_nS == 50.0);
  CHECK(a.spec.manipulations.opto.pmt_gate_ms == 8.0);
  CHECK_FALSE(a.spec.manipulations.opto.pmt_gate_in_flyback);
  CHECK(a.spec.schedule.session_min == 10.0);
  CHECK(a.spec.schedule.calibration_min == 6.0);
  CHECK(a.spec.dt_ms == 0.25);
  CHECK(a.spec.loop.task.show_from == apical::loop::ShowAnchor::reward);
  CHECK(a.spec.learning.basal_prediction == bci::LearningSpec::BasalPrediction::fi_curve);

  const json ra = apical::resolved_bci_scenario(a);
  const BciScenario b = apical::read_bci_scenario(ra, "resolved.json");
  CHECK(apical::resolved_bci_scenario(b) == ra);
  CHECK(b.name == "custom");
  CHECK(b.description == a.description);
  CHECK(b.mice == a.mice);
  CHECK(b.first_mouse == a.first_mouse);
  CHECK(b.spec.seed == a.spec.seed);
  CHECK(b.spec.learning.parameters == a.spec.learning.parameters);
  CHECK(b.spec.manipulations.opto.light_period_ms == a.spec.manipulations.opto.light_period_ms);
  CHECK(b.spec.selection.min_rate_per_min == a.spec.selection.min_rate_per_min);
  CHECK(b.spec.dt_ms == a.spec.dt_ms);
}

TEST_CASE("every key reaches a field of its own", "[bci_scenario]") {
  // Changing one leaf of the resolved default scenario changes that leaf, and only it, after a round
  // trip: no two keys share a field, and every key is written back under its own name.
  const json base = apical::resolved_bci_scenario(read(header()));
  std::vector<std::pair<std::string, json>> all;
  leaves(base, "", all);
  std::size_t changed = 0;
  for (const auto& [pointer, value] : all) {
    if (pointer == "/format" || pointer == "/format_version" || pointer == "/kind" || pointer == "/name" ||
        pointer == "/description" || pointer == "/learning/rule")
      continue;
    INFO(pointer << " = " << value.dump());
    json doc = base;
    doc[json::json_pointer(pointer)] = perturbed(pointer, value);
    REQUIRE(doc != base);
    BciScenario s;
    REQUIRE_NOTHROW(s = read(doc));
    CHECK(apical::resolved_bci_scenario(s) == doc);
    ++changed;
  }
  CHECK(changed > 100);
}

TEST_CASE("every rule and its parameters round-trip", "[bci_scenario]") {
  for (const std::string& rule : apical::builtin_learning_rules().names()) {
    INFO(rule);
    const BciScenario s = read(with({{"learning", {{"rule", rule}}}}));
    const json r = apical::resolved_bci_scenario(s);
    CHECK(r.at("learning").at("parameters").size() ==
          apical::builtin_learning_rules().find(rule)->info().parameters.size());
    CHECK(apical::resolved_bci_scenario(read(r)) == r);
  }
}

TEST_CASE("name, description and cohort defaults", "[bci_scenario]") {
  const BciScenario s = apical::read_bci_scenario(header(), "some/folder/my_cohort.json");
  CHECK(s.name == "my_cohort");
  CHECK(s.description.empty());
  CHECK(s.mice == 6);
  CHECK(s.first_mouse == 0);
  CHECK(read(with({{"cohort", {{"mice", 1}}}})).mice == 1);
}

TEST_CASE("scenario_kind tells the readers apart", "[bci_scenario]") {
  CHECK(apical::scenario_kind(header(), "f.json") == "bci_cohort");
  CHECK(apical::scenario_kind(json::parse(R"({"format": "apical-scenario"})"), "f.json") == "single_cell");
  CHECK_THROWS_WITH(apical::scenario_kind(json::parse(R"({"kind": 3})"), "f.json"),
                    Contains("f.json: /kind: expected a string"));
  CHECK_THROWS_AS(apical::scenario_kind(json::array(), "f.json"), InputError);
}

TEST_CASE("load_scenario names a bci_cohort file instead of listing its keys", "[bci_scenario]") {
  CHECK_THROWS_WITH(apical::load_scenario(folder + "/cohort_default.json"),
                    Contains("/kind: this is a bci_cohort scenario") && Contains("load_bci_scenario"));
  CHECK_THAT(error(with({{"kind", "single_cell"}})),
             Contains("test.json: /kind: this reader expects a \"bci_cohort\" scenario, got \"single_cell\""));
  json no_kind = header();
  no_kind.erase("kind");
  CHECK_THAT(error(no_kind), Contains("missing required key 'kind'"));
}

TEST_CASE("unknown keys name the path and suggest the key", "[bci_scenario]") {
  CHECK(error(with({{"teaching", {{"feedbak", "random"}}}})) ==
        "test.json: /teaching/feedbak: unknown key 'feedbak'; did you mean 'feedback'?");
  CHECK(error(with({{"schedul", {{"days", 3}}}})) == "test.json: /schedul: unknown key 'schedul'; did you mean 'schedule'?");
  CHECK_THAT(error(with({{"circuit", {{"cell", {{"tau_ss", "16 ms"}}}}}})),
             Contains("/circuit/cell/tau_ss: unknown key 'tau_ss'; did you mean 'tau_s'?"));
  // The struct member's name (with its unit suffix) is pointed to the key and a quantity.
  CHECK_THAT(error(with({{"schedule", {{"session_min", 20}}}})),
             Contains("/schedule/session_min: unknown key 'session_min'; did you mean 'session'?") &&
                 Contains("\"session\": \"20 min\""));
  CHECK_THAT(error(with({{"dt_ms", 0.25}})), Contains("/dt_ms: unknown key 'dt_ms'; did you mean 'dt'?"));
}

TEST_CASE("quantities need their unit and dimension", "[bci_scenario]") {
  CHECK(error(with({{"schedule", {{"session", 30}}}})) ==
        "test.json: /schedule/session: expected a time written as a string with a unit, such as \"100 ms\", got "
        "the number 30");
  CHECK_THAT(error(with({{"dt", "0.5 mV"}})), Contains("test.json: /dt: \"0.5 mV\" is a voltage, not a time"));
  CHECK_THAT(error(with({{"learning", {{"w_max", "5 pA"}}}})),
             Contains("/learning/w_max: \"5 pA\" is a current, not a synaptic weight"));
  CHECK_THAT(error(with({{"manipulations", {{"opto", {{"g_max", "100 nF"}}}}}})),
             Contains("/manipulations/opto/g_max: \"100 nF\" is a capacitance, not a conductance"));
  CHECK_THAT(error(with({{"teaching", {{"teaching_gain", "5 pa"}}}})),
             Contains("/teaching/teaching_gain: unknown unit 'pa'") && Contains("did you mean 'pA'?"));
}

TEST_CASE("choices suggest the nearest name", "[bci_scenario]") {
  CHECK(error(with({{"teaching", {{"feedback", "orcale"}}}})) ==
        "test.json: /teaching/feedback: unknown value \"orcale\"; did you mean 'oracle'?");
  CHECK_THAT(error(with({{"manipulations", {{"opto", {{"schedule", "alternate_day"}}}}}})),
             Contains("/manipulations/opto/schedule: unknown value \"alternate_day\"; did you mean 'alternate_days'?"));
  CHECK_THAT(error(with({{"schedule", {{"calibration_policy", "once"}}}})),
             Contains("/schedule/calibration_policy: unknown value \"once\""));
  CHECK_THAT(error(with({{"learning", {{"rule", "r3"}}}})),
             Contains("/learning/rule: unknown value \"r3\"; did you mean 'R3'?"));
}

TEST_CASE("rule parameters come from the rule's declaration", "[bci_scenario]") {
  CHECK(error(with({{"learning", {{"parameters", {{"learning_rat", 1e-4}}}}}})) ==
        "test.json: /learning/parameters/learning_rat: rule R3 has no parameter 'learning_rat'; did you mean "
        "'learning_rate'?");
  CHECK_THAT(error(with({{"learning", {{"rule", "R0"}, {"parameters", {{"learning_rate", 1e-4}}}}}})),
             Contains("/learning/parameters/learning_rate: rule R0 has no parameter 'learning_rate' (it has none)"));
  CHECK(error(with({{"learning", {{"parameters", {{"learning_rate", -1}}}}}})) ==
        "test.json: /learning/parameters/learning_rate: -1 is out of range for R3.learning_rate: must be between 0 "
        "and 1000000");
  CHECK_THAT(error(with({{"learning", {{"rule", "R1"}, {"parameters", {{"tau_eligibility", 2}}}}}})),
             Contains("/learning/parameters/tau_eligibility: expected a time written as a string with a unit"));
  CHECK_THAT(error(with({{"learning", {{"rule", "R1"}, {"parameters", {{"tau_eligibility", "2 ms"}}}}}})),
             Contains("/learning/parameters/tau_eligibility: 0.002 s is out of range for R1.tau_eligibility"));
  CHECK_THAT(error(with({{"learning", {{"parameters", 3}}}})), Contains("/learning/parameters: expected an object"));
  const BciScenario r1 = read(with({{"learning", {{"rule", "R1"}, {"parameters", {{"tau_eligibility", "3 s"}}}}}}));
  CHECK(r1.spec.learning.parameters.at("tau_eligibility") == 3.0);
  // A parameter the file does not set takes the rule's registered default.
  const auto& declared = apical::builtin_learning_rules().find("R1")->info().parameters;
  const auto rate = std::find_if(declared.begin(), declared.end(), [](const apical::ParameterSpec& p) { return p.name == "learning_rate"; });
  REQUIRE(rate != declared.end());
  CHECK(r1.spec.learning.parameters.at("learning_rate") == rate->default_value);
}

TEST_CASE("out-of-range values name the path", "[bci_scenario]") {
  // Declared bounds (the model's parameter tables) are checked while reading.
  CHECK_THAT(error(with({{"circuit", {{"cell", {{"tau_s", "0.01 ms"}}}}}})),
             Contains("test.json: /circuit/cell/tau_s: \"0.01 ms\" is out of range: must be between 0.1 and 1000 ms"));
  CHECK_THAT(error(with({{"imaging", {{"indicator", {{"hill_n", 9}}}}}})),
             Contains("/imaging/indicator/hill_n: 9 is out of range"));
  CHECK_THAT(error(with({{"cohort", {{"mice", 0}}}})), Contains("/cohort/mice: 0 is out of range"));
  // The rest by bci::validate, placed at the key that holds the value.
  CHECK(error(with({{"teaching", {{"reward_tau", "-1 s"}}}})) ==
        "test.json: /teaching/reward_tau: ExperimentSpec.teaching.reward_tau_s = -1 must be > 0");
  CHECK_THAT(error(with({{"field_of_view", {{"n_plus", 0}}}})),
             Contains("test.json: /field_of_view/n_plus: ExperimentSpec.field_of_view.n_plus = 0 must be >= 1"));
  CHECK_THAT(error(with({{"dt", "2 ms"}})),  // the default indicator step (1 ms) is now shorter than dt
             Contains("test.json: /imaging/indicator_step: ExperimentSpec.imaging.indicator_step_ms = 1"));
  CHECK_THAT(error(with({{"imaging", {{"dff", {{"baseline", {{"window", 70000}}}}}}}})),
             Contains("test.json: /imaging/dff/baseline: ExperimentSpec.imaging.dff.baseline: SlidingPercentile"));
  CHECK_THAT(error(with({{"loop", {{"task", {{"fail_frames", 0}}}}}})), Contains("test.json: /loop/task: "));
  CHECK_THAT(error(with({{"schedule", {{"session", "1 min"}}}})),
             Contains("/schedule/session: ExperimentSpec.schedule.session_min = 1 is too short for the chance level"));
  CHECK_THAT(error(with({{"schedule", {{"calibration", "1.5 min"}}}})),
             Contains("/schedule/calibration: ExperimentSpec.schedule.calibration_min = 1.5 is too short for the chance level"));
  CHECK_THAT(error(with({{"cohort", {{"mice", 2}, {"first_mouse", 18446744073709551615ULL}}}})),
             Contains("/cohort/first_mouse"));
  CHECK_THAT(error(with({{"manipulations", {{"opto", {{"excitation", "-5 pA"}}}}}})),
             Contains("test.json: /manipulations/opto/excitation: ExperimentSpec.manipulations.opto.excitation_pA = -5 "
                      "must be >= 0"));
  // O4 cannot cut the Bahl cell's cable: refused at load, at the key that asks for it.
  CHECK_THAT(error(with({{"circuit", {{"cell_model", "bahl2012"}}},
                         {"manipulations", {{"opto", {{"kind", "apical_decoupling"}}}}}})),
             Contains("test.json: /manipulations/opto/kind: ExperimentSpec.manipulations.opto.kind = apical_decoupling "
                      "(O4) needs circuit.cell_model two_compartment"));
}

TEST_CASE("wrong types name the path and the expected type", "[bci_scenario]") {
  CHECK(error(with({{"record", {{"raw_f", "yes"}}}})) ==
        "test.json: /record/raw_f: expected true or false, got the string \"yes\"");
  CHECK_THAT(error(with({{"field_of_view", {{"n_plus", 2.5}}}})),
             Contains("/field_of_view/n_plus: expected an integer, got the number 2.5"));
  CHECK_THAT(error(with({{"teaching", 3}})), Contains("/teaching: expected an object, got the number 3"));
  CHECK_THAT(error(with({{"teaching", {{"feedback", 1}}}})), Contains("/teaching/feedback: expected one of"));
  CHECK_THAT(error(with({{"seed", -1}})), Contains("/seed: -1 is out of range"));
  CHECK_THAT(error(with({{"seed", "1"}})), Contains("/seed: expected an integer"));
  CHECK_THAT(error(with({{"name", ""}})), Contains("/name: must not be empty"));
  CHECK_THAT(error(with({{"description", 5}})), Contains("/description: expected a string"));
  CHECK_THAT(error(json::array()), Contains("test.json: expected an object"));
  CHECK(read(with({{"seed", 18446744073709551615ULL}})).spec.seed == 18446744073709551615ULL);
}

TEST_CASE("format and version are checked first", "[bci_scenario]") {
  CHECK_THAT(error(with({{"format_version", 2}})),
             Contains("test.json: /format_version: unsupported version 2; this apical reads apical-scenario version 1"));
  CHECK_THAT(error(with({{"format", "apical-cell"}, {"sections", 1}})),
             Contains("test.json: /format: this reader expects \"apical-scenario\" files, got \"apical-cell\""));
  json no_version = header();
  no_version.erase("format_version");
  CHECK_THAT(error(no_version), Contains("missing required key 'format_version'"));
}

TEST_CASE("docs/scenarios.md lists every key", "[bci_scenario]") {
  const std::string docs = apical::test::read_text(std::string(APICAL_SOURCE_DIR) + "/docs/scenarios.md");
  CHECK(docs.find("## BCI cohort scenarios (kind bci_cohort)") != std::string::npos);
  for (const apical::BciScenarioKey& k : apical::bci_scenario_keys()) {
    INFO(k.path);
    CHECK(docs.find("| `" + k.path + "` |") != std::string::npos);
    CHECK(k.meaning.find('|') == std::string::npos);  // it goes into a markdown table
  }
  for (const std::string& rule : apical::builtin_learning_rules().names())
    for (const apical::ParameterSpec& p : apical::builtin_learning_rules().find(rule)->info().parameters) {
      INFO(rule << "." << p.name);
      CHECK(docs.find("| " + rule + " | `" + p.name + "` |") != std::string::npos);
    }
}

// Prints the key reference tables of docs/scenarios.md: test_io "[.bci_keys_markdown]" -s
TEST_CASE("key reference as markdown", "[.bci_keys_markdown]") {
  std::cout << "| key | unit or type | default | meaning |\n|---|---|---|---|\n";
  for (const apical::BciScenarioKey& k : apical::bci_scenario_keys()) {
    const std::string unit = k.type == "quantity" ? k.unit : k.type == "number" ? "1" : k.type;
    const std::string value = k.default_value.empty() ? "" : "`" + k.default_value + "`";
    std::cout << "| `" << k.path << "` | " << unit << " | " << value << " | " << k.meaning << " |\n";
  }
  std::cout << "\n| rule | parameter | unit | default | bounds | meaning |\n|---|---|---|---|---|---|\n";
  for (const std::string& rule : apical::builtin_learning_rules().names())
    for (const apical::ParameterSpec& p : apical::builtin_learning_rules().find(rule)->info().parameters)
      std::cout << "| " << rule << " | `" << p.name << "` | " << (p.unit == "1" ? "" : p.unit) << " | "
                << apical::format_number(p.default_value) << (p.unit == "1" ? "" : " " + p.unit) << " | " << apical::format_number(p.min) << " … "
                << apical::format_number(p.max) << " | " << p.description << " |\n";
}
