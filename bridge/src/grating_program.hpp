#pragma once
// The OpenGL side of the grating display: one GLSL 1.20 fragment program that computes the grating per
// pixel over a full-window rectangle, and the photodiode patch as a scissored clear. Needs a current
// OpenGL 2.1 context (compatibility profile; Mesa's llvmpipe has one); every call on the thread that
// owns it.
#include <cstdint>
#include <vector>

#include "apical/bridge/grating_display.hpp"

namespace apical::bridge {

// The grating's parameters in pixels, from GratingSettings and the drawable size.
struct GratingInPixels {
  double cycles_per_px = 0;
  double sigma_px = 0;   // 0: no envelope
  double contrast = 1, mean_luminance = 0.5, gamma = 1;
};

class GratingProgram {
 public:
  // Compiles and links the program; DisplayError with the compiler's log if it fails.
  GratingProgram(int width, int height, const GratingInPixels& grating, ScreenCorner corner, int photodiode_px);
  ~GratingProgram();
  GratingProgram(const GratingProgram&) = delete;
  GratingProgram& operator=(const GratingProgram&) = delete;

  // Draws into the back buffer: black or the grating at `phase_rad`, then the photodiode patch.
  void draw(const loop::Stimulus& stimulus, double phase_rad, bool photodiode_white);
  // The back buffer as RGB rows, top to bottom.
  void read_back(std::vector<std::uint8_t>& rgb) const;

 private:
  int width_, height_;
  GratingInPixels grating_;
  ScreenCorner corner_;
  int photodiode_px_;
  unsigned program_ = 0;
  int wave_ = -1, phase_ = -1;  // uniform locations set every frame
};

}  // namespace apical::bridge
