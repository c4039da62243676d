// parallel_for: every index runs exactly once whatever the thread count, and a task's exception
// reaches the caller after the pool has stopped.
#include <catch2/catch.hpp>
#include <stdexcept>

#include "apical/engine/parallel_for.hpp"
#include "apical/engine/random.hpp"

using namespace apical;

TEST_CASE("parallel_for gives the same results for 1, 2 and 8 threads", "[engine][parallel]") {
  const auto run = [](unsigned threads) {
    std::vector<double> out(97, 0.0);
    parallel_for(out.size(), threads, [&](std::size_t i) {
      CounterRng rng(5, i);
      for (int k = 0; k < 1000; ++k) out[i] += rng.uniform();
    });
    return out;
  };
  const auto one = run(1);
  CHECK(run(2) == one);
  CHECK(run(8) == one);
  for (double v : one) CHECK(v > 0.0);
}

TEST_CASE("parallel_for rethrows a task's exception", "[engine][parallel]") {
  CHECK_THROWS_WITH(parallel_for(10, 2, [](std::size_t i) { if (i == 7) throw std::runtime_error("task 7 failed"); }),
                    "task 7 failed");
}
