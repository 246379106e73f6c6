/*
** lintspect.c -- the 'intspect' Lua module: runtimes and int handles.
**
** Binds the public C API (runtime/intspect.h) to Lua 5.4.  This file holds
** no integer logic: every value operation is one call into the C API, and
** this file only checks Lua arguments, keeps handles honest and turns the
** runtime's pending error into a Lua error object.
**
** No script may crash the process, whatever it does: the debug library
** reaches every metatable, upvalue, user value and the registry, a
** finalizer can run Lua code at any allocation, and any C function of the
** module can be called by hand with any arguments.  Hence:
**   - userdata are recognised by their size and a magic word written only
**     by this file, never by their metatable, which a script can change;
**   - Lua-owned memory is never pointed to from C.  A runtime userdata
**     points to its 'core' (C memory: the isp_runtime and a table of
**     slots, one per reference a handle owns); a handle holds only the
**     serial number of its runtime, a slot index and the slot's
**     generation, and reaches the core through its user value (the
**     runtime userdata), checked against the serial on every use.  A
**     handle that is never finalized (its __gc removed) only keeps its
**     slot, and thus its object, until the runtime is reset or closed;
**   - every core is on a process-wide list, so a runtime whose finalizer
**     was removed is still closed when its Lua state closes (the
**     'keeper', a userdata in the registry, does it) and its memory is
**     never lost;
**   - a C function does all the Lua allocation it needs (result handles
**     first) before it looks up the runtime and the objects it works on,
**     and between that look-up and its last use of them it makes no call
**     that can run a garbage collection step, and so no finalizer: a
**     finalizer may release handles, reset or close the runtime between
**     any two allocations.  Error texts of the runtime are copied out
**     before the error object is made;
**   - metatables are protected (__metatable) so that getmetatable and
**     setmetatable see a placeholder; nothing depends on them staying so;
**   - finalizers (__gc, __close) accept anything and do nothing when
**     given something that is not theirs, and are idempotent.
**
** Errors are tables {type=, message=} with a shared metatable whose
** __tostring gives "Type: message".
**
** Every C function of the module shares three upvalues, the metatables of
** ints, runtimes and errors; a script can replace them (debug.setupvalue),
** so they are checked to be tables before use.
*/
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "intspect.h"
#include "lintspect.h"
#include "intspect_lua.h"   /* li_lua_source: the Lua half of the module */
#include "trace.h"          /* the recording hook of `intspect explore` */

/* Registry keys of the int and runtime metatables and of the keeper. */
#define LI_REG_INTMT "intspect.int metatable"
#define LI_REG_RTMT "intspect.runtime metatable"
#define LI_REG_KEEPER "intspect.keeper"

#define UV_INTMT  lua_upvalueindex(1)
#define UV_RTMT   lua_upvalueindex(2)
#define UV_ERRMT  lua_upvalueindex(3)
#define LI_NUPS   3

/* Limits on runtime options, so a typo cannot ask for gigabytes. */
#define LI_MAX_RANGE ((int64_t)1 << 24)
/* Largest to_bytes length tried; beyond it the answer is MemoryError. */
#define LI_MAX_BYTES ((int64_t)1 << 31)

/* Magic words: the first field of each userdata this file makes. */
#define LI_MAGIC_RT     UINT64_C(0x69737072756e7431)   /* "isprunt1" */
#define LI_MAGIC_INT    UINT64_C(0x697370696e746831)   /* "ispinth1" */
#define LI_MAGIC_KEEPER UINT64_C(0x6973706b65657031)   /* "ispkeep1" */

#define LI_NOSLOT UINT32_MAX

/* One reference owned by a handle: the object, and a generation bumped
** every time the slot is emptied so that a stale handle never matches. */
typedef struct li_slot {
  isp_int *v;              /* NULL when free */
  uint64_t gen;
  uint32_t next;           /* the free list */
} li_slot;

/* A runtime's C side; only C points to it. */
typedef struct li_core {
  isp_runtime *R;          /* NULL once torn down */
  const void *owner;       /* the main thread of the Lua state that made it */
  uint64_t serial;         /* unique in the process */
  uint64_t epoch;          /* bumped by reset(): older handles are invalid */
  li_slot *slot;
  uint32_t nslot, cap, free;
  struct li_core *prev, *next;  /* li_cores */
  tr_recorder *rec;        /* told every call made on R, or NULL (lintspect_record) */
} li_core;

/* Tell the core's recorder, if it has one, about the call just made. */
#define LI_REC(c, call) ((c)->rec != NULL ? (void)(call) : (void)0)

/* The runtime userdata. */
typedef struct li_runtime {
  uint64_t magic;
  uint64_t serial;         /* its core's, kept after the core is gone */
  li_core *core;           /* NULL before creation and once closed */
} li_runtime;

/* Where a handle stands. */
enum { LI_UNSET, LI_LIVE, LI_RELEASED };

/* The int handle userdata; its user value 1 is the runtime userdata. */
typedef struct li_handle {
  uint64_t magic;
  uint64_t serial;         /* the runtime it was made for */
  uint64_t epoch;          /* the core's epoch when it was filled */
  uint64_t gen;            /* its slot's generation when it was filled */
  uint32_t slot;
  int state;
} li_handle;

/* Closes, when its Lua state closes, the runtimes left open there. */
typedef struct li_keeper {
  uint64_t magic;
  const void *owner;
} li_keeper;

/* Every core not yet freed, whichever Lua state made it. */
static pthread_mutex_t li_lock = PTHREAD_MUTEX_INITIALIZER;
static li_core *li_cores;
static uint64_t li_serial;


/*
** {======================================================================
** Errors
** =======================================================================
*/

/* Push an error object {type=, message=} built from 'msg'.  The error
** metatable upvalue is used only while it is a table. */
static void li_pusherror(lua_State *L, const char *type, const char *msg) {
  lua_createtable(L, 0, 2);
  lua_pushstring(L, type);
  lua_setfield(L, -2, "type");
  lua_pushstring(L, msg);
  lua_setfield(L, -2, "message");
  if (lua_type(L, UV_ERRMT) == LUA_TTABLE) {
    lua_pushvalue(L, UV_ERRMT);
    lua_setmetatable(L, -2);
  }
}

static int li_raise(lua_State *L, const char *type, const char *fmt, ...) {
  const char *msg;
  va_list ap;
  va_start(ap, fmt);
  msg = lua_pushvfstring(L, fmt, ap);
  va_end(ap);
  li_pusherror(L, type, msg);
  return lua_error(L);
}

/* A runtime's pending error, copied out of the runtime so that the
** runtime may go (a finalizer may close it) while the error object is
** made. */
typedef struct li_errcopy {
  const char *type;        /* a static name */
  char msg[1024];
} li_errcopy;

static void li_takeerror(isp_runtime *R, li_errcopy *e) {
  isp_errtype t = isp_error_type(R);
  const char *msg;
  if (t == ISP_OK) {
    /* a NULL result without an error is a bug in the C API; report it
    ** as CPython reports the same thing */
    e->type = "SystemError";
    msg = "error return without exception set";
  } else {
    e->type = isp_errtype_name(t);
    msg = isp_error_message(R);
  }
  strncpy(e->msg, msg ? msg : "", sizeof e->msg - 1);
  e->msg[sizeof e->msg - 1] = '\0';
  isp_error_clear(R);
}

static int li_raisecopy(lua_State *L, const li_errcopy *e) {
  li_pusherror(L, e->type, e->msg);
  return lua_error(L);
}

/* "Type: message", or just "Type" when the message is empty (a bare
** MemoryError), as Python prints them.  Never raises: whatever a script
** put in the fields, the result is a string. */
static int li_errtostring(lua_State *L) {
  const char *type = NULL, *msg = NULL;
  if (lua_type(L, 1) == LUA_TTABLE) {
    lua_pushliteral(L, "type");
    if (lua_rawget(L, 1) == LUA_TSTRING) type = lua_tostring(L, -1);
    lua_pushliteral(L, "message");
    if (lua_rawget(L, 1) == LUA_TSTRING) msg = lua_tostring(L, -1);
  }
  if (type == NULL) type = "Error";
  if (msg == NULL) msg = "?";
  if (*msg == '\0') lua_pushstring(L, type);
  else lua_pushfstring(L, "%s: %s", type, msg);
  return 1;
}

/* intspect.new_error(type, message): an error object as the module raises. */
static int li_new_error(lua_State *L) {
  li_pusherror(L, luaL_checkstring(L, 1), luaL_checkstring(L, 2));
  return 1;
}

static int li_is_error(lua_State *L) {
  int ok = lua_getmetatable(L, 1) && lua_rawequal(L, -1, UV_ERRMT);
  lua_pushboolean(L, ok);
  return 1;
}

/* }====================================================================== */


/*
** {======================================================================
** Recognising userdata
** =======================================================================
*/

static void *li_toudata(lua_State *L, int idx, size_t size, uint64_t magic) {
  uint64_t *p;
  if (lua_type(L, idx) != LUA_TUSERDATA || lua_rawlen(L, idx) != size) return NULL;
  p = (uint64_t *)lua_touserdata(L, idx);
  return (p != NULL && *p == magic) ? p : NULL;
}

static li_handle *li_tohandle(lua_State *L, int idx) {
  return (li_handle *)li_toudata(L, idx, sizeof(li_handle), LI_MAGIC_INT);
}

static li_runtime *li_tort(lua_State *L, int idx) {
  return (li_runtime *)li_toudata(L, idx, sizeof(li_runtime), LI_MAGIC_RT);
}

/* The name a message gives the value at 'idx'. */
static const char *li_typename(lua_State *L, int idx) {
  if (li_tohandle(L, idx)) return "int";
  if (li_tort(L, idx)) return "runtime";
  if (lua_type(L, idx) == LUA_TNUMBER)
    return lua_isinteger(L, idx) ? "integer" : "float";
  return luaL_typename(L, idx);
}

