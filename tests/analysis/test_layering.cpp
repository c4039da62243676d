// The analysis library is pure computation: nothing under analysis/ includes file, stream, JSON,
// HDF5 or VTK headers, and its CMake target links no apical library but the engine.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "../support/source_tree.hpp"

namespace {

bool forbidden_include(const std::string& line) {
  static const std::regex include(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  std::smatch m;
  if (!std::regex_search(line, m, include)) return false;
  std::string header = m[1];
  std::transform(header.begin(), header.end(), header.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* bad : {"nlohmann/", "vtk", "hdf5", "h5", "fstream", "iostream", "filesystem", "apical/io/",
                          "apical/models/"})
    if (header.find(bad) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("analysis includes no I/O headers and links only the engine", "[analysis][layering]") {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(APICAL_SOURCE_DIR) / "analysis";
  REQUIRE(fs::is_directory(root));
  const std::size_t scanned = apical::test::for_each_source_line(
      root, {".hpp", ".cpp"}, [](const fs::path& file, int number, const std::string& line) {
        INFO(file.string() << ":" << number << ": " << line);
        CHECK_FALSE(forbidden_include(line));
      });
  CHECK(scanned >= 20);

  std::ifstream cmake(root / "CMakeLists.txt");
  std::stringstream text;
  text << cmake.rdbuf();
  const std::string s = text.str();
  CHECK(s.find("apical_engine") != std::string::npos);
  for (const char* other : {"apical_models", "apical_io", "apical_cli", "nlohmann"}) {
    INFO(other);
    CHECK(s.find(other) == std::string::npos);
  }
}

TEST_CASE("the analysis layering check recognises forbidden includes", "[analysis][layering]") {
  CHECK(forbidden_include("#include <nlohmann/json.hpp>"));
  CHECK(forbidden_include("  #  include <fstream>"));
  CHECK(forbidden_include("#include \"apical/io/json_reader.hpp\""));
  CHECK_FALSE(forbidden_include("#include <vector>"));
  CHECK_FALSE(forbidden_include("#include \"apical/engine/random.hpp\""));
  CHECK_FALSE(forbidden_include("// #include <fstream> in a comment"));
}
