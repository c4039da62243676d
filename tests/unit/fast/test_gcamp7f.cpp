// GCaMP7f observer: calibration targets of models.md §6 (1 AP ≈ 0.2 ΔF/F peaking ≈ 34 ms, saturation
// ≈ 6, bAP-only dendrite ≈ 0, dendritic Ca event ≥ 0.8 × saturation), the accumulate/advance split,
// the 15-Hz frame sampler with its noise, and batch bit-identity.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "apical/models/gcamp7f.hpp"
#include "apical/models/two_compartment/two_compartment.hpp"
#include "fast_support.hpp"

using namespace apical;
using Catch::Matchers::Contains;

namespace {

struct DffTrace {
  std::vector<double> t_ms, soma, dend;  // ΔF/F after each advance
};

// One neuron: spikes at the given step indices, f(V_d) from a function of time; cell step dt, advance
// every `advance_every` steps.
DffTrace run_observer(const std::vector<long>& spike_steps, const std::function<double(double)>& f_of_t, double dt,
                      int advance_every, double t_end_ms) {
  const Gcamp7fObserver obs({}, 1);
  Gcamp7fState s = obs.initial_state();
  const double F_rest = obs.resting_F();
  DffTrace trace;
  const auto steps = std::lround(t_end_ms / dt);
  std::size_t next = 0;
  for (long k = 0; k < steps; ++k) {
    const double spike = next < spike_steps.size() && spike_steps[next] == k ? 1.0 : 0.0;
    next += spike > 0.0;
    const double f = f_of_t((static_cast<double>(k) + 1.0) * dt);
    obs.accumulate(s, {&spike, 1}, {&f, 1}, dt);
    if ((k + 1) % advance_every == 0) {
      obs.advance(s);
      trace.t_ms.push_back(s.t_ms);
      trace.soma.push_back((obs.fluorescence(s.theta_soma[0]) - F_rest) / F_rest);
      trace.dend.push_back((obs.fluorescence(s.theta_dend[0]) - F_rest) / F_rest);
    }
  }
  return trace;
}

double f_rest(double) { return 1.0 / (1.0 + std::exp(-(-70.0 + 38.0) / 6.0)); }

struct Peak {
  double value = 0, t_ms = 0, half_decay_after_peak_ms = 0;
};

Peak peak_of(const std::vector<double>& t, const std::vector<double>& y, double t_origin) {
  const auto it = std::max_element(y.begin(), y.end());
  const std::size_t k = static_cast<std::size_t>(it - y.begin());
  Peak p{*it, t[k] - t_origin, -1};
  for (std::size_t j = k; j < y.size(); ++j)
    if (y[j] < 0.5 * p.value) {
      p.half_decay_after_peak_ms = t[j] - t[k];
      break;
    }
  return p;
}

}  // namespace

TEST_CASE("gcamp7f: resting state and saturation", "[models][gcamp7f]") {
  const Gcamp7fObserver obs({}, 1);
  const Gcamp7fParameters p;
  CHECK(obs.hill(p.K_d_nM) == Approx(0.5).epsilon(1e-12));
  CHECK(obs.hill(p.Ca_rest_nM) == Approx(std::pow(50.0 / 174.0, 2.3) / (1 + std::pow(50.0 / 174.0, 2.3))).epsilon(1e-12));
  // The vectorised Hill function against std::pow over five decades of Ca.
  for (double Ca = 1.0; Ca < 1e5; Ca *= 1.07) {
    const double x = std::pow(Ca / p.K_d_nM, p.hill_n);
    REQUIRE(obs.hill(Ca) == Approx(x / (1.0 + x)).epsilon(1e-10));
  }
  CHECK(obs.saturation_dFF() == Approx(6.0).margin(0.01));
  CHECK(obs.resting_F() == Approx(p.F_min_au * (1 + 29.2 * obs.hill(50.0)) + p.F_bg_au).epsilon(1e-12));
  // Resting state stays at rest with resting f(V_d) (below the plateau threshold).
  const DffTrace rest = run_observer({}, f_rest, 0.1, 10, 500.0);
  CHECK(std::abs(rest.soma.back()) < 1e-12);
  CHECK(std::abs(rest.dend.back()) < 1e-12);
}

