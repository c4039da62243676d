#pragma once
// Reconstructed morphologies: SWC (.swc) and Neurolucida ASCII (.asc) files, read into a
// Reconstruction and turned into a cell whose segment counts follow the d-lambda rule
// (models/reconstruction.hpp, engine/d_lambda.hpp; docs/morphologies.md).
// Every problem is an InputError naming the file and the line, e.g.
//   cell.swc: line 12: parent 77 of sample 11 does not exist
#include <string>

#include "apical/io/input_error.hpp"
#include "apical/models/reconstruction.hpp"

namespace apical {

// `file_label` names the text in messages.
Reconstruction read_swc_text(const std::string& text, const std::string& file_label);
Reconstruction read_neurolucida_text(const std::string& text, const std::string& file_label);

// Reads a file by its extension (.swc or .asc, any case) into its tree of samples.
Reconstruction read_reconstruction_file(const std::string& path);

// Reads a file by its extension (.swc or .asc, any case) and builds the cell, named after the file.
ImportedCell load_morphology(const std::string& path, const ImportOptions& options = {});

// The message location for a line: "line 12", or "" for the whole file (line 0).
std::string line_location(int line);

}  // namespace apical
