// The rig session's NWB file: a small synthetic session written and read back value for value, the
// NWB layout of rig.md §9 checked object by object with the HDF5 C API, and the flush policy.
#include <hdf5.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <initializer_list>
#include <regex>
#include <thread>

#include "apical/io/nwb/session_reader.hpp"
#include "io_test_support.hpp"
#include "nwb_test_session.hpp"

using namespace apical;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

constexpr std::size_t frames = 100;

nwb::WriterOptions no_automatic_flush() {
  nwb::WriterOptions options;
  options.flush_interval = std::chrono::hours(1);
  return options;
}

std::string write_test_session(const test::TempDir& dir, std::size_t count = frames) {
  const std::string path = dir.file("session.nwb");
  nwb::SessionWriter writer(path, test::nwb_session_info(), no_automatic_flush());
  for (std::size_t k = 0; k < count; ++k) test::nwb_append_frame_and_events(writer, k);
  writer.close();
  return path;
}

// NaN == NaN here: "none" must read back as none.
bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// Removes objects from a written file, leaving it as a writer from before them made it.
void remove_objects(const std::string& path, std::initializer_list<const char*> objects) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  REQUIRE(file >= 0);
  for (const char* object : objects) CHECK(H5Ldelete(file, object, H5P_DEFAULT) >= 0);
  H5Fclose(file);
}

// ---- raw HDF5 access for the layout checks ------------------------------------------------------

struct File {
  hid_t id;
  explicit File(const std::string& path) : id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) { REQUIRE(id >= 0); }
  ~File() { H5Fclose(id); }
};

bool has_attribute(hid_t file, const std::string& object, const std::string& name) {
  return H5Aexists_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT) > 0;
}

std::string text_attribute(hid_t file, const std::string& object, const std::string& name) {
  INFO(object << " attribute " << name);
  REQUIRE(has_attribute(file, object, name));
  const hid_t attribute = H5Aopen_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT);
  const hid_t type = H5Aget_type(attribute);
  CHECK(H5Tis_variable_str(type) > 0);
  CHECK(H5Tget_cset(type) == H5T_CSET_UTF8);
  char* text = nullptr;
  REQUIRE(H5Aread(attribute, type, &text) >= 0);
  std::string value = text;
  H5free_memory(text);
  H5Tclose(type);
  H5Aclose(attribute);
  return value;
}

H5L_type_t link_type(hid_t file, const std::string& path) {
  H5L_info_t info;
  REQUIRE(H5Lget_info(file, path.c_str(), &info, H5P_DEFAULT) >= 0);
  return info.type;
}

// The path of the object an object-reference attribute points to.
std::string referenced_path(hid_t file, const std::string& object, const std::string& name) {
  const hid_t attribute = H5Aopen_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT);
  REQUIRE(attribute >= 0);
  const hid_t type = H5Aget_type(attribute);
  CHECK(H5Tget_class(type) == H5T_REFERENCE);
  hobj_ref_t reference;
  REQUIRE(H5Aread(attribute, H5T_STD_REF_OBJ, &reference) >= 0);
  const hid_t target = H5Rdereference2(file, H5P_DEFAULT, H5R_OBJECT, &reference);
  REQUIRE(target >= 0);
  char path[256] = {};
  H5Iget_name(target, path, sizeof path);
  H5Oclose(target);
  H5Tclose(type);
  H5Aclose(attribute);
  return path;
}

void check_typed(hid_t file, const std::string& path, const std::string& type, const std::string& ns = "core") {
  INFO(path);
  CHECK(text_attribute(file, path, "neurodata_type") == type);
  CHECK(text_attribute(file, path, "namespace") == ns);
  static const std::regex uuid4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  CHECK(std::regex_match(text_attribute(file, path, "object_id"), uuid4));
}

