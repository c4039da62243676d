#include "apical/bridge/virtual_microscope.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>
#include <string>

#include "apical/engine/random.hpp"

namespace apical::bridge {
namespace {

// Random streams of the scene, by purpose.
constexpr std::uint64_t stream_layout = 0x6c61796f7574ULL;    // "layout"
constexpr std::uint64_t stream_neuropil = 0x6e70ULL;          // "np"
constexpr std::uint64_t stream_motion = 0x6d6f74696f6eULL;    // "motion"
constexpr std::uint64_t stream_noise = 0x6e6f697365ULL;       // "noise": one stream per frame
constexpr std::uint64_t stream_trunks = 0x7472756e6bULL;      // "trunk": apart, so one plane's layout stays as it was

constexpr double nucleus_radius = 0.55;   // of the soma's radius
constexpr double rim_width_px = 1.5;      // the soft edge of soma and nucleus
constexpr double min_spacing = 1.2;       // centre distance in soma diameters
constexpr double trunk_lean = 0.3;        // a trunk's largest offset from its soma, in soma diameters
constexpr double poisson_normal_from = 16.0;  // mean photon count above which the normal stands in
constexpr int neuropil_waves = 4;
constexpr double neuropil_wave_amplitude = 0.075;  // four of them: B within 1 ± 0.3

std::string shortest(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

void check(bool ok, const std::string& name, double value, const std::string& rule) {
  if (!ok) throw std::invalid_argument("virtual microscope: " + name + " = " + shortest(value) + " " + rule);
}

void validate(const SimulatedActivity& a, const VirtualMicroscopeParams& p) {
  if (a.neurons() == 0 || a.frames == 0 || a.soma_f.size() != a.frames * a.neurons())
    throw std::invalid_argument("virtual microscope: the activity holds no frames or no neurons, or is mis-sized");
  check(a.frame_rate_hz > 0, "frame_rate_hz", a.frame_rate_hz, "must be > 0");
  check(p.width >= 16 && p.width <= 65535, "width", p.width, "must be within 16 … 65535 px");
  check(p.height >= 16 && p.height <= 65535, "height", p.height, "must be within 16 … 65535 px");
  check(p.soma_diameter_px >= 3 && p.soma_diameter_px <= 200, "soma_diameter_px", p.soma_diameter_px, "must be within 3 … 200 px");
  check(p.nucleus_brightness >= 0 && p.nucleus_brightness <= 1, "nucleus_brightness", p.nucleus_brightness, "must be within 0 … 1");
  check(p.expression_cv >= 0 && p.expression_cv <= 3, "expression_cv", p.expression_cv, "must be within 0 … 3");
  check(p.neuropil_level >= 0 && p.neuropil_level <= 100, "neuropil_level", p.neuropil_level, "must be within 0 … 100");
  check(p.neuropil_coupling >= 0 && p.neuropil_coupling <= 100, "neuropil_coupling", p.neuropil_coupling, "must be within 0 … 100");
  check(p.photons_per_unit > 0 && p.photons_per_unit <= 1e6, "photons_per_unit", p.photons_per_unit, "must be within (0, 1e6]");
  check(p.motion_px >= 0 && p.motion_px <= 1000, "motion_px", p.motion_px, "must be within 0 … 1000 px");
  check(p.breathing_hz >= 0 && p.breathing_hz <= 1000, "breathing_hz", p.breathing_hz, "must be within 0 … 1000 Hz");
  check(p.drift_tau_s > 0, "drift_tau_s", p.drift_tau_s, "must be > 0");
  check(p.planes == 1 || p.planes == 2, "planes", p.planes, "must be 1 (the BCI plane) or 2 (proximal and distal)");
  check(p.trunk_diameter_px >= 1 && p.trunk_diameter_px <= p.soma_diameter_px, "trunk_diameter_px", p.trunk_diameter_px,
        "must be within 1 px … soma_diameter_px");
  if (p.planes == 2 && a.dendrite_f.size() != a.frames * a.neurons())
    throw std::invalid_argument("virtual microscope: two planes need the activity's distal-trunk F (dendrite_f)");
}

double uniform(CounterRng& rng, double lo, double hi) { return lo + (hi - lo) * rng.uniform(); }

// Somata at random, non-overlapping and away from the edges; the expression level of each.
std::vector<Soma> place_somata(std::size_t n, const VirtualMicroscopeParams& p) {
  CounterRng rng(p.seed, stream_layout);
  const double diameter = p.soma_diameter_px, margin = diameter + 3.0 * p.motion_px;
  const double x_max = p.width - 1.0 - margin, y_max = p.height - 1.0 - margin;
  const double s2 = std::log1p(p.expression_cv * p.expression_cv);
  const auto room_for = [&](std::size_t placed) {
    return std::invalid_argument("virtual microscope: a " + std::to_string(p.width) + "x" + std::to_string(p.height) +
                                 " field has room for " + std::to_string(placed) + " of " + std::to_string(n) + " somata of " +
                                 shortest(diameter) + " px (at least one diameter plus 3x the motion from each edge)");
  };
  if (x_max < margin || y_max < margin) throw room_for(0);
  std::vector<Soma> somata;
  for (std::size_t i = 0; i < n; ++i) {
    Soma s;
    bool placed = false;
    for (int attempt = 0; attempt < 20000 && !placed; ++attempt) {
      s.x = uniform(rng, margin, x_max);
      s.y = uniform(rng, margin, y_max);
      placed = std::all_of(somata.begin(), somata.end(), [&](const Soma& o) {
        return std::hypot(o.x - s.x, o.y - s.y) >= min_spacing * diameter;
      });
    }
    if (!placed) throw room_for(i);
    s.semi_major = 0.5 * diameter * uniform(rng, 0.85, 1.15);
    s.semi_minor = s.semi_major * uniform(rng, 0.75, 1.0);
    s.angle = uniform(rng, 0.0, std::numbers::pi);
    s.expression = std::exp(std::sqrt(s2) * rng.normal() - 0.5 * s2);
    somata.push_back(s);
  }
  return somata;
}

// Each trunk leans from its soma by up to trunk_lean diameters, in any direction.
void place_trunks(std::vector<Soma>& somata, const VirtualMicroscopeParams& p) {
  CounterRng rng(p.seed, stream_trunks);
  for (Soma& s : somata) {
    const double distance = trunk_lean * p.soma_diameter_px * std::sqrt(rng.uniform());
    const double angle = uniform(rng, 0.0, 2.0 * std::numbers::pi);
    s.trunk_x = s.x + distance * std::cos(angle);
    s.trunk_y = s.y + distance * std::sin(angle);
  }
}

std::vector<Displacement> brain_motion(std::size_t frames, double rate_hz, const VirtualMicroscopeParams& p) {
  CounterRng rng(p.seed, stream_motion);
  const double decay = std::exp(-1.0 / (rate_hz * p.drift_tau_s));
  const double kick = 0.5 * p.motion_px * std::sqrt(1.0 - decay * decay);
  const double phase = uniform(rng, 0.0, 2.0 * std::numbers::pi);
  const double omega = 2.0 * std::numbers::pi * p.breathing_hz / rate_hz;
  std::vector<Displacement> motion(frames);
  double drift_x = 0, drift_y = 0;
  for (std::size_t t = 0; t < frames; ++t) {
    const double breath = std::sin(omega * static_cast<double>(t) + phase);
    motion[t] = {drift_x + 0.25 * p.motion_px * breath, drift_y + 0.5 * p.motion_px * breath};
    drift_x = decay * drift_x + kick * rng.normal();
    drift_y = decay * drift_y + kick * rng.normal();
  }
  return motion;
}

// F̄_i: each neuron's mean F over one plane's activity ([frames · n], frame-major).
std::vector<double> neuron_means(const std::vector<double>& f, std::size_t frames, std::size_t n) {
  std::vector<double> mean(n, 0.0);
  for (std::size_t k = 0; k < frames; ++k)
    for (std::size_t i = 0; i < n; ++i) mean[i] += f[k * n + i] / static_cast<double>(frames);
  return mean;
}

// a: the mean over neurons of F_i/F̄_i − 1 of one frame's F.
double population_dff(std::span<const double> f, const std::vector<double>& mean) {
  double a = 0;
  for (std::size_t i = 0; i < mean.size(); ++i) a += mean[i] > 0 ? f[i] / mean[i] - 1.0 : 0.0;
  return a / static_cast<double>(mean.size());
}

// Normalised elliptic radius of a point (u, v) from a soma's centre: 1 on its outline.
class EllipticRadius {
 public:
  explicit EllipticRadius(const Soma& s)
      : cos_(std::cos(s.angle) / s.semi_major), sin_(std::sin(s.angle) / s.semi_major),
        cos_minor_(std::cos(s.angle) / s.semi_minor), sin_minor_(std::sin(s.angle) / s.semi_minor) {}
  double operator()(double u, double v) const {
    const double p = u * cos_ + v * sin_, q = -u * sin_minor_ + v * cos_minor_;
    return std::sqrt(p * p + q * q);
  }

 private:
  double cos_, sin_, cos_minor_, sin_minor_;
};

// 1 inside, 0 outside, a smooth step across rim_width_px around radius 1 (r normalised, radius_px
// the outline's mean distance from the centre).
double inside(double r, double radius_px) {
  const double h = std::clamp(0.5 + (1.0 - r) * radius_px / rim_width_px, 0.0, 1.0);
  return h * h * (3.0 - 2.0 * h);
}

// n ~ Poisson(mean): exact by inversion for small means, else rounded normal (sum of four uniforms).
double photon_count(double mean, CounterRng& rng) {
  if (mean < poisson_normal_from) {
    const double u = rng.uniform();
    double term = std::exp(-mean), cdf = term;
    int n = 0;
    while (u > cdf && n < 100) {
      ++n;
      term *= mean / n;
      cdf += term;
    }
    return n;
  }
  const std::uint64_t bits = rng.next_u64();
  double sum = 0;
  for (int j = 0; j < 4; ++j) sum += (static_cast<double>((bits >> (16 * j)) & 0xffffu) + 0.5) / 65536.0;
  const double z = (sum - 2.0) * std::sqrt(3.0);
  return std::max(0.0, std::floor(mean + std::sqrt(mean) * z + 0.5));
}

}  // namespace

namespace {

std::string numbered(char prefix, std::size_t neuron, std::size_t neurons) {
  const std::size_t digits = std::max<std::size_t>(2, std::to_string(neurons > 0 ? neurons - 1 : 0).size());
  std::string number = std::to_string(neuron);
  return prefix + std::string(digits > number.size() ? digits - number.size() : 0, '0') + number;
}

}  // namespace

std::string neuron_roi_name(std::size_t neuron, std::size_t neurons) { return numbered('n', neuron, neurons); }
std::string trunk_roi_name(std::size_t neuron, std::size_t neurons) { return numbered('d', neuron, neurons); }

VirtualMicroscope::VirtualMicroscope(SimulatedActivity activity, const VirtualMicroscopeParams& params)
    : activity_(std::move(activity)), params_(params) {
  validate(activity_, params_);
  somata_ = place_somata(activity_.neurons(), params_);
  place_trunks(somata_, params_);
  motion_ = brain_motion(activity_.frames, activity_.frame_rate_hz, params_);
  const std::size_t n = activity_.neurons();
  for (std::uint32_t plane = 0; plane < params_.planes; ++plane) {
    const std::vector<double>& f = plane == 0 ? activity_.soma_f : activity_.dendrite_f;
    mean_f_[plane] = neuron_means(f, activity_.frames, n);
    double mean_f = 0;
    for (double m : mean_f_[plane]) mean_f += m / static_cast<double>(n);
    neuropil_au_[plane] = params_.neuropil_level * mean_f;
    population_dff_[plane].resize(activity_.frames);
    for (std::size_t t = 0; t < activity_.frames; ++t)
      population_dff_[plane][t] = population_dff(std::span(f).subspan(t * n, n), mean_f_[plane]);
  }
  CounterRng rng(params_.seed, stream_neuropil);
  for (int m = 0; m < neuropil_waves; ++m) {
    const double kx = 2.0 * std::numbers::pi / uniform(rng, 60.0, 250.0), px = uniform(rng, 0.0, 2.0 * std::numbers::pi);
    const double ky = 2.0 * std::numbers::pi / uniform(rng, 60.0, 250.0), py = uniform(rng, 0.0, 2.0 * std::numbers::pi);
    neuropil_waves_.push_back({neuropil_wave_amplitude, kx, px, ky, py});
  }
  scene_.resize(std::size_t(params_.width) * params_.height);
  wave_x_.resize(neuropil_waves_.size() * params_.width);
  wave_y_.resize(neuropil_waves_.size() * params_.height);
}

void VirtualMicroscope::fill_scene(std::uint64_t k, Displacement d) {
  const std::uint32_t p = plane(k);
  const std::size_t t = (k / params_.planes) % activity_.frames, n = activity_.neurons();
  fill_neuropil(static_cast<float>(neuropil_au_[p] * (1.0 + params_.neuropil_coupling * population_dff_[p][t])), d);
  if (p == 0) add_somata(std::span(activity_.soma_f).subspan(t * n, n), d);
  else add_trunks(t, d);
}

void VirtualMicroscope::fill_neuropil(float neuropil, Displacement d) {
  const std::size_t w = params_.width, h = params_.height, waves = neuropil_waves_.size();
  for (std::size_t m = 0; m < waves; ++m) {
    const Wave& wave = neuropil_waves_[m];
    for (std::size_t x = 0; x < w; ++x)
      wave_x_[m * w + x] = static_cast<float>(wave.amplitude * std::cos(wave.kx * (double(x) - d.dx) + wave.phase_x));
    for (std::size_t y = 0; y < h; ++y) wave_y_[m * h + y] = static_cast<float>(std::cos(wave.ky * (double(y) - d.dy) + wave.phase_y));
  }
  for (std::size_t y = 0; y < h; ++y) {
    float* row = scene_.data() + y * w;
    std::fill(row, row + w, 1.0f);
    for (std::size_t m = 0; m < waves; ++m) {
      const float wy = wave_y_[m * h + y];
      const float* wx = wave_x_.data() + m * w;
      for (std::size_t x = 0; x < w; ++x) row[x] += wx[x] * wy;
    }
    for (std::size_t x = 0; x < w; ++x) row[x] *= neuropil;
  }
}

void VirtualMicroscope::add_somata(std::span<const double> soma_f, Displacement d) {
  const std::size_t w = params_.width, h = params_.height;
  for (std::size_t i = 0; i < somata_.size(); ++i) {
    const Soma& s = somata_[i];
    const double brightness = s.expression * soma_f[i];
    const double cx = s.x + d.dx, cy = s.y + d.dy, reach = s.semi_major + rim_width_px;
    const double radius = 0.5 * (s.semi_major + s.semi_minor);
    const long x0 = std::max(0L, static_cast<long>(std::ceil(cx - reach)));
    const long x1 = std::min(static_cast<long>(w) - 1, static_cast<long>(std::floor(cx + reach)));
    const long y0 = std::max(0L, static_cast<long>(std::ceil(cy - reach)));
    const long y1 = std::min(static_cast<long>(h) - 1, static_cast<long>(std::floor(cy + reach)));
    const EllipticRadius radius_at(s);
    for (long y = y0; y <= y1; ++y)
      for (long x = x0; x <= x1; ++x) {
        const double r = radius_at(double(x) - cx, double(y) - cy);
        const double footprint =
            inside(r, radius) - (1.0 - params_.nucleus_brightness) * inside(r / nucleus_radius, nucleus_radius * radius);
        scene_[std::size_t(y) * w + std::size_t(x)] += static_cast<float>(brightness * footprint);
      }
  }
}

void VirtualMicroscope::add_trunks(std::size_t t, Displacement d) {
  const std::size_t w = params_.width, h = params_.height;
  const double radius = 0.5 * params_.trunk_diameter_px, reach = radius + rim_width_px;
  for (std::size_t i = 0; i < somata_.size(); ++i) {
    const Soma& s = somata_[i];
    const double brightness = s.expression * activity_.distal_f(t, i);
    const double cx = s.trunk_x + d.dx, cy = s.trunk_y + d.dy;
    const long x0 = std::max(0L, static_cast<long>(std::ceil(cx - reach)));
    const long x1 = std::min(static_cast<long>(w) - 1, static_cast<long>(std::floor(cx + reach)));
    const long y0 = std::max(0L, static_cast<long>(std::ceil(cy - reach)));
    const long y1 = std::min(static_cast<long>(h) - 1, static_cast<long>(std::floor(cy + reach)));
    for (long y = y0; y <= y1; ++y)
      for (long x = x0; x <= x1; ++x) {
        const double r = std::hypot(double(x) - cx, double(y) - cy) / radius;
        scene_[std::size_t(y) * w + std::size_t(x)] += static_cast<float>(brightness * inside(r, radius));
      }
  }
}

void VirtualMicroscope::render_scene(std::uint64_t k, Displacement d, std::span<float> into) {
  if (into.size() != scene_.size()) throw std::invalid_argument("render_scene: the output holds " + std::to_string(into.size()) +
                                                                " values, the frame " + std::to_string(scene_.size()));
  fill_scene(k, d);
  std::copy(scene_.begin(), scene_.end(), into.begin());
}

void VirtualMicroscope::render(std::uint64_t k, Frame& into) { render(k, motion(k), into); }

void VirtualMicroscope::render(std::uint64_t k, Displacement d, Frame& into) {
  fill_scene(k, d);
  add_noise(k, into);
}

void VirtualMicroscope::render(std::uint64_t k, std::span<const double> soma_f, Frame& into) {
  if (params_.planes != 1) throw std::logic_error("virtual microscope: live F is rendered on a single plane only");
  if (soma_f.size() != somata_.size())
    throw std::invalid_argument("virtual microscope: live F of " + std::to_string(soma_f.size()) + " neurons for a field of " +
                                std::to_string(somata_.size()));
  const Displacement d = motion(k);
  fill_neuropil(static_cast<float>(neuropil_au_[0] * (1.0 + params_.neuropil_coupling * population_dff(soma_f, mean_f_[0]))), d);
  add_somata(soma_f, d);
  add_noise(k, into);
}

void VirtualMicroscope::add_noise(std::uint64_t k, Frame& into) {
  into.resize(params_.width, params_.height);
  CounterRng rng(mix64(params_.seed ^ stream_noise), k);
  const double gain = params_.photons_per_unit, per_photon = 1.0 / gain;
  for (std::size_t j = 0; j < scene_.size(); ++j) {
    const double photons = photon_count(gain * std::max(0.0f, scene_[j]), rng);
    into.pixels[j] = static_cast<std::uint16_t>(std::min(65535.0, photons * per_photon + 0.5));
  }
  into.seq = k;
  into.acquired_ns = 0;
  into.sender_ns = 0;
  into.plane = static_cast<std::uint8_t>(plane(k));
  into.planes = static_cast<std::uint8_t>(params_.planes);
  into.channel = 0;
  into.stages = StageTimes{};
}

RoiSet VirtualMicroscope::rois() const {
  RoiSet set{params_.width, params_.height, {}};
  for (std::size_t i = 0; i < somata_.size(); ++i) {
    const Soma& s = somata_[i];
    Roi roi{neuron_roi_name(i, somata_.size()), {}};
    const EllipticRadius radius_at(s);
    const auto x0 = static_cast<std::uint32_t>(std::ceil(s.x - s.semi_major)), x1 = static_cast<std::uint32_t>(std::floor(s.x + s.semi_major));
    const auto y0 = static_cast<std::uint32_t>(std::ceil(s.y - s.semi_major)), y1 = static_cast<std::uint32_t>(std::floor(s.y + s.semi_major));
    for (std::uint32_t y = y0; y <= y1; ++y)
      for (std::uint32_t x = x0; x <= x1; ++x)
        if (radius_at(double(x) - s.x, double(y) - s.y) <= 1.0) roi.pixels.push_back({x, y, 1.0f});
    set.rois.push_back(std::move(roi));
  }
  return set;
}

RoiSet VirtualMicroscope::distal_rois() const {
  if (params_.planes != 2) throw std::logic_error("virtual microscope: distal ROIs need planes = 2");
  RoiSet set{params_.width, params_.height, {}};
  const double radius = 0.5 * params_.trunk_diameter_px;
  for (std::size_t i = 0; i < somata_.size(); ++i) {
    const Soma& s = somata_[i];
    Roi roi{trunk_roi_name(i, somata_.size()), {}};
    const auto x0 = static_cast<std::uint32_t>(std::ceil(s.trunk_x - radius)), x1 = static_cast<std::uint32_t>(std::floor(s.trunk_x + radius));
    const auto y0 = static_cast<std::uint32_t>(std::ceil(s.trunk_y - radius)), y1 = static_cast<std::uint32_t>(std::floor(s.trunk_y + radius));
    for (std::uint32_t y = y0; y <= y1; ++y)
      for (std::uint32_t x = x0; x <= x1; ++x)
        if (std::hypot(double(x) - s.trunk_x, double(y) - s.trunk_y) <= radius) roi.pixels.push_back({x, y, 1.0f});
    set.rois.push_back(std::move(roi));
  }
  return set;
}

}  // namespace apical::bridge
