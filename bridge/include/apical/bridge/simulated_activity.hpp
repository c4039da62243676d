#pragma once
// The activity a virtual microscope shows: each neuron's raw GCaMP7f F per 15-Hz frame in both imaged
// planes (the proximal trunk, the BCI plane, and the distal trunk), and its role, from one virtual mouse
// of the in-silico BCI experiment (models/bci/virtual_mouse.hpp).
//
// The cheapest honest run: the mouse's own warm-up and calibration block (which choose its P+ and P−
// from their transients, as on day 1), then one day-1 session of the requested length, recording raw
// F of both planes. The scenario's imaging noise is switched off (imaging.noise_dFF = 0) because
// the microscope adds its own shot noise; the chance level and the online dendrite-plane ΔF/F are skipped.
// Cost [M] with cohort_default (50 neurons, rule R3), one core of a busy shared 2-core VM: ≈ 3 CPU-s
// for the warm-up and 10-min calibration, ≈ 0.6 CPU-s per simulated minute of session. No I/O.
//
// The session is played back, not closed over: the mouse learns from its own simulated decoder and
// rewards, and whatever a rig decides from these frames never reaches it (closed_loop_microscope.hpp
// steps a live mouse instead, taught by the rig's decisions).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "apical/engine/loop/population.hpp"
#include "apical/io/bci_scenario.hpp"
#include "apical/models/bci/experiment_spec.hpp"

namespace apical::bridge {

struct SimulatedActivity {
  double frame_rate_hz = 15.0;
  std::size_t frames = 0;
  std::vector<loop::Role> roles;  // [N] in neuron order
  std::vector<double> soma_f;     // [frames · N], frame-major: raw F (a.u.) of neuron i in frame k at [k·N + i]
  std::vector<double> dendrite_f; // [frames · N] the same for the distal trunk; empty when not simulated

  [[nodiscard]] std::size_t neurons() const { return roles.size(); }
  [[nodiscard]] double f(std::size_t frame, std::size_t neuron) const { return soma_f[frame * neurons() + neuron]; }
  [[nodiscard]] double distal_f(std::size_t frame, std::size_t neuron) const {
    return dendrite_f[frame * neurons() + neuron];
  }
};

// The spec as the microscope images it: the model's imaging noise off (the microscope adds shot noise
// instead) and the chance level skipped. The played-back activity and a closed-loop mouse both use it,
// so they choose the same roles.
bci::ExperimentSpec imaged_spec(const bci::ExperimentSpec& spec);

// Simulates mouse `mouse` of the experiment `spec` describes for a day-1 session of `frames` frames
// (≥ 2). Throws std::invalid_argument for a bad spec, std::runtime_error if the mouse has too few
// active neurons to choose P+ and P− (virtual_mouse.hpp).
SimulatedActivity simulate_activity(const bci::ExperimentSpec& spec, std::uint64_t mouse, std::size_t frames);
// The same for a mouse of a cohort scenario; std::out_of_range unless the cohort holds that mouse.
SimulatedActivity simulate_activity(const BciScenario& scenario, std::uint64_t mouse, std::size_t frames);

}  // namespace apical::bridge
