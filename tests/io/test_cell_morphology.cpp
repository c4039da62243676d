// Cell files on a reconstruction ("morphology" in place of "sections"): the import, passive properties
// by neurite type, mechanisms placed by neurite type, distance rules from soma(0.5), the errors, the
// copy into a run folder, and the shipped scenario on the Allen cell, which spikes.
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "apical/io/cell_file.hpp"
#include "apical/io/morphology_file.hpp"
#include "apical/io/results.hpp"
#include "apical/io/scenario.hpp"
#include "io_test_support.hpp"

using namespace apical;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinRel;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

const std::string swc_name = "Rbp4-Cre_KL100_Ai14-180747.06.01.01_495335491_m.swc";
const std::string swc_file = std::string(APICAL_MORPHOLOGY_DIR) + "/" + swc_name;

// The Allen SWC with NEURON's default passive properties, and mechanisms chosen by neurite type.
json allen_cell() {
  return json::parse(R"~({"format": "apical-cell", "format_version": 1, "name": "allen",
    "temperature": "37 degC", "v_init": "-70 mV",
    "morphology": {"file": ")~" + swc_file + R"~(", "Ra": "100 ohm cm", "cm": "1 uF/cm2"},
    "mechanisms": [
      {"mechanism": "pas", "neurites": ["soma", "axon", "basal_dendrite", "apical_dendrite"]},
      {"mechanism": "nat", "neurites": ["soma", "axon"]},
      {"mechanism": "ih", "neurites": ["apical_dendrite"], "parameters": {"gbar": {"linear": [
         {"distance": "0 um", "value": "0 pS/um2"}, {"distance": "500 um", "value": "10 pS/um2"}]}}}]})~");
}

// A one-point soma, a basal branch and an apical dendrite: no axon.
const std::string small_swc = "1 1 0 0 0 5 -1\n2 3 6 0 0 0.5 1\n3 3 20 0 0 0.5 2\n4 4 0 6 0 1 1\n5 4 0 100 0 0.8 4\n";

std::string small_cell(const std::string& file) {
  return R"~({"format": "apical-cell", "format_version": 1, "name": "small", "temperature": "37 degC",
    "v_init": "-70 mV", "morphology": {"file": ")~" + file + R"~(", "Ra": "100 ohm cm", "cm": "1 uF/cm2"},
    "mechanisms": [{"mechanism": "pas", "neurites": ["apical_dendrite"]}]})~";
}

CellDescription read(const json& doc) { return read_cell(doc, "cell.json"); }

