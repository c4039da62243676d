// traces.h5 through the HDF5 C API (no C++ bindings needed). Layout:
//   /                      attributes format="apical-traces", format_version=1, scenario, apical_version
//   /time_ms               [samples]            units="ms"
//   /traces/<cond>/<rec>   [samples]            units, site, variable
//   /spikes/<cond>         [spikes]             units="ms"
#include <hdf5.h>

#include <stdexcept>

#include "apical/io/results.hpp"
#include "apical/io/version.hpp"

namespace apical {
namespace {

// Owns one HDF5 identifier; `close` is the matching H5?close function.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
    if (id_ < 0) throw std::runtime_error("HDF5: cannot create " + what);
  }
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(Handle&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = -1; }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle& operator=(Handle&&) = delete;
  [[nodiscard]] hid_t id() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

void check(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5: cannot write " + what);
}

void write_text_attribute(hid_t object, const std::string& name, const std::string& value) {
  const Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "a string type");
  check(H5Tset_size(type.id(), value.empty() ? 1 : value.size()), "attribute " + name);
  check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "attribute " + name);
  const Handle space(H5Screate(H5S_SCALAR), H5Sclose, "a dataspace");
  const Handle attribute(H5Acreate2(object, name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                         "attribute " + name);
  check(H5Awrite(attribute.id(), type.id(), value.empty() ? "" : value.data()), "attribute " + name);
}

void write_int_attribute(hid_t object, const std::string& name, int value) {
  const Handle space(H5Screate(H5S_SCALAR), H5Sclose, "a dataspace");
  const Handle attribute(H5Acreate2(object, name.c_str(), H5T_STD_I32LE, space.id(), H5P_DEFAULT, H5P_DEFAULT),
                         H5Aclose, "attribute " + name);
  check(H5Awrite(attribute.id(), H5T_NATIVE_INT, &value), "attribute " + name);
}

// A 1-D float64 dataset (possibly empty) with a units attribute.
Handle write_vector(hid_t parent, const std::string& name, const std::vector<double>& values, const std::string& units) {
  const hsize_t dims[1] = {values.size()};
  const Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose, "a dataspace");
  Handle dataset(H5Dcreate2(parent, name.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                 H5Dclose, "dataset " + name);
  if (!values.empty())
    check(H5Dwrite(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), name);
  write_text_attribute(dataset.id(), "units", units);
  return dataset;
}

Handle make_group(hid_t parent, const std::string& name) {
  return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "group " + name);
}

}  // namespace

void write_traces_h5(const std::string& path, const Scenario& scenario, const ProtocolResult& result) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions, not stderr dumps
  const ProtocolSpec& spec = scenario.protocol;
  const Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, path);
  write_text_attribute(file.id(), "format", "apical-traces");
  write_int_attribute(file.id(), "format_version", 1);
  write_text_attribute(file.id(), "scenario", scenario.name);
  write_text_attribute(file.id(), "apical_version", apical_version());
  (void)write_vector(file.id(), "time_ms", result.time_ms, "ms");

  const Handle traces = make_group(file.id(), "traces");
  const Handle spikes = make_group(file.id(), "spikes");
  for (std::size_t c = 0; c < spec.condition_labels.size(); ++c) {
    const std::string& label = spec.condition_labels[c];
    const Handle condition = make_group(traces.id(), label);
    for (std::size_t r = 0; r < spec.recordings.size(); ++r) {
      const RecordingSpec& rec = spec.recordings[r];
      const Handle dataset = write_vector(condition.id(), rec.label, result.traces.at(r).at(c), recording_unit(rec.variable));
      write_text_attribute(dataset.id(), "site", site_text(spec.cell, rec.site));
      write_text_attribute(dataset.id(), "variable", rec.variable);
    }
    (void)write_vector(spikes.id(), label, result.spike_times_ms.at(c), "ms");
  }
  check(H5Fflush(file.id(), H5F_SCOPE_GLOBAL), path);
}

}  // namespace apical
