// apical stream FILE.tif | --virtual SCENARIO.json: publishes the pages of a 16-bit TIFF, or the frames
// of the virtual microscope (docs/virtual-microscope.md), over either TCP frame protocol at a set rate,
// as an acquisition PC would: for tests, demos and for labs to check a rig's set-up end to end. With
// --closed-loop the microscope's mouse is stepped live and learns from the decisions the rig sends back
// as its UDP stimulus lines.
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <thread>

#include "apical/bridge/closed_loop_microscope.hpp"
#include "apical/bridge/frame_senders.hpp"
#include "apical/bridge/rig_config.hpp"
#include "apical/bridge/tiff_stack.hpp"
#include "apical/bridge/virtual_microscope.hpp"
#include "apical/io/suggest.hpp"
#include "commands.hpp"

namespace apical::cli {
namespace {

constexpr const char* stream_usage = R"(usage: apical stream FILE.tif [--protocol apf|cloose] [--rate HZ] [--frames N] [--loop]
                     [--host HOST] [--port PORT] [--crc]
                     [--byte-order little|big] [--sample-order x_fastest|y_fastest] [--invert]
       apical stream --virtual SCENARIO.json [--mouse M] [--minutes MIN] [--size WxH] [--seed S]
                     [--motion PX] [--photons P] [--neuropil L] [--planes 1|2] [--write-rois FILE]
                     [--closed-loop --listen-udp PORT] [options above]

Publishes the pages of a multi-page 16-bit TIFF, or the frames of the virtual microscope, as frames
over TCP at a set rate.

