#pragma once
// ParaView's collection file (.pvd): one dataset per time step, so that ParaView opens the whole
// series as one time-varying source.
#include <string>
#include <vector>

namespace apical::viz::detail {

struct PvdStep {
  double time = 0;
  std::string file;  // relative to the .pvd file
};

// std::runtime_error naming the file when it cannot be written.
void write_pvd(const std::string& path, const std::vector<PvdStep>& steps);

}  // namespace apical::viz::detail
