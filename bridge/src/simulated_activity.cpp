#include "apical/bridge/simulated_activity.hpp"

#include <stdexcept>
#include <string>

#include "apical/models/bci/virtual_mouse.hpp"

namespace apical::bridge {

bci::ExperimentSpec imaged_spec(const bci::ExperimentSpec& spec) {
  bci::ExperimentSpec run = spec;
  run.imaging.noise_dFF = 0.0;  // the microscope's shot noise replaces the model's imaging noise
  run.loop.chance_repetitions = 0;
  return run;
}

SimulatedActivity simulate_activity(const bci::ExperimentSpec& spec, std::uint64_t mouse, std::size_t frames) {
  if (frames < 2) throw std::invalid_argument("a simulated session needs at least 2 frames");
  bci::ExperimentSpec run = imaged_spec(spec);
  run.schedule.days = 1;
  run.schedule.sessions_per_day = 1;
  run.schedule.session_min = static_cast<double>(frames) / (60.0 * bci::frame_rate_Hz);
  run.record.raw_f = true;
  run.record.dendrite_dff = false;
  run.record.calibration_dff = false;

  SimulatedActivity activity;
  activity.frame_rate_hz = bci::frame_rate_Hz;
  bci::simulate_mouse(run, mouse, [&](const bci::MouseSetup& setup, bci::SessionRecord&& session) {
    const std::size_t n = session.neurons.size();
    activity.roles = setup.roles;
    activity.frames = session.frames();
    activity.soma_f.resize(activity.frames * n);
    activity.dendrite_f.resize(activity.frames * n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < activity.frames; ++k) {
        activity.soma_f[k * n + i] = session.neurons[i].soma_f[k];
        activity.dendrite_f[k * n + i] = session.neurons[i].dendrite_f[k];
      }
  });
  return activity;
}

SimulatedActivity simulate_activity(const BciScenario& scenario, std::uint64_t mouse, std::size_t frames) {
  if (mouse < scenario.first_mouse || mouse - scenario.first_mouse >= scenario.mice)
    throw std::out_of_range("mouse " + std::to_string(mouse) + " is not in the cohort of " + scenario.file + " (mice " +
                            std::to_string(scenario.first_mouse) + " to " +
                            std::to_string(scenario.first_mouse + scenario.mice - 1) + ")");
  return simulate_activity(scenario.spec, mouse, frames);
}

}  // namespace apical::bridge
