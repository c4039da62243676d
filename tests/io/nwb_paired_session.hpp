#pragma once
// A synthetic two-plane session for the pair tests: proximal ROIs n0 (P+), n1 (P-), n2 (P0) and distal
// ROIs d0 → n2, d1 → n0 (crossed on purpose, so that a row is not mistaken for an index), frames whose
// ΔF/F are known functions of the frame number, one missing distal value and one bad frame.
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "apical/io/nwb/session_writer.hpp"

namespace apical::test {

inline constexpr std::size_t paired_missing_frame = 10;  // d0 is NaN here (its distal frame was lost)
inline constexpr std::size_t paired_bad_frame = 20;      // flagged bad, with values that would wreck r

inline nwb::SessionInfo nwb_paired_session_info() {
  nwb::SessionInfo info;
  info.identifier = "paired-session-0001";
  info.session_description = "synthetic two-plane session for the pair tests";
  info.session_start_time = "2026-03-02T10:15:30.125+01:00";
  info.protocol_json = "{}";
  info.devices = {{"Microscope", "two-photon microscope with an ETL", ""}};
  info.planes = {{"proximal", "proximal trunks", "GCaMP7f", "RSC L5", 920, 525, "Microscope"},
                 {"distal", "distal trunks", "GCaMP7f", "RSC L2/3", 920, 525, "Microscope"}};
  const auto roi = [](const char* name, std::size_t plane, nwb::Population population, std::uint32_t x,
                      std::optional<std::size_t> partner) {
    return nwb::Roi{name, plane, population, nwb::RoiSource::imaged, {{x, 5, 1.0f}, {x + 1, 5, 1.0f}}, partner};
  };
  info.rois = {roi("n0", 0, nwb::Population::plus, 2, std::nullopt),
               roi("n1", 0, nwb::Population::minus, 10, std::nullopt),
               roi("n2", 0, nwb::Population::zero, 20, std::nullopt),
               roi("d0", 1, nwb::Population::zero, 22, 2),
               roi("d1", 1, nwb::Population::plus, 4, 0)};
  return info;
}

// ΔF/F of the five ROIs in frame k; d0 follows n2 and d1 follows −n0, each with its own wobble.
inline std::vector<double> paired_dff(std::size_t k) {
  const double t = static_cast<double>(k);
  const double n0 = std::sin(0.1 * t), n1 = std::cos(0.05 * t), n2 = std::sin(0.23 * t + 1.0);
  std::vector<double> dff{n0, n1, n2, 0.8 * n2 + 0.3 * std::cos(0.37 * t), -0.5 * n0 + 0.4 * std::sin(0.71 * t)};
  if (k == paired_missing_frame) dff[3] = std::numeric_limits<double>::quiet_NaN();
  if (k == paired_bad_frame) dff = {50, -50, 50, -50, 50};
  return dff;
}

inline void nwb_append_paired_frame(nwb::SessionWriter& writer, std::size_t k) {
  const std::vector<double> dff = paired_dff(k);
  std::vector<double> f0(dff.size(), 1000.0), f(dff.size());
  for (std::size_t i = 0; i < dff.size(); ++i) f[i] = 1000.0 * (1.0 + (std::isnan(dff[i]) ? 0.0 : dff[i]));
  nwb::FrameRecord record;
  record.index = k;
  record.time_s = static_cast<double>(k) / 15.0;
  record.f = f;
  record.dff = dff;
  record.f0 = f0;
  record.bad = k == paired_bad_frame;
  writer.append_frame(record);
}

// Pearson's r of ROI a's and ROI b's ΔF/F over frames 0 … frames−1, the plain two-pass way, leaving out
// the bad frame and frames where either value is missing.
inline double paired_hand_r(std::size_t a, std::size_t b, std::size_t frames) {
  std::vector<double> x, y;
  for (std::size_t k = 0; k < frames; ++k) {
    const std::vector<double> dff = paired_dff(k);
    if (k == paired_bad_frame || std::isnan(dff[a]) || std::isnan(dff[b])) continue;
    x.push_back(dff[a]);
    y.push_back(dff[b]);
  }
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i] / static_cast<double>(x.size());
    my += y[i] / static_cast<double>(y.size());
  }
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

}  // namespace apical::test
