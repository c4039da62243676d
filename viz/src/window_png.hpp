#pragma once
// Writes what a render window shows (after Render) as an RGB PNG; std::runtime_error naming the file
// when it cannot be written.
#include <string>

class vtkRenderWindow;

namespace apical::viz::detail {

void write_window_png(vtkRenderWindow& window, const std::string& path);

}  // namespace apical::viz::detail
