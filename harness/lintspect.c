/*
** lintspect.c -- the 'intspect' Lua module: runtimes and int handles.
**
** Binds the public C API (runtime/intspect.h) to Lua 5.4.  This file holds
** no integer logic: every value operation is one call into the C API, and
** this file only checks Lua arguments, keeps handles honest and turns the
** runtime's pending error into a Lua error object.
**
** Two userdata types:
**   runtime  'li_runtime': the isp_runtime and the list of its live handles,
**            so that close() can invalidate them and drop their references;
**   int      'li_handle': one reference to one isp_int.  Its user value is
**            the runtime userdata, so a runtime outlives its handles.
** Errors are tables {type=, message=} with a shared metatable whose
** __tostring gives "Type: message".
**
** Every C function of the module shares three upvalues, the metatables of
** ints, runtimes and errors, so checks compare metatables without a
** registry lookup.
*/
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "intspect.h"
#include "lintspect.h"
#include "intspect_lua.h"   /* li_lua_source: the Lua half of the module */

/* Registry keys of the int and runtime metatables. */
#define LI_REG_INTMT "intspect.int metatable"
#define LI_REG_RTMT "intspect.runtime metatable"

#define UV_INTMT  lua_upvalueindex(1)
#define UV_RTMT   lua_upvalueindex(2)
#define UV_ERRMT  lua_upvalueindex(3)
#define LI_NUPS   3

/* Limits on runtime options, so a typo cannot ask for gigabytes. */
#define LI_MAX_RANGE ((int64_t)1 << 24)
/* Largest to_bytes length tried; beyond it the answer is MemoryError. */
#define LI_MAX_BYTES ((int64_t)1 << 31)

typedef struct li_handle li_handle;

typedef struct li_runtime {
  isp_runtime *R;          /* NULL once closed */
  li_handle *handles;      /* live handles, doubly linked */
} li_runtime;

/* Why a handle no longer holds an object. */
enum { LI_LIVE, LI_UNSET, LI_RELEASED, LI_CLOSED, LI_RESET };

struct li_handle {
  isp_int *v;              /* the reference this handle owns, or NULL */
  li_runtime *rt;
  li_handle *prev, *next;
  int state;
};


/*
** {======================================================================
** Errors
** =======================================================================
*/

