#pragma once
// APF/1, the apical frame protocol (rig.md §2; docs/frame-protocol.md). Little-endian. Every message
// is a 48-byte header followed by payload_bytes bytes (and a CRC-32C when flag bit 2 is set). The
// sender connects to the bridge, default port 47800.
//
// | Offset | Type     | Field          | Rule |
// |--------|----------|----------------|------|
// | 0      | char[4]  | magic          | "APFR" |
// | 4      | u16      | version        | 1 |
// | 6      | u16      | header_bytes   | 48; a newer minor version may grow it, receivers skip the extra bytes |
// | 8      | u64      | seq            | +1 per frame per stream from 0; a gap is a drop, a repeat or decrease a duplicate or restart |
// | 16     | u64      | t_acq_ns       | acquisition clock at the frame-clock edge; 0 if unknown |
// | 24     | u64      | t_send_ns      | sender monotonic time at send |
// | 32     | u16, u16 | width, height  | pixels |
// | 36     | u8       | pixel_type     | 1 u16, 2 i16, 3 u8, 4 f32 |
// | 37     | u8       | layout         | 0 row-major (x fastest), 1 column-major (y fastest) |
// | 38     | u8, u8   | plane, n_planes| ETL plane index and count |
// | 40     | u8       | channel        | PMT channel |
// | 41     | u8       | kind           | 1 frame, 2 metadata (UTF-8 JSON), 3 end of stream |
// | 42     | u16      | flags          | bit 0 PMT-gated lines, bit 1 test pattern, bit 2 CRC-32C follows the payload |
// | 44     | u32      | payload_bytes  | width·height·bytes(pixel_type) for kind 1 |
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace apical::bridge::apf {

inline constexpr std::array<char, 4> magic{'A', 'P', 'F', 'R'};
inline constexpr std::uint16_t version = 1;
inline constexpr std::size_t header_bytes = 48;
inline constexpr std::uint16_t default_port = 47800;
// Largest payload a receiver accepts before calling the header corrupt: a 4096 × 4096 f32 frame.
inline constexpr std::uint32_t max_payload_bytes = 4096u * 4096u * 4u;

enum class PixelType : std::uint8_t { u16 = 1, i16 = 2, u8 = 3, f32 = 4 };
enum class Layout : std::uint8_t { row_major = 0, column_major = 1 };
enum class Kind : std::uint8_t { frame = 1, metadata = 2, end = 3 };

namespace flag {
inline constexpr std::uint16_t pmt_gated = 1u << 0;
inline constexpr std::uint16_t test_pattern = 1u << 1;
inline constexpr std::uint16_t crc32c = 1u << 2;
}  // namespace flag

struct Header {
  std::uint16_t version = apf::version;
  std::uint16_t header_bytes = apf::header_bytes;
  std::uint64_t seq = 0;
  std::uint64_t t_acq_ns = 0;
  std::uint64_t t_send_ns = 0;
  std::uint16_t width = 0, height = 0;
  PixelType pixel_type = PixelType::u16;
  Layout layout = Layout::row_major;
  std::uint8_t plane = 0, n_planes = 1;
  std::uint8_t channel = 0;
  Kind kind = Kind::frame;
  std::uint16_t flags = 0;
  std::uint32_t payload_bytes = 0;
};

using HeaderBytes = std::array<std::byte, header_bytes>;

// The 48 bytes of a header, magic included.
HeaderBytes encode(const Header& header);
// Reads the fields of a header whose magic has been checked; no other validation.
Header decode(std::span<const std::byte, header_bytes> bytes);
[[nodiscard]] bool has_magic(std::span<const std::byte> bytes);

// Bytes per pixel of a pixel type; 0 for an unknown code.
std::size_t pixel_bytes(PixelType type);
// width·height·bytes(pixel_type): what payload_bytes must be for a frame.
std::uint64_t frame_payload_bytes(const Header& header);
// "" if the header is usable, else why not (e.g. "payload_bytes 1000 != 16·16·2 = 512 for kind 1").
std::string header_problem(const Header& header);

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial and final XOR 0xFFFFFFFF); the check
// value of "123456789" is 0xE3069283.
std::uint32_t crc32c(std::span<const std::byte> bytes);

}  // namespace apical::bridge::apf
