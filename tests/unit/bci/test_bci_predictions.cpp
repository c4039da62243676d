// The qualitative predictions of learning_rules.md §5–§7 (outcome matrix, suggested assertions), on
// ten mice per condition, paired: every condition uses seed 2026 and mice m00–m09, and W is frozen until
// day 1, so a mouse has the same cells, inputs, roles and frozen decoder in every condition.
//
// Setting (all conditions): fields of view of 5 P+, 5 P−, 6 P0 (16 neurons, the paper's 5 + 5 decoder
// neurons), a 5-min calibration and four 5-min days; teaching gain 10 pA (twice the default, as in
// test_bci_learning.cpp), κ_Δ = 1 s and κ_ε = 0.2 (the defaults): see "Teaching" below. Rules at their
// registered learning rates (tuned so that the per-trial weight change matches R3's as far as the
// per-update clip allows; models/src/learning/r*.cpp). Scalar rules (R1, R2) get no apical teaching
// (feedback `zero`): their world has δ as a broadcast neuromodulator only (learning_rules.md §2);
// R3, R4, R5 get the oracle feedback. R0 gets the oracle teaching (no plasticity: the acute effect of
// the teaching) and R0-BAC-null gets none (the mandatory null of pitfall 1).
//
// Measured with this file's settings (10 mice each; early = day 1, late = days 3–4 pooled; ΔP = rate on
// day 4 − day 1, Hz, mean over mice; contrast = analyze_cohort's residual contrast, all days pooled,
// separation = P+ − P− per mouse, "sign" = fraction of mice with P+ > 0 > P−):
//
//   condition     hit rate early → late (gain)   ΔP+    ΔP−    ΔP0  | separation (±sem)  sign
//   R0            0.45 → 0.43 (−0.02)            +0.09  +0.03  +0.06 | 0.19 ± 0.04        0.8
//   R0-BAC-null   0.25 → 0.27 (+0.02)            +0.09  +0.03  +0.06 | 0.10 ± 0.03        0.6
//   R3            0.54 → 0.87 (+0.33)            +3.1   −1.9   +0.06 | 0.24 ± 0.04        0.9
//   R4            0.49 → 0.79 (+0.30)            +2.66  −1.65  +0.06 | 0.15 ± 0.04        0.7
//   R5            0.40 → 0.66 (+0.26)            +1.05  −0.69  +0.13 | 0.16 ± 0.03        0.9
//   R1 (no fb)    0.26 → 0.30 (+0.04)            +0.09  −0.19  −0.03 | 0.12 ± 0.02        0.8
//   R2 (no fb)    0.31 → 0.29 (−0.02)            +0.08  +0.14  +0.12 | 0.06 ± 0.02        0.5
//   R3-O5         0.12 → 0.05 (−0.07)            −1.8   +3.9   +0.06 |
//   R4-O5         0.07 → 0.05 (−0.02)            −1.44  +3.62  +0.06 |
//   R5-O5         0.22 → 0.22 (−0.005)           +0.46  +0.12  +0.20 |
//   R3-O2         as R3 (identical records)
//   R3-O1         0.45 → 0.55 (+0.10)            +0.78  −0.34  +0.04 | Δ(P+ − P−) 1.11 vs 5.0 Hz (O2): cut 0.78
//   R4-O1         0.45 → 0.54 (+0.09)            +0.71  −0.24  +0.04 | Δ(P+ − P−) 0.95 vs 4.3 Hz (O2): cut 0.78
//   R5-O1         0.45 → 0.50 (+0.06)            +0.65  +0.01  +0.03 | Δ(P+ − P−) 0.65 vs 1.74 Hz (O2): cut 0.63
//   R3-O7 (15 %)  0.55 → 0.81 (+0.26)            +2.06  −1.18  +0.05 | Δ(P+ − P−) 3.24 vs 5.0 Hz (O2): cut 0.35
//   R1-fast-O2    0.40 → 0.65 (+0.25)            +3.92  +0.47  +2.13 | Δ(P+ − P−) 3.45 (R1 with a 10× clip)
//   R1-fast-O1    0.48 → 0.61 (+0.14)            +2.59  +0.66  +1.29 | Δ(P+ − P−) 1.93: cut 0.44
//   R1-fast-O7    0.31 → 0.52 (+0.22)            +2.03  +0.12  +0.53 | Δ(P+ − P−) 1.91: cut 0.45
//   R2-fast-O2    0.36 → 0.52 (+0.155)           +1.50  −0.99  −0.26 | Δ(P+ − P−) 2.49 (10× clip, σ_ξ 120 pA)
//   R2-fast-O1    0.32 → 0.54 (+0.21)            +1.25  −0.79  +0.40 | Δ(P+ − P−) 2.03: cut 0.18; gain not cut
//   R2-fast-O7    0.49 → 0.73 (+0.24)            +2.04  −0.81  +0.37 | Δ(P+ − P−) 2.85
//   R3-O3 (90 pA) 0.96 → 0.03 (−0.93)            +52.3  +50.3  +47.4 | Δ(P+ − P−) 2.07 vs 5.0 Hz (O2): below O2 in 8/10
//   R3-O3 (20 pA) 0.77 → 0.83 (+0.06)            +17.0  +7.46  +12.8 | Δ(P+ − P−) 9.53 (above O2 in 9/10); not run here
//   R3-O4         0 → 0 (every hit rate 0)        +0.07  +0.05  +0.05 | Δ(P+ − P−) 0.03 vs 5.0 Hz (O2): cut 0.99; W never moves
//   null band (R0-BAC-null mean ± 2 s.e.m.): [0.034, 0.165]; R3 vs R0 paired gain +0.35, p = 1.3e-4;
//   R5 vs R0 paired gain +0.28, p = 0.005, R5 above R0 in 10/10 mice; R4 vs R0 +0.32, p = 9e-4, 9/10 mice
//   T-predict (early = days 1–2, late = days 3–4; early residual contrast per neuron against the change of
//   its true spike rate, and against the change of its somatic transient frequency, the analysis' T12):
//     condition  neurons  spike rate r (p), partial r      transient frequency r (p)
//     R3         154      +0.39 (7e-7), +0.37              +0.16 (0.04)
//     R1         155      +0.10 (0.22), +0.12              −0.12 (0.12)
//     R2         155      −0.07 (0.37), −0.07              +0.14 (0.08)
//     R0         155      +0.12 (0.13)                     +0.07
//     R4         154      +0.29 (3e-4), +0.28              +0.04 (0.66)
//     R5         155      +0.22 (0.006), +0.22             +0.15 (0.07)
// Runtime: about 6 min on two idle cores (R4 steps the twin too).
//   (the exact values of this build are printed by the WARNs below)
//
// What holds, and is asserted:
//   * T-learn: R3 and R4 gain ≥ 0.2 and more than R0 in ≥ 9/10 paired mice; R0 and R0-BAC-null |gain| < 0.05.
//   * T-sign: R3 and R4 ΔP+ > 0 > ΔP−, P0 ≈ 0 (|ΔP0| < 0.25·min(|ΔP±|)).
//     R4 is the cancelled burstprop (models/src/learning/r4_burstprop.cpp): B − P̄E minus the basal-only
//     twin's B − P̄E, η = 7e-4 matched to R3's per-trial update RMS (1.00e-2 vs 1.07e-2 pA/Hz).
//   * T-apical-code: R3 P+ > 0 > P− in ≥ 80 % of mice and its separation above the null band (null mean
//     + 2 s.e.m.); R1 and R2 (no apical teaching) stay inside the null band.
//   * The null (f): R0-BAC-null's separation is positive (the supralinear soma→dendrite coupling fakes a
//     contrast, pitfall 1) but the sign-by-role pattern stays below the 80 % criterion.
//   * O5 reverses R3 and R4 (gain < 0, ΔP+ < 0 < ΔP−, paired below the unswapped rule in ≥ 9/10 mice).
//   * R5 (δ times an apical-sign eligibility, models/src/learning/r5_rpe_apical_sign.cpp): T-learn (gain
//     ≥ 0.2, above R0 in ≥ 9/10 paired mice, paired p < 0.01), T-sign (ΔP+ > 0.5 Hz, ΔP− < −0.5 Hz, the
//     P+ − P− rate difference grows beyond the R0 twin's in ≥ 9/10 mice) and the bare §7 apical-code
//     criterion (P+ > 0 > P− in ≥ 80 % of mice).
//   * T-predict (learning_rules.md §7) on the true spike rate: R3's early contrast predicts the later
//     change (r > 0.25, p < 0.001, also partial on the early rate); R1's and R2's do not (|r| < 0.2; the
//     standard error of r across ~155 neurons is ≈ 0.08). R4's is positive too (p < 0.01).
//   * T-network, its negative half: the SD residual is not predictable from the other neurons' for R0,
//     R0-BAC-null and R1 (cross-validated R² within 0.01 of the circular-shift null, < 10 % of
//     neuron-sessions significant).
//   * T-opto (the O1 test case): O1 (default OptoSpec, every session, calibrated under the light) cuts R3's,
//     R4's and R5's learning ≥ 50 % versus O2, in the P+ − P− rate gap and in the hit-rate gain;
//     O2 (LED only) gives records identical to no light.
//   * O1 and R1: R1 (with a 10× clip, so that it learns in 20 min) still learns under O1, slowed by < 50 %
//     in Hz. Normalised to each population's day 1, O7's matched activity loss does not slow R1 (cut
//     < 0.2) and O1 does, by ≥ 0.2 more: O1 removes most bursts (< half of O2's), O7 does not, and R1's
//     eligibility counts every burst spike (§6's "O7 is the test of that").
//   * O1 and R2: R2 (10× clip, σ_ξ 120 pA) learns under O1 with its hit-rate gain not cut (≤ 20 %, §7)
//     and its rate gap cut < 50 % (0.18): node perturbation's eligibility holds no postsynaptic rate.
//   * O3 under R3 (default 90 pA, every session): the same push for every role, so P+, P− and P0 all rise
//     together (ΔP− and ΔP0 > half of ΔP+) and the hit-rate gain is below O2's in ≥ 9/10 paired mice.
//   * O4 under R3: W never moves (the decoupled twin's r_basal equals r spike for spike), so the learning
//     is cut ≥ 50 % versus O2 (below O2 in ≥ 9/10 mice): blocked like O1.
//   * O2's PMT-gate artefact (the gate over the top rows, calibrated under the light): no gated neuron is
//     P±, a mouse with R3-O2's roles runs R3-O2's loop exactly, and the learning (Δ(P+ − P−)) is within
//     20 % of R3-O2's: "must show no learning effect".
//   * T-sign with λ > 0 (the paper's sparsification), R3 with the default cohort's stabilisers and 3× its
//     activity cost (`-cost`): gain ≥ 0.15 (0.22), ΔP− < −1 Hz (−2.66), |ΔP+| < ½|ΔP−| (+0.65),
//     |ΔP−| > |ΔP+| in ≥ 9 of 10 mice (10), ΔP0 < 0 (−1.56) and falling most where the day-1 rate was
//     highest (r −0.97).
//   * T-P0: R3's and R4's P0 weights never move and the spread of the P0 rate change stays at the
//     session noise (0.14 Hz on day 4); under R1 and R2 (`-fast`) it grows from day 2 to day 4 to ≈ 2 Hz.
//   * T-baseline's first half: R1 with δ = R (`-noRbar`) raises P+, P− and P0 more than with R̄.
//
// What does not hold in this model (measured, reported by WARN, not asserted):
//   * R4's apical code on these ten mice: P+ > 0 > P− on average, but the sign-by-role fraction and the
//     separation sit at §7's 80 % line and the null band's top, and move with η (10 mice: η 3e-4 0.9 /
//     0.275, 5e-4 0.8 / 0.243, 7e-4 0.7 / 0.150, 1e-3 0.9 / 0.251): reported here, asserted on 20 mice
//     in its own section (0.80, separation 0.183 above the 20-mouse band's top 0.139; R1 0.6, inside the
//     band). The contrast is the teaching's (R0 + teaching: 0.8 / 0.194), not the rule's, as for every
//     rule here.
//   * R4 without the cancellation (the spec's B − P̄E, `cancellation` 0) does not learn: at η 3e-4, hit
//     rate 0.37 → 0.43 and every active neuron depresses (ΔP ≈ −0.6 Hz for all roles, with feedback
//     `zero` too): bursts come mostly from the dendritic background, so the burst fraction falls with basal
//     drive and B − P̄E anticorrelates with x̃; the teaching's burst modulation is swamped (day-1 B of P+
//     and P− under R0 + teaching: 0.83 vs 0.83 Hz). Subtracting the twin's B − P̄E removes exactly that
//     teaching-free part (BurstCCN's cancellation idea, with the twin as the canceller).
//   * R4 under O1: within-block ΔP+ is not negative (+0.71 Hz; §7 expects net LTD): the twin shares the
//     O1 conductance, so the background bursts O1 removes are cancelled, as R3's bracket is.
//   * T-P0's hitchhiking slope and T-baseline's "reduced cursor learning" (see the R1 and R2 cases).
//   * R1-Ca (R1 with `ca_gated` 1) does not learn the task here, so §7's "O1 blocks R1-Ca" cannot be
//     shown: with the 10× clip, 10 mice under O2, accuracy slope +0.001 per day at η 1e-2, −0.056 at
//     0.1, −0.037 at 1 (Δ(P+ − P−) 1.1, −0.1, 0.4 Hz).
//   * T-speed: at matched update variance R1 and R2 do not learn in 20 min (above), so trials to 80 % of
//     their plateau are not defined here; R3 and R4 reach 80 % of their gain within about 40 trials.
//   * R5's separation (0.16 ± 0.03) is at the top of the null band (0.165), so its apical code is not
//     asserted beyond the bare 80 % criterion.
//   * O5 does not reverse R5: the hit rate stops rising (−0.005; below R5 in 8/10 paired mice) but ΔP+
//     (+0.46) and ΔP− (+0.12) are not reversed (separation < 0 in 3/10 mice). The apical sign g (burst
//     fraction − P̄) also follows the neuron's own activity, not only the tuft: with feedback `zero` its
//     2-s trace at the δ of a hit is +0.002 for P+ and −0.006 for P− (the neurons that made the hit), and
//     R5 still learns a little (hit rate 0.27 → 0.37, ΔP+ +0.72, ΔP− −0.24 Hz, 10 mice). That part of
//     δ·g is Hebbian and O5 does not flip it; the teaching-driven part reverses. (§6's table
//     predicts an O5 reversal for R5; §7's T-opto says "O5 reverses learning for R3 and R4 only".)
//   * The R1/R2 "not sign-by-role" reading of §7 is true only against the null band: by the bare 80 %
//     criterion R1 passes (0.8) because of the BAC artefact.
//   * The apical code is made by the teaching signal, not by the rule: R0 with the oracle teaching shows
//     the same separation as R3 (0.19 vs 0.24). The contrast identifies the teaching channel.
//   * T-predict on the somatic transient frequency (what a rig measures; the analysis' T12 rows) does not
//     separate the rules: R3 +0.16 (p 0.04) and R2 +0.14 (p 0.08) alike; with the analysis' default
//     windows on 4 days (early days 1–3, late days 2–4, overlapping) R2 gives +0.23 (p 0.004), R3 +0.21.
//     Why the transient read-out tracks the contrast in R2 was not investigated; here the T12
//     correlation is no evidence for a rule (WARNed, not asserted). R5 (spike rate +0.22, p 0.006) is
//     reported, not asserted; R4's transient frequency r is +0.04.
//   * T-network's positive half at this file's 10-pA teaching: R3's and R4's residuals are no more
//     predictable from the other neurons than R0's (every condition: R² −0.06 to −0.066 against a shift
//     null of −0.063; ≈ 5 % significant, the false-positive rate; 4-s bins alike): the teaching's shared
//     part is too small to show in the binned residual traces. From about 40 pA it does (R3 0.033 vs
//     −0.063, 59 % significant), while R1 and the null stay at the null: asserted in its own case.
//   * O3's "cursor learning is impaired" holds for the hit rate but not always for the P+ − P− rate gap:
//     at 90 pA the unbounded push (no stabiliser here) drives every rate up by ≈ 50 Hz and the hit rate to
//     ≈ 0, with Δ(P+ − P−) 2.1 vs O2's 5.0 Hz, below O2 in only 8/10 mice (WARNed, not asserted); at 20 pA
//     P+ rises most (the teaching still adds to the push) and the gap grows more than under O2 (9.5 Hz),
//     while the hit rate barely improves (0.77 → 0.83, after the acute boost). The acute push raises z, so
//     O3's day-1 hit rate is high (0.96 at 90 pA).
//   * O4, calibrated dark, leaves every hit rate at 0 (the background bursts that carry the decoder's
//     ΔF/F are gone); calibrated under its light too few neurons have transients to choose roles.
//   * O1 calibrated dark (`calibration_lit` false, or the frozen day-1 calibration of an alternate-days
//     schedule) leaves every hit rate at 0, which stops every reward-driven rule; hence the O1
//     conditions here are calibrated under the light (OptoSpec::calibration_lit).
//   * O1 slows R1 by 44 % (Δ(P+ − P−); hit-rate gain 44 %), not ≤ 20 % as §7 asks; on 20 mice 42 % and
//     23 % (gain O2 +0.32, O1 +0.25); normalised to day 1 by 42 % (20 mice 34 %). O1 removes about a
//     third of the somatic spikes (day-1 P0 rate 7.97 → 5.21 Hz, 20 mice), most of them burst spikes,
//     and R1's pre × post eligibility counts them: in this cell plain R1 reads part of the tuft. O7 matched
//     to the activity loss slows R1 as much in Hz (45 %; 20 mice 37 %) but not at all once normalised
//     (−9 %; 20 mice −10 %): see the R1 case. At 50 nS R1's cut is 0.46 and at 20 nS 0.11, but there O1
//     no longer blocks R3 (30 nS: cut 0.43), so no conductance meets both halves of §7. A weaker
//     soma–tuft coupling (g_s 650 or 325 pA instead of 1300) or dendritic background (σ 75 pA) leaves too
//     few neurons with calibration transients under O1 to choose P± (7–9 of the 10 needed): bursts carry
//     most of the soma ΔF/F transients here. R2 meets §7 (above); its default (σ_ξ 40 pA, 1× clip) does
//     not learn in 20 min (gain −0.02).
//
// Teaching: κ_Δ = 1 s (the default since this file; it was 0.5 s). With κ_Δ = 0.5 s and κ_ε = 0.2, R3 learns
// but its contrast is the null's (R3 0.13 ± 0.04, sign 0.7; null 0.10–0.12); with κ_ε = 0 the contrast is
// clear (R0 + teaching 0.16–0.18, sign 0.9) but R3 barely learns in 20 min (gain +0.03, ΔP+ +0.15,
// ΔP− −0.08). κ_Δ = 1 s keeps both (TeachingSpec comment in experiment_spec.hpp).
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "apical/analysis/cohort_analysis.hpp"
#include "apical/analysis/statistics.hpp"
#include "apical/io/session_conversion.hpp"
#include "bci_test_support.hpp"

