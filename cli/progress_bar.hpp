#pragma once
// A one-line progress bar on stderr, "mouse-days 37/90 [#####     ] 41% ETA 2m10s", for a person
// watching a terminal; disabled (silent) otherwise. step() may be called from several threads.
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

namespace apical::cli {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::size_t total, bool enabled)
      : label_(std::move(label)), total_(total), enabled_(enabled && total > 0),
        start_(std::chrono::steady_clock::now()) {
    if (enabled_) draw();
  }
  ~ProgressBar() { finish(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void step() {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (done_ < total_) ++done_;
    if (enabled_) draw();
  }

  // Clears the line (once).
  void finish() {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!enabled_) return;
    std::fprintf(stderr, "\r%*s\r", static_cast<int>(width_), "");
    std::fflush(stderr);
    enabled_ = false;
  }

 private:
  static std::string duration(double seconds) {
    const long s = static_cast<long>(seconds + 0.5);
    char buffer[32];
    if (s < 60) std::snprintf(buffer, sizeof buffer, "%lds", s);
    else if (s < 3600) std::snprintf(buffer, sizeof buffer, "%ldm%02lds", s / 60, s % 60);
    else std::snprintf(buffer, sizeof buffer, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
    return buffer;
  }

  void draw() {
    constexpr std::size_t bar = 20;
    const double fraction = static_cast<double>(done_) / static_cast<double>(total_);
    const auto filled = static_cast<std::size_t>(fraction * bar);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::string line = label_ + " " + std::to_string(done_) + "/" + std::to_string(total_) + " [" +
                       std::string(filled, '#') + std::string(bar - filled, ' ') + "] " +
                       std::to_string(static_cast<int>(100.0 * fraction)) + "%";
    if (done_ > 0 && done_ < total_)
      line += " ETA " + duration(elapsed * static_cast<double>(total_ - done_) / static_cast<double>(done_));
    if (line.size() < width_) line += std::string(width_ - line.size(), ' ');  // cover a longer previous line
    width_ = line.size();
    std::fprintf(stderr, "\r%s", line.c_str());
    std::fflush(stderr);
  }

  std::mutex mutex_;
  std::string label_;
  std::size_t total_, done_ = 0, width_ = 0;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace apical::cli
