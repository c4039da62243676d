#include "apical/io/run_cohort_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <regex>

#include "apical/io/bci_mouse_file.hpp"
#include "apical/io/input_error.hpp"
#include "apical/io/session_conversion.hpp"

namespace apical {

std::vector<std::string> run_folder_mouse_files(const std::string& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(folder, ec)) throw InputError(folder, "", "no such folder");
  if (!fs::is_directory(folder, ec)) throw InputError(folder, "", "not a folder (expected a run folder)");
  const fs::path mice = fs::path(folder) / "mice";
  const std::string hint = "not the run folder of a bci_cohort scenario (expected mice/m00.h5, ...)";
  if (!fs::is_directory(mice, ec)) throw InputError(folder, "", hint);
  static const std::regex mouse_file(R"(m\d+\.h5)");
  std::vector<std::string> files;
  for (const fs::directory_entry& e : fs::directory_iterator(mice, ec))
    if (std::regex_match(e.path().filename().string(), mouse_file)) files.push_back(e.path().string());
  if (ec) throw InputError(mice.string(), "", "cannot list the folder: " + ec.message());
  if (files.empty()) throw InputError(folder, "", hint);
  // Mouse order: m9 before m10 (names differ only in their digits, so shorter is smaller).
  std::sort(files.begin(), files.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  return files;
}

analysis::Cohort read_run_cohort(const std::string& folder) {
  analysis::Cohort cohort;
  bool first = true;
  for (const std::string& path : run_folder_mouse_files(folder)) {
    const MouseFileReader reader(path);
    if (first) cohort.name = reader.scenario();
    first = false;
    // One SessionRecord at a time: only the analysis copy stays in memory.
    for (const std::string& group : reader.sessions()) cohort.sessions.push_back(to_analysis_session(reader.session(group)));
  }
  return cohort;
}

}  // namespace apical
