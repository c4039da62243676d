#pragma once
// The immutable description of one virtual mouse (and of a cohort of them) in the in-silico BCI
// experiment of Francioni et al. 2026 (experiment.md; learning_rules.md). Plain structs with defaults;
// validate() checks every field and names it in its std::invalid_argument message. Units are in the
// field names. Tags: [P] paper, [S] third party, [C] CLOOSE, [D] our default, [I] our inference.
//
// One mouse, in simulated order (all on one continuous clock; see virtual_mouse.hpp):
//   f-I block      basal-only rate curve φ(Ī_s), measured once, only with BasalPrediction::fi_curve
//   warm-up        warm_up_s, discarded
//   calibration    calibration_min of spontaneous activity, no stimulus, no reward   experiment.md §2 [D]
//                  → roles P+/P− (matched transient frequency) → frozen θ, μ_cal, σ_cal, lo
//   day d = 1…days, session s = 1…sessions_per_day: session_min of closed-loop BCI     §3 [D]
//
// Teaching signal (learning_rules.md §2), computed at the end of frame k, applied over frame k+1:
//   T(k)   = κ_Δ·(−ε̇(k)) + κ_ε·ε(k) + κ_R·m(k)
//   ε̇(k)   = low-pass (τ_ε̇) of the frame difference (ε(k) − ε(k−1))·f_frame, taken when frame k−1 is
//            OPEN and frame k is OPEN or the hit (ε = 0 once the target is shown), else 0       [D]
//   ε(k)   = max(0, θ − z(k)) in OPEN, 0 in other states (the target or a black screen is shown) [D]
//   m(k)   = m(k−1)·e^(−1/(f_frame τ_M)) + δ(k)     reward kernel, τ_M = 0.2 s [D, learning_rules.md §3]
//   δ(k)   = R − R̄ at the outcome frame: R = 1 at the reward frame of a hit, R = 0 at the first FAIL
//            frame of a miss; then R̄ ← α·R̄ + (1 − α)·R, α = 0.8 (per trial)              [D] §3
//   I_fb,i = Bfb_i · T(k) · teaching_gain_pA      apical current of neuron i                   [D]
// Feedback weights Bfb (learning_rules.md §2 table): oracle sign(D_i) (+1 P+, −1 P−, 0 P0); random
// N(0, 1) per neuron; learned ΔBfb_i = η_B (r_i − r̄_i)(ĉ − ĉ̄) with ĉ = angle/90° during OPEN, from 0;
// zero. O5 multiplies Bfb of P+ and P− by −1 (for oracle feedback this is the P+ ↔ P− swap).
//
// Decoder constants (z-score recalibration policy, learning_rules.md pitfall 13): by default θ, μ_cal,
// σ_cal and lo are calibrated once, on day 1, and frozen for all days; only F0 keeps sliding
// (experiment.md §2 "Keep θ, lo, μ_cal and σ_cal fixed for all 14 days"). `daily` re-runs a calibration
// block before every day's first session and recalibrates (roles stay fixed): a control that shows how
// re-normalisation erases learning.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "apical/engine/loop/calibration.hpp"
#include "apical/engine/loop/decoder.hpp"
#include "apical/engine/loop/dff.hpp"
#include "apical/engine/loop/trial_task.hpp"
#include "apical/models/bci/compartmental_cell.hpp"
#include "apical/models/gcamp7f.hpp"
#include "apical/models/input_population.hpp"
#include "apical/models/two_compartment/two_compartment.hpp"

