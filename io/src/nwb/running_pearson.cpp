#include "running_pearson.hpp"

#include <cmath>
#include <limits>

namespace apical::nwb::detail {

void RunningPearson::add(double x, double y) {
  if (!std::isfinite(x) || !std::isfinite(y)) return;
  ++n_;
  const double n = static_cast<double>(n_);
  const double dx = x - mean_x_, dy = y - mean_y_;
  mean_x_ += dx / n;
  mean_y_ += dy / n;
  sxx_ += dx * (x - mean_x_);
  syy_ += dy * (y - mean_y_);
  sxy_ += dx * (y - mean_y_);
}

double RunningPearson::r() const {
  if (n_ < 2 || !(sxx_ > 0) || !(syy_ > 0)) return std::numeric_limits<double>::quiet_NaN();
  return sxy_ / std::sqrt(sxx_ * syy_);
}

}  // namespace apical::nwb::detail
