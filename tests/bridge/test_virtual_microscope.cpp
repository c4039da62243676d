// The virtual microscope (issue 4): rendering is reproducible from the seed, each ROI's brightness
// follows its neuron's simulated F, the registration recovers the true brain motion, `apical stream
// --virtual` arrives over APF/1 exactly as rendered here, bad source settings are InputErrors at their
// JSON path, a rig session runs in silico with hits, and the shipped in-silico rig example matches what
// `--write-rois` generates.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "apical/bridge/nwb_session_recorder.hpp"
#include "apical/bridge/phase_correlation.hpp"
#include "apical/bridge/rig_config.hpp"
#include "apical/bridge/rig_session.hpp"
#include "apical/bridge/virtual_microscope.hpp"
#include "apical/io/nwb/session_reader.hpp"
#include "memory_recorder.hpp"
#include "test_images.hpp"
#include "tiny_scenario.hpp"

using namespace apical;
using namespace apical::bridge;
using namespace apical::bridge::test;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using std::chrono::milliseconds;

namespace {

// R0: the field's activity without learning.
std::string tiny_scenario_path() { return write_tiny_scenario("tiny_microscope", "R0", 2); }

// 20 s of mouse 0's day-1 session, simulated once for all tests.
const SimulatedActivity& tiny_activity() {
  static const SimulatedActivity activity = simulate_activity(load_bci_scenario(tiny_scenario_path()), 0, 300);
  return activity;
}

VirtualMicroscopeParams small_field(double motion_px) {
  VirtualMicroscopeParams p;
  p.width = 128;
  p.height = 96;
  p.seed = 7;
  p.motion_px = motion_px;
  return p;
}

double roi_mean(const Frame& frame, const Roi& roi) {
  double sum = 0;
  for (const RoiPixel& p : roi.pixels) sum += frame.at(p.x, p.y);
  return sum / static_cast<double>(roi.pixels.size());
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  double ma = 0, mb = 0;
  for (std::size_t k = 0; k < a.size(); ++k) ma += a[k] / double(a.size()), mb += b[k] / double(b.size());
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    ab += (a[k] - ma) * (b[k] - mb);
    aa += (a[k] - ma) * (a[k] - ma);
    bb += (b[k] - mb) * (b[k] - mb);
  }
  return ab / std::sqrt(aa * bb);
}

std::string run_apical(const std::string& arguments, const std::string& stdout_file = "/dev/null") {
  const int status = std::system((std::string(APICAL_CLI_PATH) + " " + arguments + " > " + stdout_file + " 2>&1").c_str());
  return status == 0 ? "" : "exit status " + std::to_string(WEXITSTATUS(status));
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Pearson r of each ROI's mean pixel value on motionless frames with its neuron's F.
std::vector<double> roi_correlations(const VirtualMicroscopeParams& params) {
  const SimulatedActivity& activity = tiny_activity();
  VirtualMicroscope microscope(activity, params);
  const RoiSet rois = microscope.rois();
  std::vector<std::vector<double>> brightness(rois.rois.size()), f(rois.rois.size());
  Frame frame;
  for (std::uint64_t k = 0; k < activity.frames; ++k) {
    microscope.render(k, frame);
    for (std::size_t i = 0; i < rois.rois.size(); ++i) {
      brightness[i].push_back(roi_mean(frame, rois.rois[i]));
      f[i].push_back(activity.f(k, i));
    }
  }
  std::vector<double> r;
  for (std::size_t i = 0; i < rois.rois.size(); ++i) r.push_back(pearson(brightness[i], f[i]));
  return r;
}

double coefficient_of_variation(const std::vector<double>& x) {
  double mean = 0, var = 0;
  for (double v : x) mean += v / double(x.size());
  for (double v : x) var += (v - mean) * (v - mean) / double(x.size());
  return std::sqrt(var) / mean;
}

// How far the values reach from their median, either way.
double spread(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return std::max(v.back() - v[v.size() / 2], v[v.size() / 2] - v.front());
}

}  // namespace

