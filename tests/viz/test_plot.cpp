// apical plot (viz/cohort_plots.hpp): the four pictures of a small cohort run have their size, are
// drawn, and show the role colours and the chance line where the data have them (and not where they
// do not); damaged run folders are input errors naming the file; the command line reports a missing
// display instead of aborting.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>

#include "../io/io_test_support.hpp"
#include "../unit/bci/bci_test_support.hpp"
#include "apical/io/cohort_run.hpp"
#include "apical/io/input_error.hpp"
#include "apical/io/run_cohort_reader.hpp"
#include "apical/viz/cohort_plots.hpp"
#include "png_image.hpp"

using Catch::Matchers::Contains;
using apical::test::PngImage;
using apical::test::read_png_image;
using apical::viz::Rgb;

namespace {

namespace fs = std::filesystem;

// 3 mice × 3 days of one 2.5-minute session (the chance level needs over 2 minutes), with a short
// chance estimate for the chance line.
void run_small_cohort(const std::string& folder) {
  apical::BciScenario s;
  s.name = "plot_cohort";
  s.spec = apical::bci::test::small_spec("R3", 3, 2.5);
  s.spec.loop.chance_repetitions = 20;
  s.mice = 3;
  apical::CohortRunOptions options;
  options.threads = 2;
  apical::run_cohort_folder(folder, s, nlohmann::json{{"name", s.name}}, options);
}

// Enough pixels of one colour for a drawn line or bar, far more than anti-aliased text or edges give.
constexpr std::size_t drawn = 150;

struct CliOutcome {
  int exit_code;
  std::string err;
};

CliOutcome apical_cli(const std::string& environment, const std::string& args, const apical::test::TempDir& dir) {
  const std::string command = "cd '" + dir.path().string() + "' && " + environment + " '" + APICAL_CLI_PATH + "' " +
                              args + " > stdout.txt 2> stderr.txt";
  const int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  return {WEXITSTATUS(status), apical::test::read_text(dir.file("stderr.txt"))};
}

}  // namespace

