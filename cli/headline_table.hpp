#pragma once
// The headline numbers of a cohort analysis (analysis::headline_rows) as readable text: per-day rows
// ("learning.accuracy.day03.mean") become one table per section with a row per day; the others are
// listed under their section, mean and s.e.m. side by side (a t-test, an ANOVA effect or a Tukey
// comparison on one line), and a block whose values are all undefined is one line.
#include <ostream>
#include <vector>

#include "apical/analysis/cohort_analysis.hpp"

namespace apical::cli {

void print_headline(std::ostream& out, const std::vector<analysis::NamedValue>& rows);

}  // namespace apical::cli
