// Input population of a field of view: determinism from (seed, mouse, stream), independence from the
// batch size, rate and noise statistics, latent-factor time scale, and the noise correlations it gives
// a population of two-compartment cells.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "apical/models/input_population.hpp"
#include "apical/models/two_compartment/two_compartment.hpp"

using namespace apical;
using Catch::Matchers::Contains;

namespace {

struct PopulationRun {
  std::vector<double> I_s, I_d;             // [step·N + i]
  std::vector<std::uint32_t> spikes;        // all input spikes, in order
};

PopulationRun run_population(std::size_t n, RandomStreamId id, double t_end_ms, double dt = 0.5,
                             const InputPopulationParameters& p = {}) {
  const InputPopulation pop(p, n, id);
  const std::vector<double> W = random_input_weights(n, p, {}, id);
  InputPopulationState s = pop.initial_state();
  PopulationRun run;
  for (long k = 0; k < std::lround(t_end_ms / dt); ++k) {
    pop.step(s, W, dt);
    run.I_s.insert(run.I_s.end(), s.I_s_pA.begin(), s.I_s_pA.end());
    run.I_d.insert(run.I_d.end(), s.I_d_pA.begin(), s.I_d_pA.end());
    run.spikes.insert(run.spikes.end(), s.spiking_inputs.begin(), s.spiking_inputs.end());
  }
  return run;
}

double mean_pairwise_correlation(const std::vector<std::vector<double>>& x) {  // x[neuron][bin]
  const std::size_t n = x.size(), bins = x[0].size();
  std::vector<double> mean(n), sd(n);
  for (std::size_t i = 0; i < n; ++i) {
    mean[i] = std::accumulate(x[i].begin(), x[i].end(), 0.0) / static_cast<double>(bins);
    double v = 0;
    for (double y : x[i]) v += (y - mean[i]) * (y - mean[i]);
    sd[i] = std::sqrt(v / static_cast<double>(bins));
  }
  double total = 0;
  int pairs = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      if (sd[i] == 0 || sd[j] == 0) continue;
      double c = 0;
      for (std::size_t b = 0; b < bins; ++b) c += (x[i][b] - mean[i]) * (x[j][b] - mean[j]);
      total += c / static_cast<double>(bins) / (sd[i] * sd[j]);
      ++pairs;
    }
  return total / pairs;
}

}  // namespace

TEST_CASE("input population: deterministic from (seed, mouse, stream)", "[models][input_population]") {
  const RandomStreamId id{11, 3, 0};
  const PopulationRun a = run_population(20, id, 500.0), b = run_population(20, id, 500.0);
  CHECK(a.I_s == b.I_s);
  CHECK(a.I_d == b.I_d);
  CHECK(a.spikes == b.spikes);
  CHECK(a.spikes.size() > 500);
  for (RandomStreamId other : {RandomStreamId{12, 3, 0}, RandomStreamId{11, 4, 0}, RandomStreamId{11, 3, 1}}) {
    const PopulationRun c = run_population(20, other, 500.0);
    CHECK(c.I_s != a.I_s);
    CHECK(c.I_d != a.I_d);
    CHECK(c.spikes != a.spikes);
  }
}

TEST_CASE("input population: a neuron's inputs do not depend on how many neurons share the field", "[models][input_population]") {
  const RandomStreamId id{5, 1, 2};
  const std::size_t small = 3, large = 41;
  const PopulationRun a = run_population(small, id, 300.0), b = run_population(large, id, 300.0);
  CHECK(a.spikes == b.spikes);  // input spikes depend on the inputs only
  const std::size_t steps = a.I_s.size() / small;
  for (std::size_t k = 0; k < steps; ++k)
    for (std::size_t i = 0; i < small; ++i) {
      REQUIRE(a.I_s[k * small + i] == b.I_s[k * large + i]);  // rows of W are per-neuron streams too
      REQUIRE(a.I_d[k * small + i] == b.I_d[k * large + i]);
    }
  // Sub-stepping changes nothing about which spikes occur or when.
  const PopulationRun fine = run_population(small, id, 300.0, 0.1);
  CHECK(fine.spikes == a.spikes);
}

