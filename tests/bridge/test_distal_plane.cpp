// Two-plane rig sessions (docs/rig-sessions.md, "Two planes"): the rig file's "distal" section is
// strict; frames alternate proximal and distal; the decoder and the task see exactly what a
// single-plane session of the same proximal frames sees, frame for frame; each record carries the distal
// frame of its ETL cycle; a cycle cut short at the source's end is recorded with NaN distal values; the
// NWB file holds both planes with the pairs and their r.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

#include "apical/bridge/nwb_session_recorder.hpp"
#include "apical/bridge/rig_session.hpp"
#include "apical/bridge/session_folder.hpp"
#include "apical/bridge/tiff_stack.hpp"
#include "apical/io/input_error.hpp"
#include "apical/io/nwb/session_reader.hpp"
#include "rig_fixture.hpp"
#include "tee_recorder.hpp"
#include "test_images.hpp"

using namespace apical::bridge;
using namespace apical::bridge::test;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

// A 64×48 field of six cells (2 P+, 2 P−, 2 P0) whose P+ cells burst together every 40 task frames, and
// each cell's distal trunk, a smaller spot elsewhere in the distal plane with the same calcium activity
// and its own noise. Written twice: the proximal frames alone, and interleaved with the distal ones
// (proximal first), which an ETL-driven microscope sends.
struct TwoPlaneFixture {
  static constexpr std::uint32_t width = 64, height = 48;
  static constexpr std::size_t reference_frames = 20, calibration_frames = 300, task_frames = 300;
  const std::vector<Blob> cells{{10, 12, 0}, {50, 10, 0}, {20, 36, 0}, {44, 30, 0}, {30, 20, 0}, {56, 40, 0}};
  const std::vector<Blob> trunks{{16, 6, 0}, {40, 16, 0}, {10, 40, 0}, {54, 24, 0}, {26, 28, 0}, {46, 40, 0}};
  const std::vector<std::string> names{"plus_a", "plus_b", "minus_a", "minus_b", "other_a", "other_b"};
  // cut_short_tiff: the interleaved frames without the last distal one, so the source ends inside a cycle.
  std::string proximal_tiff, interleaved_tiff, cut_short_tiff, proximal_rois, distal_rois;

  TwoPlaneFixture()
      : proximal_tiff(temp_path("two_plane_proximal.tif")),
        interleaved_tiff(temp_path("two_plane_interleaved.tif")),
        cut_short_tiff(temp_path("two_plane_cut_short.tif")),
        proximal_rois(temp_path("two_plane_proximal_rois.json")),
        distal_rois(temp_path("two_plane_distal_rois.json")) {
    write_frames();
    write_rois(proximal_rois, cells, "", 3.0);
    write_rois(distal_rois, trunks, "d_", 2.0);
  }

  [[nodiscard]] static std::size_t frames() { return reference_frames + calibration_frames + task_frames; }

  // A single-plane rig file on the proximal frames; two_plane() adds the distal plane on the interleaved ones.
  [[nodiscard]] nlohmann::json rig() const {
    return short_trial_rig("two_planes", proximal_tiff, proximal_rois, 3000, reference_frames, calibration_frames);
  }
  [[nodiscard]] nlohmann::json two_plane(const std::string& tiff) const {
    nlohmann::json rig = this->rig();
    rig["source"]["path"] = tiff;
    nlohmann::json pairs;
    for (const std::string& name : names) pairs["d_" + name] = name;
    rig["distal"] = {{"rois", distal_rois}, {"pairs", pairs}};
    return rig;
  }
  [[nodiscard]] nlohmann::json two_plane() const { return two_plane(interleaved_tiff); }