void check_series(hid_t file, const std::string& path, const std::string& type, const std::string& unit, hsize_t rows) {
  INFO(path);
  check_typed(file, path, type);
  CHECK(has_attribute(file, path, "description"));
  CHECK(text_attribute(file, path + "/data", "unit") == unit);
  for (const char* name : {"conversion", "offset", "resolution", "continuity"})
    CHECK(has_attribute(file, path + "/data", name));
  CHECK(test::dataset_shape(file, path + "/data").front() == rows);  // time first
  CHECK(test::dataset_shape(file, path + "/timestamps") == std::vector<hsize_t>{rows});
}

}  // namespace

TEST_CASE("a small rig session reads back value for value", "[nwb]") {
  const test::TempDir dir;
  const nwb::SessionRecording session = nwb::read_session(write_test_session(dir));
  const nwb::SessionInfo info = test::nwb_session_info();

  CHECK(session.nwb_version == "2.9.0");
  CHECK(session.info.identifier == info.identifier);
  CHECK(session.info.session_description == info.session_description);
  CHECK(session.info.session_start_time == info.session_start_time);
  CHECK(session.info.protocol_json == info.protocol_json);
  CHECK(session.info.imaging_rate_hz == 15.0);
  REQUIRE(session.info.devices.size() == 2);
  CHECK(session.info.devices[0].name == "Microscope");
  CHECK(session.info.devices[0].manufacturer == "Thorlabs");
  CHECK(session.info.devices[1].manufacturer.empty());
  // Planes come back in name order; each ROI's plane index follows them.
  REQUIRE(session.info.planes.size() == 2);
  CHECK(session.info.planes[0].name == "distal");
  CHECK(session.info.planes[0].location == "RSC L1");
  CHECK(session.info.planes[1].name == "proximal");
  CHECK(session.info.planes[1].device == "Microscope");
  CHECK(session.info.planes[1].excitation_lambda_nm == 920.0);
  REQUIRE(session.info.rois.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("ROI " << i);
    const nwb::Roi& read = session.info.rois[i];
    CHECK(read.name == info.rois[i].name);
    CHECK(session.info.planes[read.plane].name == info.planes[info.rois[i].plane].name);
    CHECK(read.population == info.rois[i].population);
    CHECK(read.source == info.rois[i].source);
    REQUIRE(read.pixel_mask.size() == info.rois[i].pixel_mask.size());
    for (std::size_t p = 0; p < read.pixel_mask.size(); ++p) {
      CHECK(read.pixel_mask[p].x == info.rois[i].pixel_mask[p].x);
      CHECK(read.pixel_mask[p].y == info.rois[i].pixel_mask[p].y);
      CHECK(read.pixel_mask[p].weight == info.rois[i].pixel_mask[p].weight);
    }
  }

  REQUIRE(session.frames == frames);
  for (std::size_t k = 0; k < frames; ++k) {
    INFO("frame " << k);
    const test::NwbTestFrame expected(k);
    const nwb::FrameRecord& r = expected.record;
    CHECK(session.frame_index[k] == k);
    CHECK(session.frame_time_s[k] == r.time_s);
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK_THAT(session.f[k * 3 + i], WithinRel(expected.f[i], 1e-7));  // float32
      CHECK_THAT(session.f0[k * 3 + i], WithinRel(expected.f0[i], 1e-7));
      CHECK(session.dff[k * 3 + i] == expected.dff[i]);  // exactly as the decoder saw it
    }
    CHECK(same(session.decoder_x_bar[k], r.decoder_x_bar));
    CHECK(same(session.decoder_z[k], r.decoder_z));
    CHECK(same(session.angle_deg[k], r.angle_deg));
    CHECK(same(session.stimulus_angle_deg[k], r.stimulus_angle_deg));
    CHECK(session.shift_dx_px[k] == r.shift_dx_px);
    CHECK(session.shift_dy_px[k] == r.shift_dy_px);
    CHECK(session.shift_peak_ratio[k] == r.shift_peak_ratio);
    CHECK(same(session.distal_shift_dx_px[k], r.distal_shift_dx_px));
    CHECK(same(session.distal_shift_dy_px[k], r.distal_shift_dy_px));
    CHECK(same(session.distal_shift_peak_ratio[k], r.distal_shift_peak_ratio));
    CHECK(session.bad[k] == (r.bad ? 1 : 0));
    CHECK(session.opto[k] == (r.opto ? 1 : 0));
    CHECK(same(session.stages[k].received_s, r.stages.received_s));
    CHECK(same(session.stages[k].decided_s, r.stages.decided_s));
    CHECK(same(session.stages[k].sent_s, r.stages.sent_s));
  }

  const test::NwbTestCounts counts(frames);
  CHECK(session.licks.size() == counts.licks);
  CHECK(session.rewards.size() == counts.rewards);
  CHECK(session.messages.size() == counts.messages);
  CHECK(session.epochs.size() == counts.epochs);
  CHECK(session.invalid_times.size() == counts.invalid);
  REQUIRE(session.trials.size() == counts.trials);
  CHECK(session.licks[0].time_s == 3 * test::nwb_frame_period_s + 0.01);
  CHECK(session.licks[0].port == 1);
  CHECK(session.rewards[0].volume_ul == 3.0);
  CHECK(session.messages[0].text == "serial device unplugged (frame 39)");
  CHECK(session.epochs[0].tag == "calibration");
  CHECK(session.invalid_times[0].tag == "bad frame");
  for (std::size_t t = 0; t < session.trials.size(); ++t) {
    INFO("trial " << t);
    const nwb::Trial expected = test::nwb_trial_ending_at(25 * t + 24);
    const nwb::Trial& read = session.trials[t];
    CHECK(read.start_time_s == expected.start_time_s);
    CHECK(read.stop_time_s == expected.stop_time_s);
    CHECK(read.outcome == expected.outcome);
    CHECK(same(read.hit_time_s, expected.hit_time_s));
    CHECK(same(read.reward_time_s, expected.reward_time_s));
    CHECK(read.reward_ul == expected.reward_ul);
    CHECK(read.opto == expected.opto);
    CHECK(read.theta == expected.theta);
  }
}

