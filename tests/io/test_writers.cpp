// Result writers: write known results, read them back (CSV as text, HDF5 with the C API, JSON).
#include <hdf5.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "apical/io/results.hpp"
#include "io_test_support.hpp"

using nlohmann::json;

namespace {

struct Written {
  apical::test::TempDir dir;
  std::string scenario_path;
  apical::Scenario scenario;
  apical::ProtocolResult result;

  Written() {
    dir.write("tiny.json", apical::test::tiny_cell_json);
    scenario_path = dir.write("writers.json", R"~({
      "format": "apical-scenario", "format_version": 1, "kind": "single_cell", "cell": "tiny.json",
      "simulation": {"duration": "20 ms", "dt": "0.1 ms"},
      "conditions": [
        {"label": "a", "stimuli": [{"type": "current_step", "site": "soma", "amplitude": "1 nA", "start": "5 ms", "duration": "1 ms"}]},
        {"label": "b"}],
      "recordings": [{"site": "soma(0.5)"}, {"site": "dend(0.9)", "variable": "cai"}]
    })~");
    scenario = apical::load_scenario(scenario_path);
    // Values chosen to need full precision in text.
    result.time_ms = {0.0, 0.1, 0.2};
    result.traces = {{{-65.0, -64.1234567890123, 30.5}, {-65.0, -66.0, -67.0}},
                     {{1e-4, 1.000000000000001e-4, 2e-4}, {1e-4, 1e-4, 1e-4}}};
    result.spike_times_ms = {{1.0, 5.5, 7.25}, {}};
    result.wall_seconds = 0.5;
  }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<double> read_dataset(hid_t file, const std::string& name) {
  const hid_t dataset = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  REQUIRE(dataset >= 0);
  const hid_t space = H5Dget_space(dataset);
  std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  if (!values.empty()) CHECK(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  H5Sclose(space);
  H5Dclose(dataset);
  return values;
}

std::string read_text_attribute(hid_t file, const std::string& object, const std::string& name) {
  const hid_t attribute = H5Aopen_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT);
  REQUIRE(attribute >= 0);
  const hid_t type = H5Aget_type(attribute);
  std::string value(H5Tget_size(type), '\0');
  CHECK(H5Aread(attribute, type, value.data()) >= 0);
  H5Tclose(type);
  H5Aclose(attribute);
  return value.substr(0, value.find('\0'));
}

}  // namespace

TEST_CASE("traces.csv holds time and one column per condition and recording", "[writers]") {
  const Written w;
  const std::string path = w.dir.file("traces.csv");
  apical::write_traces_csv(path, w.scenario, w.result);
  const auto lines = lines_of(apical::test::read_text(path));
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "t_ms,a/v_soma(0.5)_mV,a/cai_dend(0.9)_mM,b/v_soma(0.5)_mV,b/cai_dend(0.9)_mM");
  CHECK(lines[1] == "0,-65,0.0001,-65,0.0001");
  // Text round-trips every double exactly.
  std::vector<double> row;
  std::istringstream cells(lines[2]);
  for (std::string cell; std::getline(cells, cell, ',');) row.push_back(std::stod(cell));
  CHECK(row == std::vector<double>{0.1, -64.1234567890123, 1.000000000000001e-4, -66.0, 1e-4});
}

TEST_CASE("spikes.csv lists condition and time per spike", "[writers]") {
  const Written w;
  const std::string path = w.dir.file("spikes.csv");
  apical::write_spikes_csv(path, w.scenario, w.result);
  CHECK(apical::test::read_text(path) == "condition,time_ms\na,1\na,5.5\na,7.25\n");
}

TEST_CASE("traces.h5 reads back with the HDF5 C API", "[writers]") {
  const Written w;
  const std::string path = w.dir.file("traces.h5");
  apical::write_traces_h5(path, w.scenario, w.result);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  CHECK(read_dataset(file, "/time_ms") == w.result.time_ms);
  CHECK(read_dataset(file, "/traces/a/v_soma(0.5)") == w.result.traces[0][0]);
  CHECK(read_dataset(file, "/traces/b/cai_dend(0.9)") == w.result.traces[1][1]);
  CHECK(read_dataset(file, "/spikes/a") == w.result.spike_times_ms[0]);
  CHECK(read_dataset(file, "/spikes/b").empty());
  CHECK(read_text_attribute(file, "/time_ms", "units") == "ms");
  CHECK(read_text_attribute(file, "/traces/a/v_soma(0.5)", "units") == "mV");
  CHECK(read_text_attribute(file, "/traces/b/cai_dend(0.9)", "units") == "mM");
  CHECK(read_text_attribute(file, "/traces/b/cai_dend(0.9)", "site") == "dend(0.9)");
  CHECK(read_text_attribute(file, "/spikes/a", "units") == "ms");
  CHECK(read_text_attribute(file, "/", "format") == "apical-traces");
  CHECK(read_text_attribute(file, "/", "scenario") == "writers");
  H5Fclose(file);
}

TEST_CASE("summary: counts, rate, latency from the first stimulus, ranges", "[writers]") {
  const Written w;
  const auto summary = apical::summarise(w.scenario, w.result);
  REQUIRE(summary.size() == 2);
  CHECK(summary[0].spike_count == 3);
  CHECK(summary[0].mean_rate_hz == 150.0);                 // 3 spikes in 20 ms
  CHECK(summary[0].first_spike_latency_ms == 0.5);         // the spike at 1 ms precedes the 5-ms step
  CHECK(summary[0].ranges[0].min == -65.0);
  CHECK(summary[0].ranges[0].max == 30.5);
  CHECK_FALSE(summary[1].first_stimulus_ms.has_value());
  CHECK_FALSE(summary[1].first_spike_latency_ms.has_value());

  const std::string path = w.dir.file("summary.json");
  apical::write_summary_json(path, w.scenario, w.result, summary);
  const json doc = json::parse(apical::test::read_text(path));
  CHECK(doc["format"] == "apical-summary");
  CHECK(doc["scenario"] == "writers");
  CHECK(doc["wall_seconds"] == 0.5);
  CHECK(doc["apical_version"].get<std::string>().size() > 0);
  CHECK(doc["conditions"][0]["label"] == "a");
  CHECK(doc["conditions"][0]["spike_count"] == 3);
  CHECK(doc["conditions"][0]["first_spike_latency_ms"] == 0.5);
  CHECK(doc["conditions"][0]["recordings"]["v_soma(0.5)"]["max"] == 30.5);
  CHECK(doc["conditions"][1]["recordings"]["cai_dend(0.9)"]["unit"] == "mM");
  CHECK(doc["conditions"][1]["first_spike_latency_ms"].is_null());
}

TEST_CASE("write_run_folder writes every file and copies the inputs", "[writers]") {
  const Written w;
  const std::string folder = w.dir.file("out/run1");
  const auto files = apical::write_run_folder(folder, w.scenario, w.result);
  CHECK(files.size() == 6);
  for (const char* name : {"traces.csv", "traces.h5", "spikes.csv", "summary.json", "scenario.json", "cell.json"})
    CHECK(std::filesystem::exists(std::filesystem::path(folder) / name));
  CHECK(apical::test::read_text(folder + "/scenario.json") == apical::test::read_text(w.scenario_path));
  CHECK(apical::test::read_text(folder + "/cell.json") == apical::test::tiny_cell_json);
  CHECK_THROWS_AS(apical::write_traces_csv(w.dir.file("no/such/folder/t.csv"), w.scenario, w.result), std::runtime_error);
}
