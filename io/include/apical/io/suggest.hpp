#pragma once
// "Did you mean" hints for misspelt keys, mechanism, section and unit names.
#include <string>
#include <vector>

namespace apical {

// Optimal-string-alignment edit distance (insertions, deletions, substitutions, transpositions).
std::size_t edit_distance(const std::string& a, const std::string& b);

// The candidate nearest to `word` if it is close enough to be a plausible typo, else "".
std::string nearest_candidate(const std::string& word, const std::vector<std::string>& candidates);

// "; did you mean 'x'?" when a near candidate exists, else "; expected one of: a, b, c".
std::string suggestion_suffix(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace apical
