#include "apical/bridge/riglink_line.hpp"

#include <cstdio>

namespace apical::bridge::riglink {

std::uint8_t crc8(std::string_view bytes) {
  std::uint8_t crc = 0;
  for (const char c : bytes) {
    crc ^= static_cast<std::uint8_t>(c);
    for (int bit = 0; bit < 8; ++bit) crc = static_cast<std::uint8_t>((crc & 0x80) ? (crc << 1) ^ 0x07 : crc << 1);
  }
  return crc;
}

std::string frame(std::string_view body) {
  char tail[8];
  std::snprintf(tail, sizeof tail, " *%02X\n", crc8(body));
  return std::string(body) + tail;
}

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string printable(std::string_view line) {
  std::string out;
  for (const char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", u);
      out += hex;
    }
  }
  return "'" + out + "'";
}

}  // namespace

ParsedLine parse(std::string_view line) {
  ParsedLine out;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // tolerate CRLF from hand-typed lines
  if (line.size() < 5 || line[line.size() - 4] != ' ' || line[line.size() - 3] != '*') {
    out.error = "no ' *HH' checksum at the end of " + printable(line);
    return out;
  }
  const int hi = hex_digit(line[line.size() - 2]), lo = hex_digit(line[line.size() - 1]);
  if (hi < 0 || lo < 0) {
    out.error = "checksum is not two uppercase hex digits in " + printable(line);
    return out;
  }
  const std::string_view body = line.substr(0, line.size() - 4);
  const int expected = crc8(body);
  if (expected != hi * 16 + lo) {
    char detail[64];
    std::snprintf(detail, sizeof detail, "bad CRC (line says %02X, body gives %02X) in ", hi * 16 + lo, expected);
    out.error = detail + printable(line);
    out.bad_crc = true;
    return out;
  }
  out.body = std::string(body);
  return out;
}

std::vector<std::string> words(std::string_view body) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < body.size()) {
    const std::size_t end = body.find(' ', i);
    const std::size_t stop = end == std::string_view::npos ? body.size() : end;
    if (stop > i) out.emplace_back(body.substr(i, stop - i));
    i = stop + 1;
  }
  return out;
}

void LineSplitter::feed(std::string_view bytes, std::vector<std::string>& lines, std::vector<std::string>& overlong) {
  for (const char c : bytes) {
    if (c == '\n') {
      if (!skipping_) lines.push_back(partial_);
      partial_.clear();
      skipping_ = false;
      continue;
    }
    if (skipping_) continue;
    partial_ += c;
    if (partial_.size() >= kMaxLineBytes) {  // the LF would make it longer than the limit
      overlong.push_back(printable(partial_.substr(0, 24)) + "...");
      partial_.clear();
      skipping_ = true;
    }
  }
}

}  // namespace apical::bridge::riglink