TEST_CASE("the virtual microscope renders the same frames from the same seed", "[bridge][virtual]") {
  VirtualMicroscope a(tiny_activity(), small_field(2)), b(tiny_activity(), small_field(2));
  VirtualMicroscopeParams other_seed = small_field(2);
  other_seed.seed = 8;
  VirtualMicroscope c(tiny_activity(), other_seed);
  Frame fa, fb, fc;
  for (std::uint64_t k : {0u, 17u, 299u, 300u}) {
    a.render(k, fa);
    b.render(k, fb);
    c.render(k, fc);
    CHECK(fa.seq == k);
    CHECK(fa.pixels == fb.pixels);
    CHECK(fa.pixels != fc.pixels);
  }
  CHECK(a.motion(3).dx == b.motion(3).dx);
  CHECK(a.motion(303).dy == a.motion(3).dy);  // the activity and the motion repeat after the last frame ...
  a.render(3, fa);
  a.render(303, fb);
  CHECK(fa.pixels != fb.pixels);  // ... the noise does not
  CHECK(a.rois().rois.size() == tiny_activity().neurons());
  CHECK(a.rois().rois[0].name == "n00");
}

TEST_CASE("each ROI's brightness follows its neuron's simulated F", "[bridge][virtual]") {
  const SimulatedActivity& activity = tiny_activity();
  SECTION("without neuropil, with moderate shot noise: every neuron") {
    VirtualMicroscopeParams p = small_field(0);
    p.neuropil_level = 0;
    p.photons_per_unit = 1;
    const std::vector<double> r = roi_correlations(p);
    for (std::size_t i = 0; i < r.size(); ++i) {
      CAPTURE(i);
      CHECK(r[i] > 0.9);
    }
  }
  SECTION("with the default neuropil and noise: every neuron whose F varies by 5 % or more") {
    const std::vector<double> r = roi_correlations(small_field(0));
    std::size_t active = 0;
    for (std::size_t i = 0; i < r.size(); ++i) {
      std::vector<double> f(activity.frames);
      for (std::size_t k = 0; k < activity.frames; ++k) f[k] = activity.f(k, i);
      if (coefficient_of_variation(f) < 0.05) continue;  // a quiet neuron's ROI mostly shows the neuropil
      ++active;
      CAPTURE(i);
      CHECK(r[i] > 0.9);
    }
    CHECK(active >= r.size() / 2);
  }
  CHECK(VirtualMicroscope(activity, small_field(0)).rois().rois[0].pixels.size() > 60);  // a 12-px soma
}

TEST_CASE("with two planes, proximal and distal frames alternate and each trunk follows its neuron's distal F",
          "[bridge][virtual][distal]") {
  const SimulatedActivity& activity = tiny_activity();
  VirtualMicroscopeParams p = small_field(0);
  p.planes = 2;
  VirtualMicroscope microscope(activity, p);
  CHECK(microscope.frames() == 2 * activity.frames);
  const RoiSet trunks = microscope.distal_rois();
  REQUIRE(trunks.rois.size() == activity.neurons());
  CHECK(trunks.rois[3].name == "d03");
  CHECK(trunks.rois[0].pixels.size() >= 12);  // a 5-px disk
  // The proximal frames are the single-plane microscope's, noise apart: the same scene.
  VirtualMicroscope single(activity, small_field(0));
  std::vector<float> scene(128 * 96), single_scene(128 * 96);
  microscope.render_scene(2 * 17, {}, scene);
  single.render_scene(17, {}, single_scene);
  CHECK(scene == single_scene);

  std::vector<std::vector<double>> brightness(activity.neurons()), distal_f(activity.neurons());
  Frame frame;
  for (std::uint64_t k = 0; k < microscope.frames(); ++k) {
    microscope.render(k, frame);
    CHECK(frame.planes == 2);
    CHECK(frame.plane == k % 2);
    if (k % 2 == 0) continue;
    for (std::size_t i = 0; i < trunks.rois.size(); ++i) {
      brightness[i].push_back(roi_mean(frame, trunks.rois[i]));
      distal_f[i].push_back(activity.distal_f(k / 2, i));
    }
  }
  std::size_t active = 0;
  for (std::size_t i = 0; i < trunks.rois.size(); ++i) {
    if (coefficient_of_variation(distal_f[i]) < 0.05) continue;  // a quiet trunk's ROI mostly shows the neuropil
    ++active;
    CAPTURE(i);
    CHECK(pearson(brightness[i], distal_f[i]) > 0.9);
  }
  CHECK(active >= trunks.rois.size() / 2);
  VirtualMicroscopeParams bad = small_field(0);
  bad.planes = 3;
  CHECK_THROWS_WITH(VirtualMicroscope(activity, bad), Contains("planes = 3"));
}