namespace apical::bci {

inline constexpr double frame_rate_Hz = 15.0;  // BCI frame clock, per plane [P]

// Who is in the field of view (experiment.md §1).
struct FieldOfViewSpec {
  std::size_t n_plus = 5;    // P+ [P: 4–5 each, 8–10 in total]
  std::size_t n_minus = 5;   // P− [P]
  std::size_t n_zero = 40;   // P0: every other imaged neuron [D]
  [[nodiscard]] std::size_t neurons() const { return n_plus + n_minus + n_zero; }
};

// Cells and their inputs (models.md §3; input_population.hpp).
struct CircuitSpec {
  CellModel cell_model = CellModel::two_compartment;  // which cell every neuron is [D]
  TwoCompartmentParameters cell{};         // shared by every neuron (two_compartment)
  CompartmentalCellSpec compartmental{};   // the biophysical cell and its coupling (bahl2012)
  InputPopulationParameters inputs{};      // M latent-factor inputs + dendritic background noise
  InputWeightParameters input_weights{};   // initial W: p_conn 0.2, mean current 400 pA, CV 0.5 [D]
  double neuron_drive_cv = 0.25;  // per-neuron log-normal scale of its W row (mean 1): rate heterogeneity [D]
  bool plastic_unconnected = false;  // false: synapses absent at start stay 0 (no synaptogenesis) [D]
};

// Indicator and imaging (experiment.md §4; gcamp7f.hpp).
struct ImagingSpec {
  Gcamp7fParameters indicator{};
  double noise_dFF = 0.022;       // per-sample noise SD at rest, both planes (models.md §5)
  bool dual_plane = true;         // ETL: soma plane in the first half of each 66.7-ms frame, dendrite
                                  // plane in the second half (30-Hz clock, 15 Hz per plane) [P/I]
  double indicator_step_ms = 1.0; // observer advance interval (≥ dt; gcamp7f.hpp: 1–2 ms is plenty)
  loop::DffParams dff{};          // online F0: 10th percentile over 870 frames [C→D]
};

// The closed loop (experiment.md §2–3): reused engine structs.
struct LoopSpec {
  loop::DecoderParams decoder{};          // 3-frame smoothing, plain ΔF/F [C→D]
  loop::CalibrationParams calibration{};  // 200 pseudo-trials of 420 frames, p_cal = 0.30 [D]; seed is
                                          // replaced by one derived from (seed, mouse)
  loop::TrialTaskParams task{};           // 28-s window, reward 15 frames after the hit [P]
  std::size_t chance_repetitions = 1000;  // loop::chance_level shifts per session and per calibration
                                          // block (the baseline chance) [D]; 0 = skip both
  std::size_t chance_min_shift_frames = 900;  // ≥ 60 s [D]
};

// Choice of P+ and P− in the calibration block (experiment.md §1 "same transient frequency on day 1").
// Transients: upward crossings of median + k·1.4826·MAD of the calibration soma ΔF/F, at least
// min_interval apart. Eligible neurons have rate ≥ min_rate. Sorted by rate, eligible neurons form
// adjacent pairs (ranks 1–2, 3–4, …); min(n+, n−) pairs are drawn at random and a coin decides which
// member is P+ (pairwise matching); any excess of the larger group is drawn from the unpaired rest.
struct SelectionSpec {
  double threshold_mad = 4.0;        // k [D]
  double min_interval_s = 1.0;       // [D, experiment.md §4]
  double min_rate_per_min = 0.5;     // eligibility [D]
};

enum class FeedbackType : std::uint8_t { oracle, random, learned, zero };  // learning_rules.md §2

// Defaults tuned on 16-neuron fields of view (3+3+10), 5–20-min sessions, 4–8 mice (report in
// virtual_mouse.hpp). κ_ε: with κ_ε = 0 the teaching has almost no mean over a trial, R3 learns only
// through the covariance of T with the inputs and did not learn reliably in 25 min; κ_ε = 0.2 gives a
// steady role-signed push (P+ up, P− down). It costs the sign-by-role residual contrast: ε is as large in
// error-increase epochs as in error-reduction ones, so the κ_ε push is role-signed but not epoch-signed and
// dilutes the κ_Δ term. Measured (tests/unit/bci/test_bci_predictions.cpp setting: 5+5+6 neurons, four
// 5-min days, gain 10 pA, 10 mice; separation = contrast P+ − P−; the R0-BAC-null band is 0.10 ± 0.03,
// P+ > 0 > P− in 6 of 10 mice):
//   κ_ε 0.2, κ_Δ 0.5 s: R3 hit rate +0.32, ΔP+ +2.8, ΔP− −2.0 Hz; separation 0.13 ± 0.04, sign 7/10 (= null)
//   κ_ε 0,   κ_Δ 0.5 s: R3 hit rate +0.03, ΔP+ +0.15, ΔP− −0.08 Hz (no learning); R0 + teaching 0.16, 9/10
//   κ_ε 0.2, κ_Δ 1 s:   R3 hit rate +0.33, ΔP+ +3.1, ΔP− −1.9 Hz; separation 0.24 ± 0.04, sign 9/10
//   κ_ε 0.1, κ_Δ 1 s:   R3 hit rate +0.20, ΔP+ +1.8, ΔP− −1.1 Hz; separation 0.21 ± 0.05, sign 8/10
// At the default gain (5 pA), same setting: κ_Δ 0.5 s: R3 hit rate 0.36 → 0.54, separation 0.11 ± 0.05,
// sign 6/10 (= null); κ_Δ 1 s: R3 0.35 → 0.60, ΔP+ +1.4, ΔP− −1.2 Hz, separation 0.15 ± 0.05, sign 8/10;
// R0 day-1 hit rate 0.28 (p_cal 0.30: the stronger κ_Δ loop does not inflate the acute hit rate).
// So κ_ε stays 0.2 (0 stops R3 learning in 20 min) and κ_Δ is 1 s (was 0.5 s): the apical code then
// clears the R0-BAC-null band at gain 10 pA (tests/unit/bci/test_bci_predictions.cpp).
// Gain: the teaching acts on z at once through the loop
// T → P± → z → T. Day-1 R0 accuracy over 20 min (8 mice; no feedback 0.35): gain 5 pA 0.37,
// 10 pA 0.42 (κ_ε = 0: 0.36), 20 pA ≈ +0.1–0.2, 100 pA every trial a hit. Hence 5 pA, with R3's
// learning rate raised to keep the learning (R3's registered default, 4e-4).
struct TeachingSpec {
  double kappa_delta_s = 1.0;     // κ_Δ: weight of −ε̇ (ε in z units, ε̇ in z/s) [D, tuned: was 0.5]
  double kappa_epsilon = 0.2;     // κ_ε: weight of ε [D, tuned; learning_rules.md §2 has 0]
  double kappa_R = 2.0;           // κ_R: weight of the reward kernel m [D]
  double error_rate_tau_s = 0.5;  // τ_ε̇: ε̇ low-passed (0: raw frame differences) [D, tuned]
  double reward_tau_s = 0.2;      // τ_M of the reward kernel [D, learning_rules.md §3]
  double teaching_gain_pA = 5.0;  // I_fb = Bfb·T·gain [D, tuned]
  double teaching_limit = 10.0;   // |T| is clipped here [D]
  FeedbackType feedback = FeedbackType::oracle;
  double learned_feedback_rate = 1e-3;  // η_B of the learned variant, per Hz per frame [D, untuned]
};

// Reward baseline of δ = R − R̄ (learning_rules.md §3, pitfall 2).
struct RewardSpec {
  double baseline_alpha = 0.8;       // R̄ ← α R̄ + (1 − α) R, once per decided trial [D]
  double initial_baseline = -1.0;    // R̄ before the first trial; < 0 means p_cal [D]
};

// The plasticity rule by name (builtin_learning_rules()) and its parameter values by name; a name not
// given takes the rule's registered default. Stabilisers (learning_rules.md §1): hard bounds
// [0, w_max] and |ΔW| ≤ clip_fraction·w_max per frame update, always on; the activity cost and
// synaptic scaling of learning/stabilisers.hpp, off unless set (the scaling set point is each
// neuron's mean rate in the day-1 calibration block). Every record carries stabiliser_summary().
struct LearningSpec {
  std::string rule = "R3";
  std::map<std::string, double> parameters{};
  double w_max_pA_per_Hz = 5.0;    // hard upper bound (mean initial connected weight is 1 pA/Hz) [D]
  double clip_fraction = 1e-3;     // learning_rules.md §3 [D]
  double activity_cost = 0.0;             // λ of stabilisers.hpp (0: off) [D]
  double synaptic_scaling_tau_s = 0.0;    // τ_s of stabilisers.hpp (0: off) [D]
  double presynaptic_tau_s = 0.1;  // x̃_j: presynaptic spike count low-passed with this τ [D, τ_Δ]
  double rate_mean_tau_s = 10.0;   // r̄_i and ĉ̄ running means [D]
  bool plastic_during_calibration = false;  // W frozen in the f-I, warm-up and calibration blocks [D]
  // Basal-only rate r_basal for R3 (learning_rules.md §3, φ(k_B v^B): the rate the basal input alone
  // predicts). Default `twin`: a second copy of the cells, fed the same somatic current and dendritic
  // background but no teaching and no apical perturbation (O1: see below; not O3's current; O4 decouples it
  // as it does the cell), counts its spikes per frame; without
  // teaching it is the cell spike for spike, so the bracket r − r_basal is exactly 0 and R3 has no
  // unsupervised drift (costs one more cell step per step). `fi_curve`: r_basal = φ(Ī_s), the
  // conditional mean rate per frame given the frame-mean somatic current, measured once per mouse on
  // its own cells and inputs with W × 0.2, 0.4, … (fi_scales values), no teaching, W frozen. Measured
  // φ(Ī_s) leaves a residual that correlates with x̃ (membrane and synaptic memory across frames:
  // input in the previous frame raises this frame's rate beyond φ), which makes R3 potentiate every
  // active input: at η = 1e-4 all rates, P0 included, rose from 7 to 17 Hz in five 5-min days.
  // The twin is stepped only for rule R3 (the only reader of r_basal) and for R4 with cancellation
  // (which reads the twin's bursts and events; fi_curve cannot serve it); the f-I block runs only in
  // fi_curve mode (then for every rule, and the curve is recorded in MouseSetup). With neither,
  // r_basal = r. The dendritic background stays on in the f-I block unless fi_without_dendritic_noise
  // (then φ also misses the noise's mean boost of the rate).
  // twin_includes_apical_inhibition: the twin also gets the O1 conductance (and the O1 somatic loss
  // always), so r − r_basal isolates the teaching: O1 then blocks R3 without reversal (learning_rules.md
  // §6). With false the twin is literally basal-only; O1's loss of background bursts then reads as
  // negative teaching and R3 depresses every active input (in a 16-neuron test every rate fell from
  // 6–9 Hz to 0.2–0.3 Hz within two 10-min O1 days, with g_max = 500 nS).
  enum class BasalPrediction : std::uint8_t { twin, fi_curve };
  BasalPrediction basal_prediction = BasalPrediction::twin;
  bool twin_includes_apical_inhibition = true;
  double fi_block_s = 20.0;        // per scale [D]
  std::size_t fi_scales = 12;      // W × 0.2 … 2.4 [D]
  double fi_bin_pA = 25.0;         // current bins [D]
  bool fi_without_dendritic_noise = false;
};

// Rules take their registered defaults unless `parameters` overrides them. R3's registered η (4e-4) is
// tuned for this experiment; R1 (1e-2), R2 (1.5e-3), R4 (3e-4) and R5 (0.15) are matched to R3's per-trial
// weight-update RMS (learning_rules.md §3) as far as the per-update clip allows (R1, R2 update once per
// trial and are clip-bound; R5 spreads δ over its 0.2-s kernel); measurements in models/src/learning/r*.cpp.

// Optogenetics (experiment.md §7; learning_rules.md §4, O1/O2; O3, O4 and O7 on the same schedules). O1's conductance follows
// τ dg/dt = −g + g_max·L(t), L = 1 for light_ms of every light period: at the defaults its mean is
// 9 nS (≈ 27 nS at the end of each pulse, ≈ 1.3 nS before the next). Measured on the default cell and
// inputs [M]: a tonic 5 nS already removes 80 % of the bursts and of the teaching current's effect on
// the rate (±75 pA: 6.3 … 8.9 Hz without, 5.7 … 6.2 Hz with), so O1 blocks the teaching but also the
// background bursts that dominate the soma ΔF/F fluctuations; with g_max = 100 nS somatic rates fall
// by ≈ 25 % and the hit rate of an unchanged decoder drops to ≈ 0 (g_max = 10 nS: 0.36 → 0.15).
// With the decoder calibrated dark no setting blocks the teaching without silencing the task: the
// conductance removes the background bursts (which carry the decoder's ΔF/F fluctuations) before it
// removes the teaching's effect on the rate. R3-oracle, every session on, calibrated dark, 5+5+6
// neurons, three 5-min days, gain 10 pA, κ_Δ 1 s, 6 mice (O2: hit rate 0.52 → 0.76, ΔP+ +2.1, ΔP− −1.2 Hz):
//   g_max 10 nS:               hit rate 0.14 → 0.35, ΔP+ +1.3, ΔP− −0.9 Hz (learning cut ≈ 33 %)
//   g_max 10 nS, no soma loss: hit rate 0.26 → 0.44, ΔP+ +1.6, ΔP− −1.0 Hz (the 3 % soma loss costs half the hits)
//   g_max 10 nS, τ 5 ms:       hit rate 0.23 → 0.35, ΔP+ +1.4, ΔP− −0.9 Hz
//   g_max 20 nS:               hit rate 0.05 → 0.22, ΔP+ +1.1, ΔP− −0.7 Hz
//   g_max 30 nS:               hit rate 0.00 → 0.04, ΔP+ +0.9, ΔP− −0.6 Hz (cut ≈ 56 %)
//   g_max 100 nS (default):    hit rate 0,           ΔP+ +0.4, ΔP− −0.2 Hz (cut ≈ 83 %; 10 mice, 4 days:
//                              Δ(P+ − P−) 0.92 vs 5.0 Hz under O2, cut 0.82)
// Calibrated under the light (calibration_lit, the default on days lit throughout) the task goes on:
// at 100 nS, 10 mice, four days, R3's hit rate 0.45 → 0.55 (O2 0.54 → 0.87), Δ(P+ − P−) 1.11 vs 5.0 Hz
// (cut 0.78; 30 nS: 0.43, 50 nS: 0.61), and R1 still learns (slowed 44 %: it counts the burst spikes O1
// removes; docs/manipulations.md#o7--somatic-silencing-matched-to-o1). The
// default stays 100 nS.
enum class OptoKind : std::uint8_t {
  none,
  apical_inhibition,  // O1: NDNF-like frame-locked inhibitory conductance on the tuft + somatic loss
  light_only,         // O2: LED only, no conductance; the opto flag is recorded
  somatic_silencing,  // O7: the same light schedule removes silencing_current_reduction of the somatic
                      // input current and nothing else: O1's activity loss without its block of the tuft
  apical_excitation,  // O3: excitation_pA into every tuft while on (tonic over the lit frames); the
                      // basal-only twin does not get it, so for R3 it reads as teaching of one sign for all
  apical_decoupling,  // O4: while on, g_s = c_d = 0 (two_compartment.hpp) in the cell and its twin: the
                      // tuft cannot reach the soma nor the bAP the tuft, so no BAC bursts and no teaching
                      // at the soma; two-compartment cell only (the Bahl cell's cable cannot be cut)
};
enum class OptoSchedule : std::uint8_t {
  every_session,   // on in every session
  alternate_days,  // on on days first_day, first_day + 2, … [D, experiment.md §7]
  blocks,          // within every session: off for block_s, on for block_s, … (starts off)
  // O1-t (learning_rules.md §4): in every session, locked to the task. The light of frame k is decided
  // from frames < k, as a rig would (one frame late); calibration blocks stay dark (they have no task).
  after_reward,     // (ii) from the frame after each reward for after_reward_s
  error_reduction,  // (i) the frame after each frame of an error-reduction epoch (residual_contrast.hpp's
                    // definition: ε(k) − ε(k − error_lag_s) < −error_threshold, both frames OPEN in one trial)
  random_epochs,    // (iii) the timing control: epochs of random_epoch_s, each lit with probability random_duty
};
struct OptoSpec {
  OptoKind kind = OptoKind::none;
  OptoSchedule schedule = OptoSchedule::alternate_days;
  int first_day = 2;             // alternate_days: first opto day [D]
  double block_s = 120.0;        // blocks: length of each off/on block [D]
  double after_reward_s = 2.0;   // after_reward: lit time after each reward [P, learning_rules.md §4 O1-t (ii)]
  double error_lag_s = 1.0;      // error_reduction: Δε lag, as analysis::ContrastOptions::lag_s [D]
  double error_threshold = 0.05; // error_reduction: Δε threshold (z units), as ContrastOptions::threshold [D]
  // random_epochs, matched to error_reduction under O1 with R3: its lit fraction 0.42 and mean lit run
  // 0.345 s (10 mice × four 5-min days, tests/unit/bci/test_bci_predictions.cpp's setting; under O2 0.37
  // and 0.36 s; after_reward lights 0.09 of the frames). [D, matched]
  double random_epoch_s = 0.35;
  double random_duty = 0.42;
  double light_ms = 6.0;         // LED on at the start of every light period [P]
  double light_period_ms = 1000.0 / 15.0;  // 66.7 ms (15-Hz clock); 33.3 ms on a 30-Hz ETL clock [P/I]
  // The PMTs are gated off for pmt_gate_ms from every LED pulse's start [P, experiment.md §7]. If the
  // gate falls in the vertical flyback (the default) no sample is lost; if not, every ROI whose
  // imaging-plane sample falls inside a gate of a lit frame has no sample there (NaN raw F and ΔF/F):
  // at 15 Hz on one plane the top 10.5 % of the rows, 21 % of each plane of the dual-plane clock
  // (learning_rules.md §4 O2). Any kind with light (O1–O4, O7) has the gate.
  double pmt_gate_ms = 7.0;
  bool pmt_gate_in_flyback = true;  // [D]
  double tau_ms = 20.0;          // low-pass of the inhibitory conductance [D, sweep 10–100]
  double g_max_nS = 100.0;       // conductance under constant light; mean 9 nS at 9 % duty [D]
  double somatic_current_reduction = 0.03;  // fraction of I_s removed while on: "not compartment-pure" [D]
  // O7 (learning_rules.md §4): fraction of I_s removed while on, matched to O1's activity loss at the
  // defaults, both calibrated under their light (mean P0 rate under R3, 10 mice: O1 5.28 Hz, O7 at 0.15
  // 5.70 Hz, at 0.2 3.50 Hz; tests/unit/bci/test_bci_predictions.cpp, T-opto). [D, matched]
  double silencing_current_reduction = 0.15;
  // O3: depolarising current into every tuft while on (tonic over each lit frame), matched to the size of
  // O1's acute rate change: +24.1 % vs O1's −24.4 % (R0 with teaching, 4 mice; 60 pA gives +15 %, 120 pA
  // +34 %; tests/unit/bci/test_bci_manipulations.cpp). [D, matched]
  double excitation_pA = 90.0;
  // On a day lit throughout, the LED runs from the day's first imaged frame, so the calibration block
  // (and with it the decoder's μ_cal, σ_cal, θ and the roles) is lit too [D]. Calibrated dark, O1's
  // loss of the background bursts that carry the soma ΔF/F leaves every hit rate at 0, which would stop
  // every reward-driven rule (tests/unit/bci/test_bci_predictions.cpp, T-opto).
  bool calibration_lit = true;
};

struct ManipulationSpec {
  OptoSpec opto{};
  bool feedback_sign_swap = false;    // O5
  bool neuromodulator_block = false;  // O6: δ ≡ 0 for the rule and for the κ_R teaching term (R̄
                                      // still tracks R; δ is recorded as delivered, i.e. 0)
};

enum class CalibrationPolicy : std::uint8_t { once_frozen, daily };

struct ScheduleSpec {
  int days = 14;                 // [P]
  int sessions_per_day = 1;      // [D]
  double session_min = 30.0;     // [D]
  double calibration_min = 10.0; // day 1 only under once_frozen [D]
  double warm_up_s = 2.0;        // discarded after the f-I block [D]
  CalibrationPolicy calibration_policy = CalibrationPolicy::once_frozen;
};

struct RecordSpec {
  bool dendrite_dff = true;  // distal-plane ΔF/F per neuron per frame
  bool raw_f = false;        // raw F of both planes per neuron per frame (for offline, centred F0)
  bool calibration_dff = false;  // the calibration block's soma ΔF/F
};

struct ExperimentSpec {
  FieldOfViewSpec field_of_view{};
  CircuitSpec circuit{};
  ImagingSpec imaging{};
  LoopSpec loop{};
  SelectionSpec selection{};
  TeachingSpec teaching{};
  RewardSpec reward{};
  LearningSpec learning{};
  ManipulationSpec manipulations{};
  ScheduleSpec schedule{};
  RecordSpec record{};
  double dt_ms = 0.5;            // cell step (two_compartment.hpp: 0.23-ms mean spike-time error) [D]
  std::uint64_t seed = 1;

