#pragma once
// A synthetic rig session on disk for the rig-session tests: a TIFF of a small field of six Gaussian
// "cells" (2 P+, 2 P−, 2 P0) with random calcium transients, shot-like pixel noise and ±1 px brain
// motion, whose P+ cells fire together every `burst_period` frames once the task block starts — so the
// calibrated decoder reaches θ and trials are hit — plus the ROI JSON drawn on the motionless field.
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "apical/bridge/tiff_stack.hpp"
#include "test_images.hpp"

namespace apical::bridge::test {

// A rig file replaying `tiff` with the ROIs `rois` (P+ plus_a, plus_b; P− minus_a, minus_b), short
// calibration pseudo-trials and short trials, so that a few hundred frames hold several trials.
inline nlohmann::json short_trial_rig(const std::string& name, const std::string& tiff, const std::string& rois,
                                      double rate_hz, std::size_t reference_frames, std::size_t calibration_frames) {
  return {{"format", "apical-rig"},
          {"format_version", 1},
          {"name", name},
          {"source", {{"type", "tiff-replay"}, {"path", tiff}, {"rate", std::to_string(rate_hz) + " Hz"}}},
          {"rois", rois},
          {"roles", {{"P+", {"plus_a", "plus_b"}}, {"P-", {"minus_a", "minus_b"}}}},
          {"reference", {{"frames", reference_frames}}},
          {"calibration", {{"frames", calibration_frames}}},
          {"loop",
           {{"calibration", {{"pseudo_trials", 50}, {"trial_frames", 60}}},
            {"task",
             {{"open_frames", 60}, {"reward_delay_frames", 5}, {"show_frames", 8}, {"blank_ok_frames", 3}, {"fail_frames", 5}}}}},
          {"session", {{"reward_volume_uL", 4}}}};
}

struct RigFixture {
  static constexpr std::uint32_t width = 64, height = 48;
  std::size_t reference_frames = 20, calibration_frames, task_frames;
  std::size_t burst_period = 40;
  std::string tiff, rois;

  const std::vector<Blob> cells{{10, 12, 0}, {50, 10, 0}, {20, 36, 0}, {44, 30, 0}, {30, 20, 0}, {56, 40, 0}};
  const std::vector<std::string> names{"plus_a", "plus_b", "minus_a", "minus_b", "other_a", "other_b"};

  explicit RigFixture(const std::string& name, std::size_t calibration = 600, std::size_t task = 400)
      : calibration_frames(calibration), task_frames(task), tiff(temp_path(name + ".tif")), rois(temp_path(name + "_rois.json")) {
    write_frames();
    write_rois();
  }

  [[nodiscard]] std::size_t frames() const { return reference_frames + calibration_frames + task_frames; }

  // A rig file with the fixture's source, ROIs and roles, and short trials.
  [[nodiscard]] nlohmann::json rig(double rate_hz = 3000) const {
    return short_trial_rig("synthetic", tiff, rois, rate_hz, reference_frames, calibration_frames);
  }

 private:
  void write_frames() const {
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0.0, 8.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::uniform_int_distribution<int> jitter(-1, 1);
    std::vector<double> activity(cells.size(), 0.0);
    std::vector<Frame> pages;
    for (std::size_t k = 0; k < frames(); ++k) {
      const bool moving = k >= reference_frames;  // a still reference block, then brain motion
      const bool task = k >= reference_frames + calibration_frames;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        activity[i] *= std::exp(-1.0 / 5.0);  // decay over 5 frames
        if (moving && uniform(rng) < 0.02) activity[i] += 1.0;
        if (task && i < 2 && (k % burst_period) == 0) activity[i] += 4.0;
      }
      std::vector<Blob> lit = cells;
      for (std::size_t i = 0; i < lit.size(); ++i) lit[i].amplitude = 800.0 * (1.0 + activity[i]);
      Frame f = blob_frame(width, height, lit, moving ? jitter(rng) : 0, moving ? jitter(rng) : 0);
      for (std::uint16_t& p : f.pixels) p = static_cast<std::uint16_t>(std::clamp(p + noise(rng), 0.0, 65535.0));
      pages.push_back(std::move(f));
    }
    write_tiff_stack(tiff, pages);
  }

  void write_rois() const {
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = 0; i < cells.size(); ++i) {
      nlohmann::json pixels = nlohmann::json::array();
      for (int y = 0; y < int(height); ++y)
        for (int x = 0; x < int(width); ++x)
          if (std::hypot(x - cells[i].x, y - cells[i].y) <= 3.0) pixels.push_back({x, y});
      list.push_back({{"name", names[i]}, {"pixels", pixels}});
    }
    std::ofstream(rois) << nlohmann::json{{"format_version", 1}, {"width", width}, {"height", height}, {"rois", list}}.dump();
  }
};

}  // namespace apical::bridge::test