TEST_CASE("gcamp7f: one somatic spike gives ~0.2 dF/F peaking ~34 ms, then decays", "[models][gcamp7f]") {
  const DffTrace one = run_observer({0}, f_rest, 0.1, 1, 1500.0);
  const Peak p = peak_of(one.t_ms, one.soma, 0.05);
  INFO("1 AP: peak " << p.value << " ΔF/F at " << p.t_ms << " ms, half-decay " << p.half_decay_after_peak_ms
                     << " ms after the peak");
  CHECK(p.value == Approx(0.2).margin(0.03));
  CHECK(p.t_ms == Approx(34.0).margin(6.0));
  CHECK(p.half_decay_after_peak_ms == Approx(95.0).margin(20.0));  // in-vivo fit: 95 ms
  CHECK(one.soma.back() < 0.005);
  // The dendrite ROI sees only the bAP's small influx.
  const Peak d = peak_of(one.t_ms, one.dend, 0.05);
  INFO("bAP-only dendrite peak " << d.value);
  CHECK(d.value < 0.03);
  CHECK(d.value > 0.0);
}

TEST_CASE("gcamp7f: sustained influx saturates at ~6 dF/F, spike trains grow monotonically", "[models][gcamp7f]") {
  // A 300-ms dendritic plateau drives Ca far above K_d: ΔF/F approaches the ceiling from below.
  const auto long_plateau = [](double t) { return test::window(t, 10.0, 310.0) > 0 ? 1.0 : f_rest(t); };
  const DffTrace r = run_observer({}, long_plateau, 0.1, 10, 600.0);
  const double peak = *std::max_element(r.dend.begin(), r.dend.end());
  CHECK(peak == Approx(6.0).margin(0.1));
  CHECK(peak <= 6.0);
  // Bursts at 100 Hz grow monotonically: supralinearly at first (Hill n = 2.3 near rest, as in vivo:
  // 2 AP ≈ 0.44 here, 0.49 in the fit), sublinearly later. Known deviation: the Hill model gives 10 AP
  // ≈ 2.3 and 20 AP ≈ 3.5 ΔF/F where the in-vivo fit (models.md §5) gives 3.7 and 5.5.
  double previous = 0;
  for (int n : {1, 2, 3, 5, 10, 20}) {
    std::vector<long> burst;
    for (long k = 0; k < n; ++k) burst.push_back(k * 100);
    const DffTrace b = run_observer(burst, f_rest, 0.1, 5, 800.0);
    const double v = *std::max_element(b.soma.begin(), b.soma.end());
    UNSCOPED_INFO(n << " AP at 100 Hz: " << v);
    CHECK(v > previous);
    previous = v;
  }
  CHECK(previous < 20 * 0.2);
}

