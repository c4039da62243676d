#include "headline_table.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <string>

#include "format.hpp"
#include "table.hpp"

namespace apical::cli {
namespace {

using analysis::NamedValue;

std::string head(const std::string& name) { return name.substr(0, name.find('.')); }
std::string tail(const std::string& name) {
  const auto dot = name.find('.');
  return dot == std::string::npos ? std::string() : name.substr(dot + 1);
}
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
// The first `parts` dot-separated parts of a name ("" if it has fewer than parts + 1).
std::string prefix(const std::string& name, int parts) {
  std::size_t at = 0, from = 0;
  for (int p = 0; p < parts; ++p) {
    at = name.find('.', from);
    if (at == std::string::npos) return "";
    from = at + 1;
  }
  return name.substr(0, at);
}

// ---- per-day rows: one table per section, a row per day -----------------------------------------

struct DayTable {
  std::vector<std::string> columns;                        // in first-seen order
  std::map<std::string, std::map<int, double>> mean, sem;  // column → day → value
};

double lookup(const std::map<std::string, std::map<int, double>>& values, const std::string& column, int day) {
  const auto c = values.find(column);
  if (c == values.end()) return std::nan("");
  const auto v = c->second.find(day);
  return v == c->second.end() ? std::nan("") : v->second;
}

void print_day_table(std::ostream& out, const std::string& section, const DayTable& t) {
  std::vector<std::string> header{section + " by day"};
  for (const std::string& c : t.columns) header.push_back(c);
  std::map<int, bool> days;
  for (const auto& [c, values] : t.mean)
    for (const auto& [day, v] : values) days[day] = true;
  Table table(header);
  for (const auto& [day, unused] : days) {
    std::vector<std::string> row{"  day " + std::to_string(day)};
    for (const std::string& c : t.columns) row.push_back(mean_pm(lookup(t.mean, c, day), lookup(t.sem, c, day)));
    table.add(std::move(row));
  }
  table.print(out);
}

// ---- the other rows of a section, condensed --------------------------------------------------------

// Whether rows [i, i + suffixes.size()) are stem + each suffix.
bool group_at(const std::vector<NamedValue>& list, std::size_t i, const std::string& stem,
              const std::vector<std::string>& suffixes) {
  if (i + suffixes.size() > list.size()) return false;
  for (std::size_t k = 0; k < suffixes.size(); ++k)
    if (list[i + k].name != stem + suffixes[k]) return false;
  return true;
}

std::string stem_of(const std::string& name) { return name.substr(0, name.rfind('.')); }

void add_rows(Table& table, const std::vector<NamedValue>& list) {
  const auto v = [&](std::size_t k) { return table_value(list[k].value); };
  std::size_t i = 0;
  while (i < list.size()) {
    const std::string& name = list[i].name;
    // A block with nothing defined (only NaN and zero counts) is one line: try the widest block first.
    bool collapsed = false;
    for (int parts = 1; parts <= 2 && !collapsed; ++parts) {
      const std::string block = prefix(name, parts);
      if (block.empty() || (i > 0 && prefix(list[i - 1].name, parts) == block)) continue;  // only from its start
      std::size_t j = i;
      bool defined = false;
      while (j < list.size() && prefix(list[j].name, parts) == block) {
        defined = defined || (std::isfinite(list[j].value) && list[j].value != 0.0);
        ++j;
      }
      if (!defined && j - i > 2) {
        table.add({"  " + block + ".*", "- (" + std::to_string(j - i) + " values, none defined)"});
        i = j;
        collapsed = true;
      }
    }
    if (collapsed) continue;
    const std::string stem = stem_of(name);
    if (ends_with(name, ".F") && group_at(list, i, stem, {".F", ".df_effect", ".df_error", ".p", ".epsilon_gg", ".p_gg"})) {
      const std::string text = std::isfinite(list[i].value)
                                   ? "F(" + v(i + 1) + ", " + v(i + 2) + ") = " + v(i) + ", p = " + v(i + 3) +
                                         " (Greenhouse-Geisser ε = " + v(i + 4) + ", p = " + v(i + 5) + ")"
                                   : "-";
      table.add({"  " + stem, text});
      i += 6;
      continue;
    }
    if (ends_with(name, ".difference") && group_at(list, i, stem, {".difference", ".q", ".p"})) {
      const std::string text = std::isfinite(list[i].value)
                                   ? v(i) + " (Tukey q = " + v(i + 1) + ", p = " + v(i + 2) + ")"
                                   : "-";
      table.add({"  " + stem, text});
      i += 3;
      continue;
    }
    if (ends_with(name, ".mean") && group_at(list, i, stem, {".mean", ".t", ".p", ".n"})) {
      table.add({"  " + stem, v(i) + " (t = " + v(i + 1) + ", p = " + v(i + 2) + ", n = " + v(i + 3) + ")"});
      i += 4;
      continue;
    }
    if (ends_with(name, ".mean") && group_at(list, i, stem, {".mean", ".sem"})) {
      table.add({"  " + stem, mean_pm(list[i].value, list[i + 1].value)});
      i += 2;
      continue;
    }
    table.add({"  " + name, v(i)});
    ++i;
  }
}

}  // namespace

void print_headline(std::ostream& out, const std::vector<NamedValue>& rows) {
  static const std::regex per_day(R"((.+)\.day(\d+)\.(.+))");
  std::vector<std::string> sections;
  std::map<std::string, DayTable> day_tables;
  std::map<std::string, std::vector<NamedValue>> plain;  // names relative to the section
  for (const NamedValue& row : rows) {
    const std::string section = head(row.name);
    if (std::find(sections.begin(), sections.end(), section) == sections.end()) sections.push_back(section);
    std::smatch m;
    if (!std::regex_match(row.name, m, per_day)) {
      plain[section].push_back({tail(row.name), row.value});
      continue;
    }
    // learning.accuracy.day03.mean → column "accuracy"; transients.plus.day03.normalised.mean → "plus normalised"
    std::string column = tail(m[1].str());
    std::string stat = m[3].str();
    const bool is_sem = stat == "sem" || ends_with(stat, ".sem");
    if (ends_with(stat, ".mean") || ends_with(stat, ".sem")) stat = stem_of(stat);
    else if (stat == "mean" || stat == "sem") stat.clear();
    if (!stat.empty()) column += " " + stat;
    DayTable& t = day_tables[section];
    if (std::find(t.columns.begin(), t.columns.end(), column) == t.columns.end()) t.columns.push_back(column);
    (is_sem ? t.sem : t.mean)[column][std::stoi(m[2].str())] = row.value;
  }

  bool first = true;
  for (const std::string& section : sections) {
    if (!first) out << '\n';
    first = false;
    const std::vector<NamedValue>& list = plain[section];
    if (!list.empty()) {
      Table table({section, ""}, {0, 1});  // mixed text: both columns left-aligned
      add_rows(table, list);
      table.print(out);
    }
    if (day_tables.count(section)) {
      if (!list.empty()) out << '\n';
      print_day_table(out, section, day_tables.at(section));
    }
  }
}

}  // namespace apical::cli
