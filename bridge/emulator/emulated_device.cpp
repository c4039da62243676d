#include "emulated_device.hpp"

#include <iostream>

namespace apical::emulator {

void report(const std::string& line) { std::cout << line << std::endl; }

}  // namespace apical::emulator
