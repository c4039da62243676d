#pragma once
// Counts calls of the global operator new in a test executable that compiles allocation_counter.cpp
// (which replaces operator new, so such a test gets an executable of its own).
namespace apical::test {
long allocations_so_far();
}
