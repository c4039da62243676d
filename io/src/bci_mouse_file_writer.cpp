// Writes mice/mNN.h5 (layout in apical/io/bci_mouse_file.hpp).
#include <cstdio>
#include <stdexcept>

#include "apical/io/bci_mouse_file.hpp"
#include "apical/io/version.hpp"
#include "h5_util.hpp"

namespace apical {
namespace {

using h5::Handle;

// [rows × (size / rows)]; an empty matrix is [rows × 0] (or [0 × 0]).
std::vector<hsize_t> matrix_shape(std::size_t rows, std::size_t size, const std::string& what) {
  if (rows == 0) {
    if (size != 0) throw std::logic_error(what + ": values without rows");
    return {0, 0};
  }
  if (size % rows != 0) throw std::logic_error(what + ": " + std::to_string(size) + " values for " +
                                               std::to_string(rows) + " rows");
  return {rows, size / rows};
}

void write_calibration(const h5::Writer& w, hid_t parent, const std::string& name, const loop::Calibration& c,
                       double chance_baseline) {
  const Handle g = w.create_group(parent, name);
  w.number(g.id(), "chance_baseline", chance_baseline);
  w.number(g.id(), "theta", c.theta);
  w.number(g.id(), "mu", c.mu);
  w.number(g.id(), "sigma", c.sigma);
  w.number(g.id(), "lo", c.lo);
  w.number(g.id(), "pseudo_hit_fraction", c.pseudo_hit_fraction);
  w.vector(g.id(), "roi_mean", c.roi_mean, "dF/F");
  w.vector(g.id(), "roi_sd", c.roi_sd, "dF/F");
}

template <class T, class E>
std::vector<T> cast_all(const std::vector<E>& values) {
  std::vector<T> out;
  out.reserve(values.size());
  for (E v : values) out.push_back(static_cast<T>(v));
  return out;
}

void write_recalibrations(const h5::Writer& w, hid_t file, const bci::MouseSetup& setup) {
  if (setup.recalibrations.empty()) return;
  const Handle s(H5Gopen2(file, "setup", H5P_DEFAULT), H5Gclose);
  w.check(s.valid() ? 0 : -1, "group /setup");
  const bool have_group = H5Lexists(s.id(), "recalibrations", H5P_DEFAULT) > 0;
  const Handle g = have_group ? Handle(H5Gopen2(s.id(), "recalibrations", H5P_DEFAULT), H5Gclose)
                              : w.create_group(s.id(), "recalibrations");
  w.check(g.valid() ? 0 : -1, "group /setup/recalibrations");
  for (std::size_t i = 0; i < setup.recalibrations.size(); ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "day%02d", static_cast<int>(i + 2));  // daily policy: day 2 onwards
    if (H5Lexists(g.id(), name, H5P_DEFAULT) <= 0)
      write_calibration(w, g.id(), name, setup.recalibrations[i], setup.recalibration_chance_baseline.at(i));
  }
}

// The per-neuron traces of one kind as one [N × frames] matrix; false if no neuron has them.
bool gather(const bci::SessionRecord& r, std::vector<double> bci::NeuronTrace::*field, std::vector<double>& out) {
  out.clear();
  bool any = false;
  for (const bci::NeuronTrace& n : r.neurons) any = any || !(n.*field).empty();
  if (!any) return false;
  out.reserve(r.neurons.size() * r.frames());
  for (const bci::NeuronTrace& n : r.neurons) {
    if ((n.*field).size() != r.frames())
      throw std::logic_error("SessionRecord: neuron " + std::to_string(n.id) + " has " +
                             std::to_string((n.*field).size()) + " samples for " + std::to_string(r.frames()) +
                             " frames");
    out.insert(out.end(), (n.*field).begin(), (n.*field).end());
  }
  return true;
}

void write_session(const h5::Writer& w, hid_t sessions, const bci::SessionRecord& r) {
  const Handle g = w.create_group(sessions, session_group_name(r.day, r.session));
  const hid_t id = g.id();
  const std::size_t n = r.neurons.size();
  w.integer(id, "day", r.day);
  w.integer(id, "session", r.session);
  w.integer(id, "frames", static_cast<std::int64_t>(r.frames()));
  w.number(id, "frame_rate_hz", r.frame_rate_hz);
  w.integer(id, "hits", static_cast<std::int64_t>(r.hits));
  w.integer(id, "misses", static_cast<std::int64_t>(r.misses));
  w.number(id, "accuracy", r.accuracy);
  w.number(id, "rewards_per_min", r.rewards_per_min);
  w.number(id, "chance", r.chance);
  w.number(id, "chance_baseline", r.chance_baseline);
  w.number(id, "reward_baseline", r.reward_baseline);

  std::vector<double> traces;
  const std::vector<hsize_t> shape{n, r.frames()};
  struct Plane {
    const char* name;
    std::vector<double> bci::NeuronTrace::*field;
    const char* units;
  };
  const Plane planes[] = {{"soma_dff", &bci::NeuronTrace::soma_dff, "dF/F"},
                          {"dendrite_dff", &bci::NeuronTrace::dendrite_dff, "dF/F"},
                          {"soma_f", &bci::NeuronTrace::soma_f, "a.u."},
                          {"dendrite_f", &bci::NeuronTrace::dendrite_f, "a.u."}};
  for (const Plane& p : planes)
    if (gather(r, p.field, traces)) w.float_traces(id, p.name, traces, shape, p.units);
  if (r.frames() == 0 || n == 0) w.dataset(id, "soma_dff", std::vector<double>{}, {n, 0}, "dF/F");  // nothing to gather
  w.vector(id, "decoder_z", r.decoder_z, "z");
  w.vector(id, "error", r.error, "z");
  w.vector(id, "angle_deg", r.angle_deg, "deg");
  w.vector(id, "state", cast_all<std::uint8_t>(r.state), "");
  w.vector(id, "flags", r.flags, "");
  w.vector(id, "opto", r.opto, "");
  w.vector(id, "teaching", r.teaching, "1");
  w.vector(id, "reward_prediction_error", r.reward_prediction_error, "1");

  std::vector<std::int32_t> ids;
  std::vector<std::uint8_t> roles;
  std::vector<double> rate, event_rate, burst_rate;
  for (const bci::NeuronTrace& t : r.neurons) {
    ids.push_back(t.id);
    roles.push_back(static_cast<std::uint8_t>(t.role));
    rate.push_back(t.rate_hz);
    event_rate.push_back(t.event_rate_hz);
    burst_rate.push_back(t.burst_rate_hz);
  }
  w.vector(id, "neuron_id", ids, "");
  w.vector(id, "neuron_role", roles, "");
  w.vector(id, "rate_hz", rate, "Hz");
  w.vector(id, "event_rate_hz", event_rate, "Hz");
  w.vector(id, "burst_rate_hz", burst_rate, "Hz");

  std::vector<std::int64_t> trials;
  trials.reserve(r.trials.size() * 6);
  for (const bci::TrialRow& t : r.trials)
    trials.insert(trials.end(), {t.start_frame, t.end_frame, t.hit_frame, t.reward_frame, t.last_frame,
                                 static_cast<std::int64_t>(t.outcome)});
  w.dataset(id, "trials", trials, {r.trials.size(), 6}, "frame");
  w.text(id, "trial_columns", "start_frame,end_frame,hit_frame,reward_frame,last_frame,outcome");

  w.dataset(id, "weights", r.weights, matrix_shape(n, r.weights.size(), "weights"), "pA/Hz");
  w.vector(id, "feedback", r.feedback, "1");
  w.integer(id, "complete", 1);  // last: a group without it was cut off
}

}  // namespace

