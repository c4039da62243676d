#pragma once
// One virtual mouse through the whole BCI experiment (experiment.md §1–§4, learning_rules.md §1–§4),
// deterministic from (spec.seed, mouse). No I/O: records go to a sink or into a MouseRecord.
//
// Order of simulation, on one continuous clock (cell step dt, frames of T = 1/15 s):
//  1. Field of view: N = n+ + n− + n0 two-compartment cells; W = random_input_weights (p = 0.2,
//     log-normal, mean somatic current 400 pA at the mean input rate), each row scaled by a
//     log-normal factor (mean 1, CV neuron_drive_cv) [D]. Row position r_i ~ U(0, 1) per neuron.
//  2. f-I block, only with LearningSpec::BasalPrediction::fi_curve (basal_rate_curve in src/bci):
//     φ(Ī_s) measured on a copy of the cells and inputs (own random stream) with W × 0.2 … 2.4, no
//     teaching, W frozen. By default rule R3's basal rate comes from a basal-only twin of the cells.
//  3. Warm-up (warm_up_s, discarded), then the calibration block (calibration_min; no stimulus, no
//     reward, T = 0, W frozen): raw F of both planes; ΔF/F with F0 seeded from the block's first
//     870 frames and sliding through it (CLOOSE seeds its buffer from the calibration block).
//  4. Roles: transients per minute of every neuron's calibration soma ΔF/F → pairwise-matched
//     random P+/P− (SelectionSpec). Then loop::calibrate → frozen θ, μ_cal, σ_cal, lo, and the
//     baseline chance: loop::chance_level on the block with that calibration (MouseSetup::chance_baseline;
//     under the daily policy also on every recalibration block, with its own calibration).
//  5. Days: each session runs `session_frames()` frames. Per frame k:
//       cells stepped at dt with I_s = (1 − opto loss)·Σ_j W_ij ν_j (+ ξ for R2),
//       I_d = background noise + Bfb_i·T(k−1)·gain (+ ξ for R2-apical), g_inh = O1 conductance;
//       GCaMP sampled → online ΔF/F (F0 keeps sliding across blocks and days) → Decoder →
//       TrialTask → δ (R − R̄ at the outcome frame) → T(k) for the next frame →
//       FrameActivity → rule update of W (clipped, bounded, unconnected entries kept at 0).
//     The decoder's smoothing, the task and the teaching history start afresh every session;
//     W, R̄, the running means and Bfb carry over. Between days nothing is simulated: day d+1 starts
//     where day d ended (nothing but W and the slow means has memory beyond F0's 58 s).
//  6. Per session: the SessionRecord of records.hpp, including loop::chance_level on the session's
//     own soma ΔF/F with spec.loop.chance_repetitions shifts (seed derived from the mouse and session)
//     and the baseline chance of the calibration block in force.
//
// FrameActivity (plasticity.hpp) per frame of length Δ (66.5 or 67 ms at dt = 0.5 ms):
//   x̃_j  ← x̃_j·e^(−Δ/τ_x) + (1 − e^(−Δ/τ_x))·(spikes_j/Δ),  τ_x = presynaptic_tau_s
//   r_i = spikes/Δ;  E_i, B_i = events/Δ, bursts/Δ (burst_events.hpp, 16-ms ISI)
//   r̄_i running mean of r_i (τ = rate_mean_tau_s), value before this frame
//   r_basal,i = twin spikes/Δ (R3, default), or φ(frame-mean applied somatic synaptic current)
//   P̄_i = B̄_i/Ē_i with B̄, Ē running means (τ = R4's burst_fraction_tau, 10 s otherwise)
//   g_i = B_i/E_i − P̄_i if the frame has an event, else 0 (R5's apical sign)
//   Ca_i = max over the frame of f(V_d) (0.005 at rest, ≈0.3–0.5 after a lone bAP, → 1 in a plateau)
//   ξ_i = frame mean of the R2 perturbation current (pA); δ as delivered (0 under O6)
//
// Random streams (random_streams.hpp) with id {seed, mouse, stream}: stream 0 the inputs, 1 the f-I
// block's inputs, 2 / 3 the soma / dendrite imaging noise, 4 the weights, and stream 5 for the drive
// scales, rows, selection, random feedback, perturbation, calibration and chance seeds (by purpose).
//
// Measured [M] (g++ 12 -O3 -march=native, one core of the shared 2-core VM, defaults unless said):
//   cost: 50 neurons, 400 inputs: 0.15–0.22 CPU-s per simulated minute for R3 (its basal twin
//     doubles the cell step), 0.12–0.13 for R0, 0.15 for R1; a 30-min day of R3 takes ≈ 5 CPU-s,
//     the 10-min calibration ≈ 1.5 s, loop::chance_level with 1,000 shifts < 0.5 s. A 6-mouse ×
//     14-day cohort is ≈ 6 × 70 CPU-s ≈ 3.5 min on 2 free cores. Memory ≈ 22 MB per 30-min session.
//   learning, 50 neurons, one mouse (R0 accuracy 0.39, 0.33 on days 1–2): R3 default
//     0.60 → 0.83 → 0.96 on days 1–3; R3 with η = 1e-4: 0.45 → 0.58 → 0.62 → 0.83 on days 1–4.
//   without teaching the in-task hit rate is ≈ 0.35, above p_cal = 0.30 (8 mice × 20 min, also with
//     a 40-min calibration, so not the θ estimate); the chance level (P− shifted ≥ 60 s) is ≈ 0.6 on
//     day 1, because the shift removes the positive P+/P− correlation (≈ 0.16) and so widens x.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "apical/engine/loop/decoder.hpp"
#include "apical/engine/loop/trial_task.hpp"

