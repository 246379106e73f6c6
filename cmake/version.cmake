# cmake/version.cmake -- the project's version, read from runtime/intspect.h.
#
# The header's INTSPECT_VERSION_MAJOR/MINOR/PATCH are the only place the
# version is written: the C macro INTSPECT_VERSION (and so `intspect
# --version` and the Lua module's intspect.version) is built from them,
# and this file hands the same numbers to project(VERSION), from which the
# library's SONAME, intspect.pc, the CMake package's version file and the
# Debian package take theirs.
set(_isp_header ${CMAKE_CURRENT_LIST_DIR}/../runtime/intspect.h)
set(_isp_parts)
foreach(part MAJOR MINOR PATCH)
  file(STRINGS ${_isp_header} _isp_line
       REGEX "^#define INTSPECT_VERSION_${part} +[0-9]+ *$")
  if(NOT _isp_line)
    message(FATAL_ERROR "runtime/intspect.h: no '#define INTSPECT_VERSION_${part} N' line")
  endif()
  string(REGEX REPLACE "^#define INTSPECT_VERSION_${part} +([0-9]+) *$" "\\1" _isp_n "${_isp_line}")
  list(APPEND _isp_parts ${_isp_n})
endforeach()
list(JOIN _isp_parts "." ISP_HEADER_VERSION)
# Tell CMake to configure again when the header's version changes.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_isp_header})
unset(_isp_header)
unset(_isp_parts)
unset(_isp_line)
unset(_isp_n)
