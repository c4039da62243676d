#pragma once
// A simulated session (bci::SessionRecord, models/) as the analyses' input (analysis::Session). The two
// layers do not know each other (each depends on the engine only), so the copy lives here, in the first
// layer that links both. The mapping is field for field (records.hpp): task state + 1 (analysis adds
// `none`), the same frame_flag bits, the same trial conventions.
#include "apical/analysis/session.hpp"
#include "apical/models/bci/records.hpp"

namespace apical {

[[nodiscard]] analysis::Session to_analysis_session(const bci::SessionRecord& record);

}  // namespace apical
