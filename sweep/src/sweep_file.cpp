// Sweep files: strict reading (header, base, set, grid, seeds), path checks against the resolved base
// scenario, and the expansion of run i into its scenario, seed and folder.
#include "apical/sweep/sweep_file.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <set>
#include <stdexcept>

#include "apical/io/bci_scenario.hpp"
#include "apical/io/input_error.hpp"
#include "apical/io/json_reader.hpp"
#include "apical/io/suggest.hpp"
#include "apical/models/learning/learning_rules.hpp"
#include "apical/sweep/run_hash.hpp"

namespace apical::sweep {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t max_runs = 10'000'000;  // far beyond any cluster allocation; guards overflow

const std::vector<std::string> top_keys{"format", "format_version", "name", "description", "base",
                                        "set", "grid", "seeds", "first_seed"};

std::string join_pointer(const std::vector<std::string>& parts, std::size_t count) {
  std::string p;
  for (std::size_t i = 0; i < count; ++i) p = pointer_append(p, parts[i]);
  return p;
}

// Every parameter name of every registered learning rule: the keys "learning/parameters" may take
// (which of them applies depends on the rule of each run, so the loader checks that per run).
std::vector<std::string> rule_parameter_names() {
  std::set<std::string> names;
  const LearningRuleRegistry& rules = builtin_learning_rules();
  for (const std::string& rule : rules.names())
    for (const ParameterSpec& p : rules.find(rule)->info().parameters) names.insert(p.name);
  return {names.begin(), names.end()};
}

// Checks that `parts` names a key of the resolved base scenario (every key written out), and
// returns the normalised pointer. `where` is the sweep file's value holding the path.
std::string check_path(const JsonValue& where, const std::string& text, const json& schema) {
  std::vector<std::string> parts;
  try {
    parts = split_path(text);
  } catch (const std::invalid_argument& e) {
    where.fail(e.what());
  }
  const std::string& top = parts.front();
  if (parts.size() == 1 && (top == "format" || top == "format_version" || top == "kind"))
    where.fail("\"" + text + "\" is part of the scenario header and cannot be swept");
  if (parts.size() == 1 && top == "seed")
    where.fail("the seed of every run comes from \"seeds\" and \"first_seed\"; \"seed\" cannot be swept");
  const json* node = &schema;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string at = join_pointer(parts, i);
    if (!node->is_object())
      where.fail("\"" + text + "\" goes below " + at + ", which is a value, not an object");
    if (at == "/learning/parameters") {
      // The keys depend on the rule, which the grid may change: any registered rule's parameter.
      static const std::vector<std::string> names = rule_parameter_names();
      if (std::find(names.begin(), names.end(), parts[i]) == names.end())
        where.fail("no learning rule has a parameter '" + parts[i] + "'" + suggestion_suffix(parts[i], names));
      if (i + 1 < parts.size())
        where.fail("\"" + text + "\" goes below " + join_pointer(parts, i + 1) + ", which is a value, not an object");
      break;
    }
    const auto it = node->find(parts[i]);
    if (it == node->end()) {
      std::vector<std::string> keys;
      for (const auto& [key, value] : node->items()) keys.push_back(key);
      where.fail("unknown scenario key '" + parts[i] + "'" + (at.empty() ? "" : " in " + at) +
                 suggestion_suffix(parts[i], keys));
    }
    node = &*it;
  }
  return join_pointer(parts, parts.size());
}

Axis read_axis(const JsonValue& entry, const json& schema) {
  const JsonObject o(entry, {"path", "values"});
  const JsonValue path = o.required("path");
  Axis axis;
  axis.pointer = check_path(path, path.as_string(), schema);
  axis.label = axis.pointer.substr(1);
  for (const JsonValue& v : o.required("values").as_array(1)) axis.values.push_back(v.raw());
  return axis;
}

// Where each path was given, to name both places when two overlap.
struct PathSite {
  std::string pointer;  // the scenario field
  std::string where;    // the sweep file's JSON Pointer of the path
};

