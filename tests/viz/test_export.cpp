// apical export (viz/paraview_export.hpp): the .vtp steps and .pvd collections of a single-cell run and
// of a bci_cohort run, read back with VTK's XML reader, hold the recorded values.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkXMLPolyDataReader.h>

#include "apical/io/bci_mouse_file.hpp"
#include "apical/viz/field_of_view.hpp"
#include "apical/viz/paraview_export.hpp"
#include "render_test_support.hpp"

using Catch::Matchers::Contains;

namespace {

namespace fs = std::filesystem;

vtkSmartPointer<vtkPolyData> read_vtp(const fs::path& path) {
  REQUIRE(fs::exists(path));
  vtkNew<vtkXMLPolyDataReader> reader;
  reader->SetFileName(path.string().c_str());
  reader->Update();
  REQUIRE(reader->GetErrorCode() == 0);
  return reader->GetOutput();
}

std::size_t count_of(const std::string& text, const std::string& word) {
  std::size_t n = 0;
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a single-cell run exports one .vtp per step with the recorded values and a .pvd", "[viz]") {
  const apical::test::TempDir dir;
  apical::test::run_tiny_cell(dir, "run");
  const apical::viz::CellRun run = apical::viz::load_cell_run(dir.file("run"));
  const std::vector<std::string> pvd = apical::viz::export_cell_run(run, dir.file("pv"), 20);
  REQUIRE(pvd == std::vector<std::string>{dir.file("pv/default.pvd")});
  const std::string collection = apical::test::read_text(pvd[0]);
  CHECK(count_of(collection, "<DataSet ") == 4);  // samples 0, 20, 40 and 60
  CHECK_THAT(collection, Contains("timestep=\"10\" group=\"\" part=\"0\" file=\"default/step_00020.vtp\""));

  const auto step = read_vtp(dir.file("pv/default/step_00020.vtp"));
  const std::size_t segments = run.recording.segments();
  REQUIRE(step->GetNumberOfCells() == static_cast<vtkIdType>(segments));
  REQUIRE(step->GetNumberOfPoints() == static_cast<vtkIdType>(2 * segments));
  vtkDataArray* v = step->GetCellData()->GetArray("v_mV");
  vtkDataArray* cai = step->GetCellData()->GetArray("cai_mM");
  vtkDataArray* section = step->GetCellData()->GetArray("section");
  REQUIRE((v != nullptr && cai != nullptr && section != nullptr && step->GetCellData()->GetArray("dff") != nullptr));
  REQUIRE(step->GetPointData()->GetArray("radius_um") != nullptr);
  const auto& values = run.recording.values[0];  // [variable]: "cai", "v" (HDF5 name order)
  for (std::size_t s = 0; s < segments; ++s) {
    const auto id = static_cast<vtkIdType>(s);
    CHECK(cai->GetTuple1(id) == Approx(values[0][20 * segments + s]));
    CHECK(v->GetTuple1(id) == Approx(values[1][20 * segments + s]));
    CHECK(section->GetTuple1(id) == run.recording.sites[s].section);
  }
  CHECK(step->GetPointData()->GetArray("radius_um")->GetTuple1(0) == Approx(23.145256458812245 / 2));
  CHECK_THROWS_AS(apical::viz::export_cell_run(run, dir.file("pv"), 0), std::invalid_argument);
}

TEST_CASE("a bci_cohort run exports each mouse's field of view per session with roles, rates and weights", "[viz]") {
  const apical::test::TempDir dir;
  apical::test::run_tiny_cohort(dir.file("cohort"), 2, 2);
  const std::vector<std::string> pvd = apical::viz::export_cohort_run(dir.file("cohort"), dir.file("pv"));
  REQUIRE(pvd.size() == 2);
  CHECK(count_of(apical::test::read_text(pvd[1]), "<DataSet ") == 2);

  const apical::MouseFileReader mouse(dir.file("cohort/mice/m01.h5"));
  const apical::bci::MouseSetup setup = mouse.setup();
  const apical::bci::SessionRecord day2 = mouse.session(apical::session_group_name(2, 0));
  const auto step = read_vtp(dir.file("pv/m01/day02_s0.vtp"));
  REQUIRE(step->GetNumberOfPoints() == static_cast<vtkIdType>(setup.roles.size()));
  const auto layout = apical::viz::schematic_layout(setup.seed, setup.mouse, setup.roles.size());
  vtkPointData* data = step->GetPointData();
  for (const char* name : {"role", "role_colour", "rate_hz", "event_rate_hz", "burst_rate_hz", "mean_soma_dff",
                           "mean_weight_pA_per_Hz"})
    REQUIRE(data->GetArray(name) != nullptr);
  for (std::size_t i = 0; i < setup.roles.size(); ++i) {
    const auto id = static_cast<vtkIdType>(i);
    CHECK(data->GetArray("role")->GetTuple1(id) == static_cast<double>(setup.roles[i]));
    CHECK(data->GetArray("rate_hz")->GetTuple1(id) == Approx(day2.neurons[i].rate_hz));
    CHECK(data->GetArray("role_colour")->GetComponent(id, 0) == apical::viz::role_colour(setup.roles[i]).r);
    CHECK(step->GetPoint(id)[0] == Approx(layout[i][0]));
  }
  CHECK_THROWS_WITH(apical::viz::export_cohort_run(dir.file("nothing"), dir.file("pv2")), Contains("nothing"));
}
