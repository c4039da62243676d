#include <filesystem>
#include <fstream>

#include "apical/io/cell_file.hpp"
#include "apical/io/json_reader.hpp"
#include "cell_morphology.hpp"
#include "text_file.hpp"

namespace apical {

std::vector<std::string> copy_cell_file(const std::string& path, const std::string& destination) {
  namespace fs = std::filesystem;
  const nlohmann::json document = read_json_file(path);
  if (!document.contains("morphology")) {
    detail::copy_input(path, destination);
    return {destination};
  }
  // The morphology goes beside the copy under its own name, which the copy then gives as a plain
  // relative path; the rest of the document is unchanged, in its order of keys.
  const fs::path morphology = detail::resolve_morphology_file(
      JsonValue(document["morphology"]["file"], path, "/morphology/file"), fs::path(path).parent_path().string());
  const fs::path morphology_copy = fs::path(destination).parent_path() / morphology.filename();
  detail::copy_input(morphology, morphology_copy);
  if (!detail::is_same_file(path, destination)) {
    std::ifstream in(path, std::ios::binary);
    nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(in);
    ordered["morphology"]["file"] = morphology.filename().string();
    std::ofstream out = detail::open_for_writing(destination);
    out << ordered.dump(2) << '\n';
    detail::finish(out, destination);
  }
  return {destination, morphology_copy.string()};
}

}  // namespace apical