TEST_CASE("input population: rates, currents and dendritic noise have the set statistics", "[models][input_population]") {
  const std::size_t n = 20;
  const InputPopulationParameters p;
  const RandomStreamId id{8, 0, 0};
  const InputPopulation pop(p, n, id);
  const std::vector<double> W = random_input_weights(n, p, {}, id);
  InputPopulationState s = pop.initial_state();
  const double dt = 0.5, t_end = 60000.0;
  double spikes = 0, I_s_sum = 0, I_d_sum = 0, I_d_sum2 = 0;
  std::vector<double> factor0;
  const long steps = std::lround(t_end / dt), lag_steps = std::lround(p.tau_I_d_ms / dt);
  std::vector<double> I_d0_history;
  for (long k = 0; k < steps; ++k) {
    pop.step(s, W, dt);
    spikes += static_cast<double>(s.spiking_inputs.size());
    for (std::size_t i = 0; i < n; ++i) {
      I_s_sum += s.I_s_pA[i];
      I_d_sum += s.I_d_pA[i];
      I_d_sum2 += s.I_d_pA[i] * s.I_d_pA[i];
    }
    I_d0_history.push_back(s.I_d_pA[0]);
    if (k % 20 == 0) factor0.push_back(s.factors[0]);
  }
  // Input rate: mean of the base rates, less a little for the rectification of [1 + …]₊.
  const double rate = spikes / static_cast<double>(p.n_inputs) / (t_end / 1000.0);
  CHECK(rate == Approx(p.mean_rate_Hz).epsilon(0.08));
  // Somatic current: Σ_j W_ij r̄_j on average over neurons, within the same margin.
  double expected = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < p.n_inputs; ++j) expected += W[i * p.n_inputs + j] * pop.base_rate_Hz()[j];
  expected /= static_cast<double>(n);
  const double mean_I_s = I_s_sum / static_cast<double>(steps * n);
  INFO("input rate " << rate << " Hz; mean I_s " << mean_I_s << " pA, expected " << expected << " pA");
  CHECK(mean_I_s == Approx(expected).epsilon(0.08));
  CHECK(expected == Approx(InputWeightParameters{}.mean_current_pA).epsilon(0.15));
  // Dendritic background: mean μ, SD σ, correlation e^(−1) at one τ.
  const double mean_I_d = I_d_sum / static_cast<double>(steps * n);
  const double sd_I_d = std::sqrt(I_d_sum2 / static_cast<double>(steps * n) - mean_I_d * mean_I_d);
  CHECK(std::abs(mean_I_d - p.I_d_mean_pA) < 0.05 * p.I_d_sd_pA);
  CHECK(sd_I_d == Approx(p.I_d_sd_pA).epsilon(0.03));
  double c0 = 0, c1 = 0;
  for (std::size_t k = 0; k + static_cast<std::size_t>(lag_steps) < I_d0_history.size(); ++k) {
    c0 += I_d0_history[k] * I_d0_history[k];
    c1 += I_d0_history[k] * I_d0_history[k + static_cast<std::size_t>(lag_steps)];
  }
  CHECK(c1 / c0 == Approx(std::exp(-1.0)).margin(0.05));
  // Latent factor: unit variance, correlation e^(−1) after τ_z (samples every 10 ms).
  double f2 = 0, f_lag = 0;
  const std::size_t lag = static_cast<std::size_t>(std::lround(p.tau_factor_ms / 10.0));
  for (std::size_t k = 0; k + lag < factor0.size(); ++k) {
    f2 += factor0[k] * factor0[k];
    f_lag += factor0[k] * factor0[k + lag];
  }
  INFO("factor 0: variance " << f2 / static_cast<double>(factor0.size() - lag) << ", lag-τ correlation " << f_lag / f2);
  CHECK(f2 / static_cast<double>(factor0.size() - lag) == Approx(1.0).margin(0.35));
  CHECK(f_lag / f2 == Approx(std::exp(-1.0)).margin(0.15));
}

