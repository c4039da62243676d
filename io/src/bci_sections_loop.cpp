// Declarations of the loop, selection, teaching and reward sections of a bci_cohort scenario.
#include "bci_sections.hpp"

namespace apical::detail {

void visit_loop(BciFieldVisitor& v, bci::LoopSpec& s) {
  section(v, "decoder", "the BCI decoder (engine/loop/decoder.hpp)", [&](BciFieldVisitor& w) {
    w.count({"smoothing_frames", "smoothing_frames", "1", "frames averaged into x̄ (3 frames = 200 ms; ≥ 1)"},
            s.decoder.smoothing_frames);
    w.flag({"per_neuron_zscore", "per_neuron_zscore", "",
            "z-score each neuron's ΔF/F with its calibration mean and SD before averaging"},
           s.decoder.per_neuron_zscore);
  });
  // CalibrationParams::seed is not a key: every mouse's calibration seed derives from (seed, mouse).
  section(v, "calibration", "the decoder calibration (engine/loop/calibration.hpp)", [&](BciFieldVisitor& w) {
    w.count({"pseudo_trials", "pseudo_trials", "1", "pseudo-trials cut from the calibration block (≥ 1)"},
            s.calibration.pseudo_trials);
    w.count({"trial_frames", "trial_frames", "1", "frames per pseudo-trial (420 = the 28-s response window)"},
            s.calibration.trial_frames);
    w.real({"p_cal", "p_cal", "1", "target fraction of pseudo-trials reaching θ, in (0, 1)"}, s.calibration.p_cal);
    w.real({"floor_quantile", "floor_quantile", "1", "the floor lo is this quantile of z over the block, in [0, 1]"},
           s.calibration.floor_quantile);
  });
  section(v, "task", "the trial state machine (engine/loop/trial_task.hpp)", [&](BciFieldVisitor& w) {
    loop::TrialTaskParams& t = s.task;
    w.count({"open_frames", "open_frames", "1", "response window, frames (420 = 28 s; ≥ 1)"}, t.open_frames);
    w.count({"reward_delay_frames", "reward_delay_frames", "1", "hit to valve command, frames (≥ 1)"},
            t.reward_delay_frames);
    w.count({"show_frames", "show_frames", "1", "frames the patch stays at the target angle, counted from show_from"},
            t.show_frames);
    enumeration(w, {"show_from", "show_from", "", "what the target display counts from"}, t.show_from,
                {{loop::ShowAnchor::hit, "hit"}, {loop::ShowAnchor::reward, "reward"}});
    w.count({"blank_ok_frames", "blank_ok_frames", "1", "black frames after a hit's display (≥ 1)"}, t.blank_ok_frames);
    w.count({"fail_frames", "fail_frames", "1", "black frames after a timeout (≥ 1)"}, t.fail_frames);
    w.real({"target_angle", "target_angle_deg", "deg", "patch angle from the hit to the end of the display, 0 … 360 deg"},
           t.target_angle_deg);
  });
  v.count({"chance_repetitions", "chance_repetitions", "1",
           "circular shifts for the chance level of each session and of each calibration block (0: skip both)"},
          s.chance_repetitions);
  v.count({"chance_min_shift_frames", "chance_min_shift_frames", "1", "smallest circular shift, frames"},
          s.chance_min_shift_frames);
}

void visit_selection(BciFieldVisitor& v, bci::SelectionSpec& s) {
  v.real({"threshold_mad", "threshold_mad", "1",
          "transient threshold: median + k·1.4826·MAD of the calibration soma ΔF/F; k (> 0)"},
         s.threshold_mad);
  v.real({"min_interval", "min_interval_s", "s", "least time between two counted transients"}, s.min_interval_s);
  v.real({"min_rate", "min_rate_per_min", "1/min", "least transient rate for a neuron to be eligible as P+ or P−"},
         s.min_rate_per_min);
}

void visit_teaching(BciFieldVisitor& v, bci::TeachingSpec& s) {
  v.real({"kappa_delta", "kappa_delta_s", "s", "κ_Δ: weight of −ε̇ (ε in z units, ε̇ in z/s) in T"}, s.kappa_delta_s);
  v.real({"kappa_epsilon", "kappa_epsilon", "1", "κ_ε: weight of the error ε in T"}, s.kappa_epsilon);
  v.real({"kappa_R", "kappa_R", "1", "κ_R: weight of the reward kernel m in T"}, s.kappa_R);
  v.real({"error_rate_tau", "error_rate_tau_s", "s", "τ_ε̇: low-pass of ε̇ (0: raw frame differences)"},
         s.error_rate_tau_s);
  v.real({"reward_tau", "reward_tau_s", "s", "τ_M: decay of the reward kernel m (> 0)"}, s.reward_tau_s);
  v.real({"teaching_gain", "teaching_gain_pA", "pA", "apical current per unit of Bfb·T"}, s.teaching_gain_pA);
  v.real({"teaching_limit", "teaching_limit", "1", "T is clipped to ± this value (> 0)"}, s.teaching_limit);
  enumeration(v, {"feedback", "feedback", "", "feedback weights Bfb (learning_rules.md §2)"}, s.feedback,
              std::vector{bci::FeedbackType::oracle, bci::FeedbackType::random, bci::FeedbackType::learned,
                          bci::FeedbackType::zero});
  v.real({"learned_feedback_rate", "learned_feedback_rate", "1",
          "η_B of the learned feedback, per Hz of rate deviation, per frame (≥ 0)"},
         s.learned_feedback_rate);
}

void visit_reward(BciFieldVisitor& v, bci::RewardSpec& s) {
  v.real({"baseline_alpha", "baseline_alpha", "1", "α of the reward baseline R̄ ← α·R̄ + (1 − α)·R, in [0, 1]"},
         s.baseline_alpha);
  v.real({"initial_baseline", "initial_baseline", "1", "R̄ before the first trial, in [0, 1]; negative: p_cal"},
         s.initial_baseline);
}

}  // namespace apical::detail
