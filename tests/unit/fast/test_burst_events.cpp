// Burst/event classification (Payeur et al. 2021) on hand-made spike trains.
#include <catch2/catch.hpp>
#include <limits>
#include <string>
#include <vector>

#include "apical/models/two_compartment/burst_events.hpp"

using namespace apical;

namespace {

// "E" event, "B" second spike of a burst (an intra-burst spike that flags the burst), "-" neither.
std::string labels(const std::vector<double>& times, double isi = 16.0) {
  std::string out;
  for (const SpikeClass& c : classify_spike_train(times, isi)) out += c.event ? (c.burst ? '?' : 'E') : (c.burst ? 'B' : '-');
  return out;
}

}  // namespace

TEST_CASE("burst/event classification of hand-made trains", "[models][burst_events]") {
  CHECK(labels({}).empty());
  CHECK(labels({10}) == "E");                        // a singlet is an event
  CHECK(labels({10, 20}) == "EB");                   // burst flagged at the second spike
  CHECK(labels({10, 26}) == "EB");                   // ISI exactly 16 ms is a burst (≤)
  CHECK(labels({10, 26.001}) == "EE");               // just over: two singlets
  CHECK(labels({10, 15, 20, 25}) == "EB--");         // one burst of four spikes: one event, one burst
  CHECK(labels({0, 10, 20, 30, 40, 50, 60}) == "EB-----");  // a chain of short ISIs stays one burst
  CHECK(labels({10, 15, 20, 25, 100, 200, 210}) == "EB--EEB");
  CHECK(labels({10, 20, 40, 45}) == "EBEB");         // 20 ms gap separates two bursts
  CHECK(labels({10, 20}, 5.0) == "EE");              // the criterion is a parameter

  const auto classes = classify_spike_train(std::vector<double>{10, 15, 20, 25, 100, 200, 210});
  const BurstEventCounts c = count_bursts_and_events(classes);
  CHECK(c.spikes == 7);
  CHECK(c.events == 3);
  CHECK(c.bursts == 2);
  CHECK(c.burst_fraction() == Approx(2.0 / 3.0));
  CHECK_THROWS(classify_spike_train(std::vector<double>{20, 10}));
}

TEST_CASE("online classification matches the offline rule step by step", "[models][burst_events]") {
  // Spikes on a 0.1-ms grid accumulated from dt, so ISIs carry rounding like in a simulation.
  const std::vector<int> spike_steps{5, 165, 166, 500, 660, 661, 662, 1000, 1161};
  std::vector<double> times;
  std::vector<SpikeClass> online;
  double since = std::numeric_limits<double>::infinity(), in_event = 0, t = 0;
  std::size_t next = 0;
  for (int k = 1; k <= 1200; ++k) {
    t += 0.1;
    since += 0.1;
    const bool spike = next < spike_steps.size() && spike_steps[next] == k;
    const SpikeClass c = classify_spike(spike, since, in_event, 16.0);
    if (spike) {
      times.push_back(k * 0.1);
      online.push_back(c);
      ++next;
    } else {
      CHECK_FALSE(c.event);
      CHECK_FALSE(c.burst);
    }
  }
  const auto offline = classify_spike_train(times);
  REQUIRE(offline.size() == online.size());
  for (std::size_t k = 0; k < online.size(); ++k) {
    INFO("spike " << k);
    CHECK(online[k].event == offline[k].event);
    CHECK(online[k].burst == offline[k].burst);
  }
  // 5 → 165 and 500 → 660 are exactly 16 ms (160 accumulated steps of 0.1): bursts despite rounding;
  // 1000 → 1161 is 16.1 ms: a new event.
  CHECK(online[1].burst);
  CHECK(online[4].burst);
  CHECK_FALSE(online[5].burst);
  CHECK(online[8].event);
  CHECK_FALSE(online[8].burst);
}