// Runs `edit` on `doc` and returns the loader's message.
template <class Edit>
std::string error_after(json doc, Edit edit) {
  edit(doc);
  try {
    (void)read(doc);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

double total_length_um(const Morphology& m) {
  double sum = 0;
  for (const SectionSpec& s : m.sections) sum += s.length_um;
  return sum;
}

std::vector<int> sections_of(const ImportedCell& imported, std::initializer_list<NeuriteType> types) {
  std::vector<int> out;
  for (std::size_t s = 0; s < imported.cell.morphology.sections.size(); ++s)
    if (std::find(types.begin(), types.end(), imported.section_type(s)) != types.end())
      out.push_back(static_cast<int>(s));
  return out;
}

std::vector<int> sorted(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_CASE("a cell file on a morphology imports it and places mechanisms by neurite type", "[morphology]") {
  const CellDescription cell = read(allen_cell());
  const ImportedCell imported = load_morphology(swc_file);
  const auto& sections = cell.morphology.sections;
  REQUIRE(sections.size() == imported.cell.morphology.sections.size());
  CHECK_THAT(total_length_um(cell.morphology), WithinRel(total_length_um(imported.cell.morphology), 1e-12));
  for (std::size_t s = 0; s < sections.size(); ++s) {
    CHECK(sections[s].name == imported.cell.morphology.sections[s].name);
    CHECK(sections[s].nseg == imported.cell.morphology.sections[s].nseg);
  }
  CHECK(cell.name == "allen");
  CHECK(cell.distance_origin.section == 0);
  CHECK(cell.distance_origin.x == 0.5);
  REQUIRE(cell.tracing.has_value());

  REQUIRE(cell.mechanisms.size() == 3);
  CHECK(cell.mechanisms[0].sections.size() == sections.size());
  CHECK(sorted(cell.mechanisms[1].sections) == sections_of(imported, {NeuriteType::soma, NeuriteType::axon}));
  CHECK(sorted(cell.mechanisms[2].sections) == sections_of(imported, {NeuriteType::apical_dendrite}));
  CHECK(cell.mechanisms[2].sections.size() == 35);
  const DistanceRule& ih = cell.mechanisms[2].parameters.at("gbar");
  CHECK(ih.kind == DistanceRule::Kind::linear);
  CHECK(ih.at(250.0) == Approx(0.5e-3));  // 10 pS/um2 = 1e-3 S/cm2 at 500 um from soma(0.5)
}

TEST_CASE("R_a and c_m may differ by neurite type, and the segments follow them", "[morphology]") {
  json doc = allen_cell();
  doc["morphology"]["neurites"] =
      json::parse(R"({"apical_dendrite": {"cm": "2 uF/cm2"}, "axon": {"Ra": "150 ohm cm"}})");
  doc["morphology"]["d_lambda"] = 0.05;
  doc["morphology"]["d_lambda_frequency"] = "0.2 kHz";
  const CellDescription cell = read(doc);
  const ImportedCell imported = load_morphology(swc_file);
  int finer = 0;
  for (std::size_t s = 0; s < cell.morphology.sections.size(); ++s) {
    const SectionSpec& section = cell.morphology.sections[s];
    const NeuriteType type = imported.section_type(s);
    CHECK(section.cm_uF_per_cm2 == (type == NeuriteType::apical_dendrite ? 2.0 : 1.0));
    CHECK(section.Ra_ohm_cm == (type == NeuriteType::axon ? 150.0 : 100.0));
    CHECK(section.nseg == d_lambda_nseg(section, DLambdaRule{0.05, 200.0}));
    finer += section.nseg > imported.cell.morphology.sections[s].nseg;
  }
  CHECK(finer > 50);
}

TEST_CASE("a relative morphology file is taken from the cell file's folder, and copied with it", "[morphology]") {
  const test::TempDir dir;
  dir.write("cells/small.swc", small_swc);
  const std::string path = dir.write("cells/small.json", small_cell("small.swc"));
  const CellDescription cell = load_cell_file(path);
  REQUIRE(cell.morphology.sections.size() == 3);  // soma, dend_0, apic_0
  CHECK(cell.mechanisms.at(0).sections == std::vector<int>{2});

  // Into a run folder: the morphology beside the copy, which names it there and reads back alone.
  fs::create_directories(dir.file("run"));
  const auto written = copy_cell_file(path, dir.file("run/cell.json"));
  CHECK(written == std::vector<std::string>{dir.file("run/cell.json"), dir.file("run/small.swc")});
  fs::remove_all(dir.file("cells"));
  const CellDescription copy = load_cell_file(dir.file("run/cell.json"));
  CHECK(copy.morphology.sections.size() == 3);
  CHECK(json::parse(test::read_text(dir.file("run/cell.json")))["morphology"]["file"] == "small.swc");
  // Rerun from the run folder into itself: nothing is copied onto itself.
  CHECK(copy_cell_file(dir.file("run/cell.json"), dir.file("run/cell.json")).size() == 2);
  CHECK(load_cell_file(dir.file("run/cell.json")).morphology.sections.size() == 3);
}

TEST_CASE("cell files on a morphology name the path of each mistake", "[morphology]") {
  const json allen = allen_cell();
  CHECK(error_after(allen, [](json& d) { d["sections"] = json::array(); }) ==
        "cell.json: /morphology: a cell has either 'sections' (written by hand) or 'morphology' (imported from a "
        "reconstruction file), not both");
  CHECK(error_after(allen, [](json& d) { d.erase("morphology"); }) ==
        "cell.json: missing required key 'sections' (written by hand) or 'morphology' (imported from a "
        "reconstruction file)");
  CHECK(error_after(allen, [](json& d) { d["mechanisms"][1]["neurites"][1] = "axom"; }) ==
        "cell.json: /mechanisms/1/neurites/1: unknown value \"axom\"; did you mean 'axon'?");
  CHECK(error_after(allen, [](json& d) { d["mechanisms"][1]["neurites"][1] = "basal dendrite"; }) ==
        "cell.json: /mechanisms/1/neurites/1: unknown value \"basal dendrite\"; did you mean 'basal_dendrite'?");
  CHECK(error_after(allen, [](json& d) { d["mechanisms"][1].erase("neurites"); }) ==
        "cell.json: /mechanisms/1: missing required key 'sections' (section names) or 'neurites' (neurite types of "
        "an imported cell)");
  CHECK(error_after(allen, [](json& d) { d["mechanisms"][1]["sections"] = {"soma"}; }) ==
        "cell.json: /mechanisms/1/neurites/0: 'nat' is already placed on section 'soma' (at "
        "/mechanisms/1/sections/0)");
  CHECK(error_after(allen, [](json& d) { d["morphology"]["file"] = "/nowhere/cell.swc"; }) ==
        "cell.json: /morphology/file: morphology file not found: /nowhere/cell.swc (a relative path is taken from "
        "the cell file's folder)");
  CHECK(error_after(allen, [](json& d) { d["morphology"]["RA"] = "1 ohm cm"; }) ==
        "cell.json: /morphology/RA: unknown key 'RA'; did you mean 'Ra'?");
  CHECK_THAT(error_after(allen, [](json& d) { d["morphology"].erase("cm"); }),
             Contains("/morphology: missing required key 'cm'"));
  CHECK(error_after(allen, [](json& d) { d["morphology"]["neurites"] = {{"apical", {{"cm", "2 uF/cm2"}}}}; }) ==
        "cell.json: /morphology/neurites/apical: unknown key 'apical'; expected one of: soma, axon, basal_dendrite, "
        "apical_dendrite");
  CHECK_THAT(error_after(allen, [](json& d) { d["morphology"]["neurites"] = {{"axon", json::object()}}; }),
             Contains("/morphology/neurites/axon: give \"Ra\", \"cm\" or both for the axon sections"));
  CHECK_THAT(error_after(allen, [](json& d) { d["morphology"]["d_lambda"] = 0; }),
             Contains("/morphology/d_lambda: d_lambda must be positive"));
  const auto both_at_and_distance = [](json& d) {
    d["mechanisms"][2]["parameters"]["gbar"]["linear"][0]["at"] = "soma";
  };
  CHECK_THAT(error_after(allen, both_at_and_distance),
             Contains("/mechanisms/2/parameters/gbar/linear/0: a point of a linear rule has exactly one of the keys "
                      "'at' (a site) or 'distance'"));

  // Neurite types belong to imported cells, and to the types the reconstruction has.
  json hand_written = json::parse(test::tiny_cell_json);
  hand_written["mechanisms"].push_back({{"mechanism", "kfast"}, {"neurites", {"soma"}}});
  CHECK_THAT(error_after(hand_written, [](json&) {}),
             Contains("cell.json: /mechanisms/3/neurites: neurite types select the sections of a cell imported with "
                      "\"morphology\"; this cell lists its sections by hand, so name them in \"sections\""));
  const test::TempDir dir;
  dir.write("small.swc", small_swc);
  const std::string small = dir.write("small.json", small_cell("small.swc"));
  json no_axon = json::parse(test::read_text(small));
  no_axon["morphology"]["file"] = dir.file("small.swc");
  CHECK(error_after(no_axon, [](json& d) { d["mechanisms"][0]["neurites"] = {"axon"}; }) ==
        "cell.json: /mechanisms/0/neurites/0: the morphology has no axon sections");

  // A problem inside the morphology file is reported at its file and line.
  const std::string broken = dir.write("broken.swc", "1 1 0 0 0 5 -1\n2 3 0 10 0 1 7\n");
  CHECK_THAT(error_after(allen, [&](json& d) { d["morphology"]["file"] = broken; }),
             StartsWith(broken + ": line 2: "));
}

TEST_CASE("the shipped Allen-cell scenario spikes and the spike fades along the apical dendrite", "[morphology]") {
  const Scenario scenario = load_scenario(std::string(APICAL_SOURCE_DIR) + "/scenarios/rbp4_l5_current_step.json");
  REQUIRE(scenario.protocol.cell.tracing.has_value());
  const ProtocolResult result = run_protocol(scenario.protocol, builtin_mechanisms());
  CHECK(result.spike_times_ms.at(0).size() == 1);
  const auto peak = [&](const std::string& label) {
    const auto& recordings = scenario.protocol.recordings;
    const auto r =
        std::find_if(recordings.begin(), recordings.end(), [&](const RecordingSpec& s) { return s.label == label; });
    REQUIRE(r != recordings.end());
    const auto& trace = result.traces[static_cast<std::size_t>(r - recordings.begin())][0];
    return *std::max_element(trace.begin(), trace.end());
  };
  INFO("peaks: soma " << peak("v_soma(0.5)") << ", trunk " << peak("v_trunk") << ", distal " << peak("v_distal")
                      << " mV");
  CHECK(peak("v_soma(0.5)") > 0.0);
  CHECK(peak("v_trunk") > 0.0);     // 166 um from the soma
  CHECK(peak("v_distal") < -40.0);  // 530 um: the spike has faded
  CHECK(peak("cai_trunk") > 1e-3);  // Ca entry where the spike is large

  const test::TempDir dir;
  const auto written = write_run_folder(dir.file("run"), scenario, result);
  CHECK(std::count(written.begin(), written.end(), dir.file("run/" + swc_name)) == 1);
  const CellDescription copy = load_cell_file(dir.file("run/cell.json"));
  CHECK(copy.morphology.sections.size() == scenario.protocol.cell.morphology.sections.size());
  CHECK(copy.mechanisms.size() == scenario.protocol.cell.mechanisms.size());
}
