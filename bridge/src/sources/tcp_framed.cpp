// tcp-framed: APF/1 frames (apf_protocol.hpp, docs/frame-protocol.md) from a sender that connects to
// the bridge. Every message is checked: gaps and duplicates in seq are counted and logged, a header
// without the magic makes the receiver scan for the next one (DESYNC), frames of another size are
// skipped (WRONG_SIZE), a connection lost inside a message loses that frame (TRUNCATED), and the
// source waits for the sender to reconnect. Frames are converted to row-major uint16. The registered
// source runs on its own receive thread into a ring (threaded_receiver.hpp).
#include <cstring>
#include <nlohmann/json.hpp>

#include "apical/bridge/apf_protocol.hpp"
#include "apical/bridge/frame_source.hpp"
#include "apical/bridge/socket.hpp"
#include "sequence_tracker.hpp"
#include "tcp_parameters.hpp"

namespace apical::bridge {
namespace {

using std::chrono::milliseconds;

class TcpFramed final : public FrameSource {
 public:
  TcpFramed(const SourceSettings& s, EventLog log)
      : FrameSource(std::move(log)),
        address_(s.text("address")),
        width_(static_cast<std::uint32_t>(s.integer("width"))),
        height_(static_cast<std::uint32_t>(s.integer("height"))),
        plane_(static_cast<std::uint8_t>(s.integer("plane"))),
        all_planes_(s.flag("all_planes")),
        stall_(milliseconds(static_cast<long long>(s.number("stall_timeout")))),
        receive_buffer_(std::size_t(s.integer("receive_buffer_frames")) * width_ * height_ * 2),
        listener_(listen_tcp(address_, static_cast<std::uint16_t>(s.integer("port")))),
        port_(local_port(listener_)) {}

  FetchStatus next(Frame& into, milliseconds timeout) override {
    const Clock::time_point deadline = Clock::now() + timeout;
    for (;;) {
      if (!connection_.is_open() && !accept(deadline)) return FetchStatus::timeout;
      if (!wait_readable(connection_, deadline)) return FetchStatus::timeout;
      apf::Header header;
      if (!read_header(header)) continue;
      const std::string problem = apf::header_problem(header);
      if (header.kind == apf::Kind::frame && apf::pixel_bytes(header.pixel_type) != 0 &&
          (header.width != width_ || header.height != height_ || header.payload_bytes != apf::frame_payload_bytes(header))) {
        ++counters_.wrong_size;
        log("WRONG_SIZE seq " + std::to_string(header.seq) + ": " + std::to_string(header.width) + "x" +
            std::to_string(header.height) + " with " + std::to_string(header.payload_bytes) + " payload bytes, expected " +
            std::to_string(width_) + "x" + std::to_string(height_) + " u16 (" + std::to_string(width_ * height_ * 2) +
            " bytes); frame skipped");
        skip_payload(header);
        continue;
      }
      if (!problem.empty()) {
        ++counters_.rejected;
        log("REJECTED message seq " + std::to_string(header.seq) + ": " + problem + "; skipped");
        skip_payload(header);
        continue;
      }
      if (!read_payload(header)) continue;
      if (header.kind == apf::Kind::metadata) {
        on_metadata();
        continue;
      }
      if (header.kind == apf::Kind::end) {
        log("END of stream after seq " + std::to_string(header.seq));
        return FetchStatus::end;
      }
      if (header.pixel_type != apf::PixelType::u16) {
        ++counters_.rejected;
        log("REJECTED frame seq " + std::to_string(header.seq) + ": pixel_type " + std::to_string(int(header.pixel_type)) +
            ", this receiver takes 1 (u16)");
        continue;
      }
      if (const std::string event = sequence_.observe(header.seq, counters_); !event.empty()) log(event);
      if (!all_planes_ && header.plane != plane_) {
        ++counters_.other_planes;
        continue;
      }
      unpack(header, into);
      ++counters_.frames;
      return FetchStatus::frame;
    }
  }

