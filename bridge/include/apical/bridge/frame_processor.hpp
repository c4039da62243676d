#pragma once
// The rig's per-frame work between a frame source and the shared closed loop (rig.md §6–8): rigid
// shift by phase correlation, F per ROI with the masks moved by the shift, ΔF/F against the engine's
// O(1) sliding-percentile F0 (loop::DeltaFOverF), then — when given one — a step of the very
// loop::Decoder the simulation uses. Each stage stamps its time on the frame.
#include <span>
#include <vector>

#include "apical/bridge/frame.hpp"
#include "apical/bridge/phase_correlation.hpp"
#include "apical/bridge/reference_image.hpp"
#include "apical/bridge/roi_extractor.hpp"
#include "apical/engine/loop/decoder.hpp"
#include "apical/engine/loop/dff.hpp"

namespace apical::bridge {

struct ProcessorParams {
  RegistrationParams registration;
  loop::DffParams dff;  // F0 window and quantile (engine defaults: 870 frames, 10th percentile)
};

struct FrameOutcome {
  Shift shift;
  std::span<const double> f;    // raw F per ROI
  std::span<const double> f0;   // F0 per ROI (the sliding percentile)
  std::span<const double> dff;  // ΔF/F per ROI, as the decoder sees it
  bool decided = false;
  loop::DecoderOutput decision;
};

class FrameProcessor {
 public:
  // FFTW plans are made here (start-up), from this thread. Throws std::invalid_argument when the
  // reference and the ROI masks disagree in size.
  FrameProcessor(const ReferenceImage& reference, RoiSet rois, const ProcessorParams& params = {});

  // Seeds every ROI's F0 window from a raw-F block (frames × ROIs), e.g. the calibration block.
  void seed_baseline(const loop::FrameBlock& raw_f) { dff_.seed(raw_f); }
  // One frame; steps `decoder` when it is not null. The outcome's spans stay valid until the next call.
  const FrameOutcome& process(Frame& frame, loop::Decoder* decoder = nullptr);

  [[nodiscard]] std::size_t rois() const { return extractor_.rois(); }
  [[nodiscard]] const PhaseCorrelation& registration() const { return registration_; }
  [[nodiscard]] const RoiExtractor& extractor() const { return extractor_; }

 private:
  PhaseCorrelation registration_;
  RoiExtractor extractor_;
  loop::DeltaFOverF dff_;
  std::vector<double> f_, dff_values_;
  FrameOutcome outcome_;
};

}  // namespace apical::bridge
