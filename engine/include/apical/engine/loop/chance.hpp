#pragma once
// Chance level of a block of frames (experiment.md §2 "Chance level" [D]): a session's own ΔF/F (the
// session chance), or a calibration block with its calibration (the baseline chance, virtual_mouse.hpp):
//
//   a(k) = mean_{P+} d̃(k),  b(k) = mean_{P−} d̃(k)                  (PopulationDifference)
//   x_s(k) = a(k) − b((k + s) mod n)                                 P− shifted circularly by s frames
//   s ~ uniform integer in [S, n − S],  S = 900 frames (60 s)        so P− stays ≥ 60 s from P+ both ways
//   hit fraction_s = TrialTask run on Decoder::step_difference(x_s)  (fresh smoother and task per shift)
//   chance = mean over 1,000 shifts of hit fraction_s
//
// Shift r is drawn from CounterRng(seed, ·) with its own stream, so the result depends only on the
// inputs and the seed. experiment.md expects it near p_cal on day 1; on correlated P+/P− activity the
// shift widens x and it sits higher (docs/bci-experiment.md, "Chance level").
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "apical/engine/loop/calibration.hpp"
#include "apical/engine/loop/decoder.hpp"
#include "apical/engine/loop/frame_block.hpp"
#include "apical/engine/loop/population.hpp"
#include "apical/engine/loop/trial_task.hpp"

namespace apical::loop {

struct ChanceParams {
  std::size_t repetitions = 1000;      // shifts [D]
  std::size_t min_shift_frames = 900;  // S: 60 s at 15 Hz [D]
  std::uint64_t seed = 0;
  TrialTaskParams task{};              // the session's own task timing
};

struct ChanceResult {
  double chance = 0;                  // mean hit fraction over the shifts
  std::vector<double> hit_fractions;  // per shift
  std::vector<std::size_t> shifts;    // s per shift, frames
};

// Throws std::invalid_argument when the session is shorter than 2S + 1 frames, or not longer than
// one OPEN window (no trial would be decided), or when repetitions is 0.
ChanceResult chance_level(const FrameBlock& dff, std::span<const Role> roles, const Calibration& calibration,
                          const DecoderParams& decoder = {}, const ChanceParams& params = {});

// The session's hit fraction replayed without a shift (s = 0) through the same decoder and task, for
// comparison with chance_level().
double replay_hit_fraction(const FrameBlock& dff, std::span<const Role> roles, const Calibration& calibration,
                           const DecoderParams& decoder = {}, const TrialTaskParams& task = {});

}  // namespace apical::loop
