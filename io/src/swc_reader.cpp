// SWC: one sample per line, "id type x y z radius parent", '#' starts a comment. Ids need not be in
// order; parents may follow their children. Type codes (Cannon et al. 1998): 1 soma, 2 axon,
// 3 basal dendrite, 4 apical dendrite; apical rejects the others (0 undefined, 5 fork point, 6 end
// point, 7+ custom) because they say nothing about where a section belongs.
#include <charconv>
#include <cmath>
#include <map>
#include <sstream>

#include "apical/io/morphology_file.hpp"

namespace apical {
namespace {

struct Row {
  long long id = 0, parent = 0;
  Sample sample;
};

class SwcParser {
 public:
  explicit SwcParser(std::string file) : file_(std::move(file)) {}

  Reconstruction parse(const std::string& text) {
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) read_line(line.substr(0, line.find('#')), number);
    if (rows_.empty()) throw InputError(file_, "", "the file has no samples");
    return ordered();
  }

 private:
  [[noreturn]] void fail(int line, const std::string& detail) const {
    throw InputError(file_, line_location(line), detail);
  }

  template <class T>
  T number(const std::string& field, const char* what, int line) const {
    T value{};
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (error != std::errc() || end != field.data() + field.size())
      fail(line, std::string("the ") + what + " '" + field + "' is not " +
                     (std::is_integral_v<T> ? "an integer" : "a number"));
    if constexpr (std::is_floating_point_v<T>)
      if (!std::isfinite(value)) fail(line, std::string("the ") + what + " must be finite");
    return value;
  }

  void read_line(const std::string& text, int line) {
    std::istringstream fields_in(text);
    std::vector<std::string> f;
    for (std::string field; fields_in >> field;) f.push_back(field);
    if (f.empty()) return;
    if (f.size() != 7)
      fail(line, "expected 7 fields (id type x y z radius parent), found " + std::to_string(f.size()));
    Row row;
    row.id = number<long long>(f[0], "id", line);
    const long long type = number<long long>(f[1], "type", line);
    if (type < 1 || type > 4)
      fail(line, "unknown sample type " + f[1] + " (apical reads 1 soma, 2 axon, 3 basal dendrite, 4 apical dendrite)");
    row.sample.type = static_cast<NeuriteType>(type);
    row.sample.x_um = number<double>(f[2], "x", line);
    row.sample.y_um = number<double>(f[3], "y", line);
    row.sample.z_um = number<double>(f[4], "z", line);
    row.sample.radius_um = number<double>(f[5], "radius", line);
    if (!(row.sample.radius_um > 0.0)) fail(line, "the radius must be positive, got " + f[5]);
    row.parent = number<long long>(f[6], "parent", line);
    if (row.parent == row.id) fail(line, "sample " + f[0] + " is its own parent");
    row.sample.line = line;
    const auto [previous, inserted] = index_of_.emplace(row.id, rows_.size());
    if (!inserted) fail(line, "sample id " + f[0] + " is already used on line " + std::to_string(rows_[previous->second].sample.line));
    rows_.push_back(row);
  }

  // The samples with every parent before its children (roots and children in file order).
  Reconstruction ordered() const {
    std::vector<std::vector<std::size_t>> children(rows_.size());
    std::vector<std::size_t> roots;
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      if (rows_[i].parent < 0) {
        roots.push_back(i);
        continue;
      }
      const auto parent = index_of_.find(rows_[i].parent);
      if (parent == index_of_.end())
        fail(rows_[i].sample.line, "parent " + std::to_string(rows_[i].parent) + " of sample " +
                                       std::to_string(rows_[i].id) + " does not exist");
      children[parent->second].push_back(i);
    }
    Reconstruction out;
    std::vector<int> new_index(rows_.size(), -1);
    std::vector<std::size_t> stack(roots.rbegin(), roots.rend());
    while (!stack.empty()) {
      const std::size_t i = stack.back();
      stack.pop_back();
      Sample s = rows_[i].sample;
      s.parent = rows_[i].parent < 0 ? -1 : new_index[index_of_.at(rows_[i].parent)];
      new_index[i] = static_cast<int>(out.samples.size());
      out.samples.push_back(s);
      stack.insert(stack.end(), children[i].rbegin(), children[i].rend());
    }
    for (std::size_t i = 0; i < rows_.size(); ++i)
      if (new_index[i] < 0) fail(rows_[i].sample.line, "sample " + std::to_string(rows_[i].id) + cycle_text(i));
    return out;
  }

  // Every sample unreachable from a root lies on, or hangs off, a cycle of parents: name the cycle.
  std::string cycle_text(std::size_t start) const {
    std::vector<std::size_t> path{start};
    std::map<std::size_t, std::size_t> seen{{start, 0}};
    for (;;) {
      const std::size_t next = index_of_.at(rows_[path.back()].parent);
      if (const auto again = seen.find(next); again != seen.end()) {
        std::string text = " is part of or hangs off a cycle of parents: ";
        for (std::size_t k = again->second; k < path.size(); ++k) text += std::to_string(rows_[path[k]].id) + " -> ";
        return text + std::to_string(rows_[next].id);
      }
      seen.emplace(next, path.size());
      path.push_back(next);
    }
  }

  std::string file_;
  std::vector<Row> rows_;
  std::map<long long, std::size_t> index_of_;
};

}  // namespace

Reconstruction read_swc_text(const std::string& text, const std::string& file_label) {
  return SwcParser(file_label).parse(text);
}

}  // namespace apical
