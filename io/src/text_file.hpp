#pragma once
// Opening and closing the text files of a run folder: failures throw std::runtime_error naming the file.
#include <fstream>
#include <stdexcept>
#include <string>

namespace apical::detail {

inline std::ofstream open_for_writing(const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path);
  return out;
}

// Flushes and reports a write error (disk full, removed folder) instead of losing it in the destructor.
inline void finish(std::ofstream& out, const std::string& path) {
  out.flush();
  if (!out) throw std::runtime_error("error while writing " + path);
}

}  // namespace apical::detail
