/*
** luaprop.c -- properties written in Lua, and the data provider they draw
** their arguments from.
**
** One Lua state per property, kept across inputs: the property function,
** one provider userdata whose input pointer moves from input to input,
** and the runtimes the property asked for, kept by profile and small-int
** range and reset after every input (R:reset(), which first invalidates
** every int handle the input made).  So an input sees the same world
** whether it runs first or millionth, and anything left alive after the
** handles are gone is a leak of the runtime itself: a finding.
**
** The provider reads the input front to back.  When a method needs more
** bytes than are left it raises a private sentinel error: the property
** stops there and the input counts as too short (LP_SHORT), never as a
** run with made-up defaults.
**
** Nothing here computes with ints: the provider builds its values with the
** public C API and hands them to Lua as ordinary handles (lintspect.c).
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "intspect.h"
#include "lintspect.h"
#include "luaprop.h"

#define LP_SENTINEL "intspect.provider: input exhausted"
#define LP_PROVIDER_MT "intspect.provider"
/* Runtimes kept at once; past it they are all closed and made anew. */
#define LP_MAX_RUNTIMES 64
/* Largest max_bits consume_int takes. */
#define LP_MAX_BITS 65536

typedef struct lp_provider {
  const uint8_t *p;             /* the input not yet consumed */
  size_t n;
  size_t size;                  /* the whole input */
  int logging;                  /* recording the decoded arguments */
  char *log;
  size_t loglen, logcap;
  int nlog;
} lp_provider;

struct lp_prop {
  lua_State *L;
  char name[128];
  size_t max_len;
  int fn_ref, provider_ref, runtimes_ref;
  int used_ref;                 /* runtime -> true: those this input used */
  int nused;
  int nruntimes;
  lp_provider *prov;
  void (*hit)(void *ud, uint32_t edge);
  void *hit_ud;
  uint32_t prev_line;
  char *fail;                   /* the last finding, as text */
};


/*
** {======================================================================
** The decoding log (only while lp_report re-runs an input)
** =======================================================================
*/

