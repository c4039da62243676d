// Neurolucida ASCII: nested parenthesised blocks, ';' comments. A top-level block holding (CellBody)
// is the soma contour; one holding (Axon), (Dendrite) or (Apical) is a tree. In a tree, point blocks
// "(x y z diameter [tag])" follow one another, and a block of branches "( ... | ... )" splits the tree
// at the last point. Markers "(Cross ...)", properties "(Color ...)", spines "<( ... )>", branch-end
// words (Normal, Incomplete, High, Low, ...) and every other top-level block (headers, tissue
// contours) carry no geometry and are skipped.
#include <cctype>
#include <charconv>
#include <cmath>

#include "apical/io/morphology_file.hpp"

namespace apical {
namespace {

struct Node {
  enum class Kind { list, word, text, bar };
  Kind kind = Kind::list;
  std::string word;          // word: the token itself
  int line = 0;              // where it starts
  std::vector<Node> items;   // list: its contents
};

bool is_word_char(char c) {
  return !std::isspace(static_cast<unsigned char>(c)) && c != '(' && c != ')' && c != '|' && c != '"' && c != ';' &&
         c != ',' && c != '<' && c != '>';
}

class Reader {
 public:
  Reader(const std::string& text, std::string file) : text_(text), file_(std::move(file)) {}

  // The whole file as the items of one top-level list.
  Node parse() {
    std::vector<Node> open(1);  // open[0] is the file itself
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') ++line_;
      if (c == ';') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        continue;
      }
      if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
        ++pos_;
        continue;
      }
      if (c == '(') {
        open.push_back(Node{Node::Kind::list, "", line_, {}});
        ++pos_;
      } else if (c == ')') {
        if (open.size() == 1) fail(line_, "')' without a matching '('");
        Node done = std::move(open.back());
        open.pop_back();
        open.back().items.push_back(std::move(done));
        ++pos_;
      } else if (c == '"') {
        open.back().items.push_back(quoted());
      } else {
        open.back().items.push_back(word());
      }
    }
    if (open.size() > 1)
      fail(open.back().line, "this '(' is never closed: the file ends at line " + std::to_string(line_) +
                                 " inside it (is the file truncated?)");
    return std::move(open.front());
  }

  [[noreturn]] void fail(int line, const std::string& detail) const {
    throw InputError(file_, line_location(line), detail);
  }

 private:
  Node quoted() {
    const int start = line_;
    const auto end = text_.find('"', pos_ + 1);
    if (end == std::string::npos) fail(start, "this '\"' is never closed");
    for (std::size_t k = pos_; k < end; ++k) line_ += text_[k] == '\n';
    Node n{Node::Kind::text, text_.substr(pos_ + 1, end - pos_ - 1), start, {}};
    pos_ = end + 1;
    return n;
  }

  Node word() {
    const char c = text_[pos_];
    if (c == '|' || c == '<' || c == '>') {
      ++pos_;
      return Node{c == '|' ? Node::Kind::bar : Node::Kind::word, std::string(1, c), line_, {}};
    }
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_word_char(text_[pos_])) ++pos_;
    return Node{Node::Kind::word, text_.substr(start, pos_ - start), line_, {}};
  }

  const std::string& text_;
  std::string file_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

bool is_number(const Node& n) {
  if (n.kind != Node::Kind::word) return false;
  double value = 0;
  const auto [end, error] = std::from_chars(n.word.data(), n.word.data() + n.word.size(), value);
  return error == std::errc() && end == n.word.data() + n.word.size();
}

double number_of(const Node& n) {
  double value = 0;
  std::from_chars(n.word.data(), n.word.data() + n.word.size(), value);
  return value;
}

bool is_point(const Node& n) { return n.kind == Node::Kind::list && !n.items.empty() && is_number(n.items[0]); }

// A block such as (Color Red), (Name "x"), (Cross ...) or a label like (Dendrite): starts with a word.
bool is_labelled(const Node& n) {
  return n.kind == Node::Kind::list && !n.items.empty() &&
         (n.items[0].kind == Node::Kind::text || (n.items[0].kind == Node::Kind::word && !is_number(n.items[0])));
}

