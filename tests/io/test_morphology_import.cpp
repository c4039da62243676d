// The two shared reconstructions import with the counts, lengths and areas of an independent reading
// (tests/io/morphology_reference.py, Python standard library only), and match NEURON Import3d's
// section counts and lengths quoted in tests/data/morphologies/README.md. An imported cell runs.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <sstream>
#include <map>
#include <numbers>

#include "apical/engine/fixed_step.hpp"
#include "apical/io/morphology_file.hpp"
#include "apical/models/build_model.hpp"
#include "apical/models/register_all.hpp"

using namespace apical;
using Catch::Matchers::WithinRel;

namespace {

const std::string swc_file = std::string(APICAL_MORPHOLOGY_DIR) + "/Rbp4-Cre_KL100_Ai14-180747.06.01.01_495335491_m.swc";
const std::string asc_file = std::string(APICAL_MORPHOLOGY_DIR) + "/cell1.asc";

struct TypeTotals {
  int sections = 0;
  double length_um = 0, area_um2 = 0;
};

// Sections, length and lateral membrane area (summed over the discretised segments) per neurite type.
std::map<NeuriteType, TypeTotals> totals(const ImportedCell& imported) {
  const Cable cable = discretise(imported.cell.morphology);
  std::map<NeuriteType, TypeTotals> out;
  for (std::size_t s = 0; s < imported.cell.morphology.sections.size(); ++s) {
    TypeTotals& t = out[imported.section_type(s)];
    ++t.sections;
    t.length_um += imported.cell.morphology.sections[s].length_um;
    for (int node : cable.segment_nodes[s]) t.area_um2 += cable.area_um2[node];
  }
  return out;
}

int total_nseg(const Morphology& m) {
  int n = 0;
  for (const SectionSpec& s : m.sections) n += s.nseg;
  return n;
}

int samples_of(const Reconstruction& r, NeuriteType type) {
  int n = 0;
  for (const Sample& s : r.samples) n += s.type == type;
  return n;
}

std::string text_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("the Allen SWC cell imports with its one-point soma", "[morphology]") {
  const Reconstruction r = read_swc_text(text_of(swc_file), swc_file);
  CHECK(r.samples.size() == 4213);
  CHECK(samples_of(r, NeuriteType::soma) == 1);
  CHECK(samples_of(r, NeuriteType::axon) == 133);
  CHECK(samples_of(r, NeuriteType::basal_dendrite) == 2353);
  CHECK(samples_of(r, NeuriteType::apical_dendrite) == 1726);

  const ImportedCell cell = load_morphology(swc_file);
  CHECK(cell.cell.name == "Rbp4-Cre_KL100_Ai14-180747.06.01.01_495335491_m");
  const SectionSpec& soma = cell.cell.morphology.sections[0];
  CHECK_THAT(soma.length_um, WithinRel(2 * 9.7891, 1e-12));  // NEURON's 19.58 um x 19.58 um cylinder
  auto t = totals(cell);
  CHECK_THAT(t[NeuriteType::soma].area_um2, WithinRel(4 * std::numbers::pi * 9.7891 * 9.7891, 1e-12));
  // Reference script; NEURON Import3d: 1 axon (151 um), 72 dend (2,826 um), 35 apic (2,064 um).
  CHECK(t[NeuriteType::axon].sections == 1);
  CHECK(t[NeuriteType::basal_dendrite].sections == 72);
  CHECK(t[NeuriteType::apical_dendrite].sections == 35);
  CHECK_THAT(t[NeuriteType::axon].length_um, WithinRel(151.179, 1e-5));
  CHECK_THAT(t[NeuriteType::basal_dendrite].length_um, WithinRel(2825.680, 1e-5));
  CHECK_THAT(t[NeuriteType::apical_dendrite].length_um, WithinRel(2064.395, 1e-5));
  CHECK_THAT(t[NeuriteType::axon].area_um2, WithinRel(202.420, 1e-5));
  CHECK_THAT(t[NeuriteType::basal_dendrite].area_um2, WithinRel(3527.894, 1e-5));
  CHECK_THAT(t[NeuriteType::apical_dendrite].area_um2, WithinRel(2461.079, 1e-5));
  CHECK(total_nseg(cell.cell.morphology) == 387);  // d_lambda 0.1 at 100 Hz, Ra 100 ohm cm, cm 1 uF/cm2
}

TEST_CASE("the Hay Neurolucida cell imports with its contour soma", "[morphology]") {
  const Reconstruction r = read_neurolucida_text(text_of(asc_file), asc_file);
  CHECK(r.soma_contour.size() == 20);  // the tissue outline and the 1,529 marker points are skipped
  CHECK(samples_of(r, NeuriteType::axon) == 14);
  CHECK(samples_of(r, NeuriteType::basal_dendrite) == 1647);
  CHECK(samples_of(r, NeuriteType::apical_dendrite) == 2408);

  const ImportedCell cell = load_morphology(asc_file);
  auto t = totals(cell);
  // Reference script 23.391 um and 1,138.245 um2; NEURON Import3d: L = 23.17 um, 1,131 um2.
  CHECK_THAT(cell.cell.morphology.sections[0].length_um, WithinRel(23.391, 1e-4));
  CHECK_THAT(t[NeuriteType::soma].area_um2, WithinRel(1138.245, 1e-5));
  CHECK_THAT(t[NeuriteType::soma].area_um2, WithinRel(1131.0, 0.01));
  // Reference script; NEURON Import3d: 1 axon (45 um), 84 dend (5,133 um), 109 apic (7,441 um).
  CHECK(t[NeuriteType::axon].sections == 1);
  CHECK(t[NeuriteType::basal_dendrite].sections == 84);
  CHECK(t[NeuriteType::apical_dendrite].sections == 109);
  CHECK_THAT(t[NeuriteType::axon].length_um, WithinRel(44.614, 1e-4));
  CHECK_THAT(t[NeuriteType::basal_dendrite].length_um, WithinRel(5133.492, 1e-5));
  CHECK_THAT(t[NeuriteType::apical_dendrite].length_um, WithinRel(7440.906, 1e-5));
  CHECK_THAT(t[NeuriteType::axon].area_um2, WithinRel(176.177, 1e-5));
  CHECK_THAT(t[NeuriteType::basal_dendrite].area_um2, WithinRel(8980.998, 1e-5));
  CHECK_THAT(t[NeuriteType::apical_dendrite].area_um2, WithinRel(21192.686, 1e-5));
  CHECK(total_nseg(cell.cell.morphology) == 751);
}

namespace {

// Steady-state input resistance (MOhm) at soma(0.5) of the SWC cell made passive, and the isopotential
// value R_m/A of its total membrane area.
std::pair<double, double> passive_input_resistance(double Ra_ohm_cm) {
  constexpr double Rm = 15000, E = -70, I_nA = 0.05;
  ImportOptions options;
  options.Ra_ohm_cm = Ra_ohm_cm;
  CellDescription cell = load_morphology(swc_file, options).cell;
  cell.v_init_mV = E;
  std::vector<int> all(cell.morphology.sections.size());
  for (std::size_t s = 0; s < all.size(); ++s) all[s] = static_cast<int>(s);
  cell.mechanisms = {{"pas", all, {{"g", DistanceRule::constant_value(1 / Rm)}, {"e", DistanceRule::constant_value(E)}}}};
  const PointPlacement step{"iclamp", Site{0, 0.5}, {{"delay", {0.0}}, {"dur", {1e9}}, {"amp", {I_nA}}}, {}};
  const Model model = build_model(cell, builtin_mechanisms(), 1, {step});
  State state = initial_state(model);
  FixedStepSolver(model, 0.1).advance_to(state, 200);  // 13 membrane time constants (R_m c_m = 15 ms)
  double area_um2 = 0;
  for (double a : model.cable.area_um2) area_um2 += a;
  return {(state.v[node_at(cell.morphology, model.cable, Site{0, 0.5})] - E) / I_nA, Rm / (area_um2 * 1e-8) * 1e-6};
}

}  // namespace

TEST_CASE("a passive imported cell has the input resistance of its membrane area", "[morphology]") {
  // Hand estimate: with negligible axial resistance the cell is isopotential and R_in = R_m/A exactly
  // (A = 7,395.6 um2 from the reference script, R_m = 15 kOhm cm2: 202.8 MOhm). With R_a = 100 Ohm cm
  // the thin dendrites (d ~ 0.66 um, lambda = sqrt(R_m d/4R_a) ~ 500 um, apical tree up to 500 um
  // long) are partly decoupled, so R_in rises above R_m/A, but by well under half.
  const auto [R_isopotential, bound] = passive_input_resistance(0.01);
  CHECK_THAT(bound, WithinRel(15000 / 7395.584e-8 * 1e-6, 1e-5));
  CHECK_THAT(R_isopotential, WithinRel(bound, 1e-3));
  const auto [R_in, isopotential] = passive_input_resistance(100);
  INFO("R_in " << R_in << " MOhm; isopotential " << isopotential << " MOhm");
  REQUIRE(std::isfinite(R_in));
  CHECK(R_in > isopotential);
  CHECK(R_in < 1.5 * isopotential);
}
