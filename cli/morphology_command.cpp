// apical morphology FILE: imports an SWC or Neurolucida reconstruction and prints what the cell
// became — sections, d-lambda segments, length and membrane area per neurite type.
#include <cstdio>
#include <iostream>
#include <map>

#include "apical/io/morphology_file.hpp"
#include "commands.hpp"
#include "table.hpp"

namespace apical::cli {
namespace {

std::string fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

struct Totals {
  int sections = 0, segments = 0;
  double length_um = 0, area_um2 = 0;
};

}  // namespace

int morphology_command(const std::vector<std::string>& args) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << "usage: apical morphology FILE\n\nImports an SWC (.swc) or Neurolucida ASCII (.asc) reconstruction "
                 "and prints its sections, d-lambda segment counts (d_lambda 0.1 at 100 Hz, Ra 100 ohm cm, "
                 "cm 1 uF/cm2), lengths and membrane areas per neurite type. See docs/morphologies.md.\n";
    return 0;
  }
  if (args.size() != 1) throw UsageError("'morphology' takes one file name");
  const ImportOptions options;
  const ImportedCell imported = load_morphology(args[0], options);
  const Morphology& morphology = imported.cell.morphology;
  const Cable cable = discretise(morphology);

  std::map<NeuriteType, Totals> by_type;
  for (std::size_t s = 0; s < morphology.sections.size(); ++s) {
    Totals& t = by_type[imported.section_type(s)];
    ++t.sections;
    t.segments += morphology.sections[s].nseg;
    t.length_um += morphology.sections[s].length_um;
    for (int node : cable.segment_nodes[s]) t.area_um2 += cable.area_um2[node];
  }
  std::cout << "cell " << imported.cell.name << ": soma " << fixed(morphology.sections[0].length_um, 2)
            << " um long; d_lambda " << options.d_lambda.d_lambda << " at " << options.d_lambda.frequency_Hz
            << " Hz with Ra " << options.Ra_ohm_cm << " ohm cm, cm " << options.cm_uF_per_cm2 << " uF/cm2\n\n";
  Table table({"type", "sections", "segments", "length (um)", "area (um2)"});
  Totals all;
  for (const auto& [type, t] : by_type) {
    table.add({neurite_type_name(type), std::to_string(t.sections), std::to_string(t.segments), fixed(t.length_um, 1),
               fixed(t.area_um2, 1)});
    all.sections += t.sections;
    all.segments += t.segments;
    all.length_um += t.length_um;
    all.area_um2 += t.area_um2;
  }
  table.add({"total", std::to_string(all.sections), std::to_string(all.segments), fixed(all.length_um, 1),
             fixed(all.area_um2, 1)});
  table.print(std::cout);
  return 0;
}

}  // namespace apical::cli
