// The built-in grating display (stimulus output "display") under a virtual X display: frames read back
// from the GPU show black, and the grating along the documented axes at 0° and 90°; the photodiode
// patch alternates at every flip; new pictures are reported with their flip; the stimulus section is
// read strictly; no display is a clear error; a rig session drives it; `apical display` shows and saves it;
// the docs list every parameter.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "apical/bridge/grating_display.hpp"
#include "apical/bridge/rig_session.hpp"
#include "apical/bridge/stimulus_output.hpp"
#include "apical/io/input_error.hpp"
#include "apical/viz/display.hpp"
#include "memory_recorder.hpp"
#include "rig_fixture.hpp"

using namespace apical::bridge;
using namespace apical::bridge::test;
using Catch::Matchers::Contains;

namespace {

// 256x192 on Xvfb's 1920-px screen, 52 cm wide at 20 cm: 0.0776°/px, so 0.2 cycles/deg is a period of
// 64 px — four cycles across the window.
nlohmann::json small_window() {
  return {{"type", "display"},       {"width", 256},       {"height", 192},
          {"screen_width", "52 cm"}, {"viewing_distance", "20 cm"}, {"spatial_frequency", "0.2 cycles/deg"},
          {"photodiode_size", 32},   {"photodiode_corner", "bottom_right"}};
}

GratingSettings settings_of(const nlohmann::json& section) {
  return read_display_settings(apical::JsonValue(section, "rig.json", "/stimulus"));
}

// Sets an environment variable for one scope and puts the old value back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) ::setenv(name, value, 1);
    else ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_.c_str(), old_->c_str(), 1);
    else ::unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// Grey level of one pixel (the grating is grey: R = G = B).
int level(const DisplayCapture& c, int x, int y) {
  return c.rgb[(static_cast<std::size_t>(y) * static_cast<std::size_t>(c.width) + static_cast<std::size_t>(x)) * 3];
}

bool in_patch(const DisplayCapture& c, int x, int y, int side) { return x >= c.width - side && y >= c.height - side; }

// Mean variance of the grey level along each row (varies with x) and along each column (varies with
// y), over the pixels outside the photodiode patch's rows and columns.
struct Variances {
  double along_rows = 0, along_columns = 0;
};

Variances variances(const DisplayCapture& c, int side) {
  const int w = c.width - side, h = c.height - side;  // clear of the patch in the bottom-right corner
  auto variance = [&](int n, auto value) {
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; ++i) {
      const double v = value(i);
      sum += v;
      sum2 += v * v;
    }
    return sum2 / n - (sum / n) * (sum / n);
  };
  Variances v;
  for (int y = 0; y < h; ++y) v.along_rows += variance(w, [&](int x) { return level(c, x, y); }) / h;
  for (int x = 0; x < w; ++x) v.along_columns += variance(h, [&](int y) { return level(c, x, y); }) / w;
  return v;
}

// Captures until the commanded picture is the one drawn.
DisplayCapture capture_of(GratingDisplay& display, const apical::loop::Stimulus& stimulus) {
  display.command(1, stimulus);
  for (int tries = 0; tries < 20; ++tries) {
    DisplayCapture c = display.capture();
    if (c.stimulus.black == stimulus.black && c.stimulus.angle_deg == stimulus.angle_deg) return c;
  }
  FAIL("the display never drew the commanded picture");
  return {};
}

}  // namespace

TEST_CASE("the display draws black, and the grating along x at 0 deg and along y at 90 deg", "[bridge][display]") {
  const apical::viz::DisplayLease lease;
  GratingDisplay display(settings_of(small_window()));
  REQUIRE(display.width() == 256);
  REQUIRE(display.height() == 192);
  const int side = 32;

  const DisplayCapture black = capture_of(display, {true, 0.0});
  std::size_t lit = 0;
  for (int y = 0; y < black.height; ++y)
    for (int x = 0; x < black.width; ++x)
      if (!in_patch(black, x, y, side)) lit += level(black, x, y) != 0;
  CHECK(lit == 0);

  // Vertical bars at 0°: the level varies along each row and is constant down each column.
  const Variances at0 = variances(capture_of(display, {false, 0.0}), side);
  CHECK(at0.along_rows > 4000);  // a full-contrast sinusoid of amplitude 127.5 has variance ≈ 8100
  CHECK(at0.along_columns < 1);
  // Horizontal bars at 90°: the reverse.
  const Variances at90 = variances(capture_of(display, {false, 90.0}), side);
  CHECK(at90.along_columns > 4000);
  CHECK(at90.along_rows < 1);
  // 45° varies both ways.
  const Variances at45 = variances(capture_of(display, {false, 45.0}), side);
  CHECK(at45.along_rows > 1000);
  CHECK(at45.along_columns > 1000);
}

