// Scenario files: lowering to a ProtocolSpec (conditions, merged placements, inactive values) and errors.
#include <catch2/catch.hpp>

#include "apical/io/scenario.hpp"
#include "io_test_support.hpp"

using apical::InputError;
using apical::PointPlacement;
using apical::Scenario;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

// A scenario beside a "cells" folder holding the tiny test cell.
struct Fixture {
  apical::test::TempDir dir;
  Fixture() { dir.write("cells/tiny.json", apical::test::tiny_cell_json); }

  static json base() {
    return json::parse(R"~({
      "format": "apical-scenario", "format_version": 1, "kind": "single_cell",
      "cell": "../cells/tiny.json",
      "simulation": {"duration": "20 ms", "dt": "0.025 ms", "record_interval": "0.1 ms"},
      "recordings": [{"site": "soma(0.5)"}]
    })~");
  }

  Scenario load(const json& doc, const std::string& name = "scenarios/test.json") const {
    return apical::load_scenario(dir.write(name, doc.dump(2)));
  }

  std::string error(const json& doc) const {
    try {
      (void)load(doc);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  }
};

const PointPlacement& only(const std::vector<PointPlacement>& points, const std::string& mechanism) {
  const PointPlacement* found = nullptr;
  for (const auto& p : points)
    if (p.mechanism == mechanism) {
      REQUIRE(found == nullptr);
      found = &p;
    }
  REQUIRE(found != nullptr);
  return *found;
}

using V = std::vector<double>;

}  // namespace

TEST_CASE("a minimal scenario: defaults and the resolved cell path", "[scenario]") {
  const Fixture f;
  const Scenario s = f.load(Fixture::base());
  CHECK(s.name == "test");  // the file stem
  CHECK(s.protocol.cell.name == "tiny");
  CHECK(s.cell_file == (f.dir.path() / "cells/tiny.json").lexically_normal().string());
  CHECK(s.protocol.condition_labels == std::vector<std::string>{"default"});
  CHECK(s.protocol.duration_ms == 20.0);
  CHECK(s.protocol.dt_ms == 0.025);
  CHECK(s.protocol.record_interval_ms == 0.1);
  CHECK(s.protocol.integrator == apical::Integrator::backward_euler);
  REQUIRE(s.protocol.recordings.size() == 1);
  CHECK(s.protocol.recordings[0].label == "v_soma(0.5)");
  CHECK(s.protocol.recordings[0].variable == "v");
  CHECK(s.protocol.spike_site.section == 0);
  CHECK(s.protocol.spike_threshold_mV == -20.0);
  CHECK(s.protocol.points.empty());
  CHECK_FALSE(s.first_stimulus_ms[0].has_value());
}

TEST_CASE("per-condition steps at one site merge into one placement", "[scenario]") {
  const Fixture f;
  json doc = Fixture::base();
  doc["name"] = "sweep";
  doc["conditions"] = json::parse(R"~([
    {"label": "low", "stimuli": [{"type": "current_step", "site": "soma(0.5)", "amplitude": "100 pA", "start": "5 ms", "duration": "10 ms"}]},
    {"label": "none"},
    {"label": "high", "stimuli": [{"type": "current_step", "site": "soma(0.5)", "amplitude": "0.3 nA", "start": "2 ms", "duration": "10 ms"}]}
  ])~");
  const Scenario s = f.load(doc);
  CHECK(s.name == "sweep");
  CHECK(s.protocol.condition_labels == std::vector<std::string>{"low", "none", "high"});
  const PointPlacement& clamp = only(s.protocol.points, "iclamp");
  CHECK(clamp.parameters.at("amp") == V{0.1, 0.0, 0.3});
  CHECK(clamp.parameters.at("delay") == V{5.0, 5.0, 2.0});  // "none" keeps a valid timing, with amp 0
  CHECK(clamp.parameters.at("dur") == V{10.0, 10.0, 10.0});
  CHECK(clamp.event_times.empty());
  CHECK(s.first_stimulus_ms == std::vector<std::optional<double>>{5.0, std::nullopt, 2.0});
}

