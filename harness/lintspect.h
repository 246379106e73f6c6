/*
** lintspect.h -- the 'intspect' Lua module, shared by the loadable C
** module (intspect.so) and the intspect executable, which preloads it.
*/
#ifndef lintspect_h
#define lintspect_h

#include <lua.h>

/* Open the module: returns 1 with the module table on the stack. */
int luaopen_intspect(lua_State *L);

#endif
