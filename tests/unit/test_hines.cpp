// The Hines elimination against a dense LU solve of the same matrix (Eigen), on random trees.
#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include "apical/engine/hines.hpp"
#include "apical/engine/random.hpp"

using namespace apical;

TEST_CASE("Hines elimination equals a dense solve on random trees and batches", "[engine][hines]") {
  CounterRng rng(42, 0);
  for (int trial = 0; trial < 20; ++trial) {
    const int n = 2 + static_cast<int>(rng.uniform() * 40), cells = 1 + trial % 5;
    std::vector<int> parent(n, -1);
    std::vector<double> off(n, 0.0), diag(n * cells), rhs(n * cells);
    for (int i = 1; i < n; ++i) {
      parent[i] = static_cast<int>(rng.uniform() * i);
      off[i] = -(0.1 + rng.uniform());
    }
    for (auto& d : diag) d = 5.0 + 10.0 * rng.uniform();  // diagonally dominant
    for (auto& r : rhs) r = rng.normal();
    for (int c = 0; c < cells; ++c) {
      Eigen::MatrixXd A = Eigen::MatrixXd::Zero(n, n);
      Eigen::VectorXd b(n);
      for (int i = 0; i < n; ++i) {
        A(i, i) = diag[i * cells + c];
        b(i) = rhs[i * cells + c];
        if (parent[i] >= 0) A(i, parent[i]) = A(parent[i], i) = off[i];
      }
      const Eigen::VectorXd x = A.partialPivLu().solve(b);
      std::vector<double> d = diag, r = rhs;
      hines_solve(parent, off, cells, d, r);
      for (int i = 0; i < n; ++i) REQUIRE(r[i * cells + c] == Approx(x(i)).epsilon(1e-12).margin(1e-12));
    }
  }
}
