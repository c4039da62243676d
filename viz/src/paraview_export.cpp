#include "apical/viz/paraview_export.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <stdexcept>

#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkDoubleArray.h>
#include <vtkIntArray.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkUnsignedCharArray.h>
#include <vtkXMLPolyDataWriter.h>

#include "apical/io/bci_mouse_file.hpp"
#include "apical/io/run_cohort_reader.hpp"
#include "apical/viz/field_of_view.hpp"
#include "frustum_lines.hpp"
#include "pvd_file.hpp"

namespace apical::viz {
namespace {

namespace fs = std::filesystem;

void make_folder(const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw std::runtime_error("cannot create the output folder " + folder.string() + ": " + ec.message());
}

void write_vtp(vtkPolyData* data, const fs::path& path) {
  vtkNew<vtkXMLPolyDataWriter> writer;
  writer->SetFileName(path.string().c_str());
  writer->SetInputData(data);
  writer->SetDataModeToAppended();
  writer->EncodeAppendedDataOff();
  if (writer->Write() != 1) throw std::runtime_error(path.string() + ": cannot write the ParaView file");
}

vtkSmartPointer<vtkDoubleArray> named_array(const char* name, vtkIdType size) {
  auto a = vtkSmartPointer<vtkDoubleArray>::New();
  a->SetName(name);
  a->SetNumberOfValues(size);
  return a;
}

// Recorded quantities by their array names, in the recording's units (cai in mM, as recorded).
struct ExportedQuantity {
  const char* name;
  Quantity quantity;
  double scale;  // from the series' unit to the array's
};
constexpr ExportedQuantity exported[] = {{"v_mV", Quantity::v, 1.0}, {"cai_mM", Quantity::cai, 1e-3},
                                         {"dff", Quantity::dff, 1.0}};

// ParaView's Tube filter draws lines only, so a soma ball goes out as the cylinder of its diameter
// along y (NEURON's picture of a one-point soma), with the values of its segment.
CellShape exported_shape(const CellDescription& cell) {
  CellShape shape = cell_shape(cell);
  for (const Ball& b : shape.somata)
    shape.frusta.push_back({{b.centre[0], b.centre[1] - b.radius_um, b.centre[2]},
                            {b.centre[0], b.centre[1] + b.radius_um, b.centre[2]}, b.radius_um, b.radius_um,
                            b.segment, NeuriteType::soma});
  shape.somata.clear();
  return shape;
}

}  // namespace

std::size_t default_stride(std::size_t samples) { return std::max<std::size_t>(1, (samples + max_export_steps - 1) / max_export_steps); }

std::vector<std::string> export_cell_run(const CellRun& run, const std::string& out_dir, std::size_t every) {
  if (every == 0) throw std::invalid_argument("the export stride must be at least 1 sample");
  const SegmentRecording& rec = run.recording;
  const CellShape shape = exported_shape(run.cell);
  std::vector<std::string> written;
  for (const std::string& condition : rec.conditions) {
    std::vector<std::pair<const ExportedQuantity*, QuantitySeries>> series;
    for (const ExportedQuantity& q : exported) {
      const bool recorded = std::find(rec.variables.begin(), rec.variables.end(),
                                      q.quantity == Quantity::v ? "v" : "cai") != rec.variables.end();
      if (recorded) series.emplace_back(&q, quantity_series(run, condition, q.quantity));
    }
    const fs::path folder = fs::path(out_dir) / condition;
    make_folder(folder);
    std::vector<detail::PvdStep> steps;
    std::vector<std::size_t> samples;
    for (std::size_t k = 0; k < rec.time_ms.size(); k += every) samples.push_back(k);
    if (!rec.time_ms.empty() && samples.back() != rec.time_ms.size() - 1) samples.push_back(rec.time_ms.size() - 1);
    for (std::size_t k : samples) {
      const vtkSmartPointer<vtkPolyData> lines = detail::frustum_lines(shape);
      const auto n = static_cast<vtkIdType>(shape.frusta.size());
      vtkNew<vtkIntArray> section;
      section->SetName("section");
      const auto x = named_array("x", n);
      for (vtkIdType f = 0; f < n; ++f) {
        const Site& site = rec.sites[static_cast<std::size_t>(shape.frusta[static_cast<std::size_t>(f)].segment)];
        section->InsertNextValue(site.section);
        x->SetValue(f, site.x);
      }
      lines->GetCellData()->AddArray(section);
      lines->GetCellData()->AddArray(x);
      for (const auto& [q, s] : series) {
        const auto values = named_array(q->name, n);
        for (vtkIdType f = 0; f < n; ++f)
          values->SetValue(f, q->scale * s.values[k * rec.segments() +
                                                  static_cast<std::size_t>(shape.frusta[static_cast<std::size_t>(f)].segment)]);
        lines->GetCellData()->AddArray(values);
      }
      char name[32];
      std::snprintf(name, sizeof name, "step_%05zu.vtp", k);
      write_vtp(lines, folder / name);
      steps.push_back({rec.time_ms[k], condition + "/" + name});
    }
    const fs::path pvd = fs::path(out_dir) / (condition + ".pvd");
    detail::write_pvd(pvd.string(), steps);
    written.push_back(pvd.string());
  }
  return written;
}

std::vector<std::string> export_cohort_run(const std::string& run_dir, const std::string& out_dir) {
  std::vector<std::string> written;
  for (const std::string& file : run_folder_mouse_files(run_dir)) {
    const MouseFileReader reader(file);
    const bci::MouseSetup setup = reader.setup();
    const std::size_t n = setup.roles.size(), m = setup.inputs;
    const auto positions = schematic_layout(setup.seed, setup.mouse, n);
    const std::vector<std::string> groups = reader.sessions();
    int sessions_per_day = 1;
    std::vector<std::pair<int, int>> day_session;
    const fs::path folder = fs::path(out_dir) / setup.mouse_id;
    make_folder(folder);
    std::vector<detail::PvdStep> steps;
    for (const std::string& group : groups) {
      const bci::SessionRecord s = reader.session(group);
      sessions_per_day = std::max(sessions_per_day, s.session + 1);
      vtkNew<vtkPoints> points;
      vtkNew<vtkCellArray> vertices;
      vtkNew<vtkUnsignedCharArray> role, colour;
      role->SetName("role");
      colour->SetName("role_colour");
      colour->SetNumberOfComponents(3);
      const auto rate = named_array("rate_hz", static_cast<vtkIdType>(n));
      const auto event_rate = named_array("event_rate_hz", static_cast<vtkIdType>(n));
      const auto burst_rate = named_array("burst_rate_hz", static_cast<vtkIdType>(n));
      const auto dff = named_array("mean_soma_dff", static_cast<vtkIdType>(n));
      const auto weight = named_array("mean_weight_pA_per_Hz", static_cast<vtkIdType>(n));
      for (std::size_t i = 0; i < n; ++i) {
        const vtkIdType id = points->InsertNextPoint(positions[i][0], positions[i][1], 0.0);
        vertices->InsertNextCell(1, &id);
        role->InsertNextValue(static_cast<unsigned char>(setup.roles[i]));
        const Rgb c = role_colour(setup.roles[i]);
        colour->InsertNextTuple3(c.r, c.g, c.b);
        const bci::NeuronTrace& t = s.neurons.at(i);
        const auto k = static_cast<vtkIdType>(i);
        rate->SetValue(k, t.rate_hz);
        event_rate->SetValue(k, t.event_rate_hz);
        burst_rate->SetValue(k, t.burst_rate_hz);
        dff->SetValue(k, t.soma_dff.empty() ? 0.0
                                            : std::accumulate(t.soma_dff.begin(), t.soma_dff.end(), 0.0) /
                                                  static_cast<double>(t.soma_dff.size()));
        double sum = 0;
        std::size_t synapses = 0;
        for (std::size_t j = 0; j < m; ++j)
          if (setup.connected.at(i * m + j) != 0) sum += s.weights.at(i * m + j), ++synapses;
        weight->SetValue(k, synapses > 0 ? sum / static_cast<double>(synapses) : 0.0);
      }
      vtkNew<vtkPolyData> poly;
      poly->SetPoints(points);
      poly->SetVerts(vertices);
      for (vtkAbstractArray* a : std::initializer_list<vtkAbstractArray*>{role, colour, rate, event_rate, burst_rate, dff, weight})
        poly->GetPointData()->AddArray(a);
      write_vtp(poly, folder / (group + ".vtp"));
      steps.push_back({0.0, setup.mouse_id + "/" + group + ".vtp"});
      day_session.emplace_back(s.day, s.session);
    }
    // Time in days; the sessions of one day share it evenly.
    for (std::size_t k = 0; k < steps.size(); ++k)
      steps[k].time = day_session[k].first + static_cast<double>(day_session[k].second) / sessions_per_day;
    const fs::path pvd = fs::path(out_dir) / (setup.mouse_id + ".pvd");
    detail::write_pvd(pvd.string(), steps);
    written.push_back(pvd.string());
  }
  return written;
}

}  // namespace apical::viz