TEST_CASE("the registration recovers the virtual brain motion", "[bridge][virtual][registration]") {
  VirtualMicroscope microscope(tiny_activity(), small_field(3));
  const std::size_t pixels = 128 * 96;
  std::vector<float> reference(pixels, 0.0f), scene(pixels);
  for (std::uint64_t k = 0; k < 20; ++k) {  // a noise-free average of the motionless field
    microscope.render_scene(k, {}, scene);
    for (std::size_t j = 0; j < pixels; ++j) reference[j] += scene[j] / 20.0f;
  }
  RegistrationParams quick;
  quick.planning = RegistrationParams::Planning::estimate;
  PhaseCorrelation registration(reference, 128, 96, quick);
  Frame frame;
  double largest = 0;
  for (std::uint64_t k = 0; k < 300; k += 5) {
    microscope.render(k, frame);
    const Shift measured = registration.measure(frame.view());
    const Displacement truth = microscope.motion(k);
    largest = std::max({largest, std::abs(truth.dx), std::abs(truth.dy)});
    CAPTURE(k, truth.dx, truth.dy, measured.dx, measured.dy);
    CHECK_THAT(measured.dx, WithinAbs(truth.dx, 0.5));
    CHECK_THAT(measured.dy, WithinAbs(truth.dy, 0.5));
  }
  CHECK(largest > 1.5);  // the brain did move
}

TEST_CASE("apical stream --virtual publishes the virtual microscope as APF/1", "[bridge][virtual][stream]") {
  const std::string scenario = tiny_scenario_path();
  std::vector<std::string> events;
  auto source = source_from(R"({"type": "tcp-framed", "address": "127.0.0.1", "port": 0, "width": 128, "height": 96})", events);
  std::string status = "not run";
  std::thread streamer([&] {
    status = run_apical("stream --virtual " + scenario + " --mouse 1 --minutes 0.02 --size 128x96 --seed 5 --motion 1.5 --photons 0.3" +
                        " --frames 6 --rate 200 --port " + std::to_string(*source->listening_port()));
  });
  VirtualMicroscopeParams p = small_field(1.5);
  p.seed = 5;
  p.photons_per_unit = 0.3;
  VirtualMicroscope expected(simulate_activity(load_bci_scenario(scenario), 1, 18), p);
  Frame got, want;
  for (std::uint64_t k = 0; k < 6; ++k) {
    REQUIRE(source->next(got, milliseconds(20000)) == FetchStatus::frame);
    expected.render(k, want);
    CHECK(got.seq == k);
    CHECK(got.pixels == want.pixels);
  }
  CHECK(source->next(got, milliseconds(5000)) == FetchStatus::end);
  streamer.join();
  CHECK(status.empty());
  CHECK(run_apical("stream --virtual " + scenario + " --mouse 2 --write-rois /dev/null") == "exit status 2");
  CHECK(run_apical("stream --mouse 1 x.tif") == "exit status 2");
}

TEST_CASE("bad virtual-microscope settings are errors at their JSON path", "[bridge][virtual][config]") {
  const std::string scenario = tiny_scenario_path();
  std::vector<std::string> events;
  const auto error_at = [&](const std::string& settings) -> std::string {
    try {
      source_from(R"({"type": "virtual-microscope", )" + settings + "}", events);
    } catch (const InputError& e) {
      return e.json_path();
    }
    return "no error";
  };
  const std::string path = "\"path\": \"" + scenario + "\"";
  CHECK(error_at(R"("path": "/nonexistent/scenario.json")") == "/source/path");
  CHECK(error_at(path + R"(, "width": 8)") == "/source/width");
  CHECK(error_at(path + R"(, "mouse": 2)") == "/source/mouse");
  CHECK(error_at(path + R"(, "width": 48, "height": 48, "duration": "0.1 min")") == "/source/width");  // no room for 10 somata
  CHECK(error_at(path + R"(, "motion": "2 Hz")") == "/source/motion");
  CHECK(error_at(path + R"(, "rate": 15)") == "/source/rate");
  CHECK(error_at(path + R"(, "sede": 1)") == "/source/sede");
  CHECK(error_at(R"("mouse": 0)") == "/source");
}

