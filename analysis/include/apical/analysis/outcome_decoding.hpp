#pragma once
// Cross-validated decoding of trial outcome (success vs failure) from SD residuals, before and after
// the outcome (experiment.md §6 row 2; §9 T10, T13: "post > pre > chance").
//
// Unit of analysis: one mouse on one day (that day's sessions pooled; neurons matched by id).
// Trials: hits (label 1) and misses (label 0) whose outcome frame passes the opto filter and whose
// windows lie inside the session. The trial end is Trial::end_frame (hit or timeout frame).
// Windows: pre = [end − 2 s, end), post = [end, end + 2 s) [D].
// Features: one per fitted neuron of the day: the mean residual_z of its SD events whose peak lies in
// the window, 0 (= no deviation from the soma-predicted dendrite) when there is none [D].
//
// Classifier [D]: the paper used a linear SVM (weak source). We use ridge-regularised least squares
// on ±1 labels, which for two classes gives the ridge-regularised Fisher LDA direction:
//   features standardised with the training fold's mean and SD (constant features → 0);
//   w = X_tᵀ (X_t X_tᵀ + λI)⁻¹ (y_t − ȳ_t),   λ = ridge · tr(X_t X_tᵀ)/n_t   (scale-free);
//   score(x) = x·w; class 1 when the score exceeds the midpoint of the two training-class mean scores
//   (equal priors, so class imbalance does not move the boundary).
// Every score is linear in the label vector, so a fold's matrices are factorised once and each label
// shuffle costs only matrix–vector products.
// Cross-validation: stratified k-fold (k = 5), folds drawn from a counter-based RNG (engine/random.hpp)
// keyed by (seed, mouse, day, window): results are a pure function of the inputs and the seed.
// Score: balanced accuracy (mean of the two class recalls; chance = 0.5 whatever the hit rate),
// pooled over the held-out folds.
// Null: the same folds with the labels permuted `shuffles` times; p = (1 + #{null ≥ observed})/(1 + shuffles).
// Across units: paired t-tests of observed vs null mean, and post vs pre (ED10: paired t-test [P]).
#include <cstdint>
#include <string>
#include <vector>

#include "apical/analysis/grid.hpp"
#include "apical/analysis/sd_residual.hpp"
#include "apical/analysis/session.hpp"
#include "apical/analysis/statistics.hpp"

namespace apical::analysis {

struct DecodingOptions {
  double window_s = 2.0;                 // [D] §6
  int folds = 5;                         // [D] §6
  int shuffles = 200;                    // [D] label permutations for the null
  double ridge = 1.0;                    // [D] λ relative to the mean squared feature norm
  std::uint64_t seed = 1;
  std::size_t min_trials_per_class = 5;  // [D] fewer → the unit is skipped (never fewer than `folds`)
  OptoFilter opto = OptoFilter::all;     // by the LED flag at the trial's end frame
};

struct DecodingResult {
  double balanced_accuracy = 0.0;        // observed, cross-validated
  double null_mean = 0.0, null_sd = 0.0; // over label shuffles
  double p = 1.0;                        // permutation p-value (one-sided: observed above null)
  std::size_t trials = 0, features = 0;
};

// Generic decoder: rows of X are trials, labels are 0/1. `stream` selects an independent random
// stream for the same seed. Throws std::invalid_argument when a class has fewer trials than folds.
[[nodiscard]] DecodingResult decode_binary(const Grid& X, const std::vector<int>& labels,
                                           const DecodingOptions& options, std::uint64_t stream = 0);

struct UnitDecoding {
  std::string mouse_id;
  std::int32_t day = 0;
  std::size_t hits = 0, misses = 0;
  DecodingResult pre, post;
};

struct DecodingSummary {
  std::vector<UnitDecoding> units;       // sorted by mouse, day; only units with enough trials
  double pre_mean = 0.0, post_mean = 0.0;            // balanced accuracy across units
  double pre_null_mean = 0.0, post_null_mean = 0.0;
  TTest pre_vs_null, post_vs_null, post_vs_pre;      // paired across units
  double fraction_post_significant = 0.0;            // units with post p < 0.05
};

// `sd[i]` belongs to cohort.sessions[i].
[[nodiscard]] DecodingSummary decode_outcome(const Cohort& cohort, const std::vector<SdSession>& sd,
                                             const DecodingOptions& options = {});

}  // namespace apical::analysis