/* Give the new userdata at the top the metatable at 'mtidx', if that is
** still a table (a script may have replaced an upvalue or registry key). */
static void li_setmeta(lua_State *L, int mtidx) {
  if (lua_type(L, mtidx) != LUA_TTABLE)
    li_raise(L, "SystemError", "intspect: the module's metatables were tampered with");
  lua_pushvalue(L, mtidx);
  lua_setmetatable(L, -2);
}

/* }====================================================================== */


/*
** {======================================================================
** Cores and slots (C memory only; nothing here calls Lua)
** =======================================================================
*/

static li_core *li_core_new(const void *owner) {
  li_core *c = (li_core *)calloc(1, sizeof *c);
  if (c == NULL) return NULL;
  c->owner = owner;
  c->free = LI_NOSLOT;
  pthread_mutex_lock(&li_lock);
  c->serial = ++li_serial;
  c->next = li_cores;
  if (li_cores) li_cores->prev = c;
  li_cores = c;
  pthread_mutex_unlock(&li_lock);
  return c;
}

/* A new slot holding 'v'; -1 when there is no memory for one. */
static int li_slot_put(li_core *c, isp_int *v, uint32_t *idx) {
  uint32_t i;
  if (c->free != LI_NOSLOT) {
    i = c->free;
    c->free = c->slot[i].next;
  } else {
    if (c->nslot == c->cap) {
      uint32_t cap = c->cap ? c->cap * 2 : 64;
      li_slot *s;
      if (c->cap >= (UINT32_MAX - 1) / 2) return -1;
      s = (li_slot *)realloc(c->slot, (size_t)cap * sizeof *s);
      if (s == NULL) return -1;
      c->slot = s;
      c->cap = cap;
    }
    i = c->nslot++;
    c->slot[i].gen = 0;
  }
  c->slot[i].v = v;
  c->slot[i].next = LI_NOSLOT;
  *idx = i;
  return 0;
}

/* Empty slot 'i', dropping its reference. */
static void li_slot_drop(li_core *c, uint32_t i) {
  isp_int *v = c->slot[i].v;
  c->slot[i].v = NULL;
  c->slot[i].gen++;
  c->slot[i].next = c->free;
  c->free = i;
  if (v != NULL) {
    LI_REC(c, tr_rec_decref(c->rec, v));
    isp_decref(c->R, v);
  }
}

/* Empty every slot (reset, close): every handle of the core goes stale. */
static void li_slot_dropall(li_core *c) {
  uint32_t i;
  c->epoch++;
  for (i = 0; i < c->nslot; i++)
    if (c->slot[i].v != NULL) li_slot_drop(c, i);
}

/* Close the core's runtime: its handles' references first, so that an
** int a script still holds is not a leak. */
static size_t li_core_teardown(li_core *c, isp_leak_fn fn, void *ud) {
  size_t count = 0;
  if (c->R != NULL) {
    li_slot_dropall(c);
    count = isp_runtime_close(c->R, fn, ud);
    c->R = NULL;
  }
  free(c->slot);
  c->slot = NULL;
  c->nslot = c->cap = 0;
  c->free = LI_NOSLOT;
  return count;
}

static void li_core_free(li_core *c) {
  li_core_teardown(c, NULL, NULL);
  pthread_mutex_lock(&li_lock);
  if (c->prev) c->prev->next = c->next;
  else li_cores = c->next;
  if (c->next) c->next->prev = c->prev;
  pthread_mutex_unlock(&li_lock);
  free(c);
}

/* The main thread of L's state: what cores and keepers are owned by. */
static const void *li_owner(lua_State *L) {
  const void *p;
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
  p = lua_tothread(L, -1);
  lua_pop(L, 1);
  return p;
}

/*
** The keeper's __gc: tear down the runtimes its state left open (their
** own finalizers were removed, or have not run).  The cores stay allocated
** and listed: a runtime userdata may still point to one, and frees it.
*/
static int li_keeper_gc(lua_State *L) {
  li_keeper *k = (li_keeper *)li_toudata(L, 1, sizeof(li_keeper), LI_MAGIC_KEEPER);
  li_core *c;
  if (k == NULL || k->owner == NULL) return 0;
  pthread_mutex_lock(&li_lock);
  for (c = li_cores; c != NULL; c = c->next)
    if (c->owner == k->owner && c->R != NULL) li_core_teardown(c, NULL, NULL);
  pthread_mutex_unlock(&li_lock);
  k->owner = NULL;
  return 0;
}

/* }====================================================================== */


/*
** {======================================================================
** Checking arguments
** =======================================================================
*/

/* Argument 1 must be a runtime (open or not): raises otherwise. */
static li_runtime *li_rtself(lua_State *L) {
  li_runtime *rt = li_tort(L, 1);
  if (rt == NULL)
    li_raise(L, "TypeError", "expected a runtime as self (use R:method()), got %s",
             li_typename(L, 1));
  return rt;
}

/* The core of an open runtime, or a raised ValueError. */
static li_core *li_opencore(lua_State *L, li_runtime *rt) {
  if (rt->core == NULL || rt->core->R == NULL)
    li_raise(L, "ValueError", "runtime is closed");
  return rt->core;
}

/* 'self' of a runtime method: a runtime that is still open. */
static li_core *li_checkruntime(lua_State *L) {
  return li_opencore(L, li_rtself(L));
}

/*
** Where the handle 'h' at 'idx' stands: NULL when it holds an object of
** an open runtime (then *pc and *pv are set), else why not.  Calls no
** function that can collect garbage, so it may be used between a look-up
** and the work.
*/
static const char *li_lookup(lua_State *L, int idx, li_handle *h, li_core **pc,
                             isp_int **pv) {
  li_runtime *rt;
  li_core *c;
  if (h->state == LI_UNSET) return "int handle holds no int (the operation making it failed)";
  if (h->state != LI_LIVE) return "int handle has been released";
  lua_getiuservalue(L, idx, 1);
  rt = li_tort(L, -1);
  lua_pop(L, 1);    /* the handle keeps it alive */
  if (rt == NULL || rt->serial != h->serial)
    return "int handle has lost its runtime (its user value was replaced)";
  c = rt->core;
  if (c == NULL || c->R == NULL) return "int handle's runtime is closed";
  if (h->epoch != c->epoch) return "int handle was released by its runtime's reset()";
  if (h->slot >= c->nslot || c->slot[h->slot].gen != h->gen || c->slot[h->slot].v == NULL)
    return "int handle has been released";
  *pc = c;
  *pv = c->slot[h->slot].v;
  return NULL;
}

/* The object of the live handle 'h' at 'idx', of core 'c' when c is not
** NULL; raises otherwise.  Sets *pc when given. */
static isp_int *li_checklive(lua_State *L, int idx, li_handle *h, li_core *c,
                             li_core **pc) {
  li_core *hc;
  isp_int *v;
  const char *why = li_lookup(L, idx, h, &hc, &v);
  if (why != NULL) li_raise(L, "ValueError", "%s", why);
  if (c != NULL && hc != c) li_raise(L, "ValueError", "ints from different runtimes");
  if (pc) *pc = hc;
  return v;
}

/* Argument 'idx' must be a live handle of 'c' (object-model functions). */
static isp_int *li_checkhandle(lua_State *L, int idx, li_core *c) {
  li_handle *h = li_tohandle(L, idx);
  if (h == NULL)
    li_raise(L, "TypeError", "argument #%d: expected an int, got %s",
             idx - 1, li_typename(L, idx));
  return li_checklive(L, idx, h, c, NULL);
}

/* An optional Lua integer argument (floats with an integral value pass). */
static lua_Integer li_optinteger(lua_State *L, int idx, const char *what,
                                 lua_Integer dflt) {
  int isnum;
  lua_Integer n;
  if (lua_isnoneornil(L, idx)) return dflt;
  n = lua_tointegerx(L, idx, &isnum);
  if (!isnum || lua_type(L, idx) != LUA_TNUMBER) {
    if (lua_type(L, idx) == LUA_TNUMBER)  /* NaN, inf, 2.5 */
      li_raise(L, "TypeError", "%s must be an integer, got %s", what,
               lua_pushfstring(L, "%f", lua_tonumber(L, idx)));
    li_raise(L, "TypeError", "%s must be an integer, got %s", what,
             li_typename(L, idx));
  }
  return n;
}

/* Lua integers beyond an int become a value the C API rejects itself. */
static int li_clampint(lua_Integer n) {
  return (n < INT_MIN || n > INT_MAX) ? INT_MAX : (int)n;
}

static int li_optorder(lua_State *L, int idx) {
  const char *s;
  if (lua_isnoneornil(L, idx)) return 0;
  if (lua_type(L, idx) != LUA_TSTRING)
    li_raise(L, "TypeError", "byteorder must be a string, got %s", li_typename(L, idx));
  s = lua_tostring(L, idx);
  if (strcmp(s, "little") == 0) return 1;
  if (strcmp(s, "big") == 0) return 0;
  return li_raise(L, "ValueError", "byteorder must be either 'little' or 'big'");
}

static int li_optsigned(lua_State *L, int idx) {
  if (lua_isnoneornil(L, idx)) return 0;
  if (lua_type(L, idx) != LUA_TBOOLEAN)
    li_raise(L, "TypeError", "signed must be a boolean, got %s", li_typename(L, idx));
  return lua_toboolean(L, idx);
}

/* }====================================================================== */


/*
** {======================================================================
** Handles
** =======================================================================
*/

/*
** Push an empty handle bound to the runtime userdata at 'rtidx'.  Handles
** are made before the operation that fills them, so that a Lua memory
** error can never strand a reference, and before the runtime and the
** operands are looked up, since making it may run a finalizer.
*/
static void li_newhandle_mt(lua_State *L, int rtidx, int mtidx) {
  li_runtime *rt;
  li_handle *h;
  rtidx = lua_absindex(L, rtidx);
  mtidx = mtidx < 0 && mtidx > LUA_REGISTRYINDEX ? lua_absindex(L, mtidx) : mtidx;
  rt = li_tort(L, rtidx);
  if (rt == NULL) li_raise(L, "TypeError", "expected a runtime, got %s", li_typename(L, rtidx));
  h = (li_handle *)lua_newuserdatauv(L, sizeof(li_handle), 1);
  memset(h, 0, sizeof *h);
  h->magic = LI_MAGIC_INT;
  h->serial = rt->serial;
  h->slot = LI_NOSLOT;
  h->state = LI_UNSET;
  lua_pushvalue(L, rtidx);
  lua_setiuservalue(L, -2, 1);
  li_setmeta(L, mtidx);
}

