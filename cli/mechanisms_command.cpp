// apical mechanisms [NAME]: what the registry offers, with each parameter's unit, default and bounds.
#include <iostream>

#include "apical/io/suggest.hpp"
#include "apical/io/units.hpp"
#include "apical/models/register_all.hpp"
#include "commands.hpp"
#include "table.hpp"

namespace apical::cli {
namespace {

const char* kind_name(MechanismKind kind) {
  switch (kind) {
    case MechanismKind::density_channel: return "density channel";
    case MechanismKind::ion_pool: return "ion pool";
    case MechanismKind::point_process: return "point process";
  }
  return "?";
}

void print_mechanism(const MechanismInfo& info) {
  std::cout << info.name << " (" << kind_name(info.kind) << (info.uses_events ? ", driven by spike times" : "")
            << "): " << info.description << '\n';
  if (!info.citation.empty()) std::cout << "  citation: " << info.citation << '\n';
  Table table({"  parameter", "unit", "default", "min", "max", "description"}, {0, 1, 5});
  for (const ParameterSpec& p : info.parameters)
    table.add({"  " + p.name, p.unit, format_number(p.default_value), format_number(p.min), format_number(p.max),
               p.description});
  table.print(std::cout);
}

}  // namespace

int mechanisms_command(const std::vector<std::string>& args) {
  const MechanismRegistry& registry = builtin_mechanisms();
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << "usage: apical mechanisms [NAME]\n\nLists every registered mechanism, or only NAME, with each "
                 "parameter's unit, default and bounds.\n";
    return 0;
  }
  if (args.size() > 1) throw UsageError("'mechanisms' takes at most one mechanism name");
  if (args.size() == 1) {
    const auto mechanism = registry.find(args[0]);
    if (!mechanism)
      throw UsageError("unknown mechanism '" + args[0] + "'" + suggestion_suffix(args[0], registry.names()));
    print_mechanism(mechanism->info());
    return 0;
  }
  std::cout << "Units are the canonical ones; files may use any unit of the same dimension (\"15 nS\" for uS).\n\n";
  bool first = true;
  for (const std::string& name : registry.names()) {
    if (!first) std::cout << '\n';
    first = false;
    print_mechanism(registry.find(name)->info());
  }
  return 0;
}

}  // namespace apical::cli