#include "apical/models/bci/experiment_spec.hpp"
#include "apical/models/bci/records.hpp"

namespace apical::bci {

// Receives each session as soon as it is done (in day order, on the simulating thread).
using SessionSink = std::function<void(const MouseSetup& setup, SessionRecord&& session)>;
// Called after the calibration (day 0) and after each day (1 … days).
using DayProgress = std::function<void(int day)>;

// Simulates mouse `mouse` of the cohort described by spec. Validates the spec first
// (std::invalid_argument); std::runtime_error if too few neurons are active to choose P+ and P−.
MouseSetup simulate_mouse(const ExperimentSpec& spec, std::uint64_t mouse, const SessionSink& sink,
                          const DayProgress& progress = {});
// The same, keeping every session in memory (about 22 MB per 30-min session of 50 neurons).
MouseRecord simulate_mouse(const ExperimentSpec& spec, std::uint64_t mouse, const DayProgress& progress = {});

// "m00", "m01", …
std::string mouse_id(std::uint64_t mouse);

// One virtual mouse's neurons stepped frame by frame by a closed loop outside the simulation: a hybrid
// rig session, whose decoder and task decide on imaged and simulated neurons together, so that the
// simulated ones receive the real reward and teaching events. The constructor runs steps 1–4 above
// (the mouse's own warm-up, calibration block and choice of roles); task frames then run step 5 with
// the outside loop's decisions in place of the simulated loop's — through the same two calls that
// simulate_mouse's sessions make: a task frame of the cells, then learning from the loop's decision.
class LiveMouse {
 public:
  // std::invalid_argument for an invalid spec; std::runtime_error as simulate_mouse.
  LiveMouse(const ExperimentSpec& spec, std::uint64_t mouse);
  ~LiveMouse();
  LiveMouse(const LiveMouse&) = delete;
  LiveMouse& operator=(const LiveMouse&) = delete;

  // Roles (from the mouse's own calibration block), its calibration, weights.
  [[nodiscard]] const MouseSetup& setup() const;
  [[nodiscard]] std::size_t neurons() const;
  // What learning changes, for checks: W (neuron-major [N·M], as MouseSetup::initial_weights) and R̄.
  [[nodiscard]] std::span<const double> weights() const;
  [[nodiscard]] double reward_baseline() const;

  // A frame without task or teaching (a calibration block): raw somatic F per neuron, valid until the
  // next call.
  std::span<const double> idle_frame();
  // Forgets the teaching history (a new session); R̄, feedback weights and W carry over.
  void start_session();
  // A task frame: the apical drive carries T from the last decision. Raw somatic F per neuron. `light`:
  // the opto LED was on at this frame (a rig's, confirmed by its device), so the cells get the spec's
  // manipulations.opto — O1's frame-locked apical conductance and somatic reduction, or O2–O4, O7 — as
  // on simulate_mouse's lit frames; the schedule is the caller's, not the spec's.
  std::span<const double> task_frame(bool light = false);
  // The loop's decision on the last task frame: δ, T for the next frame, the rule's weight update.
  // std::logic_error without a task_frame() before it.
  void learn(const loop::TaskFrame& task, const loop::DecoderOutput& decision);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace apical::bci
