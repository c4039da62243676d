#include "apical/engine/morphology.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "section_geometry.hpp"

namespace apical {
namespace {

std::string node_label(const std::string& section, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", x);
  return section + "(" + buf + ")";
}

void check_section(const Morphology& m, std::size_t s) {
  const SectionSpec& sec = m.sections[s];
  const auto fail = [&](const std::string& what) {
    throw std::invalid_argument("section '" + sec.name + "': " + what);
  };
  if (s == 0 && sec.parent != -1) fail("the first section must be the root (no parent)");
  if (s > 0 && (sec.parent < 0 || sec.parent >= static_cast<int>(s)))
    fail("its parent must be an earlier section");
  if (sec.parent_x < 0.0 || sec.parent_x > 1.0) fail("parent_x must lie in [0, 1]");
  if (!(sec.length_um > 0.0)) fail("length must be positive");
  if (!(sec.diam_start_um > 0.0) || !(sec.diam_end_um > 0.0)) fail("diameter must be positive");
  if (sec.nseg < 1) fail("nseg must be at least 1");
  if (!(sec.Ra_ohm_cm > 0.0)) fail("Ra must be positive");
  if (!(sec.cm_uF_per_cm2 > 0.0)) fail("cm must be positive");
  if (!sec.profile.empty()) detail::check_profile(sec, fail);
}

}  // namespace

Cable discretise(const Morphology& morphology) {
  if (morphology.sections.empty()) throw std::invalid_argument("morphology has no sections");
  for (std::size_t s = 0; s < morphology.sections.size(); ++s) check_section(morphology, s);

  Cable cable;
  const auto add_node = [&](const std::string& name, int parent, int section, double x, double diam,
                            double length, double area, double cm, double g_axial) {
    cable.node_name.push_back(name);
    cable.parent.push_back(parent);
    cable.section_of.push_back(section);
    cable.x_of.push_back(x);
    cable.diam_um.push_back(diam);
    cable.length_um.push_back(length);
    cable.area_um2.push_back(area);
    cable.capacitance_nF.push_back(cm * area * 1e-5);  // µF/cm² · µm² · 1e-8 cm²/µm² · 1e3 nF/µF
    cable.g_axial_uS.push_back(g_axial);
    return static_cast<int>(cable.parent.size()) - 1;
  };

  const auto n_sections = morphology.sections.size();
  cable.segment_nodes.resize(n_sections);
  cable.end_node.resize(n_sections);
  const SectionSpec& root = morphology.sections[0];
  cable.root_node = add_node(node_label(root.name, 0), -1, 0, 0.0, 0, 0, 0, 0, 0);

  for (std::size_t s = 0; s < n_sections; ++s) {
    const SectionSpec& sec = morphology.sections[s];
    const double seg_len = sec.length_um / sec.nseg;
    int attach = s == 0 ? cable.root_node
                        : node_at(morphology, cable, Site{sec.parent, sec.parent_x});
    double previous_half_R = 0.0;  // the link to the attachment node is this segment's half only
    for (int j = 0; j < sec.nseg; ++j) {
      const double x = (j + 0.5) / sec.nseg;
      const detail::SegmentGeometry g = detail::segment_geometry(sec, j);
      const int node = add_node(node_label(sec.name, x), attach, static_cast<int>(s), x, g.diam_um, seg_len,
                                g.area_um2, sec.cm_uF_per_cm2, 1.0 / (g.proximal_half_R_Mohm + previous_half_R));
      cable.segment_nodes[s].push_back(node);
      attach = node;
      previous_half_R = g.distal_half_R_Mohm;
    }
    cable.end_node[s] = add_node(node_label(sec.name, 1), attach, static_cast<int>(s), 1.0, 0, 0, 0, 0,
                                 1.0 / previous_half_R);
  }
  return cable;
}

int node_at(const Morphology& morphology, const Cable& cable, Site site) {
  if (site.section < 0 || site.section >= static_cast<int>(morphology.sections.size()))
    throw std::invalid_argument("site refers to a section that does not exist");
  if (site.x < 0.0 || site.x > 1.0) throw std::invalid_argument("site position must lie in [0, 1]");
  const SectionSpec& sec = morphology.sections[site.section];
  if (site.x == 1.0) return cable.end_node[site.section];
  if (site.x == 0.0)
    return site.section == 0 ? cable.root_node : cable.parent[cable.segment_nodes[site.section][0]];
  const int j = std::min(static_cast<int>(site.x * sec.nseg), sec.nseg - 1);
  return cable.segment_nodes[site.section][j];
}

double path_distance_um(const Morphology& morphology, Site origin, Site point) {
  if (origin.section != 0) throw std::invalid_argument("the distance origin must lie on the root section");
  const auto& secs = morphology.sections;
  double along = 0.0;  // distance from point's section 0-end (or the origin) down to the root section
  Site p = point;
  while (p.section != 0) {
    along += p.x * secs[p.section].length_um;
    p = Site{secs[p.section].parent, secs[p.section].parent_x};
  }
  return along + std::abs(p.x - origin.x) * secs[0].length_um;
}

}  // namespace apical