  [[nodiscard]] std::string describe() const override {
    return "tcp-framed (APF/1) listening on " + address_ + ":" + std::to_string(port_);
  }
  [[nodiscard]] std::optional<std::uint16_t> listening_port() const override { return port_; }

 private:
  bool accept(Clock::time_point deadline) {
    std::optional<Socket> accepted = accept_until(listener_, deadline, receive_buffer_);
    if (!accepted) return false;
    connection_ = std::move(*accepted);
    log(std::string(counters_.connections == 0 ? "CONNECT" : "RECONNECT") + " sender connected to " + describe());
    ++counters_.connections;
    sequence_.expect_new_stream();
    return true;
  }

  void lose_connection(const std::string& why) {
    ++counters_.disconnects;
    log("DISCONNECT " + why + "; waiting for the sender to reconnect");
    connection_.close();
  }

  // Reads a message's tail within the stall timeout; a shortfall loses the message and the connection.
  bool read_within_stall(std::span<std::byte> bytes, const std::string& what) {
    std::size_t got = 0;
    const ReadStatus status = read_exact(connection_, bytes, Clock::now() + stall_, got);
    if (status == ReadStatus::complete) return true;
    truncated(status, got, bytes.size(), what);
    return false;
  }

  void truncated(ReadStatus status, std::size_t got, std::size_t expected, const std::string& what) {
    ++counters_.truncated;
    const std::string cause = status == ReadStatus::closed ? std::string("sender closed the connection")
                                                           : "stall timeout of " + std::to_string(stall_.count()) + " ms";
    log("TRUNCATED " + what + ": got " + std::to_string(got) + " of " + std::to_string(expected) + " bytes before the " + cause);
    lose_connection(status == ReadStatus::closed ? "sender closed the connection" : "stalled inside a message");
  }

  // The next header; after a bad magic, the bytes up to the next "APFR" are skipped (DESYNC).
  bool read_header(apf::Header& header) {
    std::size_t got = 0;
    const ReadStatus status = read_exact(connection_, std::span(header_bytes_).first(4), Clock::now() + stall_, got);
    if (status == ReadStatus::closed && got == 0) {
      lose_connection("sender closed the connection");
      return false;
    }
    if (status != ReadStatus::complete) {
      truncated(status, got, 4, "header");
      return false;
    }
    if (!apf::has_magic(header_bytes_)) {
      std::uint64_t skipped = 0;
      while (!apf::has_magic(header_bytes_)) {
        std::memmove(header_bytes_.data(), header_bytes_.data() + 1, 3);
        if (!read_within_stall(std::span(header_bytes_).subspan(3, 1), "resynchronisation")) return false;
        ++skipped;
      }
      ++counters_.desyncs;
      log("DESYNC skipped " + std::to_string(skipped) + " bytes to the next APF header");
    }
    if (!read_within_stall(std::span(header_bytes_).subspan(4), "header")) return false;
    header = apf::decode(header_bytes_);
    return true;
  }

  // Skips a message's payload (and extra header bytes, checksum) when its length can be trusted.
  void skip_payload(const apf::Header& header) {
    if (header.payload_bytes > apf::max_payload_bytes || header.header_bytes < apf::header_bytes) {
      ++counters_.desyncs;
      log("DESYNC message length cannot be trusted; scanning for the next header");
      return;
    }
    std::size_t left = std::size_t(header.header_bytes - apf::header_bytes) + header.payload_bytes +
                       ((header.flags & apf::flag::crc32c) ? 4 : 0);
    std::array<std::byte, 4096> scratch;
    while (left > 0) {
      const std::size_t n = std::min(left, scratch.size());
      if (!read_within_stall(std::span(scratch).first(n), "skipped message")) return;
      left -= n;
    }
  }