using namespace apical;
using namespace apical::bci;
using apical::bci::test::mean_rate;
using apical::bci::test::pooled_accuracy;

namespace {

constexpr std::size_t mice = 10;
constexpr int days = 4;

ExperimentSpec base_spec(const std::string& rule) {
  ExperimentSpec s = apical::bci::test::small_spec(rule, days, 5.0);
  s.field_of_view = {5, 5, 6};
  s.teaching.teaching_gain_pA = 10.0;
  return s;
}

// Condition names: "R0", "R0-null", "R1" … "R5", with suffixes "-O1", "-O2", "-O3", "-O4", "-O5", "-O7",
// "-O1t-error", "-O1t-after", "-O1t-random", "-fast", "-pmt", "-cost" and "-noRbar" (each explained where
// it is set).
ExperimentSpec condition_spec(const std::string& condition) {
  const std::string rule = condition.substr(0, 2);
  ExperimentSpec s = base_spec(rule);
  auto has = [&](const char* suffix) { return condition.find(suffix) != std::string::npos; };
  if (has("-null") || rule == "R1" || rule == "R2") s.teaching.feedback = FeedbackType::zero;
  if (has("-O5")) s.manipulations.feedback_sign_swap = true;
  // "-fast": a 10× per-update clip, so that R1 and R2 learn in 20 min (T-opto for them); R2 also explores
  // with σ_ξ = 120 pA (3× its default; its speed ∝ σ_ξ²): at 40 pA it does not learn here.
  if (has("-fast")) s.learning.clip_fraction = 1e-2;
  if (has("-fast") && rule == "R2") s.learning.parameters["perturbation_sd"] = 120.0;
  const std::pair<const char*, OptoKind> opto[] = {{"-O1", OptoKind::apical_inhibition},
                                                   {"-O2", OptoKind::light_only},
                                                   {"-O3", OptoKind::apical_excitation},
                                                   {"-O4", OptoKind::apical_decoupling},
                                                   {"-O7", OptoKind::somatic_silencing}};
  for (const auto& [suffix, kind] : opto)
    if (has(suffix)) {
      s.manipulations.opto.kind = kind;
      s.manipulations.opto.schedule = OptoSchedule::every_session;
    }
  // O1-t: O1 locked to the task (calibrated dark: a calibration block has no task).
  const std::pair<const char*, OptoSchedule> locked[] = {{"-O1t-error", OptoSchedule::error_reduction},
                                                         {"-O1t-after", OptoSchedule::after_reward},
                                                         {"-O1t-random", OptoSchedule::random_epochs}};
  for (const auto& [suffix, schedule] : locked)
    if (has(suffix)) s.manipulations.opto.schedule = schedule;
  // O3's tonic push and O4's cut leave too few neurons with calibration transients to choose roles
  // when their calibration is lit (4 of 16 at ≥ 0.5/min): they are calibrated dark, as before any light.
  if (has("-O3") || has("-O4")) s.manipulations.opto.calibration_lit = false;
  // "-pmt": the PMT gate overlaps the scanned rows (learning_rules.md §4 O2's imaging artefact).
  if (has("-pmt")) s.manipulations.opto.pmt_gate_in_flyback = false;
  // "-cost": the default cohort's stabilisers (scenarios/francioni2026/cohort_default.json: activity cost
  // and 4-h synaptic scaling) with λ = 2e-6, about 3× its 7e-7, so that 20 min show what 14 days do there.
  if (has("-cost")) {
    s.learning.activity_cost = 2e-6;
    s.learning.synaptic_scaling_tau_s = 4 * 3600.0;
  }
  // "-noRbar": δ = R, the reward baseline held at 0 (T-baseline, the pitfall of learning_rules.md §7).
  if (has("-noRbar")) {
    s.reward.baseline_alpha = 1.0;
    s.reward.initial_baseline = 0.0;
  }
  return s;
}

// Cohorts cached by condition and size (ctest runs each test case in its own process: the cache is per
// case, and its sections share it). Mouse m is the same in a cohort of any size (seeds derive from the
// mouse's index), so a larger cohort reuses a smaller one's mice and runs only the rest.
const std::vector<MouseRecord>& cohort(const std::string& condition, std::size_t count = mice) {
  static std::map<std::pair<std::string, std::size_t>, std::vector<MouseRecord>> cache;
  auto it = cache.find({condition, count});
  if (it != cache.end()) return it->second;
  std::vector<MouseRecord> records;
  for (const auto& [key, cached] : cache)
    if (key.first == condition && key.second < count && cached.size() > records.size()) records = cached;
  CohortOptions options;
  options.first_mouse = records.size();
  options.mice = count - records.size();
  options.threads = 2;
  for (MouseRecord& m : run_cohort(condition_spec(condition), options)) records.push_back(std::move(m));
  return cache.emplace(std::pair{condition, count}, std::move(records)).first->second;
}

struct Learning {
  std::vector<double> gain;          // per mouse: pooled hit rate of days 3–4 − day 1
  std::vector<double> separation;    // per mouse: Δ(rate P+ − rate P−), day 4 − day 1, Hz
  std::vector<double> plus_change, minus_change;  // per mouse: ΔP+ and ΔP−, day 4 − day 1, Hz
  double early = 0, late = 0, mean_gain = 0, mean_separation = 0;
  // mean over mice of P+'s day-4 rate over its day-1 rate minus the same for P−: the gap's growth with
  // each population normalised to its day 1 (as the paper normalises activity), free of a manipulation's
  // scaling of every rate, which shrinks a gap in Hz by itself
  double mean_normalised_separation = 0;
  double d_plus = 0, d_minus = 0, d_zero = 0;  // mean over mice of the day-4 − day-1 rate change, Hz
};

Learning learning(const std::vector<MouseRecord>& c) {
  Learning L;
  const double n = static_cast<double>(c.size());
  for (const MouseRecord& m : c) {
    const double e = pooled_accuracy(m, 1, 1), l = pooled_accuracy(m, days - 1, days);
    const SessionRecord &first = m.sessions.front(), &last = m.sessions.back();
    const double plus_1 = mean_rate(first, loop::Role::plus), plus_4 = mean_rate(last, loop::Role::plus);
    const double minus_1 = mean_rate(first, loop::Role::minus), minus_4 = mean_rate(last, loop::Role::minus);
    const double dp = plus_4 - plus_1, dm = minus_4 - minus_1;
    const double dz = mean_rate(last, loop::Role::zero) - mean_rate(first, loop::Role::zero);
    L.gain.push_back(l - e);
    L.separation.push_back(dp - dm);
    L.plus_change.push_back(dp);
    L.minus_change.push_back(dm);
    L.mean_normalised_separation += (plus_4 / plus_1 - minus_4 / minus_1) / n;
    L.early += e / n, L.late += l / n, L.mean_gain += (l - e) / n, L.mean_separation += (dp - dm) / n;
    L.d_plus += dp / n, L.d_minus += dm / n, L.d_zero += dz / n;
  }
  return L;
}

std::string describe(const std::string& name, const Learning& L) {
  std::ostringstream out;
  out.precision(3);
  out << name << ": hit rate " << L.early << " -> " << L.late << " (gain " << L.mean_gain << "); dP+ " << L.d_plus
      << " dP- " << L.d_minus << " dP0 " << L.d_zero << " Hz; per-mouse gains";
  for (double g : L.gain) out << ' ' << std::round(g * 100) / 100;
  return out.str();
}

constexpr int early_days = 2;  // T-predict: early = days 1–2, late = days 3–4

// The paper's analysis of a cohort (analysis::analyze_cohort, no outcome decoding), with T12's early
// and late windows split in halves.
// A cohort of `cohort_days` days: early = its first half, late = the rest.
analysis::CohortAnalysis analyse(const std::vector<MouseRecord>& c, int cohort_days = days) {
  analysis::Cohort a;
  for (const MouseRecord& m : c)
    for (const SessionRecord& s : m.sessions) a.sessions.push_back(to_analysis_session(s));
  analysis::AnalysisOptions options;
  options.decode = false;
  options.early_late.early_days = cohort_days / 2;
  options.early_late.late_days = cohort_days - cohort_days / 2;
  return analysis::analyze_cohort(a, options);
}

// Residual contrast, all days pooled.
analysis::ContrastSummary contrast(const std::vector<MouseRecord>& c) { return analyse(c).opto_off.contrast; }

// T-predict across neurons: x = the early residual contrast (analysis, days 1–2), against
//   spikes:     the change of the true spike rate, days 3–4 − days 1–2 (the Δactivity of learning_rules.md §7),
//   transients: the change of the somatic transient frequency, what a rig sees (the analysis' T12 row),
// each also partial on the early rate.
struct Prediction {
  analysis::Correlation spikes, spikes_partial, transients, transients_partial;
};

Prediction predict(const std::vector<MouseRecord>& c) {
  const analysis::ContrastPredictsChange t12 = analyse(c).prediction;
  std::vector<double> contrast, change, early_rate;
  for (const analysis::NeuronChange& n : t12.neurons) {
    const auto mouse =
        std::find_if(c.begin(), c.end(), [&](const MouseRecord& m) { return m.setup.mouse_id == n.mouse_id; });
    double early = 0, late = 0, early_n = 0, late_n = 0;
    for (const SessionRecord& s : mouse->sessions) {
      const double rate = s.neurons[static_cast<std::size_t>(n.neuron_id)].rate_hz;
      if (s.day <= early_days) early += rate, early_n += 1;
      else late += rate, late_n += 1;
    }
    contrast.push_back(n.early_contrast);
    change.push_back(late / late_n - early / early_n);
    early_rate.push_back(early / early_n);
  }
  return {analysis::pearson(contrast, change), analysis::partial_pearson(contrast, change, early_rate), t12.r,
          t12.partial_r};
}

std::string describe(const std::string& name, const Prediction& p) {
  std::ostringstream out;
  out.precision(3);
  out << name << ": early contrast vs later change across " << p.spikes.n << " neurons: spike rate r " << p.spikes.r
      << " (p " << p.spikes.p << "), partial " << p.spikes_partial.r << "; transient frequency r " << p.transients.r
      << " (p " << p.transients.p << "), partial " << p.transients_partial.r;
  return out.str();
}

std::string describe(const std::string& name, const analysis::ContrastSummary& s) {
  std::ostringstream out;
  out.precision(3);
  out << name << ": contrast P+ " << s.plus_mean << " P- " << s.minus_mean << " P0 " << s.zero_mean << "; separation "
      << s.separation_mean << " +- " << s.separation_sem << "; P+ > 0 > P- in " << s.fraction_sign_by_role
      << " of " << s.mice_with_separation << " mice; separation > 0 in " << s.fraction_separation_positive;
  return out.str();
}

// The null band: the mean ± 2 s.e.m. of R0-BAC-null's separation; a teaching signal must rise above it.
struct NullBand {
  double lo;
  double hi;
};

NullBand null_band(const analysis::ContrastSummary& null) {
  return {null.separation_mean - 2.0 * null.separation_sem, null.separation_mean + 2.0 * null.separation_sem};
}

std::string describe(const std::string& name, const analysis::NetworkSummary& s) {
  std::ostringstream out;
  out.precision(3);
  out << name << ": residual from the other neurons, cross-validated R2 " << s.r2_mean << " vs shift null "
      << s.null_mean << " (paired over " << s.observed_vs_null.n << " mice: p " << s.observed_vs_null.p
      << "); P+ " << s.roles[0].r2_mean << " P- " << s.roles[1].r2_mean << " P0 " << s.roles[2].r2_mean
      << "; p < 0.05 in " << s.fraction_significant << " of " << s.neurons.size() << " neuron-sessions";
  return out.str();
}

std::size_t count_greater(const std::vector<double>& a, const std::vector<double>& b) {
  std::size_t n = 0;
  for (std::size_t m = 0; m < a.size(); ++m) n += a[m] > b[m];
  return n;
}

// T-P0: how the P0 neurons drift. spread[d − 2] is, for day d = 2 … days, the SD across a mouse's P0
// neurons of rate(day d) − rate(day 1), averaged over mice: it stays at the session-to-session noise if
// P0 does not learn and grows if P0 diffuses. Hitchhiking: across every P0 neuron of the cohort, its
// day-4 − day-1 rate change against corr(P0, P+) − corr(P0, P−), the correlations of its day-1 soma
// ΔF/F with the P+ and P− means in 1-s bins (learning_rules.md §5's "∝ corr(P0, P+) − corr(P0, P−)").
struct P0Drift {
  std::vector<double> spread;
  analysis::Correlation hitchhiking;
  bool weights_fixed = true;  // no P0 synapse ever moved from its day-1 weight
};

std::vector<double> one_second_bins(const std::vector<double>& trace) {
  const auto bin = static_cast<std::size_t>(frame_rate_Hz);
  std::vector<double> out;
  for (std::size_t k = 0; k + bin <= trace.size(); k += bin) {
    double sum = 0;
    for (std::size_t j = k; j < k + bin; ++j) sum += trace[j];
    out.push_back(sum / static_cast<double>(bin));
  }
  return out;
}

std::vector<double> population_mean_dff(const SessionRecord& s, loop::Role role) {
  std::vector<double> mean(s.frames(), 0.0);
  double n = 0;
  for (const NeuronTrace& t : s.neurons)
    if (t.role == role) {
      for (std::size_t k = 0; k < mean.size(); ++k) mean[k] += t.soma_dff[k];
      n += 1;
    }
  for (double& v : mean) v /= n;
  return one_second_bins(mean);
}

P0Drift p0_drift(const std::vector<MouseRecord>& c) {
  P0Drift drift;
  drift.spread.assign(days - 1, 0.0);
  std::vector<double> coupling, change;
  for (const MouseRecord& m : c) {
    const SessionRecord& first = m.sessions.front();
    const std::vector<double> plus = population_mean_dff(first, loop::Role::plus),
                              minus = population_mean_dff(first, loop::Role::minus);
    std::vector<std::size_t> p0;
    for (std::size_t i = 0; i < first.neurons.size(); ++i)
      if (first.neurons[i].role == loop::Role::zero) p0.push_back(i);
    for (const std::size_t i : p0) {
      const std::vector<double> own = one_second_bins(first.neurons[i].soma_dff);
      coupling.push_back(analysis::pearson(own, plus).r - analysis::pearson(own, minus).r);
      change.push_back(m.sessions.back().neurons[i].rate_hz - first.neurons[i].rate_hz);
    }
    for (const SessionRecord& s : m.sessions) {
      for (const std::size_t i : p0)
        for (std::size_t j = 0; j < m.setup.inputs; ++j)
          drift.weights_fixed &= s.weights[i * m.setup.inputs + j] == m.setup.initial_weights[i * m.setup.inputs + j];
      if (s.day == 1) continue;
      std::vector<double> d;
      for (const std::size_t i : p0) d.push_back(s.neurons[i].rate_hz - first.neurons[i].rate_hz);
      drift.spread[static_cast<std::size_t>(s.day - 2)] += analysis::sample_sd(d) / static_cast<double>(c.size());
    }
  }
  drift.hitchhiking = analysis::pearson(coupling, change);
  return drift;
}

std::string describe(const std::string& name, const P0Drift& d) {
  std::ostringstream out;
  out.precision(3);
  out << name << ": spread of the P0 rate change from day 1 (mean over mice of the SD across P0), days 2-" << days
      << ':';
  for (double v : d.spread) out << ' ' << v;
  out << " Hz; hitchhiking r " << d.hitchhiking.r << " (p " << d.hitchhiking.p << ", " << d.hitchhiking.n
      << " P0 neurons); P0 weights " << (d.weights_fixed ? "never moved" : "moved");
  return out.str();
}

}  // namespace

