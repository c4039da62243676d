#include "apical/engine/model.hpp"

#include <stdexcept>

namespace apical {

int Model::group_index(const std::string& mechanism_name) const {
  for (std::size_t g = 0; g < groups.size(); ++g)
    if (groups[g].mechanism->info().name == mechanism_name) return static_cast<int>(g);
  return -1;
}

void validate(const Model& model) {
  if (model.n_cells < 1) throw std::invalid_argument("a model needs at least one cell");
  bool seen_pool = false;
  const std::size_t N = static_cast<std::size_t>(model.n_cells);
  for (const MechanismGroup& group : model.groups) {
    const MechanismInfo& info = group.mechanism->info();
    const bool pool = info.kind == MechanismKind::ion_pool;
    if (seen_pool && !pool)
      throw std::invalid_argument("mechanism '" + info.name + "' follows an ion pool; ion pools must come last");
    seen_pool = seen_pool || pool;
    const MechanismInstances& inst = group.instances;
    if (inst.n_cells != model.n_cells || inst.area_um2.size() != inst.count() ||
        inst.parameters.size() != info.parameters.size())
      throw std::invalid_argument("mechanism '" + info.name + "': instance arrays do not match the model");
    for (const auto& p : inst.parameters)
      if (p.size() != inst.count() * N)
        throw std::invalid_argument("mechanism '" + info.name + "': a parameter array has the wrong size");
    for (int node : inst.node)
      if (node < 0 || node >= static_cast<int>(model.node_count()))
        throw std::invalid_argument("mechanism '" + info.name + "' is placed on a node that does not exist");
    if (info.uses_events && inst.event_times.size() != inst.count() * N)
      throw std::invalid_argument("mechanism '" + info.name + "': one spike list per instance and cell is needed");
  }
}

State initial_state(const Model& model) {
  validate(model);
  const std::size_t N = static_cast<std::size_t>(model.n_cells);
  State state;
  state.v.assign(model.node_count() * N, model.v_init_mV);
  state.cai.assign(model.node_count() * N, model.cai_init_mM);
  state.mechanisms.resize(model.groups.size());
  NodeContext ctx;
  ctx.n_cells = model.n_cells;
  ctx.celsius = model.celsius;
  ctx.v = state.v.data();
  ctx.cai = state.cai.data();
  for (std::size_t g = 0; g < model.groups.size(); ++g) {
    const MechanismGroup& group = model.groups[g];
    const MechanismInfo& info = group.mechanism->info();
    MechanismState& ms = state.mechanisms[g];
    ms.values.assign(info.states.size(), std::vector<double>(group.instances.count() * N, 0.0));
    ms.next_event.assign(info.uses_events ? group.instances.count() * N : 0, 0);
  }
  // Ion pools first, so channels that read [Ca] start from the pools' initial concentration.
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t g = 0; g < model.groups.size(); ++g) {
      const bool pool = model.groups[g].mechanism->info().kind == MechanismKind::ion_pool;
      if (pool != (pass == 0)) continue;
      model.groups[g].mechanism->initialise(model.groups[g].instances, state.mechanisms[g], ctx);
      model.groups[g].mechanism->write_ions(model.groups[g].instances, state.mechanisms[g], ctx);
    }
  return state;
}

}  // namespace apical
