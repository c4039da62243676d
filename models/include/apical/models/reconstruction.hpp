#pragma once
// A reconstructed neuron as a tree of samples — the common ground of SWC and Neurolucida files — and
// its conversion into a CellDescription of sections whose segment counts follow the d-lambda rule.
//
// Sections: a section runs from a tree's first sample, or from a branch point, to the next branch
// point, a terminal, or the last sample before the sample type changes. A child section starts at its
// parent's last point (as NEURON's Import3d does), so section lengths sum to the tree's length.
// Trees attach to soma(0.5); the stems from an SWC soma centre to the first neurite samples lie inside
// the soma and are not part of any section.
//
// The soma becomes one section named "soma":
//   * one-point SWC soma (radius r): a cylinder of length and diameter 2r, whose side area is the
//     sphere's 4πr² (NEURON's convention);
//   * three-point SWC soma (NeuroMorpho.org: a centre sample and two children at ±r): the same cylinder;
//   * a closed contour (Neurolucida's CellBody): cut perpendicular to its principal axis into 21
//     slices of equal width; the contour's width at each slice centre gives the diameter profile.
//
// The cell keeps its tracing (tracing.hpp): each section's points where the samples lie, and the soma
// as a ball.
#include <stdexcept>
#include <string>
#include <vector>

#include "apical/engine/d_lambda.hpp"
#include "apical/models/cell_description.hpp"

namespace apical {

struct Sample {
  double x_um = 0, y_um = 0, z_um = 0;
  double radius_um = 0;
  NeuriteType type = NeuriteType::soma;
  int parent = -1;  // index of the parent sample, lower than this sample's; -1 for a root
  int line = 0;     // line of the file it came from, for messages
};

struct Reconstruction {
  std::vector<Sample> samples;  // parents precede children
  // The soma outline when the file draws one (Neurolucida); empty when samples of type soma give it.
  std::vector<Point3> soma_contour;
  int soma_contour_line = 0;
};

struct ImportOptions {
  double Ra_ohm_cm = 100.0;       // NEURON's default
  double cm_uF_per_cm2 = 1.0;
  DLambdaRule d_lambda;           // 0.1 at 100 Hz
};

struct ImportedCell {
  CellDescription cell;  // no mechanisms yet; distance origin soma(0.5); with its tracing

  [[nodiscard]] NeuriteType section_type(std::size_t section) const { return cell.tracing->sections[section].type; }
};

// A reconstruction that cannot become a cell; line() is the file line at fault (0: the whole file).
class ReconstructionError : public std::invalid_argument {
 public:
  ReconstructionError(int line, const std::string& detail) : std::invalid_argument(detail), line_(line) {}
  [[nodiscard]] int line() const { return line_; }

 private:
  int line_;
};

ImportedCell cell_from_reconstruction(const Reconstruction& reconstruction, const std::string& name,
                                      const ImportOptions& options = {});

// The contour soma described above, as the section "soma" (ReconstructionError naming `line` when the
// outline is degenerate).
SectionSpec soma_from_contour(const std::vector<Point3>& contour, int line);

}  // namespace apical
