#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "apical/io/morphology_file.hpp"

namespace apical {

std::string line_location(int line) { return line > 0 ? "line " + std::to_string(line) : std::string(); }

ImportedCell load_morphology(const std::string& path, const ImportOptions& options) {
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
  const Reconstruction reconstruction =
      extension == ".swc" ? read_swc_text(text.str(), path) : read_neurolucida_text(text.str(), path);
  try {
    return cell_from_reconstruction(reconstruction, file.stem().string(), options);
  } catch (const ReconstructionError& e) {
    throw InputError(path, line_location(e.line()), e.what());
  }
}

}  // namespace apical
