#pragma once
// Rule-independent stabilisers of the basal weights (learning_rules.md §1, §5), applied after the
// rule in every plastic frame. The hard bounds [0, w_max] and the per-update clip live in WeightMatrix.
//
//   activity cost     dW_ij/dt = −λ·r_i·x̃_j                       (gradient of λ·Σ_i r_i for a rate
//                                                                  neuron whose rate grows with W_ij·x̃_j)
//   synaptic scaling  dW_ij/dt = W_ij·(r_target,i − r̄_i)/(r_target,i·τ_s)   (multiplicative, toward
//                                                                  each neuron's own set point)
//
// λ has R3's learning-rate units (pA/Hz per Hz² per s, written "1" like every learning rate), so
// λ/η compares the cost with R3's error term directly. The activity cost pushes every active neuron
// down; teaching holds P+ up against it, and P− falls faster than P+ rises ("sparsification": the
// paper's P+ kept, P− suppressed). Scaling pulls every neuron back to its set point over τ_s, which
// keeps neurons without teaching (P0) from being driven silent by the cost.
#include <vector>

#include "apical/models/learning/plasticity.hpp"

namespace apical {

struct StabiliserParams {
  double activity_cost = 0.0;            // λ; 0: off
  double synaptic_scaling_tau_s = 0.0;   // τ_s; 0: off
};

// One frame of both stabilisers. `target_rate_hz` [N] is each neuron's set point (its mean rate in
// the day-1 calibration block); a neuron with set point 0 is not scaled.
void apply_stabilisers(const StabiliserParams& params, const FrameActivity& activity,
                       const std::vector<double>& target_rate_hz, WeightMatrix& weights);

}  // namespace apical
