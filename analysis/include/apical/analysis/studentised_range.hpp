#pragma once
// The studentised range distribution, the reference distribution of Tukey's HSD post hoc test
// (experiment.md §8: the paper's Tukey comparisons after its RM ANOVAs). Boost.Math has no such
// distribution, so it is integrated here.
//
// Q = R/s, with R the range of k independent N(0, 1) values and s² an independent variance estimate on
// ν degrees of freedom (ν s² ~ χ²_ν), so that s = χ_ν/√ν:
//
//   ν = ∞:  P(q; k)    = k ∫ φ(z) [Φ(z) − Φ(z − q)]^(k−1) dz              over z ∈ (−∞, ∞)
//   ν < ∞:  P(q; k, ν) = ∫ f_ν(s) P(q·s; k) ds                             over s ∈ (0, ∞)
//           f_ν(s) = 2 (ν/2)^(ν/2) s^(ν−1) e^(−ν s²/2) / Γ(ν/2)           (density of χ_ν/√ν)
//
// The upper tail 1 − P is integrated on its own, from a^(k−1) − b^(k−1) = (a − b) Σ_i a^i b^(k−2−i)
// with a = Φ(z), b = Φ(z) − Φ(z − q) and a − b = Φ(z − q), so that small p-values keep their relative
// precision instead of being 1 minus a number close to 1. Both integrals are adaptive Gauss–Kronrod
// (Boost.Math quadrature, 31 points) to a relative tolerance of 1e-10, on finite windows outside which
// the integrands are below e^(−40) of their peaks: z ∈ [−9, max(9, q/2 + 9)] (φ(z)Φ(z − q) peaks at
// q/2 and falls as e^(−(z − q/2)²)), s ∈ [max(0, 1 − 12/√ν), 1 + 12/√ν] (f_ν has SD ≈ 1/√(2ν)).
// One upper tail costs about 10–20 ms (≈ 200 s-nodes × 200 z-nodes).
//
// For k = 2, Q = |Z₁ − Z₂|/s = √2·|T_ν|, so q_p(2, ν) = √2·t_((1+p)/2, ν): the tests check this.

namespace apical::analysis {

// P(Q ≤ q) for k ≥ 2 means and ν > 0 degrees of freedom (ν = +∞ allowed). 0 for q ≤ 0; NaN for
// invalid arguments.
[[nodiscard]] double studentised_range_cdf(double q, double k, double df);

// P(Q ≥ q): the p-value of a Tukey comparison with statistic q.
[[nodiscard]] double studentised_range_upper_tail(double q, double k, double df);

// The q with P(Q ≤ q) = p, for 0 < p < 1, by bracketed root finding (TOMS 748) on the upper tail.
[[nodiscard]] double studentised_range_quantile(double p, double k, double df);

}  // namespace apical::analysis
