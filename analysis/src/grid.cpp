#include "apical/analysis/grid.hpp"

#include <stdexcept>

namespace apical::analysis {

Grid::Grid(std::initializer_list<std::initializer_list<double>> rows_list) {
  rows = rows_list.size();
  cols = rows ? rows_list.begin()->size() : 0;
  values.reserve(rows * cols);
  for (const auto& r : rows_list) {
    if (r.size() != cols) throw std::invalid_argument("Grid: every row needs the same number of columns");
    values.insert(values.end(), r.begin(), r.end());
  }
}

std::vector<double> Grid::row(std::size_t r) const {
  return {values.begin() + static_cast<std::ptrdiff_t>(r * cols), values.begin() + static_cast<std::ptrdiff_t>((r + 1) * cols)};
}

std::vector<double> Grid::column(std::size_t c) const {
  std::vector<double> v(rows);
  for (std::size_t r = 0; r < rows; ++r) v[r] = values[r * cols + c];
  return v;
}

}  // namespace apical::analysis
