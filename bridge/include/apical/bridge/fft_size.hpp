#pragma once
// FFT-friendly lengths for registration (rig.md §7): FFTW is fastest on 5-smooth lengths
// (2^a·3^b·5^c), and 796 = 4·199 is three times slower than 800 = 2^5·5^2.
#include <cstddef>

namespace apical::bridge {

[[nodiscard]] bool is_5_smooth(std::size_t n);
[[nodiscard]] std::size_t next_5_smooth(std::size_t n);      // smallest 5-smooth length ≥ n (pad to it)
[[nodiscard]] std::size_t previous_5_smooth(std::size_t n);  // largest 5-smooth length ≤ n (crop to it); n ≥ 1

}  // namespace apical::bridge