TEST_CASE("the session file has the NWB layout of rig.md §9", "[nwb]") {
  const test::TempDir dir;
  const File file(write_test_session(dir));
  const hid_t f = file.id;

  check_typed(f, "/", "NWBFile");
  CHECK(text_attribute(f, "/", "nwb_version") == "2.9.0");
  for (const char* name : {"/file_create_date", "/identifier", "/session_description", "/session_start_time",
                           "/timestamps_reference_time", "/general/protocol"})
    CHECK(H5Lexists(f, name, H5P_DEFAULT) > 0);
  for (const char* group : {"/acquisition", "/analysis", "/processing", "/stimulus/presentation", "/stimulus/templates",
                            "/general/devices", "/general/optophysiology", "/intervals"})
    CHECK(H5Lexists(f, group, H5P_DEFAULT) > 0);

  check_typed(f, "/general/devices/Microscope", "Device");
  check_typed(f, "/general/optophysiology/ImagingPlane_distal", "ImagingPlane");
  check_typed(f, "/general/optophysiology/ImagingPlane_distal/OpticalChannel", "OpticalChannel");
  CHECK(link_type(f, "/general/optophysiology/ImagingPlane_distal/device") == H5L_TYPE_SOFT);
  for (const char* module : {"/processing/ophys", "/processing/behavior", "/processing/rig"})
    check_typed(f, module, "ProcessingModule");
  check_typed(f, "/processing/ophys/ImageSegmentation", "ImageSegmentation");
  check_typed(f, "/processing/ophys/Fluorescence", "Fluorescence");
  check_typed(f, "/processing/ophys/DfOverF", "DfOverF");
  check_typed(f, "/processing/behavior/BehavioralTimeSeries", "BehavioralTimeSeries");
  check_typed(f, "/processing/behavior/BehavioralEvents", "BehavioralEvents");

  const std::string table = "/processing/ophys/ImageSegmentation/PlaneSegmentation_proximal";
  check_typed(f, table, "PlaneSegmentation");
  check_typed(f, table + "/id", "ElementIdentifiers", "hdmf-common");
  check_typed(f, table + "/pixel_mask", "VectorData", "hdmf-common");
  check_typed(f, table + "/pixel_mask_index", "VectorIndex", "hdmf-common");
  check_typed(f, table + "/population", "VectorData", "hdmf-common");
  check_typed(f, table + "/source", "VectorData", "hdmf-common");
  CHECK(referenced_path(f, table + "/pixel_mask_index", "target") == table + "/pixel_mask");
  CHECK(link_type(f, table + "/imaging_plane") == H5L_TYPE_SOFT);
  CHECK(test::dataset_shape(f, table + "/pixel_mask") == std::vector<hsize_t>{2});  // n0's two pixels; sim7 has none
  {
    const hid_t mask = H5Dopen2(f, (table + "/pixel_mask").c_str(), H5P_DEFAULT);
    const hid_t type = H5Dget_type(mask);
    REQUIRE(H5Tget_class(type) == H5T_COMPOUND);
    REQUIRE(H5Tget_nmembers(type) == 3);
    const char* names[3] = {"x", "y", "weight"};
    for (unsigned m = 0; m < 3; ++m) {
      char* name = H5Tget_member_name(type, m);
      CHECK(std::string(name) == names[m]);
      H5free_memory(name);
    }
    H5Tclose(type);
    H5Dclose(mask);
  }

  // The frame clock owns the timestamps; every other per-frame series links to it.
  const std::string clock = "/processing/ophys/frame_index";
  check_series(f, clock, "TimeSeries", "frames", frames);
  CHECK(link_type(f, clock + "/timestamps") == H5L_TYPE_HARD);
  CHECK(text_attribute(f, clock + "/timestamps", "unit") == "seconds");
  CHECK(has_attribute(f, clock + "/timestamps", "interval"));
  const std::vector<std::pair<std::string, std::string>> series = {
      {"/processing/ophys/Fluorescence/RoiResponseSeries_proximal", "RoiResponseSeries"},
      {"/processing/ophys/DfOverF/RoiResponseSeries_distal", "RoiResponseSeries"},
      {"/processing/ophys/DfOverF/F0_proximal", "RoiResponseSeries"},
      {"/processing/ophys/registration_shifts", "TimeSeries"},
      {"/processing/ophys/registration_shifts_distal", "TimeSeries"},
      {"/processing/ophys/registration_peak_ratio_distal", "TimeSeries"},
      {"/processing/ophys/bad_frames", "TimeSeries"},
      {"/stimulus/presentation/opto", "TimeSeries"},
      {"/processing/behavior/BehavioralTimeSeries/decoder_z", "TimeSeries"},
      {"/processing/behavior/BehavioralTimeSeries/angle", "TimeSeries"},
      {"/stimulus/presentation/grating_angle", "TimeSeries"},
      {"/processing/rig/stage_times", "TimeSeries"}};
  for (const auto& [path, type] : series) {
    check_series(f, path, type, text_attribute(f, path + "/data", "unit"), frames);
    CHECK(link_type(f, path + "/timestamps") == H5L_TYPE_SOFT);
  }
  CHECK(text_attribute(f, "/processing/ophys/DfOverF/RoiResponseSeries_distal/data", "unit") == "n.a.");
  CHECK(test::dataset_shape(f, "/processing/ophys/Fluorescence/RoiResponseSeries_proximal/data") == std::vector<hsize_t>{frames, 2});
  CHECK(test::dataset_shape(f, "/processing/rig/stage_times/data") == std::vector<hsize_t>{frames, 5});
  CHECK(test::dataset_shape(f, "/processing/ophys/registration_shifts_distal/data") == std::vector<hsize_t>{frames, 2});
  const std::string rois = "/processing/ophys/DfOverF/RoiResponseSeries_proximal/rois";
  check_typed(f, rois, "DynamicTableRegion", "hdmf-common");
  CHECK(referenced_path(f, rois, "table") == table);

  const test::NwbTestCounts counts(frames);
  check_series(f, "/acquisition/Licks", "TimeSeries", "port", counts.licks);
  check_series(f, "/processing/behavior/BehavioralEvents/reward", "TimeSeries", "microliters", counts.rewards);
  check_series(f, "/processing/rig/log", "AnnotationSeries", "n/a", counts.messages);
  check_typed(f, "/intervals/trials", "TimeIntervals");
  check_typed(f, "/intervals/trials/outcome", "VectorData", "hdmf-common");
  check_typed(f, "/intervals/epochs/tags_index", "VectorIndex", "hdmf-common");
  CHECK(referenced_path(f, "/intervals/epochs/tags_index", "target") == "/intervals/epochs/tags");
  check_typed(f, "/intervals/invalid_times", "TimeIntervals");
  CHECK(test::dataset_shape(f, "/intervals/trials/t_reward") == std::vector<hsize_t>{counts.trials});
}

