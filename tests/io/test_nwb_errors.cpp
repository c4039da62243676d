// Faults lose no recorded data (issue 4): a file that cannot be made, or exists, is a WriteError naming
// it; a bad set-up or record is rejected before anything is written, and the good records around it
// are kept; a disk without room is refused before the file is touched; readers name what is wrong.
#include <catch2/catch.hpp>
#include <filesystem>

#include "apical/io/input_error.hpp"
#include "apical/io/nwb/iso8601.hpp"
#include "apical/io/nwb/session_reader.hpp"
#include "io_test_support.hpp"
#include "nwb_test_session.hpp"

using namespace apical;
using Catch::Matchers::Contains;

namespace {

nwb::WriterOptions no_automatic_flush() {
  nwb::WriterOptions options;
  options.flush_interval = std::chrono::hours(1);
  return options;
}

}  // namespace

TEST_CASE("a session file that cannot be created is a WriteError naming it", "[nwb]") {
  const test::TempDir dir;
  const std::string not_a_folder = dir.write("plain.txt", "a file, not a folder");
  for (const std::string& path : {dir.file("no/such/folder/session.nwb"), not_a_folder + "/session.nwb"}) {
    INFO(path);
    try {
      nwb::SessionWriter writer(path, test::nwb_session_info());
      FAIL("no error");
    } catch (const nwb::WriteError& error) {
      CHECK(error.file() == path);
      CHECK(error.object_path() == "/");
      CHECK_THAT(error.what(), Contains(path) && Contains("cannot create the file"));
    }
  }
}

TEST_CASE("a session file never replaces an existing file", "[nwb]") {
  const test::TempDir dir;
  const std::string path = dir.write("session.nwb", "yesterday's recording");
  CHECK_THROWS_WITH(nwb::SessionWriter(path, test::nwb_session_info()), Contains(path) && Contains("exists"));
  CHECK(test::read_text(path) == "yesterday's recording");
}

TEST_CASE("a bad set-up is rejected by field before a file is made", "[nwb]") {
  const test::TempDir dir;
  const std::string path = dir.file("session.nwb");
  const auto rejects = [&](const std::function<void(nwb::SessionInfo&)>& spoil, const char* field) {
    nwb::SessionInfo info = test::nwb_session_info();
    spoil(info);
    CHECK_THROWS_WITH(nwb::SessionWriter(path, info), Contains(field));
    CHECK_FALSE(std::filesystem::exists(path));
  };
  rejects([](nwb::SessionInfo& i) { i.session_start_time = "2026-03-02 10:15:30"; }, "session_start_time");
  rejects([](nwb::SessionInfo& i) { i.identifier.clear(); }, "identifier");
  rejects([](nwb::SessionInfo& i) { i.rois[1].plane = 2; }, "rois[1].plane");
  rejects([](nwb::SessionInfo& i) { i.rois[1].plane = 0; }, "planes[1]");  // no ROI left on 'distal'
  rejects([](nwb::SessionInfo& i) { i.planes[0].device = "Scope"; }, "planes[0].device");
  rejects([](nwb::SessionInfo& i) { i.planes[1].name = "dis/tal"; }, "planes[1].name");
  rejects([](nwb::SessionInfo& i) { i.devices.push_back(i.devices[0]); }, "devices[2].name");
}

