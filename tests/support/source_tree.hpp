#pragma once
// Walks the source files of a folder and hands every line to a check, for the layering tests that
// keep I/O headers out of the numerical libraries. Returns the number of files scanned.
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>

namespace apical::test {

template <class LineCheck>
std::size_t for_each_source_line(const std::filesystem::path& root, std::initializer_list<const char*> extensions,
                                 LineCheck&& check) {
  std::size_t scanned = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    const std::string ext = entry.path().extension().string();
    bool wanted = false;
    for (const char* e : extensions) wanted = wanted || ext == e;
    if (!wanted) continue;
    ++scanned;
    std::ifstream in(entry.path());
    int number = 0;
    for (std::string line; std::getline(in, line);) check(entry.path(), ++number, line);
  }
  return scanned;
}

}  // namespace apical::test