TEST_CASE("records wait in memory until a flush, which comes once the interval has passed", "[nwb]") {
  const test::TempDir dir;
  SECTION("without automatic flushes only flush() writes") {
    nwb::SessionWriter writer(dir.file("a.nwb"), test::nwb_session_info(), no_automatic_flush());
    CHECK(writer.flushes() == 1);  // the set-up, at opening
    for (std::size_t k = 0; k < 20; ++k) test::nwb_append_frame_and_events(writer, k);
    CHECK(writer.frames() == 20);
    CHECK(writer.flushed_frames() == 0);
    CHECK(writer.flushes() == 1);
    writer.flush();
    CHECK(writer.flushed_frames() == 20);
    CHECK(writer.flushes() == 2);
  }
  SECTION("a record that arrives after the interval flushes") {
    nwb::WriterOptions options;
    options.flush_interval = std::chrono::milliseconds(30);
    nwb::SessionWriter writer(dir.file("b.nwb"), test::nwb_session_info(), options);
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    test::nwb_append_frame_and_events(writer, 0);
    CHECK(writer.flushes() == 2);
    CHECK(writer.flushed_frames() == 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    writer.flush_if_due();  // an idle loop's call
    CHECK(writer.flushes() == 3);
  }
}

TEST_CASE("the protocol can be completed later, e.g. with the calibration", "[nwb]") {
  const test::TempDir dir;
  const std::string path = dir.file("protocol.nwb");
  {
    nwb::SessionWriter writer(path, test::nwb_session_info(), no_automatic_flush());
    writer.update_protocol(R"({"calibration": {"theta": 1.5}})");
  }  // the destructor closes, flushing the update
  CHECK(nwb::read_session(path).info.protocol_json == R"({"calibration": {"theta": 1.5}})");
}

TEST_CASE("a session file with no frame yet reads back", "[nwb]") {
  const test::TempDir dir;
  const nwb::SessionRecording session = nwb::read_session(write_test_session(dir, 0));
  CHECK(session.frames == 0);
  CHECK(session.f.empty());
  CHECK(session.trials.empty());
  CHECK(session.info.rois.size() == 3);
}

TEST_CASE("a session file from before device clocks were mapped reads back without them", "[nwb]") {
  const test::TempDir dir;
  const std::string path = write_test_session(dir);
  remove_objects(path, {"/processing/rig/device_events", "/processing/rig/clock_pings",  // the writer of fb021ff
                        "/processing/rig/screen_presentations"});
  const nwb::SessionRecording session = nwb::read_session(path);
  CHECK(session.frames == frames);
  CHECK(session.device_events.empty());
  CHECK(session.clock_pings.empty());
  CHECK(session.screen_presentations.empty());
  CHECK(!session.licks.empty());
}

TEST_CASE("a session file from before the distal shifts and the per-frame opto flags reads back without them",
          "[nwb]") {
  const test::TempDir dir;
  const std::string path = write_test_session(dir);
  remove_objects(path, {"/processing/ophys/registration_shifts_distal",
                        "/processing/ophys/registration_peak_ratio_distal", "/stimulus/presentation/opto"});
  const nwb::SessionRecording session = nwb::read_session(path);
  CHECK(session.frames == frames);
  REQUIRE(session.distal_shift_dx_px.size() == frames);
  REQUIRE(session.distal_shift_peak_ratio.size() == frames);
  for (std::size_t k = 0; k < frames; ++k) {
    CHECK(std::isnan(session.distal_shift_dx_px[k]));
    CHECK(std::isnan(session.distal_shift_dy_px[k]));
    CHECK(std::isnan(session.distal_shift_peak_ratio[k]));
  }
  CHECK(session.opto.empty());
}

TEST_CASE("the display's presentations read back with their flips, black as NaN", "[nwb]") {
  const test::TempDir dir;
  const std::string path = dir.file("session.nwb");
  const std::vector<nwb::ScreenPresentation> shown{
      {1.2505, 1.2401, 18, 75, 45.0}, {3.0172, 3.0068, 45, 181, nwb::none}, {4.9001, 4.8934, 73, 294, 90.0}};
  {
    nwb::SessionWriter writer(path, test::nwb_session_info(), no_automatic_flush());
    for (const nwb::ScreenPresentation& p : shown) writer.append_screen_presentation(p);
    CHECK_THROWS_WITH(writer.append_screen_presentation({std::nan(""), 1.0, 1, 1, 0.0}),
                      Catch::Contains("screen presentation"));
    writer.close();
  }
  const nwb::SessionRecording session = nwb::read_session(path);
  REQUIRE(session.screen_presentations.size() == shown.size());
  for (std::size_t k = 0; k < shown.size(); ++k) {
    const nwb::ScreenPresentation& got = session.screen_presentations[k];
    CHECK(got.time_s == shown[k].time_s);
    CHECK(got.commanded_time_s == shown[k].commanded_time_s);
    CHECK(got.frame == shown[k].frame);
    CHECK(got.flip == shown[k].flip);
    CHECK((std::isnan(shown[k].angle_deg) ? std::isnan(got.angle_deg) : got.angle_deg == shown[k].angle_deg));
  }
}

TEST_CASE("a log message longer than an entry continues in the next entries, cut between characters", "[nwb]") {
  const test::TempDir dir;
  const std::string path = dir.file("log.nwb");
  std::string text;
  while (text.size() < 1100) text += "valve 2 µL; ";  // 'µ' is two bytes in UTF-8
  {
    nwb::SessionWriter writer(path, test::nwb_session_info(), no_automatic_flush());
    writer.append_message({12.5, text});
    writer.append_message({13.0, ""});
  }
  const nwb::SessionRecording session = nwb::read_session(path);
  REQUIRE(session.messages.size() == 4);
  std::string joined;
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(session.messages[i].time_s == 12.5);
    CHECK(session.messages[i].text.size() <= 512);
    CHECK((static_cast<unsigned char>(session.messages[i].text.front()) & 0xC0) != 0x80);  // starts a character
    joined += session.messages[i].text;
  }
  CHECK(joined == text);
  CHECK(session.messages[3].text.empty());
}

TEST_CASE("a writer moved onto another closes the other's file first", "[nwb]") {
  const test::TempDir dir;
  nwb::SessionWriter first(dir.file("first.nwb"), test::nwb_session_info(), no_automatic_flush());
  test::nwb_append_frame_and_events(first, 0);
  nwb::SessionWriter second(dir.file("second.nwb"), test::nwb_session_info(), no_automatic_flush());
  first = std::move(second);  // first.nwb is closed with its frame
  CHECK(nwb::read_session(dir.file("first.nwb")).frames == 1);
  CHECK(first.path() == dir.file("second.nwb"));
}
