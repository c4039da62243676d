// The distal plane's pairs in the NWB file (docs/nwb.md): paired_roi as a DynamicTableRegion into the
// proximal table, pair_r equal to a plain two-pass Pearson r over the session's good frames, read back
// by read_session and filled into the analyses' neurons; single-plane files read with no pairs; bad
// pairings are refused before the file is made.
#include <catch2/catch.hpp>
#include <cmath>

#include "apical/io/nwb/session_reader.hpp"
#include "apical/io/rig_session_conversion.hpp"
#include "io_test_support.hpp"
#include "nwb_paired_session.hpp"
#include "nwb_test_session.hpp"

using namespace apical;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

constexpr std::size_t frames = 200;

nwb::SessionRecording write_and_read(const test::TempDir& dir, std::vector<double>* writer_r = nullptr) {
  const std::string path = dir.file("paired.nwb");
  nwb::SessionWriter writer(path, test::nwb_paired_session_info());
  for (std::size_t k = 0; k < frames; ++k) test::nwb_append_paired_frame(writer, k);
  if (writer_r) *writer_r = writer.pair_r();
  writer.close();
  return nwb::read_session(path);
}

std::string info_error(const nwb::SessionInfo& info, const test::TempDir& dir) {
  try {
    nwb::SessionWriter writer(dir.file("refused.nwb"), info);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("pair_r is the Pearson r of each distal ROI and its proximal partner over the good frames", "[nwb][pairs]") {
  const test::TempDir dir;
  std::vector<double> writer_r;
  const nwb::SessionRecording s = write_and_read(dir, &writer_r);

  // Planes come back in name order (distal, proximal); ROIs in their per-frame order with their partners.
  REQUIRE(s.info.rois.size() == 5);
  CHECK(s.info.rois[3].name == "d0");
  CHECK(s.info.rois[3].paired_roi == std::optional<std::size_t>(2));
  CHECK(s.info.rois[4].paired_roi == std::optional<std::size_t>(0));
  for (std::size_t i = 0; i < 3; ++i) CHECK_FALSE(s.info.rois[i].paired_roi);

  const double r_d0 = test::paired_hand_r(3, 2, frames), r_d1 = test::paired_hand_r(4, 0, frames);
  INFO("hand-computed r: d0-n2 " << r_d0 << ", d1-n0 " << r_d1);
  CHECK(r_d0 > nwb::pairing_r_min);  // d0 follows n2
  CHECK(r_d1 < -0.5);                // d1 follows −n0
  REQUIRE(s.pair_r.size() == 5);
  CHECK_THAT(s.pair_r[3], WithinAbs(r_d0, 1e-12));
  CHECK_THAT(s.pair_r[4], WithinAbs(r_d1, 1e-12));
  for (std::size_t i = 0; i < 3; ++i) CHECK(std::isnan(s.pair_r[i]));
  CHECK_THAT(writer_r[3], WithinAbs(r_d0, 1e-12));
  CHECK(std::isnan(writer_r[0]));
}

TEST_CASE("a rig session's distal traces fill the analyses' dendrite_dff as simulated runs do", "[nwb][pairs]") {
  const test::TempDir dir;
  const nwb::SessionRecording s = write_and_read(dir);
  const std::vector<analysis::NeuronRecord> neurons = rig_neuron_records(s);
  REQUIRE(neurons.size() == 3);  // the proximal ROIs; the distal ones are their dendrites
  CHECK(neurons[0].role == loop::Role::plus);
  CHECK(neurons[1].role == loop::Role::minus);
  REQUIRE(neurons[0].dendrite_dff.size() == frames);
  CHECK(neurons[1].dendrite_dff.empty());  // n1 has no distal partner
  REQUIRE(neurons[2].dendrite_dff.size() == frames);
  // (within 1e-12: the compiler may fuse the fixture's multiply-adds differently where it inlines them)
  const std::vector<double> k5 = test::paired_dff(5);
  CHECK_THAT(neurons[0].soma_dff[5], WithinAbs(k5[0], 1e-12));
  CHECK_THAT(neurons[0].dendrite_dff[5], WithinAbs(k5[4], 1e-12));  // d1 is n0's trunk
  CHECK_THAT(neurons[2].dendrite_dff[5], WithinAbs(k5[3], 1e-12));  // d0 is n2's trunk
  CHECK(std::isnan(neurons[2].dendrite_dff[test::paired_missing_frame]));
  CHECK(std::isnan(neurons[0].soma_dff[test::paired_bad_frame]));  // bad frames are missing values
}

TEST_CASE("a single-plane file reads with no partners and NaN pair_r", "[nwb][pairs]") {
  const test::TempDir dir;
  const std::string path = dir.file("plain.nwb");
  {
    nwb::SessionWriter writer(path, test::nwb_session_info());
    for (std::size_t k = 0; k < 20; ++k) test::nwb_append_frame_and_events(writer, k);
    writer.close();
  }
  const nwb::SessionRecording s = nwb::read_session(path);
  REQUIRE(s.pair_r.size() == s.info.rois.size());
  for (std::size_t i = 0; i < s.info.rois.size(); ++i) {
    CHECK_FALSE(s.info.rois[i].paired_roi);
    CHECK(std::isnan(s.pair_r[i]));
  }
  for (const analysis::NeuronRecord& n : rig_neuron_records(s)) CHECK(n.dendrite_dff.empty());
}

TEST_CASE("pairings the paired_roi column cannot hold are refused, naming the ROI", "[nwb][pairs]") {
  const test::TempDir dir;
  nwb::SessionInfo info = test::nwb_paired_session_info();
  info.rois[3].paired_roi = 4;  // d0 → d1: the same plane
  CHECK_THAT(info_error(info, dir), Contains("rois[3].paired_roi") && Contains("same plane"));
  info = test::nwb_paired_session_info();
  info.rois[4].paired_roi = 2;  // n2 named by d0 and d1
  CHECK_THAT(info_error(info, dir), Contains("rois[4].paired_roi") && Contains("partner of two ROIs"));
  info = test::nwb_paired_session_info();
  info.rois[4].paired_roi.reset();  // d1 without a partner, d0 with one
  CHECK_THAT(info_error(info, dir), Contains("planes[1]") && Contains("1 of the 2 ROIs"));
  info = test::nwb_paired_session_info();
  info.rois[3].paired_roi = 9;
  CHECK_THAT(info_error(info, dir), Contains("rois[3].paired_roi") && Contains("not a ROI index"));
}
