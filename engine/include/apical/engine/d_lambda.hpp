#pragma once
// The d-lambda rule (Hines & Carnevale 2001, "NEURON: a tool for neuroscientists", The Neuroscientist
// 7:123–135): every segment should be shorter than a fraction d_lambda of the AC length constant
//
//   λ_f = ½·√(d / (π·f·R_a·c_m))        (1e5·√(d/(4π·f·R_a·c_m)) µm with d in µm, f in Hz,
//                                         R_a in Ω·cm, c_m in µF/cm²)
//
// at frequency f, which is near the membrane's high-frequency limit where λ depends only on R_a and
// c_m. NEURON's default is d_lambda = 0.1 at f = 100 Hz. A section's electrotonic length L/λ_f is
// summed over its profile, Σ Δs/λ_f(d̄) with d̄ the mean diameter of each piece, and the segment count
// is the odd number nseg = 2·⌊(L/(d_lambda·λ_f) + 0.9)/2⌋ + 1 (odd, so the section's midpoint is a node).
#include "apical/engine/morphology.hpp"

namespace apical {

struct DLambdaRule {
  double d_lambda = 0.1;
  double frequency_Hz = 100.0;
};

// λ_f in µm for a cylinder of diameter d.
double lambda_f_um(double diam_um, double Ra_ohm_cm, double cm_uF_per_cm2, double frequency_Hz);

// L/λ_f of a section from its profile, or from its taper when it has none.
double electrotonic_length(const SectionSpec& section, double frequency_Hz);

int d_lambda_nseg(const SectionSpec& section, const DLambdaRule& rule);

// Sets every section's nseg by the rule, from its own geometry, R_a and c_m.
void apply_d_lambda(Morphology& morphology, const DLambdaRule& rule);

}  // namespace apical
