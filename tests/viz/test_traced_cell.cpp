// A cell imported from a reconstruction (models/data/rbp4_l5, the Allen Rbp4 L5 cell) in pictures and
// exports: its traced shape lies where the reconstruction does and cuts every section into its
// segments; a run of the shipped scenario is drawn in that shape, coloured by the recorded values,
// and exported with them.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkNew.h>
#include <vtkPolyData.h>
#include <vtkXMLPolyDataReader.h>

#include "apical/io/cell_file.hpp"
#include "apical/io/morphology_file.hpp"
#include "apical/viz/cell_render.hpp"
#include "apical/viz/colour_map.hpp"
#include "apical/viz/paraview_export.hpp"
#include "png_image.hpp"
#include "render_test_support.hpp"

namespace {

const std::string cell_file = std::string(APICAL_SOURCE_DIR) + "/models/data/rbp4_l5/rbp4_l5.json";
const std::string swc_file =
    std::string(APICAL_SOURCE_DIR) + "/models/data/rbp4_l5/Rbp4-Cre_KL100_Ai14-180747.06.01.01_495335491_m.swc";

double length_um(const apical::viz::Frustum& f) {
  return std::hypot(f.b[0] - f.a[0], f.b[1] - f.a[1], f.b[2] - f.a[2]);
}

// Runs the shipped scenario (1 nA for 5 ms at 20 ms: one spike) into `folder`.
void run_rbp4_cell(const std::string& folder) {
  const apical::Scenario scenario =
      apical::load_scenario(std::string(APICAL_SOURCE_DIR) + "/scenarios/rbp4_l5_current_step.json");
  apical::write_run_folder(folder, scenario, apical::run_protocol(scenario.protocol, apical::builtin_mechanisms()));
}

// Pixels near colour-map position `at`, left of the colour bar (on the cell).
std::size_t on_cell(const apical::test::PngImage& image, double at) {
  const apical::viz::Rgb c = apical::viz::colour_map(at);
  std::size_t n = 0;
  const auto near = [](int value, int target) { return std::abs(value - target) <= 12; };
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width * 3 / 4; ++x) {
      const auto i = 3 * static_cast<std::size_t>(y * image.width + x);
      n += near(image.rgb[i], c.r) && near(image.rgb[i + 1], c.g) && near(image.rgb[i + 2], c.b);
    }
  return n;
}

}  // namespace

TEST_CASE("an imported cell is traced where its reconstruction lies, segment by segment", "[viz]") {
  const apical::CellDescription cell = apical::load_cell_file(cell_file);
  const apical::viz::CellShape shape = apical::viz::traced_shape(cell);
  const auto& sections = cell.morphology.sections;

  // The same box as the reconstruction drawn sample by sample (both turned pia-up), in its own frame
  // (the soma at x = 641.6 um), not the schematic layout's.
  const auto traced = apical::viz::bounds(shape);
  const auto drawn =
      apical::viz::bounds(apical::viz::reconstruction_shape(apical::read_reconstruction_file(swc_file)));
  for (std::size_t k = 0; k < 6; ++k) CHECK(traced[k] == Approx(drawn[k]).margin(1e-9));
  CHECK(traced[0] == Approx(517.8 - 0.5).margin(1.0));
  CHECK(apical::viz::bounds(apical::viz::schematic_shape(cell.morphology))[0] < 0.0);
  REQUIRE(shape.somata.size() == 1);
  CHECK(shape.somata[0].centre[0] == Approx(641.5552));
  CHECK(shape.somata[0].segment == sections[0].nseg / 2);

  // Every segment of every neurite gets frusta adding up to its length; stems join the trees to the
  // soma's segment.
  std::map<int, double> length_of_segment;
  for (const apical::viz::Frustum& f : shape.frusta) length_of_segment[f.segment] += length_um(f);
  int segment = sections[0].nseg;
  for (std::size_t s = 1; s < sections.size(); ++s)
    for (int k = 0; k < sections[s].nseg; ++k, ++segment)
      CHECK(length_of_segment[segment] == Approx(sections[s].length_um / sections[s].nseg).epsilon(1e-9));
  CHECK(static_cast<std::size_t>(segment) == apical::segment_sites(cell.morphology).size());
  CHECK(length_of_segment.count(sections[0].nseg / 2) == 1);  // the stems
  CHECK(apical::viz::cell_shape(cell).frusta.size() == shape.frusta.size());
}

