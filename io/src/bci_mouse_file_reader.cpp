// Reads mice/mNN.h5 (layout in apical/io/bci_mouse_file.hpp). Every inconsistency is an InputError
// naming the file and the HDF5 path; nothing is trusted that a short or foreign file could break.
#include <algorithm>
#include <limits>
#include <tuple>

#include "apical/io/bci_mouse_file.hpp"
#include "apical/io/input_error.hpp"
#include "h5_util.hpp"

namespace apical {

struct MouseFileReader::State {
  std::string path;
  std::int64_t version = 0;
  std::unique_ptr<h5::Reader> reader;
};

namespace {

using h5::Handle;

template <class Enum>
std::vector<Enum> to_enum(const h5::Reader& r, const std::string& path, const std::vector<std::uint8_t>& codes,
                          int count) {
  std::vector<Enum> out;
  out.reserve(codes.size());
  for (std::uint8_t c : codes) {
    if (c >= count) r.fail(path, "invalid code " + std::to_string(c));
    out.push_back(static_cast<Enum>(c));
  }
  return out;
}

// Version 1 files predate the baseline chance: it reads as NaN there.
double chance_baseline(const h5::Reader& r, hid_t object, const std::string& path, std::int64_t version) {
  return version >= 2 ? r.number(object, path, "chance_baseline") : std::numeric_limits<double>::quiet_NaN();
}

struct CalibrationBlock {
  loop::Calibration calibration;
  double chance_baseline = 0;
};

CalibrationBlock read_calibration(const h5::Reader& r, hid_t parent, const std::string& parent_path,
                                  const std::string& name, std::int64_t version) {
  const std::string path = parent_path + "/" + name;
  const Handle g = r.group(parent, parent_path, name);
  CalibrationBlock block;
  block.chance_baseline = chance_baseline(r, g.id(), path, version);
  loop::Calibration& c = block.calibration;
  c.theta = r.number(g.id(), path, "theta");
  c.mu = r.number(g.id(), path, "mu");
  c.sigma = r.number(g.id(), path, "sigma");
  c.lo = r.number(g.id(), path, "lo");
  c.pseudo_hit_fraction = r.number(g.id(), path, "pseudo_hit_fraction");
  c.roi_mean = r.dataset<double>(g.id(), path, "roi_mean");
  c.roi_sd = r.dataset<double>(g.id(), path, "roi_sd");
  return block;
}

std::size_t as_size(const h5::Reader& r, const std::string& path, const std::string& name, std::int64_t v) {
  if (v < 0) r.fail(path, "attribute '" + name + "' is negative");
  return static_cast<std::size_t>(v);
}

// Splits an [N × frames] dataset into the neurons' vectors; absent datasets leave them empty.
void read_plane(const h5::Reader& r, hid_t g, const std::string& path, const char* name, std::size_t frames,
                std::vector<bci::NeuronTrace>& neurons, std::vector<double> bci::NeuronTrace::*field, bool required) {
  if (!required && !r.exists(g, name)) return;
  const std::vector<double> all = r.dataset<double>(g, path, name, neurons.size() * frames);
  for (std::size_t i = 0; i < neurons.size(); ++i)
    (neurons[i].*field).assign(all.begin() + static_cast<std::ptrdiff_t>(i * frames),
                               all.begin() + static_cast<std::ptrdiff_t>((i + 1) * frames));
}

}  // namespace

MouseFileReader::MouseFileReader(const std::string& path) : state_(std::make_unique<State>()) {
  const std::lock_guard<std::mutex> lock(h5::library_mutex());
  // A local until checked: on failure it closes the file while the lock is still held.
  auto reader = std::make_unique<h5::Reader>(path);
  const h5::Reader& r = *reader;
  if (!r.has_attribute(r.root(), "format") || r.text(r.root(), "/", "format") != bci_mouse_format)
    r.fail("/", std::string("not an apical mouse file (expected attribute format = \"") + bci_mouse_format + "\")");
  const std::int64_t version = r.integer(r.root(), "/", "format_version");
  if (version < 1 || version > bci_mouse_format_version)
    r.fail("/", "format_version " + std::to_string(version) + " is not supported (this apical reads versions 1 to " +
                    std::to_string(bci_mouse_format_version) + ")");
  state_->path = path;
  state_->version = version;
  state_->reader = std::move(reader);
}

MouseFileReader::~MouseFileReader() {
  const std::lock_guard<std::mutex> lock(h5::library_mutex());
  state_.reset();
}

const std::string& MouseFileReader::path() const { return state_->path; }

std::string MouseFileReader::scenario() const {
  const std::lock_guard<std::mutex> lock(h5::library_mutex());
  const h5::Reader& r = *state_->reader;
  return r.text(r.root(), "/", "scenario");
}

bci::MouseSetup MouseFileReader::setup() const {
  const std::lock_guard<std::mutex> lock(h5::library_mutex());
  const h5::Reader& r = *state_->reader;
  const std::string path = "/setup";
  const Handle g = r.group(r.root(), "", "setup");
  const hid_t id = g.id();
  bci::MouseSetup s;
  s.mouse_id = r.text(id, path, "mouse_id");
  s.mouse = r.unsigned_integer(id, path, "mouse");
  s.seed = r.unsigned_integer(id, path, "seed");
  s.inputs = as_size(r, path, "inputs", r.integer(id, path, "inputs"));
  s.baseline_corr_plus_minus = r.number(id, path, "baseline_corr_plus_minus");
  s.stabilisers = r.text(id, path, "stabilisers");
  s.roles = to_enum<loop::Role>(r, path + "/roles", r.dataset<std::uint8_t>(id, path, "roles"), 3);
  const std::size_t n = s.roles.size();
  s.calibration_transient_rate_per_min = r.dataset<double>(id, path, "calibration_transient_rate_per_min", n);
  s.initial_weights = r.dataset<double>(id, path, "initial_weights");
  s.connected = r.dataset<std::uint8_t>(id, path, "connected");
  const CalibrationBlock day_one = read_calibration(r, id, path, "calibration", state_->version);
  s.calibration = day_one.calibration;
  s.chance_baseline = day_one.chance_baseline;
  if (r.exists(id, "recalibrations")) {
    const Handle rc = r.group(id, path, "recalibrations");
    for (const std::string& day : r.children(rc.id(), path + "/recalibrations")) {
      const CalibrationBlock b = read_calibration(r, rc.id(), path + "/recalibrations", day, state_->version);
      s.recalibrations.push_back(b.calibration);
      s.recalibration_chance_baseline.push_back(b.chance_baseline);
    }
  }
  s.fi_current_pA = r.dataset<double>(id, path, "fi_current_pA");
  s.fi_rate_hz = r.dataset<double>(id, path, "fi_rate_hz", s.fi_current_pA.size());
  s.calibration_soma_dff = r.dataset<double>(id, path, "calibration_soma_dff");
  return s;
}

std::vector<std::string> MouseFileReader::sessions() const {
  const std::lock_guard<std::mutex> lock(h5::library_mutex());
  const h5::Reader& r = *state_->reader;
  const Handle g = r.group(r.root(), "", "sessions");
  std::vector<std::tuple<std::int64_t, std::int64_t, std::string>> found;
  for (const std::string& name : r.children(g.id(), "/sessions")) {
    const std::string path = "/sessions/" + name;
    const Handle s = r.group(g.id(), "/sessions", name);
    if (!r.has_attribute(s.id(), "complete")) continue;
    found.emplace_back(r.integer(s.id(), path, "day"), r.integer(s.id(), path, "session"), name);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> names;
  for (auto& f : found) names.push_back(std::move(std::get<2>(f)));
  return names;
}

bci::SessionRecord MouseFileReader::session(const std::string& group) const {
  const std::lock_guard<std::mutex> lock(h5::library_mutex());
  const h5::Reader& r = *state_->reader;
  const Handle sessions = r.group(r.root(), "", "sessions");
  const std::string path = "/sessions/" + group;
  const Handle g = r.group(sessions.id(), "/sessions", group);
  const hid_t id = g.id();
  bci::SessionRecord s;
  s.mouse_id = r.text(r.root(), "/", "mouse_id");
  s.day = static_cast<std::int32_t>(r.integer(id, path, "day"));
  s.session = static_cast<std::int32_t>(r.integer(id, path, "session"));
  const std::size_t frames = as_size(r, path, "frames", r.integer(id, path, "frames"));
  s.frame_rate_hz = r.number(id, path, "frame_rate_hz");
  s.hits = as_size(r, path, "hits", r.integer(id, path, "hits"));
  s.misses = as_size(r, path, "misses", r.integer(id, path, "misses"));
  s.accuracy = r.number(id, path, "accuracy");
  s.rewards_per_min = r.number(id, path, "rewards_per_min");
  s.chance = r.number(id, path, "chance");
  s.chance_baseline = chance_baseline(r, id, path, state_->version);
  s.reward_baseline = r.number(id, path, "reward_baseline");

  const std::vector<std::int32_t> ids = r.dataset<std::int32_t>(id, path, "neuron_id");
  const std::size_t n = ids.size();
  const std::vector<loop::Role> roles =
      to_enum<loop::Role>(r, path + "/neuron_role", r.dataset<std::uint8_t>(id, path, "neuron_role", n), 3);
  const std::vector<double> rate = r.dataset<double>(id, path, "rate_hz", n);
  const std::vector<double> event_rate = r.dataset<double>(id, path, "event_rate_hz", n);
  const std::vector<double> burst_rate = r.dataset<double>(id, path, "burst_rate_hz", n);
  s.neurons.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    s.neurons[i] = {ids[i], roles[i], {}, {}, {}, {}, rate[i], event_rate[i], burst_rate[i]};
  read_plane(r, id, path, "soma_dff", frames, s.neurons, &bci::NeuronTrace::soma_dff, true);
  read_plane(r, id, path, "dendrite_dff", frames, s.neurons, &bci::NeuronTrace::dendrite_dff, false);
  read_plane(r, id, path, "soma_f", frames, s.neurons, &bci::NeuronTrace::soma_f, false);
  read_plane(r, id, path, "dendrite_f", frames, s.neurons, &bci::NeuronTrace::dendrite_f, false);

  s.decoder_z = r.dataset<double>(id, path, "decoder_z", frames);
  s.error = r.dataset<double>(id, path, "error", frames);
  s.angle_deg = r.dataset<double>(id, path, "angle_deg", frames);
  s.state = to_enum<loop::TaskState>(r, path + "/state", r.dataset<std::uint8_t>(id, path, "state", frames), 6);
  s.flags = r.dataset<std::uint8_t>(id, path, "flags", frames);
  s.opto = r.dataset<std::uint8_t>(id, path, "opto", frames);
  s.teaching = r.dataset<double>(id, path, "teaching", frames);
  s.reward_prediction_error = r.dataset<double>(id, path, "reward_prediction_error", frames);

  std::vector<hsize_t> dims;
  const std::vector<std::int64_t> trials = r.dataset<std::int64_t>(id, path, "trials", &dims);
  if (dims.size() != 2 || dims[1] != 6) r.fail(path + "/trials", "expected a [trials × 6] table");
  for (std::size_t t = 0; t < dims[0]; ++t) {
    const std::int64_t* row = trials.data() + 6 * t;
    if (row[5] < 0 || row[5] > 2) r.fail(path + "/trials", "invalid outcome code " + std::to_string(row[5]));
    s.trials.push_back({row[0], row[1], row[2], row[3], row[4], static_cast<bci::TrialOutcome>(row[5])});
  }
  s.weights = r.dataset<double>(id, path, "weights");
  s.feedback = r.dataset<double>(id, path, "feedback", n);
  return s;
}

}  // namespace apical
