// Declarations of the field_of_view, circuit and imaging sections of a bci_cohort scenario.
#include "bci_sections.hpp"

namespace apical::detail {

void visit_field_of_view(BciFieldVisitor& v, bci::FieldOfViewSpec& s) {
  v.count({"n_plus", "n_plus", "1", "P+ neurons: their soma ΔF/F raises the decoder's output (≥ 1)"}, s.n_plus);
  v.count({"n_minus", "n_minus", "1", "P− neurons: their soma ΔF/F lowers it (≥ 1)"}, s.n_minus);
  v.count({"n_zero", "n_zero", "1", "P0: every other imaged neuron, not read by the decoder"}, s.n_zero);
}

void visit_circuit(BciFieldVisitor& v, bci::CircuitSpec& s) {
  enumeration(v, {"cell_model", "cell_model", "",
                  "the cell of every neuron: two_compartment (fast soma + apical model) or bahl2012 (the Bahl et al. "
                  "2012 biophysical cell, models/data/bahl2012/model2.json)"},
              s.cell_model, std::vector<bci::CellModel>{bci::CellModel::two_compartment, bci::CellModel::bahl2012});
  section(v, "cell", "the two-compartment cell shared by every neuron (two_compartment.hpp; cell_model two_compartment)",
          [&](BciFieldVisitor& w) { model_fields(w, s.cell); });
  section(v, "compartmental", "how the drive reaches the Bahl 2012 cell (compartmental_cell.hpp; cell_model bahl2012)",
          [&](BciFieldVisitor& w) {
            bci::CompartmentalCellSpec& c = s.compartmental;
            w.real({"dt", "dt_ms", "ms", "cell step; the field of view's dt must be a whole multiple of it"}, c.dt_ms);
            w.real({"somatic_gain", "somatic_gain", "1", "soma(0.5) current = somatic_gain · I_s"}, c.somatic_gain);
            w.real({"apical_gain", "apical_gain", "1", "tuft current = apical_gain · I_d (background, teaching)"},
                   c.apical_gain);
            w.real({"inhibition_gain", "inhibition_gain", "1",
                    "tuft conductance = inhibition_gain · O1 conductance (≥ 0)"},
                   c.inhibition_gain);
            w.real({"E_inh", "E_inh_mV", "mV", "reversal potential of the tuft inhibitory conductance"}, c.E_inh_mV);
            w.real({"spike_threshold", "spike_threshold_mV", "mV", "somatic spike detection threshold (upward crossing)"},
                   c.spike_threshold_mV);
            w.real({"ca_open_reference", "ca_open_reference", "1",
                    "open fraction m²h of the tuft Ca channel that counts as dendritic Ca signal 1 (> 0)"},
                   c.ca_open_reference);
            w.real({"burst_isi", "burst_isi_ms", "ms", "burst criterion: inter-spike interval at most this (≥ 0)"},
                   c.burst_isi_ms);
          });
  section(v, "inputs", "the latent-factor Poisson inputs and the dendritic background noise (input_population.hpp)",
          [&](BciFieldVisitor& w) { model_fields(w, s.inputs); });
  section(v, "input_weights", "the initial basal weights W", [&](BciFieldVisitor& w) {
    InputWeightParameters& p = s.input_weights;
    w.real({"connection_probability", "connection_probability", "1",
            "probability that an input reaches a neuron, in (0, 1]"}, p.connection_probability);
    w.real({"mean_current", "mean_current_pA", "pA", "expected somatic current of a neuron at the mean input rates"},
           p.mean_current_pA);
    w.real({"weight_cv", "weight_cv", "1", "coefficient of variation of the log-normal connected weights"}, p.weight_cv);
  });
  v.real({"neuron_drive_cv", "neuron_drive_cv", "1",
          "per-neuron log-normal scale of its W row (mean 1): rate heterogeneity, in [0, 10]"},
         s.neuron_drive_cv);
  v.flag({"plastic_unconnected", "plastic_unconnected", "",
          "whether synapses absent at the start may grow (false: they stay 0)"},
         s.plastic_unconnected);
}

void visit_imaging(BciFieldVisitor& v, bci::ImagingSpec& s) {
  section(v, "indicator", "the GCaMP7f indicator of both ROIs of every neuron (gcamp7f.hpp)",
          [&](BciFieldVisitor& w) { model_fields(w, s.indicator); });
  v.real({"noise_dFF", "noise_dFF", "1", "per-sample imaging noise SD at rest, in ΔF/F, both planes (≥ 0)"},
         s.noise_dFF);
  v.flag({"dual_plane", "dual_plane", "",
          "ETL imaging: soma plane in the first half of each frame, dendrite plane in the second"},
         s.dual_plane);
  v.real({"indicator_step", "indicator_step_ms", "ms",
          "interval at which the indicator state is advanced, from dt to one frame (66.7 ms)"},
         s.indicator_step_ms);
  section(v, "dff", "the online ΔF/F", [&](BciFieldVisitor& w) {
    section(w, "baseline", "F0: a sliding percentile of raw F per ROI", [&](BciFieldVisitor& b) {
      loop::SlidingPercentileParams& p = s.dff.baseline;
      b.count({"window", "window", "1", "F0 window, frames, 1 … 65535"}, p.window);
      b.real({"quantile", "quantile", "1", "F0 percentile as a fraction, in [0, 1]"}, p.quantile);
      b.real({"bin_width", "bin_width", "a.u.", "quantisation step of raw F (> 0)"}, p.bin_width);
      b.real({"origin", "origin", "a.u.", "raw F of the first quantisation bin"}, p.origin);
      b.count({"bins", "bins", "1", "quantisation bins; they cover origin … origin + (bins − 1)·bin_width"}, p.bins);
    });
  });
}

}  // namespace apical::detail
