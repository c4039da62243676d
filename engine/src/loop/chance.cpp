#include "apical/engine/loop/chance.hpp"

#include <stdexcept>

#include "uniform_index.hpp"

namespace apical::loop {
namespace {

struct PopulationTraces {
  std::vector<double> plus, minus;  // a(k), b(k)
};

PopulationTraces population_traces(const FrameBlock& dff, const PopulationDifference& population) {
  PopulationTraces t;
  t.plus.resize(dff.frames());
  t.minus.resize(dff.frames());
  for (std::size_t k = 0; k < dff.frames(); ++k) {
    const PopulationDifference::Means m = population.means(dff.row(k));
    t.plus[k] = m.plus;
    t.minus[k] = m.minus;
  }
  return t;
}

// Hit fraction with P− shifted by `shift` frames, on a reset decoder and a fresh task.
double replay(const PopulationTraces& t, std::size_t shift, Decoder& decoder, const TrialTaskParams& task_params) {
  decoder.reset();
  TrialTask task(task_params);
  const std::size_t n = t.plus.size();
  for (std::size_t k = 0; k < n; ++k) {
    const DecoderOutput o = decoder.step_difference(t.plus[k] - t.minus[(k + shift) % n]);
    task.step(o.at_target, o.angle_deg);
  }
  return hit_fraction(task.records());
}

void check_session(const FrameBlock& dff, std::span<const Role> roles, const TrialTaskParams& task) {
  if (dff.rois != roles.size()) throw std::invalid_argument("chance: the session and the roles differ in ROI count");
  if (dff.frames() <= task.open_frames)
    throw std::invalid_argument("chance: the session must be longer than one OPEN window");
}

}  // namespace

ChanceResult chance_level(const FrameBlock& dff, std::span<const Role> roles, const Calibration& calibration,
                          const DecoderParams& decoder_params, const ChanceParams& params) {
  check_session(dff, roles, params.task);
  const std::size_t n = dff.frames();
  if (params.repetitions == 0) throw std::invalid_argument("chance_level: repetitions must be > 0");
  if (n < 2 * params.min_shift_frames + 1)
    throw std::invalid_argument("chance_level: the session is shorter than twice the minimum shift");

  Decoder decoder(roles, calibration, decoder_params);
  const PopulationTraces traces = population_traces(dff, decoder.population());
  ChanceResult result;
  result.hit_fractions.reserve(params.repetitions);
  result.shifts.reserve(params.repetitions);
  const std::size_t span = n - 2 * params.min_shift_frames + 1;  // shifts S … n − S
  double sum = 0;
  for (std::size_t r = 0; r < params.repetitions; ++r) {
    CounterRng rng(params.seed, stream_of(StreamTag::chance_shift, r));
    const std::size_t shift = params.min_shift_frames + uniform_index(rng, span);
    const double f = replay(traces, shift, decoder, params.task);
    result.shifts.push_back(shift);
    result.hit_fractions.push_back(f);
    sum += f;
  }
  result.chance = sum / static_cast<double>(params.repetitions);
  return result;
}

double replay_hit_fraction(const FrameBlock& dff, std::span<const Role> roles, const Calibration& calibration,
                           const DecoderParams& decoder_params, const TrialTaskParams& task) {
  check_session(dff, roles, task);
  Decoder decoder(roles, calibration, decoder_params);
  return replay(population_traces(dff, decoder.population()), 0, decoder, task);
}

}  // namespace apical::loop