TEST_CASE("the photodiode patch alternates white and black at every flip, and flips go on", "[bridge][display]") {
  const apical::viz::DisplayLease lease;
  GratingDisplay display(settings_of(small_window()));
  display.command(0, {false, 30.0});
  bool seen_white = false, seen_black = false;
  std::uint64_t last_flip = 0;
  for (int k = 0; k < 12 && !(seen_white && seen_black && k >= 4); ++k) {
    const DisplayCapture c = display.capture();
    CHECK(c.flip > last_flip);
    last_flip = c.flip;
    CHECK(c.photodiode_white == (c.flip % 2 == 1));
    const int expected = c.photodiode_white ? 255 : 0;
    std::size_t wrong = 0;
    for (int y = c.height - 32; y < c.height; ++y)
      for (int x = c.width - 32; x < c.width; ++x) wrong += level(c, x, y) != expected;
    CHECK(wrong == 0);
    (c.photodiode_white ? seen_white : seen_black) = true;
  }
  CHECK(seen_white);
  CHECK(seen_black);
  const std::uint64_t flips = display.flips();
  CHECK(flips >= last_flip);
  (void)display.capture();
  CHECK(display.flips() > flips);
  CHECK(display.refresh_hz() > 0);
  CHECK(display.failure().empty());
}

TEST_CASE("each new picture is reported with the flip that first showed it", "[bridge][display]") {
  const apical::viz::DisplayLease lease;
  GratingDisplay display(settings_of(small_window()));
  std::vector<Presentation> shown;
  const std::vector<apical::loop::Stimulus> commands{{false, 15.0}, {false, 15.0}, {false, 60.0}, {true, 0.0}};
  for (std::size_t k = 0; k < commands.size(); ++k) {
    display.command(k, commands[k]);
    (void)display.capture();  // the command is on the screen
  }
  display.take_presentations(shown);
  // The repeated 15° shows nothing new: three pictures, in order, each flipped after its command.
  REQUIRE(shown.size() == 3);
  CHECK(shown[0].frame == 0);
  CHECK(shown[1].frame == 2);
  CHECK(shown[1].stimulus.angle_deg == 60.0);
  CHECK(shown[2].frame == 3);
  CHECK(shown[2].stimulus.black);
  for (std::size_t k = 0; k < shown.size(); ++k) {
    CHECK(shown[k].flipped_ns > shown[k].commanded_ns);
    if (k > 0) CHECK(shown[k].flip > shown[k - 1].flip);
  }
  shown.clear();
  display.take_presentations(shown);
  CHECK(shown.empty());
}

TEST_CASE("the display's stimulus section is strict and every mistake names its JSON path",
          "[bridge][display][config]") {
  const auto error = [](const nlohmann::json& section) -> std::string {
    try {
      (void)settings_of(section);
    } catch (const apical::InputError& e) {
      return e.what();
    }
    return "(no error)";
  };
  nlohmann::json s = small_window();
  s["spatial_freq"] = "0.1 cycles/deg";
  CHECK_THAT(error(s), Contains("/stimulus/spatial_freq") && Contains("did you mean 'spatial_frequency'"));
  s = small_window();
  s.erase("screen_width");
  CHECK_THAT(error(s), Contains("/stimulus") && Contains("screen_width"));
  s = small_window();
  s["spatial_frequency"] = "0.1 Hz";
  CHECK_THAT(error(s), Contains("/stimulus/spatial_frequency") && Contains("cycles/deg"));
  s = small_window();
  s["mean_luminance"] = 0.6;
  CHECK_THAT(error(s), Contains("/stimulus/contrast") && Contains("clip"));
  s = small_window();
  s.erase("height");
  CHECK_THAT(error(s), Contains("/stimulus/height") && Contains("both width and height"));
  s = small_window();
  s["photodiode_corner"] = "bottom-right";
  CHECK_THAT(error(s), Contains("/stimulus/photodiode_corner") && Contains("bottom_right"));
  s = small_window();
  s["type"] = "udp";
  CHECK_THAT(error(s), Contains("/stimulus/type"));
  // The registry checks the same declarations when a rig file is read.
  s = small_window();
  s["contrast"] = 2;
  CHECK_THROWS_WITH(builtin_stimulus_outputs().check(apical::JsonValue(s, "rig.json", "/stimulus")),
                    Contains("/stimulus/contrast"));
}