// One test case, so that the shared cohorts (R0, R3, R4, the null) are simulated once, and the 20-mouse
// cohorts of the last section add ten mice to the ten simulated for the others.
TEST_CASE("outcome matrix: learning, sign by role, apical code, null and O5 on 10 paired mice (20 for the apical code)",
          "[bci][predictions]") {
  const Learning r0 = learning(cohort("R0")), null = learning(cohort("R0-null")), r3 = learning(cohort("R3"));
  const Learning r1 = learning(cohort("R1")), r2 = learning(cohort("R2")), r4 = learning(cohort("R4")),
                 r5 = learning(cohort("R5"));
  WARN(describe("R0", r0));
  WARN(describe("R0-BAC-null", null));
  WARN(describe("R3", r3));
  WARN(describe("R4", r4));
  WARN(describe("R5", r5));
  WARN(describe("R1 (no apical feedback)", r1));
  WARN(describe("R2 (no apical feedback)", r2));

  SECTION("T-learn: R3 and R4 learn (gain >= 0.2, above R0 in paired mice), R0 does not") {
    for (const auto& [name, rule] : {std::pair{"R3", &r3}, std::pair{"R4", &r4}}) {
      const analysis::TTest paired = analysis::t_test_paired(rule->gain, r0.gain);
      WARN(name << " vs R0 paired gain difference " << paired.mean << ", p = " << paired.p << "; above R0 in "
                << count_greater(rule->gain, r0.gain) << " of " << mice << " mice");
      CHECK(rule->mean_gain >= 0.2);
      CHECK(count_greater(rule->gain, r0.gain) >= 9);
      CHECK(paired.p < 0.01);
    }
    CHECK(std::abs(r0.mean_gain) < 0.05);
    CHECK(std::abs(null.mean_gain) < 0.05);
    // R5 (δ times an apical-sign eligibility, oracle teaching) learns too.
    const analysis::TTest paired5 = analysis::t_test_paired(r5.gain, r0.gain);
    WARN("R5 vs R0 paired gain difference " << paired5.mean << ", p = " << paired5.p << "; R5 above R0 in "
                                            << count_greater(r5.gain, r0.gain) << " of " << mice << " mice");
    CHECK(r5.mean_gain >= 0.2);
    CHECK(count_greater(r5.gain, r0.gain) >= 9);
    CHECK(paired5.p < 0.01);
  }

  SECTION("T-sign: R3 and R4 with correct feedback raise P+ and lower P-, P0 nearly untouched") {
    for (const Learning* rule : {&r3, &r4}) {
      CHECK(rule->d_plus > 0.5);
      CHECK(rule->d_minus < -0.5);
      CHECK(std::abs(rule->d_zero) < 0.25 * std::min(rule->d_plus, -rule->d_minus));
      // Per mouse: the P+ − P− rate difference grows in every mouse, more than in its R0 twin.
      CHECK(count_greater(rule->separation, std::vector<double>(mice, 0.0)) == mice);
      CHECK(count_greater(rule->separation, r0.separation) == mice);
    }
    // R5: P+ up, P− down, the P+ − P− rate difference grows beyond the R0 twin's in most mice.
    WARN("R5: separation grows in " << count_greater(r5.separation, std::vector<double>(mice, 0.0))
                                    << " mice, beyond the R0 twin's in " << count_greater(r5.separation, r0.separation));
    CHECK(r5.d_plus > 0.5);
    CHECK(r5.d_minus < -0.5);
    CHECK(count_greater(r5.separation, r0.separation) >= 9);
  }

  SECTION("T-apical-code: R3's contrast is P+ > 0 > P- beyond the null band; R1, R2 stay in it") {
    const analysis::ContrastSummary c_null = contrast(cohort("R0-null")), c_r0 = contrast(cohort("R0")),
                                    c_r3 = contrast(cohort("R3")), c_r4 = contrast(cohort("R4")),
                                    c_r5 = contrast(cohort("R5")), c_r1 = contrast(cohort("R1")),
                                    c_r2 = contrast(cohort("R2"));
    WARN(describe("R0-BAC-null (the null band)", c_null));
    WARN(describe("R0 + oracle teaching", c_r0));
    WARN(describe("R3", c_r3));
    WARN(describe("R4", c_r4));
    WARN(describe("R5", c_r5));
    WARN(describe("R1 (no apical feedback)", c_r1));
    WARN(describe("R2 (no apical feedback)", c_r2));
    REQUIRE(c_null.mice_with_separation == mice);
    REQUIRE(c_r3.mice_with_separation == mice);
    const NullBand band = null_band(c_null);
    WARN("null band (mean +- 2 sem of R0-BAC-null's separation): [" << band.lo << ", " << band.hi << "]");
    // (f) the null: the coupling alone gives a positive separation, but not the sign-by-role pattern.
    CHECK(c_null.separation_mean > 0.0);
    CHECK(c_null.fraction_sign_by_role < 0.8);
    // R3: sign by role in ≥ 80 % of mice, and a separation above the null band.
    CHECK(c_r3.fraction_sign_by_role >= 0.8);
    CHECK(c_r3.plus_mean > 0.0);
    CHECK(c_r3.minus_mean < 0.0);
    CHECK(c_r3.separation_mean > band.hi);
    // R4: P+ > 0 > P- on average, but its sign-by-role fraction and separation sit at the 80 % line and
    // the band's top (0.7–0.9 and 0.15–0.28 across η; see the header): reported, not asserted.
    CHECK(c_r4.plus_mean > 0.0);
    CHECK(c_r4.minus_mean < 0.0);
    WARN("R4 sign by role in " << c_r4.fraction_sign_by_role << " of mice (section 7: >= 0.8); separation "
                               << c_r4.separation_mean << " vs the null band's top " << band.hi);
    // R5: sign by role in ≥ 80 % of mice (learning_rules.md §7's criterion for R3, R4, R5). Its separation
    // is at the top of the null band (not asserted; see the header).
    CHECK(c_r5.fraction_sign_by_role >= 0.8);
    CHECK(c_r5.plus_mean > 0.0);
    CHECK(c_r5.minus_mean < 0.0);
    WARN("R5 separation " << c_r5.separation_mean << " vs the null band's top " << band.hi);
    // R1 and R2 (no apical teaching): inside the null band.
    CHECK(c_r1.separation_mean >= band.lo);
    CHECK(c_r1.separation_mean <= band.hi);
    CHECK(c_r2.separation_mean >= band.lo);
    CHECK(c_r2.separation_mean <= band.hi);
  }

  SECTION("T-predict: R3's and R4's early contrast predicts the later rate change; R1 and R2's does not") {
    const Prediction p3 = predict(cohort("R3")), p1 = predict(cohort("R1")), p2 = predict(cohort("R2")),
                     p4 = predict(cohort("R4"));
    WARN(describe("R3", p3));
    WARN(describe("R1 (no apical feedback)", p1));
    WARN(describe("R2 (no apical feedback)", p2));
    WARN(describe("R0 + oracle teaching", predict(cohort("R0"))));
    WARN(describe("R4", p4));
    WARN(describe("R5", predict(cohort("R5"))));
    CHECK(p3.spikes.n >= 140);
    CHECK(p3.spikes.r > 0.25);
    CHECK(p3.spikes.p < 0.001);
    CHECK(p3.spikes_partial.r > 0.25);
    // R4: §7's "corr > 0", significant.
    CHECK(p4.spikes.r > 0.0);
    CHECK(p4.spikes.p < 0.01);
    CHECK(std::abs(p1.spikes.r) < 0.2);
    CHECK(std::abs(p2.spikes.r) < 0.2);
  }

  // Measured (analysis::residual_network, 1-s bins, opto-off frames; R² mean across mice, its shift null,
  // paired p across 10 mice, fraction of neuron-sessions with shift p < 0.05):
  //   R0 −0.062 vs −0.063 (p 0.67), 0.040 of 620;  R0-null −0.063 vs −0.063 (0.83), 0.050 of 618
  //   R1 −0.066 vs −0.063 (0.19), 0.042 of 618;    R2 −0.066 vs −0.063 (0.15), 0.024 of 622
  //   R3 −0.062 vs −0.063 (0.67), 0.049 of 616;    R4 −0.061 vs −0.063 (0.61), 0.050 of 617
  //   R5 −0.061 vs −0.063 (0.38), 0.058 of 619
  // (4-s bins: every condition at its null too, R3 −0.286 vs −0.284.) No rule's residual is predictable:
  // §7's negative half (R0, R1) holds and is asserted; its positive half (R3, R4) does not (WARNed).
  SECTION("T-network: the residual is not predictable from the other neurons for R0 and R1 (nor for R3, R4)") {
    std::map<std::string, analysis::NetworkSummary> network;
    for (const char* condition : {"R0", "R0-null", "R1", "R2", "R3", "R4", "R5"}) {
      network[condition] = analyse(cohort(condition)).network;
      WARN(describe(condition, network[condition]));
      REQUIRE(network[condition].mice.size() == mice);
      REQUIRE(network[condition].neurons.size() >= 500);
    }
    // At the null: R² within 0.01 of the shift null (the paired difference's s.e.m. across mice is ≈ 0.002), and
    // significant neuron-sessions at about the 5 % false-positive rate.
    for (const char* condition : {"R0", "R0-null", "R1"}) {
      const analysis::NetworkSummary& n = network[condition];
      CHECK(std::abs(n.r2_mean - n.null_mean) < 0.01);
      CHECK(n.fraction_significant < 0.1);
    }
    // Not predictable for R3 and R4 either (§7 expects it): reported, not asserted.
    for (const char* condition : {"R3", "R4"})
      WARN(condition << " R2 - null " << network[condition].r2_mean - network[condition].null_mean
                     << " (section 7 expects > 0)");
  }

  SECTION("T-sign with an activity cost: R3 keeps P+ and suppresses P- (sparsification), the most active P0 fall most") {
    const std::vector<MouseRecord>& c = cohort("R3-cost");
    const Learning cost = learning(c);
    WARN(describe("R3-cost (activity cost 2e-6, scaling 4 h)", cost));
    std::size_t sparser = 0;
    for (std::size_t m = 0; m < c.size(); ++m) {
      const double dp = cost.plus_change[m], dm = cost.minus_change[m];
      sparser += dm < 0.0 && std::abs(dm) > std::abs(dp);
    }
    std::vector<double> day1_rate, change;
    for (const MouseRecord& m : c) {
      const SessionRecord &first = m.sessions.front(), &last = m.sessions.back();
      for (std::size_t i = 0; i < first.neurons.size(); ++i)
        if (first.neurons[i].role == loop::Role::zero) {
          day1_rate.push_back(first.neurons[i].rate_hz);
          change.push_back(last.neurons[i].rate_hz - first.neurons[i].rate_hz);
        }
    }
    const analysis::Correlation most_active = analysis::pearson(day1_rate, change);
    WARN("|ΔP-| > |ΔP+| with ΔP- < 0 in " << sparser << " of " << mice << " mice; P0 change vs day-1 rate r "
                                          << most_active.r << " (p " << most_active.p << ")");
    CHECK(cost.mean_gain >= 0.15);  // still learns the task
    CHECK(cost.d_minus < -1.0);
    CHECK(std::abs(cost.d_plus) < 0.5 * std::abs(cost.d_minus));  // P+ about kept
    CHECK(sparser >= 9);
    CHECK(cost.d_zero < 0.0);  // the cost acts on every neuron: P0 falls too
    CHECK(most_active.r < 0.0);
    CHECK(most_active.p < 0.05);
  }

  SECTION("T-P0: R3's and R4's P0 neurons keep their weights, so the spread of their rate change does not grow") {
    for (const std::string rule : {"R3", "R4"}) {
      const P0Drift d = p0_drift(cohort(rule));
      WARN(describe(rule, d));
      // No teaching reaches P0 (oracle Bfb = 0) and nothing couples it to P±: the rule's bracket is 0.
      CHECK(d.weights_fixed);
      // What is left is session-to-session noise: well under 1 Hz, not growing with the days.
      CHECK(d.spread.back() < 0.5);
      CHECK(d.spread.back() < 1.5 * d.spread.front());
    }
  }

  SECTION("O5 (feedback sign swap) reverses R3 and R4") {
    const Learning o5 = learning(cohort("R3-O5")), r4o5 = learning(cohort("R4-O5")), r5o5 = learning(cohort("R5-O5"));
    WARN(describe("R3-O5", o5));
    WARN(describe("R4-O5", r4o5));
    WARN(describe("R5-O5 (not asserted: P+ and P- are not reversed, see the header)", r5o5));
    WARN("R5-O5 below R5 (gain) in " << count_greater(r5.gain, r5o5.gain) << " of " << mice
                                     << " mice; separation < 0 in " << count_greater(std::vector<double>(mice, 0.0), r5o5.separation));
    for (const auto& [learned, swapped] : {std::pair{&r3, &o5}, std::pair{&r4, &r4o5}}) {
      CHECK(swapped->mean_gain < 0.0);
      CHECK(swapped->d_plus < 0.0);
      CHECK(swapped->d_minus > 0.0);
      CHECK(count_greater(learned->gain, swapped->gain) >= 9);
      CHECK(count_greater(std::vector<double>(mice, 0.0), swapped->separation) >= 9);
    }
  }

  // T-apical-code on twice the mice: on ten, R4's sign-by-role fraction is 0.7 and R1's 0.8, one mouse
  // either side of §7's line. Measured (20 mice; mice 0–9 are the outcome matrix's): R0-BAC-null
  // separation 0.097 ± 0.021, sign 0.6 (band [0.055, 0.139]); R4 0.183 ± 0.028, sign 0.80 (mice 10–19:
  // 0.90); R5 0.213 ± 0.024, sign 0.85 (0.80); R1 0.078 ± 0.021, sign 0.60 (0.40); R2 0.072 ± 0.014,
  // sign 0.55 (0.60). R4's 0.80 is exactly §7's line (16 of 20).
  SECTION("T-apical-code on 20 mice: R4's and R5's contrast is P+ > 0 > P- beyond the null band, R1's and R2's is not") {
    constexpr std::size_t twenty = 20;
    const analysis::ContrastSummary c_null = contrast(cohort("R0-null", twenty));
    WARN(describe("R0-BAC-null, 20 mice", c_null));
    REQUIRE(c_null.mice_with_separation == twenty);
    CHECK(c_null.fraction_sign_by_role < 0.8);
    const NullBand band = null_band(c_null);
    for (const std::string rule : {"R4", "R5"}) {
      const analysis::ContrastSummary c = contrast(cohort(rule, twenty));
      WARN(describe(rule + ", 20 mice", c));
      REQUIRE(c.mice_with_separation == twenty);
      CHECK(c.fraction_sign_by_role >= 0.8);
      CHECK(c.plus_mean > 0.0);
      CHECK(c.minus_mean < 0.0);
      CHECK(c.separation_mean > band.hi);
    }
    for (const std::string rule : {"R1", "R2"}) {
      const analysis::ContrastSummary c = contrast(cohort(rule, twenty));
      WARN(describe(rule + ", 20 mice", c));
      CHECK(c.fraction_sign_by_role < 0.8);
      CHECK(c.separation_mean >= band.lo);
      CHECK(c.separation_mean <= band.hi);
    }
  }
}