static void lp_logf(lp_provider *pv, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void lp_logf(lp_provider *pv, const char *fmt, ...) {
  va_list ap;
  int need;
  char line[512];
  va_start(ap, fmt);
  need = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (need < 0) return;
  if ((size_t)need >= sizeof line) need = (int)sizeof line - 1;
  if (pv->loglen + (size_t)need + 16 > pv->logcap) {
    size_t cap = pv->logcap ? 2 * pv->logcap : 1024;
    char *p;
    while (cap < pv->loglen + (size_t)need + 16) cap *= 2;
    p = realloc(pv->log, cap);
    if (p == NULL) return;
    pv->log = p;
    pv->logcap = cap;
  }
  pv->nlog++;
  pv->loglen += (size_t)snprintf(pv->log + pv->loglen, pv->logcap - pv->loglen, "  %3d  %s\n",
                                 pv->nlog, line);
}

/* A Lua value as the log shows it: ints and numbers as themselves,
** strings quoted with non-printing bytes escaped, cut at 120 bytes. */
static const char *lp_show(lua_State *L, int idx, char *buf, size_t size) {
  size_t len, i, o = 0;
  const char *s;
  if (lua_type(L, idx) != LUA_TSTRING) {
    s = luaL_tolstring(L, idx, &len);
    snprintf(buf, size, "%.*s%s", (int)(len > 200 ? 200 : len), s, len > 200 ? "..." : "");
    lua_pop(L, 1);
    return buf;
  }
  s = lua_tolstring(L, idx, &len);
  buf[o++] = '"';
  for (i = 0; i < len && i < 120 && o + 8 < size; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') buf[o++] = (char)c;
    else o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
  }
  if (i < len) o += (size_t)snprintf(buf + o, size - o, "\"... (%zu bytes)", len);
  else buf[o++] = '"';
  buf[o < size ? o : size - 1] = '\0';
  return buf;
}

/* }====================================================================== */


/*
** {======================================================================
** Reading the input
** =======================================================================
*/

static lp_provider *lp_checkprovider(lua_State *L) {
  return (lp_provider *)luaL_checkudata(L, 1, LP_PROVIDER_MT);
}

/* Raise the sentinel: the input has fewer than the bytes asked for. */
static int lp_exhausted(lua_State *L) {
  lua_getfield(L, LUA_REGISTRYINDEX, LP_SENTINEL);
  return lua_error(L);
}

static const uint8_t *lp_need(lua_State *L, lp_provider *pv, size_t k) {
  const uint8_t *p = pv->p;
  if (k > pv->n) lp_exhausted(L);
  pv->p += k;
  pv->n -= k;
  return p;
}

static uint64_t lp_bytes_be(lua_State *L, lp_provider *pv, size_t k) {
  const uint8_t *p = lp_need(L, pv, k);
  uint64_t v = 0;
  size_t i;
  for (i = 0; i < k; i++) v = v << 8 | p[i];
  return v;
}

/* A value in [min, max] from as few bytes as the range needs. */
static lua_Integer lp_integer(lua_State *L, lp_provider *pv, lua_Integer min, lua_Integer max) {
  uint64_t range = (uint64_t)max - (uint64_t)min, v;
  size_t k = 0;
  while (k < 8 && (range >> (8 * k)) != 0) k++;
  v = lp_bytes_be(L, pv, k);
  if (range != UINT64_MAX) v %= range + 1;
  return (lua_Integer)((uint64_t)min + v);
}

/* p:consume_integer(min, max) */
static int lp_consume_integer(lua_State *L) {
  lp_provider *pv = lp_checkprovider(L);
  lua_Integer min = luaL_checkinteger(L, 2), max = luaL_checkinteger(L, 3);
  lua_Integer v;
  luaL_argcheck(L, min <= max, 3, "max is below min");
  v = lp_integer(L, pv, min, max);
  lua_pushinteger(L, v);
  if (pv->logging)
    lp_logf(pv, "consume_integer(%lld, %lld) -> %lld", (long long)min, (long long)max,
            (long long)v);
  return 1;
}

/* p:consume_boolean() */
static int lp_consume_boolean(lua_State *L) {
  lp_provider *pv = lp_checkprovider(L);
  int b = *lp_need(L, pv, 1) & 1;
  lua_pushboolean(L, b);
  if (pv->logging) lp_logf(pv, "consume_boolean() -> %s", b ? "true" : "false");
  return 1;
}

/* p:consume_probability(): a float in [0, 1] from four bytes */
static int lp_consume_probability(lua_State *L) {
  lp_provider *pv = lp_checkprovider(L);
  double d = (double)lp_bytes_be(L, pv, 4) / 4294967295.0;
  lua_pushnumber(L, d);
  if (pv->logging) lp_logf(pv, "consume_probability() -> %.17g", d);
  return 1;
}

static void lp_pushbytes(lua_State *L, lp_provider *pv, size_t k, const char *what,
                         long long arg) {
  const uint8_t *p = lp_need(L, pv, k);
  lua_pushlstring(L, (const char *)p, k);
  if (pv->logging) {
    char buf[600];
    lp_logf(pv, "%s(%lld) -> %s", what, arg, lp_show(L, -1, buf, sizeof buf));
  }
}

/* p:consume_bytes(n): exactly n bytes */
static int lp_consume_bytes(lua_State *L) {
  lp_provider *pv = lp_checkprovider(L);
  lua_Integer k = luaL_checkinteger(L, 2);
  luaL_argcheck(L, k >= 0, 2, "a byte count must not be negative");
  lp_pushbytes(L, pv, (size_t)k, "consume_bytes", (long long)k);
  return 1;
}

/* p:consume_string(max_len): a length in [0, max_len], then that many bytes */
static int lp_consume_string(lua_State *L) {
  lp_provider *pv = lp_checkprovider(L);
  lua_Integer max = luaL_checkinteger(L, 2), k;
  luaL_argcheck(L, max >= 0, 2, "max_len must not be negative");
  k = lp_integer(L, pv, 0, max);
  lp_pushbytes(L, pv, (size_t)k, "consume_string", (long long)max);
  return 1;
}

/* p:pick(list): one element of a non-empty sequence */
static int lp_pick(lua_State *L) {
  lp_provider *pv = lp_checkprovider(L);
  lua_Integer n, i;
  luaL_checktype(L, 2, LUA_TTABLE);
  n = luaL_len(L, 2);
  luaL_argcheck(L, n > 0, 2, "pick() needs a non-empty list");
  i = lp_integer(L, pv, 1, n);
  lua_geti(L, 2, i);
  if (pv->logging) {
    char buf[600];
    lp_logf(pv, "pick(list of %lld) -> [%lld] %s", (long long)n, (long long)i,
            lp_show(L, -1, buf, sizeof buf));
  }
  return 1;
}

/* p:remaining(): bytes not yet consumed */
static int lp_remaining(lua_State *L) {
  lp_provider *pv = lp_checkprovider(L);
  lua_pushinteger(L, (lua_Integer)pv->n);
  return 1;
}

/* }====================================================================== */


/*
** {======================================================================
** Runtimes: p:runtime(), kept across inputs by profile and range
** =======================================================================
*/

/* The runtime for (profile, range) from the kept ones, or a new one. */
static void lp_getruntime(lua_State *L, lp_prop *P, const char *profile, int set_small,
                          lua_Integer neg, lua_Integer pos) {
  int kept;
  lua_rawgeti(L, LUA_REGISTRYINDEX, P->runtimes_ref);
  kept = lua_gettop(L);
  if (set_small) lua_pushfstring(L, "%s %I %I", profile, neg, pos);
  else lua_pushstring(L, profile);
  lua_pushvalue(L, -1);
  if (lua_rawget(L, kept) == LUA_TNIL) {
    lua_pop(L, 1);
    if (P->nruntimes >= LP_MAX_RUNTIMES) {
      /* forget them all: the garbage collector closes them */
      lua_newtable(L);
      lua_rawseti(L, LUA_REGISTRYINDEX, P->runtimes_ref);
      lua_rawgeti(L, LUA_REGISTRYINDEX, P->runtimes_ref);
      lua_replace(L, kept);
      P->nruntimes = 0;
    }
    lua_getglobal(L, "intspect");
    lua_getfield(L, -1, "runtime");
    lua_createtable(L, 0, 2);
    lua_pushstring(L, profile);
    lua_setfield(L, -2, "profile");
    if (set_small) {
      lua_createtable(L, 2, 0);
      lua_pushinteger(L, neg);
      lua_rawseti(L, -2, 1);
      lua_pushinteger(L, pos);
      lua_rawseti(L, -2, 2);
      lua_setfield(L, -2, "small_ints");
    }
    lua_call(L, 1, 1);
    lua_remove(L, -2);               /* the module */
    lua_pushvalue(L, -2);            /* key */
    lua_pushvalue(L, -2);            /* runtime */
    lua_rawset(L, kept);
    P->nruntimes++;
  }
  /* key, runtime -> runtime */
  lua_remove(L, -2);
  lua_remove(L, kept);
  /* only the runtimes an input used are reset after it */
  lua_rawgeti(L, LUA_REGISTRYINDEX, P->used_ref);
  lua_pushvalue(L, -2);
  if (lua_rawget(L, -2) == LUA_TNIL) {
    lua_pushvalue(L, -3);
    lua_pushboolean(L, 1);
    lua_rawset(L, -4);
    P->nused++;
  }
  lua_pop(L, 2);
}

/*
** p:runtime([profile | {profile=, small_ints={neg, pos}}]): with no
** argument the input chooses the profile and, half of the time, a
** small-int range; the runtime also becomes the one consume_int uses.
*/
static int lp_runtime(lua_State *L) {
  lp_provider *pv = lp_checkprovider(L);
  lp_prop *P = *(lp_prop **)lua_getextraspace(L);
  const char *const *names = isp_profile_names();
  const char *profile;
  int set_small = 0;
  lua_Integer neg = 0, pos = 0;
  if (lua_isnoneornil(L, 2)) {
    size_t count = 0;
    uint8_t b;
    while (names[count] != NULL) count++;
    b = *lp_need(L, pv, 1);
    profile = names[(b & 0x7f) % count];
    if (b & 0x80) {
      set_small = 1;
      neg = (lua_Integer)(lp_bytes_be(L, pv, 2) % 300);
      pos = (lua_Integer)(lp_bytes_be(L, pv, 2) % 1100);
    }
  } else if (lua_type(L, 2) == LUA_TTABLE) {
    lua_getfield(L, 2, "profile");
    profile = lua_isnil(L, -1) ? names[0] : luaL_checkstring(L, -1);
    lua_getfield(L, 2, "small_ints");
    if (!lua_isnil(L, -1)) {
      set_small = 1;
      lua_geti(L, -1, 1);
      lua_geti(L, -2, 2);
      neg = luaL_checkinteger(L, -2);
      pos = luaL_checkinteger(L, -1);
    }
  } else {
    profile = luaL_checkstring(L, 2);
  }
  lp_getruntime(L, P, profile, set_small, neg, pos);
  lua_pushvalue(L, -1);
  lua_setiuservalue(L, 1, 1);          /* the current runtime */
  if (pv->logging) {
    if (set_small)
      lp_logf(pv, "runtime() -> %s, small ints [%lld, %lld]", profile, -(long long)neg,
              (long long)pos - 1);
    else
      lp_logf(pv, "runtime() -> %s", profile);
  }
  return 1;
}

/* }====================================================================== */


/*
** {======================================================================
** p:consume_int(max_bits): an int of the current runtime, edges first
** =======================================================================
*/

/* Edge values as 2**k + d (k < 0: just d): the digit boundaries, the
** word sizes, powers of ten where decimal conversion turns over. */
static const struct { int k; int64_t d; } lp_edges[] = {
  {-1, 0}, {-1, 1}, {-1, 2}, {-1, 7}, {-1, 10}, {-1, 255}, {-1, 1000000000},
  {15, 0}, {16, -1}, {29, 0}, {30, -1}, {30, 0}, {30, 1}, {31, -1}, {31, 0},
  {32, -1}, {32, 0}, {59, 0}, {60, -1}, {60, 0}, {60, 1}, {62, 0}, {63, -1},
  {63, 0}, {63, 1}, {64, -1}, {64, 0}, {89, 0}, {90, -1}, {90, 0}, {90, 1},
  {120, -1}, {120, 0}, {150, 0}, {-1, 999999999999999999}
};
#define LP_NEDGES (sizeof lp_edges / sizeof lp_edges[0])

/* 2**k + d as a new reference, or NULL with the runtime's error set. */
static isp_int *lp_pow2_plus(isp_runtime *R, int k, int64_t d) {
  isp_int *one, *kk, *p, *dd, *r;
  if (k < 0) return isp_from_i64(R, d);
  one = isp_from_i64(R, 1);
  kk = isp_from_i64(R, k);
  p = one && kk ? isp_lshift(R, one, kk) : NULL;
  dd = isp_from_i64(R, d);
  r = p && dd ? isp_add(R, p, dd) : NULL;
  if (one) isp_decref(R, one);
  if (kk) isp_decref(R, kk);
  if (p) isp_decref(R, p);
  if (dd) isp_decref(R, dd);
  return r;
}

/* The current runtime (p:runtime("cpython3.14") when none was chosen) at
** the top of the stack. */
static void lp_current(lua_State *L) {
  if (lua_getiuservalue(L, 1, 1) == LUA_TNIL) {
    lp_prop *P = *(lp_prop **)lua_getextraspace(L);
    lua_pop(L, 1);
    lp_getruntime(L, P, isp_profile_names()[0], 0, 0, 0);
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, 1, 1);
  }
}

