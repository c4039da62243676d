// Cross-validated prediction of a neuron's SD residual from the other neurons' (learning_rules.md §7
// T-network): well above the circular-shift null with a shared latent signal, at the null with
// independent (but autocorrelated) noise, on bare matrices and on synthetic sessions.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "apical/analysis/residual_network.hpp"
#include "apical/analysis/statistics.hpp"
#include "apical/analysis/transients.hpp"
#include "apical/engine/random.hpp"
#include "synthetic.hpp"

using namespace apical::analysis;

namespace {

// n bins × p neurons: each column = shared·latent + its own noise, both AR(1) with coefficient 0.8, so
// neighbouring bins are correlated as binned calcium traces are.
Grid latent_plus_noise(std::size_t n, std::size_t p, double shared, std::uint64_t seed) {
  apical::CounterRng rng(seed, 7);
  Grid X(n, p);
  double latent = 0.0;
  std::vector<double> noise(p, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    latent = 0.8 * latent + 0.6 * rng.normal();
    for (std::size_t j = 0; j < p; ++j) {
      noise[j] = 0.8 * noise[j] + 0.6 * rng.normal();
      X(i, j) = shared * latent + noise[j];
    }
  }
  return X;
}

std::vector<double> r2_of(const std::vector<ColumnPrediction>& c) {
  std::vector<double> v;
  for (const ColumnPrediction& x : c) v.push_back(x.r2);
  return v;
}

std::vector<double> null_of(const std::vector<ColumnPrediction>& c) {
  std::vector<double> v;
  for (const ColumnPrediction& x : c) v.push_back(x.null_mean);
  return v;
}

}  // namespace

TEST_CASE("a shared latent signal makes every column predictable, well above the shift null",
          "[analysis][network]") {
  const std::vector<ColumnPrediction> c = predict_columns_from_others(latent_plus_noise(1500, 8, 1.0, 1), {});
  REQUIRE(c.size() == 8);
  // Each column is half latent, half own noise; seven others estimate the latent well: R² ≈ 0.4.
  // Out of sample, an unrelated target scores a little below 0 (the fitted noise costs): the null.
  CHECK(mean(r2_of(c)) > 0.3);
  CHECK(mean(null_of(c)) < 0.0);
  CHECK(mean(null_of(c)) > -0.1);
  for (const ColumnPrediction& x : c) CHECK(x.p < 0.05);
}

TEST_CASE("independent autocorrelated noise is not predictable: R² at the shift null", "[analysis][network]") {
  const std::vector<ColumnPrediction> c = predict_columns_from_others(latent_plus_noise(1500, 8, 0.0, 2), {});
  CHECK(mean(r2_of(c)) < 0.01);
  CHECK(std::abs(mean(r2_of(c)) - mean(null_of(c))) < 0.02);
  std::size_t significant = 0;
  for (const ColumnPrediction& x : c) significant += x.p < 0.05;
  CHECK(significant <= 2);
}

TEST_CASE("column prediction is deterministic for a seed and rejects too small inputs", "[analysis][network]") {
  const Grid X = latent_plus_noise(200, 4, 0.5, 3);
  const std::vector<ColumnPrediction> a = predict_columns_from_others(X, {}, 9), b = predict_columns_from_others(X, {}, 9);
  for (std::size_t j = 0; j < a.size(); ++j) {
    CHECK(a[j].r2 == b[j].r2);
    CHECK(a[j].null_mean == b[j].null_mean);
  }
  CHECK_THROWS_AS(predict_columns_from_others(Grid(200, 1), {}), std::invalid_argument);
  CHECK_THROWS_AS(predict_columns_from_others(Grid(9, 4), {}), std::invalid_argument);
}

TEST_CASE("on sessions: a dendrite-only signal shared by all neurons is predictable, none is not",
          "[analysis][network]") {
  auto analyse = [](double shared_dendritic) {
    Cohort c;
    for (int m = 0; m < 3; ++m) {
      synthetic::Options o;
      o.mouse = "m0" + std::to_string(m);
      o.seed = static_cast<std::uint64_t>(10 + m);
      Session s = synthetic::make_session(o);
      // A slow random dendritic drive (AR(1), time constant 2 s) common to every neuron, absent from
      // the soma. Random, not periodic: a shifted periodic drive would stay predictable.
      apical::CounterRng rng(o.seed, 99);
      double drive = 0.0;
      for (std::size_t k = 0; k < s.frames(); ++k) {
        drive = (1.0 - 1.0 / 30.0) * drive + std::sqrt(2.0 / 30.0) * rng.normal();
        for (NeuronRecord& n : s.neurons) n.dendrite_dff[k] += shared_dendritic * drive;
      }
      c.sessions.push_back(std::move(s));
    }
    std::vector<SessionTransients> t;
    for (const Session& s : c.sessions) t.push_back(detect_session_transients(s));
    return residual_network(c, sd_residuals(c, t));
  };
  const NetworkSummary with = analyse(0.02), without = analyse(0.0);
  REQUIRE(with.mice.size() == 3);
  REQUIRE(without.mice.size() == 3);
  CHECK(with.r2_mean > 0.3);
  CHECK(with.r2_mean > with.null_mean + 0.3);
  CHECK(with.fraction_significant > 0.9);
  CHECK(std::abs(without.r2_mean - without.null_mean) < 0.03);
  CHECK(without.fraction_significant < 0.2);
  for (const RoleNetworkSummary& r : with.roles) CHECK(r.r2_mean > 0.3);
}