// T-network's positive half (learning_rules.md §7). At the outcome matrix's 10-pA teaching no rule's
// residual is predictable from the other neurons' (its T-network section); the teaching's shared part
// shows in the 1-s binned residual traces from about 40 pA. Measured (6 mice, two 5-min days, 40 pA;
// R² vs its shift null, paired p, fraction of neuron-sessions significant): R3 0.033 vs −0.063 (2.6e-4,
// 0.59), R4 0.029 vs −0.065 (5.6e-4, 0.59); R1 (feedback zero) −0.069 vs −0.064 (0.31, 0.04);
// R0-BAC-null −0.064 vs −0.063 (0.75, 0.04). R3 at 20 pA: −0.044 vs −0.063 (0.014, 0.16).
TEST_CASE("T-network: with a 40-pA teaching R3's and R4's residuals are predictable from the other neurons', R1's and the null's are not",
          "[bci][predictions]") {
  constexpr int two_days = 2;
  const auto network = [](const std::string& rule, FeedbackType feedback) {
    ExperimentSpec s = apical::bci::test::small_spec(rule, two_days, 5.0);
    s.field_of_view = {5, 5, 6};
    s.teaching.teaching_gain_pA = 40.0;
    s.teaching.feedback = feedback;
    CohortOptions options;
    options.mice = 6;
    options.threads = 2;
    const analysis::NetworkSummary n = analyse(run_cohort(s, options), two_days).network;
    WARN(describe(rule + " (teaching 40 pA, feedback " + to_string(feedback) + ")", n));
    return n;
  };
  for (const std::string rule : {"R3", "R4"}) {
    const analysis::NetworkSummary n = network(rule, FeedbackType::oracle);
    CHECK(n.r2_mean - n.null_mean > 0.05);
    CHECK(n.observed_vs_null.p < 0.01);
    CHECK(n.fraction_significant > 0.3);
  }
  for (const std::string rule : {"R1", "R0"}) {  // no apical feedback; R0 with it is R0-BAC-null
    const analysis::NetworkSummary n = network(rule, FeedbackType::zero);
    CHECK(std::abs(n.r2_mean - n.null_mean) < 0.01);
    CHECK(n.fraction_significant < 0.1);
  }
}

