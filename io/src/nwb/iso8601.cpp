#include "apical/io/nwb/iso8601.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <regex>

namespace apical::nwb {

std::string iso8601_local(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  const auto milliseconds =
      std::chrono::duration_cast<std::chrono::milliseconds>(time - std::chrono::system_clock::from_time_t(seconds))
          .count();
  std::tm local{};
  localtime_r(&seconds, &local);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &local);
  const int offset_minutes = static_cast<int>(local.tm_gmtoff / 60);
  char text[64];
  std::snprintf(text, sizeof text, "%s.%03d%c%02d:%02d", date, static_cast<int>(milliseconds),
                offset_minutes < 0 ? '-' : '+', std::abs(offset_minutes) / 60, std::abs(offset_minutes) % 60);
  return text;
}

bool is_iso8601_with_time_zone(std::string_view text) {
  static const std::regex form(
      R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))");
  return std::regex_match(text.begin(), text.end(), form);
}

}  // namespace apical::nwb
