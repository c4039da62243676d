// Every shipped mechanism declares complete metadata: units, bounds that contain the default, and
// the states its kernel uses.
#include <catch2/catch.hpp>

#include "apical/models/register_all.hpp"

using namespace apical;

TEST_CASE("every registered mechanism has consistent parameter metadata", "[models][registry]") {
  const MechanismRegistry& registry = builtin_mechanisms();
  const auto names = registry.names();
  CHECK(names.size() >= 15);
  for (const std::string& name : names) {
    const MechanismInfo& info = registry.find(name)->info();
    INFO(name);
    CHECK(info.name == name);
    CHECK_FALSE(info.description.empty());
    for (const ParameterSpec& p : info.parameters) {
      INFO(p.name);
      CHECK_FALSE(p.unit.empty());
      CHECK(p.min <= p.default_value);
      CHECK(p.default_value <= p.max);
    }
  }
  MechanismRegistry r;
  register_all_mechanisms(r);
  CHECK_THROWS_AS(register_all_mechanisms(r), std::invalid_argument);  // names are unique
}
