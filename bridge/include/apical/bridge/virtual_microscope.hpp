#pragma once
// A virtual two-photon microscope: simulated neurons (SimulatedActivity) rendered into uint16 frames
// with GCaMP brightness, neuropil, shot noise and brain motion, so that the whole rig pipeline can run
// in silico (docs/virtual-microscope.md). Everything is a pure function of the activity, the
// parameters and the frame index k; frame k shows activity frame k mod frames (a loop repeats the
// activity and the motion, never the noise).
//
// Scene (expected brightness in the model's F units, a.u.) at pixel centre (x, y) of frame k, with
// t = k mod frames and d(t) the content displacement:
//
//   s_k(x, y) = Σ_i e_i · F_i(t) · m_i(x − dx, y − dy) + b · B(x − dx, y − dy) · (1 + c · a(t))
//
//   m_i   soma footprint: a filled ellipse (long axis soma_diameter_px · U(0.85, 1.15), aspect
//         U(0.75, 1), random angle) with a 1.5-px smooth rim, its nucleus (the inner 55 % of the
//         radius) at nucleus_brightness: GCaMP is cytosolic, so somata look like bright rings
//   e_i   expression level, log-normal with mean 1 and CV expression_cv
//   F_i   the neuron's raw somatic F (a.u.; includes the indicator model's own background F_bg)
//   b     neuropil level: neuropil_level × the mean F of all neurons over the activity
//   B     smooth spatial pattern, 1 + four random cosine products of 60–250 px wavelength (±0.3)
//   a(t)  the shared neuropil signal: the mean over neurons of F_i(t)/F̄_i − 1 (population ΔF/F)
//   c     neuropil_coupling
//
// Pixel value: p = n / photons_per_unit (rounded, clamped to 0 … 65535) with n ~ Poisson(photons_per_unit
// · s): shot noise in the model's F units, so a ROI's mean pixel value is on the scale of F. The Poisson
// draw is exact (inversion) below a mean of 16 photons and normal above, the normal variate being a
// sum of four uniforms (mean and variance exact, tails cut at ±3.5 SD: fine for shot noise, cheap).
//
// Motion (rigid, sub-pixel, lateral only; rendered by evaluating the scene at shifted coordinates, so
// the true displacement is known exactly) with amplitude A = motion_px:
//
//   d(t) = drift(t) + A · (0.25, 0.5) · sin(2π · breathing_hz · t/f + φ)
//   drift: Ornstein–Uhlenbeck per axis from 0, stationary SD A/2, time constant drift_tau_s
//
// The displacement follows phase_correlation.hpp: frame(x, y) = motionless(x − dx, y − dy), so the
// registration should measure (dx, dy).
//
// | Parameter          | Default | Unit      | Meaning                                              |
// |--------------------|---------|-----------|------------------------------------------------------|
// | width, height      | 512     | px        | frame size                                           |
// | seed               | 1       | 1         | layout, expression, neuropil pattern, motion, noise  |
// | soma_diameter_px   | 12      | px        | mean long axis of a soma                             |
// | nucleus_brightness | 0.35    | 1         | nucleus brightness relative to the cytoplasm         |
// | expression_cv      | 0.25    | 1         | spread of brightness between neurons                 |
// | neuropil_level     | 0.5     | 1         | neuropil brightness / mean soma F                    |
// | neuropil_coupling  | 0.5     | 1         | how far neuropil follows population ΔF/F             |
// | photons_per_unit   | 0.2     | 1/a.u.    | detected photons per a.u. of F per pixel per frame   |
// | motion_px          | 2       | px        | motion amplitude A (0: no motion)                    |
// | breathing_hz       | 3       | Hz        | breathing oscillation                                |
// | drift_tau_s        | 10      | s         | time constant of the slow drift                      |
//
// Somata are placed at random, at least 1.2 diameters apart (centre to centre) and at least one
// diameter plus 3·A from every edge, so the ROIs stay inside the frame as the brain moves. Not
// modelled: the dendrite plane, z-motion, scan-line timing within a frame, PMT gain noise, bleaching.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "apical/bridge/frame.hpp"
#include "apical/bridge/rois.hpp"
#include "apical/bridge/simulated_activity.hpp"

namespace apical::bridge {

struct VirtualMicroscopeParams {
  std::uint32_t width = 512, height = 512;
  std::uint64_t seed = 1;
  double soma_diameter_px = 12.0;
  double nucleus_brightness = 0.35;
  double expression_cv = 0.25;
  double neuropil_level = 0.5;
  double neuropil_coupling = 0.5;
  double photons_per_unit = 0.2;
  double motion_px = 2.0;
  double breathing_hz = 3.0;
  double drift_tau_s = 10.0;
};

// Content displacement of a frame against the motionless field, px.
struct Displacement {
  double dx = 0, dy = 0;
};

struct Soma {
  double x = 0, y = 0;             // centre on the motionless field, px (pixel centres at integers)
  double semi_major = 0, semi_minor = 0;  // px
  double angle = 0;                // of the long axis, rad
  double expression = 1;           // e_i
};

class VirtualMicroscope {
 public:
  // Throws std::invalid_argument for bad parameters (naming the parameter) or when the somata do not
  // fit into the field.
  VirtualMicroscope(SimulatedActivity activity, const VirtualMicroscopeParams& params);

  // Frame k as the microscope records it: moved by motion(k), with shot noise; seq = k.
  void render(std::uint64_t k, Frame& into);
  // Frame k's activity and noise with the content moved by `d` instead (d = {0, 0}: the motionless field).
  void render(std::uint64_t k, Displacement d, Frame& into);
  // The noise-free scene s_k at displacement d, row-major floats (for tests and references).
  void render_scene(std::uint64_t k, Displacement d, std::span<float> into);

  [[nodiscard]] Displacement motion(std::uint64_t k) const { return motion_[k % motion_.size()]; }
  // One ROI per soma, named "n00", "n01", … in neuron order: the pixels whose centres lie inside the
  // soma's ellipse on the motionless field (weight 1).
  [[nodiscard]] RoiSet rois() const;
  [[nodiscard]] const std::vector<Soma>& somata() const { return somata_; }
  [[nodiscard]] const SimulatedActivity& activity() const { return activity_; }
  [[nodiscard]] const VirtualMicroscopeParams& params() const { return params_; }
  [[nodiscard]] std::size_t frames() const { return activity_.frames; }  // before the activity repeats

 private:
  void fill_scene(std::uint64_t k, Displacement d);

  SimulatedActivity activity_;
  VirtualMicroscopeParams params_;
  std::vector<Soma> somata_;
  std::vector<Displacement> motion_;      // [frames]
  std::vector<double> population_dff_;    // a(t) [frames]
  double neuropil_au_ = 0;                // b
  struct Wave {
    double amplitude, kx, phase_x, ky, phase_y;
  };
  std::vector<Wave> neuropil_waves_;
  std::vector<float> scene_;              // [height · width] scratch
  std::vector<float> wave_x_, wave_y_;    // [waves · width], [waves · height] scratch
};

// The ROI names of a field of n neurons: "n00" … with at least two digits.
std::string neuron_roi_name(std::size_t neuron, std::size_t neurons);

}  // namespace apical::bridge
