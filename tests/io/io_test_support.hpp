#pragma once
// Temporary folders and small files for the io and CLI tests.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

namespace apical::test {

// A fresh folder under the system temp directory, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::random_device seed;  // only to make concurrent test runs use different folders
    std::mt19937_64 rng(seed());
    for (int attempt = 0; attempt < 100; ++attempt) {
      path_ = std::filesystem::temp_directory_path() / ("apical_test_" + std::to_string(rng()));
      if (std::filesystem::create_directory(path_)) return;
    }
    throw std::runtime_error("cannot create a temporary folder");
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

  // Writes `text` to `name` inside the folder and returns the full path.
  std::string write(const std::string& name, const std::string& text) const {
    const auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A two-section test cell: a soma with hh and a tapered dendrite with pas and a Ca pool.
inline const char* tiny_cell_json = R"~({
  "format": "apical-cell", "format_version": 1, "name": "tiny",
  "temperature": "6.3 degC", "v_init": "-65 mV",
  "sections": [
    {"name": "soma", "parent": null, "length": "20 um", "diameter": "20 um", "nseg": 1,
     "Ra": "100 ohm cm", "cm": "1 uF/cm2"},
    {"name": "dend", "parent": "soma(1)", "length": "200 um", "diameter": ["2 um", "1 um"], "nseg": 4,
     "Ra": "100 ohm cm", "cm": "1 uF/cm2"}
  ],
  "mechanisms": [
    {"mechanism": "hh", "sections": ["soma"]},
    {"mechanism": "pas", "sections": ["dend"], "parameters": {"g": "0.0001 S/cm2", "e": "-65 mV"}},
    {"mechanism": "cad", "sections": ["dend"]}
  ]
})~";

}  // namespace apical::test
