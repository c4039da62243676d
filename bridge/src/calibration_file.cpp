#include "apical/bridge/calibration_file.hpp"

#include <cmath>
#include <limits>

#include "apical/io/format_header.hpp"
#include "apical/io/json_reader.hpp"

namespace apical::bridge {
namespace {

double finite(const JsonValue& value) {
  const double big = std::numeric_limits<double>::max();
  return value.as_number(-big, big);
}

std::vector<double> finite_list(const JsonValue& value) {
  std::vector<double> out;
  for (const JsonValue& v : value.as_array()) out.push_back(finite(v));
  return out;
}

}  // namespace

nlohmann::json calibration_json(const loop::Calibration& c) {
  return {{"format", "apical-calibration"}, {"format_version", calibration_format_version},
          {"mu", c.mu},     {"sigma", c.sigma},   {"lo", c.lo},  {"theta", c.theta},
          {"roi_mean", c.roi_mean}, {"roi_sd", c.roi_sd}, {"pseudo_hit_fraction", c.pseudo_hit_fraction}};
}

loop::Calibration read_calibration_file(const std::string& path, std::size_t rois) {
  const nlohmann::json document = read_json_file(path);
  const JsonObject top(JsonValue(document, path),
                       {"format", "format_version", "mu", "sigma", "lo", "theta", "roi_mean", "roi_sd", "pseudo_hit_fraction"});
  check_format(top, "apical-calibration", calibration_format_version);
  loop::Calibration c;
  c.mu = finite(top.required("mu"));
  const JsonValue sigma = top.required("sigma");
  c.sigma = finite(sigma);
  if (!(c.sigma > 0)) sigma.fail("σ_cal must be > 0");
  c.lo = finite(top.required("lo"));
  const JsonValue theta = top.required("theta");
  c.theta = finite(theta);
  if (!(c.theta > c.lo)) theta.fail("θ must lie above the floor lo");
  const JsonValue mean = top.required("roi_mean");
  c.roi_mean = finite_list(mean);
  c.roi_sd = finite_list(top.required("roi_sd"));
  if (c.roi_mean.size() != c.roi_sd.size()) mean.fail("roi_mean and roi_sd differ in length");
  if (!c.roi_mean.empty() && c.roi_mean.size() != rois)
    mean.fail("the calibration holds " + std::to_string(c.roi_mean.size()) + " ROIs, the session has " + std::to_string(rois));
  c.pseudo_hit_fraction = top.required("pseudo_hit_fraction").as_number(0, 1);
  return c;
}

}  // namespace apical::bridge