static int lp_consume_int(lua_State *L) {
  lp_provider *pv = lp_checkprovider(L);
  lua_Integer max_bits = luaL_optinteger(L, 2, 256);
  isp_runtime *R;
  isp_int *v = NULL;
  uint8_t tag, shape;
  int rtidx;
  luaL_argcheck(L, max_bits >= 1 && max_bits <= LP_MAX_BITS, 2,
                "max_bits must be from 1 to 65536");
  lp_current(L);
  rtidx = lua_gettop(L);
  /* the handle first: making it may run a collection step, and so a
  ** finalizer that closes the runtime; after it nothing here allocates
  ** from Lua until the int is in the handle (see lintspect.h) */
  lintspect_newint(L, rtidx);
  R = lintspect_toruntime(L, rtidx);
  if (R == NULL) return luaL_error(L, "consume_int: the provider's runtime is closed");
  tag = *lp_need(L, pv, 1);
  shape = (uint8_t)((tag & 0x7f) % 6);
  switch (shape) {
    case 0: {                            /* an edge, or an end of the cached range */
      int64_t lo, hi;
      unsigned i = *lp_need(L, pv, 1) % (unsigned)(LP_NEDGES + 4);
      isp_small_range(R, &lo, &hi);
      if (i < LP_NEDGES) {
        int k = lp_edges[i].k;
        int64_t d = lp_edges[i].d;
        if (k >= (int)max_bits) {        /* past max_bits: its highest power of two */
          k = (int)max_bits - 1;
          d = 0;
        }
        v = lp_pow2_plus(R, k, d);
      } else {
        int64_t ends[4];
        ends[0] = lo - 1, ends[1] = lo, ends[2] = hi, ends[3] = hi + 1;
        v = isp_from_i64(R, lo <= hi ? ends[i - LP_NEDGES] : 0);
      }
      break;
    }
    case 1: {                            /* 2**k + d: carries and borrows */
      int k = (int)(lp_bytes_be(L, pv, 2) % (uint64_t)max_bits);
      v = lp_pow2_plus(R, k, (int8_t)*lp_need(L, pv, 1));
      break;
    }
    case 2: {                            /* 2**(30 j) + d: digit boundaries */
      int j = (int)(*lp_need(L, pv, 1) % (uint64_t)(max_bits / 30 + 1));
      v = lp_pow2_plus(R, 30 * j, (int8_t)*lp_need(L, pv, 1));
      break;
    }
    case 3: {                            /* raw big-endian bytes */
      size_t len = (size_t)(*lp_need(L, pv, 1) % (uint64_t)(max_bits / 8 + 1));
      v = isp_from_bytes(R, lp_need(L, pv, len), len, 0, 0);
      break;
    }
    case 4: {                            /* a run of one byte, minus a byte */
      size_t len = (size_t)(*lp_need(L, pv, 1) % (uint64_t)(max_bits / 8 + 1));
      uint8_t fill = *lp_need(L, pv, 1), sub = *lp_need(L, pv, 1);
      uint8_t *buf = malloc(len ? len : 1);
      isp_int *f, *s;
      if (buf == NULL) return luaL_error(L, "consume_int: not enough memory");
      memset(buf, fill, len);
      f = isp_from_bytes(R, buf, len, 0, 0);
      free(buf);
      s = isp_from_i64(R, sub);
      v = f && s ? isp_sub(R, f, s) : NULL;
      if (f) isp_decref(R, f);
      if (s) isp_decref(R, s);
      break;
    }
    default:                             /* a small value */
      v = isp_from_i64(R, (int16_t)lp_bytes_be(L, pv, 2));
      break;
  }
  if (v != NULL && (tag & 0x80)) {
    isp_int *n = isp_neg(R, v);
    isp_decref(R, v);
    v = n;
  }
  if (v == NULL) {                       /* the text copied before Lua allocates */
    char msg[300];
    snprintf(msg, sizeof msg, "consume_int: %s: %s", isp_errtype_name(isp_error_type(R)),
             isp_error_message(R));
    isp_error_clear(R);
    return luaL_error(L, "%s", msg);
  }
  lintspect_fillint(L, -1, v);
  if (pv->logging) {
    char buf[600];
    lp_logf(pv, "consume_int(%lld) -> %s", (long long)max_bits, lp_show(L, -1, buf, sizeof buf));
  }
  return 1;
}

