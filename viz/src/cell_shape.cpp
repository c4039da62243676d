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

Vec3 between(const Vec3& a, const Vec3& b, double f) { return along(a, {b[0] - a[0], b[1] - a[1], b[2] - a[2]}, f); }

Vec3 vec(const Point3& p) { return {p.x_um, p.y_um, p.z_um}; }

// Turns the shape upside down (y and z negated) when the apical dendrite's points lie below the soma
// on average, so that pia is up.
void put_pia_up(CellShape& shape, double soma_y, const std::vector<double>& apical_y) {
  double sum = 0;
  for (double y : apical_y) sum += y - soma_y;
  if (apical_y.empty() || sum >= 0) return;
  const auto turn = [](Vec3& p) { p[1] = -p[1], p[2] = -p[2]; };
  for (Frustum& f : shape.frusta) turn(f.a), turn(f.b);
  for (Ball& b : shape.somata) turn(b.centre);
}

// The frusta of one traced section, cut where its segments meet so that each lies in one segment.
void add_traced_section(const SectionSpec& section, const SectionTrace& trace, int first_segment, CellShape& shape) {
  const double length = section.length_um;
  const int nseg = section.nseg;
  for (std::size_t k = 1; k < trace.points.size(); ++k) {
    const ProfilePoint &p0 = section.profile[k - 1], &p1 = section.profile[k];
    const double span = p1.arc_um - p0.arc_um;
    if (!(span > 0)) continue;  // coincident points
    std::vector<double> cuts{p0.arc_um};
    for (int j = 1; j < nseg; ++j) {
      const double boundary = length * j / nseg;
      if (boundary > p0.arc_um && boundary < p1.arc_um) cuts.push_back(boundary);
    }
    cuts.push_back(p1.arc_um);
    const Vec3 a = vec(trace.points[k - 1]), b = vec(trace.points[k]);
    const auto point = [&](double arc) { return between(a, b, (arc - p0.arc_um) / span); };
    const auto radius = [&](double arc) {
      return 0.5 * (p0.diam_um + (p1.diam_um - p0.diam_um) * (arc - p0.arc_um) / span);
    };
    for (std::size_t c = 1; c < cuts.size(); ++c) {
      const double middle = 0.5 * (cuts[c - 1] + cuts[c]);
      const int segment = std::clamp(static_cast<int>(middle / length * nseg), 0, nseg - 1);
      shape.frusta.push_back({point(cuts[c - 1]), point(cuts[c]), radius(cuts[c - 1]), radius(cuts[c]),
                              first_segment + segment, trace.type});
    }
  }
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
  std::vector<double> apical_y;
  for (const Sample& s : samples)
    if (s.type == NeuriteType::apical_dendrite) apical_y.push_back(s.y_um);
  put_pia_up(shape, !shape.somata.empty() ? shape.somata.front().centre[1] : samples.front().y_um, apical_y);
  return shape;
}

CellShape traced_shape(const CellDescription& cell) {
  if (!cell.tracing) throw std::invalid_argument("the cell '" + cell.name + "' was not imported from a reconstruction");
  const Tracing& tracing = *cell.tracing;
  const auto& sections = cell.morphology.sections;
  if (tracing.sections.size() != sections.size() || sections.empty())
    throw std::invalid_argument("the tracing of '" + cell.name + "' does not match its sections");
  CellShape shape;
  shape.typed = true;
  const Vec3 soma = vec(tracing.soma_centre);
  const int soma_segment = sections.front().nseg / 2;  // the segment holding soma(0.5)
  shape.somata.push_back({soma, tracing.soma_radius_um, soma_segment});
  std::vector<double> apical_y;
  int first_segment = 0;
  for (std::size_t s = 0; s < sections.size(); ++s) {
    const SectionSpec& section = sections[s];
    const SectionTrace& trace = tracing.sections[s];
    if (trace.points.size() != (s == 0 ? 0 : section.profile.size()))
      throw std::invalid_argument("section '" + section.name + "' of '" + cell.name + "' has " +
                                  std::to_string(trace.points.size()) + " traced points for " +
                                  std::to_string(section.profile.size()) + " profile points");
    if (section.parent == 0) {
      const double r = 0.5 * section.profile.front().diam_um;
      shape.frusta.push_back({soma, vec(trace.points.front()), r, r, soma_segment, trace.type});
    }
    add_traced_section(section, trace, first_segment, shape);
    if (trace.type == NeuriteType::apical_dendrite)
      for (const Point3& p : trace.points) apical_y.push_back(p.y_um);
    first_segment += section.nseg;
  }
  put_pia_up(shape, soma[1], apical_y);
  return shape;
}

CellShape cell_shape(const CellDescription& cell) {
  return cell.tracing ? traced_shape(cell) : schematic_shape(cell.morphology);
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
