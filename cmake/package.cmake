# cmake/package.cmake -- the Debian package: `cpack -G DEB` in a build tree.
#
# The package holds exactly what `cmake --install` installs, under /usr.
# Configure the tree with -DCMAKE_INSTALL_PREFIX=/usr to get Debian's
# multiarch directories (lib/x86_64-linux-gnu, and the Lua module in
# lua5.4's INSTALL_CMOD); with the default prefix the files go to
# /usr/lib and /usr/lib/lua/5.4, which work as well.
# packaging/deb.sh does that and checks the result.
set(CPACK_PACKAGE_NAME intspect)
set(CPACK_PACKAGE_VENDOR "intspect")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
"intspect is a C int runtime that manages integer objects the way CPython
2.7 and 3.11-3.14 do (the small-int cache, object layouts, refcounts,
allocators, exact arithmetic with CPython's errors), embedded in Lua 5.4.
This package holds the intspect command (spec, run, replay), the C library
libintspect (shared and static) with its header, pkg-config file and CMake
package, the Lua module for lua5.4, and the helpers for a stock busted.")
set(ISP_PACKAGE_MAINTAINER "intspect maintainers <maintainers@users.noreply.h-seed-b2405e61.example>"
    CACHE STRING "the Maintainer field of the Debian package")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${ISP_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)      # intspect_0.1.0_amd64.deb
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# What the installed files need, by hand rather than from dpkg-shlibdeps
# (dpkg-dev is not a build dependency): intspect links Lua 5.4 and, for
# `intspect replay`, GMP; `intspect spec` runs Debian's busted, whose
# modules it loads into its own Lua.  The library and the Lua module need
# only libc and libm.  packaging/deb.sh checks this list against the
# installed files' DT_NEEDED entries.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.34), liblua5.4-0 (>= 5.4.4), libgmp10, lua-busted (>= 2.1)")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "lua5.4, pkg-config")
# No maintainer scripts: libc-bin's trigger runs ldconfig for the library.
set(CPACK_GENERATOR DEB)
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/")
include(CPack)
