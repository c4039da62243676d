#include "apical/io/input_error.hpp"

namespace apical {
namespace {

std::string compose(const std::string& file, const std::string& path, const std::string& detail) {
  std::string out = file.empty() ? std::string() : file + ": ";
  if (!path.empty()) out += path + ": ";
  return out + detail;
}

}  // namespace

InputError::InputError(std::string file, std::string json_path, std::string detail)
    : std::runtime_error(compose(file, json_path, detail)),
      file_(std::move(file)),
      json_path_(std::move(json_path)),
      detail_(std::move(detail)) {}

}  // namespace apical
