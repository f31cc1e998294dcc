# The core links nothing but libc and libm (issue 9): run by ctest as
#   cmake -DCLOSURE=<file> -DBINARY=<core-only test> -P link_interface.cmake
# CLOSURE holds what CMake links with repcue_core (tests/lib/link_closure.cmake,
# written at configure time); BINARY is a test that links only repcue_core,
# whose NEEDED entries must be libc and libm (plus the sanitizer runtimes).
cmake_minimum_required(VERSION 3.18)
# repcue_phrase: the phrasebooks, C tables that link nothing themselves
set(allowed_libs repcue_util_pure repcue_phrase m c)
file(STRINGS "${CLOSURE}" closure)
set(bad)
foreach(lib IN LISTS closure)
  if(NOT lib IN_LIST allowed_libs)
    list(APPEND bad ${lib})
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "repcue_core links ${bad}; the core may link only "
    "${allowed_libs} (src/core/CMakeLists.txt: move what needs them out of the core)")
endif()
execute_process(COMMAND readelf -d "${BINARY}" OUTPUT_VARIABLE dyn RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "readelf -d ${BINARY} failed (${rc}); readelf is in the Debian package binutils")
endif()
string(REGEX MATCHALL "Shared library: \\[[^]]*\\]" needed "${dyn}")
foreach(n IN LISTS needed)
  string(REGEX REPLACE "Shared library: \\[(.*)\\]" "\\1" n "${n}")
  if(NOT n MATCHES "^(libc|libm|libasan|libubsan|libtsan|libgcc_s|libstdc\\+\\+)\\.so")
    message(FATAL_ERROR "${BINARY} needs ${n}; a core-only binary may need only libc and libm")
  endif()
endforeach()
message(STATUS "repcue_core links: ${closure}; ${BINARY} needs: ${needed}")
