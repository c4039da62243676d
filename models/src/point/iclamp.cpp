// iclamp — current clamp (NEURON's IClamp): amp nA injected while delay <= t < delay + dur. A
// fixed step evaluates t at its midpoint, so onsets off the step grid round as NEURON's do.
#include <limits>

#include "apical/engine/registry.hpp"
#include "../instance_loop.hpp"

namespace apical {
namespace {

class IClamp final : public Mechanism {
 public:
  [[nodiscard]] const MechanismInfo& info() const override { return info_; }
  void initialise(const MechanismInstances&, MechanismState&, const NodeContext&) const override {}
  void add_currents(const MechanismInstances& inst, const MechanismState&, NodeContext& ctx) const override {
    const auto& P = inst.parameters;
    for_each_instance(inst, ctx.n_cells, [&](std::size_t j, std::size_t n) {
      const bool on = P[delay][j] <= ctx.t_eval && ctx.t_eval < P[delay][j] + P[dur][j];
      if (on) ctx.i[n] -= P[amp][j];  // injected current is inward
    });
  }
  void advance(const MechanismInstances&, MechanismState&, const NodeContext&) const override {}
  void derivatives(const MechanismInstances&, const MechanismState&, const NodeContext&,
                   std::vector<std::vector<double>>&) const override {}
  [[nodiscard]] double next_discontinuity(const MechanismInstances& inst, const MechanismState&, double t) const override {
    double next = std::numeric_limits<double>::infinity();
    const auto& P = inst.parameters;
    for (std::size_t j = 0; j < P[delay].size(); ++j) {
      if (P[amp][j] == 0.0) continue;
      if (P[delay][j] > t) next = std::min(next, P[delay][j]);
      if (P[delay][j] + P[dur][j] > t) next = std::min(next, P[delay][j] + P[dur][j]);
    }
    return next;
  }

 private:
  enum { delay, dur, amp };
  MechanismInfo info_{"iclamp", MechanismKind::point_process, "Current clamp (NEURON IClamp)", "",
                      {{"delay", "ms", 0.0, 0.0, 1e9, "onset"},
                       {"dur", "ms", 0.0, 0.0, 1e9, "duration"},
                       {"amp", "nA", 0.0, -1e3, 1e3, "amplitude (positive depolarises)"}},
                      {}};
};

}  // namespace

void register_iclamp(MechanismRegistry& registry) { registry.add(std::make_shared<IClamp>()); }

}  // namespace apical
