// Cell files: what a valid file becomes, and the error for each kind of mistake.
#include <catch2/catch.hpp>

#include "apical/io/cell_file.hpp"
#include "apical/io/json_reader.hpp"
#include "apical/models/build_model.hpp"
#include "io_test_support.hpp"

using apical::CellDescription;
using apical::DistanceRule;
using apical::InputError;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;
using nlohmann::json;

namespace {

json tiny() { return json::parse(apical::test::tiny_cell_json); }

CellDescription read(const json& doc) { return apical::read_cell(doc, "cell.json"); }

// Runs `edit` on a copy of the tiny cell and returns the loader's message.
template <class Edit>
std::string error_after(Edit edit) {
  json doc = tiny();
  edit(doc);
  try {
    (void)read(doc);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("a valid cell file becomes a CellDescription", "[cell_file]") {
  json doc = tiny();
  doc["distance_origin"] = "soma(0.5)";
  doc["rule_sampling"] = "neuron_for_x_loop";
  doc["citation"] = "nobody (2024)";
  doc["mechanisms"].push_back(json::parse(R"~({"mechanism": "nat", "sections": ["dend"], "parameters": {
      "gbar": {"linear": [{"at": "soma(0.5)", "value": "100 pS/um2"}, {"at": "dend(1)", "value": "0.002 S/cm2"}]},
      "vshift": "10 mV"}})~"));
  doc["mechanisms"].push_back(json::parse(R"~({"mechanism": "kfast", "sections": ["dend"], "parameters": {
      "gbar": {"exponential": {"scale": "0.005 S/cm2", "length": "0.05 mm"}}}})~"));
  const CellDescription cell = read(doc);

  CHECK(cell.name == "tiny");
  CHECK(cell.citation == "nobody (2024)");
  CHECK(cell.celsius == 6.3);
  CHECK(cell.v_init_mV == -65.0);
  CHECK(cell.rule_sampling == apical::RuleSampling::neuron_for_x_loop);
  CHECK(cell.distance_origin.section == 0);
  CHECK(cell.distance_origin.x == 0.5);
  REQUIRE(cell.morphology.sections.size() == 2);
  const auto& dend = cell.morphology.sections[1];
  CHECK(dend.name == "dend");
  CHECK(dend.parent == 0);
  CHECK(dend.parent_x == 1.0);
  CHECK(dend.length_um == 200.0);
  CHECK(dend.diam_start_um == 2.0);
  CHECK(dend.diam_end_um == 1.0);
  CHECK(dend.nseg == 4);
  CHECK(dend.Ra_ohm_cm == 100.0);
  CHECK(dend.cm_uF_per_cm2 == 1.0);
  CHECK(cell.morphology.sections[0].parent == -1);

  REQUIRE(cell.mechanisms.size() == 5);
  CHECK(cell.mechanisms[0].mechanism == "hh");
  CHECK(cell.mechanisms[0].parameters.empty());
  CHECK(cell.mechanisms[1].parameters.at("g").kind == DistanceRule::Kind::constant);
  CHECK(cell.mechanisms[1].parameters.at("g").value == 1e-4);
  CHECK(cell.mechanisms[1].sections == std::vector<int>{1});

  const DistanceRule& linear = cell.mechanisms[3].parameters.at("gbar");
  CHECK(linear.kind == DistanceRule::Kind::linear);
  CHECK(linear.d0_um == 0.0);                      // soma(0.5) is the origin
  CHECK_THAT(linear.d1_um, WithinRel(210.0, 1e-15));  // half the soma plus the dendrite
  CHECK(linear.v0 == 0.01);
  CHECK(linear.v1 == 0.002);
  CHECK(cell.mechanisms[3].parameters.at("vshift").value == 10.0);

  const DistanceRule& exponential = cell.mechanisms[4].parameters.at("gbar");
  CHECK(exponential.kind == DistanceRule::Kind::exponential);
  CHECK(exponential.scale == 0.005);
  CHECK(exponential.length_um == 50.0);
}

TEST_CASE("the cell builds into a model", "[cell_file]") {
  const CellDescription cell = read(tiny());
  const apical::Model model = apical::build_model(cell, apical::builtin_mechanisms(), 2);
  CHECK(model.n_cells == 2);
  CHECK(model.cable.segment_nodes[1].size() == 4);
}

TEST_CASE("cell file errors name the path and suggest fixes", "[cell_file]") {
  CHECK(error_after([](json& d) { d["mechanisms"][1]["mechanism"] = "pass"; }) ==
        "cell.json: /mechanisms/1/mechanism: unknown mechanism 'pass'; did you mean 'pas'?");
  CHECK(error_after([](json& d) { d["mechanisms"][1]["parameters"]["gg"] = "1 S/cm2"; }) ==
        "cell.json: /mechanisms/1/parameters/gg: unknown key 'gg'; did you mean 'g'?");
  CHECK_THAT(error_after([](json& d) { d["mechanisms"][1]["parameters"]["g"] = "0.1 mV"; }),
             Contains("/mechanisms/1/parameters/g: \"0.1 mV\" is a voltage, not a conductance density"));
  CHECK(error_after([](json& d) { d["mechanisms"][1]["parameters"]["g"] = "20 S/cm2"; }) ==
        "cell.json: /mechanisms/1/parameters/g: 20 S/cm2 is out of range for pas.g: must be between 0 and 1 S/cm2");
  CHECK(error_after([](json& d) { d["sections"][1].erase("nseg"); }) ==
        "cell.json: /sections/1: missing required key 'nseg'");
  CHECK(error_after([](json& d) { d["sections"][1]["nseg"] = "4"; }) ==
        "cell.json: /sections/1/nseg: expected an integer, got the string \"4\"");
  CHECK(error_after([](json& d) { d["sections"][1]["nseg"] = 0; }) ==
        "cell.json: /sections/1/nseg: 0 is out of range: must be between 1 and 100000");
  CHECK(error_after([](json& d) { d["sections"][1]["lenght"] = "1 um"; }) ==
        "cell.json: /sections/1/lenght: unknown key 'lenght'; did you mean 'length'?");
  CHECK_THAT(error_after([](json& d) { d["sections"][1]["length"] = 200; }),
             Contains("/sections/1/length: expected a length written as a string with a unit, such as \"20 um\""));
  CHECK_THAT(error_after([](json& d) { d["sections"][1]["diameter"] = json::array({"1 um"}); }),
             Contains("/sections/1/diameter: a taper is [start, end]"));
  CHECK_THAT(error_after([](json& d) { d["sections"][1]["length"] = "-3 um"; }), Contains("must be positive"));
  CHECK(error_after([](json& d) { d["sections"][1]["parent"] = "som(1)"; }) ==
        "cell.json: /sections/1/parent: no section named 'som'; did you mean 'soma'?");
  CHECK_THAT(error_after([](json& d) { d["sections"][1]["parent"] = "soma"; }), Contains("needs a position"));
  CHECK_THAT(error_after([](json& d) { d["sections"][1]["parent"] = "soma(1.5)"; }), Contains("malformed site"));
  CHECK_THAT(error_after([](json& d) { d["sections"][0]["parent"] = "dend(0)"; }),
             Contains("/sections/0/parent: the first section is the root"));
  CHECK_THAT(error_after([](json& d) { d["sections"][1]["parent"] = nullptr; }), Contains("only the first section"));
  CHECK_THAT(error_after([](json& d) { d["sections"][1]["name"] = "soma"; }), Contains("already exists"));
  CHECK_THAT(error_after([](json& d) { d["sections"][1]["name"] = "de nd"; }), Contains("must not contain"));
  CHECK_THAT(error_after([](json& d) { d["mechanisms"][2]["sections"] = json::array({"dendd"}); }),
             Contains("/mechanisms/2/sections/0: no section named 'dendd'; did you mean 'dend'?"));
  CHECK_THAT(error_after([](json& d) { d["mechanisms"][2]["sections"] = json::array(); }),
             Contains("expected at least 1 entry"));
  CHECK_THAT(error_after([](json& d) { d["mechanisms"].push_back({{"mechanism", "pas"}, {"sections", {"dend"}}}); }),
             Contains("/mechanisms/3/sections/0: 'pas' is already placed on section 'dend' (at /mechanisms/1/sections/0)"));
  CHECK_THAT(error_after([](json& d) { d["mechanisms"][0]["mechanism"] = "iclamp"; }), Contains("is a point process"));
  CHECK_THAT(error_after([](json& d) { d["distance_origin"] = "dend(0.5)"; }), Contains("must lie on the root section"));
  CHECK_THAT(error_after([](json& d) { d["rule_sampling"] = "centres"; }), Contains("/rule_sampling: unknown value"));
  CHECK_THAT(error_after([](json& d) { d.erase("temperature"); }), Contains("missing required key 'temperature'"));
}

TEST_CASE("distance rules are checked", "[cell_file]") {
  const auto with_gbar = [](json rule) {
    return [rule](json& d) { d["mechanisms"][1]["parameters"]["g"] = rule; };
  };
  CHECK_THAT(error_after(with_gbar(json::parse(R"~({"linear": [{"at": "soma(0)", "value": "1e-4 S/cm2"}]})~"))),
             Contains("a linear rule has exactly two points"));
  CHECK_THAT(error_after(with_gbar(json::parse(
                 R"~({"linear": [{"at": "soma(0)", "value": "1e-4 S/cm2"}, {"at": "soma(0)", "value": "0 S/cm2"}]})~"))),
             Contains("same distance"));
  CHECK_THAT(error_after(with_gbar(json::parse(R"~({"exponential": {"scale": "1e-4 S/cm2", "length": "0 um"}})~"))),
             Contains("must not be zero"));
  CHECK_THAT(error_after(with_gbar(json::parse(R"~({"exponential": {"scale": "5 S/cm2", "length": "10 um"}})~"))),
             Contains("/exponential/scale: 5 S/cm2 is out of range for pas.g"));
  CHECK_THAT(error_after(with_gbar(json::parse(R"~({"linaer": []})~"))),
             Contains("unknown key 'linaer'; did you mean 'linear'?"));
  CHECK_THAT(error_after(with_gbar(json::object())), Contains("exactly one of the keys"));
}

TEST_CASE("format and version are checked", "[cell_file]") {
  CHECK(error_after([](json& d) { d["format_version"] = 2; }) ==
        "cell.json: /format_version: unsupported version 2; this apical reads apical-cell version 1");
  CHECK(error_after([](json& d) { d["format"] = "apical-scenario"; }) ==
        "cell.json: /format: this reader expects \"apical-cell\" files, got \"apical-scenario\"");
  CHECK_THAT(error_after([](json& d) { d.erase("format"); }), Contains("missing required key 'format'"));
}

TEST_CASE("load_cell_file reads from disk and names the file", "[cell_file]") {
  const apical::test::TempDir dir;
  const std::string path = dir.write("tiny.json", apical::test::tiny_cell_json);
  CHECK(apical::load_cell_file(path).morphology.sections.size() == 2);
  const std::string broken = dir.write("broken.json", "{\"format\": \"apical-cell\",");
  CHECK_THROWS_WITH(apical::load_cell_file(broken), Catch::Matchers::StartsWith(broken + ": invalid JSON"));
  CHECK_THROWS_WITH(apical::load_cell_file(dir.file("missing.json")), Contains("cannot open the file"));
}
