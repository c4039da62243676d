// apical render (viz/cell_render.hpp, field_of_view.hpp): the schematic layout, the per-segment
// recording ("record_segments"), pictures of a recorded cell with colour and scale bars, animations,
// shapes of reconstructions, a mouse's field of view in role colours, and clear errors for bad input.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>

#include "apical/io/cell_file.hpp"
#include "apical/io/input_error.hpp"
#include "apical/io/morphology_file.hpp"
#include "apical/viz/cell_render.hpp"
#include "apical/viz/colour_map.hpp"
#include "apical/viz/field_of_view.hpp"
#include "png_image.hpp"
#include "render_test_support.hpp"

using Catch::Matchers::Contains;
using apical::test::read_png_image;

namespace {

namespace fs = std::filesystem;

// Enough pixels of one colour for a drawn bar or tube, far more than anti-aliased text gives.
constexpr std::size_t drawn = 40;

int cli(const std::string& environment, const std::string& args, const apical::test::TempDir& dir) {
  const std::string command = "cd '" + dir.path().string() + "' && " + environment + " '" + APICAL_CLI_PATH + "' " +
                              args + " > stdout.txt 2> stderr.txt";
  const int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("the schematic layout draws the Bahl cell with its segments, soma up the middle", "[viz]") {
  const apical::CellDescription cell = apical::load_cell_file(apical::test::bahl_cell);
  const apical::viz::CellShape shape = apical::viz::schematic_shape(cell.morphology);
  REQUIRE(shape.frusta.size() == apical::segment_sites(cell.morphology).size());
  const auto b = apical::viz::bounds(shape);
  // apical (500 µm) and tuft (499 µm) continue the soma upward; hillock, iseg and axon point down.
  CHECK(b[3] == Approx(23.145256458812245 / 2 + 500 + 499 + 6.0180653344294415 / 2).epsilon(1e-9));  // + tuft radius
  CHECK(b[2] == Approx(-23.145256458812245 / 2 - 20 - 25 - 500).margin(1.0));
  // The hillock tapers from 3.5 to 2 µm over its five segments.
  const int hillock = cell.section_index("hillock");
  int first = 0;
  for (int s = 0; s < hillock; ++s) first += cell.morphology.sections[static_cast<std::size_t>(s)].nseg;
  CHECK(shape.frusta[static_cast<std::size_t>(first)].radius_a_um == Approx(1.75));
  CHECK(shape.frusta[static_cast<std::size_t>(first + 4)].radius_b_um == Approx(1.0));
}

TEST_CASE("record_segments is validated strictly and recorded at every segment", "[viz]") {
  const apical::test::TempDir dir;
  for (const auto& [value, message] : {std::pair{R"(["v", "v"])", "listed twice"}, std::pair{R"(["volt"])", "volt"},
                                       std::pair{R"([])", "record_segments"}}) {
    const std::string file = dir.write("bad.json", apical::test::tiny_scenario_json(value));
    CHECK_THROWS_WITH(apical::load_scenario(file), Contains(message));
  }
  apical::test::run_tiny_cell(dir, "run");
  const apical::viz::CellRun run = apical::viz::load_cell_run(dir.file("run"));
  const apical::SegmentRecording& rec = run.recording;
  REQUIRE(rec.segments() == 20);
  REQUIRE(rec.conditions == std::vector<std::string>{"default"});
  REQUIRE(rec.variables == std::vector<std::string>{"cai", "v"});  // HDF5 name order
  REQUIRE(rec.time_ms.size() == 61);
  // The soma segment is the first; its value equals the ordinary soma recording (float32 storage).
  const apical::viz::QuantitySeries v = apical::viz::quantity_series(run, "", apical::viz::Quantity::v);
  CHECK(v.values[0] == Approx(-65.0).margin(1e-4));
  CHECK(v.scale.high > 0.0);  // the step fires the cell
  const apical::viz::QuantitySeries dff = apical::viz::quantity_series(run, "", apical::viz::Quantity::dff);
  CHECK(dff.values[0] == Approx(0.0).margin(1e-12));
  CHECK(dff.scale.high > 0.0);
}

TEST_CASE("a recorded cell is drawn with the colour bar's extremes, a scale bar and no missing values", "[viz]") {
  const apical::test::TempDir dir;
  apical::test::run_tiny_cell(dir, "run");
  const apical::viz::CellRun run = apical::viz::load_cell_run(dir.file("run"));
  apical::viz::CellRenderOptions options;
  options.size = {600, 500};
  apical::viz::render_cell_run(run, options, 8.0, dir.file("v.png"));
  const apical::test::PngImage image = read_png_image(dir.file("v.png"));
  CHECK(image.width == 600);
  CHECK(image.height == 500);
  CHECK(image.not_white() > 3000);
  CHECK(image.count(apical::viz::colour_map(0.0), 2) > drawn);
  CHECK(image.count(apical::viz::colour_map(1.0), 2) > drawn);
  // At rest (t = 2 ms) the cell has other colours than during the spike.
  apical::viz::render_cell_run(run, options, 2.0, dir.file("rest.png"));
  CHECK(read_png_image(dir.file("rest.png")).rgb != image.rgb);
  CHECK(image.count({0, 0, 0}, 0) > 5 * 100);  // the scale bar: 5 px thick, over 100 px long

  // An animation: one PNG per frame, and the movie whenever ffmpeg is installed.
  const apical::viz::Animation a = apical::viz::animate_cell_run(run, options, 4.0, 12.0, 3, 5.0, dir.file("anim"));
  REQUIRE(a.frames.size() == 3);
  for (const std::string& f : a.frames) CHECK(read_png_image(f).width == 600);
  const bool ffmpeg = std::system("command -v ffmpeg > /dev/null 2>&1") == 0;
  CHECK(a.movie.has_value() == ffmpeg);
  if (a.movie) CHECK(fs::file_size(*a.movie) > 0);
}

TEST_CASE("bad render input names the problem", "[viz]") {
  const apical::test::TempDir dir;
  CHECK_THROWS_WITH(apical::viz::load_cell_run(dir.file("missing")), Contains("no such run folder"));
  CHECK_THROWS_WITH(apical::viz::parse_quantity("volt"), Contains("unknown quantity 'volt'"));
  apical::test::run_tiny_cell(dir, "plain", "");
  CHECK_THROWS_WITH(apical::viz::load_cell_run(dir.file("plain")), Contains("record_segments"));
  apical::test::run_tiny_cell(dir, "v_only", R"(["v"])");
  const apical::viz::CellRun run = apical::viz::load_cell_run(dir.file("v_only"));
  CHECK_THROWS_WITH(apical::viz::quantity_series(run, "", apical::viz::Quantity::cai), Contains("\"cai\""));
  CHECK_THROWS_WITH(apical::viz::quantity_series(run, "BAC", apical::viz::Quantity::v), Contains("no condition 'BAC'"));
  CHECK_THROWS_WITH(apical::viz::sample_at(run, 31.0), Contains("outside the recording (0 to 30 ms)"));
  const std::string broken = dir.write("broken.swc", "1 1 0 0 0 5 -1\n2 3 0 10 0 1 7\n");
  CHECK_THROWS_WITH(apical::viz::render_shape(broken, {}, dir.file("x.png")), Contains("line 2"));
  CHECK_FALSE(fs::exists(dir.file("x.png")));
}

TEST_CASE("a reconstruction is drawn in neurite colours with the apical dendrite up", "[viz]") {
  const apical::test::TempDir dir;
  const std::string asc = std::string(APICAL_SOURCE_DIR) + "/tests/data/morphologies/cell1.asc";
  const apical::viz::CellShape shape = apical::viz::reconstruction_shape(apical::read_reconstruction_file(asc));
  double apical_y = 0;
  for (const apical::viz::Frustum& f : shape.frusta)
    if (f.type == apical::NeuriteType::apical_dendrite) apical_y = std::max(apical_y, f.b[1] - shape.somata.at(0).centre[1]);
  CHECK(apical_y > 500.0);
  apical::viz::render_shape(asc, {500, 500}, dir.file("cell1.png"));
  const apical::test::PngImage image = read_png_image(dir.file("cell1.png"));
  CHECK(image.count(apical::viz::apical_colour, 10) > drawn);
  CHECK(image.count(apical::viz::basal_colour, 10) > drawn);
}

TEST_CASE("a mouse's field of view shows its neurons in role colours at a seeded schematic layout", "[viz]") {
  const auto layout = apical::viz::schematic_layout(7, 1, 50);
  CHECK(layout == apical::viz::schematic_layout(7, 1, 50));
  CHECK(layout != apical::viz::schematic_layout(7, 2, 50));
  for (std::size_t i = 0; i < layout.size(); ++i) {
    for (double c : layout[i]) CHECK((c >= apical::viz::soma_radius_um && c <= apical::viz::field_of_view_um - apical::viz::soma_radius_um));
    for (std::size_t j = 0; j < i; ++j)
      CHECK(std::hypot(layout[i][0] - layout[j][0], layout[i][1] - layout[j][1]) >= apical::viz::min_spacing_um);
  }

  const apical::test::TempDir dir;
  apical::test::run_tiny_cohort(dir.file("cohort"), 1, 1);
  const apical::viz::FieldOfView fov = apical::viz::read_field_of_view(dir.file("cohort"), "");
  REQUIRE(fov.roles.size() == 16);
  apical::viz::render_field_of_view(fov, {500, 500}, dir.file("fov.png"));
  const apical::test::PngImage image = read_png_image(dir.file("fov.png"));
  for (apical::viz::Rgb role : {apical::viz::plus_colour, apical::viz::minus_colour, apical::viz::zero_colour})
    CHECK(image.count(role, 0) > drawn);
  CHECK_THROWS_WITH(apical::viz::read_field_of_view(dir.file("cohort"), "m07"), Contains("no mouse 'm07'"));
}

TEST_CASE("apical render draws from the command line and reports a missing display", "[viz]") {
  const apical::test::TempDir dir;
  const std::string asc = std::string(APICAL_SOURCE_DIR) + "/tests/data/morphologies/cell1.asc";
  CHECK(cli("", "render '" + asc + "' --out cell.png --size 300x300", dir) == 0);
  CHECK(read_png_image(dir.file("cell.png")).width == 300);
  CHECK(cli("env DISPLAY=:87 PATH=/nonexistent", "render '" + asc + "' --out none.png", dir) == 1);
  CHECK_THAT(apical::test::read_text(dir.file("stderr.txt")), Contains("cannot draw pictures"));
  CHECK(cli("", "render '" + asc + "' --time 5", dir) == 2);
  CHECK_THAT(apical::test::read_text(dir.file("stderr.txt")), Contains("--time applies to single-cell run folders"));
  CHECK(cli("", "render nowhere", dir) == 2);
  CHECK_THAT(apical::test::read_text(dir.file("stderr.txt")), Contains("nowhere: no such file or folder"));
}