 private:
  void write_frames() const {
    std::mt19937 rng(11);
    std::normal_distribution<double> noise(0.0, 8.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::uniform_int_distribution<int> jitter(-1, 1);
    std::vector<double> activity(cells.size(), 0.0);
    std::vector<Frame> proximal, interleaved;
    for (std::size_t k = 0; k < frames(); ++k) {
      const bool moving = k >= reference_frames, task = k >= reference_frames + calibration_frames;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        activity[i] *= std::exp(-1.0 / 5.0);
        if (moving && uniform(rng) < 0.02) activity[i] += 1.0;
        if (task && i < 2 && (k % 40) == 0) activity[i] += 4.0;
      }
      const int dx = moving ? jitter(rng) : 0, dy = moving ? jitter(rng) : 0;
      std::vector<Blob> lit_cells = cells, lit_trunks = trunks;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        lit_cells[i].amplitude = 800.0 * (1.0 + activity[i]);
        lit_trunks[i].amplitude = 500.0 * (1.0 + 1.5 * activity[i]);  // dendrites: dimmer, larger ΔF/F
      }
      for (const auto& [blobs, into] : {std::pair{&lit_cells, &proximal}, std::pair{&lit_trunks, &interleaved}}) {
        Frame f = blob_frame(width, height, *blobs, dx, dy);
        for (std::uint16_t& p : f.pixels) p = static_cast<std::uint16_t>(std::clamp(p + noise(rng), 0.0, 65535.0));
        if (into == &interleaved) interleaved.push_back(proximal.back());
        into->push_back(std::move(f));
      }
    }
    write_tiff_stack(proximal_tiff, proximal);
    write_tiff_stack(interleaved_tiff, interleaved);
    interleaved.pop_back();
    write_tiff_stack(cut_short_tiff, interleaved);
  }

  void write_rois(const std::string& path, const std::vector<Blob>& spots, const std::string& prefix,
                  double radius) const {
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = 0; i < spots.size(); ++i) {
      nlohmann::json pixels = nlohmann::json::array();
      for (int y = 0; y < int(height); ++y)
        for (int x = 0; x < int(width); ++x)
          if (std::hypot(x - spots[i].x, y - spots[i].y) <= radius) pixels.push_back({x, y});
      list.push_back({{"name", prefix + names[i]}, {"pixels", pixels}});
    }
    std::ofstream(path) << nlohmann::json{{"format_version", 1}, {"width", width}, {"height", height}, {"rois", list}}.dump();
  }
};

const TwoPlaneFixture& fixture() {
  static const TwoPlaneFixture f;
  return f;
}

RigConfig config_of(const nlohmann::json& rig) { return read_rig_config(rig, "rig.json", ""); }

std::string config_error(const nlohmann::json& rig) {
  try {
    config_of(rig);
  } catch (const apical::InputError& e) {
    return e.what();
  }
  return "no error";
}

// Every frame record with what the tests compare: the proximal values and decision, and the distal ones.
struct TwoPlaneRecorder final : SessionRecorder {
  struct Row {
    SessionPhase phase;
    std::uint64_t seq = 0;
    std::optional<std::uint64_t> distal_seq;
    std::vector<double> dff, distal_dff;
    bool decided = false;
    double x_bar = 0, z = 0;
    apical::loop::TaskState state{};
    std::optional<Shift> distal_shift;  // with distal_seq
  };
  std::vector<Row> rows;
  std::vector<std::string> notes;
  SessionSummary summary;

  void begin(const SessionStart&) override {}
  void calibrated(const apical::loop::Calibration&, bool) override {}
  void frame(const FrameRecord& r) override {
    Row row{r.phase, r.frame->seq, std::nullopt, {r.dff.begin(), r.dff.end()}, {r.distal_dff.begin(), r.distal_dff.end()},
            r.decided, r.decision.x_bar, r.decision.z, r.task.state, std::nullopt};
    if (r.distal_frame) {
      row.distal_seq = r.distal_frame->seq;
      row.distal_shift = r.distal_shift;
    }
    rows.push_back(std::move(row));
  }
  void device_event(const DeviceEvent&, double) override {}
  void trial(const TrialSummary&) override {}
  void note(double, const std::string& line) override { notes.push_back(line); }
  void invalid_time(double, double, const std::string&) override {}
  void end(const SessionSummary& s) override { summary = s; }
};

