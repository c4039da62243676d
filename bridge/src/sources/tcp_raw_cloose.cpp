// tcp-raw-cloose: headerless uint16 frames over TCP as CLOOSE receives them from Scanbox (rig.md §1.1).
// The bridge is the client and connects to the acquisition PC. A frame is exactly width·height·2
// bytes; there is no sequence number, so drops and duplicates cannot be seen (frames are numbered by
// arrival). What can be seen is reported: a connection lost inside a frame (TRUNCATED, the partial
// frame is discarded) and disconnects, after which the source keeps reconnecting. Options cover what
// CLOOSE leaves implicit: sample order, byte order, Scanbox's inversion and interleaved planes.
#include <thread>

#include "apical/bridge/frame_source.hpp"
#include "apical/bridge/socket.hpp"
#include "tcp_parameters.hpp"

namespace apical::bridge {
namespace {

using std::chrono::milliseconds;

class TcpRawCloose final : public FrameSource {
 public:
  TcpRawCloose(const SourceSettings& s, EventLog log)
      : FrameSource(std::move(log)),
        host_(s.text("host")),
        port_(static_cast<std::uint16_t>(s.integer("port"))),
        width_(static_cast<std::uint32_t>(s.integer("width"))),
        height_(static_cast<std::uint32_t>(s.integer("height"))),
        y_fastest_(s.text("sample_order") == "y_fastest"),
        big_endian_(s.text("byte_order") == "big"),
        invert_(s.flag("invert")),
        planes_(static_cast<std::uint64_t>(s.integer("planes"))),
        plane_(static_cast<std::uint64_t>(s.integer("plane"))),
        retry_(milliseconds(static_cast<long long>(s.number("reconnect_interval")))),
        stall_(milliseconds(static_cast<long long>(s.number("stall_timeout")))),
        receive_buffer_(std::size_t(s.integer("receive_buffer_frames")) * width_ * height_ * 2),
        bytes_(std::size_t(width_) * height_ * 2) {
    if (plane_ > planes_)
      s.fail("plane", "plane " + std::to_string(plane_) + " does not exist with planes = " + std::to_string(planes_));
  }

  FetchStatus next(Frame& into, milliseconds timeout) override {
    const Clock::time_point deadline = Clock::now() + timeout;
    for (;;) {
      if (!connection_.is_open() && !connect(deadline)) return FetchStatus::timeout;
      if (!wait_readable(connection_, deadline)) return FetchStatus::timeout;
      std::size_t got = 0;
      const ReadStatus status = read_exact(connection_, bytes_, Clock::now() + stall_, got);
      if (status != ReadStatus::complete) {
        if (got > 0) {
          ++counters_.truncated;
          log("TRUNCATED frame " + std::to_string(arrived_) + ": got " + std::to_string(got) + " of " +
              std::to_string(bytes_.size()) + " bytes before the " +
              (status == ReadStatus::closed ? std::string("sender closed the connection") : "stall timeout"));
        }
        ++counters_.disconnects;
        log("DISCONNECT " + endpoint() + (status == ReadStatus::closed ? " closed the connection" : " stalled inside a frame") +
            "; reconnecting");
        connection_.close();
        continue;
      }
      const std::uint64_t index = arrived_++;
      if (index % planes_ != plane_ - 1) {
        ++counters_.other_planes;
        continue;
      }
      unpack(index, into);
      ++counters_.frames;
      return FetchStatus::frame;
    }
  }

  [[nodiscard]] std::string describe() const override { return "tcp-raw-cloose client of " + endpoint(); }

 private:
  [[nodiscard]] std::string endpoint() const { return host_ + ":" + std::to_string(port_); }

