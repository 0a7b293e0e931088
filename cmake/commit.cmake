# Writes the version and the git commit of the source tree into a header for `goesvfi --version`, rewriting
# it only when either changes (so a build without changes recompiles nothing). Run with
# cmake -DSRC=<source dir> -DOUT=<header> -DVERSION=<x.y.z> -P commit.cmake at every build.
execute_process(COMMAND git -C "${SRC}" describe --always --dirty --abbrev=10
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR commit STREQUAL "")
  set(commit "unknown")  # a source tarball, or no git on the machine
endif()
set(content "#pragma once\n#define GOESVFI_VERSION \"${VERSION}\"\n#define GOESVFI_COMMIT \"${commit}\"\n")
set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL content)
  file(WRITE "${OUT}" "${content}")
endif()
