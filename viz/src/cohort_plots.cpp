#include "apical/viz/cohort_plots.hpp"

#include <filesystem>
#include <stdexcept>

#include "apical/io/run_cohort_reader.hpp"
#include "apical/viz/display.hpp"
#include "cohort_figures.hpp"

namespace apical::viz {

std::vector<std::string> plot_cohort(const CohortPlotData& data, const std::string& out_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) throw std::runtime_error(out_dir + ": cannot create the folder: " + ec.message());
  const DisplayLease display;
  using Draw = void (*)(const CohortPlotData&, const std::string&);
  const std::pair<const char*, Draw> pictures[] = {
      {"learning_curves.png", detail::draw_learning_curves},
      {"transient_frequency.png", detail::draw_transient_frequency},
      {"example_traces.png", detail::draw_example_traces},
      {"residual_contrast.png", detail::draw_residual_contrast}};
  std::vector<std::string> files;
  for (const auto& [name, draw] : pictures) {
    files.push_back((std::filesystem::path(out_dir) / name).string());
    draw(data, files.back());
  }
  return files;
}

std::vector<std::string> plot_cohort_run(const std::string& run_dir, const std::string& out_dir) {
  return plot_cohort(cohort_plot_data(read_run_cohort(run_dir)), out_dir);
}

}  // namespace apical::viz