bool has_label(const Node& block, const std::string& label) {
  for (const Node& item : block.items)
    if (is_labelled(item) && item.items.size() == 1 && item.items[0].word == label) return true;
  return false;
}

class TreeBuilder {
 public:
  TreeBuilder(const Reader& reader, Reconstruction& out) : reader_(reader), out_(out) {}

  void add_tree(const Node& block, NeuriteType type) { add_sequence(block.items, 0, block.items.size(), -1, type); }

  // x y z diameter [section tag]; validates the numbers.
  Sample point(const Node& n) const {
    std::size_t numbers = 0;
    while (numbers < n.items.size() && is_number(n.items[numbers])) ++numbers;
    if (numbers != 4 || n.items.size() > 5)
      reader_.fail(n.line, "a point is (x y z diameter [section tag]), found " + std::to_string(n.items.size()) +
                               " items of which " + std::to_string(numbers) + " numbers");
    Sample s;
    s.x_um = number_of(n.items[0]);
    s.y_um = number_of(n.items[1]);
    s.z_um = number_of(n.items[2]);
    const double diameter = number_of(n.items[3]);
    if (!(diameter > 0.0) || !std::isfinite(diameter))
      reader_.fail(n.line, "the diameter must be positive, got " + n.items[3].word);
    s.radius_um = diameter / 2.0;
    s.line = n.line;
    return s;
  }

 private:
  // items[begin, end) continue the branch whose last sample is `last` (-1: the tree has none yet).
  void add_sequence(const std::vector<Node>& items, std::size_t begin, std::size_t end, int last, NeuriteType type) {
    for (std::size_t k = begin; k < end; ++k) {
      const Node& item = items[k];
      if (item.kind == Node::Kind::bar) reader_.fail(item.line, "'|' outside a block of branches");
      if (item.kind == Node::Kind::word && item.word == "<") {  // a spine: skip to its '>'
        while (k < end && !(items[k].kind == Node::Kind::word && items[k].word == ">")) ++k;
        continue;
      }
      if (item.kind != Node::Kind::list || is_labelled(item)) continue;
      if (is_point(item)) {
        Sample s = point(item);
        s.type = type;
        s.parent = last;
        last = static_cast<int>(out_.samples.size());
        out_.samples.push_back(s);
        continue;
      }
      if (last < 0) reader_.fail(item.line, "a block of branches before the tree's first point");
      add_branches(item, last, type);
    }
  }

  void add_branches(const Node& block, int branch_point, NeuriteType type) {
    std::size_t start = 0;
    for (std::size_t k = 0; k <= block.items.size(); ++k) {
      if (k < block.items.size() && block.items[k].kind != Node::Kind::bar) continue;
      add_sequence(block.items, start, k, branch_point, type);
      start = k + 1;
    }
  }

  const Reader& reader_;
  Reconstruction& out_;
};

}  // namespace

Reconstruction read_neurolucida_text(const std::string& text, const std::string& file_label) {
  Reader reader(text, file_label);
  const Node file = reader.parse();
  Reconstruction out;
  TreeBuilder trees(reader, out);
  for (const Node& block : file.items) {
    if (block.kind != Node::Kind::list) continue;
    if (has_label(block, "CellBody")) {
      if (!out.soma_contour.empty())
        reader.fail(block.line, "a second soma contour (CellBody): apical reads cells with one soma outline");
      out.soma_contour_line = block.line;
      for (const Node& item : block.items)
        if (is_point(item)) {
          const Sample s = trees.point(item);
          out.soma_contour.push_back({s.x_um, s.y_um, s.z_um});
        }
      if (out.soma_contour.empty()) reader.fail(block.line, "the soma contour (CellBody) has no points");
    } else if (has_label(block, "Axon")) {
      trees.add_tree(block, NeuriteType::axon);
    } else if (has_label(block, "Dendrite")) {
      trees.add_tree(block, NeuriteType::basal_dendrite);
    } else if (has_label(block, "Apical")) {
      trees.add_tree(block, NeuriteType::apical_dendrite);
    }
  }
  if (out.soma_contour.empty()) throw InputError(file_label, "", "there is no soma contour (a block with (CellBody))");
  return out;
}

}  // namespace apical
