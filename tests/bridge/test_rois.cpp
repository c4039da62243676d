#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "apical/bridge/frame_processor.hpp"
#include "apical/bridge/roi_extractor.hpp"
#include "apical/bridge/tiff_stack.hpp"
#include "apical/engine/loop/calibration.hpp"
#include "apical/io/input_error.hpp"
#include "test_images.hpp"

using namespace apical;
using namespace apical::bridge;
using namespace apical::bridge::test;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

// Every pixel within `radius` of (cx, cy).
Roi disc(const std::string& name, double cx, double cy, double radius, std::uint32_t w, std::uint32_t h) {
  Roi r{name, {}};
  for (std::uint32_t y = 0; y < h; ++y)
    for (std::uint32_t x = 0; x < w; ++x)
      if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius) r.pixels.push_back({x, y, 1.0f});
  return r;
}

std::string roi_error(const std::string& text) {
  const nlohmann::json doc = nlohmann::json::parse(text);
  try {
    rois_from_json(JsonValue(doc, "rois.json"));
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("ROI JSON files give weighted pixel lists", "[bridge][rois]") {
  const std::string path = temp_path("rois.json");
  std::ofstream(path) << R"({"format_version": 1, "width": 8, "height": 6,
    "rois": [{"name": "a", "pixels": [[0, 0], [7, 5, 0.5]]}, {"name": "b", "pixels": [[3, 2]]}]})";
  const RoiSet set = read_roi_json(path);
  REQUIRE(set.rois.size() == 2);
  CHECK(set.width == 8);
  CHECK(set.rois[0].name == "a");
  CHECK(set.rois[0].pixels[1].x == 7);
  CHECK(set.rois[0].pixels[1].y == 5);
  CHECK(set.rois[0].pixels[1].weight == 0.5f);
  CHECK(set.rois[1].pixels[0].weight == 1.0f);
  std::filesystem::remove(path);
}

TEST_CASE("bad ROI JSON is an error naming the path", "[bridge][rois]") {
  CHECK_THAT(roi_error(R"({"format_version": 1, "width": 8, "height": 6, "rois": [{"name": "a", "pixels": [[8, 0]]}]})"),
             Contains("/rois/0/pixels/0/0") && Contains("out of range"));
  CHECK_THAT(roi_error(R"({"format_version": 1, "width": 8, "height": 6, "rois": [{"name": "a", "pixel": [[1, 0]]}]})"),
             Contains("/rois/0") && Contains("did you mean 'pixels'"));
  CHECK_THAT(roi_error(R"({"format_version": 2, "width": 8, "height": 6, "rois": [{"name": "a", "pixels": [[1, 0]]}]})"),
             Contains("/format_version") && Contains("not supported"));
  CHECK_THAT(roi_error(R"({"format_version": 1, "width": 8, "height": 6, "rois": [{"name": "a", "pixels": [[1, 0, 0]]}]})"),
             Contains("/rois/0/pixels/0/2") && Contains("weight must be > 0"));
}

TEST_CASE("a label image gives one ROI per label, in label order", "[bridge][rois]") {
  const std::string path = temp_path("labels.tif");
  Frame labels;
  labels.resize(10, 7);
  std::fill(labels.pixels.begin(), labels.pixels.end(), 0);
  labels.pixels[2 * 10 + 3] = 5;
  labels.pixels[2 * 10 + 4] = 5;
  labels.pixels[6 * 10 + 9] = 2;
  write_tiff_stack(path, std::span(&labels, 1));
  const RoiSet set = read_roi_label_tiff(path);
  REQUIRE(set.rois.size() == 2);
  CHECK(set.rois[0].name == "label 2");
  CHECK(set.rois[0].pixels.size() == 1);
  CHECK(set.rois[1].name == "label 5");
  CHECK(set.rois[1].pixels.size() == 2);
  CHECK(set.rois[1].pixels[0].x == 3);
  std::fill(labels.pixels.begin(), labels.pixels.end(), 0);
  write_tiff_stack(path, std::span(&labels, 1));
  CHECK_THROWS_WITH(read_roi_label_tiff(path), Contains("no labelled pixel"));
  std::filesystem::remove(path);
}

