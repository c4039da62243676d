// apical's side of benchmarks B1 (HH-3C throughput) and B2 (Bahl-2 speed), ../shared/docs/models.md §8,
// and the in-silico BCI cohort (default experiment; fast cells, or Bahl cells for 1 day). Prints one JSON
// line per benchmark; bench/run.sh compares B1/B2 with NEURON and Brian2 measured in the same invocation.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "apical/engine/fixed_step.hpp"
#include "apical/engine/spike_detector.hpp"
#include "apical/io/cell_file.hpp"
#include "apical/models/bci/cohort.hpp"
#include "apical/models/build_model.hpp"
#include "apical/models/register_all.hpp"

using namespace apical;

namespace {

constexpr double dt_ms = 0.025;
constexpr long steps_per_second = 40000;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Times 1 s of biological time; returns (wall seconds, spikes of cell 0 at the spike node).
std::pair<double, std::size_t> time_one_second(const Model& model, int spike_node) {
  State state = initial_state(model);
  FixedStepSolver solver(model, dt_ms);
  SpikeDetector detector(spike_node >= 0 ? 0.0 : -20.0);
  const std::size_t index = static_cast<std::size_t>(std::abs(spike_node)) * static_cast<std::size_t>(model.n_cells);
  const auto start = std::chrono::steady_clock::now();
  for (long k = 0; k < steps_per_second; ++k) {
    solver.step(state);
    detector.sample(state.t, state.v[index]);
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {wall, detector.spike_times().size()};
}

int bench_b1(const std::string& data_folder, int cells, int repeats) {
  PointPlacement clamp{"iclamp", Site{0, 1.0 / 6.0},
                       {{"delay", std::vector<double>(cells, 0.0)}, {"dur", std::vector<double>(cells, 1e9)},
                        {"amp", std::vector<double>(cells, 0.1)}},
                       {}};
  const Model model = build_model(load_cell_file(data_folder + "/hh3c/hh3c.json"), builtin_mechanisms(), cells, {clamp});
  std::vector<double> walls;
  std::size_t spikes = 0;
  for (int r = 0; r < repeats; ++r) {
    const auto [wall, count] = time_one_second(model, model.cable.segment_nodes[0][0]);
    walls.push_back(wall);
    spikes = count;
  }
  const double wall = median(walls), compartment_steps = 3.0 * cells * steps_per_second;
  std::printf("{\"simulator\":\"apical\",\"benchmark\":\"b1\",\"n_cells\":%d,\"compartments\":%d,\"steps\":%ld,"
              "\"wall_s\":%.6f,\"ns_per_compartment_step\":%.4f,\"spikes_cell0\":%zu}\n",
              cells, 3 * cells, steps_per_second, wall, wall * 1e9 / compartment_steps, spikes);
  return spikes == 95 ? 0 : 1;
}

int bench_b2(const std::string& cell_file, int repeats) {
  const Model model = build_model(load_cell_file(cell_file), builtin_mechanisms(), 1);
  std::vector<double> walls;
  for (int r = 0; r < repeats; ++r) walls.push_back(time_one_second(model, -model.cable.segment_nodes[0][0]).first);
  const double wall = median(walls);
  std::printf("{\"simulator\":\"apical\",\"benchmark\":\"b2\",\"segments\":20,\"steps\":%ld,\"wall_per_bio_s\":%.6f,"
              "\"ns_per_segment_step\":%.4f}\n",
              steps_per_second, wall, wall * 1e9 / (20.0 * steps_per_second));
  return 0;
}

// The default experiment (R3-oracle, 5 P+ / 5 P− / 40 P0, 30-min days after a 10-min calibration) for
// `mice` mice and `days` days on `threads` threads; sessions are summarised and dropped as they finish.
// `name` labels the JSON line; `spec` carries the cell model and the session lengths.
int run_cohort_bench(const char* name, bci::ExperimentSpec spec, int mice, int days, unsigned threads) {
  spec.schedule.days = days;
  std::vector<double> first_day_accuracy, last_day_accuracy, rates;
  std::mutex mutex;
  const auto sink = [&](const bci::MouseSetup&, bci::SessionRecord&& session) {
    const std::lock_guard<std::mutex> lock(mutex);
    if (session.day == 1) first_day_accuracy.push_back(session.accuracy);
    if (session.day == days) last_day_accuracy.push_back(session.accuracy);
    for (const bci::NeuronTrace& t : session.neurons) rates.push_back(t.rate_hz);
  };
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  bci::run_cohort(spec, {static_cast<std::size_t>(mice), 0, threads}, sink);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;  // all threads
  const double per_mouse_s =
      60.0 * (spec.schedule.calibration_min + days * spec.schedule.sessions_per_day * spec.schedule.session_min);
  const double simulated_s = mice * per_mouse_s;
  const auto mean = [](const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
  };
  // Per neuron and simulated second: CPU seconds of all threads (robust on a shared machine).
  const double neurons = static_cast<double>(spec.field_of_view.neurons());
  std::printf("{\"simulator\":\"apical\",\"benchmark\":\"%s\",\"cell_model\":\"%s\",\"mice\":%d,\"days\":%d,"
              "\"threads\":%u,\"neurons\":%zu,\"calibration_min\":%g,\"session_min\":%g,\"cell_dt_ms\":%g,"
              "\"wall_s\":%.3f,\"cpu_s\":%.3f,\"simulated_s\":%.0f,\"real_time_factor\":%.4g,"
              "\"cpu_s_per_neuron_per_simulated_s\":%.4g,\"mean_rate_hz\":%.2f,"
              "\"accuracy_day1\":%.3f,\"accuracy_last_day\":%.3f}\n",
              name, bci::to_string(spec.circuit.cell_model), mice, days, threads, spec.field_of_view.neurons(),
              spec.schedule.calibration_min, spec.schedule.session_min,
              spec.circuit.cell_model == bci::CellModel::bahl2012 ? spec.circuit.compartmental.dt_ms : spec.dt_ms, wall,
              cpu, simulated_s, simulated_s / wall, cpu / (simulated_s * neurons), mean(rates),
              mean(first_day_accuracy), mean(last_day_accuracy));
  return 0;
}

int bench_cohort(int mice, int days, unsigned threads) {
  return run_cohort_bench("cohort", bci::ExperimentSpec{}, mice, days, threads);
}

// The same cohort with every neuron a Bahl model-2 cell (cell_model bahl2012). A full day (10-min
// calibration + 30-min session) takes hours on 2 cores, so the block lengths are options; the cost per
// neuron and simulated second does not depend on them (docs/performance.md extrapolates from it).
int bench_cohort_bahl(const std::string& cell_file, int mice, int days, unsigned threads, double calibration_min,
                      double session_min, double cell_dt_ms) {
  bci::ExperimentSpec spec;
  spec.circuit.cell_model = bci::CellModel::bahl2012;
  spec.circuit.compartmental.description = std::make_shared<const CellDescription>(load_cell_file(cell_file));
  if (cell_dt_ms > 0) spec.circuit.compartmental.dt_ms = cell_dt_ms;
  spec.schedule.calibration_min = calibration_min;
  spec.schedule.session_min = session_min;
  // The chance level needs sessions longer than two minimum shifts (2 min); shorter test runs skip it.
  if (spec.session_frames() <= 2 * spec.loop.chance_min_shift_frames) spec.loop.chance_repetitions = 0;
  return run_cohort_bench("cohort_bahl", spec, mice, days, threads);
}

void usage() {
  std::puts("usage: apical_bench b1 [--cells N] [--repeats R]\n"
            "       apical_bench b2 [--cell FILE] [--repeats R]\n"
            "       apical_bench cohort [--mice M] [--days D] [--threads T]\n"
            "       apical_bench cohort_bahl [--mice M] [--days D] [--threads T] [--calibration-min C]\n"
            "                                [--session-min S] [--cell-dt MS] [--cell FILE]\n"
            "B1: N HH-3C cells, 1 s at dt 0.025 ms, 0.1 nA from t = 0 (95 spikes per cell).\n"
            "B2: one Bahl model-2 cell, 1 s without input. Prints one JSON line (median of R runs).\n"
            "cohort: the default in-silico BCI experiment (fast cells), M mice x D days (default 6 x 14).\n"
            "cohort_bahl: the same with Bahl model-2 cells, default 6 mice x 1 day of C = 10 + S = 30 min;\n"
            "  shorter blocks for a measurement (the cost per neuron-second does not depend on them).");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help")) {
    usage();
    return argc < 2 ? 2 : 0;
  }
  const std::string which = argv[1];
  int cells = 1000, repeats = 3, mice = 6, days = -1, threads = 2;
  double calibration_min = 10.0, session_min = 30.0, cell_dt_ms = 0.0;
  const std::string data_folder = std::string(APICAL_SOURCE_DIR) + "/models/data";
  std::string cell_file = data_folder + "/bahl2012/model2.json";
  for (int a = 2; a + 1 < argc; a += 2) {
    const std::string flag = argv[a];
    if (flag == "--cells") cells = std::atoi(argv[a + 1]);
    else if (flag == "--repeats") repeats = std::atoi(argv[a + 1]);
    else if (flag == "--cell") cell_file = argv[a + 1];
    else if (flag == "--mice") mice = std::atoi(argv[a + 1]);
    else if (flag == "--days") days = std::atoi(argv[a + 1]);
    else if (flag == "--threads") threads = std::atoi(argv[a + 1]);
    else if (flag == "--calibration-min") calibration_min = std::atof(argv[a + 1]);
    else if (flag == "--session-min") session_min = std::atof(argv[a + 1]);
    else if (flag == "--cell-dt") cell_dt_ms = std::atof(argv[a + 1]);
    else {
      usage();
      return 2;
    }
  }
  if (days < 0) days = which == "cohort_bahl" ? 1 : 14;
  if (cells < 1 || repeats < 1 || mice < 1 || days < 1 || threads < 1 || !(calibration_min > 0) || !(session_min > 0)) {
    usage();
    return 2;
  }
  try {
    if (which == "b1") return bench_b1(data_folder, cells, repeats);
    if (which == "b2") return bench_b2(cell_file, repeats);
    if (which == "cohort") return bench_cohort(mice, days, static_cast<unsigned>(threads));
    if (which == "cohort_bahl")
      return bench_cohort_bahl(cell_file, mice, days, static_cast<unsigned>(threads), calibration_min, session_min,
                               cell_dt_ms);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "apical_bench: error: %s\n", e.what());
    return 2;
  }
  usage();
  return 2;
}
