// The parameter set is data: another set of the same model (Bahl et al. fitted models 1, 3, 6, 7, 8
// differ only in values) runs by passing another cell file. Here a copy of model 2 with a stronger tuft
// Ca conductance removed is read, simulated with the same protocol, and behaves differently.
#include <catch2/catch.hpp>
#include <fstream>

#include "apical/io/cell_file.hpp"
#include "../../support/bahl.hpp"

using namespace apical;

TEST_CASE("a different parameter set runs by swapping the cell file", "[validation][bahl2012]") {
  std::ifstream in(std::string(APICAL_SOURCE_DIR) + "/models/data/bahl2012/model2.json");
  nlohmann::json document = nlohmann::json::parse(in);
  bool changed = false;
  for (auto& placement : document.at("mechanisms"))
    if (placement.at("mechanism") == "sca") {
      placement.at("parameters").at("gbar") = "0 pS/um2";  // model 2 has 0.454 pS/um2
      changed = true;
    }
  REQUIRE(changed);
  const CellDescription variant = read_cell(document, "variant.json");

  // EPSP alone at 50 nS: a tuft Ca spike in model 2, none without the tuft Ca conductance.
  const auto tuft_plateau_ms = [](const CellDescription& cell) {
    ProtocolSpec spec = test::bahl_protocol(1, 300, 0.025);
    spec.cell = cell;
    test::add_tuft_epsp(spec, {50});
    test::record(spec, "tuft(0.75)");
    const ProtocolResult r = run_protocol(spec, builtin_mechanisms());
    return test::longest_above(r.time_ms, r.traces[0][0], -10.0);
  };
  CHECK(tuft_plateau_ms(test::bahl_model2()) > 10.0);
  CHECK(tuft_plateau_ms(variant) < 10.0);
}
