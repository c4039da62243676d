// apical plot RUN_DIR [--out DIR]: the pictures of a bci_cohort run folder (docs/plots.md).
#include <filesystem>
#include <iostream>

#include "apical/io/suggest.hpp"
#include "apical/viz/cohort_plots.hpp"
#include "apical/viz/display.hpp"
#include "commands.hpp"

namespace apical::cli {
namespace {

constexpr const char* plot_usage = R"(usage: apical plot RUN_DIR [--out DIR]

Draws the pictures of a bci_cohort run folder (written by 'apical run') as PNG files, after
Francioni et al. 2026, Fig. 1g,i (docs/plots.md). The numbers come from the cohort analyses on
RUN_DIR/mice/*.h5, the same as analysis.json:

  learning_curves.png       accuracy and rewards/min per day, mean +/- s.e.m. across mice, and the
                            baseline chance line
  transient_frequency.png   somatic transient frequency of P+, P-, P0 normalised to day 1,
                            mean +/- s.e.m. across mice
  example_traces.png        soma dF/F of three P+ and three P- neurons and the decoder output in the
                            first 2 minutes of the first mouse's last session; trial starts and hits
  residual_contrast.png     SD-residual contrast (error reduction - increase) by role: per mouse
                            and mean +/- s.e.m.

Needs an X display for VTK: uses $DISPLAY, or starts a private Xvfb when it is installed.

options:
  --out DIR   write the pictures there (created if missing; default RUN_DIR/plots)
  --help      show this help
)";

}  // namespace

int plot_command(const std::vector<std::string>& args) {
  std::string folder;
  std::string out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << plot_usage;
      return 0;
    }
    if (a == "--out") {
      if (i + 1 == args.size() || args[i + 1].empty()) throw UsageError("--out needs a folder");
      out = args[++i];
    } else if (a.rfind("--out=", 0) == 0) {
      out = a.substr(6);
      if (out.empty()) throw UsageError("--out needs a folder");
    } else if (a.size() > 1 && a[0] == '-') {
      throw UsageError("unknown option '" + a + "' for 'plot'" + suggestion_suffix(a, {"--out", "--help"}));
    } else if (folder.empty()) {
      folder = a;
    } else {
      throw UsageError("'plot' takes one run folder; got '" + folder + "' and '" + a + "'");
    }
  }
  if (folder.empty()) throw UsageError("'plot' needs a run folder");
  if (out.empty()) out = (std::filesystem::path(folder) / "plots").string();

  try {
    const std::vector<std::string> files = viz::plot_cohort_run(folder, out);
    std::cout << "wrote " << files.size() << " pictures to " << out << ":\n";
    for (const std::string& f : files) std::cout << "  " << std::filesystem::path(f).filename().string() << '\n';
  } catch (const viz::NoDisplayError& e) {
    std::cerr << e.what() << '\n';  // already says "apical: cannot draw pictures: ..." and what to install
    return 1;
  }
  return 0;
}

}  // namespace apical::cli
