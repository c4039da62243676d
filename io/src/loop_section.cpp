#include "apical/io/loop_section.hpp"

#include <stdexcept>

#include "bci_sections.hpp"
#include "bci_visitors.hpp"

namespace apical {

bci::LoopSpec read_loop_section(const JsonValue& loop) {
  // Read into a default experiment so that bci::validate checks the loop exactly as in a scenario.
  bci::ExperimentSpec spec;
  detail::BciJsonReader::Pointers pointers{{"loop", loop.pointer()}};
  detail::BciJsonReader reader(&loop.raw(), loop, "loop.", pointers);
  const detail::BciFieldVisitor::Body body = [&](detail::BciFieldVisitor& v) { detail::visit_loop(v, spec.loop); };
  reader.check_keys(body);
  body(reader);
  try {
    bci::validate(spec);
  } catch (const std::invalid_argument& e) {
    throw InputError(loop.file(), detail::pointer_of_message(e.what(), pointers), e.what());
  }
  return spec.loop;
}

nlohmann::json loop_section_json(const bci::LoopSpec& loop) {
  nlohmann::json out = nlohmann::json::object();
  bci::LoopSpec copy = loop;  // the visitors take the fields by reference; the writer changes nothing
  detail::BciJsonWriter writer(out);
  detail::visit_loop(writer, copy);
  return out;
}

}  // namespace apical
