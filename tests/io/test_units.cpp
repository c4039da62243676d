// Quantity strings: conversion to canonical units, prefixes, and the errors a user sees.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <random>

#include "apical/io/json_reader.hpp"
#include "apical/io/units.hpp"
#include "apical/models/gcamp7f.hpp"
#include "apical/models/input_population.hpp"
#include "apical/models/learning/learning_rules.hpp"
#include "apical/models/register_all.hpp"
#include "apical/models/two_compartment/two_compartment.hpp"

using apical::parse_quantity;
using Catch::Matchers::Contains;

TEST_CASE("quantities convert to the canonical units", "[units]") {
  CHECK(parse_quantity("0.4 nA", "nA") == 0.4);
  CHECK(parse_quantity("400 pA", "nA") == 0.4);
  CHECK(parse_quantity("1 uA", "nA") == 1000.0);
  CHECK(parse_quantity("100 ms", "ms") == 100.0);
  CHECK(parse_quantity("0.1 s", "ms") == 100.0);
  CHECK(parse_quantity("250 us", "ms") == 0.25);
  CHECK(parse_quantity("15 nS", "uS") == 0.015);
  CHECK(parse_quantity("2 mS", "uS") == 2000.0);
  CHECK(parse_quantity("500 pS", "uS") == 0.0005);
  CHECK(parse_quantity("23.1 um", "um") == 23.1);
  CHECK(parse_quantity("1 mm", "um") == 1000.0);
  CHECK(parse_quantity("0.01 cm", "um") == 100.0);
  CHECK(parse_quantity("82 ohm cm", "ohm cm") == 82.0);
  CHECK(parse_quantity("2.23 uF/cm2", "uF/cm2") == 2.23);
  CHECK(parse_quantity("4.8e-5 S/cm2", "S/cm2") == 4.8e-5);
  CHECK(parse_quantity("236 pS/um2", "S/cm2") == 0.0236);
  CHECK(parse_quantity("1 mS/cm2", "S/cm2") == 0.001);
  CHECK(parse_quantity("-65 mV", "mV") == -65.0);
  CHECK(parse_quantity("-0.065 V", "mV") == -65.0);
  CHECK(parse_quantity("37 degC", "degC") == 37.0);
  CHECK(parse_quantity("0.1 mM", "mM") == 0.1);
  CHECK(parse_quantity("100 uM", "mM") == 0.1);
  CHECK(parse_quantity("50 nM", "mM") == 5e-5);
  CHECK(parse_quantity("100 Hz", "Hz") == 100.0);
  CHECK(parse_quantity("1.5 kHz", "Hz") == 1500.0);
  CHECK(parse_quantity("0.5", "1") == 0.5);
}

TEST_CASE("spelling variants: no space, plus sign, micro signs", "[units]") {
  CHECK(parse_quantity("100ms", "ms") == 100.0);
  CHECK(parse_quantity("+5 mV", "mV") == 5.0);
  CHECK(parse_quantity("  5 mV  ", "mV") == 5.0);
  CHECK(parse_quantity("5 \xC2\xB5m", "um") == 5.0);  // micro sign
  CHECK(parse_quantity("5 \xCE\xBCm", "um") == 5.0);  // Greek mu
  CHECK(parse_quantity("82 ohm*cm", "ohm cm") == 82.0);
}

TEST_CASE("conversion to a non-canonical target unit", "[units]") {
  CHECK(parse_quantity("0.015 uS", "nS") == 15.0);
  CHECK(parse_quantity("1 s", "us") == 1e6);
}

TEST_CASE("a wrong dimension names both dimensions and shows an example", "[units]") {
  CHECK_THROWS_MATCHES(parse_quantity("100 mV", "ms"), apical::QuantityError,
                       Catch::Matchers::Message("\"100 mV\" is a voltage, not a time; write a time such as \"100 ms\""));
  CHECK_THROWS_WITH(parse_quantity("15 mV", "uS"), Contains("not a conductance") && Contains("\"15 nS\""));
}

TEST_CASE("unknown units get a suggestion and the list of valid ones", "[units]") {
  CHECK_THROWS_WITH(parse_quantity("100 mss", "ms"),
                    Contains("unknown unit 'mss'") && Contains("did you mean 'ms'?") && Contains("s, ms, us"));
  CHECK_THROWS_WITH(parse_quantity("1 ohm", "ohm cm"), Contains("unknown unit 'ohm'"));
  CHECK_THROWS_WITH(parse_quantity("1 Ms", "ms"), Contains("unknown unit 'Ms'"));  // case matters: M is molar
}

TEST_CASE("missing units and malformed numbers are errors", "[units]") {
  CHECK_THROWS_WITH(parse_quantity("100", "ms"), Contains("has no unit") && Contains("\"100 ms\""));
  CHECK_THROWS_WITH(parse_quantity("", "ms"), Contains("cannot read a number"));
  CHECK_THROWS_WITH(parse_quantity("abc ms", "ms"), Contains("cannot read a number"));
  CHECK_THROWS_WITH(parse_quantity("nan ms", "ms"), Contains("cannot read a number"));
  CHECK_THROWS_WITH(parse_quantity("inf ms", "ms"), Contains("cannot read a number"));
  CHECK_THROWS_AS(parse_quantity("1e999 ms", "ms"), apical::QuantityError);
  CHECK_THROWS_AS(parse_quantity("1 2 ms", "ms"), apical::QuantityError);
}