TEST_CASE("shared stimuli act in every condition and synapses carry per-condition spike times", "[scenario]") {
  const Fixture f;
  json doc = Fixture::base();
  doc["stimuli"] = json::parse(R"~([
    {"type": "pulse_train", "site": "soma(0.5)", "amplitude": "2 nA", "width": "2 ms", "start": "1 ms",
     "frequency": "200 Hz", "count": 3}])~");
  doc["conditions"] = json::parse(R"~([
    {"label": "syn", "stimuli": [
      {"type": "exp2_synapse", "site": "dend(0.75)", "tau_rise": "0.2 ms", "tau_decay": "2 ms", "reversal": "0 mV",
       "weight": "1 nS", "spike_times": ["10 ms", "3 ms"]},
      {"type": "alpha_onset_synapse", "site": "dend", "onset": "4 ms", "tau": "1 ms", "gmax": "15 nS", "reversal": "0 mV"}]},
    {"label": "alpha", "stimuli": [
      {"type": "alpha_synapse", "site": "dend(0.75)", "tau": "1 ms", "reversal": "-70 mV", "weight": "2 nS",
       "spike_times": ["7 ms"]}]}
  ])~");
  const Scenario s = f.load(doc);
  const auto& points = s.protocol.points;
  REQUIRE(points.size() == 6);  // 3 pulses, exp2, alpha onset, alpha
  for (int k = 0; k < 3; ++k) {
    CHECK(points[k].mechanism == "iclamp");
    CHECK(points[k].parameters.at("amp") == V{2.0, 2.0});
    CHECK(points[k].parameters.at("delay") == V{1.0 + 5.0 * k, 1.0 + 5.0 * k});
    CHECK(points[k].parameters.at("dur") == V{2.0, 2.0});
  }
  const PointPlacement& exp2 = only(points, "exp2_synapse");
  CHECK(exp2.site.section == 1);
  CHECK(exp2.site.x == 0.75);
  CHECK(exp2.parameters.at("weight") == V{0.001, 0.0});
  CHECK(exp2.parameters.at("tau1") == V{0.2, 0.2});
  CHECK(exp2.parameters.at("tau2") == V{2.0, 2.0});
  CHECK(exp2.event_times == std::vector<V>{{3.0, 10.0}, {}});
  const PointPlacement& onset = only(points, "alpha_onset_synapse");
  CHECK(onset.site.x == 0.5);  // "dend" means its centre
  CHECK(onset.parameters.at("gmax") == V{0.015, 0.0});
  CHECK(onset.parameters.at("onset") == V{4.0, 4.0});
  CHECK(onset.event_times.empty());
  const PointPlacement& alpha = only(points, "alpha_synapse");
  CHECK(alpha.parameters.at("weight") == V{0.0, 0.002});
  CHECK(alpha.parameters.at("e") == V{-70.0, -70.0});
  CHECK(alpha.event_times == std::vector<V>{{}, {7.0}});
  CHECK(s.first_stimulus_ms == std::vector<std::optional<double>>{1.0, 1.0});
}

TEST_CASE("two equal stimuli in one condition stay two placements", "[scenario]") {
  const Fixture f;
  json doc = Fixture::base();
  const json step = json::parse(
      R"~({"type": "current_step", "site": "soma(0.5)", "amplitude": "1 nA", "start": "1 ms", "duration": "1 ms"})~");
  doc["conditions"] = json::array({{{"label", "a"}, {"stimuli", {step, step}}}, {{"label", "b"}, {"stimuli", {step}}}});
  const Scenario s = f.load(doc);
  REQUIRE(s.protocol.points.size() == 2);
  CHECK(s.protocol.points[0].parameters.at("amp") == V{1.0, 1.0});
  CHECK(s.protocol.points[1].parameters.at("amp") == V{1.0, 0.0});
}

TEST_CASE("recordings, spike detection and CVODE settings", "[scenario]") {
  const Fixture f;
  json doc = Fixture::base();
  doc["simulation"] = json::parse(R"~({"duration": "10 ms", "integrator": "cvode", "record_interval": "0.5 ms",
                                      "cvode": {"relative_tolerance": 1e-8, "absolute_tolerance": 1e-7, "max_step": "1 ms"}})~");
  doc["recordings"] = json::parse(R"~([{"site": "dend(0.9)", "variable": "cai", "label": "ca"}, {"site": "dend(1)"}])~");
  doc["spike_detection"] = json::parse(R"~({"site": "dend(0.5)", "threshold": "0 mV"})~");
  const Scenario s = f.load(doc);
  CHECK(s.protocol.integrator == apical::Integrator::cvode);
  CHECK(s.protocol.record_interval_ms == 0.5);
  CHECK(s.protocol.cvode.relative_tolerance == 1e-8);
  CHECK(s.protocol.cvode.absolute_tolerance == 1e-7);
  CHECK(s.protocol.cvode.max_step_ms == 1.0);
  CHECK(s.protocol.recordings[0].label == "ca");
  CHECK(s.protocol.recordings[0].variable == "cai");
  CHECK(s.protocol.recordings[1].label == "v_dend(1)");
  CHECK(s.protocol.spike_site.section == 1);
  CHECK(s.protocol.spike_threshold_mV == 0.0);
  CHECK(apical::recording_unit("cai") == "mM");
  CHECK(apical::recording_unit("v") == "mV");
}

