// apical stream FILE.tif: publishes the pages of a 16-bit TIFF over either TCP frame protocol at a set
// rate, as an acquisition PC would: for tests, demos and for labs to check a rig's set-up end to end.
#include <charconv>
#include <iostream>
#include <limits>
#include <optional>
#include <thread>

#include "apical/bridge/frame_senders.hpp"
#include "apical/bridge/tiff_stack.hpp"
#include "apical/io/suggest.hpp"
#include "commands.hpp"

namespace apical::cli {
namespace {

constexpr const char* stream_usage = R"(usage: apical stream FILE.tif [--protocol apf|cloose] [--rate HZ] [--frames N] [--loop]
                     [--host HOST] [--port PORT] [--crc]
                     [--byte-order little|big] [--sample-order x_fastest|y_fastest] [--invert]

Publishes the pages of a multi-page 16-bit TIFF as frames over TCP at a set rate.

  --protocol apf      APF/1 framed frames (docs/frame-protocol.md, the default): connects to the
                      bridge at HOST:PORT (default 127.0.0.1:47800); --crc appends a CRC-32C
  --protocol cloose   headerless uint16 frames as Scanbox serves CLOOSE: listens on PORT (default
                      30000) and waits for the bridge to connect; --byte-order (default little),
                      --sample-order (default x_fastest) and --invert (send 65535 - v) set the format
  --rate HZ           frames per second (default 15, the paper's imaging rate)
  --frames N          stop after N frames (default: every page once, or forever with --loop)
  --loop              start again at page 0 after the last page
)";

struct StreamOptions {
  std::string tiff, protocol = "apf", host = "127.0.0.1";
  std::optional<unsigned> port;
  double rate_hz = 15.0;
  std::optional<std::uint64_t> frames;
  bool loop = false, crc = false;
  bridge::RawFrameFormat raw;
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

StreamOptions parse(const std::vector<std::string>& args) {
  StreamOptions o;
  const std::vector<std::string> flags{"--protocol", "--rate", "--frames", "--loop", "--host", "--port", "--crc",
                                       "--byte-order", "--sample-order", "--invert"};
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
    else if (a.starts_with("--")) throw UsageError("unknown option '" + a + "'" + suggestion_suffix(a, flags));
    else if (o.tiff.empty()) o.tiff = a;
    else throw UsageError("apical stream takes one TIFF file, got '" + o.tiff + "' and '" + a + "'");
  }
  if (o.tiff.empty()) throw UsageError("apical stream needs a TIFF file");
  return o;
}

// Releases frame k at start + k/rate and hands it to `send`; stops when `send` returns false.
template <class Send>
std::uint64_t publish(bridge::TiffReader& tiff, const StreamOptions& o, Send&& send) {
  std::uint64_t total = o.frames.value_or(std::numeric_limits<std::uint64_t>::max());
  if (!o.loop) total = std::min<std::uint64_t>(total, tiff.pages());
  const auto period = std::chrono::duration_cast<bridge::Clock::duration>(std::chrono::duration<double>(1.0 / o.rate_hz));
  const bridge::Clock::time_point start = bridge::Clock::now();
  bridge::Frame frame;
  std::uint64_t k = 0;
  for (; k < total; ++k) {
    std::this_thread::sleep_until(start + period * k);
    tiff.read(k % tiff.pages(), frame);
    frame.seq = k;
    frame.acquired_ns = static_cast<std::uint64_t>(bridge::monotonic_ns());
    if (!send(frame)) break;
  }
  return k;
}

}  // namespace

int stream_command(const std::vector<std::string>& args) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << stream_usage;
    return 0;
  }
  const StreamOptions o = parse(args);
  bridge::TiffReader tiff(o.tiff);
  const std::string size = std::to_string(tiff.width()) + "x" + std::to_string(tiff.height());
  if (o.protocol == "apf") {
    const auto port = static_cast<std::uint16_t>(o.port.value_or(bridge::apf::default_port));
    bridge::ApfSender sender(o.host, port, std::chrono::seconds(10), o.crc);
    std::cout << "streaming " << o.tiff << " (" << tiff.pages() << " pages of " << size << ") as APF/1 to " << o.host << ":"
              << port << " at " << o.rate_hz << " Hz" << std::endl;
    const std::uint64_t sent = publish(tiff, o, [&](const bridge::Frame& f) { return sender.send_frame(f); });
    if (sent == 0 || !sender.send_end(sent)) {
      std::cerr << "apical: error: the receiver closed the connection after " << sent << " frames\n";
      return 1;
    }
    std::cout << "sent " << sent << " frames and end of stream" << std::endl;
    return 0;
  }
  bridge::RawFrameServer server("0.0.0.0", static_cast<std::uint16_t>(o.port.value_or(30000)), o.raw);
  std::cout << "serving " << o.tiff << " (" << tiff.pages() << " pages of " << size << ") as raw uint16 frames on port "
            << server.port() << "; waiting for the bridge to connect" << std::endl;
  while (!server.accept_client(bridge::Clock::now() + std::chrono::seconds(1))) {
  }
  const std::uint64_t sent = publish(tiff, o, [&](const bridge::Frame& f) { return server.send_frame(f); });
  std::cout << "sent " << sent << " frames" << (server.has_client() ? "" : " (the bridge disconnected)") << std::endl;
  return server.has_client() ? 0 : 1;
}

}  // namespace apical::cli
