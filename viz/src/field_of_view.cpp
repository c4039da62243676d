#include "apical/viz/field_of_view.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>

#include <vtkActor.h>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkOutlineSource.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkUnsignedCharArray.h>

#include "apical/io/bci_mouse_file.hpp"
#include "apical/io/input_error.hpp"
#include "apical/io/run_cohort_reader.hpp"
#include "apical/io/suggest.hpp"
#include "apical/models/random_streams.hpp"
#include "picture_scene.hpp"

namespace apical::viz {
namespace {

// The layout's own random purpose, apart from every stream the simulation uses ("fov" in ASCII).
constexpr std::uint64_t layout_purpose = 0x666f76;
// Tries per neuron before a crowded field accepts a closer spot.
constexpr int placement_tries = 200;
constexpr int disc_sides = 32;

}  // namespace

std::vector<std::array<double, 2>> schematic_layout(std::uint64_t seed, std::uint64_t mouse, std::size_t neurons) {
  const std::uint64_t key = stream_key({seed, mouse, 0}, layout_purpose, 0);
  std::uint64_t counter = 0;
  const auto uniform = [&] {
    return soma_radius_um + (field_of_view_um - 2 * soma_radius_um) * bits_to_uniform(stream_bits(key, counter++));
  };
  std::vector<std::array<double, 2>> placed;
  for (std::size_t i = 0; i < neurons; ++i) {
    std::array<double, 2> p{};
    for (int t = 0; t < placement_tries; ++t) {
      p = {uniform(), uniform()};
      bool free = true;
      for (const auto& q : placed) free = free && std::hypot(p[0] - q[0], p[1] - q[1]) >= min_spacing_um;
      if (free) break;
    }
    placed.push_back(p);
  }
  return placed;
}

FieldOfView read_field_of_view(const std::string& run_dir, const std::string& mouse_id) {
  const std::vector<std::string> files = run_folder_mouse_files(run_dir);
  std::vector<std::string> ids;
  for (const std::string& f : files) ids.push_back(std::filesystem::path(f).stem().string());
  std::size_t m = 0;
  if (!mouse_id.empty()) {
    const auto it = std::find(ids.begin(), ids.end(), mouse_id);
    if (it == ids.end())
      throw InputError(run_dir, "", "no mouse '" + mouse_id + "' in mice/" + suggestion_suffix(mouse_id, ids));
    m = static_cast<std::size_t>(it - ids.begin());
  }
  const MouseFileReader reader(files[m]);
  const bci::MouseSetup setup = reader.setup();
  return {reader.scenario(), setup.mouse_id, setup.roles,
          schematic_layout(setup.seed, setup.mouse, setup.roles.size())};
}

void render_field_of_view(const FieldOfView& fov, PictureSize size, const std::string& png) {
  const DisplayLease lease;
  detail::PictureScene scene(size.width, size.height);
  vtkNew<vtkPoints> points;
  vtkNew<vtkCellArray> discs;
  vtkNew<vtkUnsignedCharArray> colours;
  colours->SetNumberOfComponents(3);
  colours->SetName("role_colour");
  std::size_t count[3] = {};
  for (std::size_t i = 0; i < fov.roles.size(); ++i) {
    std::vector<vtkIdType> corners;
    for (int k = 0; k < disc_sides; ++k) {
      const double a = 2 * std::numbers::pi * k / disc_sides;
      corners.push_back(points->InsertNextPoint(fov.positions_um[i][0] + soma_radius_um * std::cos(a),
                                                fov.positions_um[i][1] + soma_radius_um * std::sin(a), 0.0));
    }
    discs->InsertNextCell(static_cast<vtkIdType>(corners.size()), corners.data());
    const Rgb c = role_colour(fov.roles[i]);
    colours->InsertNextTuple3(c.r, c.g, c.b);
    ++count[static_cast<std::size_t>(fov.roles[i])];
  }
  vtkNew<vtkPolyData> poly;
  poly->SetPoints(points);
  poly->SetPolys(discs);
  poly->GetCellData()->SetScalars(colours);
  vtkNew<vtkPolyDataMapper> mapper;
  mapper->SetInputData(poly);
  mapper->SetScalarModeToUseCellData();
  mapper->SetColorModeToDirectScalars();
  vtkNew<vtkActor> actor;
  actor->SetMapper(mapper);
  actor->GetProperty()->LightingOff();  // role colours exactly as defined
  scene.renderer().AddActor(actor);
  // The field's outline, so that the empty parts read as imaged.
  vtkNew<vtkOutlineSource> outline;
  outline->SetBounds(0.0, field_of_view_um, 0.0, field_of_view_um, 0.0, 0.0);
  vtkNew<vtkPolyDataMapper> outline_mapper;
  outline_mapper->SetInputConnection(outline->GetOutputPort());
  vtkNew<vtkActor> frame;
  frame->SetMapper(outline_mapper);
  frame->GetProperty()->SetColor(0.7, 0.7, 0.7);
  frame->GetProperty()->LightingOff();
  scene.renderer().AddActor(frame);
  scene.set_title(fov.scenario + ": mouse " + fov.mouse_id + " (schematic layout)");
  scene.add_legend({{"P+ (" + std::to_string(count[0]) + ")", plus_colour},
                    {"P- (" + std::to_string(count[1]) + ")", minus_colour},
                    {"P0 (" + std::to_string(count[2]) + ")", zero_colour}});
  scene.frame({0.0, field_of_view_um, 0.0, field_of_view_um, 0.0, 0.0});
  scene.write_png(png);
}

}  // namespace apical::viz
