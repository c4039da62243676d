#include "section_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace apical::detail {
namespace {

constexpr double pi = std::numbers::pi;

// Ra[Ω·cm]·ℓ[µm]/A[µm²] is 10⁴ Ω, i.e. 0.01 MΩ.
constexpr double Mohm_per_ohm_cm_per_um = 0.01;

SegmentGeometry tapered_segment(const SectionSpec& sec, int j) {
  // One diameter per segment, the one at its centre (NEURON's rule for sections without 3-D points).
  const double seg_len = sec.length_um / sec.nseg;
  const double x = (j + 0.5) / sec.nseg;
  const double diam = sec.diam_start_um + (sec.diam_end_um - sec.diam_start_um) * x;
  const double half_R = Mohm_per_ohm_cm_per_um * sec.Ra_ohm_cm * (seg_len / 2.0) / (pi * diam * diam / 4.0);
  return {diam, pi * diam * seg_len, half_R, half_R};
}

double diameter_at(const std::vector<ProfilePoint>& profile, double arc_um) {
  const auto after = std::upper_bound(profile.begin(), profile.end(), arc_um,
                                      [](double a, const ProfilePoint& p) { return a < p.arc_um; });
  if (after == profile.begin()) return profile.front().diam_um;
  if (after == profile.end()) return profile.back().diam_um;
  const ProfilePoint& p0 = *(after - 1);
  const ProfilePoint& p1 = *after;
  return p0.diam_um + (p1.diam_um - p0.diam_um) * (arc_um - p0.arc_um) / (p1.arc_um - p0.arc_um);
}

// Sums f(length, d_start, d_end) over the frusta of the profile between arcs a and b.
template <class F>
double over_frusta(const std::vector<ProfilePoint>& profile, double a, double b, F f) {
  double sum = 0.0;
  for (std::size_t k = 1; k < profile.size(); ++k) {
    const double u = std::max(a, profile[k - 1].arc_um);
    const double v = std::min(b, profile[k].arc_um);
    if (v > u) sum += f(v - u, diameter_at(profile, u), diameter_at(profile, v));
  }
  return sum;
}

SegmentGeometry profiled_segment(const SectionSpec& sec, int j) {
  const double seg_len = sec.length_um / sec.nseg;
  const double a = j * seg_len, centre = a + seg_len / 2.0, b = a + seg_len;
  const auto lateral_area = [](double len, double d0, double d1) {
    return pi * (d0 + d1) / 2.0 * std::hypot(len, (d0 - d1) / 2.0);
  };
  const auto resistance = [&](double len, double d0, double d1) {
    return Mohm_per_ohm_cm_per_um * sec.Ra_ohm_cm * 4.0 * len / (pi * d0 * d1);
  };
  return {diameter_at(sec.profile, centre), over_frusta(sec.profile, a, b, lateral_area),
          over_frusta(sec.profile, a, centre, resistance), over_frusta(sec.profile, centre, b, resistance)};
}

}  // namespace

SegmentGeometry segment_geometry(const SectionSpec& section, int j) {
  return section.profile.empty() ? tapered_segment(section, j) : profiled_segment(section, j);
}

void check_profile(const SectionSpec& section, const std::function<void(const std::string&)>& fail) {
  const auto& profile = section.profile;
  if (profile.size() < 2) fail("a diameter profile needs at least two points");
  if (profile.front().arc_um != 0.0 || profile.back().arc_um != section.length_um)
    fail("the diameter profile must run from arc 0 to the section length");
  for (std::size_t k = 0; k < profile.size(); ++k) {
    if (!(profile[k].diam_um > 0.0)) fail("profile diameters must be positive");
    if (k > 0 && !(profile[k].arc_um >= profile[k - 1].arc_um)) fail("profile arcs must not decrease");
  }
}

}  // namespace apical::detail
