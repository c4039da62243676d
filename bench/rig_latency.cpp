// Rig loop latency (issue 4): frames sent over loopback TCP as APF/1 into the tcp-framed source, then
// registration, F of 100 ROIs, ΔF/F and the decoder, timed with the frames' per-stage timestamps. The
// baseline, measured in the same run, is the transport alone: the same frames received and discarded.
// Prints one JSON line per frame size.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "apical/bridge/frame_processor.hpp"
#include "apical/bridge/frame_senders.hpp"
#include "apical/bridge/frame_source.hpp"
#include "apical/engine/loop/calibration.hpp"

using namespace apical;
using namespace apical::bridge;

namespace {

constexpr int roi_count = 100;
constexpr double roi_radius_px = 5.6;  // a disk of about 100 pixels
constexpr int distinct_frames = 32;    // pre-rendered frames, sent in turn
constexpr int max_motion_px = 8;

struct Scene {
  ReferenceImage reference;
  RoiSet rois;
  std::vector<std::vector<std::byte>> messages;  // encoded APF/1 frames; seq and t_send patched per send
};

// Gaussian cells (σ 2.5 px) on a background of 200; the first roi_count cells carry the ROIs.
std::vector<float> cell_field(std::uint32_t w, std::uint32_t h, std::mt19937& rng, std::vector<std::pair<double, double>>& centres) {
  std::vector<float> image(std::size_t(w) * h, 200.0f);
  std::uniform_real_distribution<double> ux(20, w - 20.0), uy(20, h - 20.0), ua(500, 3000);
  for (int c = 0; c < 3 * roi_count; ++c) {
    const double cx = ux(rng), cy = uy(rng), a = ua(rng);
    centres.emplace_back(cx, cy);
    for (int y = int(cy) - 10; y <= int(cy) + 10; ++y)
      for (int x = int(cx) - 10; x <= int(cx) + 10; ++x) {
        const double r2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
        image[std::size_t(y) * w + std::size_t(x)] += float(a * std::exp(-r2 / (2 * 2.5 * 2.5)));
      }
  }
  return image;
}

void patch_u64(std::vector<std::byte>& message, std::size_t offset, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) message[offset + i] = std::byte((v >> (8 * i)) & 0xffu);
}

Scene make_scene(std::uint32_t w, std::uint32_t h) {
  std::mt19937 rng(4);
  std::vector<std::pair<double, double>> centres;
  Scene scene;
  scene.reference = {w, h, cell_field(w, h, rng, centres)};
  scene.rois.width = w;
  scene.rois.height = h;
  for (int i = 0; i < roi_count; ++i) {
    Roi roi{"n" + std::to_string(i), {}};
    const auto [cx, cy] = centres[std::size_t(i)];
    for (int y = int(cy) - 6; y <= int(cy) + 6; ++y)
      for (int x = int(cx) - 6; x <= int(cx) + 6; ++x)
        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= roi_radius_px * roi_radius_px)
          roi.pixels.push_back({std::uint32_t(x), std::uint32_t(y), 1.0f});
    scene.rois.rois.push_back(std::move(roi));
  }
  // Each frame: the reference moved by a whole-pixel shift, with Gaussian noise of SD 20.
  std::uniform_int_distribution<int> shift(-max_motion_px, max_motion_px);
  std::normal_distribution<float> noise(0.0f, 20.0f);
  for (int k = 0; k < distinct_frames; ++k) {
    const int dx = shift(rng), dy = shift(rng);
    Frame f;
    f.resize(w, h);
    for (std::uint32_t y = 0; y < h; ++y)
      for (std::uint32_t x = 0; x < w; ++x) {
        const int sx = std::clamp(int(x) - dx, 0, int(w) - 1), sy = std::clamp(int(y) - dy, 0, int(h) - 1);
        const float v = scene.reference.pixels[std::size_t(sy) * w + std::size_t(sx)] + noise(rng);
        f.pixels[std::size_t(y) * w + x] = static_cast<std::uint16_t>(std::clamp(v, 0.0f, 65535.0f));
      }
    scene.messages.push_back(encode_apf_frame(f));
  }
  return scene;
}

