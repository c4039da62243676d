#pragma once
// The pictures of `apical plot` (docs/plots.md): PNG files drawn with VTK's 2-D charts, laid out after
// Francioni et al. 2026, Fig. 1g,i and ED Fig. 13e:
//   learning_curves.png       accuracy and rewards/min per day, mean ± s.e.m. across mice, chance line
//   transient_frequency.png   somatic transient frequency of P+, P−, P0 normalised to day 1, mean ± s.e.m.
//   example_traces.png        soma ΔF/F of a few P+ and P− neurons and the decoder output of one session,
//                             with trial starts and hits marked
//   residual_contrast.png     SD-residual contrast (error reduction − increase) by role, per mouse and mean
// Each entry point holds a DisplayLease while drawing, so it throws NoDisplayError (display.hpp) where
// no X display can be had.
#include <string>
#include <vector>

#include "apical/viz/cohort_plot_data.hpp"
#include "apical/viz/role_colours.hpp"

namespace apical::viz {

inline constexpr Rgb mean_colour{0, 0, 0};          // cohort means (learning curves)
inline constexpr Rgb chance_colour{230, 159, 0};    // the baseline chance line (orange)
inline constexpr Rgb hit_colour{0, 158, 115};       // target hits in the example traces
inline constexpr Rgb trial_start_colour{170, 170, 170};

inline constexpr int learning_curves_size[2] = {1400, 560};
inline constexpr int transient_frequency_size[2] = {900, 600};
inline constexpr int example_traces_size[2] = {1400, 860};
inline constexpr int residual_contrast_size[2] = {800, 600};

// Draws the four pictures into `out_dir` (created if missing); returns their paths in the order above.
std::vector<std::string> plot_cohort(const CohortPlotData& data, const std::string& out_dir);

// Reads a bci_cohort run folder (mice/*.h5, through read_run_cohort), analyses and plots it. InputError
// naming the folder or file for a missing, foreign or damaged run folder.
std::vector<std::string> plot_cohort_run(const std::string& run_dir, const std::string& out_dir);

}  // namespace apical::viz