static void li_newhandle(lua_State *L, int rtidx) {
  li_newhandle_mt(L, rtidx, UV_INTMT);
}

/*
** Operands converted for one call: Lua integers become new objects that
** must be dropped on every exit, including the error exits.
*/
typedef struct li_tmp {
  isp_runtime *R;
  int n;
  isp_int *v[3];
  tr_recorder *rec;        /* the core's, set when a temporary is added */
} li_tmp;

static void li_tmpdrop(li_tmp *t) {
  while (t->n > 0) {
    t->n--;
    if (t->rec != NULL) tr_rec_decref(t->rec, t->v[t->n]);
    isp_decref(t->R, t->v[t->n]);
  }
}

/* Raise the runtime's pending error after dropping the temporaries. */
static int li_rterror(lua_State *L, li_tmp *t) {
  li_errcopy e;
  li_takeerror(t->R, &e);
  li_tmpdrop(t);
  return li_raisecopy(L, &e);
}

/*
** Give the empty handle at 'hidx' the new reference 'v' (NULL: raise the
** runtime's error) of core 'c'.  The handle must have been made for c's
** runtime; on any failure 'v' and the temporaries are dropped.
*/
static void li_fill(lua_State *L, li_core *c, int hidx, isp_int *v, li_tmp *t) {
  li_handle *h = li_tohandle(L, hidx);
  uint32_t i;
  if (v == NULL) li_rterror(L, t);
  if (h == NULL || h->state != LI_UNSET || h->serial != c->serial) {
    LI_REC(c, tr_rec_decref(c->rec, v));
    isp_decref(c->R, v);
    li_tmpdrop(t);
    li_raise(L, "ValueError", "int handle changed runtime during the operation");
  }
  if (li_slot_put(c, v, &i) != 0) {
    LI_REC(c, tr_rec_decref(c->rec, v));
    isp_decref(c->R, v);
    li_tmpdrop(t);
    li_raise(L, "MemoryError", "");
  }
  h->slot = i;
  h->gen = c->slot[i].gen;
  h->epoch = c->epoch;
  h->state = LI_LIVE;
}

/* Drop what handle 'h' at 'idx' holds, if anything; it is released. */
static void li_drophandle(lua_State *L, int idx, li_handle *h) {
  li_core *c;
  isp_int *v;
  if (h->state == LI_LIVE && li_lookup(L, idx, h, &c, &v) == NULL) li_slot_drop(c, h->slot);
  if (h->state == LI_LIVE) h->state = LI_RELEASED;
}

/*
** The value argument at 'idx' as an object of 'c': a handle (borrowed)
** or a Lua integer (a new object, kept in 't').  Errors drop 't' first.
*/
static isp_int *li_value(lua_State *L, li_core *c, int idx, li_tmp *t,
                         const char *what) {
  li_handle *h;
  li_core *hc;
  isp_int *v;
  const char *why;
  if (lua_type(L, idx) == LUA_TNUMBER && lua_isinteger(L, idx)) {
    v = isp_from_i64(c->R, (int64_t)lua_tointeger(L, idx));
    LI_REC(c, tr_rec_i64(c->rec, (int64_t)lua_tointeger(L, idx), v));
    if (v == NULL) li_rterror(L, t);
    t->rec = c->rec;
    t->v[t->n++] = v;
    return v;
  }
  h = li_tohandle(L, idx);
  if (h == NULL) {
    li_tmpdrop(t);
    li_raise(L, "TypeError", "%s: expected an int or a Lua integer, got %s",
             what, li_typename(L, idx));
  }
  why = li_lookup(L, idx, h, &hc, &v);
  if (why == NULL && hc != c) why = "ints from different runtimes";
  if (why != NULL) {
    li_tmpdrop(t);
    li_raise(L, "ValueError", "%s", why);
  }
  return v;
}

/* }====================================================================== */


/*
** {======================================================================
** Int handle metamethods and methods
** =======================================================================
*/

typedef isp_int *(*li_binfn)(isp_runtime *, isp_int *, isp_int *);

enum { OP_ADD, OP_SUB, OP_MUL, OP_TRUEDIV, OP_FLOORDIV, OP_MOD, OP_POW,
       OP_LSHIFT, OP_RSHIFT, OP_AND, OP_OR, OP_XOR };

static const char *const li_opsym[] = {
  "+", "-", "*", "/", "//", "%", "** or pow()", "<<", ">>", "&", "|", "^"
};

static const li_binfn li_opfn[] = {
  isp_add, isp_sub, isp_mul, NULL, isp_floordiv, isp_mod, NULL,
  isp_lshift, isp_rshift, isp_and, isp_or, isp_xor
};

/* The same operators as the recorder names them. */
static const tr_op li_optr[] = {
  TR_ADD, TR_SUB, TR_MUL, TR_TRUEDIV, TR_FLOORDIV, TR_MOD, TR_POW,
  TR_LSHIFT, TR_RSHIFT, TR_AND, TR_OR, TR_XOR
};

/*
** The handle among the two operands of a metamethod (a script may call
** one with anything): its index, after checking that it is live.
*/
static int li_handlearg(lua_State *L, const char *what) {
  int idx = li_tohandle(L, 1) ? 1 : li_tohandle(L, 2) ? 2 : 0;
  if (idx == 0)
    return li_raise(L, "TypeError", "%s called without an int (got %s and %s)", what,
                    li_typename(L, 1), li_typename(L, 2));
  li_checklive(L, idx, li_tohandle(L, idx), NULL, NULL);
  return idx;
}

static int li_isfloat(lua_State *L, int idx) {
  return lua_type(L, idx) == LUA_TNUMBER && !lua_isinteger(L, idx);
}

/* Python's name for the type of an operand. */
static const char *li_pytype(lua_State *L, int idx) {
  if (lua_type(L, idx) == LUA_TNUMBER) return lua_isinteger(L, idx) ? "int" : "float";
  return li_typename(L, idx);
}

/* A float operand as Python sees it: the other side is converted to float. */
static double li_asdouble(lua_State *L, li_core *c, int idx) {
  double d;
  li_handle *h;
  isp_int *v;
  li_tmp t;
  if (lua_type(L, idx) == LUA_TNUMBER) return (double)lua_tonumber(L, idx);
  h = li_tohandle(L, idx);
  if (h == NULL)
    li_raise(L, "TypeError", "unsupported operand type(s): '%s' and float", li_typename(L, idx));
  v = li_checklive(L, idx, h, c, NULL);
  LI_REC(c, tr_rec_read(c->rec, TR_TO_DOUBLE, v, NULL, 0, 0));
  if (isp_to_double(c->R, v, &d) != 0) {
    t.R = c->R;
    t.n = 0;
    li_rterror(L, &t);
  }
  return d;
}

/*
** int op float follows Python (the int becomes a float) for + - *; the
** other operators do not take floats here (documented).
*/
static int li_floatop(lua_State *L, li_core *c, int op) {
  double x, y;
  if (op != OP_ADD && op != OP_SUB && op != OP_MUL)
    return li_raise(L, "TypeError", "unsupported operand type(s) for %s: '%s' and '%s'",
                    li_opsym[op], li_pytype(L, 1), li_pytype(L, 2));
  x = li_asdouble(L, c, 1);
  y = li_asdouble(L, c, 2);
  lua_pushnumber(L, op == OP_ADD ? x + y : op == OP_SUB ? x - y : x * y);
  return 1;
}

static int li_binop(lua_State *L, int op) {
  int hidx;
  li_core *c;
  li_tmp t;
  isp_int *a, *b;
  lua_settop(L, 2);
  hidx = li_handlearg(L, "an int metamethod");
  if (li_isfloat(L, 1) || li_isfloat(L, 2)) {
    li_checklive(L, hidx, li_tohandle(L, hidx), NULL, &c);
    return li_floatop(L, c, op);
  }
  if (op != OP_TRUEDIV) {
    lua_getiuservalue(L, hidx, 1);          /* 3: the runtime userdata */
    li_newhandle(L, 3);                     /* 4: the result */
  }
  /* from here on no garbage collection step until the result is stored */
  li_checklive(L, hidx, li_tohandle(L, hidx), NULL, &c);
  t.R = c->R;
  t.n = 0;
  a = li_value(L, c, 1, &t, "left operand");
  b = li_value(L, c, 2, &t, "right operand");
  if (op == OP_TRUEDIV) {
    double d;
    LI_REC(c, tr_rec_read(c->rec, TR_TRUEDIV, a, b, 0, 0));
    if (isp_truediv(c->R, a, b, &d) != 0) li_rterror(L, &t);
    li_tmpdrop(&t);
    lua_pushnumber(L, d);
    return 1;
  }
  if (op == OP_POW) {
    isp_int *r = NULL;
    double d;
    int k = isp_pow(c->R, a, b, NULL, &r, &d);
    LI_REC(c, tr_rec_pow(c->rec, a, b, NULL, k, r));
    if (k < 0) li_rterror(L, &t);
    if (k == 1) {
      li_tmpdrop(&t);
      lua_pushnumber(L, d);
      return 1;
    }
    li_fill(L, c, 4, r, &t);
    li_tmpdrop(&t);
    return 1;
  }
  {
    isp_int *r = li_opfn[op](c->R, a, b);
    LI_REC(c, tr_rec_make(c->rec, li_optr[op], a, b, r));
    li_fill(L, c, 4, r, &t);
  }
  li_tmpdrop(&t);
  return 1;
}

