#include "apical/bridge/frame_processor.hpp"

#include <stdexcept>

namespace apical::bridge {
namespace {

const ReferenceImage& matching(const ReferenceImage& reference, const RoiSet& rois) {
  if (reference.width != rois.width || reference.height != rois.height)
    throw std::invalid_argument("FrameProcessor: the reference is " + std::to_string(reference.width) + "x" +
                                std::to_string(reference.height) + " but the ROI masks were drawn on " +
                                std::to_string(rois.width) + "x" + std::to_string(rois.height));
  return reference;
}

}  // namespace

FrameProcessor::FrameProcessor(const ReferenceImage& reference, RoiSet rois, const ProcessorParams& params)
    : registration_(matching(reference, rois).pixels, reference.width, reference.height, params.registration),
      extractor_(std::move(rois)),
      dff_(extractor_.rois(), params.dff),
      f_(extractor_.rois()),
      dff_values_(extractor_.rois()) {
  outcome_.f = f_;
  outcome_.dff = dff_values_;
  outcome_.f0 = dff_.f0();
}

const FrameOutcome& FrameProcessor::process(Frame& frame, loop::Decoder* decoder) {
  outcome_.shift = registration_.measure(frame.view());
  frame.stages.registered_ns = monotonic_ns();
  extractor_.extract(frame, outcome_.shift, f_);
  dff_.step(f_, dff_values_);
  frame.stages.extracted_ns = monotonic_ns();
  outcome_.decided = decoder != nullptr;
  if (decoder) {
    outcome_.decision = decoder->step(dff_values_);
    frame.stages.decided_ns = monotonic_ns();
  }
  return outcome_;
}

}  // namespace apical::bridge
