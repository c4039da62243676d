#include "apical/bridge/apf_protocol.hpp"

#include <cstring>

namespace apical::bridge::apf {
namespace {

template <class T>
void put(HeaderBytes& out, std::size_t offset, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) out[offset + i] = std::byte((std::uint64_t(value) >> (8 * i)) & 0xffu);
}

template <class T>
T get(std::span<const std::byte, header_bytes> in, std::size_t offset) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) v |= std::uint64_t(in[offset + i]) << (8 * i);
  return static_cast<T>(v);
}

std::array<std::uint32_t, 256> crc32c_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    table[i] = c;
  }
  return table;
}

}  // namespace

HeaderBytes encode(const Header& h) {
  HeaderBytes out{};
  std::memcpy(out.data(), magic.data(), magic.size());
  put(out, 4, h.version);
  put(out, 6, h.header_bytes);
  put(out, 8, h.seq);
  put(out, 16, h.t_acq_ns);
  put(out, 24, h.t_send_ns);
  put(out, 32, h.width);
  put(out, 34, h.height);
  put(out, 36, std::uint8_t(h.pixel_type));
  put(out, 37, std::uint8_t(h.layout));
  put(out, 38, h.plane);
  put(out, 39, h.n_planes);
  put(out, 40, h.channel);
  put(out, 41, std::uint8_t(h.kind));
  put(out, 42, h.flags);
  put(out, 44, h.payload_bytes);
  return out;
}

Header decode(std::span<const std::byte, header_bytes> in) {
  Header h;
  h.version = get<std::uint16_t>(in, 4);
  h.header_bytes = get<std::uint16_t>(in, 6);
  h.seq = get<std::uint64_t>(in, 8);
  h.t_acq_ns = get<std::uint64_t>(in, 16);
  h.t_send_ns = get<std::uint64_t>(in, 24);
  h.width = get<std::uint16_t>(in, 32);
  h.height = get<std::uint16_t>(in, 34);
  h.pixel_type = PixelType(get<std::uint8_t>(in, 36));
  h.layout = Layout(get<std::uint8_t>(in, 37));
  h.plane = get<std::uint8_t>(in, 38);
  h.n_planes = get<std::uint8_t>(in, 39);
  h.channel = get<std::uint8_t>(in, 40);
  h.kind = Kind(get<std::uint8_t>(in, 41));
  h.flags = get<std::uint16_t>(in, 42);
  h.payload_bytes = get<std::uint32_t>(in, 44);
  return h;
}

bool has_magic(std::span<const std::byte> bytes) {
  return bytes.size() >= magic.size() && std::memcmp(bytes.data(), magic.data(), magic.size()) == 0;
}

std::size_t pixel_bytes(PixelType type) {
  switch (type) {
    case PixelType::u16:
    case PixelType::i16: return 2;
    case PixelType::u8: return 1;
    case PixelType::f32: return 4;
  }
  return 0;
}

std::uint64_t frame_payload_bytes(const Header& h) { return std::uint64_t(h.width) * h.height * pixel_bytes(h.pixel_type); }

std::string header_problem(const Header& h) {
  if (h.version != version) return "version " + std::to_string(h.version) + " (this receiver reads version 1)";
  if (h.header_bytes < header_bytes) return "header_bytes " + std::to_string(h.header_bytes) + " < 48";
  if (h.kind != Kind::frame && h.kind != Kind::metadata && h.kind != Kind::end)
    return "unknown kind " + std::to_string(int(h.kind));
  if (h.payload_bytes > max_payload_bytes) return "payload_bytes " + std::to_string(h.payload_bytes) + " is implausibly large";
  if (h.kind != Kind::frame) return "";
  if (pixel_bytes(h.pixel_type) == 0) return "unknown pixel_type " + std::to_string(int(h.pixel_type));
  if (h.layout != Layout::row_major && h.layout != Layout::column_major)
    return "unknown layout " + std::to_string(int(h.layout));
  const std::uint64_t expected = frame_payload_bytes(h);
  if (h.payload_bytes != expected)
    return "payload_bytes " + std::to_string(h.payload_bytes) + " != width·height·bytes = " + std::to_string(h.width) +
           "·" + std::to_string(h.height) + "·" + std::to_string(pixel_bytes(h.pixel_type)) + " = " + std::to_string(expected);
  return "";
}

std::uint32_t crc32c(std::span<const std::byte> bytes) {
  static const std::array<std::uint32_t, 256> table = crc32c_table();
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::byte b : bytes) c = table[(c ^ std::uint32_t(b)) & 0xffu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

}  // namespace apical::bridge::apf
