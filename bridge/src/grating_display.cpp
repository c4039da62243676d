#include "apical/bridge/grating_display.hpp"

#include <SDL.h>
#include <GL/gl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <future>
#include <mutex>
#include <numbers>
#include <optional>
#include <thread>

#include "apical/bridge/frame.hpp"
#include "grating_program.hpp"

namespace apical::bridge {
namespace {

// SDL's video state is process-wide and not thread-safe: one display at a time.
std::atomic<bool> display_open{false};

// Flips closer together than half a refresh period this many times in a row mean the swap does not
// wait for the vertical blank (a virtual display, or a driver that ignores the swap interval).
constexpr int fast_flips_without_vsync = 5;

bool same_picture(const loop::Stimulus& a, const loop::Stimulus& b) {
  return a.black == b.black && (a.black || a.angle_deg == b.angle_deg);
}

// Adds why there is no screen when the environment names none.
std::string with_display_hint(std::string text) {
  const char* display = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  if ((display == nullptr || *display == '\0') && (wayland == nullptr || *wayland == '\0'))
    text += " (no X or Wayland display: $DISPLAY is not set; start from the desktop of the stimulus screen, or set "
            "DISPLAY=:0)";
  return text;
}

std::string sdl_error(const std::string& what) { return with_display_hint(what + ": " + SDL_GetError()); }

// SDL's video subsystem for the life of the render thread; SDL leaves SIGINT to the program (the rig
// session's Ctrl-C) and keeps a full-screen window up when another window takes the focus.
struct SdlVideo {
  SdlVideo() {
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) throw DisplayError(sdl_error("SDL cannot start its video subsystem"));
    // Without a screen SDL falls back to drivers that draw nowhere; a session must not run blind.
    const std::string driver = SDL_GetCurrentVideoDriver();
    if (driver == "offscreen" || driver == "dummy" || driver == "evdev") {
      SDL_QuitSubSystem(SDL_INIT_VIDEO);
      throw DisplayError(
          with_display_hint("no screen to draw on: SDL found only its '" + driver + "' video driver, which draws nowhere"));
    }
  }
  ~SdlVideo() { SDL_QuitSubSystem(SDL_INIT_VIDEO); }
  SdlVideo(const SdlVideo&) = delete;
  SdlVideo& operator=(const SdlVideo&) = delete;
};

struct WindowDeleter {
  void operator()(SDL_Window* w) const { SDL_DestroyWindow(w); }
};

struct GlContext {
  SDL_GLContext context;
  explicit GlContext(SDL_Window* window) : context(SDL_GL_CreateContext(window)) {
    if (context == nullptr) throw DisplayError(sdl_error("no OpenGL 2.1 context for the window"));
  }
  ~GlContext() { SDL_GL_DeleteContext(context); }
  GlContext(const GlContext&) = delete;
  GlContext& operator=(const GlContext&) = delete;
};

std::string gl_text(GLenum name) {
  const auto* text = reinterpret_cast<const char*>(glGetString(name));
  return text ? text : "?";
}

}  // namespace

struct GratingDisplay::Impl {
  GratingSettings settings;

  // Set by the render thread before the constructor returns, constant afterwards.
  int width = 0, height = 0;
  double refresh_hz = 60;
  std::string renderer;
  GratingInPixels grating;

  std::atomic<bool> stopping{false};
  std::atomic<bool> vsync_paced{false};
  std::atomic<std::uint64_t> flips{0}, late_flips{0};

  struct Command {
    std::uint64_t sequence = 0;  // 0: nothing commanded yet
    std::uint64_t frame = 0;
    loop::Stimulus stimulus{true, 0.0};
    std::int64_t commanded_ns = 0;
  };
  mutable std::mutex mutex;  // guards the members below; never held while drawing
  Command latest;
  std::vector<Presentation> presentations;
  std::string failure;
  bool capture_wanted = false;
  std::optional<DisplayCapture> captured;
  std::condition_variable capture_ready;

  std::thread thread;

