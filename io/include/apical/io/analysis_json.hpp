#pragma once
// analysis.json: the headline numbers of a cohort analysis (analysis::headline_rows) in their order.
//
//   {"format": "apical-analysis", "format_version": 1, "run": "<run folder>", "scenario": "<name>",
//    "apical_version": "...", "values": {"cohort.mice": 6, ..., "network.zero.null.mean": null}}
//
// Undefined values (NaN, ±inf) are written as null, so every name is always present.
#include <string>
#include <vector>

#include "apical/analysis/cohort_analysis.hpp"

namespace apical {

void write_analysis_json(const std::string& path, const std::string& run, const std::string& scenario,
                         const std::vector<analysis::NamedValue>& rows);

}  // namespace apical
