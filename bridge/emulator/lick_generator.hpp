#pragma once
// Regular licks for both emulated devices: an onset every interval, the tongue off 20 ms later (well
// above RIGLINK/1's 5-ms debounce).
#include <cstdint>

namespace apical::emulator {

class LickGenerator {
 public:
  explicit LickGenerator(std::int64_t interval_ms) : interval_us_(interval_ms * 1000) {}
  // +1 at an onset, -1 at an offset, 0 otherwise; call often (every ms).
  int step(std::int64_t now_us) {
    if (interval_us_ <= 0) return 0;
    if (touching_ && now_us >= onset_us_ + kContactUs) {
      touching_ = false;
      return -1;
    }
    if (!touching_ && now_us >= onset_us_ + interval_us_) {
      onset_us_ = now_us;
      touching_ = true;
      return 1;
    }
    return 0;
  }

 private:
  static constexpr std::int64_t kContactUs = 20000;
  std::int64_t interval_us_;
  std::int64_t onset_us_ = 0;
  bool touching_ = false;
};

}  // namespace apical::emulator