// Sends `frames` frames (0: none) at `rate_hz` (0: as fast as the socket takes them), then end of stream.
void send_frames(std::uint16_t port, Scene& scene, int frames, double rate_hz) {
  ApfSender sender("127.0.0.1", port, std::chrono::milliseconds(5000));
  const auto start = std::chrono::steady_clock::now();
  for (int k = 0; k < frames; ++k) {
    if (rate_hz > 0) std::this_thread::sleep_until(start + std::chrono::duration<double>(k / rate_hz));
    std::vector<std::byte>& message = scene.messages[std::size_t(k % distinct_frames)];
    patch_u64(message, 8, std::uint64_t(k));                   // seq
    patch_u64(message, 24, std::uint64_t(monotonic_ns()));     // t_send_ns, just before the write
    if (!sender.send_bytes(message)) return;
  }
  sender.send_end(std::uint64_t(frames));
}

struct Percentiles {
  double p50 = 0, p99 = 0;
};

// Nearest-rank percentiles in ms.
Percentiles percentiles_ms(std::vector<std::int64_t> ns) {
  if (ns.empty()) return {};
  std::sort(ns.begin(), ns.end());
  const auto at = [&](double q) {
    const std::size_t rank = std::size_t(std::ceil(q * double(ns.size())));
    return double(ns[std::max<std::size_t>(rank, 1) - 1]) * 1e-6;
  };
  return {at(0.50), at(0.99)};
}

struct RunResult {
  std::vector<std::int64_t> transport, registration, processing, end_to_end;  // ns per frame
  SourceCounters counters;
};

// One stream of `frames` frames through a tcp-framed source; with a processor, each frame goes on
// through registration, ROIs, ΔF/F and the decoder.
RunResult run_stream(Scene& scene, int frames, double rate_hz, FrameProcessor* processor, loop::Decoder* decoder) {
  const nlohmann::json config = {{"type", "tcp-framed"}, {"address", "127.0.0.1"}, {"port", 0},
                                 {"width", scene.reference.width}, {"height", scene.reference.height}};
  const auto source = make_frame_source(JsonValue(config, "rig_latency", "/source"),
                                        [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); });
  std::thread sender(send_frames, *source->listening_port(), std::ref(scene), frames, rate_hz);
  RunResult r;
  for (auto* v : {&r.transport, &r.registration, &r.processing, &r.end_to_end}) v->reserve(std::size_t(frames));
  Frame frame;
  for (;;) {
    const FetchStatus status = source->next(frame, std::chrono::milliseconds(5000));
    if (status != FetchStatus::frame) break;
    const auto sent = std::int64_t(frame.sender_ns);
    r.transport.push_back(frame.stages.received_ns - sent);
    if (!processor) continue;
    processor->process(frame, decoder);
    r.registration.push_back(frame.stages.registered_ns - frame.stages.received_ns);
    r.processing.push_back(frame.stages.decided_ns - frame.stages.received_ns);
    r.end_to_end.push_back(frame.stages.decided_ns - sent);
  }
  sender.join();
  r.counters = source->counters();
  return r;
}

