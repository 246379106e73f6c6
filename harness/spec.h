/*
** spec.h -- process support for the spec runner: spawning, deadlines,
** the result channel.  Opened by main.c for harness/spec.lua only.
*/
#ifndef spec_h
#define spec_h

#include <lua.h>

/* Push the support table (run, self_exe, isatty, cpu_count, write_fd). */
int spec_open(lua_State *L);

#endif
