#pragma once
// A rig session's configuration ("format": "apical-rig", docs/rig-sessions.md): where frames come from,
// the ROIs and their roles, the registration reference, the decoder's calibration, the closed loop
// (the same "loop" section as a bci_cohort scenario), the reward device, the stimulus output and the
// opto light's schedule.
// Everything is read and checked before the session starts — source, device and stimulus settings
// against their registries, without opening anything — so a typo never costs recorded data.
// Relative paths are relative to the rig file's folder.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "apical/bridge/phase_correlation.hpp"
#include "apical/bridge/reward_device.hpp"
#include "apical/bridge/rois.hpp"
#include "apical/engine/loop/population.hpp"
#include "apical/models/bci/experiment_spec.hpp"

namespace apical::bridge {

inline constexpr long long rig_format_version = 1;

struct ReferenceSpec {
  std::size_t frames = 300;  // mean of the session's first frames, re-aligned (rig.md §7) ...
  int passes = 2;
  std::string tiff;          // ... or the mean of this TIFF's pages when given
};

struct CalibrationSpec {
  std::size_t frames = 9000;  // spontaneous block before the task: 10 min at 15 Hz (experiment.md §2) ...
  std::string file;           // ... or the calibration.json an earlier session wrote (θ frozen across days)
};

// The distal apical trunk plane (experiment.md §3): an ETL alternates it with the decoder's (proximal)
// plane, frame by frame, 15 Hz per plane. Its ROIs get their own registration reference and F0; each
// names the proximal ROI of the same cell. It is recorded, never decoded: the decoder and the task see
// the proximal plane only (docs/rig-sessions.md, "Two planes").
struct DistalPlaneSpec {
  RoiSet rois;                       // drawn on frames of the proximal ROIs' size
  std::vector<std::size_t> partner;  // per distal ROI: its proximal ROI, an index into RigConfig::rois
  ReferenceSpec reference;           // default: as many distal frames as the proximal reference takes
};

// Hybrid sessions: simulated neurons of one virtual mouse (bci::LiveMouse) in slots of the decoder
// beside the imaged ROIs, chosen by role among the mouse's own P+, P− and P0 (in index order).
struct SimulatedSpec {
  std::string scenario;       // the bci_cohort scenario the mouse comes from
  bci::ExperimentSpec spec;
  std::uint64_t mouse = 0;
  std::size_t plus = 0, minus = 0, zero = 0;  // slots per role
};

// Rig-side opto (docs/rig-sessions.md): the frame-locked LED that the reward device drives during the
// task, switched by the session on a schedule. What the animal got is what the device confirms (its
// OPT events), recorded per frame, per trial and as epochs.
struct OptoPlan {
  enum class Schedule { off, every_frame, blocks };
  Schedule schedule = Schedule::off;
  OptoPulses pulses;   // LED and PMT-gate µs per frame-clock edge (rig.md §3: 6,000 and 7,000)
  double block_s = 0;  // blocks: each block's length; the task starts with a dark block, then alternates
};

struct RigConfig {
  std::string file;             // the rig JSON, for messages
  std::string folder;           // its folder: the base of relative paths
  nlohmann::json document;      // source, reward and stimulus are made from it when the session starts
  std::string name;
  std::string description;
  RoiSet rois;
  std::vector<loop::Role> roles;  // per ROI, in the ROI set's order
  std::optional<SimulatedSpec> simulated;
  std::optional<DistalPlaneSpec> distal;  // none: a single-plane session
  ReferenceSpec reference;
  RegistrationParams registration;
  CalibrationSpec calibration;
  bci::LoopSpec loop;
  double reward_volume_uL = 0;
  std::optional<std::size_t> task_frames;  // stop after this many task frames; none: at the source's end or Ctrl-C
  double frame_rate_hz = 15.0;
  OptoPlan opto;

  [[nodiscard]] bool has_reward_device() const { return document.contains("reward"); }
  [[nodiscard]] bool has_stimulus_output() const { return document.contains("stimulus"); }
};

// Reads and checks a rig file; every problem is an InputError naming the file and JSON path.
RigConfig load_rig_config(const std::string& path);
RigConfig read_rig_config(const nlohmann::json& document, const std::string& file_label, const std::string& folder);

// The role names as written in the rig file and recorded: "P+", "P-", "P0".
const char* role_name(loop::Role role);

}  // namespace apical::bridge