int bench_size(std::uint32_t w, std::uint32_t h, int frames, double rate_hz, RegistrationParams::Sampling sampling) {
  Scene scene = make_scene(w, h);
  std::size_t roi_pixels = 0;
  for (const Roi& roi : scene.rois.rois) roi_pixels += roi.pixels.size();
  std::vector<loop::Role> roles(roi_count, loop::Role::zero);
  for (int i = 0; i < 10; ++i) roles[std::size_t(i)] = loop::Role::plus, roles[std::size_t(10 + i)] = loop::Role::minus;
  loop::Calibration calibration;
  calibration.sigma = 0.05;
  calibration.lo = -1.0;
  calibration.theta = 2.0;
  loop::Decoder decoder(roles, calibration);
  ProcessorParams params;
  params.registration.sampling = sampling;
  FrameProcessor processor(scene.reference, scene.rois, params);  // FFTW_MEASURE plans: start-up, not timed

  const RunResult transport = run_stream(scene, frames, rate_hz, nullptr, nullptr);
  const RunResult loop = run_stream(scene, frames, rate_hz, &processor, &decoder);
  const Percentiles base = percentiles_ms(transport.transport), reg = percentiles_ms(loop.registration),
                    proc = percentiles_ms(loop.processing), e2e = percentiles_ms(loop.end_to_end),
                    loop_transport = percentiles_ms(loop.transport);
  std::printf("{\"benchmark\":\"rig_latency\",\"width\":%u,\"height\":%u,\"binning\":%u,\"fft\":\"%ux%u\",\"frames\":%d,"
              "\"rate_hz\":%g,\"rois\":%d,\"roi_px_mean\":%.1f,"
              "\"transport_alone_p50_ms\":%.4f,\"transport_alone_p99_ms\":%.4f,"
              "\"transport_in_loop_p50_ms\":%.4f,\"transport_in_loop_p99_ms\":%.4f,"
              "\"registration_p50_ms\":%.4f,\"registration_p99_ms\":%.4f,"
              "\"processing_p50_ms\":%.4f,\"processing_p99_ms\":%.4f,"
              "\"end_to_end_p50_ms\":%.4f,\"end_to_end_p99_ms\":%.4f,"
              "\"end_to_end_over_transport_p50\":%.2f,\"end_to_end_over_transport_p99\":%.2f,"
              "\"frames_processed\":%zu,\"frames_transport\":%zu,\"overruns\":%llu,\"dropped\":%llu,"
              "\"processing_p99_target_ms\":2,\"meets_target\":%s}\n",
              w, h, processor.registration().binning(), processor.registration().fft_width(),
              processor.registration().fft_height(), frames, rate_hz,
              roi_count, double(roi_pixels) / roi_count, base.p50, base.p99, loop_transport.p50, loop_transport.p99,
              reg.p50, reg.p99, proc.p50, proc.p99, e2e.p50, e2e.p99, e2e.p50 / base.p50, e2e.p99 / base.p99,
              loop.processing.size(), transport.transport.size(),
              static_cast<unsigned long long>(loop.counters.overruns + transport.counters.overruns),
              static_cast<unsigned long long>(loop.counters.dropped + transport.counters.dropped),
              proc.p99 <= 2.0 ? "true" : "false");
  std::fflush(stdout);
  return loop.processing.size() == std::size_t(frames) ? 0 : 1;
}

void usage() {
  std::puts("usage: apical_rig_latency [--frames N] [--rate HZ] [--sizes 512x512,512x796] [--sampling binned|full]\n"
            "Sends N APF/1 frames (default 2000) at HZ per second (default 30; 0: as fast as the loop takes\n"
            "them) over loopback into tcp-framed, then registration (2x2-binned unless --sampling full), 100\n"
            "ROIs, dF/F and the decoder. Prints one JSON line per size: p50/p99 of processing (decided -\n"
            "received), end to end (decided - sent) and the transport alone (received - sent, frames\n"
            "discarded), measured in the same run. Exit status 1 if a frame was lost.");
}

}  // namespace

int main(int argc, char** argv) {
  int frames = 2000;
  double rate_hz = 30;
  std::string sizes = "512x512,512x796";
  auto sampling = RegistrationParams::Sampling::binned_2x2;
  for (int a = 1; a < argc; a += 2) {
    const std::string flag = argv[a], value = a + 1 < argc ? argv[a + 1] : "";
    if (a + 1 >= argc || flag == "--help") {
      usage();
      return flag == "--help" ? 0 : 2;
    }
    if (flag == "--frames") frames = std::atoi(value.c_str());
    else if (flag == "--rate") rate_hz = std::atof(value.c_str());
    else if (flag == "--sizes") sizes = value;
    else if (flag == "--sampling" && (value == "binned" || value == "full"))
      sampling = value == "full" ? RegistrationParams::Sampling::full : RegistrationParams::Sampling::binned_2x2;
    else {
      usage();
      return 2;
    }
  }
  if (frames < 1 || !(rate_hz >= 0)) {
    usage();
    return 2;
  }
  int status = 0;
  try {
    for (std::size_t start = 0; start < sizes.size();) {
      const std::size_t comma = std::min(sizes.find(',', start), sizes.size());
      const std::string size = sizes.substr(start, comma - start);
      unsigned h = 0, w = 0;  // "lines x pixels per line", as rig.md writes 512×796
      if (std::sscanf(size.c_str(), "%ux%u", &h, &w) != 2 || w == 0 || h == 0 || w > 4096 || h > 4096) {
        usage();
        return 2;
      }
      status |= bench_size(w, h, frames, rate_hz, sampling);
      start = comma + 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "apical_rig_latency: error: %s\n", e.what());
    return 2;
  }
  return status;
}
