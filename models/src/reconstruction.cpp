#include "apical/models/reconstruction.hpp"

#include <cmath>

namespace apical {
namespace {

double distance_um(const Sample& a, const Sample& b) {
  return std::hypot(a.x_um - b.x_um, a.y_um - b.y_um, a.z_um - b.z_um);
}

Point3 position(const Sample& s) { return {s.x_um, s.y_um, s.z_um}; }

std::vector<std::vector<int>> children_of(const std::vector<Sample>& samples) {
  std::vector<std::vector<int>> children(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const int parent = samples[i].parent;
    if (parent >= static_cast<int>(i))
      throw ReconstructionError(samples[i].line, "a sample's parent must come before it");
    if (parent >= 0) children[static_cast<std::size_t>(parent)].push_back(static_cast<int>(i));
  }
  return children;
}

SectionSpec cylinder_soma(double radius_um) {
  SectionSpec soma;
  soma.name = "soma";
  soma.length_um = soma.diam_start_um = soma.diam_end_um = 2.0 * radius_um;
  return soma;
}

// The soma section from the samples of type soma, the one-point or the three-point form; its centre
// sample becomes the tracing's soma ball.
SectionSpec soma_from_samples(const std::vector<Sample>& samples, Tracing& tracing) {
  std::vector<int> soma;
  for (std::size_t i = 0; i < samples.size(); ++i)
    if (samples[i].type == NeuriteType::soma) soma.push_back(static_cast<int>(i));
  if (soma.empty()) throw ReconstructionError(0, "there is no soma (no sample of type 1, soma)");
  const Sample& centre = samples[static_cast<std::size_t>(soma[0])];
  if (centre.parent != -1) throw ReconstructionError(centre.line, "the first soma sample must be a root (parent -1)");
  const bool three_point = soma.size() == 3 && samples[static_cast<std::size_t>(soma[1])].parent == soma[0] &&
                           samples[static_cast<std::size_t>(soma[2])].parent == soma[0];
  if (soma.size() != 1 && !three_point)
    throw ReconstructionError(samples[static_cast<std::size_t>(soma[1])].line,
                              "a soma of " + std::to_string(soma.size()) +
                                  " samples: apical reads the one-point soma and the three-point soma "
                                  "(a centre sample with two children at +-r)");
  tracing.soma_centre = position(centre);
  tracing.soma_radius_um = centre.radius_um;
  return cylinder_soma(centre.radius_um);
}

// A contour soma's ball: the outline's centroid and its mean distance from it.
void place_contour_ball(const std::vector<Point3>& contour, Tracing& tracing) {
  const double n = static_cast<double>(contour.size());
  Point3& c = tracing.soma_centre;
  for (const Point3& p : contour) c = {c.x_um + p.x_um / n, c.y_um + p.y_um / n, c.z_um + p.z_um / n};
  double& radius = tracing.soma_radius_um;
  radius = 0;
  for (const Point3& p : contour) radius += std::hypot(p.x_um - c.x_um, p.y_um - c.y_um, p.z_um - c.z_um) / n;
}

std::string section_prefix(NeuriteType type) {
  switch (type) {
    case NeuriteType::axon: return "axon_";
    case NeuriteType::basal_dendrite: return "dend_";
    case NeuriteType::apical_dendrite: return "apic_";
    case NeuriteType::soma: break;
  }
  return "soma_";
}

// Walks the neurite trees and appends their sections, parents before children.
class SectionBuilder {
 public:
  SectionBuilder(const std::vector<Sample>& samples, ImportedCell& out)
      : samples_(samples), children_(children_of(samples)), out_(out) {}

  // A tree whose first sample is `root`, attached to soma(0.5). A root that branches (or changes type)
  // at once starts no section of its own: its children's sections start from it.
  void add_tree(int root) {
    const auto& kids = children_[static_cast<std::size_t>(root)];
    if (kids.empty())
      throw ReconstructionError(at(root).line, "this " + std::string(neurite_type_name(at(root).type)) +
                                                   " is a single sample: it has no length");
    if (continues(root)) {
      pending_.push_back({root, -1, 0, 0.5});
    } else {
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) pending_.push_back({*it, root, 0, 0.5});
    }
    while (!pending_.empty()) {
      const Pending next = pending_.back();
      pending_.pop_back();
      add_section(next);
    }
  }

