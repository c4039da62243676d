// apical: command-line front end. Parses the command, dispatches, and turns every exception into
// "apical: error: ..." with exit code 2 (bad input) or 1 (anything else), so it never crashes.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "apical/io/input_error.hpp"
#include "apical/io/suggest.hpp"
#include "apical/io/version.hpp"
#include "commands.hpp"

namespace {

constexpr const char* usage = R"(apical - simulation engine for L5 pyramidal cells and the in-silico BCI experiment

usage:
  apical run SCENARIO.json [--out DIR] [--threads N] [--no-analysis]
                                 run a scenario (single_cell, or a bci_cohort of virtual
                                 mice) and write its results folder
  apical analyze RUN_DIR [--json PATH]
                                 analyse a bci_cohort run folder, write analysis.json and
                                 print the headline numbers
  apical sweep SWEEP.json [--out DIR] [--threads N | --mpi | --emit-slurm DIR | --merge]
                                 run a parameter sweep of bci_cohort scenarios (locally,
                                 across MPI ranks, or as a Slurm job array) into sweep.csv
  apical plot RUN_DIR [--out DIR]
                                 draw the pictures of a bci_cohort run folder (learning
                                 curves, transient frequency by role, example traces,
                                 residual contrast by role) as PNG files
  apical render INPUT [--out PATH] [--quantity v|cai|dff] [--time MS | --animate FROM:TO]
                                 draw a cell as PNG (a single-cell run folder coloured by
                                 V, [Ca]i or dF/F with colour and scale bars, a morphology
                                 or cell file's shape), an animation (PNGs + MP4), or a
                                 bci_cohort mouse's field of view in role colours
  apical export RUN_DIR [--out DIR]
                                 write a single-cell or bci_cohort run folder as ParaView
                                 files (.vtp per time step, .pvd collection)
  apical stream FILE.tif [--protocol apf|cloose] [--rate HZ] [--host H] [--port P]
                                 publish a 16-bit TIFF's pages as frames over TCP (APF/1
                                 or CLOOSE raw), to test a rig's frame input
  apical rig RIG.json [--out DIR]
                                 run a closed-loop session on a two-photon rig (frames in,
                                 decoder and task, rewards and stimulus out, NWB recording)
  apical display RIG.json [--angle DEG | --black | --sweep] [--seconds S] [--window WxH]
                                 show the rig file's grating display (photodiode patch,
                                 flip times) to check the screen before a session
  apical mechanisms [NAME]       list mechanisms with their parameters
  apical morphology FILE         import an SWC or Neurolucida reconstruction and summarise
                                 its sections, d-lambda segments, lengths and areas
  apical --help                  show this help
  apical --version               show the version

Run 'apical COMMAND --help' (run, analyze, sweep, plot, render, export, stream, rig, display) for their options.
Exit codes: 0 success, 1 internal or output error, 2 bad input or command line.
)";

int dispatch(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << usage;
    return 2;
  }
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << usage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "apical " << apical::apical_version() << '\n';
    return 0;
  }
  if (command == "run") return apical::cli::run_command(rest);
  if (command == "analyze") return apical::cli::analyze_command(rest);
  if (command == "mechanisms") return apical::cli::mechanisms_command(rest);
  if (command == "sweep") return apical::cli::sweep_command(rest);
  if (command == "plot") return apical::cli::plot_command(rest);
  if (command == "render") return apical::cli::render_command(rest);
  if (command == "export") return apical::cli::export_command(rest);
  if (command == "stream") return apical::cli::stream_command(rest);
  if (command == "rig") return apical::cli::rig_command(rest);
  if (command == "display") return apical::cli::display_command(rest);
  if (command == "morphology") return apical::cli::morphology_command(rest);
  throw apical::cli::UsageError(
      "unknown command '" + command + "'" +
      apical::suggestion_suffix(command, {"run", "analyze", "sweep", "plot", "render", "export", "stream", "rig", "display", "mechanisms", "morphology", "--help", "--version"}));
}

void report(const std::string& message) { std::cerr << "apical: error: " << message << '\n'; }

}  // namespace

int main(int argc, char** argv) {
  try {
    return dispatch(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const apical::cli::UsageError& e) {
    report(std::string(e.what()) + "\n(see 'apical --help')");
    return 2;
  } catch (const apical::InputError& e) {
    report(e.what());
    return 2;
  } catch (const std::invalid_argument& e) {
    // The models reject inconsistent input this way (e.g. a value the loader could not foresee).
    report(e.what());
    return 2;
  } catch (const std::exception& e) {
    report(e.what());
    return 1;
  } catch (...) {
    report("unexpected internal failure");
    return 1;
  }
}
