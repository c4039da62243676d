#pragma once
// Every analysis of experiment.md §4–§9 on one cohort, and its headline numbers as (name, value) rows
// for the io layer to print or write as JSON. One cohort = one condition (e.g. control, or an O1 cohort
// that alternates opto-on and opto-off days); compare conditions with compare_learning_slopes().
//
// Pipeline: validate → transients on both planes (once) → learning curves and slopes → somatic rates
// and population normalisation → soma–dendrite pairing, coincident events, fits and residuals →
// for the opto-off events and, when the cohort has LED frames, separately for the opto-on events:
// residual mean (the opto-on mean is the ED10e projection onto the opto-off fit), contrast by role and
// outcome decoding → early contrast (opto-off events) vs later somatic change → residual predicted
// from the other neurons (opto-off frames).
//
// Row names are dot-separated, lower case, ASCII ("learning.accuracy.anova.p"); roles are written
// "plus", "minus", "zero"; per-day rows carry the day as "day03". Undefined values are NaN rows, so the
// set of names depends only on the cohort's days, not on what could be computed.
#include <cstddef>
#include <string>
#include <vector>

#include "apical/analysis/learning_curves.hpp"
#include "apical/analysis/learning_prediction.hpp"
#include "apical/analysis/outcome_decoding.hpp"
#include "apical/analysis/residual_contrast.hpp"
#include "apical/analysis/residual_network.hpp"
#include "apical/analysis/sd_residual.hpp"
#include "apical/analysis/session.hpp"
#include "apical/analysis/transients.hpp"

namespace apical::analysis {

struct AnalysisOptions {
  LearningCurveOptions learning;
  TransientOptions transients;
  PopulationRateOptions population;
  SdOptions sd;
  ContrastOptions contrast;     // `opto` is set per block; the day range applies to the contrast blocks
  DecodingOptions decoding;     // `opto` is set per block
  EarlyLateOptions early_late;
  NetworkOptions network;       // `opto` filters the frames (default: opto-off)
  bool decode = true;           // outcome decoding is the slowest step; off skips it (NaN rows)
};

// The residual statistics of one LED condition.
struct ResidualBlock {
  bool computed = false;        // false for the opto-on block of a cohort without LED frames
  std::size_t events = 0;       // SD events of fitted neurons with a defined residual
  TTest residual;               // one-sample t-test of residual_z against 0 (ED10e: unpaired across neurons
                                // in the paper; here across events)
  ContrastSummary contrast;
  DecodingSummary decoding;
};

struct CohortAnalysis {
  std::string cohort;
  std::size_t mice = 0, days = 0, sessions = 0, trials = 0;

  LearningCurves learning;
  LearningSlopes slopes;

  std::vector<NeuronDayRate> rates;   // somatic transient frequency, all frames
  PopulationRates population;

  // Soma–dendrite pairing and fits, counted over (neuron, session) pairs.
  std::size_t neuron_sessions = 0, with_dendrite = 0, paired = 0, fitted = 0, pooled_fits = 0;
  double pairing_r_mean = 0.0;        // over neuron-sessions with a distal trace
  double fit_a_mean = 0.0, fit_b_mean = 0.0;
  std::size_t coincident_events = 0;
  double fraction_linear_aic_best = 0.0;  // T15: linear AIC ≤ quadratic AIC, over fits with ≥ 5 events

  bool has_opto = false;
  ResidualBlock opto_off, opto_on;

  ContrastPredictsChange prediction;  // T12
  NetworkSummary network;             // residual predicted from the other neurons (T-network)
};

// Throws std::invalid_argument (from validate) for an inconsistent cohort.
[[nodiscard]] CohortAnalysis analyze_cohort(const Cohort& cohort, const AnalysisOptions& options = {});

struct NamedValue {
  std::string name;
  double value = 0.0;
};

[[nodiscard]] std::vector<NamedValue> headline_rows(const CohortAnalysis& analysis);
[[nodiscard]] std::vector<NamedValue> headline_rows(const SlopeComparison& comparison);

}  // namespace apical::analysis
