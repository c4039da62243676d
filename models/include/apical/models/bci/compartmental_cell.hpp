#pragma once
// The biophysical cell of the BCI field of view (CircuitSpec::cell_model = bahl2012): how the field of
// view's per-neuron drive reaches a multicompartment cell, and what it reads back. The cell itself is
// a CellDescription (models/data/bahl2012/model2.json, Bahl et al. 2012 model 2, loaded by the io
// layer); one engine batch holds one such cell per neuron (cells innermost), and the basal-only twin
// of rule R3 is a second state of the same batch.
//
// Per field-of-view step (ExperimentSpec.dt_ms, 0.5 ms), with the drive held constant over it, the
// cell takes dt_ms / CompartmentalCellSpec::dt_ms backward-Euler steps of the engine:
//   soma_site (soma(0.5)):   injected current  somatic_gain · I_s               (I_s in pA → nA)
//   apical_site (tuft(0.75)): injected current  apical_gain · I_d                (background + teaching)
//                             conductance      inhibition_gain · g_inh towards E_inh (nS → µS)
// Spikes: upward crossings of spike_threshold_mV at the soma node, checked after every cell step;
// events and bursts from those spikes by the rule of burst_events.hpp (ISI ≤ burst_isi_ms).
// Dendritic Ca signal (the f(V_d) of the two-compartment cell; dendrite-plane indicator source and
// the Ca gate of the learning rules): f = min(1, m²h / ca_open_reference), the open fraction of the
// tuft's HVA Ca channel (sca) at ca_site, read at the end of every field-of-view step. Measured on
// model 2 at dt 0.025 ms: rest 3e-10, one bAP 0.0011, a 20-Hz somatic train ≤ 0.011, a BAC- or
// tuft-current-evoked Ca spike 0.63–0.65 with m²h > 0.3 for 40–80 ms. With reference 0.6 a Ca spike
// drives f to 1 and the indicator's threshold f_on = 0.5 (gcamp7f.hpp) passes Ca spikes only, as it
// passes only the regenerative branch of the two-compartment cell; bAPs reach the dendrite plane
// through the indicator's per-spike bAP influx, as for the fast cell. Channel opening rather than the
// cad pool's [Ca]: the pool is a 200-ms integrator (phenomenological drive for kca), and feeding it to
// the indicator, which has its own Ca extrusion, would low-pass the dendritic signal twice.
//
// Calibration [M]. With the default inputs (mean somatic current 400 pA, tuft background SD 150 pA)
// and gain 1 the Bahl cells fired 17–61 Hz (model 2 fires 18 Hz at a 0.4-nA step); somatic_gain 0.4
// gives 1.8–21 Hz across neurons, mean 5.5 Hz over 2 × 50 neurons (apical_bench cohort_bahl), with
// bursts 30–50 % of events (fast cell: 12 %). The apical gain is left at 1: the tuft's Ca spikes come
// from the fluctuations of I_d (a constant tuft current inactivates the Ca channel), and a ±200-pA
// teaching-like offset moves rate, bursts and Ca spikes in its direction
// (tests/unit/bci/test_bahl_field_of_view.cpp).
//
// Time step (spike times of model 2 against dt 0.025 ms, 300-ms somatic 0.4-nA step and the BAC and
// tuft-step protocols): dt 0.05 ms shifts spikes by 0.1–0.3 ms early in a train and 1.7 ms after six
// spikes, and dropped the last of three spikes of a marginal tuft step; dt 0.1 ms shifts by up to
// 5 ms. Hence the default 0.025 ms (NEURON's) and 0.05 ms as the documented fast option.
#include <cstdint>
#include <memory>
#include <string>

#include "apical/models/cell_description.hpp"

namespace apical::bci {

// Which cell every neuron of the field of view is.
enum class CellModel : std::uint8_t {
  two_compartment,  // Naud & Sprekeler (2018) soma + apical dendrite (two_compartment.hpp), fast
  bahl2012,         // Bahl et al. (2012) model 2, 20 compartments (CompartmentalCellSpec)
};

struct CompartmentalCellSpec {
  // The cell, shared by every neuron; filled by the io loader (models/data/bahl2012/model2.json).
  std::shared_ptr<const CellDescription> description;
  double dt_ms = 0.025;               // cell step; ExperimentSpec.dt_ms must be a whole multiple [D, NEURON's]
  double somatic_gain = 0.4;          // soma current = gain · I_s [M: see "Calibration"]
  double apical_gain = 1.0;           // tuft current = gain · I_d [D]
  double inhibition_gain = 1.0;       // tuft conductance = gain · g_inh (O1) [D]
  double E_inh_mV = -80.0;            // reversal of the tuft inhibitory conductance [D]
  double spike_threshold_mV = -20.0;  // somatic spike detection (as the Bahl 2012 reference) [D]
  double ca_open_reference = 0.6;     // sca m²h that counts as f = 1 (peak in a Ca spike ≈ 0.63) [M]
  double burst_isi_ms = 16.0;         // burst criterion, as the two-compartment cell [D]
  std::string soma_site = "soma(0.5)";    // where I_s enters; spikes are detected at this node
  std::string apical_site = "tuft(0.75)"; // where I_d and g_inh enter (the reference's tuft EPSP site)
  std::string ca_site = "tuft(0.75)";     // whose sca channel gives the dendritic Ca signal
};

}  // namespace apical::bci
