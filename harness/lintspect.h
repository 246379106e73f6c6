/*
** lintspect.h -- the 'intspect' Lua module, shared by the loadable C
** module (intspect.so) and the intspect executable, which preloads it.
*/
#ifndef lintspect_h
#define lintspect_h

#include <lua.h>

#include "intspect.h"

/* Open the module: returns 1 with the module table on the stack. */
int luaopen_intspect(lua_State *L);
/* Open the standard libraries and the module as the global 'intspect'
** (also preloaded for require); a lua_CFunction, to call protected. */
int lintspect_openlibs(lua_State *L);
/* A message handler for lua_pcall: the error's message, error objects
** speaking through __tostring, followed by a traceback. */
int lintspect_msghandler(lua_State *L);
/* lua_pcall of the function below 'nargs' arguments with that handler;
** the status, with the message on the stack when it is not LUA_OK. */
int lintspect_pcall(lua_State *L, int nargs, int nres);

/*
** For other C files of the harness (after the module is open in L):
** lintspect_toruntime gives the isp_runtime of the runtime userdata at
** 'idx' (NULL if it is not one, or is closed); lintspect_newint pushes an
** empty int handle bound to the runtime userdata at 'rtidx' (raises if it
** is not one), made before the int it will hold so that a Lua memory error
** strands no reference; lintspect_fillint then gives the handle at 'idx'
** the new reference v (raises, dropping v, if it cannot be stored).
** Making the handle allocates, and any Lua allocation may run finalizers
** that close the runtime: take the isp_runtime with lintspect_toruntime
** after lintspect_newint, and make no Lua allocation between that and
** lintspect_fillint.
*/
isp_runtime *lintspect_toruntime(lua_State *L, int idx);
void lintspect_newint(lua_State *L, int rtidx);
void lintspect_fillint(lua_State *L, int idx, isp_int *v);

/*
** Attach the recorder 'rec' (harness/trace.h) to the runtime userdata at
** 'idx', or detach it (NULL): from then on every call the module makes on
** that runtime is told to it, including the reference drops of closing
** and resetting.  The caller keeps 'rec' alive until it detaches it or
** the runtime is closed.  -1 if 'idx' is not an open runtime.
*/
struct tr_recorder;
int lintspect_record(lua_State *L, int idx, struct tr_recorder *rec);

#endif
