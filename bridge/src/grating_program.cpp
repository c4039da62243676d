#include "grating_program.hpp"

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace apical::bridge {
namespace {

// L = mean·(1 + contrast·envelope·cos(2π wave·p + phase)), p in pixels from the window's centre,
// written as L^(1/γ). The wave vector carries the angle and the spatial frequency.
constexpr const char* fragment_source = R"(#version 120
uniform vec2 centre;
uniform vec2 wave;
uniform float phase;
uniform float mean_luminance;
uniform float contrast;
uniform float sigma_px;
uniform float inverse_gamma;
void main() {
  vec2 p = gl_FragCoord.xy - centre;
  float envelope = sigma_px > 0.0 ? exp(-dot(p, p) / (2.0 * sigma_px * sigma_px)) : 1.0;
  float level = mean_luminance * (1.0 + contrast * envelope * cos(6.28318530718 * dot(wave, p) + phase));
  gl_FragColor = vec4(vec3(pow(clamp(level, 0.0, 1.0), inverse_gamma)), 1.0);
}
)";

std::string shader_log(GLuint shader) {
  GLint length = 0;
  glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
  std::string text(static_cast<std::size_t>(std::max(length, 1)), '\0');
  glGetShaderInfoLog(shader, length, nullptr, text.data());
  return text;
}

std::string program_log(GLuint program) {
  GLint length = 0;
  glGetProgramiv(program, GL_INFO_LOG_LENGTH, &length);
  std::string text(static_cast<std::size_t>(std::max(length, 1)), '\0');
  glGetProgramInfoLog(program, length, nullptr, text.data());
  return text;
}

}  // namespace

GratingProgram::GratingProgram(int width, int height, const GratingInPixels& grating, ScreenCorner corner,
                               int photodiode_px)
    : width_(width), height_(height), grating_(grating), corner_(corner), photodiode_px_(photodiode_px) {
  const GLuint shader = glCreateShader(GL_FRAGMENT_SHADER);
  glShaderSource(shader, 1, &fragment_source, nullptr);
  glCompileShader(shader);
  GLint ok = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok != GL_TRUE) {
    const std::string log = shader_log(shader);
    glDeleteShader(shader);
    throw DisplayError("the grating's fragment shader does not compile: " + log);
  }
  program_ = glCreateProgram();
  glAttachShader(program_, shader);
  glLinkProgram(program_);
  glDeleteShader(shader);  // stays alive while attached
  glGetProgramiv(program_, GL_LINK_STATUS, &ok);
  if (ok != GL_TRUE) {
    const std::string log = program_log(program_);
    glDeleteProgram(program_);
    throw DisplayError("the grating's shader program does not link: " + log);
  }
  glUseProgram(program_);
  glUniform2f(glGetUniformLocation(program_, "centre"), 0.5f * float(width_), 0.5f * float(height_));
  glUniform1f(glGetUniformLocation(program_, "mean_luminance"), float(grating_.mean_luminance));
  glUniform1f(glGetUniformLocation(program_, "contrast"), float(grating_.contrast));
  glUniform1f(glGetUniformLocation(program_, "sigma_px"), float(grating_.sigma_px));
  glUniform1f(glGetUniformLocation(program_, "inverse_gamma"), float(1.0 / grating_.gamma));
  wave_ = glGetUniformLocation(program_, "wave");
  phase_ = glGetUniformLocation(program_, "phase");
  glUseProgram(0);
  glViewport(0, 0, width_, height_);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_DITHER);  // exact black and white for the photodiode and the tests
}

GratingProgram::~GratingProgram() { glDeleteProgram(program_); }

void GratingProgram::draw(const loop::Stimulus& stimulus, double phase_rad, bool photodiode_white) {
  glDisable(GL_SCISSOR_TEST);
  glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  if (!stimulus.black) {
    // The bars turn clockwise on the screen with the angle; gl_FragCoord's y points up, so the wave
    // vector at θ is f·(cos θ, −sin θ).
    const double theta = stimulus.angle_deg * std::numbers::pi / 180.0;
    glUseProgram(program_);
    const double f = grating_.cycles_per_px;
    glUniform2f(wave_, float(f * std::cos(theta)), float(-f * std::sin(theta)));
    glUniform1f(phase_, float(std::fmod(phase_rad, 2.0 * std::numbers::pi)));
    glRectf(-1.0f, -1.0f, 1.0f, 1.0f);
    glUseProgram(0);
  }
  const int side = std::min({photodiode_px_, width_, height_});
  const bool left = corner_ == ScreenCorner::top_left || corner_ == ScreenCorner::bottom_left;
  const bool bottom = corner_ == ScreenCorner::bottom_left || corner_ == ScreenCorner::bottom_right;
  glEnable(GL_SCISSOR_TEST);
  glScissor(left ? 0 : width_ - side, bottom ? 0 : height_ - side, side, side);
  const float level = photodiode_white ? 1.0f : 0.0f;
  glClearColor(level, level, level, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  glDisable(GL_SCISSOR_TEST);
}

void GratingProgram::read_back(std::vector<std::uint8_t>& rgb) const {
  const auto row = static_cast<std::size_t>(width_) * 3;
  std::vector<std::uint8_t> bottom_up(row * static_cast<std::size_t>(height_));
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width_, height_, GL_RGB, GL_UNSIGNED_BYTE, bottom_up.data());
  rgb.resize(bottom_up.size());
  for (int y = 0; y < height_; ++y)
    std::copy_n(bottom_up.begin() + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(height_ - 1 - y)), row,
                rgb.begin() + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(y)));
}

}  // namespace apical::bridge
