#pragma once
// A plain-text table with columns padded to their widest cell. Text columns (named in `left`) are
// left-aligned, numbers right-aligned. Widths count UTF-8 characters.
#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

namespace apical::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> header, std::vector<std::size_t> left = {0})
      : left_(std::move(left)) {
    rows_.push_back(std::move(header));
  }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

  void print(std::ostream& out) const {
    std::vector<std::size_t> width;
    for (const auto& row : rows_)
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (width.size() <= i) width.push_back(0);
        width[i] = std::max(width[i], display_width(row[i]));
      }
    for (const auto& row : rows_) {
      std::string line;
      for (std::size_t i = 0; i < row.size(); ++i) {
        const std::string pad(width[i] - display_width(row[i]), ' ');
        const bool is_left = std::find(left_.begin(), left_.end(), i) != left_.end();
        line += (i == 0 ? "" : "  ") + (is_left ? row[i] + pad : pad + row[i]);
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out << line << '\n';
    }
  }

 private:
  // Characters, not bytes: UTF-8 continuation bytes (10xxxxxx) take no column ("±", "Δ").
  static std::size_t display_width(const std::string& s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  }
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::size_t> left_;
};

}  // namespace apical::cli
