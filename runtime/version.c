/*
** version.c -- isp_version: the version of the library itself.
**
** A program compiled against one intspect.h may run with another build of
** the shared library; INTSPECT_VERSION is what it was compiled against,
** isp_version() what it runs with (docs/API.md, "Versions and
** compatibility").
*/
#include "intspect.h"

const char *isp_version(void) { return INTSPECT_VERSION; }
