// The numerical core stays free of file formats: nothing under engine/ or models/ includes JSON, HDF5
// or VTK headers (io/ and cli/ may). Scans the source tree, so a new file is covered automatically.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

#include "../support/source_tree.hpp"

namespace {

bool forbidden_include(std::string line) {
  const auto start = line.find_first_not_of(" \t");
  if (start == std::string::npos || line.compare(start, 1, "#") != 0) return false;
  if (line.find("include", start) == std::string::npos) return false;
  std::string lower = line;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower.find("nlohmann/") != std::string::npos || lower.find("vtk") != std::string::npos ||
         lower.find("hdf5") != std::string::npos || line.find("H5") != std::string::npos;
}

}  // namespace

TEST_CASE("engine and models include no I/O or visualisation headers", "[layering]") {
  namespace fs = std::filesystem;
  std::size_t scanned = 0;
  for (const char* folder : {"engine", "models"}) {
    const fs::path root = fs::path(APICAL_SOURCE_DIR) / folder;
    REQUIRE(fs::is_directory(root));
    scanned += apical::test::for_each_source_line(
        root, {".hpp", ".cpp", ".h", ".in"}, [](const fs::path& file, int number, const std::string& line) {
          INFO(file.string() << ":" << number << ": " << line);
          CHECK_FALSE(forbidden_include(line));
        });
  }
  CHECK(scanned > 10);
}

TEST_CASE("the layering check recognises forbidden includes", "[layering]") {
  CHECK(forbidden_include("#include <nlohmann/json.hpp>"));
  CHECK(forbidden_include("  #  include <hdf5.h>"));
  CHECK(forbidden_include("#include \"H5Cpp.h\""));
  CHECK(forbidden_include("#include <vtkSmartPointer.h>"));
  CHECK_FALSE(forbidden_include("#include <vector>"));
  CHECK_FALSE(forbidden_include("// uses nlohmann/json elsewhere"));
}
