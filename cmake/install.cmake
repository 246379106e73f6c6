# cmake/install.cmake -- intspect as something to install, link and package.
#
# `cmake --install BUILD [--prefix P]` installs:
#   bin/intspect                      the command line
#   lib/libintspect.so.V, .a          the runtime, shared (SONAME below) and static
#   include/intspect.h                its C API
#   lib/pkgconfig/intspect.pc         pkg-config intspect
#   lib/cmake/intspect/               find_package(intspect CONFIG): intspect::runtime,
#                                     intspect::runtime_static
#   <INSTALL_CMOD>/intspect.so        the Lua module, where lua5.4 looks for it
#   <INSTALL_LMOD>/intspect/helper.lua  the spec helpers for a stock busted
#                                     (busted --helper=intspect.helper)
#   share/man/man1/intspect.1         made from `intspect help`
# and `cpack -G DEB` packs the same files (cmake/package.cmake).
#
# The project's own executables keep linking intspect_runtime (the
# link-time optimized archive), so the installed intspect and Lua module
# carry the runtime and need no libintspect.so; the installed libraries,
# for C programs, are built apart:
# the shared one with the release build's optimization, exporting the C
# API only (cmake/intspect.map), the static one without LTO, so that any
# C compiler can link it (an archive of GCC LTO objects links with gcc
# only).  Nothing here is built in a sanitizer tree: its objects need the
# sanitizer runtimes and are not for installing.
if(ISP_SANITIZE)
  message(STATUS "install: no install rules in a sanitizer build")
  install(CODE [[message(FATAL_ERROR "this is a sanitizer build (ISP_SANITIZE=ON): it installs nothing; install from a release build (./build.sh build, then cmake --install build)")]])
  return()
endif()

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# SONAME: before 1.0 every MINOR release may change the ABI, so the SONAME
# carries MAJOR.MINOR (libintspect.so.0.1); from 1.0 on, MAJOR alone.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(ISP_SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
else()
  set(ISP_SOVERSION ${PROJECT_VERSION_MAJOR})
endif()

# Where lua5.4 finds modules: Debian's lua5.4.pc names INSTALL_CMOD
# (/usr/lib/<triplet>/lua/5.4) and INSTALL_LMOD (/usr/share/lua/5.4).  Under
# that prefix those directories are used; under any other, LIBDIR/lua/5.4
# and DATADIR/lua/5.4 (for /usr/local: /usr/local/lib/lua/5.4 and
# /usr/local/share/lua/5.4, both on lua5.4's default paths).
function(isp_lua_dir var pcvar fallback what)
  set(dir "${fallback}")
  if(COMMAND pkg_get_variable)
    pkg_get_variable(pcdir lua5.4 ${pcvar})
    if(pcdir AND IS_ABSOLUTE "${pcdir}")
      file(RELATIVE_PATH rel "${CMAKE_INSTALL_PREFIX}" "${pcdir}")
      if(NOT rel MATCHES "^\\.\\.")
        set(dir "${rel}")
      endif()
    endif()
  endif()
  set(${var} "${dir}" CACHE STRING "${what}, relative to the install prefix")
endfunction()
isp_lua_dir(ISP_INSTALL_LUA_CMOD INSTALL_CMOD "${CMAKE_INSTALL_LIBDIR}/lua/5.4"
            "where the Lua C module intspect.so is installed")
isp_lua_dir(ISP_INSTALL_LUA_LMOD INSTALL_LMOD "${CMAKE_INSTALL_DATADIR}/lua/5.4"
            "where the Lua file intspect/helper.lua is installed")

# ---------------------------------------------------------------- the libraries
add_library(intspect_shared SHARED ${ISP_RUNTIME_SOURCES})
set_target_properties(intspect_shared PROPERTIES
  OUTPUT_NAME intspect EXPORT_NAME runtime
  VERSION ${PROJECT_VERSION} SOVERSION ${ISP_SOVERSION}
  LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}
  LINK_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/intspect.map)
target_link_options(intspect_shared PRIVATE
  "LINKER:--version-script=${CMAKE_CURRENT_LIST_DIR}/intspect.map" "LINKER:--no-undefined")
target_link_libraries(intspect_shared PRIVATE m)

