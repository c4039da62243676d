#pragma once
// ISO 8601 date-times with a time zone, the form NWB stores times of day in.
#include <chrono>
#include <string>
#include <string_view>

namespace apical::nwb {

// `time` in the local time zone with milliseconds and the zone's offset, e.g.
// "2026-03-02T10:15:30.125+01:00".
std::string iso8601_local(std::chrono::system_clock::time_point time);

// True for YYYY-MM-DDThh:mm[:ss[.fff…]] followed by "Z" or ±hh:mm (or ±hhmm).
bool is_iso8601_with_time_zone(std::string_view text);

}  // namespace apical::nwb
