// tiff-replay: the pages of a multi-page 16-bit TIFF (ScanImage or suite2p style) released at a set
// frame rate (FramePacer), the rig's main test fixture (rig.md §2). Frames are numbered by page (seq),
// optionally looping over the file.
#include "apical/bridge/frame_pacer.hpp"
#include "apical/bridge/frame_source.hpp"
#include "apical/bridge/tiff_stack.hpp"

namespace apical::bridge {
namespace {

using std::chrono::milliseconds;

// A file that cannot be read is a config error at the "path" key.
TiffReader open_tiff(const SourceSettings& s) {
  try {
    return TiffReader(s.text("path"));
  } catch (const std::runtime_error& e) {
    s.fail("path", e.what());
  }
}

class TiffReplay final : public FrameSource {
 public:
  TiffReplay(const SourceSettings& s, EventLog log)
      : FrameSource(std::move(log)),
        tiff_(open_tiff(s)),
        pacer_(s.number("rate")),
        loop_(s.flag("loop")) {
    if (tiff_.pages() == 0) s.fail("path", "TIFF '" + tiff_.path() + "' has no pages");
  }

  FetchStatus next(Frame& into, milliseconds timeout) override {
    if (released_ == tiff_.pages() && !loop_) return FetchStatus::end;
    if (!pacer_.wait_for(released_, timeout)) return FetchStatus::timeout;
    const std::uint64_t clamped_before = tiff_.clamped_pixels();
    tiff_.read(released_ % tiff_.pages(), into);
    if (tiff_.clamped_pixels() > clamped_before)
      log("CLAMPED " + std::to_string(tiff_.clamped_pixels() - clamped_before) + " negative int16 pixels to 0 on page " +
          std::to_string(into.seq));
    into.seq = released_++;
    into.acquired_ns = 0;
    into.sender_ns = 0;
    into.stages = StageTimes{};
    into.stages.received_ns = monotonic_ns();
    ++counters_.frames;
    return FetchStatus::frame;
  }

  [[nodiscard]] std::string describe() const override {
    return "tiff-replay of '" + tiff_.path() + "' (" + std::to_string(tiff_.pages()) + " pages of " +
           std::to_string(tiff_.width()) + "x" + std::to_string(tiff_.height()) + ")";
  }

 private:
  TiffReader tiff_;
  FramePacer pacer_;
  bool loop_;
  std::uint64_t released_ = 0;
};

}  // namespace

void register_tiff_replay(FrameSourceRegistry& registry) {
  using Kind = SourceParameter::Kind;
  registry.add({"tiff-replay",
                "the pages of a multi-page 16-bit TIFF (uint16, or int16 with negatives clamped to 0) at a set frame rate",
                {{"path", Kind::text, "1", 0, 0, {}, nullptr, "the TIFF file"},
                 {"rate", Kind::quantity, "Hz", 0.01, 10000, {}, nullptr, "frames per second to release"},
                 {"loop", Kind::flag, "1", 0, 0, {}, false, "start again at page 0 after the last page"}}},
                [](const SourceSettings& s, EventLog log) { return std::make_unique<TiffReplay>(s, std::move(log)); });
}

}  // namespace apical::bridge