TEST_CASE("a rig session runs in silico on the virtual microscope, registering its true motion", "[bridge][virtual][rig]") {
  const std::string scenario = tiny_scenario_path(), rois = temp_path("virtual_rig_rois.json");
  // The field the source below draws, with its motion: the same scenario, mouse, duration and settings.
  const VirtualMicroscope field(simulate_activity(load_bci_scenario(scenario), 0, 900), small_field(2));
  std::ofstream(rois) << roi_json_text(field.rois());
  const std::vector<loop::Role>& role = field.activity().roles;
  nlohmann::json roles = {{"P+", nlohmann::json::array()}, {"P-", nlohmann::json::array()}};
  for (std::size_t i = 0; i < role.size(); ++i)
    if (role[i] != loop::Role::zero) roles[role_name(role[i])].push_back(neuron_roi_name(i, role.size()));
  const nlohmann::json rig = {
      {"format", "apical-rig"},
      {"format_version", 1},
      {"name", "in_silico"},
      {"source",
       {{"type", "virtual-microscope"}, {"path", scenario}, {"duration", "1 min"}, {"width", 128}, {"height", 96},
        {"seed", 7}, {"motion", 2}, {"rate", "3000 Hz"}}},
      {"rois", rois},
      {"roles", roles},
      {"reference", {{"frames", 30}}},
      {"calibration", {{"frames", 300}}},
      {"loop",
       {{"calibration", {{"pseudo_trials", 50}, {"trial_frames", 60}}},
        {"task", {{"open_frames", 60}, {"reward_delay_frames", 5}, {"show_frames", 8}, {"blank_ok_frames", 3}, {"fail_frames", 5}}}}},
      {"session", {{"reward_volume_uL", 4}, {"duration", "30 s"}}}};
  MemoryRecorder recorder;
  const RigConfig config = read_rig_config(rig, "rig.json", "");  // the session keeps a reference to it
  RigSession session(config, recorder, {});
  const std::atomic<bool> stop{false};
  const SessionSummary summary = session.run(stop);
  CHECK(summary.task_frames == 450);
  CHECK(summary.trials >= 5);
  CHECK(summary.hits >= 1);
  CHECK(summary.source.dropped == 0);
  // The reference is the mean of the first frames, so the measured shifts are the true ones less a constant.
  std::vector<double> offset_x, offset_y;
  for (const RecordedFrame& f : recorder.frames) {
    offset_x.push_back(f.shift.dx - field.motion(f.seq).dx);
    offset_y.push_back(f.shift.dy - field.motion(f.seq).dy);
  }
  REQUIRE(offset_x.size() == 750);
  CHECK(spread(offset_x) < 0.5);
  CHECK(spread(offset_y) < 0.5);
  std::filesystem::remove(rois);
}