static int li_add(lua_State *L) { return li_binop(L, OP_ADD); }
static int li_sub(lua_State *L) { return li_binop(L, OP_SUB); }
static int li_mul(lua_State *L) { return li_binop(L, OP_MUL); }
static int li_div(lua_State *L) { return li_binop(L, OP_TRUEDIV); }
static int li_idiv(lua_State *L) { return li_binop(L, OP_FLOORDIV); }
static int li_mod(lua_State *L) { return li_binop(L, OP_MOD); }
static int li_powop(lua_State *L) { return li_binop(L, OP_POW); }
static int li_shl(lua_State *L) { return li_binop(L, OP_LSHIFT); }
static int li_shr(lua_State *L) { return li_binop(L, OP_RSHIFT); }
static int li_band(lua_State *L) { return li_binop(L, OP_AND); }
static int li_bor(lua_State *L) { return li_binop(L, OP_OR); }
static int li_bxor(lua_State *L) { return li_binop(L, OP_XOR); }

/* Unary operators: Lua passes the operand twice; only the first counts. */
static int li_unop(lua_State *L, isp_int *(*fn)(isp_runtime *, isp_int *)) {
  li_handle *h = li_tohandle(L, 1);
  li_core *c;
  li_tmp t;
  isp_int *v;
  lua_settop(L, 1);
  if (h == NULL)
    return li_raise(L, "TypeError", "an int metamethod called without an int (got %s)",
                    li_typename(L, 1));
  li_checklive(L, 1, h, NULL, NULL);
  lua_getiuservalue(L, 1, 1);
  li_newhandle(L, 2);                       /* 3: the result */
  v = li_checklive(L, 1, h, NULL, &c);
  t.R = c->R;
  t.n = 0;
  {
    isp_int *r = fn(c->R, v);
    LI_REC(c, tr_rec_make(c->rec, fn == isp_neg ? TR_NEG : TR_INVERT, v, NULL, r));
    li_fill(L, c, 3, r, &t);
  }
  return 1;
}

static int li_unm(lua_State *L) { return li_unop(L, isp_neg); }
static int li_bnot(lua_State *L) { return li_unop(L, isp_invert); }

/*
** Exact comparison of an int with a float, as Python does it: -1, 0, 1,
** or 2 when unordered (NaN).  The float's floor is made an int and
** compared; a fraction left over makes the float the larger.
*/
static int li_cmpfloat(lua_State *L, li_core *c, isp_int *a, double f) {
  double fl;
  isp_int *b;
  int r;
  if (f != f) return 2;
  if (isinf(f)) return f > 0 ? -1 : 1;
  fl = floor(f);
  b = isp_from_double(c->R, fl);
  LI_REC(c, tr_rec_double(c->rec, fl, b));
  if (b == NULL) {
    li_tmp t;
    t.R = c->R;
    t.n = 0;
    li_rterror(L, &t);
  }
  r = isp_compare(c->R, a, b);
  LI_REC(c, tr_rec_read(c->rec, TR_COMPARE, a, b, 0, 0));
  LI_REC(c, tr_rec_decref(c->rec, b));
  isp_decref(c->R, b);
  if (r == 0 && f != fl) r = -1;
  return r;
}

/* Compare operands 1 and 2: -1, 0, 1, or 2 when unordered. */
static int li_compare(lua_State *L) {
  int hidx, fidx, r;
  li_core *c;
  li_tmp t;
  isp_int *a, *b;
  lua_settop(L, 2);
  hidx = li_handlearg(L, "an int comparison");
  li_checklive(L, hidx, li_tohandle(L, hidx), NULL, &c);
  t.R = c->R;
  t.n = 0;
  fidx = li_isfloat(L, 1) ? 1 : li_isfloat(L, 2) ? 2 : 0;
  if (fidx != 0) {
    r = li_cmpfloat(L, c, li_value(L, c, hidx, &t, "operand"),
                    (double)lua_tonumber(L, fidx));
    li_tmpdrop(&t);
    if (r != 2 && fidx == 1) r = -r;
    return r;
  }
  a = li_value(L, c, 1, &t, "left operand");
  b = li_value(L, c, 2, &t, "right operand");
  r = isp_compare(c->R, a, b);
  LI_REC(c, tr_rec_read(c->rec, TR_COMPARE, a, b, 0, 0));
  li_tmpdrop(&t);
  return r;
}

static int li_lt(lua_State *L) {
  int r = li_compare(L);
  lua_pushboolean(L, r == -1);
  return 1;
}

static int li_le(lua_State *L) {
  int r = li_compare(L);
  lua_pushboolean(L, r == -1 || r == 0);
  return 1;
}

/* Lua calls __eq only for two userdata: equal values, never identity. */
static int li_eq(lua_State *L) {
  li_handle *ha = li_tohandle(L, 1), *hb = li_tohandle(L, 2);
  li_core *c;
  isp_int *a, *b;
  if (ha == NULL || hb == NULL) {
    lua_pushboolean(L, 0);
    return 1;
  }
  a = li_checklive(L, 1, ha, NULL, &c);
  b = li_checklive(L, 2, hb, c, NULL);
  LI_REC(c, tr_rec_read(c->rec, TR_COMPARE, a, b, 0, 0));
  lua_pushboolean(L, isp_compare(c->R, a, b) == 0);
  return 1;
}

/*
** Push str(v) in 'base'; raises the runtime's error (max_str_digits...).
** The text is copied out of the runtime before the Lua string is made: a
** finalizer run by that allocation may close the runtime.
*/
static void li_pushstr(lua_State *L, li_core *c, isp_int *v, int base, li_tmp *t) {
  size_t len;
  char *copy;
  char *s = isp_to_string(c->R, v, base, &len);
  LI_REC(c, tr_rec_read(c->rec, TR_TO_STRING, v, NULL, base, 0));
  if (s == NULL) li_rterror(L, t);
  copy = (char *)malloc(len + 1);
  if (copy != NULL) memcpy(copy, s, len);
  isp_free_string(c->R, s);
  li_tmpdrop(t);
  if (copy == NULL) li_raise(L, "MemoryError", "");
  lua_pushlstring(L, copy, len);  /* (a Lua memory error here strands 'copy') */
  free(copy);
}

static int li_tostring(lua_State *L) {
  li_handle *h = li_tohandle(L, 1);
  li_core *c;
  li_tmp t;
  isp_int *v;
  if (h == NULL)
    return li_raise(L, "TypeError", "__tostring of an int called without an int (got %s)",
                    li_typename(L, 1));
  v = li_checklive(L, 1, h, NULL, &c);
  t.R = c->R;
  t.n = 0;
  li_pushstr(L, c, v, 10, &t);
  return 1;
}

/* "x = " .. a: an int concatenates as its decimal text. */
static int li_concat(lua_State *L) {
  int i;
  lua_settop(L, 2);
  for (i = 1; i <= 2; i++) {
    li_handle *h = li_tohandle(L, i);
    if (h != NULL) {
      li_core *c;
      li_tmp t;
      isp_int *v = li_checklive(L, i, h, NULL, &c);
      t.R = c->R;
      t.n = 0;
      li_pushstr(L, c, v, 10, &t);
    } else if (lua_type(L, i) == LUA_TSTRING || lua_type(L, i) == LUA_TNUMBER) {
      lua_pushvalue(L, i);
    } else {
      return li_raise(L, "TypeError", "attempt to concatenate a %s value", li_typename(L, i));
    }
  }
  lua_concat(L, 2);
  return 1;
}

/* __gc: drop the reference; anything else (a call by hand) is ignored. */
static int li_gc(lua_State *L) {
  li_handle *h = li_tohandle(L, 1);
  if (h != NULL) li_drophandle(L, 1, h);
  return 0;
}

/* a:release(): drop the reference now; later use raises. */
static int li_release(lua_State *L) {
  li_handle *h = li_tohandle(L, 1);
  if (h == NULL)
    return li_raise(L, "TypeError", "expected an int as self (use a:release()), got %s",
                    li_typename(L, 1));
  li_checklive(L, 1, h, NULL, NULL);
  li_drophandle(L, 1, h);
  return 0;
}

/* __close: like release, but quiet when the handle is already dead and
** when given something that is not a handle. */
static int li_closehandle(lua_State *L) {
  return li_gc(L);
}

/* 'self' of an int method: its object (and core). */
static isp_int *li_self(lua_State *L, li_core **pc) {
  li_handle *h = li_tohandle(L, 1);
  if (h == NULL)
    li_raise(L, "TypeError", "expected an int as self (use a:method()), got %s",
             li_typename(L, 1));
  return li_checklive(L, 1, h, NULL, pc);
}

static int li_tofloat(lua_State *L) {
  li_core *c;
  isp_int *v = li_self(L, &c);
  double d;
  LI_REC(c, tr_rec_read(c->rec, TR_TO_DOUBLE, v, NULL, 0, 0));
  if (isp_to_double(c->R, v, &d) != 0) {
    li_tmp t = { c->R, 0, { NULL, NULL, NULL }, NULL };
    return li_rterror(L, &t);
  }
  lua_pushnumber(L, d);
  return 1;
}

static int li_tointeger(lua_State *L) {
  li_core *c;
  isp_int *v = li_self(L, &c);
  int64_t n;
  LI_REC(c, tr_rec_read(c->rec, TR_TO_I64, v, NULL, 0, 0));
  if (isp_to_i64(c->R, v, &n) != 0) {
    li_tmp t = { c->R, 0, { NULL, NULL, NULL }, NULL };
    return li_rterror(L, &t);
  }
  lua_pushinteger(L, (lua_Integer)n);
  return 1;
}

static int li_bit_length(lua_State *L) {
  li_core *c;
  isp_int *v = li_self(L, &c);
  LI_REC(c, tr_rec_read(c->rec, TR_BIT_LENGTH, v, NULL, 0, 0));
  lua_pushinteger(L, (lua_Integer)isp_bit_length(c->R, v));
  return 1;
}

static int li_bit_count(lua_State *L) {
  li_core *c;
  isp_int *v = li_self(L, &c);
  LI_REC(c, tr_rec_read(c->rec, TR_BIT_COUNT, v, NULL, 0, 0));
  lua_pushinteger(L, (lua_Integer)isp_bit_count(c->R, v));
  return 1;
}

