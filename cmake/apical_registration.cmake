# Plug-ins (mechanisms, learning rules, frame sources, reward devices) are one file each with a
# register_<name>(<Registry>&) function. apical_registration() lists their sources in <out_var> and
# generates <output> from <template>, whose @APICAL_REGISTRATION_DECLARATIONS@ and
# @APICAL_REGISTRATION_CALLS@ become one declaration and one call per plug-in, in the order given.
#   apical_registration(<out_var> TEMPLATE <file.in> OUTPUT <file.cpp> REGISTRY <type> DIR <dir> NAMES <path>...)
# Each <path> is relative to DIR without ".cpp"; the plug-in's name is its last component.
function(apical_registration out_var)
  cmake_parse_arguments(ARG "" "TEMPLATE;OUTPUT;REGISTRY;DIR" "NAMES" ${ARGN})
  set(APICAL_REGISTRATION_DECLARATIONS "")
  set(APICAL_REGISTRATION_CALLS "")
  set(sources "")
  foreach(path IN LISTS ARG_NAMES)
    get_filename_component(name ${path} NAME)
    string(APPEND APICAL_REGISTRATION_DECLARATIONS "void register_${name}(${ARG_REGISTRY}& registry);\n")
    string(APPEND APICAL_REGISTRATION_CALLS "  register_${name}(registry);\n")
    list(APPEND sources ${ARG_DIR}/${path}.cpp)
  endforeach()
  configure_file(${ARG_TEMPLATE} ${ARG_OUTPUT} @ONLY)
  set(${out_var} ${sources} PARENT_SCOPE)
endfunction()
