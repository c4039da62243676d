#include "window_png.hpp"

#include <stdexcept>

#include <vtkNew.h>
#include <vtkPNGWriter.h>
#include <vtkRenderWindow.h>
#include <vtkWindowToImageFilter.h>

namespace apical::viz::detail {

void write_window_png(vtkRenderWindow& window, const std::string& path) {
  vtkNew<vtkWindowToImageFilter> capture;
  capture->SetInput(&window);
  capture->SetInputBufferTypeToRGB();
  capture->ReadFrontBufferOff();
  vtkNew<vtkPNGWriter> writer;
  writer->SetFileName(path.c_str());
  writer->SetInputConnection(capture->GetOutputPort());
  writer->Write();
  if (writer->GetErrorCode() != 0) throw std::runtime_error(path + ": cannot write the picture");
}

}  // namespace apical::viz::detail
