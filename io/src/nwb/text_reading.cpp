#include "text_reading.hpp"

#include "builder.hpp"

namespace apical::nwb::detail {

namespace {

// Reads every string of an attribute or dataset with `read(memory_type, buffer)`.
template <class Read>
std::vector<std::string> read_strings(const h5::Reader& reader, const std::string& where, hid_t stored_type,
                                      hid_t space, Read&& read) {
  if (H5Tget_class(stored_type) != H5T_STRING) reader.fail(where, "is not text");
  const hssize_t count = H5Sget_simple_extent_npoints(space);
  if (count < 0) reader.fail(where, "cannot read its shape");
  std::vector<std::string> texts;
  if (H5Tis_variable_str(stored_type) > 0) {
    const h5::Handle type = text_type();
    std::vector<char*> buffer(static_cast<std::size_t>(count), nullptr);
    if (count > 0 && read(type.id(), static_cast<void*>(buffer.data())) < 0) reader.fail(where, "cannot read the text");
    for (char* text : buffer) texts.emplace_back(text == nullptr ? "" : text);
    if (count > 0) H5Dvlen_reclaim(type.id(), space, H5P_DEFAULT, buffer.data());
  } else {
    const std::size_t size = H5Tget_size(stored_type);
    std::vector<char> buffer(size * static_cast<std::size_t>(count));
    if (count > 0 && read(stored_type, static_cast<void*>(buffer.data())) < 0)
      reader.fail(where, "cannot read the text");
    for (hssize_t i = 0; i < count; ++i) {
      std::string text(buffer.data() + static_cast<std::size_t>(i) * size, size);
      text.resize(text.find('\0') == std::string::npos ? size : text.find('\0'));
      texts.push_back(std::move(text));
    }
  }
  return texts;
}

std::vector<std::string> read_dataset_strings(const h5::Reader& reader, hid_t parent, const std::string& path,
                                              const std::string& name) {
  if (!reader.exists(parent, name)) reader.fail(path, "missing dataset");
  const h5::Handle dataset(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!dataset.valid()) reader.fail(path, "cannot open the dataset");
  const h5::Handle type(H5Dget_type(dataset.id()), H5Tclose);
  const h5::Handle space(H5Dget_space(dataset.id()), H5Sclose);
  if (!type.valid() || !space.valid()) reader.fail(path, "cannot read its type and shape");
  return read_strings(reader, path, type.id(), space.id(), [&](hid_t memory_type, void* buffer) {
    return H5Dread(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
  });
}

}  // namespace

std::string read_text_attribute(const h5::Reader& reader, hid_t object, const std::string& path,
                                const std::string& name) {
  const std::string where = path + " attribute '" + name + "'";
  if (!reader.has_attribute(object, name)) reader.fail(path, "missing attribute '" + name + "'");
  const h5::Handle attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose);
  if (!attribute.valid()) reader.fail(where, "cannot open it");
  const h5::Handle type(H5Aget_type(attribute.id()), H5Tclose);
  const h5::Handle space(H5Aget_space(attribute.id()), H5Sclose);
  if (!type.valid() || !space.valid()) reader.fail(where, "cannot read its type and shape");
  const std::vector<std::string> texts =
      read_strings(reader, where, type.id(), space.id(),
                   [&](hid_t memory_type, void* buffer) { return H5Aread(attribute.id(), memory_type, buffer); });
  if (texts.size() != 1) reader.fail(where, "is not a single text");
  return texts.front();
}

std::string read_text_dataset(const h5::Reader& reader, hid_t parent, const std::string& parent_path,
                              const std::string& name) {
  const std::string path = parent_path + "/" + name;
  const std::vector<std::string> texts = read_dataset_strings(reader, parent, path, name);
  if (texts.size() != 1) reader.fail(path, "is not a single text");
  return texts.front();
}

std::vector<std::string> read_text_list(const h5::Reader& reader, hid_t parent, const std::string& parent_path,
                                        const std::string& name) {
  return read_dataset_strings(reader, parent, parent_path + "/" + name, name);
}

}  // namespace apical::nwb::detail