namespace {

// Fraction of all session frames that were lit, over a cohort.
double lit_fraction(const std::vector<MouseRecord>& c) {
  double lit = 0, frames = 0;
  for (const MouseRecord& m : c)
    for (const SessionRecord& s : m.sessions)
      for (const std::uint8_t on : s.opto) lit += on, frames += 1;
  return lit / frames;
}

// Mean burst rate of the P0 neurons on day 1, over mice (ground truth, Hz).
double day1_p0_burst_rate(const std::vector<MouseRecord>& c) {
  double sum = 0, n = 0;
  for (const MouseRecord& m : c)
    for (const NeuronTrace& t : m.sessions.front().neurons)
      if (t.role == loop::Role::zero) sum += t.burst_rate_hz, n += 1;
  return sum / n;
}

// Mean rate of one role over every session of every mouse.
double overall_rate(const std::vector<MouseRecord>& c, loop::Role role) {
  double sum = 0;
  std::size_t n = 0;
  for (const MouseRecord& m : c)
    for (const SessionRecord& s : m.sessions) sum += mean_rate(s, role), ++n;
  return sum / static_cast<double>(n);
}

}  // namespace

// O1 and its controls on R3 (O1 also on R4 and R5), against O2, in one test case so that the shared
// cohorts (R3-O1, R3-O2) are simulated once.
TEST_CASE("T-opto: O1, O1-t, O7, O3 and O4 against O2 (LED only) on R3, R4 and R5", "[bci][predictions]") {
  SECTION("T-opto: O1 cuts R3's, R4's and R5's learning by half or more versus O2 (LED only)") {
    for (const std::string rule : {"R3", "R4", "R5"}) {
      const Learning o1 = learning(cohort(rule + "-O1")), o2 = learning(cohort(rule + "-O2"));
      WARN(describe(rule + "-O1 (every session)", o1));
      WARN(describe(rule + "-O2 (every session)", o2));
      // Learning = the weights' effect on the decoder populations: the day-4 − day-1 change of the P+ − P−
      // rate difference (measured under the same light on both days, so O1's acute rate loss cancels).
      const double cut = 1.0 - o1.mean_separation / o2.mean_separation;
      WARN(rule << " learning (Δ(P+ - P-) rate): O2 " << o2.mean_separation << " Hz, O1 " << o1.mean_separation
                << " Hz; cut " << cut << "; hit-rate gain O2 " << o2.mean_gain << ", O1 " << o1.mean_gain);
      CHECK(o2.mean_separation > 1.0);
      CHECK(cut >= 0.5);
      CHECK(count_greater(o2.separation, o1.separation) >= 9);
      // The task goes on under O1 (calibrated under the light), so the hit-rate gain shows the cut too.
      CHECK(o1.mean_gain <= 0.5 * o2.mean_gain);
      // O1 does not reverse the learning: the twin shares the inhibition, so the bracket (R3) and the
      // cancelled burst term (R4) isolate the teaching; R5's apical sign is relative to its own running
      // burst fraction.
      CHECK(o1.mean_separation >= 0.0);
    }
  }

  // O1-t (learning_rules.md §4): O1 only in R3's error-reduction epochs (i), only 0–2 s after each reward
  // (ii), or in random epochs matched to (i)'s lit fraction and lit-run length (iii). Measured (10 mice):
  // Δ(P+ − P−) O2 5.00, (i) 1.33 (cut 0.73), (ii) 4.69 (0.06), (iii) 3.06 Hz (0.39); hit rate day 1 → days
  // 3–4: O2 0.54 → 0.87, (i) 0.17 → 0.21, (ii) 0.57 → 0.89, (iii) 0.37 → 0.59; lit fraction (i) 0.42,
  // (ii) 0.09, (iii) 0.42. R3's teaching flows while the error falls, not after the reward. The light in
  // (i) also stops the cursor's approach (day-1 hit rate 0.17), so part of its block is lost rewards.
  SECTION("T-opto-t: O1 in R3's error-reduction epochs blocks its learning, after rewards or at random it does not") {
    const auto &error_cohort = cohort("R3-O1t-error"), &random_cohort = cohort("R3-O1t-random");
    const Learning o2 = learning(cohort("R3-O2")), error = learning(error_cohort),
                   after = learning(cohort("R3-O1t-after")), random = learning(random_cohort);
    WARN(describe("R3-O1t-error (error-reduction epochs)", error));
    WARN(describe("R3-O1t-after (0-2 s after each reward)", after));
    WARN(describe("R3-O1t-random (random epochs, matched duty)", random));
    const auto cut = [&](const Learning& l) { return 1.0 - l.mean_separation / o2.mean_separation; };
    WARN("R3 learning (Δ(P+ - P-) rate) cut versus O2: error-reduction " << cut(error) << ", after reward " << cut(after)
                                                                       << ", random " << cut(random) << "; lit fraction "
                                                                       << lit_fraction(error_cohort) << " vs "
                                                                       << lit_fraction(random_cohort));
    CHECK(std::abs(lit_fraction(random_cohort) - lit_fraction(error_cohort)) < 0.05);  // the matched timing control
    CHECK(cut(error) >= 0.5);
    CHECK(cut(after) < 0.2);
    CHECK(cut(random) < 0.5);
    CHECK(count_greater(random.separation, error.separation) >= 8);
  }

  // O7 (learning_rules.md §6): somatic silencing matched to O1's activity loss, both calibrated under
  // their light. Measured (10 mice, this file's setting): mean P0 rate O1 5.28, O7 5.70 Hz; R3
  // Δ(P+ − P−) O2 5.0, O1 1.11, O7 3.24 Hz; R3 hit-rate gain O2 +0.33, O1 +0.10, O7 +0.26.
  SECTION("T-opto: O7, matched to O1's activity loss, slows R3 but keeps its sign-specific learning") {
    const auto &o1_cohort = cohort("R3-O1"), &o7_cohort = cohort("R3-O7");
    const Learning o1 = learning(o1_cohort), o2 = learning(cohort("R3-O2")), o7 = learning(o7_cohort);
    WARN(describe("R3-O7 (every session)", o7));
    const double p0_o1 = overall_rate(o1_cohort, loop::Role::zero), p0_o7 = overall_rate(o7_cohort, loop::Role::zero);
    WARN("mean P0 rate: O1 " << p0_o1 << " Hz, O7 " << p0_o7 << " Hz; R3 learning (Δ(P+ - P-) rate): O2 "
                             << o2.mean_separation << ", O1 " << o1.mean_separation << ", O7 " << o7.mean_separation << " Hz");
    CHECK(std::abs(p0_o7 - p0_o1) < 0.1 * p0_o1);             // matched activity loss
    CHECK(o7.mean_gain >= 0.2);                                 // the task is still learned
    CHECK(1.0 - o7.mean_separation / o2.mean_separation < 0.5);  // slowed, not blocked
    CHECK(o7.d_plus > 0.0);
    CHECK(o7.d_minus < 0.0);
    // So O1's block of R3 is more than its activity loss: it blocks the teaching.
    CHECK(count_greater(o7.separation, o1.separation) >= 9);
  }

  // O2's imaging artefact (learning_rules.md §4: "Must show no learning effect"): the PMT gate over the
  // top rows, the light every frame and the calibration under it, so the gated neurons (no sample, no
  // transients) are never chosen for P+ or P−. A mouse whose roles are R3-O2's runs the same closed loop
  // spike for spike: only P0 rows lose samples. Measured (10 mice): 34 P0 neurons gated; one mouse keeps
  // R3-O2's roles (elsewhere the random pairing draws from another eligible set, so the mice differ);
  // Δ(P+ − P−) 5.26 vs 5.00 Hz, hit-rate gain +0.24 vs +0.33 (per mouse −0.04 … +0.54).
  // Calibrated dark instead, P± rows in the gate leave the decoder fewer neurons, so x is noisier than
  // σ_cal says and the task turns easy (hit rate 1.0 on every day in the mice with 4 of 10 P± gated),
  // while Δ(P+ − P−) is unchanged (5.31 Hz): not asserted, a reason to calibrate under the light.
  SECTION("O2's PMT-gate artefact (calibrated under the light) has no learning effect on R3") {
    const auto &o2_cohort = cohort("R3-O2"), &pmt_cohort = cohort("R3-O2-pmt");
    const Learning o2 = learning(o2_cohort), pmt = learning(pmt_cohort);
    WARN(describe("R3-O2-pmt (gate over the top rows)", pmt));
    std::size_t same_roles = 0, gated_p0 = 0;
    for (std::size_t m = 0; m < mice; ++m) {
      const MouseRecord &a = o2_cohort[m], &b = pmt_cohort[m];
      for (const SessionRecord& s : b.sessions)
        for (const NeuronTrace& t : s.neurons) {
          const bool gated = apical::bci::test::has_missing_sample(t.soma_dff);
          CHECK_FALSE((gated && t.role != loop::Role::zero));
          gated_p0 += gated && s.day == 1;
        }
      if (a.setup.roles != b.setup.roles) continue;
      ++same_roles;
      for (std::size_t d = 0; d < a.sessions.size(); ++d) {
        CHECK(a.sessions[d].hits == b.sessions[d].hits);
        CHECK(a.sessions[d].weights == b.sessions[d].weights);
        CHECK(a.sessions[d].decoder_z == b.sessions[d].decoder_z);
      }
    }
    WARN("R3 under O2's PMT artefact: " << same_roles << " of " << mice << " mice keep R3-O2's roles; " << gated_p0
                                        << " gated P0 neurons; Δ(P+ - P-) " << pmt.mean_separation << " vs "
                                        << o2.mean_separation << " Hz, hit-rate gain " << pmt.mean_gain << " vs " << o2.mean_gain);
    CHECK(gated_p0 >= mice);  // the artefact is there (about 21 % of 16 rows per mouse)
    CHECK(same_roles >= 1);
    CHECK(std::abs(pmt.mean_separation / o2.mean_separation - 1.0) < 0.2);
    CHECK(pmt.mean_gain >= 0.2);
    CHECK(pmt.d_plus > 0.0);
    CHECK(pmt.d_minus < 0.0);
  }

  SECTION("T-opto: O3 pushes every role alike under R3, O4 blocks R3 like O1") {
    const auto& o4_cohort = cohort("R3-O4");
    const Learning o2 = learning(cohort("R3-O2")), o3 = learning(cohort("R3-O3")), o4 = learning(o4_cohort);
    WARN(describe("R3-O2 (every session)", o2));
    WARN(describe("R3-O3 (every session)", o3));
    WARN(describe("R3-O4 (every session)", o4));
    WARN("R3 learning (Δ(P+ - P-) rate): O2 " << o2.mean_separation << ", O3 " << o3.mean_separation << ", O4 "
                                             << o4.mean_separation << " Hz; O3 below O2 in "
                                             << count_greater(o2.separation, o3.separation) << " of " << mice << " mice");
    // O3: the same push for every role, so P+ and P− (and P0) co-vary, and cursor learning is lost.
    CHECK(o3.d_plus > 0.0);
    CHECK(o3.d_minus > 0.5 * o3.d_plus);
    CHECK(o3.d_zero > 0.5 * o3.d_plus);
    CHECK(count_greater(o2.gain, o3.gain) >= 9);
    // O4: the teaching cannot reach the soma and the twin is decoupled too, so R3's bracket is exactly 0
    // and W never moves; the learning is blocked like O1's (≥ 50 % cut versus O2).
    for (const MouseRecord& m : o4_cohort)
      for (const SessionRecord& s : m.sessions) CHECK(s.weights == m.setup.initial_weights);
    CHECK(1.0 - o4.mean_separation / o2.mean_separation >= 0.5);
    CHECK(count_greater(o2.separation, o4.separation) >= 9);
  }
}