/* a:tobytes([length=1 [, order="big" [, signed=false]]]) */
static int li_tobytes(lua_State *L) {
  li_core *c;
  isp_int *v;
  lua_Integer len;
  int little, is_signed;
  uint8_t *buf, dummy;
  li_tmp t;
  li_self(L, &c);                     /* self is checked first */
  len = li_optinteger(L, 2, "length", 1);
  little = li_optorder(L, 3);
  is_signed = li_optsigned(L, 4);
  if (len > LI_MAX_BYTES)
    return li_raise(L, "MemoryError", "");
  /* the runtime's errors and its result limit before the buffer exists */
  v = li_self(L, &c);
  LI_REC(c, tr_rec_read(c->rec, TR_TO_BYTES, v, NULL, (int64_t)len,
                        (little ? 1 : 0) | (is_signed ? 2 : 0)));
  if (isp_to_bytes_check(c->R, v, (int64_t)len, is_signed) != 0) {
    t.R = c->R;
    t.n = 0;
    return li_rterror(L, &t);
  }
  /* the C API reports a negative length; zero needs no buffer */
  buf = len > 0 ? (uint8_t *)malloc((size_t)len) : &dummy;
  if (buf == NULL) return li_raise(L, "MemoryError", "");
  v = li_self(L, &c);
  if (isp_to_bytes(c->R, v, (int64_t)len, little, is_signed, buf) != 0) {
    if (buf != &dummy) free(buf);
    t.R = c->R;
    t.n = 0;
    return li_rterror(L, &t);
  }
  lua_pushlstring(L, (const char *)buf, len > 0 ? (size_t)len : 0);
  if (buf != &dummy) free(buf);
  return 1;
}

/* a:runtime(): the runtime this int belongs to. */
static int li_handle_runtime(lua_State *L) {
  li_self(L, NULL);
  lua_getiuservalue(L, 1, 1);
  return 1;
}

static const luaL_Reg li_int_meta[] = {
  {"__add", li_add}, {"__sub", li_sub}, {"__mul", li_mul}, {"__div", li_div},
  {"__idiv", li_idiv}, {"__mod", li_mod}, {"__pow", li_powop},
  {"__shl", li_shl}, {"__shr", li_shr}, {"__band", li_band}, {"__bor", li_bor},
  {"__bxor", li_bxor}, {"__unm", li_unm}, {"__bnot", li_bnot},
  {"__eq", li_eq}, {"__lt", li_lt}, {"__le", li_le},
  {"__tostring", li_tostring}, {"__concat", li_concat},
  {"__gc", li_gc}, {"__close", li_closehandle},
  {NULL, NULL}
};

static const luaL_Reg li_int_methods[] = {
  {"tofloat", li_tofloat}, {"tointeger", li_tointeger},
  {"bit_length", li_bit_length}, {"bit_count", li_bit_count},
  {"tobytes", li_tobytes}, {"release", li_release},
  {"runtime", li_handle_runtime},
  {NULL, NULL}
};

/* }====================================================================== */


/*
** {======================================================================
** Runtime methods
** =======================================================================
*/

/*
** Start a method returning one new int: the result handle is made at
** index nargs + 2 before the runtime is looked up (see li_newhandle).
*/
#define LI_BEGIN(c, t, nargs) \
  li_core *c; \
  li_tmp t; \
  lua_settop(L, (nargs) + 1); \
  li_rtself(L); \
  li_newhandle(L, 1); \
  c = li_checkruntime(L); \
  t.R = c->R; \
  t.n = 0
#define LI_RESULT(nargs) ((nargs) + 2)

/* R:int([x [, base]]) */
static int li_int(lua_State *L) {
  int type = lua_type(L, 2);   /* before the stack is padded: none is not nil */
  isp_int *v;
  li_handle *h;
  int base = 10;
  LI_BEGIN(c, t, 2);
  if (!lua_isnoneornil(L, 3)) {
    lua_Integer b = li_optinteger(L, 3, "base", 10);
    if (isp_int_base(c->R, (int64_t)b, type == LUA_TSTRING, &base) != 0) return li_rterror(L, &t);
  }
  switch (type) {
    case LUA_TNONE:
      v = isp_from_i64(c->R, 0);
      LI_REC(c, tr_rec_i64(c->rec, 0, v));
      break;
    case LUA_TNUMBER:
      if (lua_isinteger(L, 2)) {
        v = isp_from_i64(c->R, (int64_t)lua_tointeger(L, 2));
        LI_REC(c, tr_rec_i64(c->rec, (int64_t)lua_tointeger(L, 2), v));
      } else {
        v = isp_from_double(c->R, (double)lua_tonumber(L, 2));
        LI_REC(c, tr_rec_double(c->rec, (double)lua_tonumber(L, 2), v));
      }
      break;
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(L, 2, &len);
      v = isp_from_string(c->R, s, len, base);
      LI_REC(c, tr_rec_string(c->rec, s, len, base, v));
      break;
    }
    default:
      h = li_tohandle(L, 2);
      if (h == NULL)
        return li_raise(L, "TypeError",
                        "int() argument must be a string or a number, not '%s'",
                        li_typename(L, 2));
      {
        isp_int *a = li_checklive(L, 2, h, c, NULL);
        v = isp_to_int(c->R, a);
        LI_REC(c, tr_rec_make(c->rec, TR_TO_INT, a, NULL, v));
      }
      break;
  }
  li_fill(L, c, LI_RESULT(2), v, &t);
  return 1;
}

/* R:frombytes(s [, order="big" [, signed=false]]) */
static int li_frombytes(lua_State *L) {
  size_t len;
  const char *s;
  int little, is_signed;
  LI_BEGIN(c, t, 3);
  if (lua_type(L, 2) != LUA_TSTRING)
    return li_raise(L, "TypeError", "frombytes() argument must be a string, got %s",
                    li_typename(L, 2));
  s = lua_tolstring(L, 2, &len);
  little = li_optorder(L, 3);
  is_signed = li_optsigned(L, 4);
  {
    isp_int *v = isp_from_bytes(c->R, (const uint8_t *)s, len, little, is_signed);
    LI_REC(c, tr_rec_bytes(c->rec, (const uint8_t *)s, len, little, is_signed, v));
    li_fill(L, c, LI_RESULT(3), v, &t);
  }
  return 1;
}

/* R:long(a): 2.7's long(a); elsewhere a new handle to the same object. */
static int li_long(lua_State *L) {
  isp_int *a, *v;
  LI_BEGIN(c, t, 1);
  a = li_value(L, c, 2, &t, "argument #1");
  v = isp_to_long(c->R, a);
  LI_REC(c, tr_rec_make(c->rec, TR_TO_LONG, a, NULL, v));
  li_fill(L, c, LI_RESULT(1), v, &t);
  li_tmpdrop(&t);
  return 1;
}

static int li_unary(lua_State *L, isp_int *(*fn)(isp_runtime *, isp_int *)) {
  isp_int *a, *v;
  LI_BEGIN(c, t, 1);
  a = li_value(L, c, 2, &t, "argument #1");
  v = fn(c->R, a);
  LI_REC(c, tr_rec_make(c->rec, fn == isp_isqrt ? TR_ISQRT : TR_ABS, a, NULL, v));
  li_fill(L, c, LI_RESULT(1), v, &t);
  li_tmpdrop(&t);
  return 1;
}

static int li_isqrt(lua_State *L) { return li_unary(L, isp_isqrt); }
static int li_abs(lua_State *L) { return li_unary(L, isp_abs); }

static int li_gcd(lua_State *L) {
  isp_int *a, *b;
  LI_BEGIN(c, t, 2);
  a = li_value(L, c, 2, &t, "argument #1");
  b = li_value(L, c, 3, &t, "argument #2");
  {
    isp_int *v = isp_gcd(c->R, a, b);
    LI_REC(c, tr_rec_make(c->rec, TR_GCD, a, b, v));
    li_fill(L, c, LI_RESULT(2), v, &t);
  }
  li_tmpdrop(&t);
  return 1;
}

/* R:divmod(a, b) -> q, r */
static int li_divmod(lua_State *L) {
  isp_int *a, *b, *q, *r;
  li_core *c;
  li_tmp t;
  lua_settop(L, 3);
  li_rtself(L);
  li_newhandle(L, 1);                     /* 4: q */
  li_newhandle(L, 1);                     /* 5: r */
  c = li_checkruntime(L);
  t.R = c->R;
  t.n = 0;
  a = li_value(L, c, 2, &t, "argument #1");
  b = li_value(L, c, 3, &t, "argument #2");
  if (isp_divmod(c->R, a, b, &q, &r) != 0) {
    LI_REC(c, tr_rec_divmod(c->rec, a, b, NULL, NULL));
    li_rterror(L, &t);
  }
  LI_REC(c, tr_rec_divmod(c->rec, a, b, q, r));
  t.rec = c->rec;
  t.v[t.n++] = r;                         /* dropped if q cannot be stored */
  li_fill(L, c, 4, q, &t);
  t.n--;
  li_fill(L, c, 5, r, &t);
  li_tmpdrop(&t);
  return 2;
}

/* R:pow(a, b [, m]) -> int, or a Lua float for a negative exponent */
static int li_pow(lua_State *L) {
  isp_int *a, *b, *m = NULL, *r = NULL;
  double d;
  int k;
  LI_BEGIN(c, t, 3);
  if (li_isfloat(L, 2) || li_isfloat(L, 3) || li_isfloat(L, 4)) {
    if (!lua_isnoneornil(L, 4))
      return li_raise(L, "TypeError",
                      "pow() 3rd argument not allowed unless all arguments are integers");
    return li_raise(L, "TypeError", "pow() takes ints or Lua integers here, not floats");
  }
  a = li_value(L, c, 2, &t, "argument #1");
  b = li_value(L, c, 3, &t, "argument #2");
  if (!lua_isnoneornil(L, 4)) m = li_value(L, c, 4, &t, "argument #3");
  k = isp_pow(c->R, a, b, m, &r, &d);
  LI_REC(c, tr_rec_pow(c->rec, a, b, m, k, r));
  if (k < 0) li_rterror(L, &t);
  if (k == 1) {
    li_tmpdrop(&t);
    lua_pushnumber(L, d);
    return 1;
  }
  li_fill(L, c, LI_RESULT(3), r, &t);
  li_tmpdrop(&t);
  return 1;
}