TEST_CASE("scenario errors name the file and path", "[scenario]") {
  const Fixture f;
  const std::string file = f.dir.file("scenarios/test.json");
  const auto with = [](const std::string& pointer, const json& value) {
    json doc = Fixture::base();
    doc[json::json_pointer(pointer)] = value;
    return doc;
  };
  const json step = json::parse(
      R"~({"type": "current_step", "site": "soma(0.5)", "amplitud": "1 nA", "start": "1 ms", "duration": "1 ms"})~");
  CHECK(f.error(with("/stimuli", json::array({step}))) ==
        file + ": /stimuli/0/amplitud: unknown key 'amplitud'; did you mean 'amplitude'?");
  CHECK(f.error(with("/simulation/record_interval", "0.03 ms")) ==
        file + ": /simulation/record_interval: the recording interval must be a whole multiple of dt (0.025 ms)");
  CHECK_THAT(f.error(with("/simulation/duration", "20.01 ms")), Contains("whole number of time steps"));
  CHECK_THAT(f.error(with("/simulation/duration", "100 mV")),
             Contains("/simulation/duration: \"100 mV\" is a voltage, not a time"));
  CHECK_THAT(f.error(with("/simulation/cvode", json::object())), Contains("/simulation/cvode: CVODE settings given"));
  CHECK_THAT(f.error(with("/simulation/integrator", "euler")), Contains("/simulation/integrator: unknown value"));
  CHECK_THAT(f.error(with("/cell", "../cells/nothere.json")),
             Contains(": /cell: cell file not found") && Contains("scenario file's folder"));
  CHECK_THAT(f.error(with("/kind", "network")), Contains("/kind: unknown value \"network\""));
  CHECK_THAT(f.error(with("/format_version", 7)), Contains("unsupported version 7"));
  CHECK_THAT(f.error(with("/recordings", json::array())), Contains("/recordings: expected at least 1 entry"));
  CHECK_THAT(f.error(with("/recordings/0/site", "axon(0.5)")), Contains("no section named 'axon'"));
  CHECK_THAT(f.error(with("/recordings/0/variable", "cai")),
             Contains("/recordings/0/site: section 'soma' has no ion pool"));
  CHECK_THAT(f.error(with("/recordings/1", {{"site", "soma(0.5)"}})), Contains("a second recording of v_soma(0.5)"));
  CHECK_THAT(f.error(with("/spike_detection", {{"threshold", "-20"}})), Contains("/spike_detection/threshold: \"-20\" has no unit"));
  CHECK_THAT(f.error(with("/conditions", json::array({{{"label", "a"}}, {{"label", "a"}}}))),
             Contains("/conditions/1/label: the label \"a\" is used twice"));
  CHECK_THAT(f.error(with("/conditions", json::array({{{"label", "a/b"}}}))), Contains("must not contain '/'"));
  CHECK_THAT(f.error(with("/conditions", json::array({{{"lable", "a"}}}))), Contains("did you mean 'label'?"));
  CHECK_THAT(f.error(with("/stimuli", json::array({{{"type", "current_stp"}}}))),
             Contains("/stimuli/0/type: unknown value \"current_stp\"; did you mean 'current_step'?"));
  CHECK_THAT(f.error(with("/stimuli", json::parse(R"~([{"type": "pulse_train", "site": "soma", "amplitude": "1 nA",
             "width": "6 ms", "start": "1 ms", "frequency": "200 Hz", "count": 2}])~"))),
             Contains("/stimuli/0/width: pulses would overlap"));
  CHECK_THAT(f.error(with("/stimuli", json::parse(R"~([{"type": "current_step", "site": "soma", "amplitude": "2 uA",
             "start": "1 ms", "duration": "1 ms"}])~"))),
             Contains("/stimuli/0/amplitude: 2000 nA is out of range for iclamp.amp"));
  CHECK_THAT(f.error(with("/stimuli", json::parse(R"~([{"type": "exp2_synapse", "site": "soma", "tau_rise": "1 ms",
             "tau_decay": "2 ms", "reversal": "0 mV", "weight": "1 nS", "spike_times": ["-1 ms"]}])~"))),
             Contains("/stimuli/0/spike_times/0: \"-1 ms\" is out of range"));
}

TEST_CASE("the bundled example scenarios load", "[scenario]") {
  const std::string folder = std::string(APICAL_SOURCE_DIR) + "/scenarios/";
  const Scenario bac = apical::load_scenario(folder + "bahl2012_bac_firing.json");
  CHECK(bac.protocol.condition_labels == std::vector<std::string>{"bAP", "EPSP", "BAC"});
  CHECK(bac.protocol.recordings.size() == 4);
  CHECK(bac.protocol.duration_ms == 300.0);
  REQUIRE(bac.protocol.points.size() == 2);
  CHECK(only(bac.protocol.points, "iclamp").parameters.at("amp") == V{1.0, 0.0, 1.0});
  CHECK(only(bac.protocol.points, "alpha_onset_synapse").parameters.at("gmax") == V{0.0, 0.015, 0.015});
  CHECK(bac.first_stimulus_ms == std::vector<std::optional<double>>{100.0, 105.0, 100.0});

  const Scenario fi = apical::load_scenario(folder + "bahl2012_fi_curve.json");
  CHECK(fi.protocol.condition_labels.size() == 10);
  CHECK(fi.protocol.duration_ms == 700.0);
  const auto& amp = only(fi.protocol.points, "iclamp").parameters.at("amp");
  REQUIRE(amp.size() == 10);
  for (std::size_t k = 0; k < 10; ++k) CHECK_THAT(amp[k], Catch::Matchers::WithinRel(0.1 * double(k + 1), 1e-12));
}