  bool read_payload(const apf::Header& header) {
    const std::string what = "message seq " + std::to_string(header.seq);
    std::array<std::byte, 256> extra;
    for (std::size_t left = header.header_bytes - apf::header_bytes; left > 0;) {
      const std::size_t n = std::min(left, extra.size());
      if (!read_within_stall(std::span(extra).first(n), what)) return false;
      left -= n;
    }
    payload_.resize(header.payload_bytes);
    if (!read_within_stall(payload_, what)) return false;
    if (!(header.flags & apf::flag::crc32c)) return true;
    std::array<std::byte, 4> crc;
    if (!read_within_stall(crc, what)) return false;
    std::uint32_t sent = 0;
    for (int i = 0; i < 4; ++i) sent |= std::uint32_t(crc[i]) << (8 * i);
    if (sent == apf::crc32c(payload_)) return true;
    ++counters_.rejected;
    log("BAD_CRC " + what + ": payload CRC-32C does not match; skipped");
    return false;
  }

  void on_metadata() {
    const std::string text(reinterpret_cast<const char*>(payload_.data()), payload_.size());
    log("METADATA " + text);
    const nlohmann::json meta = nlohmann::json::parse(text, nullptr, false);
    if (!meta.is_object() || !meta.contains("session_id")) return;
    const std::string session = meta["session_id"].dump();
    if (!session_.empty() && session != session_) {
      ++counters_.restarts;
      log("RESTART new session_id " + session + " (was " + session_ + ")");
      sequence_.expect_new_stream();
    }
    session_ = session;
  }

  void unpack(const apf::Header& header, Frame& into) {
    into.resize(width_, height_);
    const bool row_major = header.layout == apf::Layout::row_major;
    if (!row_major) column_.resize(into.pixels.size());
    std::uint16_t* out = row_major ? into.pixels.data() : column_.data();
    for (std::size_t i = 0; i < into.pixels.size(); ++i)
      out[i] = static_cast<std::uint16_t>(std::uint16_t(payload_[2 * i]) | std::uint16_t(payload_[2 * i + 1]) << 8);
    if (!row_major) transpose_to_row_major(column_, width_, height_, into.pixels);
    into.seq = header.seq;
    into.acquired_ns = header.t_acq_ns;
    into.sender_ns = header.t_send_ns;
    into.plane = header.plane;
    into.planes = header.n_planes;
    into.channel = header.channel;
    into.stages = StageTimes{};
    into.stages.received_ns = monotonic_ns();
  }

  std::string address_;
  std::uint32_t width_, height_;
  std::uint8_t plane_;
  bool all_planes_;  // a two-plane rig session tells the planes apart itself
  milliseconds stall_;
  std::size_t receive_buffer_;
  Socket listener_;
  std::uint16_t port_;
  Socket connection_;
  SequenceTracker sequence_;
  apf::HeaderBytes header_bytes_{};
  std::vector<std::byte> payload_;
  std::vector<std::uint16_t> column_;
  std::string session_;
};

}  // namespace

void register_tcp_framed(FrameSourceRegistry& registry) {
  using Kind = SourceParameter::Kind;
  registry.add(
      {"tcp-framed",
       "APF/1 framed frames over TCP (docs/frame-protocol.md); the sender connects to the bridge. Gaps, duplicates, "
       "wrong sizes and truncated frames are counted and logged",
       {{"address", Kind::text, "1", 0, 0, {}, "0.0.0.0", "address to listen on (0.0.0.0: every interface)"},
        {"port", Kind::integer, "1", 0, 65535, {}, apf::default_port, "TCP port to listen on (0: any free port)"},
        tcp_parameters::width(),
        tcp_parameters::height(),
        {"plane", Kind::integer, "1", 0, 255, {}, 0, "ETL plane to keep (0-based, the header's plane field); frames of other planes are read and discarded"},
        {"all_planes", Kind::flag, "1", 0, 0, {}, false,
         "keep the frames of every plane instead (set by a rig file with a \"distal\" plane)"},
        tcp_parameters::stall_timeout(),
        tcp_parameters::receive_buffer_frames(),
        tcp_parameters::queue_frames(),
        tcp_parameters::frame_rate()}},
      tcp_parameters::on_receive_thread<TcpFramed>);
}

}  // namespace apical::bridge
