#include "apical/models/learning/stabilisers.hpp"

namespace apical {

void apply_stabilisers(const StabiliserParams& p, const FrameActivity& a, const std::vector<double>& target_rate_hz,
                       WeightMatrix& W) {
  const double dt = a.frame_s;
  const double cost_dt = p.activity_cost * dt;
  const double scale_dt = p.synaptic_scaling_tau_s > 0.0 ? dt / p.synaptic_scaling_tau_s : 0.0;
  for (std::size_t i = 0; i < W.neurons; ++i) {
    const double cost = cost_dt * a.rate_hz[i];
    const double target = target_rate_hz[i];
    const double scaling = scale_dt > 0.0 && target > 0.0 ? scale_dt * (target - a.rate_mean_hz[i]) / target : 0.0;
    if (cost == 0.0 && scaling == 0.0) continue;
    for (std::size_t j = 0; j < W.inputs; ++j) W.apply(i, j, scaling * W.at(i, j) - cost * a.presynaptic_trace[j]);
  }
}

}  // namespace apical