TEST_CASE("a run on an imported cell is drawn in its real shape, coloured by the recorded values", "[viz]") {
  const apical::test::TempDir dir;
  run_rbp4_cell(dir.file("run"));
  const apical::viz::CellRun run = apical::viz::load_cell_run(dir.file("run"));
  REQUIRE(run.cell.tracing.has_value());
  apical::viz::CellRenderOptions options;
  options.size = {600, 600};
  apical::viz::render_cell_run(run, options, 22.0, dir.file("v.png"));  // the spike at the soma
  const apical::test::PngImage image = apical::test::read_png_image(dir.file("v.png"));
  CHECK(image.width == 600);
  CHECK(image.height == 600);
  CHECK(image.not_white() > 8000);
  CHECK(on_cell(image, 0.0) > 40);  // the resting basal and distal apical dendrites
  CHECK(on_cell(image, 1.0) > 40);  // the firing axon
  // Apart from the spike, the dendrites show other colours.
  apical::viz::render_cell_run(run, options, 10.0, dir.file("rest.png"));
  CHECK(apical::test::read_png_image(dir.file("rest.png")).rgb != image.rgb);

  // The cell file alone: the traced shape in neurite colours.
  apical::viz::render_shape(cell_file, {400, 400}, dir.file("shape.png"));
  const apical::test::PngImage shape = apical::test::read_png_image(dir.file("shape.png"));
  CHECK(shape.count(apical::viz::apical_colour, 10) > 40);
  CHECK(shape.count(apical::viz::basal_colour, 10) > 40);
}

TEST_CASE("a run on an imported cell exports its real geometry with the segment values", "[viz]") {
  const apical::test::TempDir dir;
  run_rbp4_cell(dir.file("run"));
  const apical::viz::CellRun run = apical::viz::load_cell_run(dir.file("run"));
  const std::vector<std::string> pvd = apical::viz::export_cell_run(run, dir.file("pv"), 220);
  REQUIRE(pvd == std::vector<std::string>{dir.file("pv/default.pvd")});

  vtkNew<vtkXMLPolyDataReader> reader;
  reader->SetFileName(dir.file("pv/default/step_00220.vtp").c_str());  // 22 ms
  reader->Update();
  REQUIRE(reader->GetErrorCode() == 0);
  vtkPolyData* step = reader->GetOutput();
  const apical::viz::CellShape shape = apical::viz::traced_shape(run.cell);
  REQUIRE(step->GetNumberOfCells() == static_cast<vtkIdType>(shape.frusta.size() + 1));  // + the soma's cylinder
  double box[6];
  step->GetBounds(box);
  CHECK(box[0] == Approx(517.8).margin(1.0));  // the reconstruction's frame, radii left out
  CHECK(box[1] == Approx(974.1).margin(1.0));

  vtkDataArray* v = step->GetCellData()->GetArray("v_mV");
  vtkDataArray* section = step->GetCellData()->GetArray("section");
  vtkDataArray* x = step->GetCellData()->GetArray("x");
  REQUIRE((v != nullptr && section != nullptr && x != nullptr && step->GetCellData()->GetArray("cai_mM") != nullptr));
  const apical::SegmentRecording& rec = run.recording;
  const auto& v_values = rec.values[0][1];  // [condition][variable]: "cai", "v" (HDF5 name order)
  std::set<std::size_t> segments_seen;
  for (vtkIdType c = 0; c < step->GetNumberOfCells(); ++c) {
    const auto site = std::find_if(rec.sites.begin(), rec.sites.end(), [&](const apical::Site& s) {
      return s.section == static_cast<int>(section->GetTuple1(c)) && std::abs(s.x - x->GetTuple1(c)) < 1e-12;
    });
    REQUIRE(site != rec.sites.end());
    const auto segment = static_cast<std::size_t>(site - rec.sites.begin());
    segments_seen.insert(segment);
    CHECK(v->GetTuple1(c) == Approx(v_values[220 * rec.segments() + segment]));
  }
  CHECK(segments_seen.size() == rec.segments());
}
