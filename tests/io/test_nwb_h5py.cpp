// h5py reads a session file as docs/nwb.md shows: the page's Python example runs on a synthetic
// session and prints what the page says it prints, and tests/io/nwb_h5py_check.py checks the file's
// NWB structure with h5py alone, on a finished file and on one left by kill -9. Needs Debian's
// python3-h5py (tests/io/CMakeLists.txt).
#ifdef APICAL_H5PY_PYTHON
#include <catch2/catch.hpp>
#include <cstdio>
#include <memory>

#include "io_test_support.hpp"
#include "nwb_kill_support.hpp"
#include "nwb_paired_session.hpp"

using namespace apical;

namespace {

// The text between the line `after` (the first line that starts with it) and the closing fence.
std::string fenced_block(const std::string& page, const std::string& after) {
  const std::size_t opening = page.find("\n" + after);
  REQUIRE(opening != std::string::npos);
  const std::size_t begin = page.find('\n', opening + 1) + 1;
  const std::size_t end = page.find("\n```", begin);
  REQUIRE(end != std::string::npos);
  return page.substr(begin, end - begin + 1);
}

// Runs a command; returns its exit status and what it printed (stdout and stderr).
std::pair<int, std::string> run(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen((command + " 2>&1").c_str(), "r"), pclose);
  REQUIRE(pipe);
  std::string output;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) output += buffer;
  const int status = pclose(pipe.release());
  return {status, output};
}

std::string write_session(const test::TempDir& dir, std::size_t frames) {
  const std::string path = dir.file("session.nwb");
  nwb::SessionWriter writer(path, test::nwb_session_info());
  for (std::size_t k = 0; k < frames; ++k) test::nwb_append_frame_and_events(writer, k);
  writer.close();
  return path;
}

std::string write_paired_session(const test::TempDir& dir, std::size_t frames) {
  const std::string path = dir.file("paired.nwb");
  nwb::SessionWriter writer(path, test::nwb_paired_session_info());
  for (std::size_t k = 0; k < frames; ++k) test::nwb_append_paired_frame(writer, k);
  writer.close();
  return path;
}

}  // namespace

TEST_CASE("docs/nwb.md's h5py example of the distal plane's pairs prints what the page says", "[nwb][h5py][pairs]") {
  const test::TempDir dir;
  const std::string session = write_paired_session(dir, 200);
  const std::string page = test::read_text(std::string(APICAL_SOURCE_DIR) + "/docs/nwb.md");
  const std::string script = dir.write("pairs.py", fenced_block(page, "```python title=\"pairs\""));
  const std::string expected = fenced_block(page, "```text title=\"prints pairs\"");
  const auto [status, output] = run(std::string(APICAL_H5PY_PYTHON) + " " + script + " " + session);
  INFO(output);
  CHECK(status == 0);
  CHECK(output == expected);
  const auto [check_status, check_output] = run(std::string(APICAL_H5PY_PYTHON) + " " + APICAL_SOURCE_DIR +
                                                "/tests/io/nwb_h5py_check.py " + session + " 200");
  INFO(check_output);
  CHECK(check_status == 0);
}

TEST_CASE("docs/nwb.md's h5py example prints what the page says", "[nwb][h5py]") {
  const test::TempDir dir;
  const std::string session = write_session(dir, 100);
  const std::string page = test::read_text(std::string(APICAL_SOURCE_DIR) + "/docs/nwb.md");
  const std::string script = dir.write("example.py", fenced_block(page, "```python"));
  const std::string expected = fenced_block(page, "```text title=\"prints\"");
  const auto [status, output] = run(std::string(APICAL_H5PY_PYTHON) + " " + script + " " + session);
  INFO(output);
  CHECK(status == 0);
  CHECK(output == expected);
}

TEST_CASE("h5py alone finds the NWB structure complete, also after kill -9", "[nwb][h5py]") {
  const test::TempDir dir;
  const auto check = [](const std::string& session, std::size_t frames) {
    const auto [status, output] = run(std::string(APICAL_H5PY_PYTHON) + " " + APICAL_SOURCE_DIR +
                                      "/tests/io/nwb_h5py_check.py " + session + " " + std::to_string(frames));
    INFO(output);
    CHECK(status == 0);
    CHECK(output.rfind("ok: ", 0) == 0);
  };
  check(write_session(dir, 100), 100);
  const std::string killed = dir.file("killed.nwb");
  REQUIRE(test::write_flush_and_kill(killed, 40, 65, 30) == "flushed 40\nflushed 65\nappended 95\n");
  check(killed, 65);
}
#endif
