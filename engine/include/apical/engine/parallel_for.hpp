#pragma once
// Runs task(i) for i in [0, count) on up to `threads` threads. Tasks are independent and each writes
// only its own results, so the outcome does not depend on the number of threads or on scheduling.
// The first exception thrown by a task is rethrown after all threads have stopped.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace apical {

template <class Task>
void parallel_for(std::size_t count, unsigned threads, Task&& task) {
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(count)));
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto worker = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      try {
        task(i);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = count;  // stop handing out work
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace apical