/* }====================================================================== */


static const luaL_Reg lp_provider_methods[] = {
  {"consume_integer", lp_consume_integer}, {"consume_int", lp_consume_int},
  {"consume_string", lp_consume_string}, {"consume_bytes", lp_consume_bytes},
  {"consume_boolean", lp_consume_boolean}, {"consume_probability", lp_consume_probability},
  {"pick", lp_pick}, {"remaining", lp_remaining}, {"runtime", lp_runtime},
  {NULL, NULL}
};

static int lp_provider_tostring(lua_State *L) {
  lp_provider *pv = lp_checkprovider(L);
  lua_pushfstring(L, "intspect.provider (%I of %I bytes left)", (lua_Integer)pv->n,
                  (lua_Integer)pv->size);
  return 1;
}


/*
** {======================================================================
** Loading a property and running inputs
** =======================================================================
*/

static int lp_openlibs(lua_State *L) {
  lintspect_openlibs(L);
  /* the sentinel, and the provider's metatable */
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, LP_SENTINEL);
  luaL_newmetatable(L, LP_PROVIDER_MT);
  luaL_newlib(L, lp_provider_methods);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, lp_provider_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  return 0;
}

/* Error handler: the sentinel passes through; anything else becomes its
** message (through __tostring) with a traceback. */
static int lp_msgh(lua_State *L) {
  const char *msg;
  lua_getfield(L, LUA_REGISTRYINDEX, LP_SENTINEL);
  if (lua_rawequal(L, 1, -1)) return 1;
  lua_pop(L, 1);
  msg = luaL_tolstring(L, 1, NULL);
  luaL_traceback(L, L, msg, 1);
  return 1;
}

