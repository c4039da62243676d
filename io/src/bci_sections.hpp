#pragma once
// The declarations of every section of a bci_cohort scenario (bci_fields.hpp), one function per
// ExperimentSpec section, in file order. Each names its fields' JSON keys, struct members, units and
// meanings once; reading, writing and the key reference all walk these.
#include "apical/models/bci/experiment_spec.hpp"
#include "bci_fields.hpp"

namespace apical::detail {

// bci_sections_circuit.cpp
void visit_field_of_view(BciFieldVisitor& v, bci::FieldOfViewSpec& s);
void visit_circuit(BciFieldVisitor& v, bci::CircuitSpec& s);
void visit_imaging(BciFieldVisitor& v, bci::ImagingSpec& s);

// bci_sections_loop.cpp
void visit_loop(BciFieldVisitor& v, bci::LoopSpec& s);
void visit_selection(BciFieldVisitor& v, bci::SelectionSpec& s);
void visit_teaching(BciFieldVisitor& v, bci::TeachingSpec& s);
void visit_reward(BciFieldVisitor& v, bci::RewardSpec& s);

// bci_sections_learning.cpp
void visit_learning(BciFieldVisitor& v, bci::LearningSpec& s);

// bci_sections_schedule.cpp
void visit_manipulations(BciFieldVisitor& v, bci::ManipulationSpec& s);
void visit_schedule(BciFieldVisitor& v, bci::ScheduleSpec& s);
void visit_record(BciFieldVisitor& v, bci::RecordSpec& s);

// Everything below the header: cohort, seed, the sections above, dt (bci_sections_schedule.cpp).
void visit_bci_scenario(BciFieldVisitor& v, bci::ExperimentSpec& spec, std::size_t& mice, std::uint64_t& first_mouse);

}  // namespace apical::detail
