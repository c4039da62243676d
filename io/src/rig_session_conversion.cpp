#include "apical/io/rig_session_conversion.hpp"

#include <limits>
#include <optional>

namespace apical {
namespace {

loop::Role role_of(nwb::Population population) {
  switch (population) {
    case nwb::Population::plus: return loop::Role::plus;
    case nwb::Population::minus: return loop::Role::minus;
    case nwb::Population::zero: break;
  }
  return loop::Role::zero;
}

// Column `roi` of the [frames × ROIs] ΔF/F, NaN on bad frames.
std::vector<double> trace(const nwb::SessionRecording& recording, std::size_t roi) {
  const std::size_t rois = recording.info.rois.size();
  std::vector<double> out(recording.frames);
  for (std::size_t k = 0; k < recording.frames; ++k)
    out[k] = k < recording.bad.size() && recording.bad[k] != 0 ? std::numeric_limits<double>::quiet_NaN()
                                                               : recording.dff[k * rois + roi];
  return out;
}

}  // namespace

std::vector<analysis::NeuronRecord> rig_neuron_records(const nwb::SessionRecording& recording) {
  const std::vector<nwb::Roi>& rois = recording.info.rois;
  std::vector<std::optional<std::size_t>> dendrite_of(rois.size());
  for (std::size_t i = 0; i < rois.size(); ++i)
    if (rois[i].paired_roi) dendrite_of[*rois[i].paired_roi] = i;
  std::vector<analysis::NeuronRecord> neurons;
  for (std::size_t i = 0; i < rois.size(); ++i) {
    if (rois[i].paired_roi) continue;  // a distal ROI: its cell's record holds it
    analysis::NeuronRecord neuron;
    neuron.id = static_cast<std::int32_t>(i);
    neuron.role = role_of(rois[i].population);
    neuron.soma_dff = trace(recording, i);
    if (dendrite_of[i]) neuron.dendrite_dff = trace(recording, *dendrite_of[i]);
    neurons.push_back(std::move(neuron));
  }
  return neurons;
}

}  // namespace apical
