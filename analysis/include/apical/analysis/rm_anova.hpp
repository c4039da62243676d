#pragma once
// Repeated-measures (within-subject) ANOVA, as used for the learning curves (one-way over days,
// Fig. 1g) and the normalised transient frequency (two-way population × day, Fig. 1i), experiment.md §8.
// The subject is the mouse.
//
// One-way, n subjects × k levels, y_sj, grand mean ȳ, level means ȳ_·j, subject means ȳ_s·:
//   SS_cond = n Σ_j (ȳ_·j − ȳ)²                   df_cond = k − 1
//   SS_subj = k Σ_s (ȳ_s· − ȳ)²
//   SS_err  = Σ (y_sj − ȳ)² − SS_cond − SS_subj     df_err  = (n − 1)(k − 1)
//   F = (SS_cond/df_cond)/(SS_err/df_err),  p = P(F(df_cond, df_err) ≥ F)  (Boost.Math).
//
// Two-way, both factors within subject, y_sab (A = population, B = day):
//   F_A  = MS_A  / MS_{A×S},    df (a − 1),        (a − 1)(n − 1)
//   F_B  = MS_B  / MS_{B×S},    df (b − 1),        (b − 1)(n − 1)
//   F_AB = MS_AB / MS_{A×B×S},  df (a − 1)(b − 1), (a − 1)(b − 1)(n − 1)
// where each error term is the interaction of the effect with subjects.
//
// Sphericity: each effect also carries the Greenhouse–Geisser ε̂ = tr(S)²/(q·tr(S²)), S the sample
// covariance of the subjects' scores on q orthonormal contrasts of the effect, and p_gg from the F test
// with both dfs multiplied by ε̂. The paper does not say whether it corrected; `p` is uncorrected.
//
// Post hoc: Tukey's HSD [P: the paper's Fig. 1i comparisons] on the levels of an effect, with that
// effect's error term, as in a between-subject design (the usual textbook recipe for RM designs):
//   q_ij = |m_i − m_j| / √(MS_error / n),   p_ij = P(Q_{k, df_error} ≥ q_ij)   (studentised_range.hpp)
// where m are the level means, k their number, MS_error = SS_error/df_error and n the observations
// behind each mean (subjects for the one-way design; subjects × levels of B for the A means of the
// two-way design). p_ij is adjusted for the family of all k(k − 1)/2 pairs. The pooled error term
// assumes sphericity; ε̂ does not enter.
#include <cstddef>
#include <span>
#include <vector>

#include "apical/analysis/grid.hpp"

namespace apical::analysis {

struct AnovaEffect {
  double ss_effect = 0.0, ss_error = 0.0;
  double df_effect = 0.0, df_error = 0.0;
  double F = 0.0;
  double p = 1.0;            // uncorrected
  double epsilon_gg = 1.0;   // Greenhouse–Geisser ε̂, in [1/df_effect, 1]
  double p_gg = 1.0;         // with dfs scaled by ε̂
};

// One Tukey HSD comparison of levels `first` < `second`.
struct PairwiseComparison {
  std::size_t first = 0, second = 0;
  double difference = 0.0;  // m_second − m_first (later level minus earlier: a rise is positive)
  double q = 0.0;           // studentised range statistic, ≥ 0
  double p = 1.0;           // Tukey-adjusted over all pairs
};

// All k(k − 1)/2 pairs in order (0,1), (0,2), …, (1,2), …. With ms_error = 0 a pair that differs has
// q = ∞ and p = 0, one that does not has NaN; NaN inputs give NaN rows.
[[nodiscard]] std::vector<PairwiseComparison> tukey_hsd(std::span<const double> means, double ms_error,
                                                        double df_error, double n_per_mean);

struct OneWayRmAnova {
  std::size_t subjects = 0, levels = 0;
  AnovaEffect condition;
  std::vector<double> level_means;        // [levels]
  std::vector<PairwiseComparison> tukey;  // the levels pairwise
};

struct TwoWayRmAnova {
  std::size_t subjects = 0, levels_a = 0, levels_b = 0;
  AnovaEffect a, b, interaction;
  std::vector<double> means_a;              // [levels_a], over subjects and B
  std::vector<PairwiseComparison> tukey_a;  // the A levels pairwise, error MS_{A×S}
};

// y: one row per subject, one column per level; every entry finite (drop incomplete subjects first).
// Throws std::invalid_argument for fewer than 2 subjects or 2 levels, or a non-finite entry.
[[nodiscard]] OneWayRmAnova rm_anova_oneway(const Grid& y);

// y[s](i, j): subject s at level i of factor A and level j of factor B; all grids the same shape.
[[nodiscard]] TwoWayRmAnova rm_anova_twoway(const std::vector<Grid>& y);

// Greenhouse–Geisser ε̂ of the columns of `scores` (subjects × m levels) over m − 1 orthonormal contrasts.
[[nodiscard]] double greenhouse_geisser(const Grid& scores);

}  // namespace apical::analysis
