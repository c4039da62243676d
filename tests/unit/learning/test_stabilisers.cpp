// The stabilisers of learning/stabilisers.hpp against their closed forms, one frame at a time.
#include <catch2/catch.hpp>

#include "apical/models/learning/stabilisers.hpp"

using namespace apical;

namespace {

constexpr double frame_s = 1.0 / 15.0;

FrameActivity frame(std::vector<double> rates, std::vector<double> rate_means, std::vector<double> presynaptic) {
  FrameActivity a;
  a.frame_s = frame_s;
  a.rate_hz = std::move(rates);
  a.rate_mean_hz = std::move(rate_means);
  a.presynaptic_trace = std::move(presynaptic);
  return a;
}

WeightMatrix weights(std::size_t neurons, std::size_t inputs, double w0) {
  WeightMatrix W;
  W.neurons = neurons;
  W.inputs = inputs;
  W.w.assign(neurons * inputs, w0);
  W.w_max = 5.0;
  W.clip_fraction = 1.0;  // no clipping: the closed forms are exact
  return W;
}

}  // namespace

TEST_CASE("the activity cost removes lambda * r_i * x_j * dt from every weight", "[learning][stabiliser]") {
  StabiliserParams p;
  p.activity_cost = 1e-4;
  WeightMatrix W = weights(2, 2, 1.0);
  const FrameActivity a = frame({10.0, 0.0}, {10.0, 0.0}, {5.0, 20.0});
  apply_stabilisers(p, a, {0.0, 0.0}, W);
  CHECK(W.at(0, 0) == Approx(1.0 - 1e-4 * 10.0 * 5.0 * frame_s).epsilon(1e-14));
  CHECK(W.at(0, 1) == Approx(1.0 - 1e-4 * 10.0 * 20.0 * frame_s).epsilon(1e-14));
  CHECK(W.at(1, 0) == 1.0);  // a silent neuron pays nothing
  CHECK(W.at(1, 1) == 1.0);
}

TEST_CASE("synaptic scaling moves each neuron's weights toward its set point, multiplicatively", "[learning][stabiliser]") {
  StabiliserParams p;
  p.synaptic_scaling_tau_s = 600.0;
  WeightMatrix W = weights(3, 2, 2.0);
  W.at(0, 1) = 1.0;
  // Neuron 0 fires above its 8-Hz set point, neuron 1 below, neuron 2 has no set point.
  const FrameActivity a = frame({0.0, 0.0, 3.0}, {12.0, 4.0, 3.0}, {1.0, 1.0});
  apply_stabilisers(p, a, {8.0, 8.0, 0.0}, W);
  const double k = frame_s / 600.0;
  CHECK(W.at(0, 0) == Approx(2.0 * (1.0 + k * (8.0 - 12.0) / 8.0)).epsilon(1e-14));
  CHECK(W.at(0, 1) == Approx(1.0 * (1.0 + k * (8.0 - 12.0) / 8.0)).epsilon(1e-14));
  CHECK(W.at(1, 0) == Approx(2.0 * (1.0 + k * (8.0 - 4.0) / 8.0)).epsilon(1e-14));
  CHECK(W.at(2, 0) == 2.0);
  CHECK(W.at(2, 1) == 2.0);
}

TEST_CASE("stabilisers respect the hard bounds and the per-update clip", "[learning][stabiliser]") {
  StabiliserParams p;
  p.activity_cost = 1.0;  // far more than one frame's worth of weight
  WeightMatrix W = weights(1, 1, 0.01);
  apply_stabilisers(p, frame({50.0}, {50.0}, {50.0}), {0.0}, W);
  CHECK(W.at(0, 0) == 0.0);
  W = weights(1, 1, 1.0);
  W.clip_fraction = 1e-3;
  apply_stabilisers(p, frame({50.0}, {50.0}, {50.0}), {0.0}, W);
  CHECK(W.at(0, 0) == Approx(1.0 - 1e-3 * 5.0).epsilon(1e-14));
}

TEST_CASE("with both stabilisers off nothing changes", "[learning][stabiliser]") {
  WeightMatrix W = weights(1, 2, 1.5);
  apply_stabilisers(StabiliserParams{}, frame({30.0}, {1.0}, {9.0, 9.0}), {5.0}, W);
  CHECK(W.w == std::vector<double>{1.5, 1.5});
}
