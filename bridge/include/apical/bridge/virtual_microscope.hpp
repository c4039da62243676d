#pragma once
// A virtual two-photon microscope: simulated neurons (SimulatedActivity) rendered into uint16 frames
// with GCaMP brightness, neuropil, shot noise and brain motion, so that the whole rig pipeline can run
// in silico (docs/virtual-microscope.md). Everything is a pure function of the activity, the
// parameters and the frame index k; frame k shows activity frame t = ⌊k/planes⌋ mod (activity frames)
// (a loop repeats the activity and the motion, never the noise).
//
// Scene (expected brightness in the model's F units, a.u.) at pixel centre (x, y) of frame k (of the
// proximal plane, the only one with planes = 1), with d(t) the content displacement:
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
// | planes             | 1       | 1         | 1: the BCI plane; 2: proximal and distal alternating |
// | trunk_diameter_px  | 5       | px        | diameter of a distal trunk's cross-section           |
//
// Somata are placed at random, at least 1.2 diameters apart (centre to centre) and at least one
// diameter plus 3·A from every edge, so the ROIs stay inside the frame as the brain moves.
//
// Two planes (an ETL, experiment.md §3): frame k shows plane k mod 2 of activity frame t = ⌊k/2⌋, so
// each plane runs at half the frame rate; plane 0 is the scene above, plane 1 the distal trunks:
//
//   s_k(x, y) = Σ_i e_i · D_i(t) · n_i(x − dx, y − dy) + b_d · B(x − dx, y − dy) · (1 + c · a_d(t))
//
//   n_i   a filled disk of trunk_diameter_px (1.5-px rim, no nucleus) at the soma's centre moved by
//         up to 0.3 soma diameters (trunks lean); e_i, B, c and the motion d(t) as in plane 0
//   D_i   the neuron's raw distal-trunk F; b_d and a_d(t) as b and a(t), from the D_i
//
// Not modelled: z-motion, scan-line timing within a frame, PMT gain noise, bleaching; the two planes of
// a cycle are one instant.
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
  std::uint32_t planes = 1;         // 2: proximal and distal frames alternate (needs SimulatedActivity::dendrite_f)
  double trunk_diameter_px = 5.0;
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
  double trunk_x = 0, trunk_y = 0; // the distal trunk's centre on the motionless field, px
};

class VirtualMicroscope {
 public:
  // Throws std::invalid_argument for bad parameters (naming the parameter) or when the somata do not
  // fit into the field.
  VirtualMicroscope(SimulatedActivity activity, const VirtualMicroscopeParams& params);

  // Frame k as the microscope records it: moved by motion(k), with shot noise; seq = k, and plane =
  // plane(k) of planes in the header, as an ETL-aware sender reports it.
  void render(std::uint64_t k, Frame& into);
  // Frame k's activity and noise with the content moved by `d` instead (d = {0, 0}: the motionless field).
  void render(std::uint64_t k, Displacement d, Frame& into);
  // Closed loop (planes = 1): frame k showing `soma_f`, the neurons' raw somatic F stepped live, in
  // place of the activity's frame; the motion, noise and neuropil are frame k's, a is taken against
  // each neuron's mean F F̄_i over the activity. std::invalid_argument unless soma_f has one F per soma.
  void render(std::uint64_t k, std::span<const double> soma_f, Frame& into);
  // The noise-free scene s_k at displacement d, row-major floats (for tests and references).
  void render_scene(std::uint64_t k, Displacement d, std::span<float> into);

  // Both planes of a cycle share its displacement.
  [[nodiscard]] Displacement motion(std::uint64_t k) const { return motion_[(k / params_.planes) % motion_.size()]; }
  [[nodiscard]] std::uint32_t plane(std::uint64_t k) const { return static_cast<std::uint32_t>(k % params_.planes); }
  // One ROI per soma, named "n00", "n01", … in neuron order: the pixels whose centres lie inside the
  // soma's ellipse on the motionless field (weight 1).
  [[nodiscard]] RoiSet rois() const;
  // Two planes: one ROI per distal trunk, named "d00", "d01", … in neuron order (d07 is n07's trunk):
  // the pixels whose centres lie inside its disk on the motionless field.
  [[nodiscard]] RoiSet distal_rois() const;
  [[nodiscard]] const std::vector<Soma>& somata() const { return somata_; }
  [[nodiscard]] const SimulatedActivity& activity() const { return activity_; }
  [[nodiscard]] const VirtualMicroscopeParams& params() const { return params_; }
  // Frames before the activity repeats: activity frames × planes.
  [[nodiscard]] std::size_t frames() const { return activity_.frames * params_.planes; }

 private:
  void fill_scene(std::uint64_t k, Displacement d);
  void fill_neuropil(float level, Displacement d);
  void add_somata(std::span<const double> soma_f, Displacement d);
  void add_noise(std::uint64_t k, Frame& into);  // shot noise on the scene, and frame k's header
  void add_trunks(std::size_t t, Displacement d);

  SimulatedActivity activity_;
  VirtualMicroscopeParams params_;
  std::vector<Soma> somata_;
  std::vector<Displacement> motion_;      // [activity frames]
  std::vector<double> population_dff_[2]; // a(t), a_d(t) [activity frames]
  std::vector<double> mean_f_[2];         // F̄_i of each plane [neurons]
  double neuropil_au_[2] = {0, 0};        // b, b_d
  struct Wave {
    double amplitude, kx, phase_x, ky, phase_y;
  };
  std::vector<Wave> neuropil_waves_;
  std::vector<float> scene_;              // [height · width] scratch
  std::vector<float> wave_x_, wave_y_;    // [waves · width], [waves · height] scratch
};

// The ROI names of a field of n neurons: "n00" … with at least two digits; "d00" … for distal trunks.
std::string neuron_roi_name(std::size_t neuron, std::size_t neurons);
std::string trunk_roi_name(std::size_t neuron, std::size_t neurons);

}  // namespace apical::bridge
