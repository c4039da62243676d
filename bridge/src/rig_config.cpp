#include "apical/bridge/rig_config.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "apical/bridge/frame_source.hpp"
#include "apical/bridge/reward_device.hpp"
#include "apical/bridge/stimulus_output.hpp"
#include "apical/io/bci_scenario.hpp"
#include "apical/io/format_header.hpp"
#include "apical/io/loop_section.hpp"
#include "apical/io/suggest.hpp"

namespace apical::bridge {
namespace {

namespace fs = std::filesystem;

std::string resolve(const std::string& folder, const std::string& path) {
  return fs::path(path).is_absolute() || folder.empty() ? path : (fs::path(folder) / path).string();
}

bool is_tiff(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".tif" || ext == ".tiff";
}

RoiSet read_rois(const JsonValue& value, const std::string& folder) {
  const std::string path = resolve(folder, value.as_name());
  if (!fs::exists(path)) value.fail("no ROI file '" + path + "'");
  if (!is_tiff(path)) return read_roi_json(path);
  try {
    return read_roi_label_tiff(path);
  } catch (const std::runtime_error& e) {
    value.fail(e.what());
  }
}

// "roles": {"P+": [names], "P-": [names]}; every other ROI is P0. With simulated neurons a list may be
// empty (the simulated ones fill the role).
std::vector<loop::Role> read_roles(const JsonValue& value, const RoiSet& rois, bool hybrid) {
  const JsonObject o(value, {"P+", "P-"});
  std::vector<std::string> names;
  for (const Roi& r : rois.rois) names.push_back(r.name);
  std::vector<loop::Role> roles(rois.rois.size(), loop::Role::zero);
  for (const auto& [key, role] : {std::pair{"P+", loop::Role::plus}, std::pair{"P-", loop::Role::minus}}) {
    for (const JsonValue& entry : o.required(key).as_array(hybrid ? 0 : 1)) {
      const std::string name = entry.as_name();
      const auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end()) entry.fail("no ROI named '" + name + "' in the ROI file" + suggestion_suffix(name, names));
      loop::Role& slot = roles[static_cast<std::size_t>(it - names.begin())];
      if (slot != loop::Role::zero) entry.fail("ROI '" + name + "' is already " + role_name(slot));
      slot = role;
    }
  }
  return roles;
}

ReferenceSpec read_reference(const JsonValue& value, const std::string& folder) {
  const JsonObject o(value, {"frames", "passes", "tiff"});
  ReferenceSpec spec;
  if (const auto tiff = o.optional("tiff")) {
    if (o.has("frames") || o.has("passes")) value.fail("give either \"tiff\" or \"frames\" (and \"passes\"), not both");
    spec.tiff = resolve(folder, tiff->as_name());
    if (!fs::exists(spec.tiff)) tiff->fail("no reference TIFF '" + spec.tiff + "'");
    return spec;
  }
  if (const auto frames = o.optional("frames")) spec.frames = static_cast<std::size_t>(frames->as_integer(1, 100000));
  if (const auto passes = o.optional("passes")) spec.passes = static_cast<int>(passes->as_integer(0, 20));
  return spec;
}

RegistrationParams read_registration(const JsonValue& value) {
  const JsonObject o(value, {"max_shift", "lowpass_sigma", "whitening", "taper", "fft_size", "sampling"});
  RegistrationParams p;
  if (const auto v = o.optional("max_shift")) p.max_shift_fraction = v->as_number(1e-6, 0.499);
  if (const auto v = o.optional("lowpass_sigma")) p.lowpass_sigma_px = v->as_number(0, 100);
  if (const auto v = o.optional("whitening")) p.whitening = v->as_number(0, 1);
  if (const auto v = o.optional("taper")) p.taper_fraction = v->as_number(0, 0.5);
  if (const auto v = o.optional("fft_size"))
    p.fft_size = v->as_choice({"pad", "crop"}) == "pad" ? RegistrationParams::FftSize::pad : RegistrationParams::FftSize::crop;
  if (const auto v = o.optional("sampling"))
    p.sampling = v->as_choice({"binned_2x2", "full"}) == "full" ? RegistrationParams::Sampling::full
                                                                : RegistrationParams::Sampling::binned_2x2;
  return p;
}

CalibrationSpec read_calibration(const JsonValue& value, const std::string& folder) {
  const JsonObject o(value, {"frames", "file"});
  CalibrationSpec spec;
  if (o.has("frames") == o.has("file"))
    value.fail("give exactly one of \"frames\" (a calibration block at the session's start) or \"file\" (the "
               "calibration.json of an earlier session)");
  if (const auto file = o.optional("file")) {
    spec.file = resolve(folder, file->as_name());
    if (!fs::exists(spec.file)) file->fail("no calibration file '" + spec.file + "'");
    spec.frames = 0;
  } else {
    spec.frames = static_cast<std::size_t>(o.required("frames").as_integer(1, 10000000));
  }
  return spec;
}

SimulatedSpec read_simulated(const JsonValue& value, const std::string& folder) {
  const JsonObject o(value, {"scenario", "mouse", "neurons"});
  SimulatedSpec s;
  const JsonValue scenario = o.required("scenario");
  s.scenario = resolve(folder, scenario.as_name());
  if (!fs::exists(s.scenario)) scenario.fail("no scenario '" + s.scenario + "'");
  s.spec = load_bci_scenario(s.scenario).spec;
  if (const auto mouse = o.optional("mouse")) s.mouse = static_cast<std::uint64_t>(mouse->as_integer(0, 1000000));
  const JsonValue neurons = o.required("neurons");
  const JsonObject counts(neurons, {"P+", "P-", "P0"});
  const bci::FieldOfViewSpec& fov = s.spec.field_of_view;
  const auto count = [&](const char* key, std::size_t available) -> std::size_t {
    const auto v = counts.optional(key);
    if (!v) return 0;
    const auto n = static_cast<std::size_t>(v->as_integer(0, 1000000));
    if (n > available)
      v->fail("the scenario's field of view has " + std::to_string(available) + " " + key + " neurons");
    return n;
  };
  s.plus = count("P+", fov.n_plus);
  s.minus = count("P-", fov.n_minus);
  s.zero = count("P0", fov.n_zero);
  if (s.plus + s.minus + s.zero == 0) neurons.fail("give at least one simulated neuron");
  return s;
}

// "distal": {"rois": FILE, "pairs": {distal ROI: proximal ROI, ...}, "reference": {...}}. Every distal
// ROI names its proximal partner (an unknown or missing distal name is a key error with the nearest
// name suggested); no proximal ROI is named twice.
DistalPlaneSpec read_distal(const JsonValue& value, const std::string& folder, const RoiSet& proximal) {
  const JsonObject o(value, {"rois", "pairs", "reference"});
  DistalPlaneSpec spec;
  const JsonValue rois = o.required("rois");
  spec.rois = read_rois(rois, folder);
  if (spec.rois.rois.empty()) rois.fail("the distal ROI file holds no ROI");
  if (spec.rois.width != proximal.width || spec.rois.height != proximal.height)
    rois.fail("the distal ROIs were drawn on " + std::to_string(spec.rois.width) + "x" +
              std::to_string(spec.rois.height) + " frames, the proximal ROIs (\"rois\") on " +
              std::to_string(proximal.width) + "x" + std::to_string(proximal.height) +
              ": both planes come from the same source");
  std::vector<std::string> distal_names, proximal_names;
  for (const Roi& r : spec.rois.rois) distal_names.push_back(r.name);
  for (const Roi& r : proximal.rois) proximal_names.push_back(r.name);
  const JsonObject pairs(o.required("pairs"), distal_names);
  std::vector<std::string> named_by(proximal_names.size());
  for (const std::string& distal : distal_names) {
    const JsonValue entry = pairs.required(distal);
    const std::string name = entry.as_name();
    const auto it = std::find(proximal_names.begin(), proximal_names.end(), name);
    if (it == proximal_names.end())
      entry.fail("no proximal ROI named '" + name + "' in the ROI file" + suggestion_suffix(name, proximal_names));
    const auto index = static_cast<std::size_t>(it - proximal_names.begin());
    if (!named_by[index].empty())
      entry.fail("proximal ROI '" + name + "' is already the partner of distal ROI '" + named_by[index] + "'");
    named_by[index] = distal;
    spec.partner.push_back(index);
  }
  if (const auto reference = o.optional("reference")) spec.reference = read_reference(*reference, folder);
  return spec;
}

// A two-plane rig reads every frame and tells the planes apart itself (rig_session.hpp): a tcp-framed
// source keeps all planes (its "all_planes", which the rig sets unless the file says otherwise), and a
// CLOOSE raw source must not keep one plane of several ("planes" above 1).
void keep_every_plane(nlohmann::json& source) {
  if (source.is_object() && source.value("type", std::string()) == "tcp-framed" && !source.contains("all_planes"))
    source["all_planes"] = true;
}

void require_every_plane_received(const JsonValue& source) {
  const nlohmann::json& raw = source.raw();
  const std::string type = raw.is_object() ? raw.value("type", std::string()) : "";
  const char* why = "a rig file with a \"distal\" plane reads both planes from this source";
  if (type == "tcp-raw-cloose" && raw.contains("planes") && raw["planes"] != 1)
    source.member("planes").fail(std::string(why) + ": leave \"planes\" at 1 (frames alternate proximal, distal from the first)");
  if (type == "tcp-framed" && raw.contains("plane"))
    source.member("plane").fail(std::string(why) + ": remove \"plane\" (the APF/1 header's plane says which each frame is)");
  if (type == "tcp-framed" && raw.contains("all_planes") && raw["all_planes"] != true)
    source.member("all_planes").fail(std::string(why) + ": remove \"all_planes\" or set it to true");
}

void require_both_roles(const JsonValue& roles, const RigConfig& config) {
  const auto has = [&](loop::Role role, std::size_t simulated) {
    return simulated > 0 || std::find(config.roles.begin(), config.roles.end(), role) != config.roles.end();
  };
  const SimulatedSpec none;
  const SimulatedSpec& sim = config.simulated ? *config.simulated : none;
  if (!has(loop::Role::plus, sim.plus)) roles.fail("the decoder needs at least one P+ neuron, imaged or simulated");
  if (!has(loop::Role::minus, sim.minus)) roles.fail("the decoder needs at least one P- neuron, imaged or simulated");
}

void read_session(const JsonValue& value, RigConfig& config) {
  const JsonObject o(value, {"reward_volume_uL", "duration", "frame_rate"});
  config.reward_volume_uL = o.required("reward_volume_uL").as_number(0.001, 1000);
  if (const auto rate = o.optional("frame_rate")) config.frame_rate_hz = rate->as_quantity("Hz", 0.1, 1000);
  if (const auto duration = o.optional("duration")) {
    const double frames = std::round(duration->as_quantity("s", 0, 1e7) * config.frame_rate_hz);
    if (frames < 1) duration->fail("the task must last at least one frame");
    config.task_frames = static_cast<std::size_t>(frames);
  }
}

// "opto": {"schedule": "blocks", "block_s": 60, "led_us": 6000, "gate_us": 7000}
OptoPlan read_opto(const JsonValue& value, bool has_reward_device) {
  const JsonObject o(value, {"schedule", "led_us", "gate_us", "block_s"});
  OptoPlan plan;
  const JsonValue schedule = o.required("schedule");
  const std::string name = schedule.as_choice({"off", "every_frame", "blocks"});
  plan.schedule = name == "every_frame" ? OptoPlan::Schedule::every_frame
                  : name == "blocks"    ? OptoPlan::Schedule::blocks
                                        : OptoPlan::Schedule::off;
  if (plan.schedule != OptoPlan::Schedule::off && !has_reward_device)
    schedule.fail("the opto light needs a reward device that drives the LED (\"reward\": {\"type\": \"riglink1\", ...})");
  // The firmware's bounds (rig.md §3): at most 100 ms, and a PMT gate that covers the LED pulse.
  if (const auto led = o.optional("led_us")) plan.pulses.led_us = static_cast<std::uint32_t>(led->as_integer(1, 100000));
  if (const auto gate = o.optional("gate_us")) {
    plan.pulses.gate_us = static_cast<std::uint32_t>(gate->as_integer(1, 100000));
    if (plan.pulses.gate_us < plan.pulses.led_us)
      gate->fail("the PMT gate (" + std::to_string(plan.pulses.gate_us) + " us) must cover the LED pulse (" +
                 std::to_string(plan.pulses.led_us) + " us)");
  } else if (plan.pulses.gate_us < plan.pulses.led_us) {
    value.fail("led_us " + std::to_string(plan.pulses.led_us) + " is longer than the default PMT gate of " +
               std::to_string(plan.pulses.gate_us) + " us: give gate_us");
  }
  const auto block = o.optional("block_s");
  if (plan.schedule == OptoPlan::Schedule::blocks) {
    if (!block) value.fail("the blocks schedule needs \"block_s\", the length of each dark and lit block in seconds");
    plan.block_s = block->as_number(0.1, 1e6);
  } else if (block) {
    block->fail("\"block_s\" applies to the blocks schedule only, not '" + name + "'");
  }
  return plan;
}

// A relative TIFF replay "path" is relative to the rig file, like every other path in it.
void resolve_source_path(nlohmann::json& source, const std::string& folder) {
  if (source.is_object() && source.contains("path") && source["path"].is_string())
    source["path"] = resolve(folder, source["path"].get<std::string>());
}

}  // namespace

