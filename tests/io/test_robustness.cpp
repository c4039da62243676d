// Malformed input of every kind must end in an InputError, never in another exception or a crash:
// truncated documents, and every value of valid documents replaced by values of the wrong type.
#include <catch2/catch.hpp>
#include <functional>

#include "apical/io/cell_file.hpp"
#include "apical/io/json_reader.hpp"
#include "apical/io/scenario.hpp"
#include "io_test_support.hpp"

using nlohmann::json;

namespace {

const char* scenario_json = R"~({
  "format": "apical-scenario", "format_version": 1, "kind": "single_cell", "name": "fuzz",
  "cell": "tiny.json",
  "simulation": {"duration": "5 ms", "dt": "0.025 ms", "integrator": "backward_euler", "record_interval": "0.05 ms"},
  "stimuli": [{"type": "pulse_train", "site": "soma(0.5)", "amplitude": "1 nA", "width": "1 ms", "start": "1 ms",
               "frequency": "200 Hz", "count": 2}],
  "conditions": [
    {"label": "a", "stimuli": [{"type": "current_step", "site": "soma(0.5)", "amplitude": "1 nA", "start": "1 ms", "duration": "1 ms"},
                               {"type": "exp2_synapse", "site": "dend(0.5)", "tau_rise": "0.2 ms", "tau_decay": "2 ms",
                                "reversal": "0 mV", "weight": "1 nS", "spike_times": ["1 ms", "2 ms"]}]},
    {"label": "b", "stimuli": [{"type": "alpha_onset_synapse", "site": "dend(0.5)", "onset": "1 ms", "tau": "1 ms",
                                "gmax": "1 nS", "reversal": "0 mV"}]}],
  "recordings": [{"site": "soma(0.5)", "variable": "v"}, {"site": "dend(0.9)", "variable": "cai", "label": "ca"}],
  "spike_detection": {"site": "soma(0.5)", "threshold": "-20 mV"}
})~";

// Every JSON Pointer in the document, the root excluded.
void collect_pointers(const json& value, const json::json_pointer& at, std::vector<json::json_pointer>& out) {
  if (value.is_object())
    for (const auto& [key, member] : value.items()) {
      out.push_back(at / key);
      collect_pointers(member, at / key, out);
    }
  if (value.is_array())
    for (std::size_t i = 0; i < value.size(); ++i) {
      out.push_back(at / i);
      collect_pointers(value[i], at / i, out);
    }
}

// Runs `load` and records what escaped: nothing, an InputError, or anything else (a failure).
void expect_input_error_or_success(const std::function<void()>& load, const std::string& what) {
  INFO(what);
  try {
    load();
    SUCCEED();
  } catch (const apical::InputError&) {
    SUCCEED();
  } catch (const std::exception& e) {
    FAIL("escaped as " << typeid(e).name() << ": " << e.what());
  }
}

void mutate_everywhere(const json& valid, const std::function<void(const json&)>& load) {
  const std::vector<json> wrong{nullptr, true, -1, 0.5, 1e300, "", "x", "1 furlong", "-5 ms", json::array(),
                                json::array({1, "a"}), json::object(), json::object({{"k", 1}})};
  std::vector<json::json_pointer> pointers;
  collect_pointers(valid, json::json_pointer(), pointers);
  for (const auto& pointer : pointers)
    for (const json& replacement : wrong) {
      json doc = valid;
      doc[pointer] = replacement;
      expect_input_error_or_success([&] { load(doc); }, pointer.to_string() + " = " + replacement.dump());
    }
  for (const auto& pointer : pointers) {  // and every value removed
    json doc = valid;
    doc[pointer.parent_pointer()].is_object() ? (void)doc[pointer.parent_pointer()].erase(pointer.back())
                                              : doc[pointer.parent_pointer()].erase(std::stoul(pointer.back()));
    expect_input_error_or_success([&] { load(doc); }, "without " + pointer.to_string());
  }
}

}  // namespace

TEST_CASE("truncated and garbled texts are input errors", "[robustness]") {
  const std::string text = scenario_json;
  for (std::size_t length = 0; length < text.size(); length += 7)
    CHECK_THROWS_AS(apical::parse_json_text(text.substr(0, length), "cut.json"), apical::InputError);
  for (const char* garbage : {"", "{", "}", "[", "nul", "{\"a\":}", "{\"a\" 1}", "\xff\xfe", "{\"a\": \"\\u12\"}",
                              "{\"a\": 1} trailing", "[1, 2,]", "{'a': 1}", "NaN", "{\"a\": 01}"})
    CHECK_THROWS_AS(apical::parse_json_text(garbage, "garbage.json"), apical::InputError);
}

TEST_CASE("scenarios with wrong types anywhere fail cleanly", "[robustness]") {
  const apical::test::TempDir dir;
  dir.write("tiny.json", apical::test::tiny_cell_json);
  const std::string folder = dir.path().string();
  const json valid = json::parse(scenario_json);
  REQUIRE_NOTHROW(apical::read_scenario(valid, "fuzz.json", folder));
  mutate_everywhere(valid, [&](const json& doc) { (void)apical::read_scenario(doc, "fuzz.json", folder); });
  for (const json& top : {json(nullptr), json(1), json("s"), json::array(), json::object()})
    CHECK_THROWS_AS(apical::read_scenario(top, "fuzz.json", folder), apical::InputError);
}

TEST_CASE("cell files with wrong types anywhere fail cleanly", "[robustness]") {
  json valid = json::parse(apical::test::tiny_cell_json);
  valid["distance_origin"] = "soma(0)";
  valid["rule_sampling"] = "segment_centres";
  valid["mechanisms"].push_back(json::parse(R"~({"mechanism": "kfast", "sections": ["dend"], "parameters": {
      "gbar": {"exponential": {"scale": "0.005 S/cm2", "length": "50 um"}},
      "ek": "-80 mV"}})~"));
  valid["mechanisms"].push_back(json::parse(R"~({"mechanism": "nat", "sections": ["dend"], "parameters": {
      "gbar": {"linear": [{"at": "soma(0)", "value": "0.01 S/cm2"}, {"at": "dend(1)", "value": "0 S/cm2"}]}}})~"));
  REQUIRE_NOTHROW(apical::read_cell(valid, "fuzz.json"));
  mutate_everywhere(valid, [](const json& doc) {
    // Reading and building together: what the loader accepts must also build.
    const apical::CellDescription cell = apical::read_cell(doc, "fuzz.json");
    try {
      (void)apical::build_model(cell, apical::builtin_mechanisms(), 1);
    } catch (const std::invalid_argument& e) {
      throw apical::InputError("fuzz.json", "", std::string("accepted but does not build: ") + e.what());
    }
  });
}
