#pragma once
// Private helpers shared by the analysis sources: lookups in sorted key lists and the complete-case
// selection that feeds the RM ANOVAs.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "apical/analysis/grid.hpp"

namespace apical::analysis {

// Position of `key` in the sorted, unique `keys`; throws std::logic_error if absent (an internal bug).
template <class T>
std::size_t index_of(const std::vector<T>& keys, const T& key) {
  const auto it = std::lower_bound(keys.begin(), keys.end(), key);
  if (it == keys.end() || *it != key) throw std::logic_error("analysis: key missing from its own index");
  return static_cast<std::size_t>(it - keys.begin());
}

// Columns in which every row is present (`present` holds 1 or 0).
inline std::vector<std::size_t> columns_present_in_all_rows(const Grid& present) {
  std::vector<std::size_t> cols;
  for (std::size_t c = 0; c < present.cols; ++c) {
    bool all = present.rows > 0;
    for (std::size_t r = 0; r < present.rows; ++r) all = all && present(r, c) != 0.0;
    if (all) cols.push_back(c);
  }
  return cols;
}

// The chosen columns of the rows that are finite in all of them.
inline Grid complete_rows(const Grid& m, const std::vector<std::size_t>& cols) {
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < m.rows; ++r) {
    bool ok = true;
    for (std::size_t c : cols) ok = ok && std::isfinite(m(r, c));
    if (ok) rows.push_back(r);
  }
  Grid out(rows.size(), cols.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < cols.size(); ++j) out(i, j) = m(rows[i], cols[j]);
  return out;
}

}  // namespace apical::analysis
