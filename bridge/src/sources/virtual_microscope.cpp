// virtual-microscope: frames of simulated L5 neurons (one virtual mouse of a bci_cohort scenario,
// simulated_activity.hpp) rendered with GCaMP brightness, neuropil, shot noise and brain motion
// (virtual_microscope.hpp), released at a set rate, so `apical rig` runs fully in silico. The
// activity is simulated when the source is made (a few CPU-seconds); frames are paced by FramePacer,
// as for tiff-replay.
#include <filesystem>

#include "apical/bridge/frame_pacer.hpp"
#include "apical/bridge/frame_source.hpp"
#include "apical/bridge/virtual_microscope.hpp"

namespace apical::bridge {
namespace {

using std::chrono::milliseconds;

// The scenario's own errors name the scenario file and key; the rest are errors at this source's keys.
VirtualMicroscope make_microscope(const SourceSettings& s) {
  const std::string path = s.text("path");
  if (!std::filesystem::exists(path)) s.fail("path", "no scenario file '" + path + "'");
  const BciScenario scenario = load_bci_scenario(path);
  const auto frames = static_cast<std::size_t>(std::llround(s.number("duration") * 60.0 * bci::frame_rate_Hz));
  SimulatedActivity activity;
  try {
    activity = simulate_activity(scenario, static_cast<std::uint64_t>(s.integer("mouse")), frames);
  } catch (const std::exception& e) {
    s.fail("mouse", e.what());
  }
  VirtualMicroscopeParams p;
  p.width = static_cast<std::uint32_t>(s.integer("width"));
  p.height = static_cast<std::uint32_t>(s.integer("height"));
  p.seed = static_cast<std::uint64_t>(s.integer("seed"));
  p.soma_diameter_px = s.number("soma_diameter");
  p.neuropil_level = s.number("neuropil");
  p.photons_per_unit = s.number("photons_per_unit");
  p.motion_px = s.number("motion");
  p.planes = static_cast<std::uint32_t>(s.integer("planes"));
  try {
    return VirtualMicroscope(std::move(activity), p);
  } catch (const std::invalid_argument& e) {
    s.fail("width", e.what());
  }
}

class VirtualMicroscopeSource final : public FrameSource {
 public:
  VirtualMicroscopeSource(const SourceSettings& s, EventLog log)
      : FrameSource(std::move(log)),
        microscope_(make_microscope(s)),
        pacer_(s.number("rate")),
        loop_(s.flag("loop")),
        scenario_(s.text("path")),
        mouse_(s.integer("mouse")) {}

  FetchStatus next(Frame& into, milliseconds timeout) override {
    if (released_ == microscope_.frames() && !loop_) return FetchStatus::end;
    if (!pacer_.wait_for(released_, timeout)) return FetchStatus::timeout;
    microscope_.render(released_++, into);
    into.stages.received_ns = monotonic_ns();
    ++counters_.frames;
    return FetchStatus::frame;
  }

  [[nodiscard]] std::string describe() const override {
    const VirtualMicroscopeParams& p = microscope_.params();
    return "virtual-microscope of mouse " + std::to_string(mouse_) + " of '" + scenario_ + "' (" +
           std::to_string(microscope_.somata().size()) + " neurons, " + std::to_string(microscope_.frames()) +
           " frames of " + std::to_string(p.width) + "x" + std::to_string(p.height) +
           (p.planes == 2 ? ", proximal and distal planes alternating" : "") + ")";
  }

 private:
  VirtualMicroscope microscope_;
  FramePacer pacer_;
  bool loop_;
  std::string scenario_;
  long long mouse_;
  std::uint64_t released_ = 0;
};

}  // namespace

void register_virtual_microscope(FrameSourceRegistry& registry) {
  using Kind = SourceParameter::Kind;
  registry.add(
      {"virtual-microscope",
       "simulated L5 neurons of one virtual mouse rendered as two-photon frames (GCaMP7f, neuropil, shot noise, "
       "brain motion): docs/virtual-microscope.md",
       {{"path", Kind::text, "1", 0, 0, {}, nullptr, "the bci_cohort scenario whose mouse is imaged"},
        {"mouse", Kind::integer, "1", 0, 1e9, {}, 0, "the mouse's index in the scenario's cohort"},
        {"duration", Kind::quantity, "min", 0.01, 1440, {}, "10 min", "simulated activity (day-1 session) before it repeats or ends"},
        {"width", Kind::integer, "1", 16, 4096, {}, 512, "pixels per line"},
        {"height", Kind::integer, "1", 16, 4096, {}, 512, "lines per frame"},
        {"rate", Kind::quantity, "Hz", 0.01, 10000, {}, "15 Hz", "frames per second to release (the activity is 15 Hz)"},
        {"seed", Kind::integer, "1", 0, 1e15, {}, 1, "layout, neuropil, motion and noise (the scenario seeds the mouse)"},
        {"soma_diameter", Kind::quantity, "1", 3, 100, {}, 12, "mean soma long axis, px"},
        {"neuropil", Kind::quantity, "1", 0, 10, {}, 0.5, "neuropil brightness relative to the mean soma F"},
        {"photons_per_unit", Kind::quantity, "1", 1e-4, 1e4, {}, 0.2, "photons per a.u. of F per pixel per frame (shot noise)"},
        {"motion", Kind::quantity, "1", 0, 50, {}, 2, "brain motion amplitude, px (0: none)"},
        {"planes", Kind::integer, "1", 1, 2, {}, 1,
         "1: the BCI plane; 2: proximal and distal planes alternating frame by frame (ETL), 'rate' counting both"},
        {"loop", Kind::flag, "1", 0, 0, {}, false, "repeat the activity and motion after the last frame"}}},
      [](const SourceSettings& s, EventLog log) { return std::make_unique<VirtualMicroscopeSource>(s, std::move(log)); });
}

}  // namespace apical::bridge