TEST_CASE("gcamp7f: a dendritic Ca event reaches 0.8 x saturation, a lone bAP ~0", "[models][gcamp7f]") {
  const Gcamp7fObserver obs({}, 1);
  const double sat = obs.saturation_dFF();
  SECTION("f(V_d) = 1 for 30 ms, no spikes") {
    const auto plateau = [](double t) { return test::window(t, 10.0, 40.0) > 0 ? 1.0 : f_rest(t); };
    const DffTrace r = run_observer({}, plateau, 0.1, 10, 800.0);
    const double peak = *std::max_element(r.dend.begin(), r.dend.end());
    INFO("30-ms plateau: " << peak << " ΔF/F (saturation " << sat << ")");
    CHECK(peak >= 0.8 * sat);
    CHECK(*std::max_element(r.soma.begin(), r.soma.end()) < 1e-12);  // no spikes, no somatic signal
  }
  SECTION("driven by the two-compartment cell") {
    // 0: a somatic pulse (one AP, isolated bAP); 1: a dendritic pulse (Ca plateau, with its burst).
    const TwoCompartmentModel cell({}, 2);
    const Gcamp7fObserver gcamp({}, 2);
    TwoCompartmentState cs = cell.initial_state();
    Gcamp7fState gs = gcamp.initial_state();
    const double dt = 0.1;
    std::vector<double> I_s(2), I_d(2), g(2, 0.0), peak_soma(2, 0.0), peak_dend(2, 0.0), F(2);
    std::vector<int> spikes(2, 0);
    for (int k = 0; k < 8000; ++k) {
      const double t = k * dt;
      I_s = {3000.0 * test::window(t, 10, 13), 0.0};
      I_d = {0.0, 1500.0 * test::window(t, 10, 20)};
      cell.step(cs, {I_s, I_d, g}, dt);
      for (int i = 0; i < 2; ++i) spikes[i] += cs.spike[i];
      gcamp.accumulate(gs, cs, dt);
      if (k % 10 == 9) {
        gcamp.advance(gs);
        for (GcampRoi roi : {GcampRoi::soma, GcampRoi::dendrite}) {
          gcamp.fluorescence(gs, roi, F);
          auto& peak = roi == GcampRoi::soma ? peak_soma : peak_dend;
          for (int i = 0; i < 2; ++i) peak[i] = std::max(peak[i], (F[i] - gcamp.resting_F()) / gcamp.resting_F());
        }
      }
    }
    INFO("isolated AP: soma " << peak_soma[0] << ", dendrite " << peak_dend[0] << "; plateau (" << spikes[1]
                              << " spikes): soma " << peak_soma[1] << ", dendrite " << peak_dend[1]);
    CHECK(spikes[0] == 1);
    CHECK(peak_soma[0] == Approx(0.2).margin(0.03));
    CHECK(peak_dend[0] < 0.03);
    CHECK(peak_dend[1] >= 0.8 * sat);
  }
}

TEST_CASE("gcamp7f: advancing every 1-2 ms matches advancing every cell step", "[models][gcamp7f]") {
  const std::vector<long> spikes{0, 80, 160, 2000};  // a 3-spike burst, then a singlet
  const auto plateau = [](double t) { return test::window(t, 400.0, 430.0) > 0 ? 0.95 : f_rest(t); };
  const DffTrace fine = run_observer(spikes, plateau, 0.1, 1, 1000.0);
  for (int every : {10, 20}) {
    const DffTrace coarse = run_observer(spikes, plateau, 0.1, every, 1000.0);
    double worst = 0;
    for (std::size_t k = 0; k < coarse.t_ms.size(); ++k) {
      const std::size_t j = (k + 1) * static_cast<std::size_t>(every) - 1;
      worst = std::max({worst, std::abs(coarse.soma[k] - fine.soma[j]), std::abs(coarse.dend[k] - fine.dend[j])});
    }
    INFO("advance every " << every * 0.1 << " ms: largest ΔF/F difference " << worst);
    CHECK(worst < (every == 10 ? 0.03 : 0.06));
  }
}