namespace {

// A scalar rule's "-fast" cohorts under O1, O2 and O7, every session (reported as they are read).
struct UnderLight {
  Learning o1, o2, o7;
};

UnderLight under_light(const std::string& rule) {
  UnderLight u{learning(cohort(rule + "-fast-O1")), learning(cohort(rule + "-fast-O2")),
               learning(cohort(rule + "-fast-O7"))};
  WARN(describe(rule + "-fast-O1 (every session)", u.o1));
  WARN(describe(rule + "-fast-O2 (every session)", u.o2));
  WARN(describe(rule + "-fast-O7 (every session)", u.o7));
  return u;
}

// T-P0 and T-baseline (learning_rules.md §5 and §7) for the scalar rules: sections of the R1 and R2
// cases below, on their `-fast` cohorts under O2 (whose records equal no light's). Measured (10 mice;
// 20 in brackets; spread = SD across a mouse's P0 of the rate change from day 1, mean over mice, days
// 2, 3, 4; hitchhiking = r of the P0 change against corr(P0, P+) − corr(P0, P−) of the day-1 soma
// ΔF/F in 1-s bins):
//   R1-fast         spread 0.97 1.72 2.19 Hz (0.87 1.47 2.03); hitchhiking r 0.19, p 0.15 (0.17, p 0.06)
//   R2-fast         spread 1.28 1.96 2.00 Hz (1.43 2.07 2.23); hitchhiking r 0.25, p 0.06 (0.12, p 0.19)
//   R3, R4, R0      spread 0.13 0.16 0.14 Hz (the session noise; P0's weights never move)
//   R1-fast-noRbar  hit rate 0.36 → 0.71 (R1-fast 0.40 → 0.65), ΔP+ 9.57, ΔP− +3.26, ΔP0 +6.32 Hz
//                   (R1-fast +3.92, +0.47, +2.13)
// What holds, and is asserted: P0 diffuses under R1 and R2 (the spread grows from day 2 to day 4 and
// ends well above the session noise; R3's and R4's does not, in the outcome matrix); without R̄ R1's
// drift is non-specific, every population's rate rising more than with R̄ (§7 T-baseline's first half).
// What does not hold (WARNed, not asserted):
//   * The hitchhiking slope of §7's T-P0: positive for R1 and R2 but not significant on 10 or 20 mice,
//     and for R1 ≈ 0 within a mouse (each mouse's P0 centred: r 0.07 on 20 mice). R1's P0 change is
//     mostly the non-specific rise that every population shares (ΔP0 +2.1 Hz, ΔP− +0.5 Hz), which
//     swamps a coupling-weighted part (corr(P0, P+) − corr(P0, P−) lies within ±0.2 in these fields).
//     For R2 §5's table expects diffusion only: a P0 neuron's ξ_i never reaches the cursor, so
//     E[δ·ξ_i] = 0.
//   * T-baseline's second half: δ = R does not reduce R1's cursor learning here (hit-rate gain 0.35
//     vs 0.25, Δ(P+ − P−) 6.3 vs 3.5 Hz). R1's postsynaptic factor is already centred (r − r̄, r̄ over
//     10 s), so δ = R still potentiates what was active just before a hit, P+ most; it only adds the
//     non-specific drift. Losing the cursor learning as well would take an uncentred postsynaptic
//     factor too (not tried).
// T-P0 for a scalar rule: its P0 weights move and the spread of the P0 rate change grows.
void check_p0_diffuses(const std::string& rule) {
  const P0Drift d = p0_drift(cohort(rule + "-fast-O2"));
  WARN(describe(rule + "-fast-O2", d));
  CHECK_FALSE(d.weights_fixed);
  CHECK(d.spread.back() >= 1.3 * d.spread.front());
  CHECK(d.spread.back() > 1.0);  // R3's and R4's, the session noise: 0.14 Hz
}

}  // namespace