static void lp_hook(lua_State *L, lua_Debug *ar) {
  lp_prop *P = *(lp_prop **)lua_getextraspace(L);
  uint32_t line = (uint32_t)ar->currentline;
  if (P->hit == NULL) return;
  P->hit(P->hit_ud, (P->prev_line * 0x9e3779b1u) ^ line);
  P->prev_line = line;
}

void lp_set_coverage(lp_prop *P, void (*hit)(void *ud, uint32_t edge), void *ud) {
  P->hit = hit;
  P->hit_ud = ud;
  lua_sethook(P->L, hit ? lp_hook : NULL, hit ? LUA_MASKLINE : 0, 0);
}

static void lp_append(char **s, const char *add);

static void lp_setfail(lp_prop *P, const char *text) {
  free(P->fail);
  P->fail = NULL;
  lp_append(&P->fail, text ? text : "?");
}

/*
** The runtimes of every profile with their own ranges, made now rather
** than by the first input that asks (for the same reason fz_common.c makes
** the C targets' at start-up: the first input of a process must take the
** same path as the others).
*/
static int lp_warm_up(lua_State *L) {
  lp_prop *P = *(lp_prop **)lua_getextraspace(L);
  const char *const *names = isp_profile_names();
  int i;
  for (i = 0; names[i] != NULL; i++) {
    lp_getruntime(L, P, names[i], 0, 0, 0);
    lua_pop(L, 1);
  }
  return 0;
}

