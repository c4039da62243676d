#pragma once
// Visits every (instance, cell) pair of a mechanism, cells innermost: f(j, node_index) with j the
// index into parameter/state arrays and node_index the index into node arrays.
#include <cstddef>

#include "apical/engine/mechanism.hpp"

namespace apical {

template <class F>
void for_each_instance(const MechanismInstances& inst, int n_cells, F&& f) {
  const std::size_t N = static_cast<std::size_t>(n_cells);
  for (std::size_t k = 0; k < inst.count(); ++k) {
    const std::size_t base = static_cast<std::size_t>(inst.node[k]) * N;
    for (std::size_t c = 0; c < N; ++c) f(k * N + c, base + c);
  }
}

}  // namespace apical