std::string session_group_name(int day, int session) {
  char name[32];
  std::snprintf(name, sizeof name, "day%02d_s%d", day, session);
  return name;
}

void create_mouse_file(const std::string& path, const std::string& scenario, const bci::MouseSetup& setup) {
  const std::lock_guard<std::mutex> lock(h5::library_mutex());
  h5::silence_errors();
  const h5::Writer w(path);
  const Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) throw std::runtime_error("HDF5: cannot create " + path);
  w.text(file.id(), "format", bci_mouse_format);
  w.integer(file.id(), "format_version", bci_mouse_format_version);
  w.text(file.id(), "apical_version", apical_version());
  w.text(file.id(), "scenario", scenario);
  w.text(file.id(), "mouse_id", setup.mouse_id);

  const Handle s = w.create_group(file.id(), "setup");
  const std::size_t n = setup.roles.size();
  w.text(s.id(), "mouse_id", setup.mouse_id);
  w.unsigned_integer(s.id(), "mouse", setup.mouse);
  w.unsigned_integer(s.id(), "seed", setup.seed);
  w.integer(s.id(), "inputs", static_cast<std::int64_t>(setup.inputs));
  w.number(s.id(), "baseline_corr_plus_minus", setup.baseline_corr_plus_minus);
  w.text(s.id(), "stabilisers", setup.stabilisers);
  w.vector(s.id(), "roles", cast_all<std::uint8_t>(setup.roles), "");
  w.vector(s.id(), "calibration_transient_rate_per_min", setup.calibration_transient_rate_per_min, "1/min");
  w.dataset(s.id(), "initial_weights", setup.initial_weights,
            matrix_shape(n, setup.initial_weights.size(), "initial_weights"), "pA/Hz");
  w.dataset(s.id(), "connected", setup.connected, matrix_shape(n, setup.connected.size(), "connected"), "");
  write_calibration(w, s.id(), "calibration", setup.calibration, setup.chance_baseline);
  w.vector(s.id(), "fi_current_pA", setup.fi_current_pA, "pA");
  w.vector(s.id(), "fi_rate_hz", setup.fi_rate_hz, "Hz");
  // Frame-major as recorded (values[k·N + i]): [frames × N].
  const std::size_t frames = n == 0 ? 0 : setup.calibration_soma_dff.size() / n;
  w.dataset(s.id(), "calibration_soma_dff", setup.calibration_soma_dff,
            n == 0 ? std::vector<hsize_t>{0, 0} : std::vector<hsize_t>{frames, n}, "dF/F");
  (void)w.create_group(file.id(), "sessions");
  w.check(H5Fflush(file.id(), H5F_SCOPE_GLOBAL), "the file");
}

void append_session(const std::string& path, const bci::MouseSetup& setup, const bci::SessionRecord& session) {
  const std::lock_guard<std::mutex> lock(h5::library_mutex());
  h5::silence_errors();
  const h5::Writer w(path);
  const Handle file(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) throw std::runtime_error("HDF5: cannot open " + path + " to add a session");
  write_recalibrations(w, file.id(), setup);
  {
    const Handle sessions(H5Gopen2(file.id(), "sessions", H5P_DEFAULT), H5Gclose);
    w.check(sessions.valid() ? 0 : -1, "group /sessions");
    write_session(w, sessions.id(), session);
  }
  w.check(H5Fflush(file.id(), H5F_SCOPE_GLOBAL), "the file");
}

}  // namespace apical
