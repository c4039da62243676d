// The run folder of a BCI cohort (io/cohort_run.hpp): the per-mouse HDF5 files read back equal the
// in-memory records, the tables do not depend on the thread count, damaged files are InputErrors that
// name the file, and analysis.json carries every headline name with NaN as null.
#include <hdf5.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../unit/bci/bci_test_support.hpp"
#include "apical/analysis/cohort_analysis.hpp"
#include "apical/io/analysis_json.hpp"
#include "apical/io/bci_mouse_file.hpp"
#include "apical/io/cohort_run.hpp"
#include "apical/io/input_error.hpp"
#include "apical/io/run_cohort_reader.hpp"
#include "apical/io/session_conversion.hpp"
#include "io_test_support.hpp"

using Catch::Matchers::Contains;

namespace {

namespace fs = std::filesystem;

// 2 mice, 2 days of 2 one-minute sessions, every optional record on (raw F, calibration ΔF/F).
apical::BciScenario tiny_scenario() {
  apical::BciScenario s;
  s.name = "tiny_cohort";
  s.description = "two small mice";
  s.spec = apical::bci::test::small_spec("R3", 2, 1.0);
  s.spec.schedule.sessions_per_day = 2;
  s.spec.record.raw_f = true;
  s.spec.record.calibration_dff = true;
  s.mice = 2;
  return s;
}

apical::CohortRunResult run_into(const std::string& folder, unsigned threads) {
  apical::CohortRunOptions options;
  options.threads = threads;
  return apical::run_cohort_folder(folder, tiny_scenario(), nlohmann::json{{"name", "tiny_cohort"}}, options);
}

// Equal, with NaN equal to NaN.
bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same(a[i], b[i])) return false;
  return true;
}
// Traces are stored as float32: read back, they are the kept values rounded to float.
bool same_as_float(const std::vector<double>& read, const std::vector<double>& kept) {
  if (read.size() != kept.size()) return false;
  for (std::size_t i = 0; i < kept.size(); ++i)
    if (!same(read[i], static_cast<double>(static_cast<float>(kept[i])))) return false;
  return true;
}

void check_same_session(const apical::bci::SessionRecord& read, const apical::bci::SessionRecord& kept) {
  INFO(kept.mouse_id << " day " << kept.day << " session " << kept.session);
  CHECK(read.mouse_id == kept.mouse_id);
  CHECK(read.day == kept.day);
  CHECK(read.session == kept.session);
  CHECK(read.frame_rate_hz == kept.frame_rate_hz);
  REQUIRE(read.neurons.size() == kept.neurons.size());
  for (std::size_t i = 0; i < kept.neurons.size(); ++i) {
    const auto& a = read.neurons[i];
    const auto& b = kept.neurons[i];
    CHECK(a.id == b.id);
    CHECK(a.role == b.role);
    CHECK(same_as_float(a.soma_dff, b.soma_dff));
    CHECK(same_as_float(a.dendrite_dff, b.dendrite_dff));
    CHECK(same_as_float(a.soma_f, b.soma_f));
    CHECK(same_as_float(a.dendrite_f, b.dendrite_f));
    CHECK(a.rate_hz == b.rate_hz);
    CHECK(a.event_rate_hz == b.event_rate_hz);
    CHECK(a.burst_rate_hz == b.burst_rate_hz);
  }
  CHECK(same(read.decoder_z, kept.decoder_z));
  CHECK(same(read.error, kept.error));
  CHECK(same(read.angle_deg, kept.angle_deg));
  CHECK(read.state == kept.state);
  CHECK(read.flags == kept.flags);
  CHECK(read.opto == kept.opto);
  CHECK(same(read.teaching, kept.teaching));
  CHECK(same(read.reward_prediction_error, kept.reward_prediction_error));
  REQUIRE(read.trials.size() == kept.trials.size());
  for (std::size_t t = 0; t < kept.trials.size(); ++t) {
    CHECK(read.trials[t].start_frame == kept.trials[t].start_frame);
    CHECK(read.trials[t].end_frame == kept.trials[t].end_frame);
    CHECK(read.trials[t].hit_frame == kept.trials[t].hit_frame);
    CHECK(read.trials[t].reward_frame == kept.trials[t].reward_frame);
    CHECK(read.trials[t].last_frame == kept.trials[t].last_frame);
    CHECK(read.trials[t].outcome == kept.trials[t].outcome);
  }
  CHECK(read.hits == kept.hits);
  CHECK(read.misses == kept.misses);
  CHECK(same(read.accuracy, kept.accuracy));
  CHECK(same(read.rewards_per_min, kept.rewards_per_min));
  CHECK(same(read.chance, kept.chance));
  CHECK(same(read.chance_baseline, kept.chance_baseline));
  CHECK(same(read.reward_baseline, kept.reward_baseline));
  CHECK(same(read.weights, kept.weights));
  CHECK(same(read.feedback, kept.feedback));
}

