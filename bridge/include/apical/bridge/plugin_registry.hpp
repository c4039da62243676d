#pragma once
// A registry of rig plug-ins selected by a "type" in the rig JSON (frame sources, reward devices):
// each has a name, a description and its parameters declared once, and a factory from validated
// settings.
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "apical/bridge/source_settings.hpp"

namespace apical::bridge {

struct PluginInfo {
  std::string name;  // the "type" in the rig JSON, e.g. "tcp-framed" or "riglink1"
  std::string description;
  std::vector<SourceParameter> parameters;
};

template <typename Plugin, typename EventLog>
class PluginRegistry {
 public:
  using Factory = std::function<std::unique_ptr<Plugin>(const SourceSettings&, EventLog)>;
  struct Entry {
    PluginInfo info;
    Factory make;
  };

  // `kind` names the plug-ins in messages ("frame source", "reward device").
  explicit PluginRegistry(std::string kind) : kind_(std::move(kind)) {}

  // Throws std::invalid_argument if the name is taken.
  void add(PluginInfo info, Factory make) {
    if (find(info.name) != nullptr) throw std::invalid_argument(kind_ + " '" + info.name + "' is registered twice");
    entries_.push_back({std::move(info), std::move(make)});
  }
  [[nodiscard]] const Entry* find(const std::string& name) const {  // nullptr if unknown
    for (const Entry& e : entries_)
      if (e.info.name == name) return &e;
    return nullptr;
  }
  [[nodiscard]] std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const Entry& e : entries_) out.push_back(e.info.name);
    return out;
  }
  // Makes the plug-in a config object selects by its "type"; InputError (naming the JSON path, with
  // the nearest known type or key) on a bad config.
  [[nodiscard]] std::unique_ptr<Plugin> make(const JsonValue& config, EventLog log) const {
    const Entry& entry = entry_for(config);
    return entry.make(SourceSettings(config, entry.info.parameters), std::move(log));
  }
  // The same checks as make() without making anything (no port opened): for reading a whole rig
  // config before a session starts.
  void check(const JsonValue& config) const {
    const Entry& entry = entry_for(config);
    (void)SourceSettings(config, entry.info.parameters);
  }

 private:
  [[nodiscard]] const Entry& entry_for(const JsonValue& config) const {
    return *find(config.member("type").as_choice(names()));
  }
  std::string kind_;
  std::vector<Entry> entries_;
};

}  // namespace apical::bridge
