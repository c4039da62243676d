#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "apical/io/morphology_file.hpp"

namespace apical {

std::string line_location(int line) { return line > 0 ? "line " + std::to_string(line) : std::string(); }

Reconstruction read_reconstruction_file(const std::string& path) {
  const std::filesystem::path file(path);
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension != ".swc" && extension != ".asc")
    throw InputError(path, "", "unknown morphology format '" + extension + "': apical reads .swc (SWC) and .asc "
                               "(Neurolucida ASCII) files");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  return extension == ".swc" ? read_swc_text(text.str(), path) : read_neurolucida_text(text.str(), path);
}

ImportedCell load_morphology(const std::string& path, const ImportOptions& options) {
  const Reconstruction reconstruction = read_reconstruction_file(path);
  try {
    return cell_from_reconstruction(reconstruction, std::filesystem::path(path).stem().string(), options);
  } catch (const ReconstructionError& e) {
    throw InputError(path, line_location(e.line()), e.what());
  }
}

}  // namespace apical