  bool connect(Clock::time_point deadline) {
    for (;;) {
      const Clock::time_point attempt_end = std::min(deadline, Clock::now() + retry_);
      if (std::optional<Socket> s = connect_until(host_, port_, attempt_end, receive_buffer_)) {
        connection_ = std::move(*s);
        log(std::string(counters_.connections == 0 ? "CONNECT" : "RECONNECT") + " to " + endpoint());
        ++counters_.connections;
        return true;
      }
      if (Clock::now() >= deadline) return false;
      std::this_thread::sleep_until(std::min(deadline, attempt_end));
    }
  }

  void unpack(std::uint64_t index, Frame& into) {
    into.resize(width_, height_);
    const bool direct = !y_fastest_;
    if (!direct) column_.resize(into.pixels.size());
    std::uint16_t* out = direct ? into.pixels.data() : column_.data();
    const std::size_t hi = big_endian_ ? 0 : 1, lo = 1 - hi;
    for (std::size_t i = 0; i < into.pixels.size(); ++i) {
      const auto v = static_cast<std::uint16_t>(std::uint16_t(bytes_[2 * i + hi]) << 8 | std::uint16_t(bytes_[2 * i + lo]));
      out[i] = invert_ ? static_cast<std::uint16_t>(65535u - v) : v;
    }
    if (!direct) transpose_to_row_major(column_, width_, height_, into.pixels);
    into.seq = index;
    into.acquired_ns = 0;
    into.sender_ns = 0;
    into.plane = static_cast<std::uint8_t>(plane_ - 1);
    into.planes = static_cast<std::uint8_t>(planes_);
    into.channel = 0;
    into.stages = StageTimes{};
    into.stages.received_ns = monotonic_ns();
  }

  std::string host_;
  std::uint16_t port_;
  std::uint32_t width_, height_;
  bool y_fastest_, big_endian_, invert_;
  std::uint64_t planes_, plane_;
  milliseconds retry_, stall_;
  std::size_t receive_buffer_;
  std::vector<std::byte> bytes_;
  std::vector<std::uint16_t> column_;
  Socket connection_;
  std::uint64_t arrived_ = 0;  // frames read since the start, all planes
};

}  // namespace

void register_tcp_raw_cloose(FrameSourceRegistry& registry) {
  using Kind = SourceParameter::Kind;
  registry.add(
      {"tcp-raw-cloose",
       "headerless uint16 frames over TCP as CLOOSE receives them from Scanbox; the bridge connects to the "
       "acquisition PC. Drops cannot be detected (no sequence numbers): legacy only",
       {{"host", Kind::text, "1", 0, 0, {}, nullptr, "address of the acquisition PC that serves the frames"},
        {"port", Kind::integer, "1", 1, 65535, {}, 30000, "its TCP port (CLOOSE: 30000)"},
        tcp_parameters::width(),
        tcp_parameters::height(),
        {"sample_order", Kind::choice, "1", 0, 0, {"x_fastest", "y_fastest"}, "x_fastest",
         "x_fastest: the pixels of a line are consecutive (CLOOSE's app; MATLAB's column-major pixelsX x linesY "
         "array); y_fastest: the transpose (CLOOSE's demo senders)"},
        {"byte_order", Kind::choice, "1", 0, 0, {"little", "big"}, nullptr,
         "byte order of the samples; CLOOSE sets none (MATLAB tcpip senders are big-endian, Python demos little-endian)"},
        {"invert", Kind::flag, "1", 0, 0, {}, true, "replace each pixel v by 65535 - v (Scanbox sends inverted data)"},
        {"planes", Kind::integer, "1", 1, 255, {}, 1, "planes interleaved in the stream"},
        {"plane", Kind::integer, "1", 1, 255, {}, 1, "the plane to keep (1-based, as CLOOSE); the others are read and discarded"},
        {"reconnect_interval", Kind::quantity, "ms", 10, 60000, {}, "500 ms", "time between connection attempts"},
        tcp_parameters::stall_timeout(),
        tcp_parameters::receive_buffer_frames(),
        tcp_parameters::queue_frames(),
        tcp_parameters::frame_rate()}},
      tcp_parameters::on_receive_thread<TcpRawCloose>);
}

}  // namespace apical::bridge