  [[nodiscard]] std::size_t session_frames() const;      // round(session_min · 60 · 15)
  [[nodiscard]] std::size_t calibration_frames() const;  // round(calibration_min · 60 · 15)
};

// Throws std::invalid_argument naming the first bad field by its path, e.g.
// "ExperimentSpec.teaching.reward_tau_s = -1 must be > 0".
void validate(const ExperimentSpec& spec);

// The rule's parameter values in info().parameters order (defaults filled in). Throws
// std::invalid_argument for an unknown rule or parameter name, or a value outside its bounds.
std::vector<double> resolve_rule_parameters(const LearningSpec& learning);

// "hard bounds [0, 5 pA/Hz]; |ΔW| ≤ 0.005 pA/Hz per frame; synaptic scaling off; activity cost off; …"
std::string stabiliser_summary(const ExperimentSpec& spec);

// Whether the LED pulses during a frame that starts t_s into a session of day `day` (1-based), for the
// clock schedules (every_session, alternate_days, blocks); false for the task-locked ones, whose light
// the session decides frame by frame (models/src/bci/session_light.hpp).
bool opto_light_on(const OptoSpec& opto, int day, double t_s);
// Whether the schedule is locked to the task (after_reward, error_reduction, random_epochs).
bool opto_task_locked(const OptoSpec& opto);
// Whether the calibration block before day `day`'s sessions is lit: with calibration_lit, on a day whose
// sessions are lit throughout (every_session, alternate_days on its opto days); within-session blocks
// start dark, and so does their calibration.
bool opto_lights_calibration(const OptoSpec& opto, int day);

const char* to_string(CellModel model);
const char* to_string(FeedbackType type);
const char* to_string(OptoKind kind);
const char* to_string(OptoSchedule schedule);
const char* to_string(CalibrationPolicy policy);

}  // namespace apical::bci