TEST_CASE("a two-plane rig session on the virtual microscope pairs each trunk with its soma: true pairs pass r >= 0.6",
          "[bridge][virtual][rig][distal]") {
  const std::string scenario = tiny_scenario_path(), rois = temp_path("virtual_two_plane_rois.json"),
                    distal_rois = temp_path("virtual_two_plane_distal_rois.json"),
                    nwb_path = temp_path("virtual_two_plane.nwb");
  // The field the source below draws: the same scenario, mouse, duration and settings.
  VirtualMicroscopeParams params = small_field(2);
  params.planes = 2;
  const VirtualMicroscope field(simulate_activity(load_bci_scenario(scenario), 0, 1800), params);
  std::ofstream(rois) << roi_json_text(field.rois());
  std::ofstream(distal_rois) << roi_json_text(field.distal_rois());
  const std::vector<loop::Role>& role = field.activity().roles;
  const std::size_t n = role.size();
  nlohmann::json roles = {{"P+", nlohmann::json::array()}, {"P-", nlohmann::json::array()}}, pairs;
  for (std::size_t i = 0; i < n; ++i) {
    if (role[i] != loop::Role::zero) roles[role_name(role[i])].push_back(neuron_roi_name(i, n));
    pairs[trunk_roi_name(i, n)] = neuron_roi_name(i, n);
  }
  const nlohmann::json rig = {
      {"format", "apical-rig"},
      {"format_version", 1},
      {"name", "in_silico_two_planes"},
      {"source",
       {{"type", "virtual-microscope"}, {"path", scenario}, {"duration", "2 min"}, {"width", 128}, {"height", 96},
        {"seed", 7}, {"motion", 2}, {"planes", 2}, {"rate", "6000 Hz"}}},
      {"rois", rois},
      {"roles", roles},
      {"distal", {{"rois", distal_rois}, {"pairs", pairs}}},
      {"reference", {{"frames", 30}}},
      {"calibration", {{"frames", 300}}},
      {"loop",
       {{"calibration", {{"pseudo_trials", 50}, {"trial_frames", 60}}},
        {"task", {{"open_frames", 60}, {"reward_delay_frames", 5}, {"show_frames", 8}, {"blank_ok_frames", 3}, {"fail_frames", 5}}}}},
      {"session", {{"reward_volume_uL", 4}}}};
  std::filesystem::remove(nwb_path);
  const RigConfig config = read_rig_config(rig, "rig.json", "");
  NwbSessionRecorder recorder(nwb_path);
  RigSession session(config, recorder, {});
  const std::atomic<bool> stop{false};
  const SessionSummary summary = session.run(stop);
  CHECK(summary.ended_by == "the source ended");
  CHECK(summary.task_frames == 1800 - 30 - 300);  // per plane: the cycles after the reference and calibration
  CHECK(summary.distal_frames == 1800);
  CHECK(summary.proximal_without_distal + summary.distal_without_proximal == 0);

  const nwb::SessionRecording recording = nwb::read_session(nwb_path);
  REQUIRE(recording.frames == 1800 - 30);
  REQUIRE(recording.info.rois.size() == 2 * n);
  // Both planes of a cycle share its motion, and the distal plane is registered against its own reference
  // (the mean of its first frames): its shifts are the true motion less a constant. Row k is cycle 30 + k,
  // after the reference's 30 cycles; its distal frame is the cycle's second.
  std::vector<double> distal_offset_x, distal_offset_y;
  for (std::size_t k = 0; k < recording.frames; ++k) {
    const std::uint64_t distal_seq = 2 * (30 + k) + 1;
    distal_offset_x.push_back(recording.distal_shift_dx_px[k] - field.motion(distal_seq).dx);
    distal_offset_y.push_back(recording.distal_shift_dy_px[k] - field.motion(distal_seq).dy);
  }
  CHECK(spread(distal_offset_x) < 0.5);
  CHECK(spread(distal_offset_y) < 0.5);
  // r of proximal ROI i's and distal ROI j's ΔF/F over the good frames, as pair_r is defined.
  const auto r_of = [&](std::size_t proximal, std::size_t distal) {
    std::vector<double> a, b;
    for (std::size_t k = 0; k < recording.frames; ++k) {
      const double x = recording.dff[k * 2 * n + proximal], y = recording.dff[k * 2 * n + n + distal];
      if (recording.bad[k] || !std::isfinite(x) || !std::isfinite(y)) continue;
      a.push_back(x);
      b.push_back(y);
    }
    return pearson(a, b);
  };
  std::vector<double> true_r, shuffled_r;
  for (std::size_t i = 0; i < n; ++i) {
    REQUIRE(recording.info.rois[n + i].paired_roi == std::optional<std::size_t>(i));
    true_r.push_back(recording.pair_r[n + i]);
    CHECK_THAT(true_r.back(), WithinAbs(r_of(i, i), 1e-9));
    for (std::size_t shift = 1; shift < n; ++shift) shuffled_r.push_back(r_of((i + shift) % n, i));
  }
  std::sort(true_r.begin(), true_r.end());
  std::sort(shuffled_r.begin(), shuffled_r.end());
  const auto median = [](const std::vector<double>& v) { return v[v.size() / 2]; };
  INFO("true pairs r: min " << true_r.front() << ", median " << median(true_r) << "; shuffled pairs r: median "
                            << median(shuffled_r) << ", max " << shuffled_r.back());
  CHECK(true_r.front() >= nwb::pairing_r_min);      // every true pair passes the paper's criterion
  CHECK(median(shuffled_r) < nwb::pairing_r_min);   // a shuffled pair typically does not
  CHECK(median(shuffled_r) < true_r.front());
  CHECK_THAT(recording.messages.back().text,
             Contains("PAIRS: " + std::to_string(n) + " of " + std::to_string(n) + " distal ROIs"));
  for (const std::string& path : {rois, distal_rois, nwb_path}) std::filesystem::remove(path);
}

