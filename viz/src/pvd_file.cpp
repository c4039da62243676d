#include "pvd_file.hpp"

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace apical::viz::detail {

void write_pvd(const std::string& path, const std::vector<PvdStep>& steps) {
  std::ofstream out(path);
  out << "<?xml version=\"1.0\"?>\n<VTKFile type=\"Collection\" version=\"0.1\" byte_order=\"LittleEndian\">\n"
         "  <Collection>\n";
  for (const PvdStep& s : steps) {
    char time[32];
    std::snprintf(time, sizeof time, "%.17g", s.time);
    out << "    <DataSet timestep=\"" << time << "\" group=\"\" part=\"0\" file=\"" << s.file << "\"/>\n";
  }
  out << "  </Collection>\n</VTKFile>\n";
  if (!out.flush()) throw std::runtime_error(path + ": cannot write the collection file");
}

}  // namespace apical::viz::detail
