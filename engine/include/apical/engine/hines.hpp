#pragma once
// Solves the tree-structured (Hines) linear system of a cable for a batch of cells in place.
//
// The matrix has diagonal diag[node*n + c] and symmetric off-diagonals offdiag[node] linking each node
// to parent[node] (identical for all cells). Nodes are ordered so that parent[i] < i. On return rhs
// holds the solution; diag is overwritten.
#include <vector>

namespace apical {

void hines_solve(const std::vector<int>& parent, const std::vector<double>& offdiag, int n_cells,
                 std::vector<double>& diag, std::vector<double>& rhs);

}  // namespace apical
