#pragma once
// A small synthetic rig session for the NWB tests: 3 ROIs on 2 planes (one a simulated neuron without
// pixels), frames whose every value is a known function of the frame number, and events on a fixed
// schedule, so a test can say exactly what a file must hold after any number of frames.
#include <hdf5.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "apical/io/nwb/session_writer.hpp"

namespace apical::test {

inline constexpr double nwb_frame_period_s = 1.0 / 15.0;
inline constexpr std::size_t nwb_calibration_frames = 10;  // no decisions before this frame

inline nwb::SessionInfo nwb_session_info() {
  nwb::SessionInfo info;
  info.identifier = "test-session-0001";
  info.session_description = "synthetic session for the NWB tests";
  info.session_start_time = "2026-03-02T10:15:30.125+01:00";
  info.protocol_json = R"({"decoder": {"theta": 1.2, "lo": -1.0, "mu_cal": 0.05, "sigma_cal": 0.2}})";
  info.devices = {{"Microscope", "two-photon microscope", "Thorlabs"}, {"RewardController", "RIGLINK/1 valve", ""}};
  // Not in name order on purpose: the reader returns planes by name.
  info.planes = {{"proximal", "soma plane", "GCaMP7f", "RSC L5", 920, 525, "Microscope"},
                 {"distal", "apical tuft plane", "GCaMP7f", "RSC L1", 920, 525, "Microscope"}};
  info.rois = {{"n0", 0, nwb::Population::plus, nwb::RoiSource::imaged, {{10, 20, 1.0f}, {11, 20, 0.5f}}, std::nullopt},
               {"n0_tuft", 1, nwb::Population::minus, nwb::RoiSource::imaged, {{30, 40, 1.0f}}, std::nullopt},
               {"sim7", 0, nwb::Population::zero, nwb::RoiSource::simulated, {}, std::nullopt}};
  return info;
}

// Every per-frame value of frame k.
struct NwbTestFrame {
  std::vector<double> f, dff, f0;
  nwb::FrameRecord record;

  explicit NwbTestFrame(std::size_t k) {
    for (std::size_t i = 0; i < 3; ++i) {
      f.push_back(1000.0 + 10.0 * double(i) + 50.0 * std::sin(0.1 * double(k) + double(i)));
      f0.push_back(950.0 + double(i));
      dff.push_back((f.back() - f0.back()) / f0.back());
    }
    const double t = double(k) * nwb_frame_period_s;
    record.index = k;
    record.time_s = t;
    record.f = f;
    record.dff = dff;
    record.f0 = f0;
    if (k >= nwb_calibration_frames) {
      record.decoder_x_bar = dff[0] - dff[1];
      record.decoder_z = 5.0 * record.decoder_x_bar;
      record.angle_deg = 15.0 * double(k % 7);
      record.stages.decided_s = t + 0.004;
    }
    if (k % 30 >= 5) record.stimulus_angle_deg = 15.0 * double(k % 7);
    record.shift_dx_px = 0.25 * double(k % 5);
    record.shift_dy_px = -0.5 * double(k % 3);
    record.shift_peak_ratio = 20.0 + double(k % 11);
    if (k % 13 != 12) {  // else the distal frame of the cycle was lost: its shift stays none
      record.distal_shift_dx_px = -0.75 * double(k % 4);
      record.distal_shift_dy_px = 0.125 * double(k % 6);
      record.distal_shift_peak_ratio = 12.0 + double(k % 9);
    }
    record.bad = k % 17 == 16;
    record.opto = k % 30 >= 20;
    record.stages.received_s = t + 0.001;
    record.stages.registered_s = t + 0.002;
    record.stages.extracted_s = t + 0.003;
    record.stages.sent_s = t + 0.005;
  }
};

// The events due at frame k.
inline bool nwb_lick_at(std::size_t k) { return k % 7 == 3; }
inline bool nwb_reward_at(std::size_t k) { return k % 20 == 19; }
inline bool nwb_trial_ends_at(std::size_t k) { return k % 25 == 24; }
inline bool nwb_invalid_at(std::size_t k) { return k % 17 == 16; }
inline bool nwb_message_at(std::size_t k) { return k % 40 == 39; }

inline nwb::Trial nwb_trial_ending_at(std::size_t k) {
  const double t = double(k) * nwb_frame_period_s;
  const bool hit = (k / 25) % 2 == 0;
  return nwb::Trial{t - 24 * nwb_frame_period_s,
                    t,
                    hit ? nwb::TrialOutcome::hit : nwb::TrialOutcome::fail,
                    hit ? t - 0.5 : nwb::none,
                    hit ? t - 0.1 : nwb::none,
                    hit ? 3.0 : 0.0,
                    (k / 25) % 3 == 1,
                    1.2};
}

// Appends frame k and the events due at it.
inline void nwb_append_frame_and_events(nwb::SessionWriter& writer, std::size_t k) {
  const NwbTestFrame frame(k);
  writer.append_frame(frame.record);
  const double t = frame.record.time_s;
  if (k + 1 == nwb_calibration_frames) writer.append_epoch({0.0, t, "calibration"});
  if (nwb_lick_at(k)) writer.append_lick({t + 0.01, int(k % 2)});
  if (nwb_reward_at(k)) writer.append_reward({t + 0.02, 3.0});
  if (nwb_trial_ends_at(k)) writer.append_trial(nwb_trial_ending_at(k));
  if (nwb_invalid_at(k)) writer.append_invalid_time({t, t + nwb_frame_period_s, "bad frame"});
  if (nwb_message_at(k)) writer.append_message({t, "serial device unplugged (frame " + std::to_string(k) + ")"});
}

// How many of each event the first `frames` frames bring.
struct NwbTestCounts {
  std::size_t licks = 0, rewards = 0, trials = 0, invalid = 0, messages = 0, epochs = 0;
  explicit NwbTestCounts(std::size_t frames) {
    for (std::size_t k = 0; k < frames; ++k) {
      licks += nwb_lick_at(k);
      rewards += nwb_reward_at(k);
      trials += nwb_trial_ends_at(k);
      invalid += nwb_invalid_at(k);
      messages += nwb_message_at(k);
      epochs += k + 1 == nwb_calibration_frames;
    }
  }
};

// The dimensions of the dataset at `path` in an open file.
inline std::vector<hsize_t> dataset_shape(hid_t file, const std::string& path) {
  const hid_t dataset = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  REQUIRE(dataset >= 0);
  const hid_t space = H5Dget_space(dataset);
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  H5Sclose(space);
  H5Dclose(dataset);
  return dims;
}

}  // namespace apical::test
