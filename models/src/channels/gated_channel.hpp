#pragma once
// A density channel whose current depends on V, gates and (optionally) [Ca]_i, written once as a
// Kinetics struct and looped over instances × cells here, so each channel file holds only its
// equations.
//
// Kinetics provides:
//   static MechanismInfo info();                       parameters then states (the gates)
//   static constexpr int gates;                        number of gate states
//   static constexpr bool forward_euler;               true: x += dt·(x∞ − x)/τ (NEURON's "euler");
//                                                      false: exponential Euler (NEURON's cnexp)
//   struct Constants; static Constants constants(double celsius);   per-call values (temperature factors)
//   struct Params; static Params read(const double* const* p, std::size_t c);  parameters of cell c
//   static void steady(double v, double cai, const Constants&, const Params&, double inf[], double rate[]);
//       x∞ and the relaxation rate 1/τ (ms⁻¹) of every gate
//   static Current current(double v, const double gates[], const Constants&, const Params&);
// Current densities are in mA/cm² and conductances in S/cm²; the loop converts with the node area.
// The loops over cells are branch-free after inlining, so they vectorise.
#include <cmath>
#include <vector>

#include "apical/engine/mechanism.hpp"
#include "apical/engine/simd_math.hpp"

namespace apical {

struct Current {
  double g = 0;    // dI/dV, S/cm²
  double i = 0;    // outward current density, mA/cm²
  double ica = 0;  // the Ca part of i, mA/cm²
};

// x/(1 − e^(−x/k)), with its limit k at x = 0.
inline double vtrap(double x, double k) {
  const double u = x / k;
  const double series = k * (1.0 + 0.5 * u), direct = x / (1.0 - vexp(-u));
  return std::abs(u) < 1e-6 ? series : direct;
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
    const auto constants = Kinetics::constants(ctx.celsius);
    for_each(inst, state, ctx, [&](const Slice& s, std::size_t c) {
      double inf[gate_slots], rate[gate_slots];
      Kinetics::steady(s.v[c], s.cai[c], constants, Kinetics::read(s.p, c), inf, rate);
      for (int g = 0; g < Kinetics::gates; ++g) s.x[g][c] = inf[g];
    });
  }

  void add_currents(const MechanismInstances& inst, const MechanismState& state, NodeContext& ctx) const override {
    const auto constants = Kinetics::constants(ctx.celsius);
    for_each(inst, const_cast<MechanismState&>(state), ctx, [&](const Slice& s, std::size_t c) {
      double x[gate_slots];
      for (int g = 0; g < Kinetics::gates; ++g) x[g] = s.x[g][c];
      const Current cur = Kinetics::current(s.v[c], x, constants, Kinetics::read(s.p, c));
      s.g[c] += cur.g * s.to_uS;
      s.i[c] += cur.i * s.to_uS;
      s.ica[c] += cur.ica;
    });
  }

  void advance(const MechanismInstances& inst, MechanismState& state, const NodeContext& ctx) const override {
    const auto constants = Kinetics::constants(ctx.celsius);
    const double dt = ctx.dt;
    for_each(inst, state, ctx, [&](const Slice& s, std::size_t c) {
      double inf[gate_slots], rate[gate_slots];
      Kinetics::steady(s.v[c], s.cai[c], constants, Kinetics::read(s.p, c), inf, rate);
      for (int g = 0; g < Kinetics::gates; ++g) {
        double& x = s.x[g][c];
        if constexpr (Kinetics::forward_euler)
          x += dt * rate[g] * (inf[g] - x);
        else
          x += (1.0 - vexp(-dt * rate[g])) * (inf[g] - x);
      }
    });
  }

  void derivatives(const MechanismInstances& inst, const MechanismState& state, const NodeContext& ctx,
                   std::vector<std::vector<double>>& dstate) const override {
    const auto constants = Kinetics::constants(ctx.celsius);
    const std::size_t N = static_cast<std::size_t>(ctx.n_cells);
    for_each(inst, const_cast<MechanismState&>(state), ctx, [&](const Slice& s, std::size_t c) {
      double inf[gate_slots], rate[gate_slots];
      Kinetics::steady(s.v[c], s.cai[c], constants, Kinetics::read(s.p, c), inf, rate);
      for (int g = 0; g < Kinetics::gates; ++g) dstate[g][s.k * N + c] = (inf[g] - s.x[g][c]) * rate[g];
    });
  }

 private:
  static constexpr int gate_slots = Kinetics::gates > 0 ? Kinetics::gates : 1;
  static constexpr int param_slots = 8;

  // One instance's view of the arrays, offset to its first cell, so the inner loop is unit-stride.
  struct Slice {
    std::size_t k;
    double to_uS;  // S/cm² → µS and mA/cm² → nA for this node's area
    const double* p[param_slots];
    double* x[gate_slots];
    const double* v;
    const double* cai;
    double* g;
    double* i;
    double* ica;
  };

  // f(slice, c) for every instance and cell, cells innermost.
  template <class F>
  void for_each(const MechanismInstances& inst, MechanismState& state, const NodeContext& ctx, F&& f) const {
    static_assert(param_slots >= 1);
    const std::size_t N = static_cast<std::size_t>(ctx.n_cells);
    Slice s{};
    for (std::size_t k = 0; k < inst.count(); ++k) {
      const std::size_t base = static_cast<std::size_t>(inst.node[k]) * N;
      s.k = k;
      s.to_uS = inst.area_um2[k] * 1e-2;
      for (std::size_t q = 0; q < inst.parameters.size(); ++q) s.p[q] = inst.parameters[q].data() + k * N;
      for (int g = 0; g < Kinetics::gates; ++g) s.x[g] = state.values[g].data() + k * N;
      s.v = ctx.v + base;
      s.cai = ctx.cai + base;
      s.g = ctx.g ? ctx.g + base : nullptr;
      s.i = ctx.i ? ctx.i + base : nullptr;
      s.ica = ctx.ica ? ctx.ica + base : nullptr;
      const Slice local = s;
#pragma omp simd
      for (std::size_t c = 0; c < N; ++c) f(local, c);
    }
  }

  MechanismInfo info_;
};

}  // namespace apical
