// The shipped Bahl et al. (2012) model-2 cell file against the NEURON reference description
// (shared/reference/bahl2012/model2.json): geometry, and every density after the distance rules.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

#include "apical/io/cell_file.hpp"
#include "apical/models/build_model.hpp"

using Catch::Matchers::WithinRel;
using nlohmann::json;

namespace {

const apical::CellDescription& bahl() {
  static const apical::CellDescription cell =
      apical::load_cell_file(std::string(APICAL_SOURCE_DIR) + "/models/data/bahl2012/model2.json");
  return cell;
}

json reference() {
  std::ifstream in(std::string(APICAL_REFERENCE_DIR) + "/bahl2012/model2.json");
  REQUIRE(in);
  return json::parse(in);
}

// Value of `parameter` of `mechanism` at the node named `node`, or NaN where it is not placed.
double parameter_at(const apical::Model& model, const std::string& mechanism, const std::string& parameter,
                    const std::string& node) {
  const int g = model.group_index(mechanism);
  if (g < 0) return std::nan("");
  const auto& group = model.groups[static_cast<std::size_t>(g)];
  const int p = group.mechanism->info().parameter_index(parameter);
  const auto& names = model.cable.node_name;
  for (std::size_t k = 0; k < group.instances.count(); ++k)
    if (names[static_cast<std::size_t>(group.instances.node[k])] == node)
      return group.instances.parameters[static_cast<std::size_t>(p)][k * static_cast<std::size_t>(model.n_cells)];
  return std::nan("");
}

}  // namespace

TEST_CASE("Bahl model 2: sections and discretisation", "[cell_file][bahl2012]") {
  const apical::CellDescription& cell = bahl();
  CHECK(cell.name == "bahl2012_model2");
  CHECK(cell.celsius == 37.0);
  CHECK(cell.v_init_mV == -65.0);
  CHECK(cell.rule_sampling == apical::RuleSampling::neuron_for_x_loop);
  CHECK(cell.distance_origin.section == 0);
  CHECK(cell.distance_origin.x == 0.0);
  const auto& sections = cell.morphology.sections;
  REQUIRE(sections.size() == 7);
  int nseg = 0;
  for (const auto& s : sections) nseg += s.nseg;
  CHECK(nseg == 20);

  const json ref = reference();
  for (std::size_t s = 0; s < sections.size(); ++s) {
    const json& r = ref["sections"][s];
    INFO("section " << r["name"].get<std::string>());
    CHECK(sections[s].name == r["name"].get<std::string>());
    CHECK(sections[s].nseg == r["nseg"].get<int>());
    CHECK(sections[s].length_um == r["L_um"].get<double>());
    CHECK(sections[s].Ra_ohm_cm == r["Ra_ohm_cm"].get<double>());
    if (r["parent"].is_null()) {
      CHECK(sections[s].parent == -1);
    } else {
      CHECK(sections[static_cast<std::size_t>(sections[s].parent)].name == r["parent"].get<std::string>());
      CHECK(sections[s].parent_x == r["parent_x"].get<double>());
    }
  }
  CHECK(sections[4].diam_start_um == 3.5);  // hillock taper
  CHECK(sections[4].diam_end_um == 2.0);
  CHECK(sections[5].diam_start_um == 2.0);  // iseg taper
  CHECK(sections[5].diam_end_um == 1.5);
}

TEST_CASE("Bahl model 2: per-segment geometry, passive values and densities match NEURON", "[cell_file][bahl2012]") {
  const apical::Model model = apical::build_model(bahl(), apical::builtin_mechanisms(), 1);
  const json ref = reference();
  const auto& names = model.cable.node_name;
  REQUIRE(ref["segments"].size() == 20);
  std::map<std::string, int> placed_in_reference;
  for (const json& seg : ref["segments"]) {
    const std::string name = seg["name"].get<std::string>();
    INFO("segment " << name);
    const auto it = std::find(names.begin(), names.end(), name);
    REQUIRE(it != names.end());
    const auto node = static_cast<std::size_t>(it - names.begin());
    CHECK_THAT(model.cable.diam_um[node], WithinRel(seg["diam_um"].get<double>(), 1e-14));
    CHECK_THAT(model.cable.area_um2[node], WithinRel(seg["area_um2"].get<double>(), 1e-12));
    CHECK_THAT(model.cable.capacitance_nF[node],
               WithinRel(seg["cm_uF_per_cm2"].get<double>() * seg["area_um2"].get<double>() * 1e-5, 1e-12));
    CHECK_THAT(parameter_at(model, "pas", "g", name), WithinRel(seg["g_pas_S_per_cm2"].get<double>(), 1e-14));
    CHECK(parameter_at(model, "pas", "e", name) == seg["e_pas_mV"].get<double>());
    for (const auto& [mechanism, values] : seg["mechanisms"].items()) {
      INFO("mechanism " << mechanism);
      ++placed_in_reference[mechanism];
      if (values.contains("gbar_S_per_cm2"))
        CHECK_THAT(parameter_at(model, mechanism, "gbar", name), WithinRel(values["gbar_S_per_cm2"].get<double>(), 1e-12));
      if (mechanism == "nat") {
        CHECK(parameter_at(model, "nat", "vshift", name) == values["vshift_mV"].get<double>());
        CHECK(parameter_at(model, "nat", "vshift2", name) == values["vshift2_mV"].get<double>());
      }
      if (mechanism == "sca") CHECK(parameter_at(model, "sca", "vshift", name) == values["vshift_mV"].get<double>());
      if (mechanism == "cad") {
        CHECK(parameter_at(model, "cad", "depth", name) == values["depth_um"].get<double>());
        CHECK(parameter_at(model, "cad", "taur", name) == values["taur_ms"].get<double>());
        CHECK(parameter_at(model, "cad", "cainf", name) == values["cainf_mM"].get<double>());
      }
    }
  }
  // No mechanism sits anywhere the reference does not put it.
  for (const auto& [mechanism, count] : placed_in_reference) {
    INFO("mechanism " << mechanism);
    const int g = model.group_index(mechanism);
    REQUIRE(g >= 0);
    CHECK(model.groups[static_cast<std::size_t>(g)].instances.count() == static_cast<std::size_t>(count));
  }
  CHECK(model.groups[static_cast<std::size_t>(model.group_index("pas"))].instances.count() == 20);
}
