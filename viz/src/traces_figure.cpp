// example_traces.png: one session of one mouse, as in the example traces of Fig. 1: soma ΔF/F of a
// few P+ and P− neurons stacked one above the other (top panel) and the decoder output z (bottom
// panel), over the first minutes of the session, with trial starts and target hits marked in both.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <vtkAxis.h>

#include "apical/viz/cohort_plots.hpp"
#include "chart_canvas.hpp"
#include "cohort_figures.hpp"

namespace apical::viz::detail {
namespace {

constexpr double window_s = 120.0;          // long enough for several trials, short enough to see transients
constexpr std::size_t neurons_per_role = 3;

// Vertical lines at the given frames of the window, spanning [bottom, top].
std::vector<Segment> frame_markers(const std::vector<std::int64_t>& frames, std::size_t window_frames, double fs,
                                   double bottom, double top) {
  std::vector<Segment> lines;
  for (std::int64_t f : frames)
    if (f >= 0 && static_cast<std::size_t>(f) < window_frames)
      lines.push_back({static_cast<double>(f) / fs, bottom, static_cast<double>(f) / fs, top});
  return lines;
}

void mark_trials(vtkChartXY& chart, const analysis::Session& s, std::size_t window_frames, double bottom, double top,
                 bool legend) {
  std::vector<std::int64_t> starts, hits;
  for (const analysis::Trial& t : s.trials) {
    starts.push_back(t.start_frame);
    hits.push_back(t.hit_frame);
  }
  add_segments(chart, frame_markers(starts, window_frames, s.frame_rate_hz, bottom, top), trial_start_colour, 1.5f,
               legend ? "trial start" : "");
  add_segments(chart, frame_markers(hits, window_frames, s.frame_rate_hz, bottom, top), hit_colour, 2.5f,
               legend ? "target hit" : "");
}

double finite_max(std::span<const double> x) {
  double m = 0.0;
  for (double v : x)
    if (std::isfinite(v)) m = std::max(m, v);
  return m;
}

}  // namespace

void draw_example_traces(const CohortPlotData& data, const std::string& path) {
  const analysis::Session& s = data.example;
  const double fs = s.frame_rate_hz;
  const std::size_t frames = std::min(s.decoder_z.size(), static_cast<std::size_t>(std::lround(window_s * fs)));
  std::vector<double> time(frames);
  for (std::size_t k = 0; k < frames; ++k) time[k] = static_cast<double>(k) / fs;

  // The first few P+ then P− neurons, top to bottom, each lifted above the next by the tallest trace.
  std::vector<const analysis::NeuronRecord*> shown;
  for (analysis::Role role : {analysis::Role::plus, analysis::Role::minus}) {
    std::size_t taken = 0;
    for (const analysis::NeuronRecord& n : s.neurons)
      if (n.role == role && taken < neurons_per_role) shown.push_back(&n), ++taken;
  }
  double spacing = 0.2;  // ΔF/F; a floor for quiet traces
  for (const analysis::NeuronRecord* n : shown)
    spacing = std::max(spacing, 1.05 * finite_max(std::span(n->soma_dff).first(frames)));

  const auto [width, height] = example_traces_size;
  const float w = static_cast<float>(width), h = static_cast<float>(height), decoder_height = 0.32f * h;
  ChartCanvas canvas(width, height);

  vtkChartXY& traces = canvas.add_chart(0.0f, decoder_height, w, h - decoder_height);
  const double top = spacing * static_cast<double>(shown.size());
  mark_trials(traces, s, frames, -0.5 * spacing, top, true);
  bool labelled[analysis::role_count] = {};
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const double offset = spacing * static_cast<double>(shown.size() - 1 - i);
    std::vector<double> lifted(frames);
    for (std::size_t k = 0; k < frames; ++k) lifted[k] = shown[i]->soma_dff[k] + offset;
    bool& first = labelled[static_cast<std::size_t>(shown[i]->role)];
    add_line(traces, time, lifted, role_colour(shown[i]->role), 1.5f,
             first ? "" : analysis::role_name(shown[i]->role));
    first = true;
  }
  char scale[96];
  std::snprintf(scale, sizeof scale, "soma dF/F (traces %.2g apart)", spacing);
  label_chart(traces,
              data.cohort + ": mouse " + s.mouse_id + ", day " + std::to_string(s.day) + ", session " +
                  std::to_string(s.session),
              "", scale, true);
  fix_axis_range(traces, vtkAxis::LEFT, -0.5 * spacing, top);
  traces.GetAxis(vtkAxis::LEFT)->SetLabelsVisible(false);
  fix_axis_range(traces, vtkAxis::BOTTOM, 0.0, time.empty() ? 1.0 : time.back());

  vtkChartXY& decoder = canvas.add_chart(0.0f, 0.0f, w, decoder_height);
  const std::span<const double> z = std::span(s.decoder_z).first(frames);
  double z_lo = 0.0, z_hi = 1.0;
  for (double v : z)
    if (std::isfinite(v)) z_lo = std::min(z_lo, v), z_hi = std::max(z_hi, v);
  mark_trials(decoder, s, frames, z_lo, z_hi, false);
  add_line(decoder, time, z, mean_colour, 1.5f, "");
  label_chart(decoder, "", "time in session (s)", "decoder z", false);
  fix_axis_range(decoder, vtkAxis::LEFT, z_lo, z_hi);
  fix_axis_range(decoder, vtkAxis::BOTTOM, 0.0, time.empty() ? 1.0 : time.back());
  canvas.write_png(path);
}

}  // namespace apical::viz::detail
