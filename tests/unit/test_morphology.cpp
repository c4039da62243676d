// Discretisation of the Bahl cell against the node table of tests/reference/bahl2012/model2.json:
// areas, resistances to the parent node, path distances, and NEURON's section(x) lookup. (The
// per-segment densities are checked with the cell file in tests/io/test_bahl_cell_file.cpp.)
#include <catch2/catch.hpp>

#include "../support/bahl.hpp"
#include "../support/reference.hpp"

using namespace apical;

TEST_CASE("Bahl cell segments match NEURON's areas, axial resistances and distances", "[engine][morphology]") {
  const CellDescription& cell = test::bahl_model2();
  const Cable cable = discretise(cell.morphology);
  const nlohmann::json ref = test::read_json("bahl2012/model2.json");
  REQUIRE(cable.size() == 28);  // 20 segments + 8 zero-area nodes
  for (const auto& seg : ref.at("segments")) {
    const std::string name = seg.at("name");
    const Site site = parse_site(cell, name);
    const int node = node_at(cell.morphology, cable, site);
    INFO(name);
    CHECK(cable.node_name[node] == name);
    CHECK(cable.area_um2[node] == Approx(seg.at("area_um2").get<double>()).epsilon(1e-12));
    CHECK(1.0 / cable.g_axial_uS[node] == Approx(seg.at("R_to_parent_node_Mohm").get<double>()).epsilon(1e-12));
    CHECK(path_distance_um(cell.morphology, cell.distance_origin, site) ==
          Approx(seg.at("path_distance_from_soma_0_um").get<double>()).epsilon(1e-12));
  }
  for (const auto& end : ref.at("end_nodes")) {
    const std::string name = end.at("name");
    const Site site = parse_site(cell, name);
    const int node = node_at(cell.morphology, cable, site);
    INFO(name);
    CHECK(cable.is_zero_area(node));
    if (cable.parent[node] >= 0)
      CHECK(1.0 / cable.g_axial_uS[node] == Approx(end.at("R_Mohm").get<double>()).epsilon(1e-12));
  }
}

TEST_CASE("section(x) resolves as NEURON does", "[engine][morphology]") {
  const CellDescription& cell = test::bahl_model2();
  const Cable cable = discretise(cell.morphology);
  const auto name = [&](const std::string& s) { return cable.node_name[node_at(cell.morphology, cable, parse_site(cell, s))]; };
  CHECK(name("tuft(0.5)") == "tuft(0.75)");  // a boundary belongs to the distal segment
  CHECK(name("tuft(0)") == "apical(1)");
  CHECK(name("soma(0)") == "soma(0)");
  CHECK(name("soma") == "soma(0.5)");
  CHECK_THROWS_AS(parse_site(cell, "tuf(0.5)"), std::invalid_argument);
  CHECK_THROWS_AS(parse_site(cell, "tuft(1.5)"), std::invalid_argument);
}