TEST_CASE("masks moved by the registration shift read the same cells as on the reference", "[bridge][rois]") {
  const std::uint32_t w = 80, h = 64;
  const auto blobs = random_blobs(w, h, 30, 7);
  RoiSet set{w, h, {}};
  for (int i = 0; i < 5; ++i) set.rois.push_back(disc("n" + std::to_string(i), 20 + 10 * i, 32, 3, w, h));
  RoiExtractor extractor(set);
  std::vector<double> on_reference(5), moved(5), unmoved(5);
  extractor.extract(blob_frame(w, h, blobs, 0, 0), {}, on_reference);

  const Frame whole = blob_frame(w, h, blobs, 4, -3);
  extractor.extract(whole, Shift{4, -3, 0}, moved);
  for (std::size_t i = 0; i < 5; ++i) CHECK(moved[i] == on_reference[i]);  // whole-pixel shifts are exact

  const Frame fractional = blob_frame(w, h, blobs, 2.5, 1.25);
  extractor.extract(fractional, Shift{2.5, 1.25, 0}, moved);
  extractor.extract(fractional, Shift{}, unmoved);
  double moved_error = 0, unmoved_error = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    moved_error += std::abs(moved[i] - on_reference[i]) / on_reference[i];
    unmoved_error += std::abs(unmoved[i] - on_reference[i]) / on_reference[i];
  }
  CHECK(moved_error / 5 < 0.03);  // bilinear sampling of a blob 2.5 px wide
  CHECK(unmoved_error > 4 * moved_error);
}

TEST_CASE("the frame processor feeds the engine's ΔF/F and decoder and stamps every stage", "[bridge][rois]") {
  const std::uint32_t w = 96, h = 64;
  auto blobs = random_blobs(w, h, 20, 11);
  blobs[0] = {30, 32, 2000};  // the P+ cell
  blobs[1] = {66, 32, 2000};  // the P− cell
  RoiSet set{w, h, {disc("p_plus", 30, 32, 3, w, h), disc("p_minus", 66, 32, 3, w, h)}};
  ProcessorParams params;
  params.registration.planning = RegistrationParams::Planning::estimate;
  params.dff.baseline.window = 20;
  const Frame reference_frame = blob_frame(w, h, blobs, 0, 0);
  FrameProcessor processor(mean_image(std::span(&reference_frame, 1)), set, params);

  const std::vector<loop::Role> roles{loop::Role::plus, loop::Role::minus};
  loop::Calibration calibration;
  calibration.mu = 0;
  calibration.sigma = 0.1;
  calibration.lo = -1;
  calibration.theta = 2;
  loop::DecoderParams decoder_params;
  decoder_params.smoothing_frames = 1;
  loop::Decoder decoder(roles, calibration, decoder_params);

  std::mt19937 rng(3);
  std::uniform_int_distribution<int> jitter(-4, 4);
  for (int k = 0; k < 20; ++k) {
    Frame f = blob_frame(w, h, blobs, jitter(rng), jitter(rng));
    f.stages.received_ns = monotonic_ns();
    const FrameOutcome& out = processor.process(f, &decoder);
    CHECK_THAT(out.dff[0], WithinAbs(0, 0.02));  // ~0.1-px registration error on a 3-px disc
    CHECK(out.decided);
    CHECK(f.stages.registered_ns >= f.stages.received_ns);
    CHECK(f.stages.extracted_ns >= f.stages.registered_ns);
    CHECK(f.stages.decided_ns >= f.stages.extracted_ns);
  }
  // The P+ cell brightens: its ΔF/F is F/F0 − 1 against the unchanged baseline, whatever the shift.
  auto bright = blobs;
  bright[0].amplitude *= 1.5;
  std::vector<double> f_base(2), f_bright(2);
  RoiExtractor plain(set);
  plain.extract(reference_frame, {}, f_base);
  plain.extract(blob_frame(w, h, bright, 0, 0), {}, f_bright);
  Frame f = blob_frame(w, h, bright, -3, 2);
  const FrameOutcome& out = processor.process(f, &decoder);
  const double expected = f_bright[0] / f_base[0] - 1;
  CHECK_THAT(out.dff[0], WithinRel(expected, 0.06));
  CHECK_THAT(out.dff[1], WithinAbs(0, 0.04));
  CHECK_THAT(out.decision.x, WithinRel(expected, 0.15));
  CHECK(out.decision.at_target == (out.decision.z >= 2));
}