TEST_CASE("without a display the output fails at set-up, naming the cause", "[bridge][display]") {
  const ScopedEnv no_x("DISPLAY", nullptr);
  const ScopedEnv no_wayland("WAYLAND_DISPLAY", nullptr);
  const ScopedEnv x11_only("SDL_VIDEODRIVER", "x11");
  std::string message;
  try {
    (void)builtin_stimulus_outputs().make(apical::JsonValue(small_window(), "rig.json", "/stimulus"), {});
  } catch (const apical::InputError& e) {
    message = e.what();
  }
  CHECK_THAT(message, Contains("rig.json: /stimulus/display") && Contains("cannot open the grating display") &&
                          Contains("DISPLAY is not set"));

  // SDL's own fallback without a screen draws nowhere: refused, not a session run blind.
  const ScopedEnv offscreen("SDL_VIDEODRIVER", "offscreen");
  message.clear();
  try {
    (void)builtin_stimulus_outputs().make(apical::JsonValue(small_window(), "rig.json", "/stimulus"), {});
  } catch (const apical::InputError& e) {
    message = e.what();
  }
  CHECK_THAT(message, Contains("/stimulus/display") && Contains("no screen to draw on") && Contains("'offscreen'"));
}

TEST_CASE("a rig session shows its task on the display and records each new picture's flip", "[bridge][display][rig]") {
  const apical::viz::DisplayLease lease;
  const RigFixture f("rig_display", 300, 200);
  nlohmann::json rig = f.rig(300);
  rig["stimulus"] = small_window();
  const RigConfig config = read_rig_config(rig, "rig.json", "");
  MemoryRecorder recorder;
  RigSession session(config, recorder, {});
  const std::atomic<bool> stop{false};
  const SessionSummary summary = session.run(stop);
  CHECK(summary.task_frames == f.task_frames);
  CHECK(recorder.noted("SESSION synthetic: frames from "));
  CHECK(recorder.noted("stimulus by display 0 (window 256x192 at "));
  CHECK(recorder.noted("STIMULUS SHOWN frame "));
  CHECK(recorder.noted(" ms after the command"));
  CHECK_FALSE(recorder.noted("STIMULUS DISPLAY LOST"));
  // The recorder gets every new picture with its flip: in order, after its command, showing what the
  // task commanded in that frame. The fixture's trials alternate grating and black, so there are several.
  REQUIRE(recorder.presentations.size() >= 2);
  CHECK(summary.presentations == recorder.presentations.size());
  CHECK(summary.stimulus.sent == f.task_frames);
  for (std::size_t k = 0; k < recorder.presentations.size(); ++k) {
    const MemoryRecorder::Shown& s = recorder.presentations[k];
    CHECK(s.flipped_s > s.commanded_s);
    if (k > 0) {
      CHECK(s.presentation.flip > recorder.presentations[k - 1].presentation.flip);
      CHECK(s.presentation.frame > recorder.presentations[k - 1].presentation.frame);
    }
    const auto commanded = std::find_if(recorder.frames.begin(), recorder.frames.end(), [&](const RecordedFrame& r) {
      return r.phase == SessionPhase::task && r.task.frame == s.presentation.frame;
    });
    REQUIRE(commanded != recorder.frames.end());
    CHECK(commanded->task.stimulus.black == s.presentation.stimulus.black);
    CHECK(commanded->task.stimulus.angle_deg == s.presentation.stimulus.angle_deg);
  }
}

TEST_CASE("apical display shows a grating for a while and saves the last frame as PNG", "[bridge][display][cli]") {
  const apical::viz::DisplayLease lease;
  const apical::test::TempDir temp;
  const std::filesystem::path& dir = temp.path();
  const std::filesystem::path rig = dir / "rig.json", png = dir / "frame.png";
  nlohmann::json section = small_window();
  section.erase("width");
  section.erase("height");  // full screen in the file; the command line asks for a window
  std::ofstream(rig) << nlohmann::json{{"stimulus", section}}.dump(2);
  const std::string output = (dir / "out.txt").string();
  const std::string command = std::string(APICAL_CLI_PATH) + " display " + rig.string() +
                              " --window 160x120 --angle 90 --seconds 0.5 --capture " + png.string() + " > " + output +
                              " 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream in(output);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  INFO(text);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_THAT(text, Contains("window 160x120") && Contains("flips"));
  CHECK(std::filesystem::file_size(png) > 100);

  const std::string bad =
      std::string(APICAL_CLI_PATH) + " display " + rig.string() + " --angel 90 > " + output + " 2>&1";
  const int bad_status = std::system(bad.c_str());
  CHECK(WEXITSTATUS(bad_status) == 2);
}

TEST_CASE("docs/stimulus.md lists every parameter of the display output", "[bridge][display][docs]") {
  std::ifstream in(std::string(APICAL_SOURCE_DIR) + "/docs/stimulus.md");
  const std::string docs((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t section = docs.find("## `display`");
  REQUIRE(section != std::string::npos);
  const StimulusOutputRegistry::Entry* display = builtin_stimulus_outputs().find("display");
  REQUIRE(display != nullptr);
  for (const SourceParameter& p : display->info.parameters) {
    INFO(p.name);
    const std::size_t row = docs.find("\n| `" + p.name + "`", section);
    const std::size_t paired = docs.find(", `" + p.name + "` |", section);  // "| `width`, `height` |"
    CHECK((row != std::string::npos || paired != std::string::npos));
  }
}