TEST_CASE("gcamp7f: frame sampler timing, noise level and determinism", "[models][gcamp7f]") {
  const std::size_t n = 40;
  const Gcamp7fObserver obs({}, n);
  const double F_rest = obs.resting_F();

  const auto run = [&](ImagingPlaneParameters plane, std::vector<double> rows, RandomStreamId id, double t_end_ms,
                       const std::vector<long>& spike_steps = {}) {
    GcampFrameSampler sampler(obs, GcampRoi::soma, plane, std::move(rows), id);
    Gcamp7fState s = obs.initial_state();
    std::vector<double> spikes(n, 0.0);
    const std::vector<double> f(n, 0.0);
    std::vector<std::vector<double>> frames;
    std::vector<double> starts;
    std::size_t next = 0;
    const double dt = 0.5;
    for (long k = 0; k < std::lround(t_end_ms / dt); ++k) {
      const bool spike = next < spike_steps.size() && spike_steps[next] == k;
      next += spike;
      std::fill(spikes.begin(), spikes.end(), spike ? 1.0 : 0.0);
      obs.accumulate(s, spikes, f, dt);
      if (k % 2 == 1) {
        obs.advance(s);
        if (sampler.sample(s)) {
          const auto fr = sampler.frame();
          CHECK(fr.index == static_cast<std::int64_t>(frames.size()));
          frames.emplace_back(fr.F.begin(), fr.F.end());
          starts.push_back(fr.start_ms);
        }
      }
    }
    return std::make_pair(frames, starts);
  };

  SECTION("15 Hz, Gaussian noise of 0.022 ΔF/F at rest") {
    const auto [frames, starts] = run({}, {}, {1, 2, 3}, 20000.0);
    CHECK(frames.size() == 301);  // frames 0…300: all ROIs sit on row 0, and frame 300 starts at 20 000 ms
    CHECK(starts[1] == Approx(1000.0 / 15.0));
    double sum = 0, sum2 = 0, count = 0;
    for (const auto& fr : frames)
      for (double F : fr) {
        const double dff = (F - F_rest) / F_rest;
        sum += dff;
        sum2 += dff * dff;
        ++count;
      }
    const double mean = sum / count, sd = std::sqrt(sum2 / count - mean * mean);
    INFO("noise: mean " << mean << ", SD " << sd << " ΔF/F over " << count << " samples");
    CHECK(std::abs(mean) < 0.002);
    CHECK(sd == Approx(0.022).epsilon(0.03));
    // Same identity, same frames; another stream, other noise.
    CHECK(run({}, {}, {1, 2, 3}, 2000.0).first == run({}, {}, {1, 2, 3}, 2000.0).first);
    CHECK(run({}, {}, {1, 2, 4}, 2000.0).first != run({}, {}, {1, 2, 3}, 2000.0).first);
  }

  SECTION("shot noise equals the Gaussian level at rest and grows with F") {
    ImagingPlaneParameters shot;
    shot.noise = ImagingNoise::shot;
    const auto [rest, s0] = run(shot, {}, {5, 0, 0}, 10000.0);
    double sum2 = 0, count = 0;
    for (const auto& fr : rest)
      for (double F : fr) {
        sum2 += (F - F_rest) * (F - F_rest);
        ++count;
      }
    CHECK(std::sqrt(sum2 / count) / F_rest == Approx(0.022).epsilon(0.05));
  }

  SECTION("each ROI is a point sample at its row's time; noise-free F is the observer's") {
    ImagingPlaneParameters clean;
    clean.noise_dFF = 0.0;
    std::vector<double> rows(n);
    for (std::size_t i = 0; i < n; ++i) rows[i] = 0.4 * static_cast<double>(i) / static_cast<double>(n);
    // One spike in every neuron at t = 0: F rises until ≈34 ms (row 0.5), so later rows of frame 0 read
    // larger values.
    const auto [frames, starts] = run(clean, rows, {}, 300.0, {0});
    REQUIRE(frames.size() >= 3);
    // (Samples are taken at 1-ms advances, so neighbouring rows may share one.)
    for (std::size_t i = 1; i < n; ++i) CHECK(frames[0][i] >= frames[0][i - 1]);
    CHECK(frames[0][n - 1] > frames[0][0] + 0.1 * F_rest);
    // Reference: the same observer advanced alone to each sample time (1-ms advances, rounded up).
    Gcamp7fState s = obs.initial_state();
    std::vector<double> spikes(n, 1.0);
    const std::vector<double> f(n, 0.0);
    std::vector<double> expected(n, 0.0);
    for (int k = 0; k < 200; ++k) {
      obs.accumulate(s, spikes, f, 0.5);
      std::fill(spikes.begin(), spikes.end(), 0.0);
      if (k % 2 == 1) {
        obs.advance(s);
        for (std::size_t i = 0; i < n; ++i) {
          const double t_sample = 0.0 + rows[i] * (1000.0 / 15.0);  // as the sampler computes it
          if (s.t_ms >= t_sample && expected[i] == 0.0) expected[i] = obs.fluorescence(s.theta_soma[i]);
        }
      }
    }
    for (std::size_t i = 0; i < n; ++i) CHECK(frames[0][i] == expected[i]);
  }

  SECTION("a second plane offset by half a frame, and misuse") {
    ImagingPlaneParameters second;
    second.first_frame_ms = 0.5 * 1000.0 / 15.0;
    const auto [frames, starts] = run(second, {}, {}, 1000.0);
    CHECK(starts.front() == Approx(second.first_frame_ms));
    CHECK_THROWS(GcampFrameSampler(obs, GcampRoi::dendrite, {}, std::vector<double>(n, 1.0), {}));
    CHECK_THROWS(GcampFrameSampler(obs, GcampRoi::dendrite, {}, std::vector<double>(3, 0.0), {}));
    GcampFrameSampler sampler(obs, GcampRoi::dendrite, {}, {}, {});
    Gcamp7fState s = obs.initial_state();
    s.t_ms = 1000.0;  // many frames skipped at once
    CHECK_THROWS_AS(sampler.sample(s), std::logic_error);
  }
}