TEST_CASE("input population: 50 cells show realistic noise correlations", "[models][input_population][two_compartment]") {
  // One virtual field of view: default inputs and weights drive 50 two-compartment cells for 100 s.
  const std::size_t n = 50;
  const InputPopulationParameters p;
  const RandomStreamId id{2024, 7, 0};
  const InputPopulation pop(p, n, id);
  const std::vector<double> W = random_input_weights(n, p, {}, id);
  const TwoCompartmentModel cells({}, n);
  InputPopulationState ps = pop.initial_state();
  TwoCompartmentState cs = cells.initial_state();
  const std::vector<double> no_inhibition(n, 0.0);
  const double dt = 0.5, t_end = 100000.0;
  const long steps = std::lround(t_end / dt), per_bin = std::lround(1000.0 / dt);
  std::vector<std::vector<double>> counts(n, std::vector<double>(static_cast<std::size_t>(steps / per_bin), 0.0));
  std::vector<std::vector<double>> currents = counts;
  double spikes = 0, events = 0, bursts = 0;
  for (long k = 0; k < steps; ++k) {
    pop.step(ps, W, dt);
    cells.step(cs, {ps.I_s_pA, ps.I_d_pA, no_inhibition}, dt);
    const auto bin = static_cast<std::size_t>(k / per_bin);
    for (std::size_t i = 0; i < n; ++i) {
      counts[i][bin] += cs.spike[i];
      currents[i][bin] += ps.I_s_pA[i];
      spikes += cs.spike[i];
      events += cs.event[i];
      bursts += cs.burst[i];
    }
  }
  const double seconds = t_end / 1000.0 * static_cast<double>(n);
  const double r_counts = mean_pairwise_correlation(counts), r_currents = mean_pairwise_correlation(currents);
  WARN("field of view, 50 cells, 100 s: " << spikes / seconds << " spikes/s, " << events / seconds
                                         << " events/s, burst fraction " << bursts / events
                                         << "; mean pairwise correlation of spike counts (1-s bins) " << r_counts
                                         << ", of somatic currents " << r_currents);
  CHECK(spikes / seconds > 2.0);
  CHECK(spikes / seconds < 15.0);
  CHECK(bursts / events > 0.04);
  CHECK(bursts / events < 0.3);
  CHECK(r_counts > 0.03);
  CHECK(r_counts < 0.25);
  CHECK(r_currents > r_counts);
}

TEST_CASE("input population: parameter specs, validation and sizes", "[models][input_population]") {
  const auto specs = input_population_parameter_specs();
  CHECK(specs.size() == 14);
  std::set<std::string> names;
  for (const auto& s : specs) {
    names.insert(s.name);
    CHECK(s.default_value >= s.min);
    CHECK(s.default_value <= s.max);
  }
  CHECK(names.size() == specs.size());
  InputPopulationParameters bad;
  bad.tau_syn_ms = 0.0;
  CHECK_THROWS_WITH(InputPopulation(bad, 4, {}), Contains("tau_syn"));
  const InputPopulation pop({}, 4, {});
  InputPopulationState s = pop.initial_state();
  CHECK_THROWS_WITH(pop.step(s, std::vector<double>(3), 0.5), Contains("W"));
  CHECK_THROWS(random_input_weights(4, {}, {0.0, 400.0, 0.5}, {}));
  // Loadings are unit rows.
  for (std::size_t j = 0; j < 10; ++j) {
    double norm2 = 0;
    for (std::size_t k = 0; k < pop.parameters().n_factors; ++k) norm2 += pop.loading(j, k) * pop.loading(j, k);
    CHECK(norm2 == Approx(1.0));
  }
}
