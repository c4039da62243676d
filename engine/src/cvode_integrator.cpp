#include "apical/engine/cvode_integrator.hpp"

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace apical {

struct CvodeIntegrator::Impl {
  const Model& model;
  std::size_t N;
  std::vector<int> membrane_nodes;           // nodes whose voltage is an unknown
  std::vector<std::vector<int>> neighbours;  // of every node
  std::vector<std::vector<double>> neighbour_g;
  State work;                                // scratch state for RHS evaluations
  std::vector<double> g, i, ica;
  std::vector<std::vector<std::vector<double>>> dstate;
  sunindextype size = 0;
  SUNContext sun = nullptr;
  N_Vector y = nullptr;
  SUNMatrix A = nullptr;
  SUNLinearSolver LS = nullptr;
  void* cvode = nullptr;
  double t = 0;

  explicit Impl(const Model& m, const State& initial) : model(m), N(static_cast<std::size_t>(m.n_cells)), work(initial) {
    const Cable& cable = m.cable;
    neighbours.resize(cable.size());
    neighbour_g.resize(cable.size());
    for (std::size_t n = 0; n < cable.size(); ++n) {
      if (!cable.is_zero_area(static_cast<int>(n))) membrane_nodes.push_back(static_cast<int>(n));
      if (cable.parent[n] < 0) continue;
      const int p = cable.parent[n];
      neighbours[n].push_back(p);
      neighbour_g[n].push_back(cable.g_axial_uS[n]);
      neighbours[p].push_back(static_cast<int>(n));
      neighbour_g[p].push_back(cable.g_axial_uS[n]);
    }
    for (const MechanismGroup& group : m.groups)
      for (int node : group.instances.node)
        if (cable.is_zero_area(node))
          throw std::invalid_argument("CVODE: mechanism '" + group.mechanism->info().name +
                                      "' sits on zero-area node " + cable.node_name[node] +
                                      "; place it on a segment");
    std::size_t count = membrane_nodes.size() * N;
    dstate.resize(m.groups.size());
    for (std::size_t gi = 0; gi < m.groups.size(); ++gi) {
      dstate[gi] = initial.mechanisms[gi].values;
      for (const auto& s : initial.mechanisms[gi].values) count += s.size();
    }
    size = static_cast<sunindextype>(count);
    const std::size_t nn = cable.size() * N;
    g.assign(nn, 0.0);
    i.assign(nn, 0.0);
    ica.assign(nn, 0.0);
  }

  ~Impl() {
    if (cvode) CVodeFree(&cvode);
    if (LS) SUNLinSolFree(LS);
    if (A) SUNMatDestroy(A);
    if (y) N_VDestroy(y);
    if (sun) SUNContext_Free(&sun);
  }

  void pack(const State& s, double* out) const {
    std::size_t k = 0;
    for (int node : membrane_nodes)
      for (std::size_t c = 0; c < N; ++c) out[k++] = s.v[node * N + c];
    for (const MechanismState& ms : s.mechanisms)
      for (const auto& values : ms.values) k = std::copy(values.begin(), values.end(), out + k) - out;
  }

  // Unknowns into a state, then the zero-area voltages from current balance with their neighbours.
  void unpack(const double* in, State& s) const {
    std::size_t k = 0;
    for (int node : membrane_nodes)
      for (std::size_t c = 0; c < N; ++c) s.v[node * N + c] = in[k++];
    for (MechanismState& ms : s.mechanisms)
      for (auto& values : ms.values) {
        std::copy(in + k, in + k + values.size(), values.begin());
        k += values.size();
      }
    for (std::size_t n = 0; n < model.cable.size(); ++n) {
      if (!model.cable.is_zero_area(static_cast<int>(n))) continue;
      for (std::size_t c = 0; c < N; ++c) {
        double num = 0, den = 0;
        for (std::size_t j = 0; j < neighbours[n].size(); ++j) {
          num += neighbour_g[n][j] * s.v[neighbours[n][j] * N + c];
          den += neighbour_g[n][j];
        }
        s.v[n * N + c] = num / den;
      }
    }
  }

  NodeContext context(State& s, double t_eval) {
    NodeContext ctx;
    ctx.n_cells = model.n_cells;
    ctx.t_eval = t_eval;
    ctx.celsius = model.celsius;
    ctx.v = s.v.data();
    ctx.g = g.data();
    ctx.i = i.data();
    ctx.ica = ica.data();
    ctx.cai = s.cai.data();
    return ctx;
  }

  void rhs(double t_eval, const double* yin, double* ydot) {
    unpack(yin, work);
    std::fill(g.begin(), g.end(), 0.0);
    std::fill(i.begin(), i.end(), 0.0);
    std::fill(ica.begin(), ica.end(), 0.0);
    NodeContext ctx = context(work, t_eval);
    for (std::size_t gi = 0; gi < model.groups.size(); ++gi)
      model.groups[gi].mechanism->write_ions(model.groups[gi].instances, work.mechanisms[gi], ctx);
    for (std::size_t gi = 0; gi < model.groups.size(); ++gi)
      model.groups[gi].mechanism->add_currents(model.groups[gi].instances, work.mechanisms[gi], ctx);
    std::size_t k = 0;
    for (int node : membrane_nodes)
      for (std::size_t c = 0; c < N; ++c) {
        double axial = 0;
        const double v = work.v[node * N + c];
        for (std::size_t j = 0; j < neighbours[node].size(); ++j)
          axial += neighbour_g[node][j] * (work.v[neighbours[node][j] * N + c] - v);
        ydot[k++] = (axial - i[node * N + c]) / model.cable.capacitance_nF[node];
      }
    for (std::size_t gi = 0; gi < model.groups.size(); ++gi) {
      model.groups[gi].mechanism->derivatives(model.groups[gi].instances, work.mechanisms[gi], ctx, dstate[gi]);
      for (const auto& d : dstate[gi]) k = std::copy(d.begin(), d.end(), ydot + k) - ydot;
    }
  }

  static int rhs_callback(sunrealtype t, N_Vector yv, N_Vector ydotv, void* user) {
    auto* self = static_cast<Impl*>(user);
    self->rhs(t, N_VGetArrayPointer(yv), N_VGetArrayPointer(ydotv));
    return 0;
  }

  double next_stop(const State& s, double t_out) const {
    double stop = t_out;
    for (std::size_t gi = 0; gi < model.groups.size(); ++gi)
      stop = std::min(stop, model.groups[gi].mechanism->next_discontinuity(model.groups[gi].instances,
                                                                            s.mechanisms[gi], t));
    return stop;
  }
};

namespace {
void check(int flag, const char* what) {
  if (flag < 0) throw std::runtime_error(std::string("CVODE failed in ") + what + " (flag " + std::to_string(flag) + ")");
}
}  // namespace

CvodeIntegrator::CvodeIntegrator(const Model& model, const State& initial, CvodeOptions options)
    : impl_(std::make_unique<Impl>(model, initial)) {
  Impl& im = *impl_;
  im.t = initial.t;
  check(SUNContext_Create(nullptr, &im.sun), "SUNContext_Create");
  im.y = N_VNew_Serial(im.size, im.sun);
  im.pack(initial, N_VGetArrayPointer(im.y));
  im.cvode = CVodeCreate(CV_BDF, im.sun);
  if (!im.cvode) throw std::runtime_error("CVODE: could not create the integrator");
  check(CVodeInit(im.cvode, &Impl::rhs_callback, im.t, im.y), "CVodeInit");
  check(CVodeSetUserData(im.cvode, &im), "CVodeSetUserData");
  check(CVodeSStolerances(im.cvode, options.relative_tolerance, options.absolute_tolerance), "CVodeSStolerances");
  im.A = SUNDenseMatrix(im.size, im.size, im.sun);
  im.LS = SUNLinSol_Dense(im.y, im.A, im.sun);
  check(CVodeSetLinearSolver(im.cvode, im.LS, im.A), "CVodeSetLinearSolver");
  check(CVodeSetMaxNumSteps(im.cvode, 1000000), "CVodeSetMaxNumSteps");
  if (options.max_step_ms > 0) check(CVodeSetMaxStep(im.cvode, options.max_step_ms), "CVodeSetMaxStep");
  // Events due at the start time take effect before the first step.
  State s = initial;
  for (std::size_t gi = 0; gi < model.groups.size(); ++gi)
    model.groups[gi].mechanism->deliver_events(model.groups[gi].instances, s.mechanisms[gi], im.t);
  im.work = s;
  im.pack(s, N_VGetArrayPointer(im.y));
  check(CVodeReInit(im.cvode, im.t, im.y), "CVodeReInit");
}

CvodeIntegrator::~CvodeIntegrator() = default;

void CvodeIntegrator::advance_to(State& state, double t_out) {
  Impl& im = *impl_;
  const Model& model = im.model;
  while (im.t < t_out) {
    const double stop = im.next_stop(im.work, t_out);
    check(CVodeSetStopTime(im.cvode, stop), "CVodeSetStopTime");
    sunrealtype t_reached = im.t;
    check(CVode(im.cvode, stop, im.y, &t_reached, CV_NORMAL), "CVode");
    im.t = t_reached;
    im.unpack(N_VGetArrayPointer(im.y), im.work);
    if (stop < t_out || im.t >= stop) {
      // A discontinuity: apply due events and restart the multistep history.
      for (std::size_t gi = 0; gi < model.groups.size(); ++gi)
        model.groups[gi].mechanism->deliver_events(model.groups[gi].instances, im.work.mechanisms[gi], im.t);
      im.pack(im.work, N_VGetArrayPointer(im.y));
      check(CVodeReInit(im.cvode, im.t, im.y), "CVodeReInit");
    }
  }
  state = im.work;
  // [Ca] for the caller's view, as the ion pools publish it.
  NodeContext ctx = im.context(state, im.t);
  for (std::size_t gi = 0; gi < model.groups.size(); ++gi)
    model.groups[gi].mechanism->write_ions(model.groups[gi].instances, state.mechanisms[gi], ctx);
  state.t = im.t;
}

long CvodeIntegrator::steps_taken() const {
  long steps = 0;
  CVodeGetNumSteps(impl_->cvode, &steps);
  return steps;
}

}  // namespace apical
