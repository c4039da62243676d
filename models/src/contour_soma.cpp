// The soma section of a contour soma (see reconstruction.hpp): principal axes of the outline, then
// the outline's width across that axis at the centres of 21 equal slices.
#include <algorithm>
#include <array>
#include <cmath>

#include "apical/models/reconstruction.hpp"

namespace apical {
namespace {

using Vec = std::array<double, 3>;
using Mat = std::array<Vec, 3>;

constexpr int slices = 21;

double dot(const Vec& a, const Vec& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

Vec times(const Mat& m, const Vec& v) { return {dot(m[0], v), dot(m[1], v), dot(m[2], v)}; }

Vec normalised(const Vec& v) {
  const double n = std::sqrt(dot(v, v));
  return n > 0 ? Vec{v[0] / n, v[1] / n, v[2] / n} : v;
}

// Dominant eigenvector of a symmetric positive semi-definite matrix by power iteration, started
// from `start` (which must not be orthogonal to it; the matrix's largest column is not).
Vec dominant_axis(const Mat& m, Vec start) {
  Vec v = normalised(start);
  for (int k = 0; k < 200; ++k) v = normalised(times(m, v));
  return v;
}

Vec largest_column(const Mat& m) {
  Vec best{1, 0, 0};
  for (const Vec& row : m)  // symmetric: rows are columns
    if (dot(row, row) > dot(best, best)) best = row;
  return best;
}

// The outline's extent across the line t = const (perpendicular coordinate s), or 0 if it misses it.
double width_at(const std::vector<std::array<double, 2>>& outline, double t) {
  double lo = INFINITY, hi = -INFINITY;
  for (std::size_t k = 0; k < outline.size(); ++k) {
    const auto& p = outline[k];
    const auto& q = outline[(k + 1) % outline.size()];  // closed
    if ((p[0] - t) * (q[0] - t) > 0 || p[0] == q[0]) continue;
    const double s = p[1] + (q[1] - p[1]) * (t - p[0]) / (q[0] - p[0]);
    lo = std::min(lo, s);
    hi = std::max(hi, s);
  }
  return hi > lo ? hi - lo : 0.0;
}

}  // namespace

SectionSpec soma_from_contour(const std::vector<Point3>& contour, int line) {
  const auto fail = [&](const std::string& what) { throw ReconstructionError(line, "the soma contour " + what); };
  if (contour.size() < 3) fail("needs at least three points");
  Vec centre{0, 0, 0};
  for (const Point3& p : contour) centre = {centre[0] + p.x_um, centre[1] + p.y_um, centre[2] + p.z_um};
  for (double& c : centre) c /= static_cast<double>(contour.size());
  std::vector<Vec> rel;
  for (const Point3& p : contour) rel.push_back({p.x_um - centre[0], p.y_um - centre[1], p.z_um - centre[2]});

  Mat scatter{};
  for (const Vec& r : rel)
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) scatter[i][j] += r[i] * r[j];
  const Vec axis = dominant_axis(scatter, largest_column(scatter));
  // The second axis spans the outline's plane with the first: deflate the first and iterate again.
  const double major = dot(axis, times(scatter, axis));
  Mat deflated = scatter;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) deflated[i][j] -= major * axis[i] * axis[j];
  const Vec across = dominant_axis(deflated, largest_column(deflated));

  std::vector<std::array<double, 2>> outline;
  for (const Vec& r : rel) outline.push_back({dot(r, axis), dot(r, across)});
  double t_min = INFINITY, t_max = -INFINITY;
  for (const auto& p : outline) {
    t_min = std::min(t_min, p[0]);
    t_max = std::max(t_max, p[0]);
  }
  const double length = t_max - t_min;
  if (!(length > 0.0)) fail("has no extent");

  SectionSpec soma;
  soma.name = "soma";
  soma.length_um = length;
  for (int k = 0; k < slices; ++k) {
    const double arc = (k + 0.5) * length / slices;
    const double width = width_at(outline, t_min + arc);
    if (!(width > 0.0)) fail("is degenerate (no width across its long axis)");
    if (k == 0) soma.profile.push_back({0.0, width});
    soma.profile.push_back({arc, width});
    if (k == slices - 1) soma.profile.push_back({length, width});
  }
  soma.diam_start_um = soma.profile.front().diam_um;
  soma.diam_end_um = soma.profile.back().diam_um;
  return soma;
}

}  // namespace apical
