#include "apical/bridge/frame_source.hpp"

namespace apical::bridge {

std::unique_ptr<FrameSource> make_frame_source(const JsonValue& config, EventLog log, const FrameSourceRegistry& registry) {
  return registry.make(config, std::move(log));
}

}  // namespace apical::bridge
