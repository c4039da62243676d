// The trial state machine "to the frame" (experiment.md §3): the reward 15 frames after the hit, the
// 90° display ending 30 frames after it, the timeout after 420 frames and 45 black frames, and trials
// that tile the session without gaps.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <vector>

#include "apical/engine/loop/trial_task.hpp"

using namespace apical::loop;

namespace {

// Runs the task for `frames` frames with at_target true exactly on the listed frames; the decoder
// angle is frame % 7 · 15° so that OPEN frames show where the patch angle comes from.
std::vector<TaskFrame> run(std::size_t frames, const std::set<std::size_t>& targets, TrialTask& task) {
  std::vector<TaskFrame> out;
  for (std::size_t k = 0; k < frames; ++k) out.push_back(task.step(targets.count(k) > 0, 15.0 * (k % 7)));
  return out;
}

std::size_t count_flag(const std::vector<TaskFrame>& f, bool TaskFrame::*flag) {
  std::size_t n = 0;
  for (const TaskFrame& x : f) n += x.*flag ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("a hit: reward 15 frames later, 90° until 30 frames after the hit, 15 black frames", "[loop][task]") {
  const std::size_t h = 100;
  TrialTask task;
  const auto f = run(200, {h, h + 1, h + 20, h + 35}, task);  // later at_target frames must not matter

  CHECK(f[0].trial_start);
  for (std::size_t k = 0; k < h; ++k) {
    REQUIRE(f[k].state == TaskState::open);
    REQUIRE(!f[k].stimulus.black);
    REQUIRE(f[k].stimulus.angle_deg == 15.0 * (k % 7));
    REQUIRE(f[k].outcome == Outcome::pending);
  }
  CHECK(f[h].hit);
  CHECK(f[h].state == TaskState::hit);
  CHECK(f[h].outcome == Outcome::hit);
  for (std::size_t k = h; k < h + 15; ++k) REQUIRE(f[k].state == TaskState::hit);
  CHECK(f[h + 15].state == TaskState::reward);
  CHECK(f[h + 15].reward_command);
  for (std::size_t k = h + 16; k < h + 30; ++k) REQUIRE(f[k].state == TaskState::show);
  for (std::size_t k = h; k < h + 30; ++k) {
    REQUIRE(!f[k].stimulus.black);
    REQUIRE(f[k].stimulus.angle_deg == 90.0);
  }
  for (std::size_t k = h + 30; k < h + 45; ++k) {
    REQUIRE(f[k].state == TaskState::blank_ok);
    REQUIRE(f[k].stimulus.black);
  }
  CHECK(f[h + 44].trial_end);
  CHECK(f[h + 44].trial == 0);
  CHECK(f[h + 45].trial_start);
  CHECK(f[h + 45].trial == 1);
  CHECK(f[h + 45].state == TaskState::open);
  CHECK(f[h + 45].outcome == Outcome::pending);

  CHECK(count_flag(f, &TaskFrame::hit) == 1);
  CHECK(count_flag(f, &TaskFrame::reward_command) == 1);
  CHECK(count_flag(f, &TaskFrame::trial_end) == 1);

  const TrialRecord& r = task.records().at(0);
  CHECK(r.start_frame == 0);
  CHECK(r.hit_frame == h);
  CHECK(r.reward_frame == h + 15);
  CHECK(r.end_frame == h + 44);
  CHECK(r.outcome == Outcome::hit);
  CHECK(task.records().at(1).start_frame == h + 45);
}

TEST_CASE("no hit: FAIL after 420 OPEN frames, then 45 black frames", "[loop][task]") {
  TrialTask task;
  const auto f = run(600, {}, task);
  for (std::size_t k = 0; k < 420; ++k) REQUIRE(f[k].state == TaskState::open);
  CHECK(f[420].timeout);
  CHECK(f[420].outcome == Outcome::fail);
  for (std::size_t k = 420; k < 465; ++k) {
    REQUIRE(f[k].state == TaskState::fail);
    REQUIRE(f[k].stimulus.black);
  }
  CHECK(f[464].trial_end);
  CHECK(f[465].trial_start);
  CHECK(f[465].state == TaskState::open);
  CHECK(count_flag(f, &TaskFrame::timeout) == 1);
  CHECK(count_flag(f, &TaskFrame::reward_command) == 0);
  const TrialRecord& r = task.records().at(0);
  CHECK(!r.hit_frame);
  CHECK(!r.reward_frame);
  CHECK(r.end_frame == 464);
  CHECK(r.outcome == Outcome::fail);
}

TEST_CASE("the last OPEN frame can hit, the first FAIL frame cannot", "[loop][task]") {
  TrialTask last;
  const auto a = run(500, {419}, last);
  CHECK(a[419].hit);
  CHECK(last.records()[0].outcome == Outcome::hit);
  CHECK(last.records()[0].reward_frame == 434);

  TrialTask late;
  const auto b = run(500, {420, 421}, late);
  CHECK(b[420].timeout);
  CHECK(count_flag(b, &TaskFrame::hit) == 0);
}

TEST_CASE("with show_from = reward the 90° display runs 30 frames from the reward", "[loop][task]") {
  TrialTaskParams p;
  p.show_from = ShowAnchor::reward;
  TrialTask task(p);
  const std::size_t h = 10, r = h + 15;
  const auto f = run(200, {h}, task);
  for (std::size_t k = h; k < r + 30; ++k) REQUIRE(f[k].stimulus.angle_deg == 90.0);
  CHECK(f[r + 29].state == TaskState::show);
  CHECK(f[r + 30].state == TaskState::blank_ok);
  CHECK(task.records()[0].end_frame == r + 44);
}

TEST_CASE("durations are parameters", "[loop][task]") {
  TrialTaskParams p;
  p.open_frames = 5;
  p.reward_delay_frames = 2;
  p.show_frames = 4;
  p.blank_ok_frames = 3;
  p.fail_frames = 2;
  TrialTask task(p);
  // Trial 0 fails (frames 0–4 open, 5–6 fail); trial 1 hits at 9 (reward 11, show 12, blank 13–15).
  const auto f = run(20, {9}, task);
  CHECK(f[5].timeout);
  CHECK(f[6].trial_end);
  CHECK(f[7].trial_start);
  CHECK(f[11].reward_command);
  CHECK(f[12].state == TaskState::show);
  CHECK(f[13].state == TaskState::blank_ok);
  CHECK(f[15].trial_end);
  CHECK(f[16].trial_start);

  // A display shorter than the reward delay ends with the reward frame.
  p.show_frames = 1;
  TrialTask short_show(p);
  const auto g = run(20, {9}, short_show);
  CHECK(g[11].state == TaskState::reward);
  CHECK(g[12].state == TaskState::blank_ok);

  p = {};
  p.fail_frames = 0;
  CHECK_THROWS_AS(TrialTask(p), std::invalid_argument);
}

TEST_CASE("trials tile the session and the hit fraction counts decided trials", "[loop][task]") {
  TrialTask task;
  // Hits at 50 (trial 0), none in trial 1 (starts 95, fails at 515), hit in trial 2 (starts 560).
  const auto f = run(1000, {50, 600}, task);
  const auto& rec = task.records();
  REQUIRE(rec.size() == 4);
  CHECK(rec[1].start_frame == 95);
  CHECK(rec[1].end_frame == 95 + 464);
  CHECK(rec[2].start_frame == 560);
  CHECK(rec[2].hit_frame == 600);
  for (std::size_t t = 0; t + 1 < rec.size(); ++t) CHECK(rec[t + 1].start_frame == *rec[t].end_frame + 1);
  CHECK(rec[3].outcome == Outcome::pending);  // still open when the run stops
  CHECK(count_flag(f, &TaskFrame::trial_start) == 4);
  CHECK(hit_fraction(rec) == 2.0 / 3.0);
  CHECK(std::isnan(hit_fraction(std::vector<TrialRecord>{})));
}
