#include "apical/io/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace apical {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  // Three rolling rows suffice for the transposition term.
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

std::string nearest_candidate(const std::string& word, const std::vector<std::string>& candidates) {
  // Compare case-insensitively so "Amplitude" still finds "amplitude".
  const auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  const std::string w = lower(word);
  std::string best;
  std::size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    const std::size_t d = edit_distance(w, lower(candidate));
    if (best.empty() || d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  // A third of the longer word (at least 2 edits) keeps the hints plausible for short names.
  const std::size_t limit = std::max<std::size_t>(2, std::max(word.size(), best.size()) / 3);
  return !best.empty() && best_distance <= limit ? best : std::string();
}

std::string suggestion_suffix(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string near = nearest_candidate(word, candidates);
  if (!near.empty()) return "; did you mean '" + near + "'?";
  if (candidates.empty()) return "";
  std::string list;
  for (const std::string& c : candidates) list += (list.empty() ? "" : ", ") + c;
  return "; expected one of: " + list;
}

}  // namespace apical
