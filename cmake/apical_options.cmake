# Warnings and code generation shared by every apical target.
add_library(apical_options INTERFACE)
target_compile_options(apical_options INTERFACE -Wall -Wextra -Wpedantic -Werror=return-type -fopenmp-simd)
if(APICAL_NATIVE)
  target_compile_options(apical_options INTERFACE -march=native)
endif()
# Vectorised loops over cells must not change results between runs; -ffast-math is therefore off.
target_compile_options(apical_options INTERFACE $<$<CONFIG:Release>:-O3>)

# GCC 12 reports false positives at -O3: -Wrestrict and -Warray-bounds inside libstdc++ string
# concatenation and nlohmann_json's object map, -Wmaybe-uninitialized inside Eigen's AVX-512 code;
# code that includes those turns the three off.
add_library(apical_gcc12_false_positives INTERFACE)
target_compile_options(apical_gcc12_false_positives INTERFACE
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict -Wno-array-bounds -Wno-maybe-uninitialized>)
