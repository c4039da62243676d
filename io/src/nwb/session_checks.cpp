#include "session_checks.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <stdexcept>

#include "apical/io/nwb/iso8601.hpp"
#include "session_layout.hpp"

namespace apical::nwb::detail {

namespace {

[[noreturn]] void bad(const std::string& field, const std::string& detail) {
  throw std::invalid_argument("NWB session info: " + field + ": " + detail);
}

// Names become HDF5 object names (ImagingPlane_<name>, /general/devices/<name>).
void check_name(const std::string& field, const std::string& name) {
  const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  if (!plain) bad(field, "'" + name + "' is not a name of letters, digits, '_' and '-'");
}

// A plane's paired_roi column is one DynamicTableRegion into one other plane's table: every ROI of a
// paired plane names a partner, all partners lie in the same other plane, and no partner is named twice.
void check_pairs(const SessionInfo& info) {
  std::vector<std::optional<std::size_t>> partner_plane(info.planes.size());
  std::vector<std::size_t> paired(info.planes.size(), 0), named(info.rois.size(), 0);
  for (std::size_t i = 0; i < info.rois.size(); ++i) {
    const Roi& roi = info.rois[i];
    if (!roi.paired_roi) continue;
    const std::string field = "rois[" + std::to_string(i) + "].paired_roi";
    const std::size_t partner = *roi.paired_roi;
    if (partner >= info.rois.size())
      bad(field, std::to_string(partner) + " is not a ROI index (" + std::to_string(info.rois.size()) + " ROIs)");
    const std::size_t plane = info.rois[partner].plane;
    if (plane == roi.plane) bad(field, "ROI '" + info.rois[partner].name + "' lies in the same plane");
    if (partner_plane[roi.plane] && *partner_plane[roi.plane] != plane)
      bad(field, "the partners of plane '" + info.planes[roi.plane].name + "' lie in more than one plane");
    partner_plane[roi.plane] = plane;
    if (++named[partner] > 1) bad(field, "ROI '" + info.rois[partner].name + "' is the partner of two ROIs");
    ++paired[roi.plane];
  }
  std::vector<std::size_t> rois_per_plane(info.planes.size(), 0);
  for (const Roi& roi : info.rois) ++rois_per_plane[roi.plane];
  for (std::size_t p = 0; p < info.planes.size(); ++p)
    if (paired[p] != 0 && paired[p] != rois_per_plane[p])
      bad("planes[" + std::to_string(p) + "]", std::to_string(paired[p]) + " of the " +
                                                   std::to_string(rois_per_plane[p]) + " ROIs of plane '" +
                                                   info.planes[p].name + "' name a partner: all or none must");
}

}  // namespace

void check_session_info(const SessionInfo& info) {
  if (info.identifier.empty()) bad("identifier", "is empty");
  if (!is_iso8601_with_time_zone(info.session_start_time))
    bad("session_start_time", "'" + info.session_start_time + "' is not an ISO 8601 date-time with a time zone");
  if (!(info.imaging_rate_hz > 0) || !std::isfinite(info.imaging_rate_hz)) bad("imaging_rate_hz", "must be > 0");
  std::set<std::string> devices;
  for (std::size_t i = 0; i < info.devices.size(); ++i) {
    check_name("devices[" + std::to_string(i) + "].name", info.devices[i].name);
    if (!devices.insert(info.devices[i].name).second)
      bad("devices[" + std::to_string(i) + "].name", "'" + info.devices[i].name + "' is used twice");
  }
  if (info.planes.empty()) bad("planes", "there must be at least one imaging plane");
  std::set<std::string> planes;
  for (std::size_t p = 0; p < info.planes.size(); ++p) {
    const std::string field = "planes[" + std::to_string(p) + "]";
    check_name(field + ".name", info.planes[p].name);
    if (!planes.insert(info.planes[p].name).second) bad(field + ".name", "'" + info.planes[p].name + "' is used twice");
    if (devices.count(info.planes[p].device) == 0)
      bad(field + ".device", "no device is named '" + info.planes[p].device + "'");
  }
  std::vector<std::size_t> rois_per_plane(info.planes.size(), 0);
  for (std::size_t i = 0; i < info.rois.size(); ++i) {
    const Roi& roi = info.rois[i];
    const std::string field = "rois[" + std::to_string(i) + "]";
    if (roi.plane >= info.planes.size())
      bad(field + ".plane",
          std::to_string(roi.plane) + " is not a plane index (" + std::to_string(info.planes.size()) + " planes)");
    ++rois_per_plane[roi.plane];
    for (const RoiPixel& pixel : roi.pixel_mask)
      if (!std::isfinite(pixel.weight)) bad(field + ".pixel_mask", "a weight is not finite");
  }
  for (std::size_t p = 0; p < info.planes.size(); ++p)
    if (rois_per_plane[p] == 0)
      bad("planes[" + std::to_string(p) + "]", "no ROI lies in plane '" + info.planes[p].name + "'");
  check_pairs(info);
}

void check_time(double time_s, const char* what) {
  if (!std::isfinite(time_s)) throw std::invalid_argument(std::string("NWB ") + what + ": the time is not finite");
}

void check_frame(const FrameRecord& frame, std::size_t rois) {
  check_time(frame.time_s, "frame");
  const auto check_size = [&](std::size_t size, const char* name) {
    if (size != rois)
      throw std::invalid_argument("NWB frame " + std::to_string(frame.index) + ": " + name + " has " +
                                  std::to_string(size) + " values, the session has " + std::to_string(rois) + " ROIs");
  };
  check_size(frame.f.size(), "f");
  check_size(frame.dff.size(), "dff");
  check_size(frame.f0.size(), "f0");
}

void check_interval(const Interval& interval, const char* what) {
  check_time(interval.start_time_s, what);
  check_time(interval.stop_time_s, what);
  if (interval.stop_time_s < interval.start_time_s)
    throw std::invalid_argument(std::string("NWB ") + what + ": it stops before it starts");
  if (interval.tag.size() > tag_bytes)
    throw std::invalid_argument(std::string("NWB ") + what + ": the tag '" + interval.tag + "' is longer than " +
                                std::to_string(tag_bytes) + " bytes");
}

}  // namespace apical::nwb::detail