SessionSummary run(const nlohmann::json& rig, SessionRecorder& recorder) {
  const RigConfig config = config_of(rig);
  RigSession session(config, recorder, {});
  const std::atomic<bool> stop{false};
  return session.run(stop);
}

}  // namespace

TEST_CASE("a rig file's distal plane is strict: every mistake names its JSON path", "[bridge][rig][config][distal]") {
  const TwoPlaneFixture& f = fixture();
  const RigConfig config = config_of(f.two_plane());
  REQUIRE(config.distal);
  CHECK(config.distal->rois.rois.size() == 6);
  CHECK(config.distal->partner == std::vector<std::size_t>{0, 1, 2, 3, 4, 5});
  CHECK(config.distal->reference.frames == TwoPlaneFixture::reference_frames);  // as the proximal plane's

  nlohmann::json rig = f.two_plane();
  rig["distal"]["pair"] = rig["distal"]["pairs"];
  CHECK_THAT(config_error(rig), Contains("rig.json: /distal/pair") && Contains("did you mean 'pairs'"));
  rig = f.two_plane();
  rig["distal"]["pairs"].erase("d_minus_b");
  CHECK_THAT(config_error(rig), Contains("/distal/pairs") && Contains("d_minus_b"));
  rig = f.two_plane();
  rig["distal"]["pairs"]["d_plus_c"] = "plus_a";
  CHECK_THAT(config_error(rig), Contains("/distal/pairs/d_plus_c") && Contains("did you mean 'd_plus_a'"));
  rig = f.two_plane();
  rig["distal"]["pairs"]["d_plus_a"] = "plus_c";
  CHECK_THAT(config_error(rig), Contains("/distal/pairs/d_plus_a") && Contains("no proximal ROI named 'plus_c'") &&
                                    Contains("did you mean 'plus_a'"));
  rig = f.two_plane();
  rig["distal"]["pairs"]["d_plus_b"] = "plus_a";
  CHECK_THAT(config_error(rig), Contains("/distal/pairs/d_plus_") && Contains("already the partner of distal ROI"));
  rig = f.two_plane();
  rig["distal"]["rois"] = "no_such_distal_rois.json";
  CHECK_THAT(config_error(rig), Contains("/distal/rois") && Contains("no ROI file"));
  rig = f.two_plane();
  rig["distal"]["reference"] = {{"frames", 0}};
  CHECK_THAT(config_error(rig), Contains("/distal/reference/frames"));

  const std::string small = temp_path("two_plane_small_rois.json");
  std::ofstream(small) << R"({"format_version": 1, "width": 32, "height": 48, "rois": [{"name": "d_x", "pixels": [[1, 1]]}]})";
  rig = f.two_plane();
  rig["distal"]["rois"] = small;
  rig["distal"]["pairs"] = {{"d_x", "plus_a"}};
  CHECK_THAT(config_error(rig), Contains("/distal/rois") && Contains("32x48") && Contains("64x48"));

  rig = f.two_plane();
  rig["source"] = {{"type", "tcp-raw-cloose"}, {"host", "127.0.0.1"}, {"width", 64}, {"height", 48},
                   {"byte_order", "little"}, {"planes", 2}};
  CHECK_THAT(config_error(rig), Contains("/source/planes") && Contains("leave \"planes\" at 1"));
  rig = f.two_plane();
  rig["source"] = {{"type", "tcp-framed"}, {"port", 0}, {"width", 64}, {"height", 48}, {"plane", 0}};
  CHECK_THAT(config_error(rig), Contains("/source/plane") && Contains("remove \"plane\""));
  rig["source"].erase("plane");
  CHECK(config_of(rig).document["source"]["all_planes"] == true);  // the rig keeps every plane's frames
}

