#pragma once
// VTK's render windows on Debian are X11 windows: without an X display VTK aborts the process.
// Every picture-making entry point holds a DisplayLease first, which finds a usable display or
// starts a private virtual one (Xvfb), and fails with instructions when it can do neither.
#include <stdexcept>
#include <string>
#include <sys/types.h>

namespace apical::viz {

struct NoDisplayError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class DisplayLease {
 public:
  // Uses $DISPLAY if an X server answers there; otherwise starts Xvfb (if on PATH) and points $DISPLAY at
  // it for the life of the lease. Throws NoDisplayError with what to do when neither works.
  DisplayLease();
  ~DisplayLease();
  DisplayLease(const DisplayLease&) = delete;
  DisplayLease& operator=(const DisplayLease&) = delete;

  const std::string& display() const { return display_; }
  bool started_virtual_display() const { return xvfb_pid_ > 0; }

 private:
  std::string display_;
  std::string previous_display_;
  bool had_previous_display_ = false;
  pid_t xvfb_pid_ = -1;
};

// True when an X server accepts a connection at `display` (e.g. ":0").
bool display_answers(const std::string& display);

}  // namespace apical::viz
