#pragma once
// RIGLINK/1 line framing (rig.md §3), shared by the host driver and the emulator: a line is
// `body SP "*" HH LF`, at most 96 bytes, HH the CRC-8 of the body (polynomial 0x07, initial 0, no
// reflection, no final XOR; check value 0xF4 for "123456789") in two uppercase hex digits.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace apical::bridge::riglink {

inline constexpr std::size_t kMaxLineBytes = 96;  // including " *HH" and LF

std::uint8_t crc8(std::string_view bytes);

// "17 REWARD 0 40" -> "17 REWARD 0 40 *7D\n".
std::string frame(std::string_view body);

// One received line without its LF: the body, or why it is unusable ("bad CRC: ...").
struct ParsedLine {
  std::optional<std::string> body;
  std::string error;        // set when body is empty
  bool bad_crc = false;     // the line was well formed but its checksum did not match
};
ParsedLine parse(std::string_view line);

// Splits a body on spaces.
std::vector<std::string> words(std::string_view body);

// Collects bytes into lines; a line longer than kMaxLineBytes is reported once and skipped up to its LF.
class LineSplitter {
 public:
  // Appends bytes; complete lines (without LF) go to `lines`, overlong ones to `overlong` (their start).
  void feed(std::string_view bytes, std::vector<std::string>& lines, std::vector<std::string>& overlong);

 private:
  std::string partial_;
  bool skipping_ = false;
};

}  // namespace apical::bridge::riglink