// learning_rules.md §6–§7: O1 leaves R1 nearly alone (≤ 20 % cut), "unless O1's somatic rate loss
// alone explains the deficit. O7 is the test of that." At the default per-update clip R1 is clip-bound
// and barely learns in 20 min (gain +0.04), so here it runs with a 10× clip (`-fast`). Measured (10
// mice; 20 mice in brackets, scratch runs of the same conditions):
//                       O2               O1                         O7
//   Δ(P+ − P−), Hz      3.45 (3.46)      1.93 (1.99), cut 0.44 (0.42)   1.91 (2.17), cut 0.45 (0.37)
//   normalised gap      0.334 (0.419)    0.194 (0.276), cut 0.42 (0.34) 0.363 (0.460), cut −0.09 (−0.10)
//   accuracy per day    0.086 (0.114)    0.037 (0.086), cut 0.58 (0.24) 0.087 (0.106), cut 0.00 (0.07)
//   transients P+ − P−  0.062 (0.057)    0.002 (−0.005)                0.067 (0.072)
//     (somatic transient frequency normalised to day 1, days 3–4: the analysis' measure, what a rig sees)
//   hit-rate gain       +0.25 (+0.32)    +0.14 (+0.25)                 +0.22 (+0.28)
//   day-1 P0 events, bursts (Hz): O2 6.12, 1.02; O1 4.93, 0.31; O7 3.91, 0.57 (10 mice)
// In Hz O7's matched activity loss slows R1 as much as O1 does, but a gap in Hz shrinks with every rate
// by itself; normalised to each population's day 1, and by the task's own slope, O7 leaves R1 alone
// while O1 still cuts it by a third or more. O1 removes 70 % of the bursts and 20 % of the events, O7
// 44 % and 36 %: R1's eligibility (r − r̄)·x̃ counts every spike of a burst, and in this cell a third of
// the spikes are burst spikes made with the tuft, so plain R1 reads part of the tuft (as R1-Ca reads it
// wholly) and O1 takes that part. So O1 slows R1 by more than §7's 20 %, though by less than R3 (O1
// case above, cut 0.78). Counting each burst once instead (a scratch R1 on events, not kept) does not
// learn under O2 (Δ(P+ − P−) −0.20 Hz): the decoder's ΔF/F transients are mostly bursts.
TEST_CASE("R1 with a 10x clip: O1 slows it beyond its activity loss (T-opto), its P0 diffuses (T-P0), delta = R drifts non-specifically (T-baseline)",
          "[bci][predictions]") {
  SECTION("T-opto: O1 slows R1 beyond its activity loss, less than R3: R1 counts the tuft's burst spikes") {
    const auto &o1_cohort = cohort("R1-fast-O1"), &o2_cohort = cohort("R1-fast-O2"), &o7_cohort = cohort("R1-fast-O7");
    const auto [o1, o2, o7] = under_light("R1");
    const double cut = 1.0 - o1.mean_separation / o2.mean_separation;
    const double cut_o7 = 1.0 - o7.mean_separation / o2.mean_separation;
    const double normalised_cut = 1.0 - o1.mean_normalised_separation / o2.mean_normalised_separation;
    const double normalised_cut_o7 = 1.0 - o7.mean_normalised_separation / o2.mean_normalised_separation;
    const double bursts_o1 = day1_p0_burst_rate(o1_cohort), bursts_o2 = day1_p0_burst_rate(o2_cohort),
                 bursts_o7 = day1_p0_burst_rate(o7_cohort);
    WARN("R1 learning (Δ(P+ - P-) rate): O2 " << o2.mean_separation << ", O1 " << o1.mean_separation << " (cut " << cut
                                             << "), O7 " << o7.mean_separation << " Hz (cut " << cut_o7
                                             << "); normalised to day 1: O2 " << o2.mean_normalised_separation << ", O1 "
                                             << o1.mean_normalised_separation << " (cut " << normalised_cut << "), O7 "
                                             << o7.mean_normalised_separation << " (cut " << normalised_cut_o7
                                             << "); hit-rate gain O2 " << o2.mean_gain << ", O1 " << o1.mean_gain << ", O7 "
                                             << o7.mean_gain << "; day-1 P0 bursts O2 " << bursts_o2 << ", O1 " << bursts_o1
                                             << ", O7 " << bursts_o7 << " Hz; learning_rules.md §7 asks for a cut <= 0.2");
    CHECK(o2.mean_gain >= 0.2);  // this R1 learns the task
    CHECK(o2.mean_separation > 1.0);
    // Under O1 the task goes on and R1 still learns: δ reaches every synapse without the tuft.
    CHECK(o1.mean_gain > 0.1);
    CHECK(o1.mean_separation > 0.0);
    // Slowed, not blocked (R3 and R4: cut ≥ 0.5 in the O1 case above).
    CHECK(cut < 0.5);
    // O7's activity loss alone does not slow R1 once the rates are normalised; O1 does.
    CHECK(normalised_cut_o7 < 0.2);
    CHECK(normalised_cut >= normalised_cut_o7 + 0.2);
    // What O1 takes beyond O7: the tuft's bursts.
    CHECK(bursts_o1 < 0.5 * bursts_o2);
    CHECK(bursts_o7 > 0.5 * bursts_o2);
  }

  SECTION("T-P0: under R1 the spread of the P0 rate change grows with the days") { check_p0_diffuses("R1"); }

  SECTION("T-baseline: R1 with delta = R (no reward baseline) raises every population more than with it") {
    const std::vector<MouseRecord>& without = cohort("R1-fast-O2-noRbar");
    const Learning a = learning(cohort("R1-fast-O2")), b = learning(without);
    WARN(describe("R1-fast-O2-noRbar (delta = R)", b));
    WARN("cursor learning: hit-rate gain " << a.mean_gain << " with R-bar, " << b.mean_gain << " without; Δ(P+ - P-) "
                                           << a.mean_separation << " vs " << b.mean_separation
                                           << " Hz (section 7 expects less without R-bar)");
    for (const SessionRecord& s : without.front().sessions) CHECK(s.reward_baseline == 0.0);
    CHECK(b.d_zero > 2.0 * a.d_zero);
    CHECK(b.d_minus > a.d_minus + 1.0);
    CHECK(b.d_plus > a.d_plus);
    CHECK(b.d_minus > 0.0);
  }
}

