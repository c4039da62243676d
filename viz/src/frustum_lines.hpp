#pragma once
// Frusta as 2-point lines with a "radius_um" per point (the active scalars): what vtkTubeFilter turns
// into cones for pictures, and what ParaView's Tube filter does the same with in exports.
#include <vtkPolyData.h>
#include <vtkSmartPointer.h>

#include "apical/viz/cell_shape.hpp"

namespace apical::viz::detail {

vtkSmartPointer<vtkPolyData> frustum_lines(const CellShape& shape);

}  // namespace apical::viz::detail
