#include "frustum_lines.hpp"

#include <vtkCellArray.h>
#include <vtkDoubleArray.h>
#include <vtkPointData.h>
#include <vtkPoints.h>

namespace apical::viz::detail {

vtkSmartPointer<vtkPolyData> frustum_lines(const CellShape& shape) {
  vtkNew<vtkPoints> points;
  vtkNew<vtkCellArray> lines;
  vtkNew<vtkDoubleArray> radius;
  radius->SetName("radius_um");
  for (const Frustum& f : shape.frusta) {
    const vtkIdType ends[] = {points->InsertNextPoint(f.a.data()), points->InsertNextPoint(f.b.data())};
    lines->InsertNextCell(2, ends);
    radius->InsertNextValue(f.radius_a_um);
    radius->InsertNextValue(f.radius_b_um);
  }
  auto poly = vtkSmartPointer<vtkPolyData>::New();
  poly->SetPoints(points);
  poly->SetLines(lines);
  poly->GetPointData()->SetScalars(radius);
  return poly;
}

}  // namespace apical::viz::detail
