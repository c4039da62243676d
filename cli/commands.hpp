#pragma once
// The subcommands of the `apical` executable. Each returns the process exit code.
#include <stdexcept>
#include <string>
#include <vector>

namespace apical::cli {

// A malformed command line; main prints it with a pointer to --help and exits with code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

int run_command(const std::vector<std::string>& args);
int mechanisms_command(const std::vector<std::string>& args);

}  // namespace apical::cli
