#pragma once
// The fields of a bci_cohort scenario, declared once and walked by visitors that read them from JSON,
// write them back (the resolved scenario) and list them (the key reference). Each section of
// ExperimentSpec has one declaration function (bci_sections.hpp); a visitor sees every field with its
// JSON key, the ExperimentSpec member it fills, its unit and its meaning.
//
// Keys are the member names without their unit suffix; the unit goes into the value:
// `reward_tau_s` is "reward_tau": "0.2 s", `session_min` is "session": "30 min". Members without a
// unit (counts, flags, choices, dimensionless numbers) keep their names.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "apical/models/bci/experiment_spec.hpp"

namespace apical::detail {

inline constexpr double no_bound = std::numeric_limits<double>::infinity();

struct BciField {
  const char* key;          // JSON key
  const char* member;       // the struct member it fills ("reward_tau_s"), as bci::validate names it
  const char* unit;         // "1": a plain number; otherwise the unit the member is stored in
  const char* meaning;
  double min = -no_bound;   // inclusive bounds checked while reading (declared ones); others are
  double max = no_bound;    // left to bci::validate
};

class BciFieldVisitor {
 public:
  virtual ~BciFieldVisitor() = default;
  using Body = std::function<void(BciFieldVisitor&)>;

  virtual void real(const BciField& field, double& value) = 0;               // quantity or plain number
  virtual void count(const BciField& field, std::size_t& value) = 0;         // integer ≥ 0
  virtual void integer(const BciField& field, int& value) = 0;
  virtual void seed(const BciField& field, std::uint64_t& value) = 0;        // 0 … 2^64 − 1
  virtual void flag(const BciField& field, bool& value) = 0;
  virtual void choice(const BciField& field, std::string& value, const std::vector<std::string>& names) = 0;
  virtual void section(const BciField& field, const Body& body) = 0;         // a nested object
  // learning.parameters: an object whose keys are the parameters of learning.rule (read before it).
  virtual void rule_parameters(const BciField& field, bci::LearningSpec& learning) = 0;
};

// An enumeration as a choice of names (each enumerator once, names distinct).
template <class E>
void enumeration(BciFieldVisitor& v, const BciField& field, E& value,
                 const std::vector<std::pair<E, std::string>>& names) {
  std::vector<std::string> choices;
  std::string current;
  for (const auto& [e, name] : names) {
    choices.push_back(name);
    if (e == value) current = name;
  }
  v.choice(field, current, choices);
  for (const auto& [e, name] : names)
    if (name == current) value = e;
}

// The same for enumerations that models names with to_string().
template <class E>
void enumeration(BciFieldVisitor& v, const BciField& field, E& value, const std::vector<E>& enumerators) {
  std::vector<std::pair<E, std::string>> names;
  for (E e : enumerators) names.emplace_back(e, bci::to_string(e));
  enumeration(v, field, value, names);
}

// The parameters of a model struct from its visit_fields() declaration (name, unit, bounds, meaning),
// e.g. TwoCompartmentParameters: the key is visit_fields' name ("tau_s" for tau_s_ms) and the declared
// bounds are checked while reading, so bci::validate never has to name these members.
template <class Parameters>
void model_fields(BciFieldVisitor& v, Parameters& p) {
  visit_fields(p, [&](const char* name, const char* unit, auto& field, double min, double max, const char* meaning) {
    const BciField f{name, name, unit, meaning, min, max};
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(field)>, std::size_t>) {
      v.count(f, field);
    } else {
      static_assert(std::is_same_v<std::remove_cvref_t<decltype(field)>, double>);
      v.real(f, field);
    }
  });
}

// A nested section whose body declares its fields.
inline void section(BciFieldVisitor& v, const char* key, const char* meaning, const BciFieldVisitor::Body& body) {
  v.section(BciField{key, key, "", meaning}, body);
}

}  // namespace apical::detail