static size_t lp_reset_runtimes(lp_prop *P, char **text);

/* A chunk's name for messages: "@path" as luaL_loadfile names files. */
lp_prop *lp_open(const char *path, const char *src, size_t len, char *err, size_t errlen) {
  lp_prop *P = calloc(1, sizeof *P);
  lua_State *L;
  const char *base, *dot;
  int status;
  if (P == NULL || (L = luaL_newstate()) == NULL) {
    snprintf(err, errlen, "not enough memory for a Lua state");
    free(P);
    return NULL;
  }
  P->L = L;
  *(lp_prop **)lua_getextraspace(L) = P;
  base = strrchr(path, '/');
  base = base ? base + 1 : path;
  dot = strrchr(base, '.');
  snprintf(P->name, sizeof P->name, "%.*s", (int)(dot && strcmp(dot, ".lua") == 0
                                                   ? (size_t)(dot - base) : strlen(base)), base);
  lua_pushcfunction(L, lp_openlibs);
  status = lua_pcall(L, 0, 0, 0);
  if (status == LUA_OK) {
    if (src != NULL) {
      lua_pushfstring(L, "@%s", path);
      status = luaL_loadbuffer(L, src, len, lua_tostring(L, -1));
      lua_remove(L, -2);
    } else {
      status = luaL_loadfile(L, path);
    }
  }
  if (status == LUA_OK) {
    lua_pushcfunction(L, lp_msgh);
    lua_insert(L, -2);
    status = lua_pcall(L, 0, 1, -2);
  }
  if (status != LUA_OK) {
    snprintf(err, errlen, "%s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "error loading");
    lp_close(P);
    return NULL;
  }
  if (lua_type(L, -1) == LUA_TTABLE) {
    lua_getfield(L, -1, "max_len");
    if (lua_isinteger(L, -1) && lua_tointeger(L, -1) > 0) P->max_len = (size_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, -1, "property");
    lua_remove(L, -2);
  }
  if (lua_type(L, -1) != LUA_TFUNCTION) {
    snprintf(err, errlen, "%s: the file must return a function of the data provider, or a "
             "table with the field 'property' (got %s)", path, luaL_typename(L, -1));
    lp_close(P);
    return NULL;
  }
  P->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  P->prov = (lp_provider *)lua_newuserdatauv(L, sizeof(lp_provider), 1);
  memset(P->prov, 0, sizeof *P->prov);
  luaL_setmetatable(L, LP_PROVIDER_MT);
  P->provider_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_newtable(L);
  P->runtimes_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_newtable(L);
  P->used_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pop(L, 1);                        /* the error handler */
  lua_pushcfunction(L, lp_warm_up);
  if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
    snprintf(err, errlen, "cannot make the runtimes: %s", lua_tostring(L, -1));
    lp_close(P);
    return NULL;
  }
  lp_reset_runtimes(P, NULL);
  return P;
}

