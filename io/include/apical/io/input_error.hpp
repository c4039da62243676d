#pragma once
// The one error type for bad user input (cell files, scenarios, command lines). Its message names the
// file and the JSON Pointer of the offending value, e.g.
//   scenario.json: /stimuli/0/amplitude: expected a current such as "0.5 nA", got "1 mV" (a voltage)
// Internal bugs are reported with other exception types so the two never mix.
#include <stdexcept>
#include <string>

namespace apical {

class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::string json_path, std::string detail);

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] const std::string& json_path() const { return json_path_; }  // "" for the whole document
  [[nodiscard]] const std::string& detail() const { return detail_; }      // the message without location

 private:
  std::string file_, json_path_, detail_;
};

}  // namespace apical
