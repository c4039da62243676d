// Strict object reading: unknown keys with suggestions, missing keys, wrong types, bounds, paths.
#include <catch2/catch.hpp>
#include <limits>

#include "apical/io/json_reader.hpp"
#include "apical/io/suggest.hpp"

using apical::InputError;
using apical::JsonObject;
using apical::JsonValue;
using Catch::Matchers::Contains;
using Catch::Matchers::Message;
using nlohmann::json;

namespace {
const std::vector<std::string> step_keys{"type", "site", "amplitude", "start", "duration"};
}

TEST_CASE("edit distance and suggestions", "[json]") {
  CHECK(apical::edit_distance("amplitud", "amplitude") == 1);
  CHECK(apical::edit_distance("ampiltude", "amplitude") == 1);  // a transposition counts once
  CHECK(apical::edit_distance("", "abc") == 3);
  CHECK(apical::nearest_candidate("Amplitude", step_keys) == "amplitude");
  CHECK(apical::nearest_candidate("strat", step_keys) == "start");
  CHECK(apical::nearest_candidate("frequency", step_keys).empty());
}

TEST_CASE("an unknown key names its path and suggests the nearest valid key", "[json]") {
  const json doc = json::parse(R"~({"stimuli": [{"type": "current_step", "amplitud": "1 nA"}]})~");
  const JsonValue stimulus(doc["stimuli"][0], "scenario.json", "/stimuli/0");
  CHECK_THROWS_MATCHES(JsonObject(stimulus, step_keys), InputError,
                       Message("scenario.json: /stimuli/0/amplitud: unknown key 'amplitud'; did you mean 'amplitude'?"));
  try {
    JsonObject o(stimulus, step_keys);
  } catch (const InputError& e) {
    CHECK(e.file() == "scenario.json");
    CHECK(e.json_path() == "/stimuli/0/amplitud");
  }
}

TEST_CASE("an unknown key without a near match lists the valid keys", "[json]") {
  const json doc = json::parse(R"~({"colour": "red"})~");
  CHECK_THROWS_WITH(JsonObject(JsonValue(doc, "f.json"), {"site", "start"}),
                    "f.json: /colour: unknown key 'colour'; expected one of: site, start");
}

TEST_CASE("a missing required key is named", "[json]") {
  const json doc = json::parse(R"~({"type": "current_step"})~");
  const JsonObject o(JsonValue(doc, "scenario.json", "/stimuli/0"), step_keys);
  CHECK_THROWS_MATCHES(o.required("amplitude"), InputError,
                       Message("scenario.json: /stimuli/0: missing required key 'amplitude'"));
  CHECK_FALSE(o.optional("start").has_value());
  CHECK(o.has("type"));
}

TEST_CASE("wrong types say what was expected and what was found", "[json]") {
  const json doc = json::parse(R"~({"count": "4", "flag": 1, "list": {}, "name": 3, "x": 4.5, "obj": []})~");
  const JsonValue v(doc, "f.json");
  CHECK_THROWS_WITH(v.member("count").as_integer(1, 10), "f.json: /count: expected an integer, got the string \"4\"");
  CHECK_THROWS_WITH(v.member("x").as_integer(1, 10), Contains("expected an integer, got the number 4.5"));
  CHECK_THROWS_WITH(v.member("flag").as_bool(), Contains("expected true or false"));
  CHECK_THROWS_WITH(v.member("list").as_array(), Contains("/list: expected an array, got an object"));
  CHECK_THROWS_WITH(v.member("name").as_string(), Contains("expected a string, got the number 3"));
  CHECK_THROWS_WITH(JsonObject(v.member("obj"), {}), Contains("/obj: expected an object, got an array"));
  CHECK_THROWS_WITH(v.member("nothing"), Contains("missing required key 'nothing'"));
}

TEST_CASE("values outside their bounds are errors", "[json]") {
  const json doc = json::parse(R"~({"count": 0, "big": 18446744073709551615, "whole": 4.0, "r": 2.5,
                                   "t": "-5 ms"})~");
  const JsonValue v(doc, "f.json");
  CHECK_THROWS_WITH(v.member("count").as_integer(1, 10), "f.json: /count: 0 is out of range: must be between 1 and 10");
  CHECK_THROWS_WITH(v.member("big").as_integer(1, 10), Contains("out of range"));
  CHECK(v.member("whole").as_integer(1, 10) == 4);
  CHECK_THROWS_WITH(v.member("r").as_number(0, 1), Contains("2.5 is out of range: must be between 0 and 1"));
  CHECK_THROWS_WITH(v.member("t").as_quantity("ms", 0, std::numeric_limits<double>::infinity()), Contains("\"-5 ms\" is out of range: must be at least 0 ms"));
  CHECK_THROWS_WITH(v.member("t").as_positive_quantity("ms"), Contains("must be positive"));
}

TEST_CASE("choices suggest the nearest allowed value", "[json]") {
  const json doc = "backward_euler2";
  CHECK_THROWS_WITH(JsonValue(doc, "f.json", "/simulation/integrator").as_choice({"backward_euler", "cvode"}),
                    "f.json: /simulation/integrator: unknown value \"backward_euler2\"; did you mean 'backward_euler'?");
}

TEST_CASE("array elements carry their index in the path", "[json]") {
  const json doc = json::parse(R"~({"a": [1, "x"]})~");
  const auto items = JsonValue(doc, "f.json").member("a").as_array();
  REQUIRE(items.size() == 2);
  CHECK_THROWS_WITH(items[1].as_number(0, 10), "f.json: /a/1: expected a number, got the string \"x\"");
  CHECK_THROWS_WITH(JsonValue(doc, "f.json").member("a").as_array(3), Contains("expected at least 3 entries, got 2"));
}

TEST_CASE("JSON Pointer escaping of keys", "[json]") {
  CHECK(apical::pointer_append("", "a/b") == "/a~1b");
  CHECK(apical::pointer_append("/x", "m~n") == "/x/m~0n");
}

TEST_CASE("syntax errors carry line and column", "[json]") {
  CHECK_THROWS_WITH(apical::parse_json_text("{\n  \"a\": 1,\n}", "bad.json"),
                    Catch::Matchers::StartsWith("bad.json: invalid JSON: ") && Contains("line 3"));
  CHECK_THROWS_AS(apical::parse_json_text("", "empty.json"), InputError);
}

TEST_CASE("duplicate keys are rejected with their path", "[json]") {
  CHECK_THROWS_WITH(apical::parse_json_text(R"~({"a": {"b": 1, "b": 2}})~", "d.json"), "d.json: /a/b: duplicate key 'b'");
  CHECK_THROWS_WITH(apical::parse_json_text(R"~({"x": [0, {"k": 1}, {"k": 1, "k": 2}]})~", "d.json"),
                    "d.json: /x/2/k: duplicate key 'k'");
  CHECK_NOTHROW(apical::parse_json_text(R"~([{"k": 1}, {"k": 2}])~", "d.json"));
}

TEST_CASE("an unreadable file is an input error", "[json]") {
  CHECK_THROWS_WITH(apical::read_json_file("/nonexistent/apical/file.json"),
                    "/nonexistent/apical/file.json: cannot open the file");
}
