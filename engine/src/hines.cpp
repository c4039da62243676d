#include "apical/engine/hines.hpp"

namespace apical {

void hines_solve(const std::vector<int>& parent, const std::vector<double>& offdiag, int n_cells,
                 std::vector<double>& diag, std::vector<double>& rhs) {
  const std::size_t n = parent.size();
  const std::size_t N = static_cast<std::size_t>(n_cells);
  // Eliminate from the leaves towards the root: each node folds into its parent.
  for (std::size_t i = n; i-- > 1;) {
    const std::size_t p = static_cast<std::size_t>(parent[i]);
    const double a = offdiag[i];
    double* __restrict di = &diag[i * N];
    double* __restrict ri = &rhs[i * N];
    double* __restrict dp = &diag[p * N];
    double* __restrict rp = &rhs[p * N];
    for (std::size_t c = 0; c < N; ++c) {
      const double f = a / di[c];
      dp[c] -= f * a;
      rp[c] -= f * ri[c];
    }
  }
  for (std::size_t c = 0; c < N; ++c) rhs[c] /= diag[c];
  // Substitute back from the root.
  for (std::size_t i = 1; i < n; ++i) {
    const std::size_t p = static_cast<std::size_t>(parent[i]);
    const double a = offdiag[i];
    double* __restrict di = &diag[i * N];
    double* __restrict ri = &rhs[i * N];
    const double* __restrict xp = &rhs[p * N];
    for (std::size_t c = 0; c < N; ++c) ri[c] = (ri[c] - a * xp[c]) / di[c];
  }
}

}  // namespace apical
