#pragma once
// The sending side of both TCP protocols: what `apical stream` uses to publish frames and what tests
// and labs use to check a set-up. APF/1 senders connect to the bridge; a CLOOSE raw server waits, as
// Scanbox does, for the bridge to connect.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "apical/bridge/apf_protocol.hpp"
#include "apical/bridge/frame.hpp"
#include "apical/bridge/socket.hpp"

namespace apical::bridge {

// One APF/1 frame message (header, row-major u16 payload, CRC-32C when `flags` asks for it).
// t_send_ns is the sender's monotonic clock now.
std::vector<std::byte> encode_apf_frame(const Frame& frame, std::uint16_t flags = 0);
std::vector<std::byte> encode_apf_message(apf::Kind kind, std::uint64_t seq, const std::string& payload);

class ApfSender {
 public:
  // Connects to host:port, retrying until `connect_timeout`; throws std::runtime_error naming the
  // endpoint if no bridge accepts.
  ApfSender(const std::string& host, std::uint16_t port, std::chrono::milliseconds connect_timeout, bool crc = false);
  // Each returns false once the receiver has gone.
  bool send_frame(const Frame& frame);
  bool send_metadata(std::uint64_t seq, const std::string& json);
  bool send_end(std::uint64_t seq);
  bool send_bytes(std::span<const std::byte> bytes);  // anything, e.g. a deliberately broken message

 private:
  Socket socket_;
  bool crc_;
};

struct RawFrameFormat {
  bool y_fastest = false;  // sample order on the wire
  bool big_endian = false;
  bool invert = false;     // send 65535 − v, as Scanbox does
};

// One headerless frame of width·height·2 bytes.
std::vector<std::byte> encode_raw_frame(const Frame& frame, const RawFrameFormat& format);

class RawFrameServer {
 public:
  // Listens on address:port (0: any free port).
  RawFrameServer(const std::string& address, std::uint16_t port, RawFrameFormat format);
  [[nodiscard]] std::uint16_t port() const { return port_; }
  // Accepts the bridge's connection (replacing an earlier one); false if none came before the deadline.
  bool accept_client(Clock::time_point deadline);
  [[nodiscard]] bool has_client() const { return client_.is_open(); }
  void drop_client() { client_.close(); }
  // False (and the client dropped) once the bridge has gone.
  bool send_frame(const Frame& frame);
  bool send_bytes(std::span<const std::byte> bytes);

 private:
  Socket listener_;
  std::uint16_t port_;
  RawFrameFormat format_;
  Socket client_;
};

}  // namespace apical::bridge
