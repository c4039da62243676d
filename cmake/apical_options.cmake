# Warnings and code generation shared by every apical target.
add_library(apical_options INTERFACE)
target_compile_options(apical_options INTERFACE -Wall -Wextra -Wpedantic -Werror=return-type -fopenmp-simd)
if(APICAL_NATIVE)
  target_compile_options(apical_options INTERFACE -march=native)
endif()
# Vectorised loops over cells must not change results between runs; -ffast-math is therefore off.
target_compile_options(apical_options INTERFACE $<$<CONFIG:Release>:-O3>)