void check_same_setup(const apical::bci::MouseSetup& read, const apical::bci::MouseSetup& kept) {
  CHECK(read.mouse_id == kept.mouse_id);
  CHECK(read.seed == kept.seed);
  CHECK(read.mouse == kept.mouse);
  CHECK(read.roles == kept.roles);
  CHECK(same(read.calibration_transient_rate_per_min, kept.calibration_transient_rate_per_min));
  CHECK(read.calibration.theta == kept.calibration.theta);
  CHECK(read.calibration.mu == kept.calibration.mu);
  CHECK(read.calibration.sigma == kept.calibration.sigma);
  CHECK(read.calibration.lo == kept.calibration.lo);
  CHECK(read.calibration.pseudo_hit_fraction == kept.calibration.pseudo_hit_fraction);
  CHECK(same(read.chance_baseline, kept.chance_baseline));
  CHECK(same(read.recalibration_chance_baseline, kept.recalibration_chance_baseline));
  CHECK(same(read.calibration_soma_dff, kept.calibration_soma_dff));
  CHECK(same(read.initial_weights, kept.initial_weights));
  CHECK(read.connected == kept.connected);
  CHECK(read.inputs == kept.inputs);
  CHECK(same(read.baseline_corr_plus_minus, kept.baseline_corr_plus_minus));
  CHECK(read.stabilisers == kept.stabilisers);
}

}  // namespace

TEST_CASE("A BCI cohort run folder reads back equal to the in-memory records", "[io][bci]") {
  const apical::test::TempDir dir;
  const std::string folder = dir.file("run");
  const apical::CohortRunResult result = run_into(folder, 2);

  apical::bci::CohortOptions options;
  options.mice = 2;
  options.threads = 2;
  const std::vector<apical::bci::MouseRecord> kept = apical::bci::run_cohort(tiny_scenario().spec, options);

  const std::vector<std::string> files = apical::run_folder_mouse_files(folder);
  REQUIRE(files.size() == 2);
  for (std::size_t m = 0; m < 2; ++m) {
    const apical::MouseFileReader reader(files[m]);
    CHECK(reader.scenario() == "tiny_cohort");
    check_same_setup(reader.setup(), kept[m].setup);
    const std::vector<std::string> groups = reader.sessions();
    CHECK(groups == std::vector<std::string>{"day01_s0", "day01_s1", "day02_s0", "day02_s1"});
    REQUIRE(groups.size() == kept[m].sessions.size());
    for (std::size_t s = 0; s < groups.size(); ++s) check_same_session(reader.session(groups[s]), kept[m].sessions[s]);
  }

  // The analysis cohort is the conversion of those records.
  const apical::analysis::Cohort cohort = apical::read_run_cohort(folder);
  CHECK(cohort.name == "tiny_cohort");
  REQUIRE(cohort.sessions.size() == 8);
  const apical::analysis::Session expected = apical::to_analysis_session(kept[1].sessions[3]);
  const apical::analysis::Session& got = cohort.sessions[7];
  CHECK(got.mouse_id == expected.mouse_id);
  CHECK(got.day == expected.day);
  CHECK(got.session == expected.session);
  CHECK(same_as_float(got.neurons[4].dendrite_dff, expected.neurons[4].dendrite_dff));
  CHECK(got.state == expected.state);

  // The files the run reports, and summary.json's per-day table.
  for (const std::string& f : result.files) CHECK(fs::is_regular_file(f));
  const nlohmann::json summary = nlohmann::json::parse(apical::test::read_text(folder + "/summary.json"));
  CHECK(summary["format"] == "apical-bci-summary");
  CHECK(summary["scenario"] == "tiny_cohort");
  CHECK(summary["mice"] == 2);
  CHECK(summary["threads"] == 2);
  REQUIRE(summary["per_day"].size() == 2);
  CHECK(summary["per_day"][0]["day"] == 1);
  CHECK(summary["files"].size() == result.files.size());
  CHECK(apical::test::read_text(folder + "/scenario_resolved.json").find("tiny_cohort") != std::string::npos);

  // The per-day accuracy pools each mouse's sessions, then averages over mice.
  double sum = 0;
  for (const auto& m : kept) {
    std::size_t hits = 0, decided = 0;
    for (const auto& s : m.sessions)
      if (s.day == 1) hits += s.hits, decided += s.hits + s.misses;
    sum += static_cast<double>(hits) / static_cast<double>(decided);
  }
  CHECK_THAT(result.days[0].accuracy_mean, Catch::Matchers::WithinRel(sum / 2, 1e-12));
}