TEST_CASE("the decoder and the task see only the proximal plane, each record carries its cycle's distal frame",
          "[bridge][rig][distal]") {
  const TwoPlaneFixture& f = fixture();
  TwoPlaneRecorder single, dual;
  const SessionSummary one = run(f.rig(), single);
  const SessionSummary two = run(f.two_plane(), dual);

  // Same proximal frames, so the same calibration, decisions, task and trials, frame for frame.
  CHECK(two.calibration.theta == one.calibration.theta);
  CHECK(two.calibration.mu == one.calibration.mu);
  CHECK(two.trials == one.trials);
  CHECK(two.hits == one.hits);
  CHECK(two.hits >= 3);
  CHECK(two.task_frames == TwoPlaneFixture::task_frames);  // task frames count the decoder's (proximal) frames
  CHECK(two.calibration_frames == TwoPlaneFixture::calibration_frames);
  CHECK(two.reference_frames == TwoPlaneFixture::reference_frames);
  CHECK(two.distal_frames == TwoPlaneFixture::frames());
  CHECK(two.distal_without_proximal == 0);
  CHECK(two.proximal_without_distal == 0);
  REQUIRE(dual.rows.size() == single.rows.size());
  REQUIRE(dual.rows.size() == TwoPlaneFixture::calibration_frames + TwoPlaneFixture::task_frames);
  std::size_t decided = 0;
  for (std::size_t k = 0; k < dual.rows.size(); ++k) {
    const TwoPlaneRecorder::Row &a = single.rows[k], &b = dual.rows[k];
    CHECK(b.seq == 2 * a.seq);  // proximal frames are the even ones
    REQUIRE(b.distal_seq);
    CHECK(*b.distal_seq == b.seq + 1);  // the distal frame that followed it
    CHECK(b.phase == a.phase);
    CHECK(b.dff == a.dff);
    CHECK(b.decided == a.decided);
    if (a.decided) {
      ++decided;
      CHECK(b.x_bar == a.x_bar);
      CHECK(b.z == a.z);
      CHECK(b.state == a.state);
    }
    CHECK(a.distal_dff.empty());
    REQUIRE(b.distal_dff.size() == 6);
    for (double v : b.distal_dff) CHECK(std::isfinite(v));
  }
  CHECK(decided == TwoPlaneFixture::task_frames);
}

TEST_CASE("a source that ends inside a cycle leaves that row's distal values NaN, nothing is dropped",
          "[bridge][rig][distal]") {
  const TwoPlaneFixture& f = fixture();
  TwoPlaneRecorder recorder;
  const std::string nwb_path = temp_path("two_plane_cut_short.nwb");
  std::filesystem::remove(nwb_path);
  NwbSessionRecorder nwb_recorder(nwb_path);
  TeeRecorder both(recorder, nwb_recorder);
  const SessionSummary summary = run(f.two_plane(f.cut_short_tiff), both);
  CHECK(summary.ended_by == "the source ended");
  CHECK(summary.task_frames == TwoPlaneFixture::task_frames);
  CHECK(summary.proximal_without_distal == 1);
  REQUIRE(recorder.rows.size() == TwoPlaneFixture::calibration_frames + TwoPlaneFixture::task_frames);
  const TwoPlaneRecorder::Row& last = recorder.rows.back();
  CHECK_FALSE(last.distal_seq);
  REQUIRE(last.distal_dff.size() == 6);
  for (double v : last.distal_dff) CHECK(std::isnan(v));
  const TwoPlaneRecorder::Row& before_last = recorder.rows[recorder.rows.size() - 2];
  REQUIRE(before_last.distal_shift);

  // The file: the lost distal frame's shift is none, the one before it as registered.
  const apical::nwb::SessionRecording nwb = apical::nwb::read_session(nwb_path);
  REQUIRE(nwb.frames == recorder.rows.size());
  CHECK(std::isnan(nwb.distal_shift_dx_px.back()));
  CHECK(std::isnan(nwb.distal_shift_dy_px.back()));
  CHECK(std::isnan(nwb.distal_shift_peak_ratio.back()));
  CHECK(nwb.distal_shift_dx_px[nwb.frames - 2] == before_last.distal_shift->dx);
  CHECK(nwb.distal_shift_peak_ratio[nwb.frames - 2] == before_last.distal_shift->peak_ratio);
  std::filesystem::remove(nwb_path);
}

