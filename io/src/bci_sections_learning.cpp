// Declaration of the learning section of a bci_cohort scenario: the rule by name (from the registered
// learning rules), its parameters, the stabilisers and the basal-rate prediction of R3.
#include "apical/models/learning/learning_rules.hpp"
#include "bci_sections.hpp"

namespace apical::detail {

void visit_learning(BciFieldVisitor& v, bci::LearningSpec& s) {
  v.choice({"rule", "rule", "", "the plasticity rule (learning_rules.md)"}, s.rule, builtin_learning_rules().names());
  v.rule_parameters({"parameters", "parameters", "",
                     "the rule's parameters by name, with the units and bounds the rule declares (table below); "
                     "absent ones take the rule's default"},
                    s);
  v.real({"w_max", "w_max_pA_per_Hz", "pA/Hz", "hard upper bound of every basal weight (> 0)"}, s.w_max_pA_per_Hz);
  v.real({"clip_fraction", "clip_fraction", "1", "each frame update of a weight is clipped to ± this fraction of w_max"},
         s.clip_fraction);
  v.real({"activity_cost", "activity_cost", "1",
          "stabiliser λ: dW_ij/dt −= λ·r_i·x̃_j, the gradient of λ·Σ r_i (learning_rules.md §5; 0: off)"},
         s.activity_cost);
  v.real({"synaptic_scaling_tau", "synaptic_scaling_tau_s", "s",
          "stabiliser τ_s: multiplicative scaling of each neuron's weights toward its day-1 calibration rate (0: off)"},
         s.synaptic_scaling_tau_s);
  v.real({"presynaptic_tau", "presynaptic_tau_s", "s", "low-pass of the presynaptic spike counts x̃"},
         s.presynaptic_tau_s);
  v.real({"rate_mean_tau", "rate_mean_tau_s", "s", "time constant of the running means r̄ and ĉ̄"}, s.rate_mean_tau_s);
  v.flag({"plastic_during_calibration", "plastic_during_calibration", "",
          "whether W learns in the f-I, warm-up and calibration blocks"},
         s.plastic_during_calibration);
  enumeration(v, {"basal_prediction", "basal_prediction", "",
                  "R3's basal-only rate: a twin copy of the cells without teaching, or φ(Ī_s) from a measured f-I curve"},
              s.basal_prediction,
              {{bci::LearningSpec::BasalPrediction::twin, "twin"},
               {bci::LearningSpec::BasalPrediction::fi_curve, "fi_curve"}});
  v.flag({"twin_includes_apical_inhibition", "twin_includes_apical_inhibition", "",
          "whether the twin also gets the O1 conductance, so that r − r_basal isolates the teaching"},
         s.twin_includes_apical_inhibition);
  v.real({"fi_block", "fi_block_s", "s", "fi_curve: simulated time per weight scale"}, s.fi_block_s);
  v.count({"fi_scales", "fi_scales", "1", "fi_curve: weight scales W × 0.2, 0.4, … (≥ 2)"}, s.fi_scales);
  v.real({"fi_bin", "fi_bin_pA", "pA", "fi_curve: width of the somatic current bins"}, s.fi_bin_pA);
  v.flag({"fi_without_dendritic_noise", "fi_without_dendritic_noise", "",
          "fi_curve: switch the dendritic background off while measuring"},
         s.fi_without_dendritic_noise);
}

}  // namespace apical::detail