// learning_rules.md §6–§7 for R2: O1 "≈ no effect", a cut ≤ 20 %. R2 learns in 20 min only with a 10×
// clip and σ_ξ = 120 pA (`-fast`). Its eligibility ξ·x̃ holds no postsynaptic rate, so O1's activity
// loss does not shrink its updates (R1's pre × post does). Measured (10 mice; 20 mice in brackets):
// hit-rate gain O2 +0.155 (+0.160), O1 +0.214 (+0.163), O7 +0.241 (+0.155); Δ(P+ − P−) O2 2.49 (2.60),
// O1 2.03 (1.99), O7 2.85 (2.37) Hz: the hit-rate slope is not cut, the rate gap by 0.18 (0.23).
TEST_CASE("R2 with a 10x clip: O1 leaves its learning nearly alone (T-opto) and its P0 diffuses (T-P0)", "[bci][predictions]") {
  SECTION("T-opto: O1 leaves R2's learning nearly alone (node perturbation needs no postsynaptic rate)") {
    const auto [o1, o2, o7] = under_light("R2");
    const double gain_cut = 1.0 - o1.mean_gain / o2.mean_gain;
    const double separation_cut = 1.0 - o1.mean_separation / o2.mean_separation;
    WARN("R2 under O1: hit-rate gain cut " << gain_cut << ", Δ(P+ - P-) cut " << separation_cut
                                           << "; learning_rules.md §7 asks for a cut <= 0.2");
    CHECK(o2.mean_gain >= 0.1);  // this R2 learns the task
    CHECK(o2.mean_separation > 1.0);
    CHECK(o1.mean_gain > 0.1);   // and learns it under O1
    // The learning slope of the task (the hit rate, calibrated under the same light) is cut by ≤ 20 %.
    CHECK(gain_cut <= 0.2);
    // The rate gap: not blocked (R3 and R4: cut ≥ 0.5 above); its point estimate sits at §7's line.
    CHECK(separation_cut < 0.5);
    CHECK(o1.d_plus > 0.0);
    CHECK(o1.d_minus < 0.0);
  }

  SECTION("T-P0: under R2 the spread of the P0 rate change grows with the days") { check_p0_diffuses("R2"); }
}

TEST_CASE("O2 (LED only) changes nothing versus no light", "[bci][predictions]") {
  ExperimentSpec none = base_spec("R3");
  none.schedule.days = 2;
  none.schedule.session_min = 3.0;
  none.schedule.calibration_min = 3.0;
  ExperimentSpec led = none;
  led.manipulations.opto.kind = OptoKind::light_only;
  led.manipulations.opto.schedule = OptoSchedule::every_session;
  CohortOptions options;
  options.mice = 2;
  options.threads = 2;
  const auto a = run_cohort(none, options), b = run_cohort(led, options);
  for (std::size_t m = 0; m < a.size(); ++m)
    for (std::size_t s = 0; s < a[m].sessions.size(); ++s) {
      const SessionRecord &x = a[m].sessions[s], &y = b[m].sessions[s];
      CHECK(x.hits == y.hits);
      CHECK(x.misses == y.misses);
      CHECK(x.weights == y.weights);
      CHECK(x.decoder_z == y.decoder_z);
      CHECK(std::all_of(y.opto.begin(), y.opto.end(), [](std::uint8_t f) { return f == 1; }));
      CHECK(std::all_of(x.opto.begin(), x.opto.end(), [](std::uint8_t f) { return f == 0; }));
    }
}

