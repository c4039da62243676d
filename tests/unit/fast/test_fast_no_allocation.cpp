// The fast field-of-view loop allocates nothing once its states exist (style guide habit 14): every
// global operator new is counted while inputs, cells, indicator and samplers take 20 s of steps.
#include <catch2/catch.hpp>
#include "../../support/allocation_counter.hpp"
#include <vector>

#include "apical/models/gcamp7f.hpp"
#include "apical/models/input_population.hpp"
#include "apical/models/two_compartment/two_compartment.hpp"

using namespace apical;

TEST_CASE("the fast field-of-view loop allocates no memory", "[models][allocation]") {
  const std::size_t n = 50;
  const InputPopulationParameters ip;
  const RandomStreamId id{1, 2, 3};
  const InputPopulation inputs(ip, n, id);
  const std::vector<double> W = random_input_weights(n, ip, {}, id);
  const TwoCompartmentModel cells({}, n);
  const Gcamp7fObserver gcamp({}, n);
  GcampFrameSampler soma_plane(gcamp, GcampRoi::soma, {}, {}, id);
  ImagingPlaneParameters distal;
  distal.first_frame_ms = 0.5 * 1000.0 / 15.0;
  GcampFrameSampler dendrite_plane(gcamp, GcampRoi::dendrite, distal, {}, id);
  InputPopulationState ps = inputs.initial_state();
  TwoCompartmentState cs = cells.initial_state();
  Gcamp7fState gs = gcamp.initial_state();
  const std::vector<double> g_inh(n, 5.0);
  // Warm-up: the spike queues reach their working size.
  const auto run = [&](int steps) {
    long frames = 0;
    for (int k = 0; k < steps; ++k) {
      inputs.step(ps, W, 0.5);
      cells.step(cs, {ps.I_s_pA, ps.I_d_pA, g_inh}, 0.5);
      gcamp.accumulate(gs, cs, 0.5);
      if (k % 2 == 1) {
        gcamp.advance(gs);
        frames += soma_plane.sample(gs);
        frames += dendrite_plane.sample(gs);
      }
    }
    return frames;
  };
  run(2000);
  const long before = test::allocations_so_far();
  const long frames = run(40000);
  CHECK(test::allocations_so_far() - before == 0);
  CHECK(frames >= 599);  // 15 Hz on two planes for 20 s (±1 for the frame boundaries at the ends)
  CHECK(frames <= 601);
}
