#include <catch2/catch.hpp>
#include <cstring>

#include "apical/bridge/apf_protocol.hpp"

using namespace apical::bridge;

TEST_CASE("APF/1 header round-trips every field at the offsets of the protocol table", "[bridge][apf]") {
  apf::Header h;
  h.seq = 0x0102030405060708ull;
  h.t_acq_ns = 11;
  h.t_send_ns = 12;
  h.width = 796;
  h.height = 512;
  h.layout = apf::Layout::column_major;
  h.plane = 1;
  h.n_planes = 2;
  h.channel = 3;
  h.flags = apf::flag::crc32c | apf::flag::test_pattern;
  h.payload_bytes = 796u * 512u * 2u;
  const apf::HeaderBytes bytes = apf::encode(h);
  CHECK(std::memcmp(bytes.data(), "APFR", 4) == 0);
  CHECK(bytes[8] == std::byte{0x08});   // seq, little-endian
  CHECK(bytes[15] == std::byte{0x01});
  CHECK(bytes[32] == std::byte{796 & 0xff});  // width
  CHECK(bytes[36] == std::byte{1});     // pixel_type u16
  CHECK(bytes[41] == std::byte{1});     // kind frame
  const apf::Header back = apf::decode(bytes);
  CHECK(back.seq == h.seq);
  CHECK(back.width == 796);
  CHECK(back.height == 512);
  CHECK(back.layout == apf::Layout::column_major);
  CHECK(back.n_planes == 2);
  CHECK(back.flags == h.flags);
  CHECK(back.payload_bytes == h.payload_bytes);
  CHECK(apf::header_problem(back).empty());
}

TEST_CASE("APF/1 header problems are named", "[bridge][apf]") {
  apf::Header h;
  h.width = 16;
  h.height = 16;
  h.payload_bytes = 100;
  CHECK_THAT(apf::header_problem(h), Catch::Matchers::Contains("payload_bytes 100") && Catch::Matchers::Contains("512"));
  h.payload_bytes = 512;
  h.version = 2;
  CHECK_THAT(apf::header_problem(h), Catch::Matchers::Contains("version 2"));
}

TEST_CASE("CRC-32C has the Castagnoli check value", "[bridge][apf]") {
  const char* text = "123456789";
  CHECK(apf::crc32c(std::as_bytes(std::span(text, 9))) == 0xE3069283u);
}