TEST_CASE("apical plot draws the four cohort pictures with the role colours and the chance line", "[viz]") {
  const apical::test::TempDir dir;
  const std::string run = dir.file("run");
  run_small_cohort(run);
  const apical::viz::CohortPlotData data = apical::viz::cohort_plot_data(apical::read_run_cohort(run));
  REQUIRE(data.learning.days.size() == 3);
  REQUIRE(std::isfinite(data.learning.chance_baseline.mean[0]));

  const std::vector<std::string> files = apical::viz::plot_cohort(data, dir.file("plots"));
  REQUIRE(files.size() == 4);
  const PngImage learning = read_png_image(files[0]), population = read_png_image(files[1]),
                 traces = read_png_image(files[2]), contrast = read_png_image(files[3]);
  const std::pair<const PngImage*, const int*> sizes[] = {{&learning, apical::viz::learning_curves_size},
                                                       {&population, apical::viz::transient_frequency_size},
                                                       {&traces, apical::viz::example_traces_size},
                                                       {&contrast, apical::viz::residual_contrast_size}};
  for (const auto& [image, size] : sizes) {
    CHECK(image->width == size[0]);
    CHECK(image->height == size[1]);
    CHECK(image->not_white() > image->rgb.size() / 3 / 100);  // axes, text and data: over 1 % of the picture
  }
  CHECK(learning.count(apical::viz::chance_colour) > drawn);
  CHECK(learning.count(apical::viz::mean_colour, 0) > drawn);
  for (Rgb role : {apical::viz::plus_colour, apical::viz::minus_colour, apical::viz::zero_colour})
    CHECK(population.count(role) > drawn);
  for (Rgb role : {apical::viz::plus_colour, apical::viz::minus_colour}) CHECK(traces.count(role) > drawn);
  const double role_means[] = {data.contrast.plus_mean, data.contrast.minus_mean, data.contrast.zero_mean};
  const Rgb role_colours[] = {apical::viz::plus_colour, apical::viz::minus_colour, apical::viz::zero_colour};
  for (int r = 0; r < 3; ++r) CHECK((contrast.count(role_colours[r]) > drawn) == std::isfinite(role_means[r]));

  // Without chance levels there is no chance line; without a population's rates, no colour of it
  // (P0's grey also comes from anti-aliased black lines, so it is compared with the full picture).
  {
    apical::viz::CohortPlotData blank = data;
    for (double& c : blank.learning.chance_baseline.mean) c = std::numeric_limits<double>::quiet_NaN();
    for (apical::analysis::Role role : {apical::analysis::Role::plus, apical::analysis::Role::zero})
      for (double& m : blank.population.mean[static_cast<std::size_t>(role)]) m = std::numeric_limits<double>::quiet_NaN();
    const std::vector<std::string> again = apical::viz::plot_cohort(blank, dir.file("blank"));
    CHECK(read_png_image(again[0]).count(apical::viz::chance_colour) < drawn);
    const PngImage minus_only = read_png_image(again[1]);
    CHECK(minus_only.count(apical::viz::plus_colour) < drawn);
    CHECK(minus_only.count(apical::viz::zero_colour) + drawn < population.count(apical::viz::zero_colour));
    CHECK(minus_only.count(apical::viz::minus_colour) > drawn);
  }

  // The command line writes the pictures into RUN_DIR/plots, or reports a missing display.
  {
    const CliOutcome plotted = apical_cli("", "plot run", dir);
    INFO(plotted.err);
    CHECK(plotted.exit_code == 0);
    for (const char* name : {"learning_curves.png", "transient_frequency.png", "example_traces.png",
                             "residual_contrast.png"})
      CHECK(fs::exists(fs::path(run) / "plots" / name));
    const CliOutcome no_display = apical_cli("env DISPLAY=:87 PATH=/nonexistent", "plot run --out elsewhere", dir);
    CHECK(no_display.exit_code == 1);
    CHECK_THAT(no_display.err, Contains("cannot draw pictures") && Contains("apt-get install xvfb"));
  }

  // A truncated mouse file is an input error naming it (last: it damages the run folder).
  {
    const fs::path mouse = fs::path(run) / "mice" / "m01.h5";
    fs::resize_file(mouse, fs::file_size(mouse) / 2);
    CHECK_THROWS_AS(apical::viz::plot_cohort_run(run, dir.file("plots")), apical::InputError);
    CHECK_THROWS_WITH(apical::viz::plot_cohort_run(run, dir.file("plots")), Contains("m01.h5"));
  }
}

TEST_CASE("apical plot: a missing or foreign folder is an input error naming it", "[viz]") {
  const apical::test::TempDir dir;
  CHECK_THROWS_AS(apical::viz::plot_cohort_run(dir.file("nothere"), dir.file("plots")), apical::InputError);
  CHECK_THROWS_WITH(apical::viz::plot_cohort_run(dir.file("nothere"), dir.file("plots")),
                    Contains("nothere") && Contains("no such folder"));
  dir.write("single_cell/traces.csv", "t_ms,soma_mV\n0,-65\n");
  CHECK_THROWS_WITH(apical::viz::plot_cohort_run(dir.file("single_cell"), dir.file("plots")),
                    Contains("single_cell") && Contains("not the run folder of a bci_cohort scenario"));

  const CliOutcome missing = apical_cli("", "plot nothere", dir);
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "apical: error: nothere: no such folder\n");
  const CliOutcome help = apical_cli("", "plot --help", dir);
  CHECK(help.exit_code == 0);
  CHECK_THAT(apical::test::read_text(dir.file("stdout.txt")),
             Contains("apical plot RUN_DIR [--out DIR]") && Contains("learning_curves.png"));
  const CliOutcome typo = apical_cli("", "plot nothere --output x", dir);
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Contains("unknown option '--output'") && Contains("--out"));
}