 private:
  struct Pending {
    int first;         // first sample of the section's own
    int start;         // sample the section starts from (its parent's last point), -1 for a tree root
    int parent_section;
    double parent_x;
  };

  // Whether the section through `i` goes on: one child, of the same type.
  bool continues(int i) const {
    const auto& kids = children_[static_cast<std::size_t>(i)];
    return kids.size() == 1 && at(kids[0]).type == at(i).type;
  }

  const Sample& at(int i) const { return samples_[static_cast<std::size_t>(i)]; }

  void add_section(const Pending& p) {
    const NeuriteType type = at(p.first).type;
    if (type == NeuriteType::soma)
      throw ReconstructionError(at(p.first).line, "a soma sample must not hang off a neurite");
    SectionSpec sec;
    std::vector<int> points;
    if (p.start >= 0) points.push_back(p.start);
    int last = p.first;
    points.push_back(last);
    while (continues(last)) {
      last = children_[static_cast<std::size_t>(last)][0];
      points.push_back(last);
    }
    double arc = 0.0;
    SectionTrace trace{type, {}};
    for (std::size_t k = 0; k < points.size(); ++k) {
      if (k > 0) arc += distance_um(at(points[k - 1]), at(points[k]));
      sec.profile.push_back({arc, 2.0 * at(points[k]).radius_um});
      trace.points.push_back(position(at(points[k])));
    }
    if (!(arc > 0.0))
      throw ReconstructionError(at(p.first).line,
                                "the " + std::string(neurite_type_name(type)) +
                                    " section that starts with this sample has zero length (its points coincide)");
    int& count = counts_[static_cast<int>(type)];
    sec.name = section_prefix(type) + std::to_string(count++);
    sec.parent = p.parent_section;
    sec.parent_x = p.parent_x;
    sec.length_um = arc;
    sec.diam_start_um = sec.profile.front().diam_um;
    sec.diam_end_um = sec.profile.back().diam_um;
    const int index = static_cast<int>(out_.cell.morphology.sections.size());
    out_.cell.morphology.sections.push_back(std::move(sec));
    out_.cell.tracing->sections.push_back(std::move(trace));
    // Reversed so that the first child is built first.
    const auto& kids = children_[static_cast<std::size_t>(last)];
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) pending_.push_back({*it, last, index, 1.0});
  }

  const std::vector<Sample>& samples_;
  std::vector<std::vector<int>> children_;
  ImportedCell& out_;
  std::vector<Pending> pending_;
  int counts_[5] = {};
};

}  // namespace

ImportedCell cell_from_reconstruction(const Reconstruction& reconstruction, const std::string& name,
                                      const ImportOptions& options) {
  const std::vector<Sample>& samples = reconstruction.samples;
  const bool contour = !reconstruction.soma_contour.empty();
  ImportedCell out;
  out.cell.name = name;
  out.cell.distance_origin = Site{0, 0.5};
  Tracing& tracing = out.cell.tracing.emplace();
  if (contour) {
    const auto& outline = reconstruction.soma_contour;
    out.cell.morphology.sections.push_back(soma_from_contour(outline, reconstruction.soma_contour_line));
    place_contour_ball(outline, tracing);
  } else {
    out.cell.morphology.sections.push_back(soma_from_samples(samples, tracing));
  }
  tracing.sections.push_back({NeuriteType::soma, {}});

  SectionBuilder builder(samples, out);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const Sample& s = samples[i];
    if (s.type == NeuriteType::soma) {
      if (contour) throw ReconstructionError(s.line, "a soma sample besides the soma contour");
      continue;
    }
    const bool on_soma = s.parent >= 0 && samples[static_cast<std::size_t>(s.parent)].type == NeuriteType::soma;
    if (s.parent == -1 && !contour)
      throw ReconstructionError(s.line, "this " + std::string(neurite_type_name(s.type)) +
                                            " sample is a root: its tree does not connect to the soma");
    if (on_soma || s.parent == -1) builder.add_tree(static_cast<int>(i));
  }
  for (SectionSpec& sec : out.cell.morphology.sections) {
    sec.Ra_ohm_cm = options.Ra_ohm_cm;
    sec.cm_uF_per_cm2 = options.cm_uF_per_cm2;
  }
  apply_d_lambda(out.cell.morphology, options.d_lambda);
  return out;
}

}  // namespace apical