add_library(intspect_static STATIC ${ISP_RUNTIME_SOURCES})
set_target_properties(intspect_static PROPERTIES
  OUTPUT_NAME intspect EXPORT_NAME runtime_static
  INTERPROCEDURAL_OPTIMIZATION OFF
  ARCHIVE_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
target_link_libraries(intspect_static PUBLIC m)

foreach(t intspect_shared intspect_static)
  target_include_directories(${t} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/runtime>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
endforeach()

install(TARGETS intspect_shared intspect_static EXPORT intspect-targets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_SOURCE_DIR}/runtime/intspect.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# ---------------------------------------------------------------- CMake package
set(ISP_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/intspect)
install(EXPORT intspect-targets NAMESPACE intspect:: DESTINATION ${ISP_CMAKE_DIR}
        FILE intspect-targets.cmake)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/intspect-config.cmake.in
  ${PROJECT_BINARY_DIR}/install/intspect-config.cmake
  INSTALL_DESTINATION ${ISP_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_BINDIR ISP_INSTALL_LUA_CMOD ISP_INSTALL_LUA_LMOD)
# A program asking for 0.1 takes any 0.1.x; from 1.0 on, any 1.x at least as new.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(ISP_COMPAT SameMinorVersion)
else()
  set(ISP_COMPAT SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/install/intspect-config-version.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY ${ISP_COMPAT})
install(FILES ${PROJECT_BINARY_DIR}/install/intspect-config.cmake
              ${PROJECT_BINARY_DIR}/install/intspect-config-version.cmake
        DESTINATION ${ISP_CMAKE_DIR})

# ---------------------------------------------------------------- pkg-config
# Written at install time, for the prefix actually installed into
# (cmake --install --prefix P, or the package's /usr).
foreach(d LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${d}}")
    set(ISP_PC_${d} "${CMAKE_INSTALL_${d}}")
  else()
    set(ISP_PC_${d} "\${prefix}/${CMAKE_INSTALL_${d}}")
  endif()
endforeach()
install(CODE "
  set(ISP_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(ISP_PC_LIBDIR [[${ISP_PC_LIBDIR}]])
  set(ISP_PC_INCLUDEDIR [[${ISP_PC_INCLUDEDIR}]])
  set(ISP_PC_DESCRIPTION [[${PROJECT_DESCRIPTION}]])
  set(ISP_PC_VERSION [[${PROJECT_VERSION}]])
  configure_file([[${CMAKE_CURRENT_LIST_DIR}/intspect.pc.in]]
                 [[${PROJECT_BINARY_DIR}/install/intspect.pc]] @ONLY)
")
install(FILES ${PROJECT_BINARY_DIR}/install/intspect.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# ---------------------------------------------------------------- command line, Lua, man page
if(TARGET intspect)
  install(TARGETS intspect RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  if(CMAKE_CROSSCOMPILING AND NOT CMAKE_CROSSCOMPILING_EMULATOR)
    message(STATUS "install: no man page (cross-compiling: the built intspect cannot run here)")
  else()
    add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/intspect.1
      COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:intspect> -DOUT=${PROJECT_BINARY_DIR}/intspect.1
              -DVERSION=${PROJECT_VERSION} "-DDESCRIPTION=${PROJECT_DESCRIPTION}"
              -P ${CMAKE_CURRENT_LIST_DIR}/manpage.cmake
      DEPENDS intspect ${CMAKE_CURRENT_LIST_DIR}/manpage.cmake
      COMMENT "Making intspect.1 from 'intspect help'" VERBATIM)
    add_custom_target(intspect_man ALL DEPENDS ${PROJECT_BINARY_DIR}/intspect.1)
    install(FILES ${PROJECT_BINARY_DIR}/intspect.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  endif()
endif()
if(TARGET intspect_module)
  install(TARGETS intspect_module LIBRARY DESTINATION ${ISP_INSTALL_LUA_CMOD})
  install(FILES ${PROJECT_SOURCE_DIR}/harness/helper.lua
          DESTINATION ${ISP_INSTALL_LUA_LMOD}/intspect)
endif()

include(${CMAKE_CURRENT_LIST_DIR}/package.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/checks.cmake)