void lp_close(lp_prop *P) {
  if (P == NULL) return;
  if (P->prov) free(P->prov->log);
  lua_close(P->L);
  free(P->fail);
  free(P);
}

const char *lp_name(const lp_prop *P) { return P->name; }
size_t lp_max_len(const lp_prop *P) { return P->max_len; }

/* Append to a malloc'ed string (NULL at first); a failed realloc drops
** only the text. */
static void lp_append(char **s, const char *add) {
  size_t have = *s ? strlen(*s) : 0, more = strlen(add);
  char *p = realloc(*s, have + more + 1);
  if (p == NULL) return;
  memcpy(p + have, add, more + 1);
  *s = p;
}

/* Forget the kept runtime 'rt' (at the top): the collector closes it. */
static void lp_forget(lp_prop *P, int rtidx) {
  lua_State *L = P->L;
  int kept;
  rtidx = lua_absindex(L, rtidx);
  lua_rawgeti(L, LUA_REGISTRYINDEX, P->runtimes_ref);
  kept = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, kept) != 0) {
    if (lua_rawequal(L, -1, rtidx)) {
      lua_pop(L, 1);
      lua_pushnil(L);
      lua_rawset(L, kept);
      P->nruntimes--;
      break;
    }
    lua_pop(L, 1);
  }
  lua_settop(L, kept - 1);
}

/* R:reset() of the runtime at 1, in protected mode (see below). */
static int lp_call_reset(lua_State *L) {
  lua_getfield(L, 1, "reset");
  lua_pushvalue(L, 1);
  lua_call(L, 1, 1);
  return 1;
}