  --protocol apf      APF/1 framed frames (docs/frame-protocol.md, the default): connects to the
                      bridge at HOST:PORT (default 127.0.0.1:47800); --crc appends a CRC-32C
  --protocol cloose   headerless uint16 frames as Scanbox serves CLOOSE: listens on PORT (default
                      30000) and waits for the bridge to connect; --byte-order (default little),
                      --sample-order (default x_fastest) and --invert (send 65535 - v) set the format
  --rate HZ           frames per second (default 15, the paper's imaging rate)
  --frames N          stop after N frames (default: every page or simulated frame once, or forever
                      with --loop)
  --loop              start again at the first frame after the last

The virtual microscope (docs/virtual-microscope.md) images one virtual mouse of a bci_cohort scenario:
its neurons' simulated GCaMP7f fluorescence rendered as somata with neuropil, shot noise and brain motion.
  --virtual FILE      the bci_cohort scenario
  --mouse M           the mouse's index, one of the scenario's cohort (default 0)
  --minutes MIN       simulated activity (a day-1 session) before the frames end or loop (default 10)
  --size WxH          frame size in pixels (default 512x512)
  --seed S            layout, neuropil, motion and noise (default 1; the scenario seeds the mouse)
  --motion PX         brain motion amplitude in pixels (default 2; 0: none)
  --photons P         photons per a.u. of F per pixel per frame: sets the shot noise (default 0.2)
  --neuropil L        neuropil brightness relative to the mean soma F (default 0.5)
  --planes 2          the distal trunks too: proximal and distal frames alternate (an ETL), each
                      APF/1 header naming its plane; --rate counts both (30 Hz: 15 Hz per plane)
  --write-rois FILE   write the ROI JSON of the somata to FILE, print the roles for a rig file
                      ("roles": {"P+": [...], "P-": [...]}) and stream nothing; with --planes 2 also
                      the trunks' ROIs to FILE with "_distal" before its extension, and the rig
                      file's "distal" entry pairing each trunk with its soma

Closed loop (docs/virtual-microscope.md#closed-loop): the mouse is stepped live, frame by frame, and
learns from the rig's decisions, which an unmodified `apical rig` sends when its rig file's stimulus is
{"type": "udp", "host": THIS HOST, "port": PORT}: one APICAL-STIM/2 line per task frame (docs/stimulus.md).
  --closed-loop       step the mouse live instead of playing a simulated session back; idle frames
                      until the rig's first decision, then task frames taught by each decision
                      (single plane; --minutes sets the length of the stream and of its motion)
  --listen-udp PORT   the UDP port to hear the rig's stimulus lines on (all interfaces). A decision
                      that has not come when the next frame must be drawn is counted as missing and
                      the mouse steps on without it; counts are printed at the end
)";

struct VirtualOptions {
  std::string scenario;
  std::uint64_t mouse = 0;
  double minutes = 10.0;
  bridge::VirtualMicroscopeParams microscope;
  std::optional<std::string> write_rois;
  bool closed_loop = false;
  std::optional<std::uint16_t> listen_udp;
};

struct StreamOptions {
  std::string tiff, protocol = "apf", host = "127.0.0.1";
  std::optional<unsigned> port;
  double rate_hz = 15.0;
  std::optional<std::uint64_t> frames;
  bool loop = false, crc = false;
  bridge::RawFrameFormat raw;
  std::optional<VirtualOptions> virtual_microscope;
};

// What is published: `frames` frames before a loop starts again; draw(k, frame) fills frame k. A closed
// loop also hears the rig's decision on each frame sent until the deadline (await_decision) and reports
// at the end (finish).
struct Movie {
  std::string description;
  std::uint64_t frames = 0;
  std::function<void(std::uint64_t, bridge::Frame&)> draw;
  std::function<void(bridge::Clock::time_point)> await_decision;
  std::function<void()> finish;
};

double parse_number(const std::string& flag, const std::string& text, double min, double max) {
  double v = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (error != std::errc{} || end != text.data() + text.size() || !(v >= min && v <= max))
    throw UsageError(flag + " expects a number from " + std::to_string(min) + " to " + std::to_string(max) + ", got '" + text + "'");
  return v;
}

std::string choice(const std::string& flag, const std::string& text, const std::vector<std::string>& choices) {
  for (const std::string& c : choices)
    if (text == c) return text;
  throw UsageError(flag + ": unknown value '" + text + "'" + suggestion_suffix(text, choices));
}

// "512x256" → width 512, height 256.
void parse_size(const std::string& text, bridge::VirtualMicroscopeParams& p) {
  const std::size_t x = text.find('x');
  if (x == std::string::npos) throw UsageError("--size expects WxH, e.g. 512x512, got '" + text + "'");
  p.width = static_cast<std::uint32_t>(parse_number("--size", text.substr(0, x), 16, 4096));
  p.height = static_cast<std::uint32_t>(parse_number("--size", text.substr(x + 1), 16, 4096));
}

// One of the virtual microscope's options other than --virtual; false if `a` is none of them.
template <class Value>
bool parse_virtual_option(const std::string& a, Value&& value, VirtualOptions& v) {
  if (a == "--mouse") v.mouse = static_cast<std::uint64_t>(parse_number(a, value(), 0, 1e9));
  else if (a == "--minutes") v.minutes = parse_number(a, value(), 0.01, 1440);
  else if (a == "--size") parse_size(value(), v.microscope);
  else if (a == "--seed") v.microscope.seed = static_cast<std::uint64_t>(parse_number(a, value(), 0, 1e15));
  else if (a == "--motion") v.microscope.motion_px = parse_number(a, value(), 0, 50);
  else if (a == "--photons") v.microscope.photons_per_unit = parse_number(a, value(), 1e-4, 1e4);
  else if (a == "--neuropil") v.microscope.neuropil_level = parse_number(a, value(), 0, 10);
  else if (a == "--planes") v.microscope.planes = static_cast<std::uint32_t>(parse_number(a, value(), 1, 2));
  else if (a == "--write-rois") v.write_rois = value();
  else if (a == "--closed-loop") v.closed_loop = true;
  else if (a == "--listen-udp") v.listen_udp = static_cast<std::uint16_t>(parse_number(a, value(), 1, 65535));
  else return false;
  return true;
}

StreamOptions parse(const std::vector<std::string>& args) {
  StreamOptions o;
  VirtualOptions v;
  bool virtual_option = false;
  const std::vector<std::string> flags{"--protocol", "--rate", "--frames", "--loop", "--host", "--port", "--crc",
                                       "--byte-order", "--sample-order", "--invert", "--virtual", "--mouse", "--minutes",
                                       "--size", "--seed", "--motion", "--photons", "--neuropil", "--planes", "--write-rois",
                                       "--closed-loop", "--listen-udp"};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
      return args[++i];
    };
    if (a == "--protocol") o.protocol = choice(a, value(), {"apf", "cloose"});
    else if (a == "--rate") o.rate_hz = parse_number(a, value(), 0.01, 10000);
    else if (a == "--frames") o.frames = static_cast<std::uint64_t>(parse_number(a, value(), 1, 1e12));
    else if (a == "--loop") o.loop = true;
    else if (a == "--host") o.host = value();
    else if (a == "--port") o.port = static_cast<unsigned>(parse_number(a, value(), 0, 65535));
    else if (a == "--crc") o.crc = true;
    else if (a == "--byte-order") o.raw.big_endian = choice(a, value(), {"little", "big"}) == "big";
    else if (a == "--sample-order") o.raw.y_fastest = choice(a, value(), {"x_fastest", "y_fastest"}) == "y_fastest";
    else if (a == "--invert") o.raw.invert = true;
    else if (a == "--virtual") v.scenario = value();
    else if (parse_virtual_option(a, value, v)) virtual_option = true;
    else if (a.starts_with("--")) throw UsageError("unknown option '" + a + "'" + suggestion_suffix(a, flags));
    else if (o.tiff.empty()) o.tiff = a;
    else throw UsageError("apical stream takes one TIFF file, got '" + o.tiff + "' and '" + a + "'");
  }
  if (!v.scenario.empty()) {
    if (!o.tiff.empty()) throw UsageError("apical stream takes a TIFF file or --virtual, not both");
    if (v.closed_loop && !v.listen_udp)
      throw UsageError("--closed-loop needs --listen-udp PORT, the port the rig's udp stimulus sends to");
    if (v.listen_udp && !v.closed_loop) throw UsageError("--listen-udp is for --closed-loop only");
    if (v.closed_loop && v.microscope.planes != 1)
      throw UsageError("--closed-loop images one plane (--planes 1): the live mouse gives somatic F only");
    o.virtual_microscope = v;
  } else if (virtual_option) {
    throw UsageError("--mouse, --minutes, --size, --seed, --motion, --photons, --neuropil, --planes, --write-rois, "
                     "--closed-loop and --listen-udp need --virtual");
  } else if (o.tiff.empty()) {
    throw UsageError("apical stream needs a TIFF file or --virtual SCENARIO.json");
  }
  return o;
}

bridge::VirtualMicroscope make_microscope(const BciScenario& scenario, const VirtualOptions& v, std::size_t frames) {
  bridge::SimulatedActivity activity;
  try {
    activity = bridge::simulate_activity(scenario, v.mouse, frames);
  } catch (const std::out_of_range& e) {
    throw UsageError(std::string("--mouse: ") + e.what());
  }
  try {
    return bridge::VirtualMicroscope(std::move(activity), v.microscope);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--size: ") + e.what());
  }
}

bridge::VirtualMicroscope make_microscope(const VirtualOptions& v, std::size_t frames) {
  return make_microscope(load_bci_scenario(v.scenario), v, frames);
}

// The rig file's "roles" entry for the microscope's ROIs.
std::string roles_entry(const bridge::VirtualMicroscope& microscope) {
  nlohmann::json roles = {{"P+", nlohmann::json::array()}, {"P-", nlohmann::json::array()}};
  const std::vector<loop::Role>& role = microscope.activity().roles;
  for (std::size_t i = 0; i < role.size(); ++i)
    if (role[i] != loop::Role::zero) roles[bridge::role_name(role[i])].push_back(bridge::neuron_roi_name(i, role.size()));
  return "\"roles\": " + roles.dump();
}

// The rig file's "distal" entry: the trunks' ROI file and each trunk paired with its soma.
std::string distal_entry(const bridge::VirtualMicroscope& microscope, const std::string& rois) {
  nlohmann::json pairs = nlohmann::json::object();
  const std::size_t n = microscope.somata().size();
  for (std::size_t i = 0; i < n; ++i) pairs[bridge::trunk_roi_name(i, n)] = bridge::neuron_roi_name(i, n);
  return "\"distal\": " + nlohmann::json{{"rois", rois}, {"pairs", pairs}}.dump();
}

// --write-rois: the ground truth a rig file needs, from a 2-frame session (the roles come from the
// calibration block before it, the layout from the seed).
int write_rois(const VirtualOptions& v) {
  const bridge::VirtualMicroscope microscope = make_microscope(v, 2);
  const auto write = [](const std::string& path, const bridge::RoiSet& rois) {
    std::ofstream out(path);
    out << bridge::roi_json_text(rois);
    if (!out.flush()) throw std::runtime_error("cannot write '" + path + "'");
    std::cout << "wrote " << rois.rois.size() << " ROIs of a " << rois.width << "x" << rois.height << " field to "
              << path << "\n";
  };
  write(*v.write_rois, microscope.rois());
  std::cout << roles_entry(microscope) << std::endl;
  if (v.microscope.planes == 2) {
    const std::filesystem::path path(*v.write_rois);
    const std::string distal = (path.parent_path() / (path.stem().string() + "_distal" + path.extension().string())).string();
    write(distal, microscope.distal_rois());
    std::cout << distal_entry(microscope, distal) << std::endl;
  }
  return 0;
}

Movie tiff_movie(const std::string& path) {
  const auto tiff = std::make_shared<bridge::TiffReader>(path);
  return {path + " (" + std::to_string(tiff->pages()) + " pages of " + std::to_string(tiff->width()) + "x" +
              std::to_string(tiff->height()) + ")",
          tiff->pages(), [tiff](std::uint64_t k, bridge::Frame& f) { tiff->read(k % tiff->pages(), f); }, {}, {}};
}

std::size_t activity_frames(const VirtualOptions& v) {
  return static_cast<std::size_t>(std::llround(v.minutes * 60.0 * bci::frame_rate_Hz));
}

// The field (layout, motion, noise) is the open-loop microscope's, so --write-rois fits it; its mouse is
// stepped live and taught by the rig's decisions.
Movie closed_loop_movie(const VirtualOptions& v) {
  const BciScenario scenario = load_bci_scenario(v.scenario);
  const std::size_t frames = activity_frames(v);
  bridge::VirtualMicroscope field = make_microscope(scenario, v, frames);
  const auto say = [](const std::string& line) { std::cout << "closed loop: " << line << std::endl; };
  std::shared_ptr<bridge::ClosedLoopMicroscope> microscope;
  try {
    microscope = std::make_shared<bridge::ClosedLoopMicroscope>(scenario.spec, v.mouse, std::move(field), "0.0.0.0",
                                                                *v.listen_udp, say);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("--listen-udp " + std::to_string(*v.listen_udp) + ": " + e.what());
  }
  return {"the closed-loop virtual microscope of mouse " + std::to_string(v.mouse) + " of " + v.scenario + " (" +
              std::to_string(microscope->field().somata().size()) + " neurons stepped live, " + std::to_string(frames) +
              " frames of " + std::to_string(v.microscope.width) + "x" + std::to_string(v.microscope.height) +
              "), hearing the rig's decisions on UDP port " + std::to_string(microscope->port()),
          frames, [microscope](std::uint64_t k, bridge::Frame& f) { microscope->render(k, f); },
          [microscope](bridge::Clock::time_point deadline) { microscope->await_decision(deadline); },
          [microscope, say] { say(microscope->describe_counters()); }};
}

Movie virtual_movie(const VirtualOptions& v) {
  if (v.closed_loop) return closed_loop_movie(v);
  const std::size_t frames = activity_frames(v);
  const auto microscope = std::make_shared<bridge::VirtualMicroscope>(make_microscope(v, frames));
  return {"the virtual microscope of mouse " + std::to_string(v.mouse) + " of " + v.scenario + " (" +
              std::to_string(microscope->somata().size()) + " neurons, " + std::to_string(microscope->frames()) +
              " frames of " + std::to_string(v.microscope.width) + "x" + std::to_string(v.microscope.height) +
              (v.microscope.planes == 2 ? ", proximal and distal planes alternating" : "") + ")",
          microscope->frames(), [microscope](std::uint64_t k, bridge::Frame& f) { microscope->render(k, f); }, {}, {}};
}

// Draws frame k, releases it at start + k/rate and hands it to `send`; stops when `send` returns false.
template <class Send>
std::uint64_t publish(const Movie& movie, const StreamOptions& o, Send&& send) {
  std::uint64_t total = o.frames.value_or(std::numeric_limits<std::uint64_t>::max());
  if (!o.loop) total = std::min<std::uint64_t>(total, movie.frames);
  const auto period = std::chrono::duration_cast<bridge::Clock::duration>(std::chrono::duration<double>(1.0 / o.rate_hz));
  const bridge::Clock::time_point start = bridge::Clock::now();
  bridge::Frame frame;
  std::uint64_t k = 0;
  for (; k < total; ++k) {
    const bridge::Clock::time_point drawing = bridge::Clock::now();
    movie.draw(k, frame);
    const bridge::Clock::duration draw_time = bridge::Clock::now() - drawing;
    std::this_thread::sleep_until(start + period * k);
    frame.seq = k;
    frame.acquired_ns = static_cast<std::uint64_t>(bridge::monotonic_ns());
    if (!send(frame)) break;
    // Until the next frame must be drawn to go out on time (this frame's drawing time as the estimate).
    if (movie.await_decision) movie.await_decision(start + period * (k + 1) - draw_time);
  }
  if (movie.finish) movie.finish();
  return k;
}

}  // namespace

