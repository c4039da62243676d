#pragma once
// What a rig session's NWB file (docs/nwb.md) knows from its start: who and when, the protocol, the
// devices, the imaging planes and the ROI table. Plain data; SessionWriter checks it and writes it once.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace apical::nwb {

struct Device {
  std::string name;  // HDF5 name under /general/devices, e.g. "Microscope"; [A-Za-z0-9_-]+
  std::string description;
  std::string manufacturer;  // may be empty
};

struct ImagingPlane {
  std::string name;  // e.g. "proximal"; objects are named ImagingPlane_<name>, ...; [A-Za-z0-9_-]+
  std::string description;
  std::string indicator = "GCaMP7f";
  std::string location = "RSC L5";
  double excitation_lambda_nm = 920;  // two-photon excitation
  double emission_lambda_nm = 525;    // the green channel
  std::string device = "Microscope";  // the name of one of SessionInfo::devices
};

// One pixel of an ROI's weighted mask on the registration reference (0-based; x along a line).
struct RoiPixel {
  std::uint32_t x = 0, y = 0;
  float weight = 1.0f;
};

// Written as "P+", "P-", "P0" (ASCII minus, the glossary's spelling).
enum class Population : std::uint8_t { plus, minus, zero };
// "imaged": an ROI of the microscope's frames; "simulated": a neuron of the engine in a hybrid session
// (its pixel mask may be empty).
enum class RoiSource : std::uint8_t { imaged, simulated };

struct Roi {
  std::string name;       // e.g. "n0"
  std::size_t plane = 0;  // index into SessionInfo::planes
  Population population = Population::zero;
  RoiSource source = RoiSource::imaged;
  std::vector<RoiPixel> pixel_mask;
  // The same cell's ROI in another plane (an index into SessionInfo::rois), e.g. a distal trunk's
  // proximal trunk. Either every ROI of a plane names a partner, all in one other plane, or none does;
  // the plane's table then has the columns paired_roi and pair_r (docs/nwb.md).
  std::optional<std::size_t> paired_roi;
};

// experiment.md §4 [P]: a proximal and a distal ROI count as one cell's soma and dendrite when the
// Pearson r of their ΔF/F over the session is at least this.
inline constexpr double pairing_r_min = 0.6;

struct SessionInfo {
  std::string identifier;  // globally unique, e.g. a UUID
  std::string session_description;
  std::string session_start_time;  // ISO 8601 with a time zone, e.g. "2026-03-02T10:15:30.125+01:00"; time 0
  std::string protocol_json;       // scenario, decoder and calibration (θ, lo, μ_cal, σ_cal) as JSON text
  double imaging_rate_hz = 15;     // frames per second of the closed loop
  std::vector<Device> devices;
  std::vector<ImagingPlane> planes;  // at least one; each holds at least one ROI
  std::vector<Roi> rois;             // in the order of the per-frame F, ΔF/F and F0 vectors
};

const char* population_name(Population population);  // "P+", "P-", "P0"
const char* source_name(RoiSource source);           // "imaged", "simulated"

}  // namespace apical::nwb
