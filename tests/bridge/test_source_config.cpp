#include <catch2/catch.hpp>

#include "apical/io/input_error.hpp"
#include "test_images.hpp"

using namespace apical::bridge;
using namespace apical::bridge::test;
using Catch::Matchers::Contains;

namespace {

std::string error_of(const std::string& json) {
  std::vector<std::string> events;
  try {
    source_from(json, events);
  } catch (const apical::InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("every registered frame source declares documented parameters", "[bridge][config]") {
  const FrameSourceRegistry& registry = builtin_frame_sources();
  CHECK(registry.names() == std::vector<std::string>{"tcp-framed", "tcp-raw-cloose", "tiff-replay", "virtual-microscope"});
  for (const std::string& name : registry.names()) {
    const FrameSourceInfo& info = registry.find(name)->info;
    CHECK_FALSE(info.description.empty());
    for (const SourceParameter& p : info.parameters) {
      CAPTURE(name, p.name);
      CHECK_FALSE(p.description.empty());
      if (p.kind == SourceParameter::Kind::choice) CHECK_FALSE(p.choices.empty());
    }
  }
}

TEST_CASE("bad frame source configs are errors naming the JSON path", "[bridge][config]") {
  CHECK_THAT(error_of(R"({"type": "tcp-framd", "width": 8, "height": 8})"),
             Contains("rig.json: /source/type") && Contains("did you mean 'tcp-framed'"));
  CHECK_THAT(error_of(R"({"type": "tcp-framed", "width": 8, "height": 8, "prot": 1})"),
             Contains("/source") && Contains("prot") && Contains("port"));
  CHECK_THAT(error_of(R"({"type": "tcp-framed", "width": 8})"), Contains("/source") && Contains("missing required key 'height'"));
  CHECK_THAT(error_of(R"({"type": "tcp-framed", "width": 8, "height": 8, "port": 70000})"),
             Contains("/source/port") && Contains("out of range"));
  CHECK_THAT(error_of(R"({"type": "tcp-framed", "width": 8, "height": 8, "stall_timeout": "2 mV"})"),
             Contains("/source/stall_timeout"));
  CHECK_THAT(error_of(R"({"type": "tcp-raw-cloose", "host": "127.0.0.1", "width": 8, "height": 8})"),
             Contains("missing required key 'byte_order'"));
  CHECK_THAT(error_of(R"({"type": "tcp-raw-cloose", "host": "127.0.0.1", "width": 8, "height": 8, "byte_order": "big",
                          "planes": 2, "plane": 3})"),
             Contains("/source/plane") && Contains("does not exist with planes = 2"));
  CHECK_THAT(error_of(R"({"type": "tiff-replay", "path": "/nonexistent/x.tif", "rate": "15 Hz"})"),
             Contains("/source/path") && Contains("/nonexistent/x.tif"));
  CHECK_THAT(error_of(R"({"type": "tiff-replay", "path": "x.tif", "rate": "0 Hz"})"), Contains("/source/rate"));
}