/* R:truediv(a, b) -> Lua float */
static int li_truediv(lua_State *L) {
  li_core *c = li_checkruntime(L);
  li_tmp t = { c->R, 0, { NULL, NULL, NULL }, NULL };
  isp_int *a = li_value(L, c, 2, &t, "argument #1");
  isp_int *b = li_value(L, c, 3, &t, "argument #2");
  double d;
  LI_REC(c, tr_rec_read(c->rec, TR_TRUEDIV, a, b, 0, 0));
  if (isp_truediv(c->R, a, b, &d) != 0) li_rterror(L, &t);
  li_tmpdrop(&t);
  lua_pushnumber(L, d);
  return 1;
}

/* R:str(a [, base=10]) */
static int li_str(lua_State *L) {
  li_core *c = li_checkruntime(L);
  lua_Integer base = li_optinteger(L, 3, "base", 10);
  li_tmp t = { c->R, 0, { NULL, NULL, NULL }, NULL };
  isp_int *a = li_value(L, c, 2, &t, "argument #1");
  li_pushstr(L, c, a, li_clampint(base), &t);
  return 1;
}

static int li_hash(lua_State *L) {
  li_core *c = li_checkruntime(L);
  li_tmp t = { c->R, 0, { NULL, NULL, NULL }, NULL };
  isp_int *a = li_value(L, c, 2, &t, "argument #1");
  lua_Integer h = (lua_Integer)isp_hash(c->R, a);
  LI_REC(c, tr_rec_read(c->rec, TR_HASH, a, NULL, 0, 0));
  li_tmpdrop(&t);
  lua_pushinteger(L, h);
  return 1;
}

/* R:compare(a, b) -> -1, 0 or 1 */
static int li_cmp(lua_State *L) {
  li_core *c = li_checkruntime(L);
  li_tmp t = { c->R, 0, { NULL, NULL, NULL }, NULL };
  isp_int *a = li_value(L, c, 2, &t, "argument #1");
  isp_int *b = li_value(L, c, 3, &t, "argument #2");
  int r = isp_compare(c->R, a, b);
  LI_REC(c, tr_rec_read(c->rec, TR_COMPARE, a, b, 0, 0));
  li_tmpdrop(&t);
  lua_pushinteger(L, r);
  return 1;
}

/* ---- the object model: these take handles only, never Lua numbers ---- */

static int li_id(lua_State *L) {
  li_core *c = li_checkruntime(L);
  isp_int *v = li_checkhandle(L, 2, c);
  lua_pushinteger(L, (lua_Integer)isp_id(v));
  return 1;
}

static int li_is(lua_State *L) {
  li_core *c = li_checkruntime(L);
  isp_int *a = li_checkhandle(L, 2, c);
  isp_int *b = li_checkhandle(L, 3, c);
  lua_pushboolean(L, isp_id(a) == isp_id(b));
  return 1;
}

static int li_refcount(lua_State *L) {
  li_core *c = li_checkruntime(L);
  isp_int *v = li_checkhandle(L, 2, c);
  lua_pushinteger(L, (lua_Integer)isp_refcount(c->R, v));
  return 1;
}

static int li_sizeof(lua_State *L) {
  li_core *c = li_checkruntime(L);
  isp_int *v = li_checkhandle(L, 2, c);
  lua_pushinteger(L, (lua_Integer)isp_sizeof(c->R, v));
  return 1;
}

static int li_is_immortal(lua_State *L) {
  li_core *c = li_checkruntime(L);
  isp_int *v = li_checkhandle(L, 2, c);
  lua_pushboolean(L, isp_is_immortal(c->R, v));
  return 1;
}

static int li_type(lua_State *L) {
  li_core *c = li_checkruntime(L);
  isp_int *v = li_checkhandle(L, 2, c);
  lua_pushstring(L, isp_type_name(c->R, v));
  return 1;
}

/* ---- the runtime as a whole ---- */

static void li_setu64(lua_State *L, const char *k, uint64_t v) {
  lua_pushinteger(L, (lua_Integer)v);
  lua_setfield(L, -2, k);
}

static int li_stats(lua_State *L) {
  li_core *c = li_checkruntime(L);
  isp_stats s;
  isp_get_stats(c->R, &s);
  lua_createtable(L, 0, 10);
  li_setu64(L, "created", s.created);
  li_setu64(L, "cache_hits", s.cache_hits);
  li_setu64(L, "freelist_hits", s.freelist_hits);
  li_setu64(L, "allocs", s.allocs);
  li_setu64(L, "frees", s.frees);
  li_setu64(L, "failed_allocs", s.failed_allocs);
  li_setu64(L, "live", s.live);
  li_setu64(L, "blocks", s.blocks);
  li_setu64(L, "bytes", s.bytes);
  li_setu64(L, "freelist_len", s.freelist_len);
  return 1;
}

/*
** R:histogram() -> {[value] = count} for every value of the configured
** range (zeros included), lo, hi; nil when no histogram was configured.
** The counts live in the runtime: they are read only after the table is
** made (which may run a finalizer), and filling it collects no garbage.
*/
static int li_histogram(lua_State *L) {
  li_core *c = li_checkruntime(L);
  int64_t lo, hi, v;
  const uint64_t *h = isp_histogram(c->R, &lo, &hi);
  if (h == NULL) {
    lua_pushnil(L);
    return 1;
  }
  lua_createtable(L, 0, (int)(hi - lo + 1));
  c = li_checkruntime(L);
  h = isp_histogram(c->R, &lo, &hi);
  for (v = lo; v <= hi; v++) {
    lua_pushinteger(L, (lua_Integer)h[v - lo]);
    lua_rawseti(L, -2, (lua_Integer)v);
  }
  lua_pushinteger(L, (lua_Integer)lo);
  lua_pushinteger(L, (lua_Integer)hi);
  return 3;
}

static int li_collect(lua_State *L) {
  li_core *c = li_checkruntime(L);
  LI_REC(c, tr_rec_collect(c->rec));
  isp_collect(c->R);
  return 0;
}

static int li_small_range(lua_State *L) {
  li_core *c = li_checkruntime(L);
  int64_t lo, hi;
  isp_small_range(c->R, &lo, &hi);
  lua_pushinteger(L, (lua_Integer)lo);
  lua_pushinteger(L, (lua_Integer)hi);
  return 2;
}

/* R:gc_threshold() -> t0, t1, t2, as gc.get_threshold() under the profile. */
static int li_gc_threshold(lua_State *L) {
  li_core *c = li_checkruntime(L);
  int64_t th[3];
  int i;
  isp_gc_threshold(c->R, th);
  for (i = 0; i < 3; i++) lua_pushinteger(L, (lua_Integer)th[i]);
  return 3;
}

/* R:set_fail_alloc_after(n | nil): nil or a negative n lifts the limit. */
static int li_set_fail_alloc_after(lua_State *L) {
  li_core *c = li_checkruntime(L);
  lua_Integer n = li_optinteger(L, 2, "fail_alloc_after", -1);
  isp_set_fail_alloc_after(c->R, (int64_t)(n < 0 ? -1 : n));
  return 0;
}

static int li_set_max_str_digits(lua_State *L) {
  li_core *c = li_checkruntime(L);
  lua_Integer n;
  if (lua_isnoneornil(L, 2))
    return li_raise(L, "TypeError", "set_max_str_digits() needs an integer");
  n = li_optinteger(L, 2, "maxdigits", 0);
  LI_REC(c, tr_rec_max_str_digits(c->rec, (int64_t)n));
  if (isp_set_max_str_digits(c->R, (int64_t)n) != 0) {
    li_tmp t = { c->R, 0, { NULL, NULL, NULL }, NULL };
    return li_rterror(L, &t);
  }
  return 0;
}

static int li_get_max_str_digits(lua_State *L) {
  li_core *c = li_checkruntime(L);
  lua_pushinteger(L, (lua_Integer)isp_get_max_str_digits(c->R));
  return 1;
}

/* Leaks are gathered in C while the runtime closes, then made a table. */
typedef struct li_leaks {
  isp_leak *v;
  char (*text)[64];
  size_t n, cap;
} li_leaks;

static void li_onleak(void *ud, const isp_leak *leak) {
  li_leaks *lk = (li_leaks *)ud;
  if (lk->n == lk->cap) {
    size_t cap = lk->cap ? 2 * lk->cap : 16;
    isp_leak *v = (isp_leak *)realloc(lk->v, cap * sizeof *v);
    char (*text)[64];
    if (v == NULL) return;
    lk->v = v;
    text = (char (*)[64])realloc(lk->text, cap * sizeof *text);
    if (text == NULL) return;
    lk->text = text;
    lk->cap = cap;
  }
  lk->v[lk->n] = *leak;
  lk->text[lk->n][0] = '\0';
  if (leak->value != NULL) {
    strncpy(lk->text[lk->n], leak->value, sizeof lk->text[0] - 1);
    lk->text[lk->n][sizeof lk->text[0] - 1] = '\0';
  }
  lk->n++;
}

/*
** R:close() -> {count = n, {id=, refcount=, value=}, ...}.  The handles
** still alive are invalidated and their references dropped first, so an
** int the script still holds is not a leak.  The runtime is marked closed
** before the report is made (making it may run a finalizer).
*/
static void li_pushleaks(lua_State *L, size_t count, li_leaks *lk);

static int li_close(lua_State *L) {
  li_runtime *rt = li_rtself(L);
  li_core *c = li_opencore(L, rt);
  li_leaks lk = { NULL, NULL, 0, 0 };
  size_t count = li_core_teardown(c, li_onleak, &lk);
  rt->core = NULL;
  li_core_free(c);
  li_pushleaks(L, count, &lk);
  return 1;
}

