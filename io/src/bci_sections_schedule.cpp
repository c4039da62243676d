// Declarations of the manipulations, schedule and record sections of a bci_cohort scenario, and of
// the whole file below its header (cohort, seed, every section, dt).
#include "bci_sections.hpp"

namespace apical::detail {

void visit_manipulations(BciFieldVisitor& v, bci::ManipulationSpec& s) {
  section(v, "opto", "optogenetics, O1/O2, and O3, O4, O7 on the same light schedule (experiment.md §7)", [&](BciFieldVisitor& w) {
    bci::OptoSpec& o = s.opto;
    enumeration(w, {"kind", "kind", "", "apical_inhibition: O1, an NDNF-like frame-locked inhibitory conductance "
                                        "on the tuft plus a small somatic loss; light_only: O2, the LED alone; "
                                        "apical_excitation: O3, the same depolarising current into every tuft; "
                                        "apical_decoupling: O4, tuft and soma uncoupled and no BAC (two_compartment "
                                        "cell only); somatic_silencing: O7, a somatic current loss matched to O1's "
                                        "activity loss"},
                o.kind,
                std::vector{bci::OptoKind::none, bci::OptoKind::apical_inhibition, bci::OptoKind::light_only,
                            bci::OptoKind::apical_excitation, bci::OptoKind::apical_decoupling,
                            bci::OptoKind::somatic_silencing});
    enumeration(w, {"schedule", "schedule", "",
                    "when the light is on: every session; on days first_day, first_day + 2, …; in alternating "
                    "off/on blocks within every session; or locked to the task in every session (O1-t, decided "
                    "from the frames before, calibration dark): after_reward, error_reduction, random_epochs"},
                o.schedule,
                std::vector{bci::OptoSchedule::every_session, bci::OptoSchedule::alternate_days,
                            bci::OptoSchedule::blocks, bci::OptoSchedule::after_reward,
                            bci::OptoSchedule::error_reduction, bci::OptoSchedule::random_epochs});
    w.integer({"first_day", "first_day", "1", "alternate_days: the first day with light (≥ 1)"}, o.first_day);
    w.real({"block", "block_s", "s", "blocks: length of each off and on block (> 0)"}, o.block_s);
    w.real({"after_reward", "after_reward_s", "s", "after_reward: lit time from the frame after each reward (> 0)"},
           o.after_reward_s);
    w.real({"error_lag", "error_lag_s", "s", "error_reduction: lag of the error change ε(k) − ε(k − lag) (> 0)"},
           o.error_lag_s);
    w.real({"error_threshold", "error_threshold", "1",
            "error_reduction: an error-reduction frame's fall of ε over the lag, z units (≥ 0)"},
           o.error_threshold);
    w.real({"random_epoch", "random_epoch_s", "s", "random_epochs: mean length of a lit epoch (> 0)"}, o.random_epoch_s);
    w.real({"random_duty", "random_duty", "1", "random_epochs: lit fraction of the session, in [0, 1]"},
           o.random_duty);
    w.real({"light", "light_ms", "ms", "LED on time at the start of every light period"}, o.light_ms);
    w.real({"light_period", "light_period_ms", "ms", "LED period (one 15-Hz frame)"}, o.light_period_ms);
    w.real({"pmt_gate", "pmt_gate_ms", "ms",
            "PMTs gated off from every LED pulse's start (covers the pulse, shorter than the period)"},
           o.pmt_gate_ms);
    w.flag({"pmt_gate_in_flyback", "pmt_gate_in_flyback", "",
            "true: the PMT gate falls in the vertical flyback and no sample is lost; false: ROIs scanned "
            "during a gate of a lit frame have no sample (NaN)"},
           o.pmt_gate_in_flyback);
    w.real({"tau", "tau_ms", "ms", "low-pass time constant of the O1 conductance (> 0)"}, o.tau_ms);
    w.real({"g_max", "g_max_nS", "nS", "O1 conductance under constant light (≥ 0)"}, o.g_max_nS);
    w.real({"somatic_current_reduction", "somatic_current_reduction", "1",
            "O1: fraction of the somatic input current removed while on, in [0, 1]"},
           o.somatic_current_reduction);
    w.real({"silencing_current_reduction", "silencing_current_reduction", "1",
            "O7: fraction of the somatic input current removed while on, in [0, 1]"},
           o.silencing_current_reduction);
    w.real({"excitation", "excitation_pA", "pA", "O3: current into every tuft while on (≥ 0)"}, o.excitation_pA);
    w.flag({"calibration_lit", "calibration_lit", "",
            "on a day lit throughout (every_session, alternate_days' opto days) the calibration block is lit too, "
            "so the decoder is calibrated under the light; false: calibrated dark"},
           o.calibration_lit);
  });
  v.flag({"feedback_sign_swap", "feedback_sign_swap", "", "O5: multiply the feedback weights of P+ and P− by −1"},
         s.feedback_sign_swap);
  v.flag({"neuromodulator_block", "neuromodulator_block", "",
          "O6: δ ≡ 0 for the rule and for the κ_R teaching term"},
         s.neuromodulator_block);
}

void visit_schedule(BciFieldVisitor& v, bci::ScheduleSpec& s) {
  v.integer({"days", "days", "1", "training days (≥ 1)"}, s.days);
  v.integer({"sessions_per_day", "sessions_per_day", "1", "closed-loop sessions per day (≥ 1)"}, s.sessions_per_day);
  v.real({"session", "session_min", "min", "length of one closed-loop session"}, s.session_min);
  v.real({"calibration", "calibration_min", "min",
          "length of the spontaneous calibration block (at least one pseudo-trial)"},
         s.calibration_min);
  v.real({"warm_up", "warm_up_s", "s", "discarded simulation before the calibration block"}, s.warm_up_s);
  enumeration(v, {"calibration_policy", "calibration_policy", "",
                  "once_frozen: calibrate on day 1 and keep θ, lo, μ_cal, σ_cal for all days; daily: recalibrate "
                  "before every day (a control)"},
              s.calibration_policy,
              std::vector{bci::CalibrationPolicy::once_frozen, bci::CalibrationPolicy::daily});
}

void visit_record(BciFieldVisitor& v, bci::RecordSpec& s) {
  v.flag({"dendrite_dff", "dendrite_dff", "", "record the dendrite-plane ΔF/F per neuron per frame"}, s.dendrite_dff);
  v.flag({"raw_f", "raw_f", "", "record raw F of both planes per neuron per frame"}, s.raw_f);
  v.flag({"calibration_dff", "calibration_dff", "", "record the calibration block's soma ΔF/F"}, s.calibration_dff);
}

void visit_bci_scenario(BciFieldVisitor& v, bci::ExperimentSpec& spec, std::size_t& mice, std::uint64_t& first_mouse) {
  section(v, "cohort", "the virtual mice to run", [&](BciFieldVisitor& w) {
    w.count({"mice", "mice", "1", "number of mice", 1.0, 1e6}, mice);
    w.seed({"first_mouse", "first_mouse", "1", "index of the first mouse; mice are first_mouse, first_mouse + 1, …"},
           first_mouse);
  });
  v.seed({"seed", "seed", "1", "the cohort's seed: every random number of mouse m derives from (seed, m)"}, spec.seed);
  section(v, "field_of_view", "who is imaged (experiment.md §1)",
          [&](BciFieldVisitor& w) { visit_field_of_view(w, spec.field_of_view); });
  section(v, "circuit", "the cells and their inputs (models.md §3)",
          [&](BciFieldVisitor& w) { visit_circuit(w, spec.circuit); });
  section(v, "imaging", "indicator and imaging (experiment.md §4)",
          [&](BciFieldVisitor& w) { visit_imaging(w, spec.imaging); });
  section(v, "loop", "the closed loop: decoder, calibration, task (experiment.md §2–3)",
          [&](BciFieldVisitor& w) { visit_loop(w, spec.loop); });
  section(v, "selection", "the choice of P+ and P− from the calibration block",
          [&](BciFieldVisitor& w) { visit_selection(w, spec.selection); });
  section(v, "teaching", "the apical teaching signal T (learning_rules.md §2)",
          [&](BciFieldVisitor& w) { visit_teaching(w, spec.teaching); });
  section(v, "reward", "the reward baseline of δ = R − R̄ (learning_rules.md §3)",
          [&](BciFieldVisitor& w) { visit_reward(w, spec.reward); });
  section(v, "learning", "the plasticity rule and its stabilisers (learning_rules.md §1, §3)",
          [&](BciFieldVisitor& w) { visit_learning(w, spec.learning); });
  section(v, "manipulations", "optogenetics and other manipulations (learning_rules.md §4)",
          [&](BciFieldVisitor& w) { visit_manipulations(w, spec.manipulations); });
  section(v, "schedule", "days, sessions and their lengths",
          [&](BciFieldVisitor& w) { visit_schedule(w, spec.schedule); });
  section(v, "record", "optional per-frame records", [&](BciFieldVisitor& w) { visit_record(w, spec.record); });
  v.real({"dt", "dt_ms", "ms", "cell integration step, 0.001 … 5 ms"}, spec.dt_ms);
}

}  // namespace apical::detail