  void render(std::promise<void>& opened) {
    bool window_up = false;
    try {
      SdlVideo video;
      const int displays = SDL_GetNumVideoDisplays();
      if (settings.display >= displays)
        throw DisplayError("display " + std::to_string(settings.display) + " does not exist (the system has " +
                           std::to_string(displays) + ")");
      SDL_Rect bounds{};
      SDL_GetDisplayBounds(settings.display, &bounds);
      SDL_DisplayMode mode{};
      if (SDL_GetCurrentDisplayMode(settings.display, &mode) == 0 && mode.refresh_rate > 0)
        refresh_hz = mode.refresh_rate;

      SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 2);
      SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 1);
      SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
      for (const SDL_GLattr channel : {SDL_GL_RED_SIZE, SDL_GL_GREEN_SIZE, SDL_GL_BLUE_SIZE})
        SDL_GL_SetAttribute(channel, 8);
      const bool full_screen = settings.width_px == 0;
      const Uint32 flags =
          SDL_WINDOW_OPENGL | SDL_WINDOW_SHOWN | (full_screen ? Uint32(SDL_WINDOW_FULLSCREEN_DESKTOP) : 0u);
      const int position = full_screen ? int(SDL_WINDOWPOS_UNDEFINED_DISPLAY(settings.display))
                                       : int(SDL_WINDOWPOS_CENTERED_DISPLAY(settings.display));
      const std::unique_ptr<SDL_Window, WindowDeleter> window(
          SDL_CreateWindow("apical stimulus", position, position, full_screen ? bounds.w : settings.width_px,
                           full_screen ? bounds.h : settings.height_px, flags));
      if (!window) throw DisplayError(sdl_error("cannot open the window"));
      const GlContext context(window.get());
      if (full_screen) SDL_ShowCursor(SDL_DISABLE);
      renderer =
          "OpenGL " + gl_text(GL_VERSION) + " (" + gl_text(GL_RENDERER) + ") on " + SDL_GetCurrentVideoDriver();
      SDL_GL_GetDrawableSize(window.get(), &width, &height);
      vsync_paced = settings.vsync && SDL_GL_SetSwapInterval(1) == 0;
      if (!settings.vsync) SDL_GL_SetSwapInterval(0);

      // Degrees at the screen's centre: one pixel spans atan(pixel width / viewing distance).
      const double cm_per_px = settings.screen_width_cm / double(bounds.w > 0 ? bounds.w : width);
      const double deg_per_px = std::atan(cm_per_px / settings.viewing_distance_cm) * 180.0 / std::numbers::pi;
      grating = {settings.cycles_per_deg * deg_per_px, settings.gabor_sigma_deg / deg_per_px, settings.contrast,
                 settings.mean_luminance, settings.gamma};
      GratingProgram program(width, height, grating, settings.photodiode_corner, settings.photodiode_px);
      opened.set_value();
      window_up = true;
      draw_until_stopped(window.get(), program);
    } catch (const std::exception& e) {
      // Before the window was up, the constructor rethrows; afterwards the session reads failure().
      if (!window_up) {
        opened.set_exception(std::current_exception());
        return;
      }
      const std::lock_guard lock(mutex);
      failure = e.what();
      capture_ready.notify_all();
    }
  }

  void draw_until_stopped(SDL_Window* window, GratingProgram& program) {
    const auto period_ns = static_cast<std::int64_t>(1e9 / refresh_hz);
    const std::int64_t start_ns = monotonic_ns();
    std::int64_t last_flip_ns = 0, next_flip_ns = start_ns;
    int fast_flips = 0;
    loop::Stimulus on_screen{true, 0.0};
    std::uint64_t shown_sequence = 0;
    DisplayCapture capture;
    while (!stopping.load()) {
      SDL_Event event;
      while (SDL_PollEvent(&event) != 0) {
      }  // keeps the window responsive; closing it does not stop a session
      if (!vsync_paced) {  // the host clock stands in for the vertical blank
        next_flip_ns = std::max(next_flip_ns + period_ns, monotonic_ns());
        std::this_thread::sleep_for(std::chrono::nanoseconds(next_flip_ns - monotonic_ns()));
      }
      Command command;
      bool capturing = false;
      {
        const std::lock_guard lock(mutex);
        command = latest;
        capturing = capture_wanted;
      }
      const std::uint64_t flip = flips.load() + 1;
      const double phase = 2.0 * std::numbers::pi * settings.temporal_frequency_hz *
                           static_cast<double>(monotonic_ns() - start_ns) * 1e-9;
      program.draw(command.stimulus, phase, flip % 2 == 1);
      if (capturing) program.read_back(capture.rgb);
      SDL_GL_SwapWindow(window);
      glFinish();  // returns once the swap has happened: the time below is the flip's
      const std::int64_t now = monotonic_ns();
      flips.store(flip);
      if (last_flip_ns != 0) {
        const std::int64_t interval = now - last_flip_ns;
        if (interval * 2 > period_ns * 3) late_flips.fetch_add(1);
        fast_flips = interval * 2 < period_ns ? fast_flips + 1 : 0;
        if (vsync_paced && fast_flips >= fast_flips_without_vsync) {
          vsync_paced = false;
          next_flip_ns = now;
        }
      }
      last_flip_ns = now;
      const bool new_picture = command.sequence != 0 && command.sequence != shown_sequence &&
                               (shown_sequence == 0 || !same_picture(command.stimulus, on_screen));
      on_screen = command.stimulus;
      if (command.sequence != 0) shown_sequence = command.sequence;
      if (!new_picture && !capturing) continue;
      const std::lock_guard lock(mutex);
      if (new_picture) presentations.push_back({command.frame, command.stimulus, flip, command.commanded_ns, now});
      if (capturing) {
        capture.width = width;
        capture.height = height;
        capture.flip = flip;
        capture.photodiode_white = flip % 2 == 1;
        capture.stimulus = command.stimulus;
        captured = capture;
        capture_wanted = false;
        capture_ready.notify_all();
      }
    }
  }
};

