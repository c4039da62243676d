#include "apical/bridge/fft_size.hpp"

#include <initializer_list>

namespace apical::bridge {

bool is_5_smooth(std::size_t n) {
  if (n == 0) return false;
  for (std::size_t p : {2u, 3u, 5u})
    while (n % p == 0) n /= p;
  return n == 1;
}

std::size_t next_5_smooth(std::size_t n) {
  std::size_t m = n == 0 ? 1 : n;
  while (!is_5_smooth(m)) ++m;
  return m;
}

std::size_t previous_5_smooth(std::size_t n) {
  std::size_t m = n == 0 ? 1 : n;
  while (!is_5_smooth(m)) --m;
  return m;
}

}  // namespace apical::bridge