TEST_CASE("in a document, quantity errors name the file and JSON path", "[units]") {
  const nlohmann::json bare = 100;
  CHECK_THROWS_MATCHES(apical::JsonValue(bare, "scenario.json", "/simulation/duration").as_quantity("ms"),
                       apical::InputError,
                       Catch::Matchers::Message("scenario.json: /simulation/duration: expected a time written as a "
                                                "string with a unit, such as \"100 ms\", got the number 100"));
  const nlohmann::json wrong = "1 mV";
  CHECK_THROWS_WITH(apical::JsonValue(wrong, "scenario.json", "/stimuli/0/amplitude").as_quantity("nA"),
                    Catch::Matchers::StartsWith("scenario.json: /stimuli/0/amplitude: \"1 mV\" is a voltage"));
  const nlohmann::json number = 0.25;
  CHECK(apical::JsonValue(number, "f.json").as_quantity("1") == 0.25);  // dimensionless takes bare numbers
}

TEST_CASE("every unit the registry declares can be read", "[units]") {
  const auto& registry = apical::builtin_mechanisms();
  for (const std::string& name : registry.names())
    for (const apical::ParameterSpec& p : registry.find(name)->info().parameters) {
      INFO(name << "." << p.name << " [" << p.unit << "]");
      CHECK(apical::is_known_unit(p.unit));
    }
}

TEST_CASE("format_number gives the shortest round-trip text", "[units]") {
  CHECK(apical::format_number(0.1) == "0.1");
  CHECK(apical::format_number(-65.0) == "-65");
  CHECK(apical::format_number(1e-4) == "0.0001");
  CHECK(apical::format_number(4.8e-5) == "4.8e-05");
  CHECK(apical::format_number(100000.0) == "100000");
  CHECK(apical::format_number(1e300) == "1e+300");
  // Every double reads back exactly (seeded, so a failure reproduces).
  std::mt19937_64 rng(20240601);
  std::uniform_real_distribution<double> exponent(-30.0, 30.0), mantissa(-10.0, 10.0);
  for (int k = 0; k < 10000; ++k) {
    const double v = mantissa(rng) * std::pow(10.0, exponent(rng));
    INFO(v);
    CHECK(std::strtod(apical::format_number(v).c_str(), nullptr) == v);
  }
}

TEST_CASE("minutes, hours and per-minute rates convert exactly", "[units]") {
  CHECK(parse_quantity("2 min", "ms") == 120000.0);
  CHECK(parse_quantity("30 min", "min") == 30.0);
  CHECK(parse_quantity("90 s", "min") == 1.5);
  CHECK(parse_quantity("600 s", "min") == 10.0);
  CHECK(parse_quantity("0.2 min", "s") == 12.0);
  CHECK(parse_quantity("1 h", "min") == 60.0);
  CHECK(parse_quantity("0.5 h", "s") == 1800.0);
  CHECK(parse_quantity("0.5 1/min", "1/min") == 0.5);
  CHECK(parse_quantity("0.02 Hz", "1/min") == 1.2);
  CHECK(parse_quantity("3 1/min", "Hz") == 0.05);
  CHECK(parse_quantity("800 1/s", "Hz") == 800.0);
  CHECK(parse_quantity("800 Hz", "1/s") == 800.0);
  // A value in the target unit itself is never touched, whatever the unit's factor.
  CHECK(parse_quantity("66.66666666666667 min", "min") == 66.66666666666667);
  CHECK_THROWS_WITH(parse_quantity("30 min", "mV"), Contains("is a time, not a voltage"));
}

TEST_CASE("capacitance, synaptic weight, concentration rate, fluorescence and angle", "[units]") {
  CHECK(parse_quantity("370 pF", "pF") == 370.0);
  CHECK(parse_quantity("0.37 nF", "pF") == 370.0);
  CHECK(parse_quantity("5 pA/Hz", "pA/Hz") == 5.0);
  CHECK(parse_quantity("0.004 nA/Hz", "pA/Hz") == 4.0);
  CHECK(parse_quantity("2000 nM/ms", "nM/ms") == 2000.0);
  CHECK(parse_quantity("1.5 uM/ms", "nM/ms") == 1500.0);
  CHECK(parse_quantity("2 mM/s", "nM/ms") == 2000.0);
  CHECK(parse_quantity("203.56 a.u.", "a.u.") == 203.56);
  CHECK(parse_quantity("90 deg", "deg") == 90.0);
  CHECK_THROWS_WITH(parse_quantity("5 pA", "pA/Hz"), Contains("is a current, not a synaptic weight"));
  CHECK_THROWS_WITH(parse_quantity("100", "a.u."), Contains("has no unit") && Contains("\"100 a.u.\""));
  CHECK_THROWS_WITH(parse_quantity("5 pF", "nS"), Contains("is a capacitance, not a conductance"));
}

TEST_CASE("every unit the model parameter tables and learning rules declare can be read", "[units]") {
  std::vector<apical::ParameterSpec> specs = apical::two_compartment_parameter_specs();
  for (const auto& s : apical::input_population_parameter_specs()) specs.push_back(s);
  for (const auto& s : apical::gcamp7f_parameter_specs()) specs.push_back(s);
  for (const std::string& rule : apical::builtin_learning_rules().names())
    for (const auto& s : apical::builtin_learning_rules().find(rule)->info().parameters) specs.push_back(s);
  for (const apical::ParameterSpec& p : specs) {
    INFO(p.name << " [" << p.unit << "]");
    CHECK(apical::is_known_unit(p.unit));
    // The declared default, written with its unit, reads back exactly.
    const std::string text = apical::format_number(p.default_value) + (p.unit == "1" ? "" : " " + p.unit);
    CHECK(parse_quantity(text, p.unit) == p.default_value);
  }
}
