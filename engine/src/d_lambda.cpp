#include "apical/engine/d_lambda.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace apical {

double lambda_f_um(double diam_um, double Ra_ohm_cm, double cm_uF_per_cm2, double frequency_Hz) {
  return 1e5 * std::sqrt(diam_um / (4.0 * std::numbers::pi * frequency_Hz * Ra_ohm_cm * cm_uF_per_cm2));
}

double electrotonic_length(const SectionSpec& section, double frequency_Hz) {
  const std::vector<ProfilePoint> taper{{0.0, section.diam_start_um}, {section.length_um, section.diam_end_um}};
  const std::vector<ProfilePoint>& profile = section.profile.empty() ? taper : section.profile;
  double sum = 0.0;
  for (std::size_t k = 1; k < profile.size(); ++k) {
    const double mean_diam = (profile[k - 1].diam_um + profile[k].diam_um) / 2.0;
    sum += (profile[k].arc_um - profile[k - 1].arc_um) /
           lambda_f_um(mean_diam, section.Ra_ohm_cm, section.cm_uF_per_cm2, frequency_Hz);
  }
  return sum;
}

int d_lambda_nseg(const SectionSpec& section, const DLambdaRule& rule) {
  if (!(rule.d_lambda > 0.0) || !(rule.frequency_Hz > 0.0))
    throw std::invalid_argument("the d-lambda rule needs a positive d_lambda and frequency");
  const double segments = electrotonic_length(section, rule.frequency_Hz) / rule.d_lambda;
  return 2 * static_cast<int>((segments + 0.9) / 2.0) + 1;
}

void apply_d_lambda(Morphology& morphology, const DLambdaRule& rule) {
  for (SectionSpec& section : morphology.sections) section.nseg = d_lambda_nseg(section, rule);
}

}  // namespace apical
