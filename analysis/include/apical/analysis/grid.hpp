#pragma once
// A plain rows × cols table of doubles (row-major), the one matrix type of the public analysis API.
// Eigen is used inside the library only: Eigen objects that cross a library boundary must be compiled
// with identical SIMD flags on both sides (alignment), which a plain vector never requires.
#include <cstddef>
#include <initializer_list>
#include <limits>
#include <vector>

namespace apical::analysis {

struct Grid {
  std::size_t rows = 0, cols = 0;
  std::vector<double> values;  // [rows · cols], row-major

  Grid() = default;
  Grid(std::size_t r, std::size_t c, double fill = 0.0) : rows(r), cols(c), values(r * c, fill) {}
  // Row by row: Grid{{1, 2, 3}, {4, 5, 6}}. Throws std::invalid_argument for ragged rows.
  Grid(std::initializer_list<std::initializer_list<double>> rows_list);

  [[nodiscard]] double& operator()(std::size_t r, std::size_t c) { return values[r * cols + c]; }
  [[nodiscard]] double operator()(std::size_t r, std::size_t c) const { return values[r * cols + c]; }
  [[nodiscard]] std::vector<double> row(std::size_t r) const;
  [[nodiscard]] std::vector<double> column(std::size_t c) const;

  static Grid nan(std::size_t r, std::size_t c) { return {r, c, std::numeric_limits<double>::quiet_NaN()}; }
};

}  // namespace apical::analysis