/*
** R:reset() -> {count = n, ...} as close() gives.  Every handle still
** alive is invalidated first; then, when nothing else is alive and the
** cache is untouched, the runtime is as new (counters, limits, free lists;
** isp_runtime_reset) and count is 0.  Otherwise count names what is alive
** and the runtime stays as it was, still usable.
*/
static int li_reset(lua_State *L) {
  li_core *c = li_checkruntime(L);
  li_leaks lk = { NULL, NULL, 0, 0 };
  size_t count;
  li_slot_dropall(c);
  count = isp_runtime_reset(c->R, li_onleak, &lk);
  li_pushleaks(L, count, &lk);
  return 1;
}

/* Push {count = n, {id=, refcount=, value=}, ...} and free 'lk'. */
static void li_pushleaks(lua_State *L, size_t count, li_leaks *lk0) {
  li_leaks lk = *lk0;
  size_t i;
  lua_createtable(L, (int)lk.n, 1);   /* a memory error here only loses the report */
  lua_pushinteger(L, (lua_Integer)count);
  lua_setfield(L, -2, "count");
  for (i = 0; i < lk.n; i++) {
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, (lua_Integer)lk.v[i].id);
    lua_setfield(L, -2, "id");
    lua_pushinteger(L, (lua_Integer)lk.v[i].refcount);
    lua_setfield(L, -2, "refcount");
    lua_pushstring(L, lk.text[i]);
    lua_setfield(L, -2, "value");
    lua_rawseti(L, -2, (lua_Integer)(i + 1));
  }
  free(lk.v);
  free(lk.text);
}

/* __gc and __close of a runtime: close quietly if still open; anything
** else (a call by hand) is ignored. */
static int li_rt_gc(lua_State *L) {
  li_runtime *rt = li_tort(L, 1);
  if (rt != NULL && rt->core != NULL) {
    li_core *c = rt->core;
    rt->core = NULL;
    li_core_free(c);
  }
  return 0;
}

static int li_rt_tostring(lua_State *L) {
  li_runtime *rt = li_rtself(L);
  if (rt->core == NULL || rt->core->R == NULL) lua_pushliteral(L, "intspect.runtime (closed)");
  else lua_pushfstring(L, "intspect.runtime (%s)", isp_runtime_profile(rt->core->R));
  return 1;
}

/* R.profile, R.closed, then the methods (upvalue 4). */
static int li_rt_index(lua_State *L) {
  li_runtime *rt = li_rtself(L);
  const char *k;
  if (lua_type(L, lua_upvalueindex(4)) == LUA_TTABLE) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(4)) != LUA_TNIL) return 1;
  }
  k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
  if (k != NULL && strcmp(k, "profile") == 0) {
    li_core *c = li_opencore(L, rt);
    lua_pushstring(L, isp_runtime_profile(c->R));
    return 1;
  }
  if (k != NULL && strcmp(k, "closed") == 0) {
    lua_pushboolean(L, rt->core == NULL || rt->core->R == NULL);
    return 1;
  }
  return 0;
}
static const luaL_Reg li_rt_methods[] = {
  {"int", li_int}, {"frombytes", li_frombytes}, {"long", li_long},
  {"divmod", li_divmod}, {"pow", li_pow}, {"truediv", li_truediv},
  {"str", li_str}, {"hash", li_hash}, {"isqrt", li_isqrt}, {"gcd", li_gcd},
  {"abs", li_abs}, {"compare", li_cmp},
  {"id", li_id}, {"is", li_is}, {"refcount", li_refcount}, {"sizeof", li_sizeof},
  {"is_immortal", li_is_immortal}, {"type", li_type},
  {"stats", li_stats}, {"histogram", li_histogram}, {"collect", li_collect},
  {"small_range", li_small_range}, {"gc_threshold", li_gc_threshold},
  {"set_fail_alloc_after", li_set_fail_alloc_after},
  {"set_max_str_digits", li_set_max_str_digits},
  {"max_str_digits", li_get_max_str_digits},
  {"close", li_close}, {"reset", li_reset},
  {NULL, NULL}
};

/* }====================================================================== */


/*
** {======================================================================
** intspect.runtime{...}
** =======================================================================
*/



/*
** {======================================================================
** intspect.runtime{...}
** =======================================================================
*/

static int64_t li_optint64(lua_State *L, const char *key) {
  int isnum;
  lua_Integer n = lua_tointegerx(L, -1, &isnum);
  if (!isnum || lua_type(L, -1) != LUA_TNUMBER)
    li_raise(L, "TypeError", "runtime option '%s' must be an integer, got %s", key,
             li_typename(L, -1));
  return (int64_t)n;
}

/* A {a, b} option (small_ints, histogram) at the top of the stack. */
static void li_optpair(lua_State *L, const char *key, int64_t *a, int64_t *b) {
  if (lua_type(L, -1) != LUA_TTABLE)
    li_raise(L, "TypeError", "runtime option '%s' must be a table {a, b}, got %s", key,
             li_typename(L, -1));
  lua_rawgeti(L, -1, 1);
  *a = li_optint64(L, key);
  lua_pop(L, 1);
  lua_rawgeti(L, -1, 2);
  *b = li_optint64(L, key);
  lua_pop(L, 1);
}

static void li_readoption(lua_State *L, isp_options *o) {
  const char *k;
  if (lua_type(L, -2) != LUA_TSTRING)
    li_raise(L, "TypeError", "runtime options are named fields, got a %s key",
             li_typename(L, -2));
  k = lua_tostring(L, -2);
  if (strcmp(k, "profile") == 0) {
    if (lua_type(L, -1) != LUA_TSTRING)
      li_raise(L, "TypeError", "runtime option 'profile' must be a string, got %s",
               li_typename(L, -1));
    o->profile = lua_tostring(L, -1);  /* kept alive by the options table */
  } else if (strcmp(k, "small_ints") == 0) {
    li_optpair(L, k, &o->small_neg, &o->small_pos);
    if (o->small_neg < 0 || o->small_pos < 0)
      li_raise(L, "ValueError", "small_ints counts must be >= 0");
    if (o->small_neg > LI_MAX_RANGE || o->small_pos > LI_MAX_RANGE)
      li_raise(L, "ValueError", "small_ints counts must be <= %I", (lua_Integer)LI_MAX_RANGE);
    o->set_small_ints = 1;
  } else if (strcmp(k, "histogram") == 0) {
    li_optpair(L, k, &o->hist_lo, &o->hist_hi);
    if (o->hist_lo > o->hist_hi)
      li_raise(L, "ValueError", "histogram range is empty (lo > hi)");
    if ((uint64_t)o->hist_hi - (uint64_t)o->hist_lo >= (uint64_t)LI_MAX_RANGE)
      li_raise(L, "ValueError", "histogram range must hold fewer than %I values",
               (lua_Integer)LI_MAX_RANGE);
    o->set_histogram = 1;
  } else if (strcmp(k, "max_str_digits") == 0) {
    o->max_str_digits = li_optint64(L, k);
    o->set_max_str_digits = 1;
  } else if (strcmp(k, "fail_alloc_after") == 0) {
    o->fail_alloc_after = li_optint64(L, k);
  } else if (strcmp(k, "block_spacing") == 0) {
    o->block_spacing = li_optint64(L, k);
  } else if (strcmp(k, "max_result_bits") == 0) {
    o->max_result_bits = li_optint64(L, k);   /* checked by isp_runtime_new */
  } else if (strcmp(k, "max_work") == 0) {
    o->max_work = li_optint64(L, k);          /* checked by isp_runtime_new */
  } else {
    li_raise(L, "TypeError", "runtime() got an unexpected option '%s'", k);
  }
}

/* "ValueError: unknown profile 'x'" -> an error object */
static int li_raisecreate(lua_State *L, const char *err) {
  const char *colon = strstr(err, ": ");
  if (colon == NULL) return li_raise(L, "ValueError", "%s", err);
  lua_pushlstring(L, err, (size_t)(colon - err));
  return li_raise(L, lua_tostring(L, -1), "%s", colon + 2);
}

/*
** intspect.runtime([opts | profile]).  The userdata is made first: after
** it, reading the options and creating the runtime run no finalizer, so
** the profile string read from the options table stays alive.
*/
static int li_runtime_new(lua_State *L) {
  isp_options o;
  char err[256];
  li_runtime *rt;
  li_core *c;
  isp_runtime *R;
  lua_settop(L, 1);
  rt = (li_runtime *)lua_newuserdatauv(L, sizeof(li_runtime), 0);   /* 2 */
  rt->magic = LI_MAGIC_RT;
  rt->serial = 0;
  rt->core = NULL;
  li_setmeta(L, UV_RTMT);
  isp_options_init(&o);
  if (lua_type(L, 1) == LUA_TSTRING) {
    o.profile = lua_tostring(L, 1);
  } else if (lua_type(L, 1) == LUA_TTABLE) {
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
      li_readoption(L, &o);
      lua_pop(L, 1);
    }
  } else if (!lua_isnoneornil(L, 1)) {
    return li_raise(L, "TypeError", "runtime() takes a table of options, got %s",
                    li_typename(L, 1));
  }
  c = li_core_new(li_owner(L));
  if (c == NULL) return li_raise(L, "MemoryError", "");
  err[0] = '\0';
  R = isp_runtime_new(&o, err, sizeof err);
  if (R == NULL) {
    li_core_free(c);
    return li_raisecreate(L, err[0] ? err : "MemoryError: ");
  }
  c->R = R;
  rt->serial = c->serial;
  rt->core = c;
  return 1;
}

static int li_is_int(lua_State *L) {
  lua_pushboolean(L, li_tohandle(L, 1) != NULL);
  return 1;
}

static int li_is_runtime(lua_State *L) {
  lua_pushboolean(L, li_tort(L, 1) != NULL);
  return 1;
}

static const luaL_Reg li_module[] = {
  {"runtime", li_runtime_new}, {"is_int", li_is_int}, {"is_runtime", li_is_runtime},
  {"new_error", li_new_error}, {"is_error", li_is_error},
  {NULL, NULL}
};

/* }====================================================================== */


/*
** {======================================================================
** For the rest of the harness (the fuzzing data provider): ints made by
** C code handed to Lua as ordinary handles
** =======================================================================
*/