void check_overlaps(const std::vector<PathSite>& sites, const std::string& file) {
  for (std::size_t i = 0; i < sites.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      const std::string& a = sites[i].pointer;
      const std::string& b = sites[j].pointer;
      if (a == b) throw InputError(file, sites[i].where, "sets " + a + ", which " + sites[j].where + " already sets");
      const auto inside = [](const std::string& inner, const std::string& outer) {
        return inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 && inner[outer.size()] == '/';
      };
      if (inside(a, b) || inside(b, a))
        throw InputError(file, sites[i].where, a + " overlaps " + b + ", set by " + sites[j].where);
    }
}

}  // namespace

std::vector<std::string> split_path(const std::string& path) {
  if (path.empty() || path == "/") throw std::invalid_argument("the path is empty; write it like \"learning/rule\"");
  std::vector<std::string> parts;
  std::size_t start = path.front() == '/' ? 1 : 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    const std::string raw = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (raw.empty()) throw std::invalid_argument("\"" + path + "\" has an empty component");
    std::string part;
    for (std::size_t k = 0; k < raw.size(); ++k) {
      if (raw[k] == '~' && k + 1 < raw.size() && (raw[k + 1] == '0' || raw[k + 1] == '1')) {
        part += raw[k + 1] == '0' ? '~' : '/';
        ++k;
      } else {
        part += raw[k];
      }
    }
    parts.push_back(part);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

std::string value_text(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

std::size_t Sweep::grid_points() const {
  std::size_t n = 1;
  for (const Factor& f : grid) n *= f.size();
  return n;
}

std::vector<const Axis*> Sweep::axes() const {
  std::vector<const Axis*> out;
  for (const Factor& f : grid)
    for (const Axis& a : f.axes) out.push_back(&a);
  return out;
}

Sweep load_sweep(const std::string& path) {
  return read_sweep(read_json_file(path), path, fs::path(path).parent_path().string());
}

Sweep read_sweep(const json& document, const std::string& file_label, const std::string& folder) {
  const JsonValue top(document, file_label);
  const JsonObject o(top, top_keys);
  const JsonValue format = o.required("format");
  if (format.as_string() != "apical-sweep")
    format.fail("this reader expects \"apical-sweep\" files, got \"" + format.as_string() + "\"" +
                (format.as_string() == "apical-scenario" ? " (run a scenario with 'apical run')" : ""));
  const JsonValue version = o.required("format_version");
  if (version.as_integer(0, std::numeric_limits<long long>::max()) != sweep_format_version)
    version.fail("unsupported version " + version.raw().dump() + "; this apical reads apical-sweep version " +
                 std::to_string(sweep_format_version));

  Sweep sweep;
  sweep.file = file_label;
  sweep.name = o.has("name") ? o.required("name").as_name() : fs::path(file_label).stem().string();
  if (const auto d = o.optional("description")) sweep.description = d->as_string();

  // The base scenario, relative to the sweep file's folder; it must be a bci_cohort that loads.
  const JsonValue base = o.required("base");
  const fs::path base_path(base.as_name());
  sweep.base_file = (base_path.is_absolute() ? base_path : fs::path(folder) / base_path).lexically_normal().string();
  if (!fs::is_regular_file(sweep.base_file)) base.fail("no scenario file " + sweep.base_file);
  sweep.base = read_json_file(sweep.base_file);
  const std::string kind = scenario_kind(sweep.base, sweep.base_file);
  if (kind != "bci_cohort")
    base.fail(sweep.base_file + " is a \"" + kind + "\" scenario; sweeps run \"bci_cohort\" scenarios");
  const json schema = resolved_bci_scenario(read_bci_scenario(sweep.base, sweep.base_file));

  std::vector<PathSite> sites;
  if (const auto set = o.optional("set")) {
    if (!set->raw().is_object()) set->fail("expected an object of \"path\": value pairs, got " + describe_json(set->raw()));
    for (const auto& [path, value] : set->raw().items()) {
      const JsonValue where(value, file_label, pointer_append(set->pointer(), path));
      Axis axis;
      axis.pointer = check_path(where, path, schema);
      axis.label = axis.pointer.substr(1);
      axis.values.push_back(value);
      sites.push_back({axis.pointer, where.pointer()});
      sweep.set.push_back(std::move(axis));
    }
  }

  const std::vector<JsonValue> grid = o.required("grid").as_array();
  for (const JsonValue& entry : grid) {
    Factor factor;
    if (entry.raw().is_object() && entry.raw().contains("zip")) {
      const JsonObject z(entry, {"zip"});
      const std::vector<JsonValue> zipped = z.required("zip").as_array(1);
      for (const JsonValue& member : zipped) {
        factor.axes.push_back(read_axis(member, schema));
        sites.push_back({factor.axes.back().pointer, pointer_append(member.pointer(), "path")});
        const std::size_t n = factor.axes.back().values.size();
        if (n != factor.axes.front().values.size())
          throw InputError(file_label, pointer_append(member.pointer(), "values"),
                           "has " + std::to_string(n) + " values; zipped axes step together and need the same "
                           "number as " + pointer_append(zipped.front().pointer(), "values") + " (" +
                           std::to_string(factor.axes.front().values.size()) + ")");
      }
    } else {
      factor.axes.push_back(read_axis(entry, schema));
      sites.push_back({factor.axes.back().pointer, pointer_append(entry.pointer(), "path")});
    }
    sweep.grid.push_back(std::move(factor));
  }
  check_overlaps(sites, file_label);

  const JsonValue seeds = o.required("seeds");
  sweep.seeds = static_cast<std::size_t>(seeds.as_integer(1, static_cast<long long>(max_runs)));
  if (const auto first = o.optional("first_seed"))
    sweep.first_seed = static_cast<std::uint64_t>(first->as_integer(0, std::numeric_limits<long long>::max()));
  std::size_t runs = sweep.seeds;
  for (const Factor& f : sweep.grid) {
    if (runs > max_runs / f.size()) top.fail("the grid has more than " + std::to_string(max_runs) + " runs");
    runs *= f.size();
  }
  return sweep;
}

Run expand_run(const Sweep& sweep, std::size_t index) {
  if (index >= sweep.runs())
    throw std::out_of_range("run " + std::to_string(index) + " of a sweep of " + std::to_string(sweep.runs()) + " runs");
  Run run;
  run.index = index;
  run.seed = sweep.first_seed + index % sweep.seeds;
  // Mixed-radix digits of index / seeds, the last factor fastest.
  std::vector<std::size_t> digit(sweep.grid.size());
  std::size_t rest = index / sweep.seeds;
  for (std::size_t f = sweep.grid.size(); f-- > 0;) {
    digit[f] = rest % sweep.grid[f].size();
    rest /= sweep.grid[f].size();
  }

  run.scenario = sweep.base;
  if (!run.scenario.contains("name")) run.scenario["name"] = fs::path(sweep.base_file).stem().string();
  for (const Axis& a : sweep.set) run.scenario[json::json_pointer(a.pointer)] = a.values.front();
  for (std::size_t f = 0; f < sweep.grid.size(); ++f)
    for (const Axis& a : sweep.grid[f].axes) {
      run.values.push_back(a.values[digit[f]]);
      run.scenario[json::json_pointer(a.pointer)] = a.values[digit[f]];
    }
  run.scenario["seed"] = run.seed;

  try {
    run.resolved = resolved_bci_scenario(read_bci_scenario(run.scenario, "run " + std::to_string(index)));
    run.folder = "runs/" + run_folder_name(run.resolved);
  } catch (const std::exception& e) {  // InputError, or std::invalid_argument from the models
    run.resolved = nullptr;
    run.error = e.what();
  }
  return run;
}

std::vector<Run> expand(const Sweep& sweep) {
  std::vector<Run> runs;
  runs.reserve(sweep.runs());
  for (std::size_t i = 0; i < sweep.runs(); ++i) runs.push_back(expand_run(sweep, i));
  return runs;
}

}  // namespace apical::sweep