TEST_CASE("days.csv and trials.csv do not depend on the thread count", "[io][bci]") {
  const apical::test::TempDir dir;
  (void)run_into(dir.file("one"), 1);
  (void)run_into(dir.file("two"), 2);
  const std::string days = apical::test::read_text(dir.file("one/days.csv"));
  CHECK(days == apical::test::read_text(dir.file("two/days.csv")));
  CHECK(apical::test::read_text(dir.file("one/trials.csv")) == apical::test::read_text(dir.file("two/trials.csv")));
  CHECK(days.rfind("mouse,day,session,trials,hits,misses,accuracy,rewards_per_min,chance,chance_baseline,"
                   "reward_baseline,rate_plus_hz,rate_minus_hz,rate_zero_hz\nm00,1,0,",
                   0) == 0);
  CHECK(days.find("\nm01,2,1,") != std::string::npos);
}

TEST_CASE("The baseline chance round-trips, version-1 files read it as NaN", "[io][bci]") {
  // The tiny cohort skips the chance level (its sessions are shorter than two 60-s shifts), so the
  // values are set by hand on a simulated mouse: one day-1 block and two recalibrations.
  apical::bci::ExperimentSpec spec = tiny_scenario().spec;
  spec.schedule.days = 1;
  apical::bci::MouseRecord mouse = apical::bci::simulate_mouse(spec, 0);
  apical::bci::MouseSetup& setup = mouse.setup;
  setup.chance_baseline = 0.4375;
  setup.recalibrations = {setup.calibration, setup.calibration};
  setup.recalibration_chance_baseline = {0.5, 0.5625};
  apical::bci::SessionRecord& session = mouse.sessions[0];
  session.chance = 0.875;
  session.chance_baseline = setup.chance_baseline;

  const apical::test::TempDir dir;
  const std::string path = dir.file("m00.h5");
  apical::create_mouse_file(path, "baseline", setup);
  apical::append_session(path, setup, session);
  {
    const apical::MouseFileReader reader(path);
    check_same_setup(reader.setup(), setup);
    CHECK(reader.setup().recalibration_chance_baseline == std::vector<double>{0.5, 0.5625});
    check_same_session(reader.session("day01_s0"), session);
  }

  // A file written before the baseline chance existed: format_version 1, no chance_baseline attributes.
  {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0);
    const std::int64_t one = 1;
    const hid_t version = H5Aopen(file, "format_version", H5P_DEFAULT);
    CHECK(H5Awrite(version, H5T_NATIVE_INT64, &one) >= 0);
    H5Aclose(version);
    for (const char* object : {"/setup/calibration", "/setup/recalibrations/day02", "/setup/recalibrations/day03",
                               "/sessions/day01_s0"})
      CHECK(H5Adelete_by_name(file, object, "chance_baseline", H5P_DEFAULT) >= 0);
    H5Fclose(file);
  }
  const apical::MouseFileReader old(path);
  const apical::bci::MouseSetup old_setup = old.setup();
  CHECK(std::isnan(old_setup.chance_baseline));
  REQUIRE(old_setup.recalibration_chance_baseline.size() == 2);
  CHECK(std::isnan(old_setup.recalibration_chance_baseline[1]));
  const apical::bci::SessionRecord old_session = old.session("day01_s0");
  CHECK(std::isnan(old_session.chance_baseline));
  CHECK(old_session.chance == 0.875);
}