TEST_CASE("gcamp7f: a batch equals single-neuron observers bit for bit", "[models][gcamp7f]") {
  const std::size_t n = 13;
  const Gcamp7fObserver batch({}, n), single({}, 1);
  Gcamp7fState sb = batch.initial_state();
  std::vector<Gcamp7fState> ss(n, single.initial_state());
  std::vector<double> spikes(n);
  std::vector<double> f(n);
  for (int k = 0; k < 20000; ++k) {
    for (std::size_t i = 0; i < n; ++i) {
      spikes[i] = (k * 7 + static_cast<int>(i) * 131) % (400 + 37 * static_cast<int>(i)) == 0 ? 1.0 : 0.0;
      f[i] = 0.5 + 0.5 * std::sin(k * 0.001 * (1.0 + static_cast<double>(i)));
    }
    batch.accumulate(sb, spikes, f, 0.25);
    for (std::size_t i = 0; i < n; ++i) single.accumulate(ss[i], {&spikes[i], 1}, {&f[i], 1}, 0.25);
    if (k % 6 == 5) {
      batch.advance(sb);
      for (auto& s : ss) single.advance(s);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    INFO("neuron " << i);
    CHECK(sb.Ca_soma_nM[i] == ss[i].Ca_soma_nM[0]);
    CHECK(sb.theta_soma[i] == ss[i].theta_soma[0]);
    CHECK(sb.Ca_dend_nM[i] == ss[i].Ca_dend_nM[0]);
    CHECK(sb.theta_dend[i] == ss[i].theta_dend[0]);
  }
}

TEST_CASE("gcamp7f: parameter specs and validation", "[models][gcamp7f]") {
  const auto specs = gcamp7f_parameter_specs();
  CHECK(specs.size() == 13);
  std::set<std::string> names;
  for (const auto& s : specs) {
    names.insert(s.name);
    CHECK(s.default_value >= s.min);
    CHECK(s.default_value <= s.max);
  }
  CHECK(names.size() == specs.size());
  Gcamp7fParameters bad;
  bad.dend_f_threshold = 1.0;
  CHECK_THROWS_WITH(Gcamp7fObserver(bad, 2), Contains("dend_f_threshold"));
  const Gcamp7fObserver obs({}, 2);
  Gcamp7fState s = obs.initial_state();
  const std::vector<double> one_spike(1, 0.0);
  const std::vector<double> two_f(2, 0.0);
  CHECK_THROWS_WITH(obs.accumulate(s, one_spike, two_f, 0.1), Contains("spikes"));
}