TEST_CASE("a bad record is rejected and the good ones around it are kept", "[nwb]") {
  const test::TempDir dir;
  const std::string path = dir.file("session.nwb");
  {
    nwb::SessionWriter writer(path, test::nwb_session_info(), no_automatic_flush());
    test::nwb_append_frame_and_events(writer, 0);
    test::NwbTestFrame short_frame(1);
    short_frame.record.dff = std::span<const double>(short_frame.dff).first(2);
    CHECK_THROWS_WITH(writer.append_frame(short_frame.record), Contains("dff has 2 values") && Contains("3 ROIs"));
    test::NwbTestFrame timeless(1);
    timeless.record.time_s = nwb::none;
    CHECK_THROWS_AS(writer.append_frame(timeless.record), std::invalid_argument);
    CHECK_THROWS_AS(writer.append_lick({nwb::none, 0}), std::invalid_argument);
    CHECK_THROWS_AS(writer.append_epoch({2.0, 1.0, "backwards"}), std::invalid_argument);
    CHECK_THROWS_WITH(writer.append_invalid_time({1.0, 2.0, std::string(65, 'x')}), Contains("longer than 64 bytes"));
    test::nwb_append_frame_and_events(writer, 1);
    CHECK(writer.frames() == 2);
    writer.close();
    writer.close();  // a second close does nothing
    CHECK_THROWS_AS(writer.append_frame(test::NwbTestFrame(2).record), std::logic_error);
  }
  const nwb::SessionRecording session = nwb::read_session(path);
  REQUIRE(session.frames == 2);
  CHECK(session.dff[3] == test::NwbTestFrame(1).dff[0]);
  CHECK(session.epochs.empty());
}

TEST_CASE("a flush onto a disk without room is refused and names the file", "[nwb]") {
  const test::TempDir dir;
  const std::string path = dir.file("session.nwb");
  nwb::WriterOptions options = no_automatic_flush();
  options.min_free_bytes = UINT64_MAX;
  {
    nwb::SessionWriter writer(path, test::nwb_session_info(), options);
    test::nwb_append_frame_and_events(writer, 0);
    CHECK_THROWS_WITH(writer.flush(), Contains(path) && Contains("MiB free") && Contains("stay in memory"));
    CHECK(writer.flushed_frames() == 0);
    CHECK_THROWS_AS(writer.close(), nwb::WriteError);
  }                                            // the destructor gives up quietly
  CHECK(nwb::read_session(path).frames == 0);  // the file as the set-up's flush left it
}

TEST_CASE("records appended while the disk is full are written by the first flush after it has room again", "[nwb]") {
  const test::TempDir dir;
  const std::string path = dir.file("session.nwb");
  bool disk_full = false;
  nwb::WriterOptions options = no_automatic_flush();
  options.free_bytes = [&](const std::string& probed) {
    CHECK(probed == path);
    return disk_full ? std::uint64_t{0} : UINT64_MAX;
  };
  nwb::SessionWriter writer(path, test::nwb_session_info(), options);
  test::nwb_append_frame_and_events(writer, 0);
  writer.flush();
  disk_full = true;
  for (std::uint64_t k = 1; k < 4; ++k) test::nwb_append_frame_and_events(writer, k);
  CHECK_THROWS_AS(writer.flush(), nwb::WriteError);
  CHECK(writer.flushed_frames() == 1);
  disk_full = false;
  writer.close();
  const nwb::SessionRecording session = nwb::read_session(path);
  REQUIRE(session.frames == 4);
  CHECK(session.dff[3 * session.info.rois.size()] == test::NwbTestFrame(3).dff[0]);
}

TEST_CASE("reading a file that is not a session names the file and what is missing", "[nwb]") {
  const test::TempDir dir;
  CHECK_THROWS_AS(nwb::read_session(dir.file("missing.nwb")), InputError);
  const std::string text = dir.write("text.nwb", "not HDF5");
  CHECK_THROWS_WITH(nwb::read_session(text), Contains(text));
}

TEST_CASE("NWB times are ISO 8601 with a time zone", "[nwb]") {
  const std::string now = nwb::iso8601_local(std::chrono::system_clock::now());
  INFO(now);
  CHECK(nwb::is_iso8601_with_time_zone(now));
  CHECK(now.size() == 29);  // 2026-03-02T10:15:30.125+01:00
  CHECK(nwb::is_iso8601_with_time_zone("2026-03-02T10:15:30Z"));
  CHECK(nwb::is_iso8601_with_time_zone("2026-03-02T10:15:30.123456-0500"));
  CHECK_FALSE(nwb::is_iso8601_with_time_zone("2026-03-02T10:15:30"));
  CHECK_FALSE(nwb::is_iso8601_with_time_zone("2026-13-02T10:15:30Z"));
  CHECK_FALSE(nwb::is_iso8601_with_time_zone("2026-03-02 10:15:30+01:00"));
}
