// Chance level (experiment.md §2): on P+ and P− that are uncorrelated noise, shifting P− changes
// nothing statistically, so chance sits near p_cal; common-mode activity that cancels in x only when
// P+ and P− are aligned puts chance above the replayed session; the result follows from the seed.
#include <catch2/catch.hpp>

#include <vector>

#include "apical/engine/loop/chance.hpp"
#include "synthetic_traces.hpp"

using namespace apical::loop;

namespace {

struct Session {
  std::vector<Role> roles = test::bci_roles(5, 2);
  std::vector<double> calibration_block, session;
  Session(std::uint64_t seed, std::size_t calibration_frames, std::size_t session_frames)
      : calibration_block(test::ar1_noise(calibration_frames, 12, 7.5, 0.2, seed)),
        session(test::ar1_noise(session_frames, 12, 7.5, 0.2, seed + 1000)) {}
  [[nodiscard]] FrameBlock calibration_view() const { return FrameBlock(calibration_block, roles.size()); }
  [[nodiscard]] FrameBlock session_view() const { return FrameBlock(session, roles.size()); }
};

}  // namespace

TEST_CASE("chance on uncorrelated noise sits near p_cal", "[loop][chance]") {
  // A long calibration block (2,000 pseudo-trials from 100 min) pins θ down, so what is left is the
  // scatter of the chance estimate itself: 30 min sessions, 1,000 shifts.
  const std::uint64_t seed = GENERATE(1, 2);
  const Session s(seed, 90000, 27000);
  CalibrationParams cp;
  cp.pseudo_trials = 2000;
  cp.seed = seed;
  const Calibration cal = calibrate(s.calibration_view(), s.roles, {}, cp);
  ChanceParams params;
  params.seed = seed;
  const ChanceResult chance = chance_level(s.session_view(), s.roles, cal, {}, params);
  CAPTURE(seed, chance.chance);
  CHECK(chance.hit_fractions.size() == 1000);
  CHECK_THAT(chance.chance, Catch::Matchers::WithinAbs(0.30, 0.05));
  CHECK_THAT(replay_hit_fraction(s.session_view(), s.roles, cal), Catch::Matchers::WithinAbs(chance.chance, 0.15));
}

TEST_CASE("shifts keep P- at least 60 s away from P+ both ways", "[loop][chance]") {
  const Session s(3, 9000, 4000);
  const Calibration cal = calibrate(s.calibration_view(), s.roles);
  ChanceParams params;
  params.repetitions = 300;
  const ChanceResult r = chance_level(s.session_view(), s.roles, cal, {}, params);
  for (std::size_t shift : r.shifts) {
    REQUIRE(shift >= 900);
    REQUIRE(shift <= 4000 - 900);
  }
  params.min_shift_frames = 2000;  // 4,000 frames cannot hold two 2,000-frame margins and a shift
  CHECK_THROWS_AS(chance_level(s.session_view(), s.roles, cal, {}, params), std::invalid_argument);
}

TEST_CASE("chance is a pure function of the traces and the seed", "[loop][chance]") {
  const Session s(4, 9000, 6000);
  const Calibration cal = calibrate(s.calibration_view(), s.roles);
  ChanceParams params;
  params.repetitions = 50;
  params.seed = 77;
  const ChanceResult a = chance_level(s.session_view(), s.roles, cal, {}, params);
  const ChanceResult b = chance_level(s.session_view(), s.roles, cal, {}, params);
  CHECK(a.chance == b.chance);
  CHECK(a.shifts == b.shifts);
  CHECK(a.hit_fractions == b.hit_fractions);
  params.seed = 78;
  CHECK(chance_level(s.session_view(), s.roles, cal, {}, params).shifts != a.shifts);
}

TEST_CASE("common-mode activity cancels only without a shift, so chance exceeds the session", "[loop][chance]") {
  // Every BCI neuron carries the same slow drive c(k) plus small private noise. Aligned, c cancels in
  // x = mean(P+) − mean(P−); shifted, c(k) − c(k + s) does not, and the shifted traces hit more.
  const std::size_t frames = 9000, rois = 10;
  const std::vector<Role> roles = test::bci_roles(5);
  const std::vector<double> common = test::ar1_noise(frames, 1, 30.0, 1.0, 21);
  std::vector<double> session = test::ar1_noise(frames, rois, 7.5, 0.2, 22);
  for (std::size_t k = 0; k < frames; ++k)
    for (std::size_t i = 0; i < rois; ++i) session[k * rois + i] += common[k];
  const FrameBlock view(session, rois);
  const Calibration cal = calibrate(view, roles);  // on the aligned traces: c is invisible to it
  ChanceParams params;
  params.repetitions = 200;
  const double chance = chance_level(view, roles, cal, {}, params).chance;
  const double replayed = replay_hit_fraction(view, roles, cal);
  CAPTURE(chance, replayed);
  CHECK(chance > replayed + 0.3);
}