/* Push an error object {type=, message=} built from 'msg'. */
static void li_pusherror(lua_State *L, const char *type, const char *msg) {
  lua_createtable(L, 0, 2);
  lua_pushstring(L, type);
  lua_setfield(L, -2, "type");
  lua_pushstring(L, msg);
  lua_setfield(L, -2, "message");
  lua_pushvalue(L, UV_ERRMT);
  lua_setmetatable(L, -2);
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

/*
** Push the runtime's pending error as an error object and clear it.  A
** NULL result without an error is a bug in the C API; report it as
** CPython reports the same thing.
*/
static void li_pushrterror(lua_State *L, isp_runtime *R) {
  isp_errtype t = isp_error_type(R);
  if (t == ISP_OK)
    li_pusherror(L, "SystemError", "error return without exception set");
  else
    li_pusherror(L, isp_errtype_name(t), isp_error_message(R));
  isp_error_clear(R);
}

/* "Type: message", or just "Type" when the message is empty (a bare
** MemoryError), as Python prints them. */
static int li_errtostring(lua_State *L) {
  const char *msg;
  lua_getfield(L, 1, "type");
  lua_getfield(L, 1, "message");
  msg = luaL_optstring(L, -1, "?");
  if (*msg == '\0') lua_pushstring(L, luaL_optstring(L, -2, "Error"));
  else lua_pushfstring(L, "%s: %s", luaL_optstring(L, -2, "Error"), msg);
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
** Checking arguments
** =======================================================================
*/

static int li_hasmt(lua_State *L, int idx, int mtidx) {
  int ok;
  if (!lua_getmetatable(L, idx)) return 0;
  ok = lua_rawequal(L, -1, mtidx);
  lua_pop(L, 1);
  return ok;
}

static li_handle *li_tohandle(lua_State *L, int idx) {
  return (lua_type(L, idx) == LUA_TUSERDATA && li_hasmt(L, idx, UV_INTMT))
         ? (li_handle *)lua_touserdata(L, idx) : NULL;
}

/* The name a message gives the value at 'idx'. */
static const char *li_typename(lua_State *L, int idx) {
  if (lua_type(L, idx) == LUA_TUSERDATA) {
    if (li_hasmt(L, idx, UV_INTMT)) return "int";
    if (li_hasmt(L, idx, UV_RTMT)) return "runtime";
  }
  if (lua_type(L, idx) == LUA_TNUMBER)
    return lua_isinteger(L, idx) ? "integer" : "float";
  return luaL_typename(L, idx);
}

/* 'self' of a runtime method: a runtime that is still open. */
static li_runtime *li_checkruntime(lua_State *L) {
  li_runtime *rt;
  if (lua_type(L, 1) != LUA_TUSERDATA || !li_hasmt(L, 1, UV_RTMT))
    li_raise(L, "TypeError", "expected a runtime as self (use R:method()), got %s",
             li_typename(L, 1));
  rt = (li_runtime *)lua_touserdata(L, 1);
  if (rt->R == NULL) li_raise(L, "ValueError", "runtime is closed");
  return rt;
}

/* A handle that still holds its object; 'rt' (may be NULL) must own it. */
static li_handle *li_checklive(lua_State *L, li_handle *h, li_runtime *rt) {
  if (h->state != LI_LIVE) {
    if (h->state == LI_CLOSED)
      li_raise(L, "ValueError", "int handle's runtime is closed");
    if (h->state == LI_RESET)
      li_raise(L, "ValueError", "int handle was released by its runtime's reset()");
    li_raise(L, "ValueError", "int handle has been released");
  }
  if (rt != NULL && h->rt != rt)
    li_raise(L, "ValueError", "ints from different runtimes");
  return h;
}

/* Argument 'idx' must be a live handle of 'rt' (object-model functions). */
static li_handle *li_checkhandle(lua_State *L, int idx, li_runtime *rt) {
  li_handle *h = li_tohandle(L, idx);
  if (h == NULL)
    li_raise(L, "TypeError", "argument #%d: expected an int, got %s",
             idx - 1, li_typename(L, idx));
  return li_checklive(L, h, rt);
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
** error can never strand a reference.
*/
static li_handle *li_newhandle(lua_State *L, int rtidx) {
  li_handle *h = (li_handle *)lua_newuserdatauv(L, sizeof(li_handle), 1);
  h->v = NULL;
  h->rt = NULL;
  h->prev = h->next = NULL;
  h->state = LI_UNSET;
  lua_pushvalue(L, rtidx);
  lua_setiuservalue(L, -2, 1);
  lua_pushvalue(L, UV_INTMT);
  lua_setmetatable(L, -2);
  return h;
}

/* Give handle 'h' the new reference 'v' and register it with 'rt'. */
static void li_sethandle(li_handle *h, li_runtime *rt, isp_int *v) {
  h->v = v;
  h->rt = rt;
  h->state = LI_LIVE;
  h->prev = NULL;
  h->next = rt->handles;
  if (rt->handles) rt->handles->prev = h;
  rt->handles = h;
}

/* Unlink 'h' and drop its reference. */
static void li_drophandle(li_handle *h, int why) {
  li_runtime *rt = h->rt;
  if (h->state == LI_LIVE) {
    if (h->prev) h->prev->next = h->next;
    else rt->handles = h->next;
    if (h->next) h->next->prev = h->prev;
    isp_decref(rt->R, h->v);
  }
  h->v = NULL;
  h->prev = h->next = NULL;
  h->rt = NULL;
  h->state = why;
}

/*
** Operands converted for one call: Lua integers become new objects that
** must be dropped on every exit, including the error exits.
*/
typedef struct li_tmp {
  isp_runtime *R;
  int n;
  isp_int *v[3];
} li_tmp;

static void li_tmpdrop(li_tmp *t) {
  while (t->n > 0) isp_decref(t->R, t->v[--t->n]);
}

/* Raise the runtime's pending error after dropping the temporaries. */
static int li_rterror(lua_State *L, li_tmp *t) {
  li_pushrterror(L, t->R);
  li_tmpdrop(t);
  return lua_error(L);
}

static int li_tmperror(lua_State *L, li_tmp *t, const char *type, const char *msg) {
  li_pusherror(L, type, msg);
  li_tmpdrop(t);
  return lua_error(L);
}

/*
** The value argument at 'idx' as an object of 'rt': a handle (borrowed)
** or a Lua integer (a new object, kept in 't').
*/
static isp_int *li_value(lua_State *L, li_runtime *rt, int idx, li_tmp *t,
                         const char *what) {
  li_handle *h;
  if (lua_type(L, idx) == LUA_TNUMBER && lua_isinteger(L, idx)) {
    isp_int *v = isp_from_i64(rt->R, (int64_t)lua_tointeger(L, idx));
    if (v == NULL) li_rterror(L, t);
    t->v[t->n++] = v;
    return v;
  }
  h = li_tohandle(L, idx);
  if (h == NULL || h->state != LI_LIVE || h->rt != rt) {
    const char *msg;
    if (h != NULL && h->state == LI_CLOSED) msg = "int handle's runtime is closed";
    else if (h != NULL && h->state != LI_LIVE) msg = "int handle has been released";
    else if (h != NULL) msg = "ints from different runtimes";
    else {
      msg = lua_pushfstring(L, "%s: expected an int or a Lua integer, got %s",
                            what, li_typename(L, idx));
      li_tmperror(L, t, "TypeError", msg);
    }
    li_tmperror(L, t, "ValueError", msg);
  }
  return h->v;
}

/* Push the result 'v' (NULL: raise) into the handle pushed at 'hidx'. */
static void li_fill(lua_State *L, li_runtime *rt, int hidx, isp_int *v, li_tmp *t) {
  if (v == NULL) li_rterror(L, t);
  li_sethandle((li_handle *)lua_touserdata(L, hidx), rt, v);
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

/* The handle among the two operands of a metamethod (there is one). */
static int li_handlearg(lua_State *L, li_runtime **rt) {
  int idx = li_tohandle(L, 1) ? 1 : 2;
  li_handle *h = li_tohandle(L, idx);
  if (h == NULL) luaL_error(L, "intspect: metamethod called without an int");
  li_checklive(L, h, NULL);
  *rt = h->rt;
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
static double li_asdouble(lua_State *L, li_runtime *rt, int idx) {
  double d;
  li_handle *h;
  if (lua_type(L, idx) == LUA_TNUMBER) return (double)lua_tonumber(L, idx);
  h = li_tohandle(L, idx);
  if (h == NULL || h->state != LI_LIVE || h->rt != rt)
    li_raise(L, "TypeError", "unsupported operand type(s): '%s' and float", li_typename(L, idx));
  if (isp_to_double(rt->R, h->v, &d) != 0) {
    li_pushrterror(L, rt->R);
    lua_error(L);
  }
  return d;
}

/*
** int op float follows Python (the int becomes a float) for + - *; the
** other operators do not take floats here (documented).
*/
static int li_floatop(lua_State *L, li_runtime *rt, int op) {
  double x, y;
  if (op != OP_ADD && op != OP_SUB && op != OP_MUL)
    return li_raise(L, "TypeError", "unsupported operand type(s) for %s: '%s' and '%s'",
                    li_opsym[op], li_pytype(L, 1), li_pytype(L, 2));
  x = li_asdouble(L, rt, 1);
  y = li_asdouble(L, rt, 2);
  lua_pushnumber(L, op == OP_ADD ? x + y : op == OP_SUB ? x - y : x * y);
  return 1;
}

static int li_binop(lua_State *L, int op) {
  li_runtime *rt;
  int hidx = li_handlearg(L, &rt);
  li_tmp t = { rt->R, 0, { NULL, NULL, NULL } };
  isp_int *a, *b;
  if (li_isfloat(L, 1) || li_isfloat(L, 2)) return li_floatop(L, rt, op);
  if (op == OP_TRUEDIV) {
    double d;
    a = li_value(L, rt, 1, &t, "left operand");
    b = li_value(L, rt, 2, &t, "right operand");
    if (isp_truediv(rt->R, a, b, &d) != 0) li_rterror(L, &t);
    li_tmpdrop(&t);
    lua_pushnumber(L, d);
    return 1;
  }
  lua_getiuservalue(L, hidx, 1);          /* the runtime userdata */
  li_newhandle(L, lua_gettop(L));
  a = li_value(L, rt, 1, &t, "left operand");
  b = li_value(L, rt, 2, &t, "right operand");
  if (op == OP_POW) {
    isp_int *r = NULL;
    double d;
    int k = isp_pow(rt->R, a, b, NULL, &r, &d);
    if (k < 0) li_rterror(L, &t);
    li_tmpdrop(&t);
    if (k == 1) {
      lua_pushnumber(L, d);
      return 1;
    }
    li_sethandle((li_handle *)lua_touserdata(L, -1), rt, r);
    return 1;
  }
  li_fill(L, rt, -1, li_opfn[op](rt->R, a, b), &t);
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

static int li_unop(lua_State *L, isp_int *(*fn)(isp_runtime *, isp_int *)) {
  li_handle *h = li_tohandle(L, 1);
  li_tmp t;
  if (h == NULL) return luaL_error(L, "intspect: metamethod called without an int");
  li_checklive(L, h, NULL);
  t.R = h->rt->R;
  t.n = 0;
  lua_getiuservalue(L, 1, 1);
  li_newhandle(L, lua_gettop(L));
  li_fill(L, h->rt, -1, fn(h->rt->R, h->v), &t);
  return 1;
}

static int li_unm(lua_State *L) { return li_unop(L, isp_neg); }
static int li_bnot(lua_State *L) { return li_unop(L, isp_invert); }

/*
** Exact comparison of an int with a float, as Python does it: -1, 0, 1,
** or 2 when unordered (NaN).  The float's floor is made an int and
** compared; a fraction left over makes the float the larger.
*/
static int li_cmpfloat(lua_State *L, li_runtime *rt, isp_int *a, double f) {
  double fl;
  isp_int *b;
  int c;
  if (f != f) return 2;
  if (isinf(f)) return f > 0 ? -1 : 1;
  fl = floor(f);
  b = isp_from_double(rt->R, fl);
  if (b == NULL) {
    li_pushrterror(L, rt->R);
    lua_error(L);
  }
  c = isp_compare(rt->R, a, b);
  isp_decref(rt->R, b);
  if (c == 0 && f != fl) c = -1;
  return c;
}

/* Compare operands 1 and 2: -1, 0, 1, or 2 when unordered. */
static int li_compare(lua_State *L) {
  li_runtime *rt;
  int hidx = li_handlearg(L, &rt);
  li_tmp t = { rt->R, 0, { NULL, NULL, NULL } };
  isp_int *a, *b;
  int c;
  int fidx = li_isfloat(L, 1) ? 1 : li_isfloat(L, 2) ? 2 : 0;
  if (fidx != 0) {
    c = li_cmpfloat(L, rt, li_value(L, rt, hidx, &t, "operand"),
                    (double)lua_tonumber(L, fidx));
    li_tmpdrop(&t);
    if (c != 2 && fidx == 1) c = -c;
    return c;
  }
  a = li_value(L, rt, 1, &t, "left operand");
  b = li_value(L, rt, 2, &t, "right operand");
  c = isp_compare(rt->R, a, b);
  li_tmpdrop(&t);
  return c;
}

static int li_lt(lua_State *L) {
  int c = li_compare(L);
  lua_pushboolean(L, c == -1);
  return 1;
}

static int li_le(lua_State *L) {
  int c = li_compare(L);
  lua_pushboolean(L, c == -1 || c == 0);
  return 1;
}

/* Lua calls __eq only for two userdata: equal values, never identity. */
static int li_eq(lua_State *L) {
  li_handle *a = li_tohandle(L, 1), *b = li_tohandle(L, 2);
  if (a == NULL || b == NULL) {
    lua_pushboolean(L, 0);
    return 1;
  }
  li_checklive(L, a, NULL);
  li_checklive(L, b, a->rt);
  lua_pushboolean(L, isp_compare(a->rt->R, a->v, b->v) == 0);
  return 1;
}

/* Push str(v) in 'base'; raises the runtime's error (max_str_digits...). */
static void li_pushstr(lua_State *L, li_runtime *rt, isp_int *v, int base, li_tmp *t) {
  size_t len;
  char *s = isp_to_string(rt->R, v, base, &len);
  if (s == NULL) li_rterror(L, t);
  lua_pushlstring(L, s, len);  /* (a Lua memory error here strands 's') */
  isp_free_string(rt->R, s);
}

static int li_tostring(lua_State *L) {
  li_handle *h = li_tohandle(L, 1);
  li_tmp t;
  if (h == NULL) return luaL_error(L, "intspect: __tostring called without an int");
  li_checklive(L, h, NULL);
  t.R = h->rt->R;
  t.n = 0;
  li_pushstr(L, h->rt, h->v, 10, &t);
  return 1;
}

/* "x = " .. a: an int concatenates as its decimal text. */
static int li_concat(lua_State *L) {
  int i;
  for (i = 1; i <= 2; i++) {
    li_handle *h = li_tohandle(L, i);
    if (h != NULL) {
      li_tmp t;
      li_checklive(L, h, NULL);
      t.R = h->rt->R;
      t.n = 0;
      li_pushstr(L, h->rt, h->v, 10, &t);
    } else if (lua_type(L, i) == LUA_TSTRING || lua_type(L, i) == LUA_TNUMBER) {
      lua_pushvalue(L, i);
    } else {
      return li_raise(L, "TypeError", "attempt to concatenate a %s value", li_typename(L, i));
    }
  }
  lua_concat(L, 2);
  return 1;
}

static int li_gc(lua_State *L) {
  li_handle *h = (li_handle *)lua_touserdata(L, 1);
  if (h->state == LI_LIVE) li_drophandle(h, LI_RELEASED);
  return 0;
}

/* a:release(): drop the reference now; later use raises. */
static int li_release(lua_State *L) {
  li_handle *h = li_tohandle(L, 1);
  if (h == NULL)
    return li_raise(L, "TypeError", "expected an int as self (use a:release()), got %s",
                    li_typename(L, 1));
  li_checklive(L, h, NULL);
  li_drophandle(h, LI_RELEASED);
  return 0;
}

/* __close: like release, but quiet when the handle is already dead. */
static int li_closehandle(lua_State *L) {
  li_handle *h = li_tohandle(L, 1);
  if (h != NULL && h->state == LI_LIVE) li_drophandle(h, LI_RELEASED);
  return 0;
}

static li_handle *li_self(lua_State *L) {
  li_handle *h = li_tohandle(L, 1);
  if (h == NULL)
    li_raise(L, "TypeError", "expected an int as self (use a:method()), got %s",
             li_typename(L, 1));
  return li_checklive(L, h, NULL);
}

static int li_tofloat(lua_State *L) {
  li_handle *h = li_self(L);
  double d;
  if (isp_to_double(h->rt->R, h->v, &d) != 0) {
    li_pushrterror(L, h->rt->R);
    return lua_error(L);
  }
  lua_pushnumber(L, d);
  return 1;
}

static int li_tointeger(lua_State *L) {
  li_handle *h = li_self(L);
  int64_t n;
  if (isp_to_i64(h->rt->R, h->v, &n) != 0) {
    li_pushrterror(L, h->rt->R);
    return lua_error(L);
  }
  lua_pushinteger(L, (lua_Integer)n);
  return 1;
}

static int li_bit_length(lua_State *L) {
  li_handle *h = li_self(L);
  lua_pushinteger(L, (lua_Integer)isp_bit_length(h->rt->R, h->v));
  return 1;
}

static int li_bit_count(lua_State *L) {
  li_handle *h = li_self(L);
  lua_pushinteger(L, (lua_Integer)isp_bit_count(h->rt->R, h->v));
  return 1;
}

/* a:tobytes([length=1 [, order="big" [, signed=false]]]) */
static int li_tobytes(lua_State *L) {
  li_handle *h = li_self(L);
  lua_Integer len = li_optinteger(L, 2, "length", 1);
  int little = li_optorder(L, 3);
  int is_signed = li_optsigned(L, 4);
  uint8_t *buf;
  if (len < 0 || len == 0) {
    /* the C API reports a negative length; zero needs no buffer */
    uint8_t dummy;
    if (isp_to_bytes(h->rt->R, h->v, (int64_t)len, little, is_signed, &dummy) != 0) {
      li_pushrterror(L, h->rt->R);
      return lua_error(L);
    }
    lua_pushliteral(L, "");
    return 1;
  }
  if (len > LI_MAX_BYTES)
    return li_raise(L, "MemoryError", "");
  buf = (uint8_t *)malloc((size_t)len);
  if (buf == NULL) return li_raise(L, "MemoryError", "");
  if (isp_to_bytes(h->rt->R, h->v, (int64_t)len, little, is_signed, buf) != 0) {
    free(buf);
    li_pushrterror(L, h->rt->R);
    return lua_error(L);
  }
  lua_pushlstring(L, (const char *)buf, (size_t)len);
  free(buf);
  return 1;
}

/* a:runtime(): the runtime this int belongs to. */
static int li_handle_runtime(lua_State *L) {
  li_self(L);
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

/* Start a method returning one new int: the result handle is at index -1. */
#define LI_BEGIN(rt, t, nargs) \
  li_runtime *rt = (lua_settop(L, (nargs) + 1), li_checkruntime(L)); \
  li_tmp t = { rt->R, 0, { NULL, NULL, NULL } }; \
  li_newhandle(L, 1)

/* R:int([x [, base]]) */
static int li_int(lua_State *L) {
  int type = lua_type(L, 2);
  isp_int *v;
  li_handle *h;
  LI_BEGIN(rt, t, 2);
  if (!lua_isnoneornil(L, 3) && type != LUA_TSTRING)
    return li_raise(L, "TypeError", "int() can't convert non-string with explicit base");
  switch (type) {
    case LUA_TNONE:
      v = isp_from_i64(rt->R, 0);
      break;
    case LUA_TNUMBER:
      if (lua_isinteger(L, 2)) v = isp_from_i64(rt->R, (int64_t)lua_tointeger(L, 2));
      else v = isp_from_double(rt->R, (double)lua_tonumber(L, 2));
      break;
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(L, 2, &len);
      lua_Integer base = li_optinteger(L, 3, "base", 10);
      v = isp_from_string(rt->R, s, len, li_clampint(base));
      break;
    }
    default:
      h = li_tohandle(L, 2);
      if (h == NULL)
        return li_raise(L, "TypeError",
                        "int() argument must be a string or a number, not '%s'",
                        li_typename(L, 2));
      li_checklive(L, h, rt);
      isp_incref(rt->R, h->v);
      v = h->v;
      break;
  }
  li_fill(L, rt, -1, v, &t);
  return 1;
}

/* R:frombytes(s [, order="big" [, signed=false]]) */
static int li_frombytes(lua_State *L) {
  size_t len;
  const char *s;
  int little, is_signed;
  LI_BEGIN(rt, t, 3);
  if (lua_type(L, 2) != LUA_TSTRING)
    return li_raise(L, "TypeError", "frombytes() argument must be a string, got %s",
                    li_typename(L, 2));
  s = lua_tolstring(L, 2, &len);
  little = li_optorder(L, 3);
  is_signed = li_optsigned(L, 4);
  li_fill(L, rt, -1, isp_from_bytes(rt->R, (const uint8_t *)s, len, little, is_signed), &t);
  return 1;
}

/* R:long(a): 2.7's long(a); elsewhere a new handle to the same object. */
static int li_long(lua_State *L) {
  LI_BEGIN(rt, t, 1);
  li_fill(L, rt, -1, isp_to_long(rt->R, li_value(L, rt, 2, &t, "argument #1")), &t);
  li_tmpdrop(&t);
  return 1;
}

static int li_unary(lua_State *L, isp_int *(*fn)(isp_runtime *, isp_int *)) {
  LI_BEGIN(rt, t, 1);
  li_fill(L, rt, -1, fn(rt->R, li_value(L, rt, 2, &t, "argument #1")), &t);
  li_tmpdrop(&t);
  return 1;
}

static int li_isqrt(lua_State *L) { return li_unary(L, isp_isqrt); }
static int li_abs(lua_State *L) { return li_unary(L, isp_abs); }

static int li_gcd(lua_State *L) {
  isp_int *a, *b;
  LI_BEGIN(rt, t, 2);
  a = li_value(L, rt, 2, &t, "argument #1");
  b = li_value(L, rt, 3, &t, "argument #2");
  li_fill(L, rt, -1, isp_gcd(rt->R, a, b), &t);
  li_tmpdrop(&t);
  return 1;
}

/* R:divmod(a, b) -> q, r */
static int li_divmod(lua_State *L) {
  isp_int *a, *b, *q, *r;
  LI_BEGIN(rt, t, 2);
  li_newhandle(L, 1);
  a = li_value(L, rt, 2, &t, "argument #1");
  b = li_value(L, rt, 3, &t, "argument #2");
  if (isp_divmod(rt->R, a, b, &q, &r) != 0) li_rterror(L, &t);
  li_tmpdrop(&t);
  li_sethandle((li_handle *)lua_touserdata(L, -2), rt, q);
  li_sethandle((li_handle *)lua_touserdata(L, -1), rt, r);
  return 2;
}

/* R:pow(a, b [, m]) -> int, or a Lua float for a negative exponent */
static int li_pow(lua_State *L) {
  isp_int *a, *b, *m = NULL, *r = NULL;
  double d;
  int k;
  LI_BEGIN(rt, t, 3);
  if (li_isfloat(L, 2) || li_isfloat(L, 3) || li_isfloat(L, 4)) {
    if (!lua_isnoneornil(L, 4))
      return li_raise(L, "TypeError",
                      "pow() 3rd argument not allowed unless all arguments are integers");
    return li_raise(L, "TypeError", "pow() takes ints or Lua integers here, not floats");
  }
  a = li_value(L, rt, 2, &t, "argument #1");
  b = li_value(L, rt, 3, &t, "argument #2");
  if (!lua_isnoneornil(L, 4)) m = li_value(L, rt, 4, &t, "argument #3");
  k = isp_pow(rt->R, a, b, m, &r, &d);
  if (k < 0) li_rterror(L, &t);
  li_tmpdrop(&t);
  if (k == 1) {
    lua_pushnumber(L, d);
    return 1;
  }
  li_sethandle((li_handle *)lua_touserdata(L, -1), rt, r);
  return 1;
}

/* R:truediv(a, b) -> Lua float */
static int li_truediv(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  li_tmp t = { rt->R, 0, { NULL, NULL, NULL } };
  isp_int *a = li_value(L, rt, 2, &t, "argument #1");
  isp_int *b = li_value(L, rt, 3, &t, "argument #2");
  double d;
  if (isp_truediv(rt->R, a, b, &d) != 0) li_rterror(L, &t);
  li_tmpdrop(&t);
  lua_pushnumber(L, d);
  return 1;
}

/* R:str(a [, base=10]) */
static int li_str(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  li_tmp t = { rt->R, 0, { NULL, NULL, NULL } };
  lua_Integer base = li_optinteger(L, 3, "base", 10);
  isp_int *a = li_value(L, rt, 2, &t, "argument #1");
  li_pushstr(L, rt, a, li_clampint(base), &t);
  li_tmpdrop(&t);
  return 1;
}

static int li_hash(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  li_tmp t = { rt->R, 0, { NULL, NULL, NULL } };
  isp_int *a = li_value(L, rt, 2, &t, "argument #1");
  lua_Integer h = (lua_Integer)isp_hash(rt->R, a);
  li_tmpdrop(&t);
  lua_pushinteger(L, h);
  return 1;
}

/* R:compare(a, b) -> -1, 0 or 1 */
static int li_cmp(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  li_tmp t = { rt->R, 0, { NULL, NULL, NULL } };
  isp_int *a = li_value(L, rt, 2, &t, "argument #1");
  isp_int *b = li_value(L, rt, 3, &t, "argument #2");
  int c = isp_compare(rt->R, a, b);
  li_tmpdrop(&t);
  lua_pushinteger(L, c);
  return 1;
}

/* ---- the object model: these take handles only, never Lua numbers ---- */

static int li_id(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  li_handle *h = li_checkhandle(L, 2, rt);
  lua_pushinteger(L, (lua_Integer)isp_id(h->v));
  return 1;
}

static int li_is(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  li_handle *a = li_checkhandle(L, 2, rt);
  li_handle *b = li_checkhandle(L, 3, rt);
  lua_pushboolean(L, isp_id(a->v) == isp_id(b->v));
  return 1;
}

static int li_refcount(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  li_handle *h = li_checkhandle(L, 2, rt);
  lua_pushinteger(L, (lua_Integer)isp_refcount(rt->R, h->v));
  return 1;
}

static int li_sizeof(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  li_handle *h = li_checkhandle(L, 2, rt);
  lua_pushinteger(L, (lua_Integer)isp_sizeof(rt->R, h->v));
  return 1;
}

static int li_is_immortal(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  li_handle *h = li_checkhandle(L, 2, rt);
  lua_pushboolean(L, isp_is_immortal(rt->R, h->v));
  return 1;
}

static int li_type(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  li_handle *h = li_checkhandle(L, 2, rt);
  lua_pushstring(L, isp_type_name(rt->R, h->v));
  return 1;
}

/* ---- the runtime as a whole ---- */

static void li_setu64(lua_State *L, const char *k, uint64_t v) {
  lua_pushinteger(L, (lua_Integer)v);
  lua_setfield(L, -2, k);
}

static int li_stats(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  isp_stats s;
  isp_get_stats(rt->R, &s);
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
*/
static int li_histogram(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  int64_t lo, hi, v;
  const uint64_t *h = isp_histogram(rt->R, &lo, &hi);
  if (h == NULL) {
    lua_pushnil(L);
    return 1;
  }
  lua_createtable(L, 0, (int)(hi - lo + 1));
  for (v = lo; v <= hi; v++) {
    lua_pushinteger(L, (lua_Integer)h[v - lo]);
    lua_rawseti(L, -2, (lua_Integer)v);
  }
  lua_pushinteger(L, (lua_Integer)lo);
  lua_pushinteger(L, (lua_Integer)hi);
  return 3;
}

static int li_collect(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  isp_collect(rt->R);
  return 0;
}

static int li_small_range(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  int64_t lo, hi;
  isp_small_range(rt->R, &lo, &hi);
  lua_pushinteger(L, (lua_Integer)lo);
  lua_pushinteger(L, (lua_Integer)hi);
  return 2;
}

/* R:gc_threshold() -> t0, t1, t2, as gc.get_threshold() under the profile. */
static int li_gc_threshold(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  int64_t t[3];
  int i;
  isp_gc_threshold(rt->R, t);
  for (i = 0; i < 3; i++) lua_pushinteger(L, (lua_Integer)t[i]);
  return 3;
}

/* R:set_fail_alloc_after(n | nil): nil or a negative n lifts the limit. */
static int li_set_fail_alloc_after(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  lua_Integer n = li_optinteger(L, 2, "fail_alloc_after", -1);
  isp_set_fail_alloc_after(rt->R, (int64_t)(n < 0 ? -1 : n));
  return 0;
}

static int li_set_max_str_digits(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  lua_Integer n;
  if (lua_isnoneornil(L, 2))
    return li_raise(L, "TypeError", "set_max_str_digits() needs an integer");
  n = li_optinteger(L, 2, "maxdigits", 0);
  if (isp_set_max_str_digits(rt->R, (int64_t)n) != 0) {
    li_pushrterror(L, rt->R);
    return lua_error(L);
  }
  return 0;
}

static int li_get_max_str_digits(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  lua_pushinteger(L, (lua_Integer)isp_get_max_str_digits(rt->R));
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

/* Invalidate every handle of 'rt', dropping its reference. */
static void li_dropall(li_runtime *rt, int why) {
  while (rt->handles != NULL) li_drophandle(rt->handles, why);
}

/*
** R:close() -> {count = n, {id=, refcount=, value=}, ...}.  The handles
** still alive are invalidated and their references dropped first, so an
** int the script still holds is not a leak.
*/
static void li_pushleaks(lua_State *L, size_t count, li_leaks *lk);

static int li_close(lua_State *L) {
  li_runtime *rt = li_checkruntime(L);
  li_leaks lk = { NULL, NULL, 0, 0 };
  size_t count;
  li_dropall(rt, LI_CLOSED);
  count = isp_runtime_close(rt->R, li_onleak, &lk);
  rt->R = NULL;
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
  li_runtime *rt = li_checkruntime(L);
  li_leaks lk = { NULL, NULL, 0, 0 };
  size_t count;
  li_dropall(rt, LI_RESET);
  count = isp_runtime_reset(rt->R, li_onleak, &lk);
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

/* __gc and __close of a runtime: close quietly if still open. */
static int li_rt_gc(lua_State *L) {
  li_runtime *rt = (li_runtime *)lua_touserdata(L, 1);
  if (rt != NULL && rt->R != NULL) {
    li_dropall(rt, LI_CLOSED);
    isp_runtime_close(rt->R, NULL, NULL);
    rt->R = NULL;
  }
  return 0;
}

static int li_rt_tostring(lua_State *L) {
  li_runtime *rt = (li_runtime *)lua_touserdata(L, 1);
  if (rt->R == NULL) lua_pushliteral(L, "intspect.runtime (closed)");
  else lua_pushfstring(L, "intspect.runtime (%s)", isp_runtime_profile(rt->R));
  return 1;
}

/* R.profile, R.closed, then the methods (upvalue 4). */
static int li_rt_index(lua_State *L) {
  li_runtime *rt = (li_runtime *)lua_touserdata(L, 1);
  const char *k;
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(4)) != LUA_TNIL) return 1;
  k = lua_tostring(L, 2);
  if (k != NULL && strcmp(k, "profile") == 0) {
    if (rt->R == NULL) return li_raise(L, "ValueError", "runtime is closed");
    lua_pushstring(L, isp_runtime_profile(rt->R));
    return 1;
  }
  if (k != NULL && strcmp(k, "closed") == 0) {
    lua_pushboolean(L, rt->R == NULL);
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

/* intspect.runtime([opts | profile]) */
static int li_runtime_new(lua_State *L) {
  isp_options o;
  char err[256];
  li_runtime *rt;
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
  rt = (li_runtime *)lua_newuserdatauv(L, sizeof(li_runtime), 0);
  rt->R = NULL;
  rt->handles = NULL;
  lua_pushvalue(L, UV_RTMT);
  lua_setmetatable(L, -2);
  err[0] = '\0';
  rt->R = isp_runtime_new(&o, err, sizeof err);
  if (rt->R == NULL) return li_raisecreate(L, err[0] ? err : "MemoryError: ");
  return 1;
}

static int li_is_int(lua_State *L) {
  lua_pushboolean(L, li_tohandle(L, 1) != NULL);
  return 1;
}

static int li_is_runtime(lua_State *L) {
  lua_pushboolean(L, lua_type(L, 1) == LUA_TUSERDATA && li_hasmt(L, 1, UV_RTMT));
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
  li_runtime *rt;
  int ok;
  if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return NULL;
  lua_getfield(L, LUA_REGISTRYINDEX, LI_REG_RTMT);
  ok = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  if (!ok) return NULL;
  rt = (li_runtime *)lua_touserdata(L, idx);
  return rt->R;
}

void lintspect_newint(lua_State *L, int rtidx) {
  li_handle *h;
  rtidx = lua_absindex(L, rtidx);
  h = (li_handle *)lua_newuserdatauv(L, sizeof(li_handle), 1);
  h->v = NULL;
  h->rt = NULL;
  h->prev = h->next = NULL;
  h->state = LI_UNSET;
  lua_pushvalue(L, rtidx);
  lua_setiuservalue(L, -2, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, LI_REG_INTMT);
  lua_setmetatable(L, -2);
}

void lintspect_fillint(lua_State *L, int idx, isp_int *v) {
  li_handle *h = (li_handle *)lua_touserdata(L, idx);
  li_runtime *rt;
  lua_getiuservalue(L, idx, 1);
  rt = (li_runtime *)lua_touserdata(L, -1);
  lua_pop(L, 1);
  li_sethandle(h, rt, v);
}

/* }====================================================================== */


static void li_pushupvalues(lua_State *L, int intmt, int rtmt, int errmt) {
  lua_pushvalue(L, intmt);
  lua_pushvalue(L, rtmt);
  lua_pushvalue(L, errmt);
}

int luaopen_intspect(lua_State *L) {
  int intmt, rtmt, errmt, mod;
  const char *const *names;
  int i;

  lua_newtable(L); intmt = lua_gettop(L);
  lua_newtable(L); rtmt = lua_gettop(L);
  lua_newtable(L); errmt = lua_gettop(L);
  lua_newtable(L); mod = lua_gettop(L);

  /* ints: metamethods, then methods through __index */
  lua_pushvalue(L, intmt);
  li_pushupvalues(L, intmt, rtmt, errmt);
  luaL_setfuncs(L, li_int_meta, LI_NUPS);
  lua_newtable(L);
  li_pushupvalues(L, intmt, rtmt, errmt);
  luaL_setfuncs(L, li_int_methods, LI_NUPS);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, "intspect.int");
  lua_setfield(L, -2, "__name");
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