TEST_CASE("Damaged run folders are input errors that name the file", "[io][bci]") {
  // Simulated once; each section damages its own copy.
  static const apical::test::TempDir pristine;
  static const bool simulated = (run_into(pristine.file("run"), 2), true);
  REQUIRE(simulated);
  const apical::test::TempDir dir;
  const std::string folder = dir.file("run");
  fs::copy(pristine.file("run"), folder, fs::copy_options::recursive);
  const std::string m00 = folder + "/mice/m00.h5";
  const std::string m01 = folder + "/mice/m01.h5";

  SECTION("no such folder") {
    CHECK_THROWS_AS(apical::read_run_cohort(dir.file("nothing")), apical::InputError);
    CHECK_THROWS_WITH(apical::read_run_cohort(dir.file("nothing")), Contains("no such folder"));
  }
  SECTION("a folder that is not a run folder") {
    fs::create_directories(dir.file("empty"));
    CHECK_THROWS_WITH(apical::read_run_cohort(dir.file("empty")), Contains("not the run folder"));
  }
  SECTION("a truncated mouse file") {
    fs::resize_file(m01, fs::file_size(m01) / 2);
    CHECK_THROWS_AS(apical::read_run_cohort(folder), apical::InputError);
    CHECK_THROWS_WITH(apical::read_run_cohort(folder), Contains("m01.h5"));
  }
  SECTION("a file that is not HDF5") {
    std::ofstream(m00, std::ios::binary | std::ios::trunc) << "not an HDF5 file at all";
    CHECK_THROWS_WITH(apical::read_run_cohort(folder), Contains("m00.h5") && Contains("not an HDF5 file"));
  }
  SECTION("a missing dataset names its HDF5 path") {
    {
      H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
      const hid_t file = H5Fopen(m00.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
      REQUIRE(file >= 0);
      CHECK(H5Ldelete(file, "/sessions/day02_s0/decoder_z", H5P_DEFAULT) >= 0);
      H5Fclose(file);
    }
    CHECK_THROWS_WITH(apical::read_run_cohort(folder),
                      Contains("m00.h5") && Contains("/sessions/day02_s0/decoder_z") && Contains("missing"));
  }
  SECTION("a session cut off while being written is left out") {
    {
      const hid_t file = H5Fopen(m00.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
      REQUIRE(file >= 0);
      const hid_t group = H5Gcreate2(file, "/sessions/day03_s0", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      CHECK(group >= 0);
      H5Gclose(group);
      H5Fclose(file);
    }
    CHECK(apical::MouseFileReader(m00).sessions().size() == 4);
  }
}

TEST_CASE("analysis.json has every headline name in order, NaN as null", "[io][bci]") {
  const apical::test::TempDir dir;
  const std::string folder = dir.file("run");
  (void)run_into(folder, 2);
  const auto rows = apical::analysis::headline_rows(apical::analysis::analyze_cohort(apical::read_run_cohort(folder)));
  const std::string path = folder + "/analysis.json";
  apical::write_analysis_json(path, folder, "tiny_cohort", rows);

  const nlohmann::ordered_json doc = nlohmann::ordered_json::parse(apical::test::read_text(path));
  CHECK(doc["format"] == "apical-analysis");
  CHECK(doc["format_version"] == 1);
  CHECK(doc["run"] == folder);
  CHECK(doc["scenario"] == "tiny_cohort");
  CHECK(doc.contains("apical_version"));
  const auto& values = doc["values"];
  REQUIRE(values.size() == rows.size());
  std::size_t i = 0, nulls = 0;
  for (const auto& [name, value] : values.items()) {
    INFO(name);
    CHECK(name == rows[i].name);
    if (std::isfinite(rows[i].value)) {
      CHECK(value.get<double>() == rows[i].value);
    } else {
      CHECK(value.is_null());
      ++nulls;
    }
    ++i;
  }
  CHECK(values["cohort.mice"] == 2);
  CHECK(values["cohort.days"] == 2);
  // A 2-mouse cohort without LED frames has undefined rows (the opto-on block at least).
  CHECK(nulls > 0);
  CHECK(values["residual.opto_on.events"].is_number());
  CHECK(values["residual.opto_on.residual_z.mean"].is_null());
}