int stream_command(const std::vector<std::string>& args) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << stream_usage;
    return 0;
  }
  const StreamOptions o = parse(args);
  if (o.virtual_microscope && o.virtual_microscope->write_rois) return write_rois(*o.virtual_microscope);
  const Movie movie = o.virtual_microscope ? virtual_movie(*o.virtual_microscope) : tiff_movie(o.tiff);
  if (o.protocol == "apf") {
    const auto port = static_cast<std::uint16_t>(o.port.value_or(bridge::apf::default_port));
    bridge::ApfSender sender(o.host, port, std::chrono::seconds(10), o.crc);
    std::cout << "streaming " << movie.description << " as APF/1 to " << o.host << ":" << port << " at " << o.rate_hz
              << " Hz" << std::endl;
    const std::uint64_t sent = publish(movie, o, [&](const bridge::Frame& f) { return sender.send_frame(f); });
    if (sent == 0 || !sender.send_end(sent)) {
      std::cerr << "apical: error: the receiver closed the connection after " << sent << " frames\n";
      return 1;
    }
    std::cout << "sent " << sent << " frames and end of stream" << std::endl;
    return 0;
  }
  bridge::RawFrameServer server("0.0.0.0", static_cast<std::uint16_t>(o.port.value_or(30000)), o.raw);
  std::cout << "serving " << movie.description << " as raw uint16 frames on port " << server.port()
            << "; waiting for the bridge to connect" << std::endl;
  while (!server.accept_client(bridge::Clock::now() + std::chrono::seconds(1))) {
  }
  const std::uint64_t sent = publish(movie, o, [&](const bridge::Frame& f) { return server.send_frame(f); });
  std::cout << "sent " << sent << " frames" << (server.has_client() ? "" : " (the bridge disconnected)") << std::endl;
  return server.has_client() ? 0 : 1;
}

}  // namespace apical::cli
