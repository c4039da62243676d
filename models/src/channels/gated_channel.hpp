#pragma once
// A density channel whose current depends on V, gates and (optionally) [Ca]_i, written once as a
// Kinetics struct and looped over instances × cells here, so each channel file holds only its
// equations.
//
// Kinetics provides:
//   static MechanismInfo info();                       parameters then states (the gates)
//   static constexpr int gates;                        number of gate states
//   static constexpr bool forward_euler;               true: x += dt·(x∞ − x)/τ (NEURON's "euler")
//   struct Params; static Params read(const ParamArrays&, std::size_t j);
//   static void steady(double v, double cai, double celsius, const Params&, double inf[], double tau[]);
//   static Current current(double v, const double gates[], double celsius, const Params&);
// Current densities are in mA/cm² and conductances in S/cm²; the loop converts with the node area.
#include <cmath>
#include <vector>

#include "apical/engine/mechanism.hpp"
#include "../instance_loop.hpp"

namespace apical {

using ParamArrays = std::vector<std::vector<double>>;

struct Current {
  double g = 0;    // dI/dV, S/cm²
  double i = 0;    // outward current density, mA/cm²
  double ica = 0;  // the Ca part of i, mA/cm²
};

// x/(1 − e^(−x/k)), with its limit k at x = 0.
inline double vtrap(double x, double k) {
  const double u = x / k;
  if (std::abs(u) < 1e-6) return k * (1.0 + 0.5 * u);
  return x / (1.0 - std::exp(-u));
}

// Rate multiplier q10^((T − T_ref)/10).
inline double temperature_factor(double q10, double celsius, double reference_celsius) {
  return std::pow(q10, (celsius - reference_celsius) / 10.0);
}

template <class Kinetics>
class GatedChannel final : public Mechanism {
 public:
  GatedChannel() : info_(Kinetics::info()) {}
  [[nodiscard]] const MechanismInfo& info() const override { return info_; }

  void initialise(const MechanismInstances& inst, MechanismState& state, const NodeContext& ctx) const override {
    for_each(inst, ctx, [&](std::size_t j, std::size_t node_index, const typename Kinetics::Params& p) {
      double inf[gate_slots], tau[gate_slots];
      Kinetics::steady(ctx.v[node_index], ctx.cai[node_index], ctx.celsius, p, inf, tau);
      for (int s = 0; s < Kinetics::gates; ++s) state.values[s][j] = inf[s];
    });
  }

  void add_currents(const MechanismInstances& inst, const MechanismState& state, NodeContext& ctx) const override {
    for_each(inst, ctx, [&](std::size_t j, std::size_t node_index, const typename Kinetics::Params& p) {
      double x[gate_slots];
      for (int s = 0; s < Kinetics::gates; ++s) x[s] = state.values[s][j];
      const Current c = Kinetics::current(ctx.v[node_index], x, ctx.celsius, p);
      const double to_uS = inst.area_um2[j / static_cast<std::size_t>(inst.n_cells)] * 1e-2;
      ctx.g[node_index] += c.g * to_uS;
      ctx.i[node_index] += c.i * to_uS;
      ctx.ica[node_index] += c.ica;
    });
  }

  void advance(const MechanismInstances& inst, MechanismState& state, const NodeContext& ctx) const override {
    for_each(inst, ctx, [&](std::size_t j, std::size_t node_index, const typename Kinetics::Params& p) {
      double inf[gate_slots], tau[gate_slots];
      Kinetics::steady(ctx.v[node_index], ctx.cai[node_index], ctx.celsius, p, inf, tau);
      for (int s = 0; s < Kinetics::gates; ++s) {
        double& x = state.values[s][j];
        if constexpr (Kinetics::forward_euler)
          x += ctx.dt * (inf[s] - x) / tau[s];
        else
          x += (1.0 - std::exp(-ctx.dt / tau[s])) * (inf[s] - x);
      }
    });
  }

  void derivatives(const MechanismInstances& inst, const MechanismState& state, const NodeContext& ctx,
                   std::vector<std::vector<double>>& dstate) const override {
    for_each(inst, ctx, [&](std::size_t j, std::size_t node_index, const typename Kinetics::Params& p) {
      double inf[gate_slots], tau[gate_slots];
      Kinetics::steady(ctx.v[node_index], ctx.cai[node_index], ctx.celsius, p, inf, tau);
      for (int s = 0; s < Kinetics::gates; ++s) dstate[s][j] = (inf[s] - state.values[s][j]) / tau[s];
    });
  }

 private:
  static constexpr int gate_slots = Kinetics::gates > 0 ? Kinetics::gates : 1;

  // Calls f(j, node_index, params) for every instance and cell, cells innermost.
  template <class F>
  static void for_each(const MechanismInstances& inst, const NodeContext& ctx, F&& f) {
    for_each_instance(inst, ctx.n_cells,
                      [&](std::size_t j, std::size_t n) { f(j, n, Kinetics::read(inst.parameters, j)); });
  }

  MechanismInfo info_;
};

}  // namespace apical
