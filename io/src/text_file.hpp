#pragma once
// Opening and closing the text files of a run folder, and copying inputs into it: failures throw
// std::runtime_error naming the file.
#include <filesystem>
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

// Whether `copy` already is `original` (a copied scenario rerun into its own folder).
inline bool is_same_file(const std::filesystem::path& original, const std::filesystem::path& copy) {
  std::error_code ec;
  return std::filesystem::exists(copy, ec) && std::filesystem::equivalent(original, copy, ec);
}

// Copies an input into a run folder; never onto itself.
inline void copy_input(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (is_same_file(from, to)) return;
  std::error_code ec;
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) throw std::runtime_error("cannot copy " + from.string() + " to " + to.string() + ": " + ec.message());
}

}  // namespace apical::detail
