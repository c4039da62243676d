#include "apical/viz/cell_shape.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <stdexcept>

namespace apical::viz {
namespace {

Vec3 along(const Vec3& origin, const Vec3& direction, double distance) {
  return {origin[0] + direction[0] * distance, origin[1] + direction[1] * distance, origin[2] + direction[2] * distance};
}

// Rotation in the picture plane (x, y); the schematic layout stays flat.
Vec3 rotated(const Vec3& d, double degrees) {
  const double a = degrees * std::numbers::pi / 180.0, c = std::cos(a), s = std::sin(a);
  return {c * d[0] - s * d[1], s * d[0] + c * d[1], 0.0};
}

double diameter_at(const SectionSpec& s, double x) {
  if (s.profile.empty()) return s.diam_start_um + (s.diam_end_um - s.diam_start_um) * x;
  const double arc = x * s.length_um;
  const auto after = std::find_if(s.profile.begin(), s.profile.end(), [&](const ProfilePoint& p) { return p.arc_um >= arc; });
  if (after == s.profile.begin()) return after->diam_um;
  if (after == s.profile.end()) return s.profile.back().diam_um;
  const ProfilePoint& before = *(after - 1);
  const double span = after->arc_um - before.arc_um;
  return span > 0 ? before.diam_um + (after->diam_um - before.diam_um) * (arc - before.arc_um) / span : after->diam_um;
}

// How a child leaves its parent: 0 continues (x = 1), 1 reverses (x = 0), 2 oblique (in between).
int departure(double parent_x) { return parent_x >= 1.0 ? 0 : (parent_x <= 0.0 ? 1 : 2); }

// Whether the apical samples lie below the soma (its ball, else the first sample) on average.
bool apical_points_down(const std::vector<Sample>& samples, const CellShape& shape) {
  const double soma_y = !shape.somata.empty() ? shape.somata.front().centre[1] : samples.front().y_um;
  double sum = 0;
  int n = 0;
  for (const Sample& s : samples)
    if (s.type == NeuriteType::apical_dendrite) sum += s.y_um - soma_y, ++n;
  return n > 0 && sum < 0;
}

}  // namespace

CellShape schematic_shape(const Morphology& morphology) {
  const auto& sections = morphology.sections;
  if (sections.empty()) throw std::invalid_argument("the morphology has no sections");
  std::vector<Vec3> start(sections.size()), direction(sections.size());
  // Siblings leaving a parent the same way, counted first so that each fan is centred.
  std::map<std::pair<int, int>, int> siblings, placed;
  for (const SectionSpec& s : sections)
    if (s.parent >= 0) ++siblings[{s.parent, departure(s.parent_x)}];
  int oblique_side = 1;
  CellShape shape;
  int segment = 0;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const SectionSpec& s = sections[i];
    if (s.parent < 0) {
      direction[i] = {0.0, 1.0, 0.0};
      start[i] = {0.0, -0.5 * s.length_um, 0.0};
    } else {
      const auto p = static_cast<std::size_t>(s.parent);
      start[i] = along(start[p], direction[p], s.parent_x * sections[p].length_um);
      const int how = departure(s.parent_x);
      Vec3 base = direction[p];
      if (how == 1) base = rotated(base, 180.0);
      if (how == 2) {
        base = rotated(base, oblique_side * 135.0);
        oblique_side = -oblique_side;
      }
      const int n = siblings[{s.parent, how}], k = placed[{s.parent, how}]++;
      direction[i] = rotated(base, (k - 0.5 * (n - 1)) * fan_angle_deg);
    }
    for (int k = 0; k < s.nseg; ++k, ++segment) {
      const double x0 = static_cast<double>(k) / s.nseg, x1 = static_cast<double>(k + 1) / s.nseg;
      shape.frusta.push_back({along(start[i], direction[i], x0 * s.length_um),
                              along(start[i], direction[i], x1 * s.length_um), 0.5 * diameter_at(s, x0),
                              0.5 * diameter_at(s, x1), segment});
    }
  }
  return shape;
}

CellShape reconstruction_shape(const Reconstruction& reconstruction) {
  const auto& samples = reconstruction.samples;
  if (samples.empty() && reconstruction.soma_contour.empty()) throw std::invalid_argument("the reconstruction is empty");
  CellShape shape;
  shape.typed = true;
  const auto point = [](const Sample& s) { return Vec3{s.x_um, s.y_um, s.z_um}; };
  for (const Sample& s : samples) {
    if (s.parent < 0) {
      if (s.type == NeuriteType::soma) shape.somata.push_back({point(s), s.radius_um});
      continue;
    }
    const Sample& parent = samples[static_cast<std::size_t>(s.parent)];
    shape.frusta.push_back({point(parent), point(s), parent.type == s.type ? parent.radius_um : s.radius_um,
                            s.radius_um, -1, s.type});
  }
  if (const auto& contour = reconstruction.soma_contour; !contour.empty()) {
    Vec3 centre{0, 0, 0};
    for (const Point3& p : contour) centre = along(centre, {p.x_um, p.y_um, p.z_um}, 1.0 / contour.size());
    double radius = 0;
    for (const Point3& p : contour)
      radius += std::hypot(p.x_um - centre[0], p.y_um - centre[1], p.z_um - centre[2]) / contour.size();
    shape.somata.push_back({centre, radius});
  }
  if (apical_points_down(samples, shape)) {
    const auto turn = [](Vec3& p) { p[1] = -p[1], p[2] = -p[2]; };
    for (Frustum& f : shape.frusta) turn(f.a), turn(f.b);
    for (Ball& b : shape.somata) turn(b.centre);
  }
  return shape;
}

std::array<double, 6> bounds(const CellShape& shape) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  std::array<double, 6> b{inf, -inf, inf, -inf, inf, -inf};
  const auto grow = [&](const Vec3& c, double r) {
    for (int d = 0; d < 3; ++d) {
      b[2 * d] = std::min(b[2 * d], c[d] - r);
      b[2 * d + 1] = std::max(b[2 * d + 1], c[d] + r);
    }
  };
  for (const Frustum& f : shape.frusta) {
    grow(f.a, f.radius_a_um);
    grow(f.b, f.radius_b_um);
  }
  for (const Ball& s : shape.somata) grow(s.centre, s.radius_um);
  return b;
}

}  // namespace apical::viz
