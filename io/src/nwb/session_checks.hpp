#pragma once
// The checks a session's set-up and records pass before the writer keeps them: std::invalid_argument
// naming the field, and nothing written.
#include "apical/io/nwb/records.hpp"
#include "apical/io/nwb/session_info.hpp"

namespace apical::nwb::detail {

void check_session_info(const SessionInfo& info);
void check_frame(const FrameRecord& frame, std::size_t rois);
void check_time(double time_s, const char* what);
void check_interval(const Interval& interval, const char* what);

}  // namespace apical::nwb::detail
