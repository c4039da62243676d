#include "apical/viz/cell_picture.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include <vtkActor.h>
#include <vtkAppendPolyData.h>
#include <vtkCellData.h>
#include <vtkDoubleArray.h>
#include <vtkPointData.h>
#include <vtkLookupTable.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkSphereSource.h>
#include <vtkTubeFilter.h>
#include <vtkUnsignedCharArray.h>

#include "apical/viz/colour_map.hpp"
#include "frustum_lines.hpp"
#include "picture_scene.hpp"

namespace apical::viz {
namespace {

constexpr int tube_sides = 20;
// Thin neurites are drawn at least this wide, so that their colour can be seen at any zoom; the scale
// bar measures lengths, and diameters above this are true.
constexpr double min_tube_px = 4.0;
constexpr int lut_colours = 256;

vtkSmartPointer<vtkLookupTable> lookup_table(const ColourScale& scale) {
  auto lut = vtkSmartPointer<vtkLookupTable>::New();
  lut->SetNumberOfTableValues(lut_colours);
  lut->SetRange(scale.low, scale.high);
  lut->Build();
  for (int i = 0; i < lut_colours; ++i) {
    const Rgb c = colour_map(static_cast<double>(i) / (lut_colours - 1));
    lut->SetTableValue(i, c.r / 255.0, c.g / 255.0, c.b / 255.0, 1.0);
  }
  lut->SetNanColor(no_value_colour.r / 255.0, no_value_colour.g / 255.0, no_value_colour.b / 255.0, 1.0);
  return lut;
}

void set_colour(vtkProperty& p, Rgb c) { p.SetColor(c.r / 255.0, c.g / 255.0, c.b / 255.0); }

}  // namespace

Rgb neurite_colour(NeuriteType type) {
  switch (type) {
    case NeuriteType::soma: return soma_colour;
    case NeuriteType::axon: return axon_colour;
    case NeuriteType::basal_dendrite: return basal_colour;
    case NeuriteType::apical_dendrite: return apical_colour;
  }
  return plain_cell_colour;
}

struct CellPicture::Scene {
  Scene(int width, int height) : picture(width, height) {}
  detail::PictureScene picture;
  vtkSmartPointer<vtkPolyData> lines;
  vtkSmartPointer<vtkDoubleArray> values;  // per frustum, from the segment values
  std::vector<int> segment_of;             // per frustum
  vtkSmartPointer<vtkLookupTable> lut;
  std::vector<std::pair<vtkSmartPointer<vtkActor>, int>> balls;  // each soma ball and its segment
  std::size_t segments = 0;
};

CellPicture::CellPicture(const CellShape& shape, std::optional<ColourScale> scale, PictureSize size)
    : scene_(std::make_unique<Scene>(size.width, size.height)) {
  const auto unsegmented = [](const auto& part) { return part.segment < 0; };
  if (scale && (std::any_of(shape.frusta.begin(), shape.frusta.end(), unsegmented) ||
                std::any_of(shape.somata.begin(), shape.somata.end(), unsegmented)))
    throw std::invalid_argument("a reconstruction has no recorded segments to colour; draw it without a scale");
  Scene& s = *scene_;
  s.lines = detail::frustum_lines(shape);
  vtkNew<vtkTubeFilter> tubes;
  tubes->SetInputData(s.lines);
  tubes->SetVaryRadiusToVaryRadiusByAbsoluteScalar();
  tubes->SetNumberOfSides(tube_sides);
  tubes->CappingOn();
  vtkNew<vtkPolyDataMapper> mapper;
  mapper->SetInputConnection(tubes->GetOutputPort());
  mapper->SetScalarModeToUseCellFieldData();
  vtkNew<vtkActor> actor;
  actor->SetMapper(mapper);
  if (scale) {
    for (const Frustum& f : shape.frusta) {
      s.segment_of.push_back(f.segment);
      s.segments = std::max(s.segments, static_cast<std::size_t>(f.segment) + 1);
    }
    for (const Ball& ball : shape.somata)
      s.segments = std::max(s.segments, static_cast<std::size_t>(ball.segment) + 1);
    s.values = vtkSmartPointer<vtkDoubleArray>::New();
    s.values->SetName("value");
    s.values->SetNumberOfValues(static_cast<vtkIdType>(shape.frusta.size()));
    s.values->Fill(std::numeric_limits<double>::quiet_NaN());
    s.lines->GetCellData()->AddArray(s.values);
    s.lut = lookup_table(*scale);
    mapper->SelectColorArray("value");
    mapper->SetLookupTable(s.lut);
    mapper->UseLookupTableScalarRangeOn();
    s.picture.add_colour_bar(s.lut, scale->title);
  } else if (shape.typed) {
    vtkNew<vtkUnsignedCharArray> colours;
    colours->SetName("colour");
    colours->SetNumberOfComponents(3);
    for (const Frustum& f : shape.frusta) {
      const Rgb c = neurite_colour(f.type);
      colours->InsertNextTuple3(c.r, c.g, c.b);
    }
    s.lines->GetCellData()->AddArray(colours);
    mapper->SelectColorArray("colour");
    mapper->SetColorModeToDirectScalars();
    std::vector<std::pair<std::string, Rgb>> legend;
    for (NeuriteType t : {NeuriteType::soma, NeuriteType::axon, NeuriteType::basal_dendrite, NeuriteType::apical_dendrite})
      if (t == NeuriteType::soma ? !shape.somata.empty()
                                 : std::any_of(shape.frusta.begin(), shape.frusta.end(),
                                               [t](const Frustum& f) { return f.type == t; }))
        legend.emplace_back(neurite_type_name(t), neurite_colour(t));
    s.picture.add_legend(legend);
  } else {
    mapper->ScalarVisibilityOff();
    set_colour(*actor->GetProperty(), plain_cell_colour);
  }
  s.picture.renderer().AddActor(actor);
  for (const Ball& ball : shape.somata) {
    vtkNew<vtkSphereSource> sphere;
    sphere->SetCenter(ball.centre.data());
    sphere->SetRadius(ball.radius_um);
    sphere->SetThetaResolution(32);
    sphere->SetPhiResolution(32);
    vtkNew<vtkPolyDataMapper> sphere_mapper;
    sphere_mapper->SetInputConnection(sphere->GetOutputPort());
    vtkNew<vtkActor> soma;
    soma->SetMapper(sphere_mapper);
    set_colour(*soma->GetProperty(), soma_colour);
    s.picture.renderer().AddActor(soma);
    if (scale) s.balls.emplace_back(soma.Get(), ball.segment);
  }
  const double px_per_um = s.picture.frame(bounds(shape));
  vtkDataArray* radius = s.lines->GetPointData()->GetScalars();
  for (vtkIdType i = 0; i < radius->GetNumberOfTuples(); ++i)
    radius->SetTuple1(i, std::max(radius->GetTuple1(i), 0.5 * min_tube_px / px_per_um));
  radius->Modified();
  s.lines->Modified();  // framing ran the tube filter once already
}

CellPicture::~CellPicture() = default;

void CellPicture::set_title(const std::string& title) { scene_->picture.set_title(title); }

void CellPicture::set_values(std::span<const double> segment_values) {
  Scene& s = *scene_;
  if (!s.values) throw std::logic_error("set_values on a picture drawn without a colour scale");
  if (segment_values.size() != s.segments)
    throw std::invalid_argument("the picture has " + std::to_string(s.segments) + " segments, got " +
                                std::to_string(segment_values.size()) + " values");
  for (std::size_t f = 0; f < s.segment_of.size(); ++f)
    s.values->SetValue(static_cast<vtkIdType>(f), segment_values[static_cast<std::size_t>(s.segment_of[f])]);
  for (const auto& [ball, segment] : s.balls) {
    double rgb[3];
    s.lut->GetColor(segment_values[static_cast<std::size_t>(segment)], rgb);
    ball->GetProperty()->SetColor(rgb);
  }
  s.values->Modified();
  s.lines->Modified();
}

void CellPicture::write_png(const std::string& path) { scene_->picture.write_png(path); }

}  // namespace apical::viz
