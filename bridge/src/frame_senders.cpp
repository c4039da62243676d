#include "apical/bridge/frame_senders.hpp"

#include <stdexcept>
#include <thread>

namespace apical::bridge {
namespace {

void append_u16_le(std::vector<std::byte>& out, std::uint16_t v) {
  out.push_back(std::byte(v & 0xffu));
  out.push_back(std::byte(v >> 8));
}

}  // namespace

std::vector<std::byte> encode_apf_frame(const Frame& frame, std::uint16_t flags) {
  apf::Header h;
  h.seq = frame.seq;
  h.t_acq_ns = frame.acquired_ns;
  h.t_send_ns = static_cast<std::uint64_t>(monotonic_ns());
  h.width = static_cast<std::uint16_t>(frame.width);
  h.height = static_cast<std::uint16_t>(frame.height);
  h.plane = frame.plane;
  h.n_planes = frame.planes;
  h.channel = frame.channel;
  h.flags = flags;
  h.payload_bytes = static_cast<std::uint32_t>(frame.pixels.size() * 2);
  const apf::HeaderBytes header = apf::encode(h);
  std::vector<std::byte> out(header.begin(), header.end());
  out.reserve(out.size() + h.payload_bytes + 4);
  for (std::uint16_t v : frame.pixels) append_u16_le(out, v);
  if (flags & apf::flag::crc32c) {
    const std::uint32_t crc = apf::crc32c(std::span(out).subspan(apf::header_bytes));
    for (int i = 0; i < 4; ++i) out.push_back(std::byte((crc >> (8 * i)) & 0xffu));
  }
  return out;
}

std::vector<std::byte> encode_apf_message(apf::Kind kind, std::uint64_t seq, const std::string& payload) {
  apf::Header h;
  h.kind = kind;
  h.seq = seq;
  h.t_send_ns = static_cast<std::uint64_t>(monotonic_ns());
  h.payload_bytes = static_cast<std::uint32_t>(payload.size());
  const apf::HeaderBytes header = apf::encode(h);
  std::vector<std::byte> out(header.begin(), header.end());
  for (char c : payload) out.push_back(std::byte(c));
  return out;
}

ApfSender::ApfSender(const std::string& host, std::uint16_t port, std::chrono::milliseconds connect_timeout, bool crc)
    : crc_(crc) {
  const Clock::time_point deadline = Clock::now() + connect_timeout;
  for (;;) {
    if (std::optional<Socket> s = connect_until(host, port, deadline)) {
      socket_ = std::move(*s);
      return;
    }
    if (Clock::now() >= deadline)
      throw std::runtime_error("no APF/1 receiver accepted a connection at " + host + ":" + std::to_string(port));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

bool ApfSender::send_frame(const Frame& frame) { return send_bytes(encode_apf_frame(frame, crc_ ? apf::flag::crc32c : 0)); }

bool ApfSender::send_metadata(std::uint64_t seq, const std::string& json) {
  return send_bytes(encode_apf_message(apf::Kind::metadata, seq, json));
}

bool ApfSender::send_end(std::uint64_t seq) { return send_bytes(encode_apf_message(apf::Kind::end, seq, "")); }

bool ApfSender::send_bytes(std::span<const std::byte> bytes) { return write_all(socket_, bytes); }

std::vector<std::byte> encode_raw_frame(const Frame& frame, const RawFrameFormat& format) {
  std::vector<std::byte> out;
  out.reserve(frame.pixels.size() * 2);
  const auto put = [&](std::uint16_t v) {
    if (format.invert) v = static_cast<std::uint16_t>(65535u - v);
    const auto hi = std::byte(v >> 8), lo = std::byte(v & 0xffu);
    out.push_back(format.big_endian ? hi : lo);
    out.push_back(format.big_endian ? lo : hi);
  };
  if (!format.y_fastest) {
    for (std::uint16_t v : frame.pixels) put(v);
    return out;
  }
  for (std::uint32_t x = 0; x < frame.width; ++x)
    for (std::uint32_t y = 0; y < frame.height; ++y) put(frame.at(x, y));
  return out;
}

RawFrameServer::RawFrameServer(const std::string& address, std::uint16_t port, RawFrameFormat format)
    : listener_(listen_tcp(address, port)), port_(local_port(listener_)), format_(format) {}

bool RawFrameServer::accept_client(Clock::time_point deadline) {
  std::optional<Socket> accepted = accept_until(listener_, deadline, 0);
  if (!accepted) return false;
  client_ = std::move(*accepted);
  return true;
}

bool RawFrameServer::send_frame(const Frame& frame) { return send_bytes(encode_raw_frame(frame, format_)); }

bool RawFrameServer::send_bytes(std::span<const std::byte> bytes) {
  if (write_all(client_, bytes)) return true;
  client_.close();
  return false;
}

}  // namespace apical::bridge