isp_runtime *lintspect_toruntime(lua_State *L, int idx) {
  li_runtime *rt = li_tort(L, idx);
  return (rt != NULL && rt->core != NULL) ? rt->core->R : NULL;
}

int lintspect_record(lua_State *L, int idx, tr_recorder *rec) {
  li_runtime *rt = li_tort(L, idx);
  if (rt == NULL || rt->core == NULL || rt->core->R == NULL) return -1;
  rt->core->rec = rec;
  return 0;
}

void lintspect_newint(lua_State *L, int rtidx) {
  rtidx = lua_absindex(L, rtidx);
  lua_getfield(L, LUA_REGISTRYINDEX, LI_REG_INTMT);
  li_newhandle_mt(L, rtidx, lua_gettop(L));
  lua_remove(L, -2);
}

void lintspect_fillint(lua_State *L, int idx, isp_int *v) {
  li_handle *h = li_tohandle(L, idx);
  li_runtime *rt;
  li_tmp t;
  idx = lua_absindex(L, idx);
  if (h == NULL) luaL_error(L, "intspect: lintspect_fillint needs an int handle");
  lua_getiuservalue(L, idx, 1);
  rt = li_tort(L, -1);
  lua_pop(L, 1);
  if (rt == NULL || rt->serial != h->serial || rt->core == NULL || rt->core->R == NULL)
    luaL_error(L, "intspect: the runtime of a new int is closed");
  t.R = rt->core->R;
  t.n = 0;
  li_fill(L, rt->core, idx, v, &t);
}

/* }====================================================================== */


static void li_pushupvalues(lua_State *L, int intmt, int rtmt, int errmt) {
  lua_pushvalue(L, intmt);
  lua_pushvalue(L, rtmt);
  lua_pushvalue(L, errmt);
}

/* The state's keeper, made once (a second opening of the module reuses
** it: two would each close the other's runtimes). */
static void li_makekeeper(lua_State *L) {
  li_keeper *k;
  lua_getfield(L, LUA_REGISTRYINDEX, LI_REG_KEEPER);
  k = (li_keeper *)li_toudata(L, -1, sizeof(li_keeper), LI_MAGIC_KEEPER);
  lua_pop(L, 1);
  if (k != NULL && k->owner != NULL) return;
  k = (li_keeper *)lua_newuserdatauv(L, sizeof(li_keeper), 0);
  k->magic = LI_MAGIC_KEEPER;
  k->owner = li_owner(L);
  lua_createtable(L, 0, 2);
  lua_pushcfunction(L, li_keeper_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushliteral(L, "intspect.keeper");
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, LI_REG_KEEPER);
}

int luaopen_intspect(lua_State *L) {
  int intmt, rtmt, errmt, mod;
  const char *const *names;
  int i;

  li_makekeeper(L);
  lua_newtable(L); intmt = lua_gettop(L);
  lua_newtable(L); rtmt = lua_gettop(L);
  lua_newtable(L); errmt = lua_gettop(L);
  lua_newtable(L); mod = lua_gettop(L);

  /* ints: metamethods, then methods through __index; protected, so that
  ** getmetatable gives the name and setmetatable fails */
  lua_pushvalue(L, intmt);
  li_pushupvalues(L, intmt, rtmt, errmt);
  luaL_setfuncs(L, li_int_meta, LI_NUPS);
  lua_newtable(L);
  li_pushupvalues(L, intmt, rtmt, errmt);
  luaL_setfuncs(L, li_int_methods, LI_NUPS);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, "intspect.int");
  lua_setfield(L, -2, "__name");
  lua_pushliteral(L, "intspect.int");
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);

  /* runtimes */
  lua_pushvalue(L, rtmt);
  lua_newtable(L);                                  /* the methods */
  li_pushupvalues(L, intmt, rtmt, errmt);
  luaL_setfuncs(L, li_rt_methods, LI_NUPS);
  li_pushupvalues(L, intmt, rtmt, errmt);
  lua_pushvalue(L, -4);
  lua_pushcclosure(L, li_rt_index, LI_NUPS + 1);
  lua_setfield(L, -3, "__index");
  lua_pop(L, 1);                                    /* the methods */
  li_pushupvalues(L, intmt, rtmt, errmt);
  lua_pushcclosure(L, li_rt_gc, LI_NUPS);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "__gc");
  lua_setfield(L, -2, "__close");
  li_pushupvalues(L, intmt, rtmt, errmt);
  lua_pushcclosure(L, li_rt_tostring, LI_NUPS);
  lua_setfield(L, -2, "__tostring");
  lua_pushliteral(L, "intspect.runtime");
  lua_setfield(L, -2, "__name");
  lua_pushliteral(L, "intspect.runtime");
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);
  /* errors */
  lua_pushvalue(L, errmt);
  lua_pushcfunction(L, li_errtostring);
  lua_setfield(L, -2, "__tostring");
  lua_pushliteral(L, "intspect.error");
  lua_setfield(L, -2, "__name");
  lua_pop(L, 1);

  /* the module table */
  lua_pushvalue(L, mod);
  li_pushupvalues(L, intmt, rtmt, errmt);
  luaL_setfuncs(L, li_module, LI_NUPS);
  lua_pushliteral(L, INTSPECT_VERSION);
  lua_setfield(L, -2, "version");
  names = isp_profile_names();
  lua_newtable(L);
  for (i = 0; names[i] != NULL; i++) {
    lua_pushstring(L, names[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "profiles");
  lua_pushstring(L, names[0]);
  lua_setfield(L, -2, "default_profile");
  lua_pushvalue(L, errmt);
  lua_setfield(L, -2, "error_metatable");
  lua_pop(L, 1);

  /* for lintspect_newint and lintspect_toruntime, which other C files of
  ** the harness call without this module's upvalues */
  lua_pushvalue(L, intmt);
  lua_setfield(L, LUA_REGISTRYINDEX, LI_REG_INTMT);
  lua_pushvalue(L, rtmt);
  lua_setfield(L, LUA_REGISTRYINDEX, LI_REG_RTMT);

  /* the Lua half: spec helpers and assertions, given the module table */
  if (luaL_loadbuffer(L, li_lua_source, sizeof li_lua_source - 1, "=[intspect.lua]") != LUA_OK)
    return lua_error(L);
  lua_pushvalue(L, mod);
  lua_call(L, 1, 0);
  lua_pushvalue(L, mod);
  return 1;
}

/*
** {======================================================================
** pcall and xpcall: Lua's own memory errors as MemoryError objects
** =======================================================================
*/

/* li_memerror_new(errmt): a bare MemoryError object; called protected,
** because making it may itself run out of memory */
static int li_memerror_new(lua_State *L) {
  lua_createtable(L, 0, 2);
  lua_pushliteral(L, "MemoryError");
  lua_setfield(L, -2, "type");
  lua_pushliteral(L, "not enough memory");
  lua_setfield(L, -2, "message");
  lua_pushvalue(L, 1);
  lua_setmetatable(L, -2);
  return 1;
}

/* The end of both: 'base' values below the results.  An error leaves its
** value on top; when Lua ran out of memory (LUA_ERRMEM, whose value is a
** fixed string), that value becomes a MemoryError object, as the
** runtime's allocation failures are, or stays the string if even the
** object cannot be made. */
static int li_pcall_done(lua_State *L, int status, lua_KContext base) {
  if (status == LUA_OK || status == LUA_YIELD) return lua_gettop(L) - (int)base;
  if (status == LUA_ERRMEM) {
    lua_pushcfunction(L, li_memerror_new);
    lua_pushvalue(L, UV_ERRMT);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK) lua_replace(L, -2);
    else lua_pop(L, 1);
  }
  lua_pushboolean(L, 0);
  lua_rotate(L, -2, 1);             /* false, the error */
  return 2;
}

/* pcall(f, ...): 'true' goes below f, the first result when all is well */
static int li_pcall(lua_State *L) {
  luaL_checkany(L, 1);
  lua_pushboolean(L, 1);
  lua_insert(L, 1);
  return li_pcall_done(L, lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, li_pcall_done),
                       0);
}

/* xpcall(f, h, ...): f, h stay at 1 and 2 (h is the handler), 'true' and a
** copy of f go below the arguments */
static int li_xpcall(lua_State *L) {
  int nargs = lua_gettop(L) - 2;
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushboolean(L, 1);
  lua_pushvalue(L, 1);
  lua_rotate(L, 3, 2);
  return li_pcall_done(L, lua_pcallk(L, nargs, LUA_MULTRET, 2, 2, li_pcall_done), 2);
}

/* }====================================================================== */

int lintspect_msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      msg = lua_tostring(L, -1);
    else
      msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int lintspect_pcall(lua_State *L, int nargs, int nres) {
  int base = lua_gettop(L) - nargs;
  int status;
  lua_pushcfunction(L, lintspect_msghandler);
  lua_insert(L, base);
  status = lua_pcall(L, nargs, nres, base);
  lua_remove(L, base);
  return status;
}

/* The standard libraries, then the module, preloaded for require and set
** as the global 'intspect': what every Lua state of the executable (and of
** the Lua property driver) starts with, with pcall and xpcall that give
** Lua's memory errors as MemoryError objects.  Call it in protected mode. */
int lintspect_openlibs(lua_State *L) {
  static const luaL_Reg calls[] = {{"pcall", li_pcall}, {"xpcall", li_xpcall}, {NULL, NULL}};
  luaL_openlibs(L);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_intspect);
  lua_setfield(L, -2, "intspect");
  lua_pop(L, 1);
  lua_getglobal(L, "require");
  lua_pushliteral(L, "intspect");
  lua_call(L, 1, 1);
  lua_pushvalue(L, -1);
  lua_setglobal(L, "intspect");
  /* the closures' upvalues as the module's functions have them */
  lua_pushglobaltable(L);
  lua_getfield(L, LUA_REGISTRYINDEX, LI_REG_INTMT);
  lua_getfield(L, LUA_REGISTRYINDEX, LI_REG_RTMT);
  lua_getfield(L, -4, "error_metatable");
  luaL_setfuncs(L, calls, LI_NUPS);
  lua_pop(L, 2);
  return 0;
}