GratingDisplay::GratingDisplay(const GratingSettings& settings) : impl_(std::make_unique<Impl>()) {
  if (display_open.exchange(true)) throw DisplayError("a grating display is already open in this process");
  impl_->settings = settings;
  std::promise<void> opened;
  std::future<void> ready = opened.get_future();
  impl_->thread = std::thread([this, &opened] { impl_->render(opened); });
  try {
    ready.get();
  } catch (...) {
    impl_->thread.join();
    display_open = false;
    throw;
  }
}

GratingDisplay::~GratingDisplay() {
  impl_->stopping = true;
  impl_->thread.join();
  display_open = false;
}

void GratingDisplay::command(std::uint64_t frame, const loop::Stimulus& stimulus) {
  const std::int64_t now = monotonic_ns();
  const std::lock_guard lock(impl_->mutex);
  impl_->latest = {impl_->latest.sequence + 1, frame, stimulus, now};
}

void GratingDisplay::take_presentations(std::vector<Presentation>& out) {
  const std::lock_guard lock(impl_->mutex);
  out.insert(out.end(), impl_->presentations.begin(), impl_->presentations.end());
  impl_->presentations.clear();
}

DisplayCapture GratingDisplay::capture() {
  std::unique_lock lock(impl_->mutex);
  impl_->captured.reset();
  impl_->capture_wanted = true;
  if (!impl_->capture_ready.wait_for(lock, std::chrono::seconds(2),
                                     [&] { return impl_->captured.has_value() || !impl_->failure.empty(); }))
    throw DisplayError("the display drew no frame within 2 s");
  if (!impl_->captured) throw DisplayError("the display stopped drawing: " + impl_->failure);
  DisplayCapture out = std::move(*impl_->captured);
  impl_->captured.reset();
  return out;
}

std::uint64_t GratingDisplay::flips() const { return impl_->flips.load(); }
std::uint64_t GratingDisplay::late_flips() const { return impl_->late_flips.load(); }
std::string GratingDisplay::failure() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->failure;
}
int GratingDisplay::width() const { return impl_->width; }
int GratingDisplay::height() const { return impl_->height; }
double GratingDisplay::refresh_hz() const { return impl_->refresh_hz; }
bool GratingDisplay::paced_by_vsync() const { return impl_->vsync_paced.load(); }
std::string GratingDisplay::renderer() const { return impl_->renderer; }

}  // namespace apical::bridge
