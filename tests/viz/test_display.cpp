#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>

#include "apical/viz/display.hpp"

namespace {

// Sets an environment variable for one scope and puts the old value back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_.c_str(), old_->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("a display lease starts a private Xvfb when there is no display, and ends it", "[viz]") {
  ScopedEnv no_display("DISPLAY", nullptr);
  std::string leased;
  {
    apical::viz::DisplayLease lease;
    REQUIRE(lease.started_virtual_display());
    leased = lease.display();
    CHECK(std::string(std::getenv("DISPLAY")) == leased);
    CHECK(apical::viz::display_answers(leased));
  }
  CHECK(std::getenv("DISPLAY") == nullptr);
  CHECK_FALSE(apical::viz::display_answers(leased));
}

TEST_CASE("a display lease uses a display that answers instead of starting another", "[viz]") {
  ScopedEnv no_display("DISPLAY", nullptr);
  apical::viz::DisplayLease outer;
  apical::viz::DisplayLease inner;
  CHECK_FALSE(inner.started_virtual_display());
  CHECK(inner.display() == outer.display());
}

TEST_CASE("without a display and without Xvfb the error says what to install", "[viz]") {
  ScopedEnv no_display("DISPLAY", ":87");  // nothing listens there
  ScopedEnv no_xvfb("PATH", "/nonexistent");
  try {
    apical::viz::DisplayLease lease;
    FAIL("expected NoDisplayError");
  } catch (const apical::viz::NoDisplayError& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Catch::Contains("DISPLAY=:87"));
    CHECK_THAT(message, Catch::Contains("apt-get install xvfb"));
    CHECK_THAT(message, Catch::Contains("xvfb-run"));
  }
}
