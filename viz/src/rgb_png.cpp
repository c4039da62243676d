#include "apical/viz/rgb_png.hpp"

#include <algorithm>
#include <stdexcept>

#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPNGWriter.h>

namespace apical::viz {

void write_rgb_png(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgb) {
  const auto row = static_cast<std::size_t>(width) * 3;
  if (width <= 0 || height <= 0 || rgb.size() != row * static_cast<std::size_t>(height))
    throw std::invalid_argument(path + ": the image is not " + std::to_string(width) + "x" + std::to_string(height) +
                                " RGB");
  vtkNew<vtkImageData> image;
  image->SetDimensions(width, height, 1);
  image->AllocateScalars(VTK_UNSIGNED_CHAR, 3);
  auto* pixels = static_cast<std::uint8_t*>(image->GetScalarPointer());
  // VTK's rows run bottom to top.
  for (int y = 0; y < height; ++y)
    std::copy_n(rgb.begin() + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(height - 1 - y)), row,
                pixels + row * static_cast<std::size_t>(y));
  vtkNew<vtkPNGWriter> writer;
  writer->SetFileName(path.c_str());
  writer->SetInputData(image);
  writer->Write();
  if (writer->GetErrorCode() != 0) throw std::runtime_error(path + ": cannot write the picture");
}

}  // namespace apical::viz