TEST_CASE("a two-plane session's NWB file holds both planes, the pairs and their r", "[bridge][rig][distal][nwb]") {
  const TwoPlaneFixture& f = fixture();
  const std::string folder = temp_path("two_plane_folder");
  std::filesystem::remove_all(folder);
  const RigConfig config = config_of(f.two_plane());
  TwoPlaneRecorder memory;
  SessionFolder nwb_folder(folder, std::make_unique<NwbSessionRecorder>(folder + "/session.nwb"));
  TeeRecorder recorder(memory, nwb_folder);
  RigSession session(config, recorder, {});
  const std::atomic<bool> stop{false};
  const SessionSummary summary = session.run(stop);

  const apical::nwb::SessionRecording nwb = apical::nwb::read_session(folder + "/session.nwb");
  CHECK(nwb.frames == TwoPlaneFixture::calibration_frames + TwoPlaneFixture::task_frames);
  REQUIRE(nwb.info.planes.size() == 2);
  CHECK(nwb.info.planes[0].name == "distal");  // planes read back in name order
  REQUIRE(nwb.info.rois.size() == 12);
  for (std::size_t d = 0; d < 6; ++d) {
    const apical::nwb::Roi& roi = nwb.info.rois[6 + d];
    CHECK(roi.name == "d_" + f.names[d]);
    CHECK(roi.paired_roi == std::optional<std::size_t>(d));
    CHECK(roi.population == nwb.info.rois[d].population);
    // Each trunk carries its cell's activity: r well above the paper's 0.6.
    INFO(roi.name << " pair_r " << nwb.pair_r[6 + d]);
    CHECK(nwb.pair_r[6 + d] > 0.8);
  }
  // Each row's distal shift, against the distal plane's own reference, as the session had it. Both planes
  // of a cycle move together and both references are at rest, so it is also the proximal shift.
  REQUIRE(memory.rows.size() == nwb.frames);
  std::size_t moved = 0;
  for (std::size_t k = 0; k < nwb.frames; ++k) {
    INFO("row " << k);
    REQUIRE(memory.rows[k].distal_shift);
    const Shift& distal = *memory.rows[k].distal_shift;
    CHECK(nwb.distal_shift_dx_px[k] == distal.dx);
    CHECK(nwb.distal_shift_dy_px[k] == distal.dy);
    CHECK(nwb.distal_shift_peak_ratio[k] == distal.peak_ratio);
    CHECK_THAT(distal.dx, WithinAbs(nwb.shift_dx_px[k], 0.25));
    CHECK_THAT(distal.dy, WithinAbs(nwb.shift_dy_px[k], 0.25));
    moved += std::abs(distal.dx) > 0.5 || std::abs(distal.dy) > 0.5;
  }
  CHECK(moved > nwb.frames / 2);  // the ±1 px jitter moves most frames
  const std::string last_message = nwb.messages.back().text;
  CHECK_THAT(last_message, Contains("PAIRS: 6 of 6 distal ROIs"));
  nlohmann::json written;
  std::ifstream(folder + "/summary.json") >> written;
  CHECK(written["distal_plane"]["frames"] == summary.distal_frames);
#ifdef APICAL_H5PY_PYTHON
  // The file as h5py sees it: NWB structure, references (paired_roi into the proximal table), log times.
  const std::string command = std::string(APICAL_H5PY_PYTHON) + " " + APICAL_SOURCE_DIR +
                              "/tests/io/nwb_h5py_check.py " + folder + "/session.nwb " + std::to_string(nwb.frames) +
                              " > " + folder + "/h5py_check.txt 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream check(folder + "/h5py_check.txt");
  const std::string output((std::istreambuf_iterator<char>(check)), std::istreambuf_iterator<char>());
  INFO(output);
  CHECK(status == 0);
#endif
}
