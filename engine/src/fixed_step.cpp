#include "apical/engine/fixed_step.hpp"

#include <algorithm>
#include <stdexcept>

#include "apical/engine/hines.hpp"

namespace apical {

FixedStepSolver::FixedStepSolver(const Model& model, double dt_ms, CableScheme scheme)
    : model_(model), dt_(dt_ms), scheme_(scheme) {
  if (!(dt_ms > 0.0)) throw std::invalid_argument("the time step must be positive");
  validate(model);
  const std::size_t size = model.node_count() * static_cast<std::size_t>(model.n_cells);
  g_.assign(size, 0.0);
  i_.assign(size, 0.0);
  ica_.assign(size, 0.0);
  diag_.assign(size, 0.0);
  rhs_.assign(size, 0.0);
  v_old_.assign(size, 0.0);
  neg_g_axial_.resize(model.node_count());
  for (std::size_t n = 0; n < model.node_count(); ++n) neg_g_axial_[n] = -model.cable.g_axial_uS[n];
  neg_g_axial_[model.cable.root_node] = 0.0;
  axial_sum_.assign(model.node_count(), 0.0);
  for (std::size_t n = 0; n < model.node_count(); ++n) {
    if (model.cable.parent[n] < 0) continue;
    axial_sum_[n] += model.cable.g_axial_uS[n];
    axial_sum_[static_cast<std::size_t>(model.cable.parent[n])] += model.cable.g_axial_uS[n];
  }
}

void FixedStepSolver::step(State& state) {
  if (!started_) {
    t0_ = state.t;
    started_ = true;
  }
  const Model& m = model_;
  const std::size_t N = static_cast<std::size_t>(m.n_cells);
  const std::size_t n_nodes = m.node_count();
  const double t_n = state.t;

  // 1. Events due by the middle of the step.
  for (std::size_t g = 0; g < m.groups.size(); ++g)
    m.groups[g].mechanism->deliver_events(m.groups[g].instances, state.mechanisms[g], t_n + 0.5 * dt_);

  // 2. Currents at V_n with the states of t_n, stimuli at the midpoint.
  std::fill(g_.begin(), g_.end(), 0.0);
  std::fill(i_.begin(), i_.end(), 0.0);
  std::fill(ica_.begin(), ica_.end(), 0.0);
  NodeContext ctx;
  ctx.n_cells = m.n_cells;
  ctx.t_eval = t_n + 0.5 * dt_;
  ctx.dt = dt_;
  ctx.celsius = m.celsius;
  ctx.v = state.v.data();
  ctx.g = g_.data();
  ctx.i = i_.data();
  ctx.ica = ica_.data();
  ctx.cai = state.cai.data();
  for (std::size_t g = 0; g < m.groups.size(); ++g)
    m.groups[g].mechanism->add_currents(m.groups[g].instances, state.mechanisms[g], ctx);

  // 3. The cable: (C/h + g + Σg_ax) V' − Σ g_ax V'_nb = C/h·V_n − i + g·V_n, h = dt (BE) or dt/2 (CN).
  const double h = scheme_ == CableScheme::crank_nicolson ? 0.5 * dt_ : dt_;
  const auto& cable = m.cable;
  for (std::size_t n = 0; n < n_nodes; ++n) {
    const double c_over_h = cable.capacitance_nF[n] / h;
    const double axial = axial_sum_[n];
    double* __restrict d = &diag_[n * N];
    double* __restrict r = &rhs_[n * N];
    const double* __restrict v = &state.v[n * N];
    const double* __restrict gn = &g_[n * N];
    const double* __restrict in = &i_[n * N];
    for (std::size_t c = 0; c < N; ++c) {
      d[c] = c_over_h + gn[c] + axial;
      r[c] = c_over_h * v[c] - in[c] + gn[c] * v[c];
    }
  }
  std::copy(state.v.begin(), state.v.end(), v_old_.begin());
  hines_solve(cable.parent, neg_g_axial_, m.n_cells, diag_, rhs_);

  if (scheme_ == CableScheme::crank_nicolson) {
    for (std::size_t k = 0; k < state.v.size(); ++k) state.v[k] = 2.0 * rhs_[k] - v_old_[k];
  } else {
    std::copy(rhs_.begin(), rhs_.end(), state.v.begin());
  }

  // 4. States at the new voltage. For Crank–Nicolson the states are staggered half a step behind the
  //    voltage, so V_n+1 is the midpoint of their interval and the scheme stays second order.
  ctx.v = state.v.data();
  for (std::size_t g = 0; g < m.groups.size(); ++g)
    m.groups[g].mechanism->advance(m.groups[g].instances, state.mechanisms[g], ctx);
  ++steps_;
  state.t = t0_ + static_cast<double>(steps_) * dt_;
}

void FixedStepSolver::advance_to(State& state, double t_end) {
  while (state.t < t_end - 0.5 * dt_) step(state);
}

}  // namespace apical
