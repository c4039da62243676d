#pragma once
// The teaching channel of the BCI simulation: reward-prediction error δ with its per-trial baseline R̄,
// the teaching signal T(k) and the feedback weights Bfb (equations in experiment_spec.hpp, from
// learning_rules.md §2–§3).
#include <cstddef>
#include <span>
#include <vector>

#include "apical/engine/loop/decoder.hpp"
#include "apical/engine/loop/population.hpp"
#include "apical/engine/loop/trial_task.hpp"
#include "apical/engine/random.hpp"
#include "apical/models/bci/experiment_spec.hpp"

namespace apical::bci::detail {

class TeachingChannel {
 public:
  // rng draws the random feedback weights (used only for FeedbackType::random).
  TeachingChannel(const ExperimentSpec& spec, std::span<const loop::Role> roles, double p_cal, CounterRng& rng);

  struct Output {
    double teaching = 0;  // T(k), applied over frame k+1
    double delta = 0;     // δ delivered at frame k (0 under O6)
  };
  // One frame: the task's frame and the decoder's output for it.
  Output step(const loop::TaskFrame& task, const loop::DecoderOutput& decoder);
  // Learned feedback: ΔBfb_i = η_B (r_i − r̄_i)(ĉ − ĉ̄) in OPEN frames, ĉ = angle/90°; then
  // ĉ̄ ← ĉ̄ + mean_weight·(ĉ − ĉ̄), mean_weight = 1 − e^(−frame/τ) with τ = learning.rate_mean_tau_s.
  void learn_feedback(const loop::TaskFrame& task, const loop::DecoderOutput& decoder, std::span<const double> rate_Hz,
                      std::span<const double> rate_mean_Hz, double mean_weight);
  // Forgets ε history and the reward kernel (between sessions); R̄ and Bfb carry over.
  void start_session();

  // Bfb_i as delivered (O5 applied), times the gain: apical current per unit T, pA.
  [[nodiscard]] const std::vector<double>& current_per_unit() const { return current_per_unit_; }
  [[nodiscard]] std::vector<double> delivered_feedback() const;
  [[nodiscard]] double reward_baseline() const { return baseline_; }

 private:
  void refresh_current();

  TeachingSpec teaching_;
  RewardSpec reward_;
  bool swap_, block_;
  std::vector<loop::Role> roles_;
  std::vector<double> feedback_;          // Bfb before O5
  std::vector<double> current_per_unit_;  // sign_swap(Bfb)·gain
  double baseline_;
  double previous_error_ = 0;
  bool previous_open_ = false;
  double error_rate_ = 0;  // low-passed ε̇
  double kernel_ = 0;
  double cursor_mean_ = 0;
  bool cursor_seen_ = false;
};

}  // namespace apical::bci::detail