const char* role_name(loop::Role role) {
  switch (role) {
    case loop::Role::plus: return "P+";
    case loop::Role::minus: return "P-";
    case loop::Role::zero: return "P0";
  }
  return "?";
}

RigConfig read_rig_config(const nlohmann::json& document, const std::string& file_label, const std::string& folder) {
  RigConfig config;
  config.file = file_label;
  config.folder = folder;
  config.document = document;
  if (config.document.is_object() && config.document.contains("source")) {
    resolve_source_path(config.document["source"], folder);
    if (config.document.contains("distal")) keep_every_plane(config.document["source"]);
  }

  const JsonValue root(config.document, file_label);
  const JsonObject top(root, {"format", "format_version", "name", "description", "source", "rois", "roles", "reference",
                              "registration", "calibration", "loop", "reward", "stimulus", "simulated", "distal",
                              "session", "opto"});
  check_format(top, "apical-rig", rig_format_version);
  config.name = top.required("name").as_name();
  if (const auto d = top.optional("description")) config.description = d->as_string();

  builtin_frame_sources().check(top.required("source"));
  if (const auto reward = top.optional("reward")) builtin_reward_devices().check(*reward);
  if (const auto stimulus = top.optional("stimulus")) builtin_stimulus_outputs().check(*stimulus);

  const JsonValue rois = top.required("rois");
  config.rois = read_rois(rois, folder);
  if (config.rois.rois.empty()) rois.fail("the ROI file holds no ROI");
  if (const auto simulated = top.optional("simulated")) config.simulated = read_simulated(*simulated, folder);
  const JsonValue roles = top.required("roles");
  config.roles = read_roles(roles, config.rois, config.simulated.has_value());
  require_both_roles(roles, config);
  if (const auto reference = top.optional("reference")) config.reference = read_reference(*reference, folder);
  if (const auto distal = top.optional("distal")) {
    config.distal = read_distal(*distal, folder, config.rois);
    require_every_plane_received(top.required("source"));
    // Without its own "reference", the distal plane averages as many of its frames as the proximal one
    // (a proximal reference TIFF does not show the distal plane, so then the default count).
    if (!distal->raw().contains("reference") && config.reference.tiff.empty())
      config.distal->reference = config.reference;
  }
  if (const auto registration = top.optional("registration")) config.registration = read_registration(*registration);
  config.calibration = read_calibration(top.required("calibration"), folder);
  if (const auto loop = top.optional("loop")) config.loop = read_loop_section(*loop);
  read_session(top.required("session"), config);
  if (const auto opto = top.optional("opto")) config.opto = read_opto(*opto, config.has_reward_device());
  return config;
}

RigConfig load_rig_config(const std::string& path) {
  return read_rig_config(read_json_file(path), path, fs::path(path).parent_path().string());
}

}  // namespace apical::bridge
