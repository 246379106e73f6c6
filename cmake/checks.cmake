# cmake/checks.cmake -- tests of what is installed, and of the docs.
#
#   install.c_and_lua   tests/install/run.sh: installs this tree into a scratch
#                       prefix, builds tests/install/consumer/ outside the tree with
#                       pkg-config and with find_package, gcc and clang, static and
#                       shared, and runs it; loads the installed Lua module with
#                       lua5.4, runs a spec with a stock busted and with the
#                       installed intspect; checks the man page and the versions.
#
# Only in this (non-sanitizer) tree: install rules exist only here.
find_program(ISP_SH sh)
add_test(NAME install.c_and_lua
         COMMAND ${ISP_SH} ${PROJECT_SOURCE_DIR}/tests/install/run.sh
                 ${PROJECT_BINARY_DIR} ${PROJECT_VERSION} ${ISP_SOVERSION}
                 ${ISP_INSTALL_LUA_CMOD} ${ISP_INSTALL_LUA_LMOD} ${CMAKE_INSTALL_LIBDIR}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(install.c_and_lua PROPERTIES TIMEOUT 300)

#   docs.code_blocks    tests/docs/check_blocks.lua: every code block of README.md,
#                       docs/ and examples/ runs (lua, C, sh, "$ " transcripts),
#                       and prints what the docs show; the annotations that keep
#                       a block from running are listed in the script.
if(TARGET intspect)
  add_test(NAME docs.code_blocks
           COMMAND intspect run ${PROJECT_SOURCE_DIR}/tests/docs/check_blocks.lua
                   ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(docs.code_blocks PROPERTIES TIMEOUT 300)
endif()