TEST_CASE("the ROI JSON text of a ROI set reads back equal", "[bridge][virtual][rois]") {
  const RoiSet written{40, 30, {{"n00", {{1, 2, 1.0f}, {3, 4, 0.5f}}}, {"n01", {{39, 29, 2.0f}}}}};
  const nlohmann::json document = nlohmann::json::parse(roi_json_text(written));
  const RoiSet read = rois_from_json(JsonValue(document, "rois.json"));
  REQUIRE(read.rois.size() == 2);
  CHECK((read.width == 40 && read.height == 30));
  for (std::size_t r = 0; r < 2; ++r) {
    CHECK(read.rois[r].name == written.rois[r].name);
    REQUIRE(read.rois[r].pixels.size() == written.rois[r].pixels.size());
    for (std::size_t k = 0; k < read.rois[r].pixels.size(); ++k) {
      CHECK(read.rois[r].pixels[k].x == written.rois[r].pixels[k].x);
      CHECK(read.rois[r].pixels[k].y == written.rois[r].pixels[k].y);
      CHECK(read.rois[r].pixels[k].weight == written.rois[r].pixels[k].weight);
    }
  }
}

TEST_CASE("the shipped in-silico rig example matches what --write-rois generates", "[bridge][virtual][rig]") {
  const std::string folder = std::string(APICAL_SOURCE_DIR) + "/scenarios/rig";
  const RigConfig rig = load_rig_config(folder + "/virtual_session.json");
  const nlohmann::json& source = rig.document["source"];
  const std::string rois = temp_path("virtual_session_rois.json"), printed = temp_path("virtual_session_roles.txt");
  REQUIRE(run_apical("stream --virtual " + source["path"].get<std::string>() + " --mouse " +
                         std::to_string(source["mouse"].get<int>()) + " --size " + std::to_string(source["width"].get<int>()) +
                         "x" + std::to_string(source["height"].get<int>()) + " --seed " +
                         std::to_string(source["seed"].get<int>()) + " --motion " + source["motion"].dump() +
                         " --write-rois " + rois,
                     printed)
              .empty());
  CHECK(read_text(rois) == read_text(folder + "/virtual_session_rois.json"));
  const std::string output = read_text(printed);
  const std::size_t roles_at = output.find("\"roles\": ");
  REQUIRE(roles_at != std::string::npos);
  const nlohmann::json roles = nlohmann::json::parse(output.substr(roles_at + 9));
  CHECK(roles == rig.document["roles"]);
  std::filesystem::remove(rois);
  std::filesystem::remove(printed);
}

TEST_CASE("the shipped two-plane example matches what --planes 2 --write-rois generates", "[bridge][virtual][rig][distal]") {
  const std::string folder = std::string(APICAL_SOURCE_DIR) + "/scenarios/rig";
  const RigConfig rig = load_rig_config(folder + "/virtual_two_planes.json");
  const nlohmann::json& source = rig.document["source"];
  CHECK(source["planes"] == 2);
  const std::string rois = temp_path("virtual_two_planes_rois.json"), printed = temp_path("virtual_two_planes_out.txt");
  REQUIRE(run_apical("stream --virtual " + source["path"].get<std::string>() + " --mouse " +
                         std::to_string(source["mouse"].get<int>()) + " --size " + std::to_string(source["width"].get<int>()) +
                         "x" + std::to_string(source["height"].get<int>()) + " --seed " +
                         std::to_string(source["seed"].get<int>()) + " --motion " + source["motion"].dump() +
                         " --planes 2 --write-rois " + rois,
                     printed)
              .empty());
  CHECK(read_text(rois) == read_text(folder + "/" + rig.document["rois"].get<std::string>()));
  CHECK(read_text(temp_path("virtual_two_planes_rois_distal.json")) ==
        read_text(folder + "/" + rig.document["distal"]["rois"].get<std::string>()));
  const std::string output = read_text(printed);
  const std::size_t distal_at = output.find("\"distal\": ");
  REQUIRE(distal_at != std::string::npos);
  CHECK(nlohmann::json::parse(output.substr(distal_at + 10))["pairs"] == rig.document["distal"]["pairs"]);
  for (const std::string& path : {rois, temp_path("virtual_two_planes_rois_distal.json"), printed})
    std::filesystem::remove(path);
}