/*
** After an input: R:reset() every runtime it used, describing any leak in
** *text.  A runtime that leaked is forgotten, so the next input gets a
** new one.  Returns the number of leaks.
*/
static size_t lp_reset_runtimes(lp_prop *P, char **text) {
  char *ignored = NULL;
  size_t n;
  if (text == NULL) {
    n = lp_reset_runtimes(P, &ignored);
    free(ignored);
    return n;
  }
  lua_State *L = P->L;
  size_t total = 0;
  int used, top = lua_gettop(L);
  if (P->nused == 0) return 0;
  lua_rawgeti(L, LUA_REGISTRYINDEX, P->used_ref);
  used = lua_gettop(L);
  lua_newtable(L);
  lua_rawseti(L, LUA_REGISTRYINDEX, P->used_ref);
  P->nused = 0;
  lua_pushnil(L);
  while (lua_next(L, used) != 0) {      /* runtime, true */
    lua_Integer count = 0, i;
    int ok;
    lua_pop(L, 1);
    /* R:reset() protected, look-up included: a property may have closed
    ** the runtime or tampered with it */
    lua_pushcfunction(L, lp_call_reset);
    lua_pushvalue(L, -2);
    ok = lua_pcall(L, 1, 1, 0) == LUA_OK;
    if (ok) {
      lua_getfield(L, -1, "count");
      count = lua_tointeger(L, -1);
      lua_pop(L, 1);
    }
    if (ok && count > 0) {
      char line[300];
      snprintf(line, sizeof line, "%lld object(s) alive in %s after the input's ints "
               "were released:\n", (long long)count, luaL_tolstring(L, -2, NULL));
      lua_pop(L, 1);
      lp_append(text, line);
      for (i = 1; i <= count && i <= 20; i++) {
        if (lua_geti(L, -1, i) == LUA_TTABLE) {
          lua_getfield(L, -1, "id");
          lua_getfield(L, -2, "refcount");
          lua_getfield(L, -3, "value");
          snprintf(line, sizeof line, "  id 0x%llx refcount %lld value %s\n",
                   (unsigned long long)lua_tointeger(L, -3), (long long)lua_tointeger(L, -2),
                   lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
          lp_append(text, line);
          lua_pop(L, 3);
        }
        lua_pop(L, 1);
      }
      total += (size_t)count;
    }
    lua_pop(L, 1);                       /* the report (or error) */
    if (!ok || count > 0) lp_forget(P, -1);
  }
  lua_settop(L, top);
  return total;
}

lp_outcome lp_run(lp_prop *P, const uint8_t *data, size_t size) {
  lua_State *L = P->L;
  lp_provider *pv = P->prov;
  lp_outcome out;
  char *leaks = NULL;
  int status, base = lua_gettop(L);
  pv->p = data;
  pv->n = size;
  pv->size = size;
  P->prev_line = 0;
  lua_pushcfunction(L, lp_msgh);
  lua_rawgeti(L, LUA_REGISTRYINDEX, P->fn_ref);
  lua_rawgeti(L, LUA_REGISTRYINDEX, P->provider_ref);
  lua_pushnil(L);
  lua_setiuservalue(L, -2, 1);           /* no current runtime yet */
  status = lua_pcall(L, 1, 0, base + 1);
  if (status == LUA_OK) {
    out = LP_PASS;
  } else {
    lua_getfield(L, LUA_REGISTRYINDEX, LP_SENTINEL);
    out = lua_rawequal(L, -1, -2) ? LP_SHORT : LP_FAIL;
    lua_pop(L, 1);
    if (out == LP_FAIL) lp_setfail(P, lua_tostring(L, -1));
  }
  lua_settop(L, base);
  /* every handle the input made goes now, whatever the outcome */
  if (lp_reset_runtimes(P, &leaks) > 0) {
    if (out == LP_FAIL) {
      lp_append(&P->fail, "\nand then ");
      lp_append(&P->fail, leaks ? leaks : "?");
    } else {
      lp_setfail(P, leaks);
    }
    out = LP_FAIL;
  }
  free(leaks);
  return out;
}

void lp_report(lp_prop *P, const uint8_t *data, size_t size, FILE *f) {
  lp_provider *pv = P->prov;
  lp_outcome again;
  size_t used;
  pv->logging = 1;
  pv->loglen = 0;
  pv->nlog = 0;
  if (pv->log) pv->log[0] = '\0';
  again = lp_run(P, data, size);
  used = size - pv->n;
  pv->logging = 0;
  fprintf(f, "intspect fuzz: property '%s' failed\n", P->name);
  if (again != LP_FAIL) {
    fprintf(f, "(run again, the input %s: the property is not deterministic)\n",
            again == LP_PASS ? "passed" : "ran out");
  }
  fprintf(f, "%s\n", P->fail ? P->fail : "?");
  fprintf(f, "arguments drawn from the input (%zu of %zu bytes used):\n%s", used, size,
          pv->loglen ? pv->log : "  (none)\n");
  fflush(f);
}

/* }====================================================================== */
