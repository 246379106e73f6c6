/*
** fz_alloc.c -- the object model and the allocators, against a model.
**
** The target runs a little op-code program on one runtime and carries,
** beside it, a reference model of what the profile's allocators must do.
** After every step the model is compared with what the step touched and
** with the O(1) counters, never by walking everything it holds:
**
**   - values (against GMP), getsizeof, 2.7's int/long choice, refcounts
**     (a fresh object counts our references; a cached int is the same
**     object at every creation, never allocates, and its count does not
**     move on 3.12+ and moves by exactly one per reference on 2.7/3.11),
**     immortality;
**   - the small-int cache's addresses: 3.x one array, 32 bytes a value;
**     2.7 the start-up blocks, values ascending, 41 a block, -24 each,
**     blocks 992 bytes apart;
**   - 3.14's int free list: which objects it holds in LIFO order, its
**     length (at most 100), only exact compact (|v| < 2**30) uncached ints
**     admitted, a compact creation that misses the cache takes its head;
**     a collection empties it into the pool (head first);
**   - the pool allocator (3.x, and 2.7 longs): size class = getsizeof
**     rounded up to the quantum (16 bytes, 2.7 8), LIFO reuse per class,
**     fresh slots carved upward one slot apart, a new pool's first slot
**     48 bytes into a pool-aligned pool;
**   - 2.7's int blocks: a fresh block hands out its highest object first
**     and steps by -24, freed ints go back LIFO, a collection frees exactly
**     the blocks with no live int and rebuilds the free list from the
**     dead slots of the others (newest block first, objects 0..40);
**   - every counter of isp_stats but 'bytes': created, cache_hits,
**     freelist_hits, allocs, frees, failed_allocs, live, blocks and
**     freelist_len, exactly;
**   - fault injection: a creation fails exactly when its allocator call
**     is the first refused one, with MemoryError, changing nothing else;
**   - no error left set, and nothing leaked at the end (fz_close).
** Steps the model does not predict (arithmetic, int(str), from_bytes) are
** checked for values, identity and refcounts; the model then takes the
** counters from the runtime (after checking what must hold whatever the
** algorithm: live exact, the others never going back, the free list
** within bounds) and forgets what it knew of the free lists' contents.
** It learns them again from the following creations and releases.
** The runtime is fz_common.c's, kept from input to input: the model
** assumes only that it starts in a new runtime's state, never an address
** seen in another input.
**
** Input:  byte 0  profile (bits 0-2, modulo the number of profiles);
**                 bit 3: then a byte picks a small-int range {NSMALLNEGINTS,
**                 NSMALLPOSINTS} (modulo 5): {0, 0} none, {0, 1} only 0,
**                 {0, 41} one full 2.7 block, {6, 258} one more each side,
**                 {299, 1025} wide;
**         then steps, each an op byte (modulo A_COUNT) and its operands:
**           0 new s V      from_i64(V) into slot s (s: a byte, modulo 16)
**           1 new_u64 s Q  from_u64 of a big-endian 8-byte Q
**           2 new_str s V  int(str(V)) (decimal)
**           3 new_bytes s n b[n % 48]   from_bytes, big, unsigned
**           4 release s
**           5 dup s t      t takes a new reference to slot s's object
**           6 arith k t a b   t = a op b (k % 8: + - * // % ^ neg abs)
**           7 collect
**           8 fail n       n < 200: allocations fail after n % 16 more; else lift
**           9 lift         no more fault injection
**          10 identity V   two live creations of V: one object iff cached
**          11 to_long s t  t = long(slot s)
**          12 probe s      incref then decref slot s's object
**          13 bulk_new n V d   n creations V, V+d, V+2d... (d a signed byte)
**                              held in a bulk area of 256 (at most 200
**                              bulk creations an input)
**          14 bulk_free n m    release n of the bulk area: m % 3 = 0 newest
**                              first, 1 oldest first, 2 every other one
**         where V is a value: a tag byte t, then by t % 4
**           0: an edge (t >> 2: 0, lo-1, lo, hi, hi+1, +-2**30, +-2**60,
**              2**62, INT64_MAX, INT64_MIN, 2**31, 2**32, 1000, -1000)
**              plus a signed byte;
**           1: a signed 16-bit value;  2: a signed 32-bit value;
**           3: a signed 64-bit value (all big-endian).
** Reads past the end give zeros, so every input decodes.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fz.h"

/* The model is the oracle, not something to explore: its branches would
** only add features for the engine to weigh on every run (a quarter of
** the executions per CPU second).  The runtime's own coverage, and that
** of fz_alloc's step loop, still guide. */
#if defined(__clang__) && __clang_major__ >= 13
#pragma clang attribute push(__attribute__((no_sanitize("coverage"))), apply_to = function)
#endif

#define NSLOT 16
#define BULK_MAX 256
#define BULK_BUDGET 200           /* bulk creations per input */
#define MAX_STEPS 1024
#define MAX_BITS 4096             /* arithmetic stops growing values here */
#define NENT (NSLOT + BULK_MAX + 8)
#define HM_BITS 11                /* pointer map: 2048 > 3 * NENT */
#define HM_SIZE (1u << HM_BITS)
#define FL_MAX 100                /* 3.14: Py_ints_MAXFREELIST */
#define NCLASS 64                 /* pool classes up to 512 bytes, 8-byte quantum */
#define CLS_CAP 1024              /* addresses remembered per class */
#define B_CAP 4096                /* addresses remembered on 2.7's block free list */
#define B_TAB 128                 /* 2.7 blocks remembered */
#define POOL_FIRST 48             /* a pool's header: its first slot's offset */
#define BLOCK_OBJS 41             /* 2.7: (1000 - 8) / 24 */
#define BLOCK_TOP (8 + 40 * 24)   /* offset of a block's last object, handed out first */
#define BLOCK_SPACING 992         /* default bytes between consecutive blocks */
#define DIGIT_BASE ((int64_t)1 << 30)

/* What a profile's allocators are, from its documented table
** (docs/profiles.md); keyed by name so that the rows' order may change. */
typedef struct prof_facts {
  int is27;                   /* 2.7: int blocks, 8-byte pool quantum, longs */
  int freelist;               /* 3.14: the 100-entry int free list */
  int immortal;               /* 3.12+: cached ints never move */
  uint64_t cached_rc;         /* a cached int's count with no reference of ours */
  unsigned shift;             /* pool quantum, log2 */
  uintptr_t pool_size;
} prof_facts;

/* One object we hold references to. */
typedef struct ent {
  isp_int *p;
  mpz_t v;
  int64_t iv;                 /* v, when fits */
  int fits;
  uint32_t holders;           /* our references */
  int cached;
  int int27;                  /* a 2.7 'int' (block object) */
  int compact;                /* 3.x, |v| < 2**30 */
  int cls;                    /* pool class; -1 none (block, cached), -2 above 512 bytes */
  size_t size;                /* getsizeof */
  int live_pos;               /* index in the live list */
} ent;

/* Bottom of a modelled stack below the addresses it remembers. */
enum { B_EMPTY, B_UNKNOWN, B_RUN };

typedef struct pclass {
  uint32_t len;               /* remembered addresses (0 = unknown one) */
  int unknown;                /* below them: 1 unknown, 0 nothing */
  int carve_known;            /* where the next fresh slot is carved is known */
  uintptr_t carve_next;       /* ... there; 0: a new pool */
} pclass;

typedef struct fz_alloc_state {
  isp_runtime *R;
  const char *pname;
  prof_facts f;
  int64_t lo, hi;
  uint64_t ncached;
  fz_in in;
  int step;

  /* scratch values, made once: a creation then costs no allocation of
  ** GMP's, which under AddressSanitizer is most of a creation's price */
  mpz_t x, y;

  /* objects */
  ent e[NENT];
  int free_ent[NENT], nfree_ent;
  int live[NENT], nlive;
  int slot[NSLOT];
  int bulk[BULK_MAX], nbulk, bulk_budget;
  uintptr_t hm_key[HM_SIZE];
  int16_t hm_val[HM_SIZE];
  int16_t *cache_ent;         /* per cached value: entry + 1, 0 none */

  /* counters as the model has them */
  isp_stats m;
  uint64_t limit;             /* allocations fail once m.allocs reaches it */

  /* cache addresses: 3.x array base; 2.7 start-up block bases */
  uintptr_t cache_base;
  uint32_t nb0;               /* start-up blocks */

  /* 3.14 int free list: fl[0] is the oldest, fl[len-1] the head */
  uintptr_t fl[FL_MAX];

  /* pools */
  pclass pc[NCLASS];
  uintptr_t pstack[NCLASS][CLS_CAP];

  /* 2.7 blocks: bases in placement order (0 = unknown), the free list */
  uintptr_t btab[B_TAB];
  uint32_t nbt;               /* == m.blocks while the table is complete */
  int btab_over;              /* more blocks than the table holds */
  uintptr_t bstack[B_CAP];
  uint32_t blen;
  int bbottom;
  uint32_t run_left;
  uintptr_t run_next;
} fz_alloc_state;

static fz_alloc_state S_;
static int16_t cache_ent_store[299 + 1025];
static int values_ready;             /* the entries' mpz_t, made once */

#define FAIL(S, ...) fz_fail_at(S, __VA_ARGS__)

static void fz_fail_at(fz_alloc_state *S, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((noreturn))
#endif
    ;

static void fz_fail_at(fz_alloc_state *S, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  gmp_vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  fz_fail("alloc, step %d under %s (small ints [%lld, %lld]): %s", S->step, S->pname,
          (long long)S->lo, (long long)S->hi, buf);
}

/*
** {======================================================================
** Profiles and runtimes
** =======================================================================
*/

static prof_facts facts_of(const char *name) {
  prof_facts f;
  memset(&f, 0, sizeof f);
  f.shift = 4;
  f.pool_size = 16 * 1024;
  if (name == fz_profile_named("cpython2.7")) {
    f.is27 = 1;
    f.cached_rc = 1;                 /* the small_ints array's reference */
    f.shift = 3;
    f.pool_size = 4096;
  } else if (name == fz_profile_named("cpython3.11")) {
    f.cached_rc = 999999999u;
  } else if (name == fz_profile_named("cpython3.14")) {
    f.freelist = 1;
    f.immortal = 1;
    f.cached_rc = (uint64_t)3 << 30;
  } else {
    f.immortal = 1;
    f.cached_rc = 0xFFFFFFFFu;
  }
  return f;
}

/* }====================================================================== */

/*
** {======================================================================
** Entries and the pointer map
** =======================================================================
*/

static unsigned hm_home(uintptr_t p) {
  return (unsigned)(((uint64_t)(p >> 3) * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - HM_BITS));
}

static int hm_find(const fz_alloc_state *S, uintptr_t p) {
  unsigned i = hm_home(p);
  while (S->hm_key[i] != 0) {
    if (S->hm_key[i] == p) return S->hm_val[i];
    i = (i + 1) & (HM_SIZE - 1);
  }
  return -1;
}

static void hm_put(fz_alloc_state *S, uintptr_t p, int v) {
  unsigned i = hm_home(p);
  while (S->hm_key[i] != 0) i = (i + 1) & (HM_SIZE - 1);
  S->hm_key[i] = p;
  S->hm_val[i] = (int16_t)v;
}

/* Linear probing without tombstones: shift the followers back. */
static void hm_del(fz_alloc_state *S, uintptr_t p) {
  unsigned i = hm_home(p), j, k;
  while (S->hm_key[i] != p) i = (i + 1) & (HM_SIZE - 1);
  S->hm_key[i] = 0;
  for (j = (i + 1) & (HM_SIZE - 1); S->hm_key[j] != 0; j = (j + 1) & (HM_SIZE - 1)) {
    k = hm_home(S->hm_key[j]);
    /* move j to i unless its home lies cyclically in (i, j] */
    if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
      S->hm_key[i] = S->hm_key[j];
      S->hm_val[i] = S->hm_val[j];
      S->hm_key[j] = 0;
      i = j;
    }
  }
}

static int ent_new(fz_alloc_state *S, isp_int *p) {
  int k;
  ent *e;
  if (S->nfree_ent == 0) FAIL(S, "model out of entries");
  k = S->free_ent[--S->nfree_ent];
  e = &S->e[k];
  e->p = p;
  e->holders = 1;
  e->cached = e->int27 = e->compact = 0;
  e->cls = -1;
  e->size = 0;
  e->live_pos = S->nlive;
  S->live[S->nlive++] = k;
  hm_put(S, (uintptr_t)p, k);
  return k;
}

static void ent_drop(fz_alloc_state *S, int k) {
  ent *e = &S->e[k];
  int last = S->live[--S->nlive];
  S->live[e->live_pos] = last;
  S->e[last].live_pos = e->live_pos;
  hm_del(S, (uintptr_t)e->p);
  if (e->cached) S->cache_ent[e->iv - S->lo] = 0;
  e->p = NULL;
  S->free_ent[S->nfree_ent++] = k;
}

static int in_cache(const fz_alloc_state *S, int64_t v) {
  return S->lo <= S->hi && v >= S->lo && v <= S->hi;
}

/* Digits of 30 bits that |x| needs (0 for zero). */
static size_t ndigits30(const mpz_t x) {
  return mpz_sgn(x) == 0 ? 0 : (mpz_sizeinbase(x, 2) + 29) / 30;
}

static size_t size_of(const fz_alloc_state *S, const mpz_t x, int int27) {
  size_t nd = ndigits30(x);
  if (S->f.is27) return int27 ? 24 : 24 + 4 * nd;
  return 24 + 4 * (nd ? nd : 1);
}

static int class_of(const fz_alloc_state *S, size_t size) {
  if (size > 512) return -2;
  return (int)((size - 1) >> S->f.shift);
}

static uint64_t want_rc(const fz_alloc_state *S, const ent *e) {
  if (!e->cached) return e->holders;
  if (S->f.immortal) return S->f.cached_rc;
  return S->f.cached_rc + e->holders;
}

static void check_rc(fz_alloc_state *S, const ent *e, const char *what) {
  uint64_t got = isp_refcount(S->R, e->p), want = want_rc(S, e);
  int imm = isp_is_immortal(S->R, e->p);
  if (got != want)
    FAIL(S, "%s: %s %Zd at 0x%llx has refcount %llu, want %llu (%u references held)", what,
         e->cached ? "cached" : "uncached", e->v, (unsigned long long)(uintptr_t)e->p,
         (unsigned long long)got, (unsigned long long)want, e->holders);
  if (imm != (e->cached && S->f.immortal))
    FAIL(S, "%s: %Zd is %simmortal", what, e->v, imm ? "" : "not ");
}

/* The object's value, size and type are what the model says. */
static void check_obj(fz_alloc_state *S, ent *e, const char *what) {
  size_t sz = isp_sizeof(S->R, e->p);
  if (e->fits) {
    int64_t got;
    if (isp_to_i64(S->R, e->p, &got) != 0)
      FAIL(S, "%s: to_i64 of %Zd failed: %s", what, e->v, fz_errtext(S->R));
    if (got != e->iv) FAIL(S, "%s: value %lld, want %Zd", what, (long long)got, e->v);
  } else {
    fz_expect_value(S->R, e->p, e->v, what);
  }
  if (sz != e->size)
    FAIL(S, "%s: getsizeof(%Zd) is %zu, want %zu", what, e->v, sz, e->size);
  if (S->f.is27 && (strcmp(isp_type_name(S->R, e->p), "int") == 0) != e->int27)
    FAIL(S, "%s: %Zd is a '%s', want '%s'", what, e->v, isp_type_name(S->R, e->p),
         e->int27 ? "int" : "long");
  check_rc(S, e, what);
}

static void set_value(ent *e, const mpz_t x) {
  mpz_set(e->v, x);
  e->fits = mpz_fits_slong_p(x);
  e->iv = e->fits ? (int64_t)mpz_get_si(x) : 0;
}

/* }====================================================================== */

/*
** {======================================================================
** The cache's addresses
** =======================================================================
*/

/* 2.7: the start-up block holding cached value v, and v's address in it. */
static uintptr_t cache27_addr(const fz_alloc_state *S, int64_t v, uint32_t *blk) {
  uint64_t i = (uint64_t)(v - S->lo);
  *blk = (uint32_t)(i / BLOCK_OBJS);
  if (S->btab[*blk] == 0) return 0;
  return S->btab[*blk] + BLOCK_TOP - 24 * (uintptr_t)(i % BLOCK_OBJS);
}

/* A cached value was observed at p: it must be where the cache keeps it. */
static void cache_seen(fz_alloc_state *S, int64_t v, uintptr_t p) {
  if (S->f.is27) {
    uint32_t b;
    uintptr_t want = cache27_addr(S, v, &b);
    if (want == 0) {
      uintptr_t base = p + 24 * (uintptr_t)((uint64_t)(v - S->lo) % BLOCK_OBJS) - BLOCK_TOP;
      S->btab[b] = base;
      /* start-up blocks are placed one after another, 992 bytes apart */
      if (b > 0 && S->btab[b - 1] != 0 && S->btab[b - 1] + BLOCK_SPACING != base)
        FAIL(S, "start-up blocks %u and %u at 0x%llx and 0x%llx, not %d apart", b - 1, b,
             (unsigned long long)S->btab[b - 1], (unsigned long long)base, BLOCK_SPACING);
      if (b + 1 < S->nb0 && S->btab[b + 1] != 0 && base + BLOCK_SPACING != S->btab[b + 1])
        FAIL(S, "start-up blocks %u and %u at 0x%llx and 0x%llx, not %d apart", b, b + 1,
             (unsigned long long)base, (unsigned long long)S->btab[b + 1], BLOCK_SPACING);
      if (b == S->nb0 - 1 && S->bbottom == B_RUN && S->run_next == 0)
        S->run_next = base + 8 + 24 * (uintptr_t)(S->run_left - 1);
    } else if (want != p) {
      FAIL(S, "cached %lld at 0x%llx, the cache's block puts it at 0x%llx", (long long)v,
           (unsigned long long)p, (unsigned long long)want);
    }
  } else {
    uintptr_t base = p - 32 * (uintptr_t)(uint64_t)(v - S->lo);
    if (S->cache_base == 0) S->cache_base = base;
    else if (S->cache_base != base)
      FAIL(S, "cached %lld at 0x%llx, the cache array puts it at 0x%llx", (long long)v,
           (unsigned long long)p,
           (unsigned long long)(S->cache_base + 32 * (uintptr_t)(uint64_t)(v - S->lo)));
  }
}

/* }====================================================================== */

/*
** {======================================================================
** The allocator model
** =======================================================================
*/

static void check_stats(fz_alloc_state *S, const char *what) {
  isp_stats st;
  isp_get_stats(S->R, &st);
#define CMP(f)                                                                     \
  if (st.f != S->m.f)                                                              \
    FAIL(S, "%s: stats." #f " is %llu, the model has %llu", what,                  \
         (unsigned long long)st.f, (unsigned long long)S->m.f)
  CMP(created); CMP(cache_hits); CMP(freelist_hits); CMP(allocs); CMP(frees);
  CMP(failed_allocs); CMP(live); CMP(blocks); CMP(freelist_len);
#undef CMP
}

/* A fresh object (not one the caller knew) must not be one we hold. */
static void check_unheld(fz_alloc_state *S, isp_int *p, const mpz_t x, const char *what) {
  int k = hm_find(S, (uintptr_t)p);
  if (k >= 0)
    FAIL(S, "%s: new %Zd at 0x%llx, where %Zd lives (%u references)", what, x,
         (unsigned long long)(uintptr_t)p, S->e[k].v, S->e[k].holders);
}

static void expect_addr(fz_alloc_state *S, uintptr_t want, isp_int *p, const mpz_t x,
                        const char *from, const char *what) {
  if (want != 0 && want != (uintptr_t)p)
    FAIL(S, "%s: %Zd at 0x%llx, but %s gives 0x%llx next", what, x,
         (unsigned long long)(uintptr_t)p, from, (unsigned long long)want);
}

static void pc_push(fz_alloc_state *S, int c, uintptr_t p) {
  pclass *pc = &S->pc[c];
  if (pc->len == CLS_CAP) {            /* forget the oldest half */
    memmove(S->pstack[c], S->pstack[c] + CLS_CAP / 2, (CLS_CAP / 2) * sizeof(uintptr_t));
    pc->len = CLS_CAP / 2;
    pc->unknown = 1;
  }
  S->pstack[c][pc->len++] = p;
}

/* The pool hands out p for class c: the last freed slot, else a carved one. */
static void pc_pop(fz_alloc_state *S, int c, isp_int *p, const mpz_t x, const char *what) {
  pclass *pc = &S->pc[c];
  uintptr_t a = (uintptr_t)p, slot = (uintptr_t)(c + 1) << S->f.shift;
  if (pc->len > 0) {
    expect_addr(S, S->pstack[c][--pc->len], p, x, "the class's free list (LIFO)", what);
    return;
  }
  if (pc->unknown) {
    pc->carve_known = 0;               /* a pop or a carve: cannot tell */
    return;
  }
  if (!pc->carve_known) return;
  if (pc->carve_next == 0) {
    if (a % S->f.pool_size != POOL_FIRST)
      FAIL(S, "%s: %Zd at 0x%llx is the first slot of a new pool of class %d, not %d bytes "
           "into a %llu-aligned pool", what, x, (unsigned long long)a, c, POOL_FIRST,
           (unsigned long long)S->f.pool_size);
  } else {
    expect_addr(S, pc->carve_next, p, x, "carving the class's pool upward", what);
  }
  /* room for one more slot after this one? */
  pc->carve_next = (a % S->f.pool_size) + 2 * slot <= S->f.pool_size ? a + slot : 0;
}

static void fl_pop(fz_alloc_state *S, isp_int *p, const mpz_t x, const char *what) {
  uintptr_t want = S->fl[--S->m.freelist_len];
  expect_addr(S, want, p, x, "the int free list's head", what);
}

static void fl_push(fz_alloc_state *S, uintptr_t p) {
  S->fl[S->m.freelist_len++] = p;
}

static void b_push(fz_alloc_state *S, uintptr_t p) {
  if (S->blen == B_CAP) {
    memmove(S->bstack, S->bstack + B_CAP / 2, (B_CAP / 2) * sizeof(uintptr_t));
    S->blen = B_CAP / 2;
    S->bbottom = B_UNKNOWN;
  }
  S->bstack[S->blen++] = p;
}

static void btab_add(fz_alloc_state *S, uintptr_t base) {
  if (S->nbt < B_TAB) S->btab[S->nbt++] = base;
  else S->btab_over = 1;
}

/* A fresh block was filled and handed out p first (its highest object). */
static void b_fresh(fz_alloc_state *S, isp_int *p) {
  uintptr_t a = (uintptr_t)p;
  S->m.allocs++;
  S->m.blocks++;
  btab_add(S, a - BLOCK_TOP);
  S->bbottom = B_RUN;
  S->run_left = BLOCK_OBJS - 1;
  S->run_next = a - 24;
}

/* Does a 2.7 int creation need a new block (an allocator call)?  -1: unknown. */
static int b_needs_block(const fz_alloc_state *S) {
  if (S->blen > 0 || S->bbottom == B_RUN) return 0;
  return S->bbottom == B_EMPTY ? 1 : -1;
}

/* The block free list hands out p; 'fresh' when a new block was filled. */
static void b_pop(fz_alloc_state *S, isp_int *p, int fresh, const mpz_t x, const char *what) {
  if (fresh) {
    b_fresh(S, p);
    return;
  }
  S->m.freelist_hits++;
  if (S->blen > 0) {
    expect_addr(S, S->bstack[--S->blen], p, x, "the block free list's head (LIFO)", what);
  } else if (S->bbottom == B_RUN) {
    expect_addr(S, S->run_next, p, x, "the block being handed out (ids step -24)", what);
    S->run_next = (uintptr_t)p - 24;
    if (--S->run_left == 0) S->bbottom = B_EMPTY;
  }
}

/* Everything a step the model does not predict may have changed. */
static void model_forget(fz_alloc_state *S) {
  int c;
  for (c = 0; c < NCLASS; c++) {
    S->pc[c].len = 0;
    S->pc[c].unknown = 1;
    S->pc[c].carve_known = 0;
  }
  memset(S->fl, 0, sizeof S->fl);
  S->blen = 0;
  S->bbottom = B_UNKNOWN;
}

/* }====================================================================== */

/*
** {======================================================================
** Creating and releasing, through the model
** =======================================================================
*/

enum { MK_I64, MK_U64, MK_LONG27 };

/*
** Create the value x (an int64, or a u64 above INT64_MAX for MK_U64; for
** MK_LONG27 a 2.7 long of an int's value) and check everything about it.
** Returns the entry, or -1 when the model says the allocation fails (and
** it did).
*/
static int make(fz_alloc_state *S, int how, int64_t v, uint64_t u, const char *what) {
  isp_runtime *R = S->R;
  int want_long = how == MK_LONG27;
  int big = how == MK_U64 && u > (uint64_t)INT64_MAX;
  int cached = !want_long && !big && in_cache(S, v);
  int int27 = S->f.is27 && !want_long && !big;
  int compact = !S->f.is27 && !big && v > -DIGIT_BASE && v < DIGIT_BASE;
  int path, k, cls = -1, needs, fails;
  size_t size;
  isp_int *p;
  ent *e;
  mpz_ptr x = S->x;
  enum { P_CACHE, P_BLOCK, P_FL, P_POOL } ;

  if (big) mpz_set_ui(x, (unsigned long)u);
  else mpz_set_si(x, (long)v);
  size = size_of(S, x, int27);
  if (cached) path = P_CACHE;
  else if (int27) path = P_BLOCK;
  else if (S->f.freelist && compact && S->m.freelist_len > 0) path = P_FL;
  else {
    path = P_POOL;
    cls = class_of(S, size);
  }
  /* an allocator call passes the gate or fails there */
  needs = path == P_POOL ? 1 : path == P_BLOCK ? b_needs_block(S) : 0;
  fails = needs != 0 && S->m.allocs >= S->limit;

  p = how == MK_U64 ? isp_from_u64(R, u)
      : how == MK_LONG27 ? isp_to_long(R, S->e[(int)u].p)
      : isp_from_i64(R, v);
  if (p == NULL) {
    if (!fails)
      FAIL(S, "%s(%Zd) failed with %s (allocations %llu, limit %llu)", what, x,
           fz_errtext(R), (unsigned long long)S->m.allocs, (unsigned long long)S->limit);
    fz_expect_error(R, ISP_MEMORY_ERROR, what);
    S->m.failed_allocs++;
    /* a block refill that failed leaves the free list empty */
    if (path == P_BLOCK && needs < 0) S->bbottom = B_EMPTY;
    return -1;
  }
  if (fails && needs > 0)
    FAIL(S, "%s(%Zd) succeeded past the fault-injection limit (%llu allocations)", what, x,
         (unsigned long long)S->limit);
  S->m.created++;
  if (path == P_CACHE) {
    S->m.cache_hits++;
    k = S->cache_ent[v - S->lo] - 1;
    if (k >= 0) {
      e = &S->e[k];
      if (e->p != p)
        FAIL(S, "%s(%lld): 0x%llx, but the cached object is 0x%llx", what, (long long)v,
             (unsigned long long)(uintptr_t)p, (unsigned long long)(uintptr_t)e->p);
      e->holders++;
      check_rc(S, e, what);
      return k;
    }
    check_unheld(S, p, x, what);
    cache_seen(S, v, (uintptr_t)p);
  } else {
    check_unheld(S, p, x, what);
    S->m.live++;
    if (path == P_BLOCK) {
      int fresh = needs > 0;
      if (needs < 0) {               /* the free list was unknown: did it refill? */
        isp_stats st;
        isp_get_stats(R, &st);
        fresh = st.blocks != S->m.blocks;
        if (fresh && S->m.allocs >= S->limit)
          FAIL(S, "%s(%Zd) filled a block past the fault-injection limit", what, x);
      }
      b_pop(S, p, fresh, x, what);
    } else if (path == P_FL) {
      S->m.freelist_hits++;
      fl_pop(S, p, x, what);
    } else {
      S->m.allocs++;
      if (cls >= 0) pc_pop(S, cls, p, x, what);
    }
  }
  k = ent_new(S, p);
  e = &S->e[k];
  set_value(e, x);
  e->cached = cached;
  e->int27 = int27;
  e->compact = compact;
  e->size = size;
  e->cls = path == P_BLOCK || cached ? -1 : class_of(S, size);
  if (cached) S->cache_ent[v - S->lo] = (int16_t)(k + 1);
  check_obj(S, e, what);
  return k;
}

/* Drop one of our references to entry k; at the last, the model frees it. */
static void release(fz_alloc_state *S, int k, const char *what) {
  ent *e = &S->e[k];
  uintptr_t a = (uintptr_t)e->p;
  e->holders--;
  isp_decref(S->R, e->p);
  if (e->holders > 0) {
    check_rc(S, e, what);
    return;
  }
  if (e->cached) {
    check_rc(S, e, what);              /* the cache keeps it, at its own count */
  } else {
    S->m.live--;
    if (e->int27) {
      b_push(S, a);
    } else if (S->f.freelist && e->compact && S->m.freelist_len < FL_MAX) {
      fl_push(S, a);
    } else {
      S->m.frees++;
      if (e->cls >= 0) pc_push(S, e->cls, a);
    }
  }
  ent_drop(S, k);
}

/* A step the model does not predict returned p with value x: take it in.
** 'opnd_long' (2.7): an operand was a long (or the operation overflowed
** a C long on the way), so the result must be one. */
static int take_result(fz_alloc_state *S, isp_int *p, const mpz_t x, int opnd_long,
                       const char *what) {
  int k = hm_find(S, (uintptr_t)p);
  ent *e;
  if (k >= 0) {                       /* an object we hold already */
    e = &S->e[k];
    if (mpz_cmp(e->v, x) != 0)
      FAIL(S, "%s: result %Zd is the object 0x%llx we hold as %Zd", what, x,
           (unsigned long long)(uintptr_t)p, e->v);
    e->holders++;
    check_rc(S, e, what);
    return k;
  }
  k = ent_new(S, p);
  e = &S->e[k];
  set_value(e, x);
  e->int27 = S->f.is27 && strcmp(isp_type_name(S->R, p), "int") == 0;
  if (S->f.is27 && e->int27 != (e->fits && !opnd_long))
    FAIL(S, "%s: %Zd is a '%s' with %s operand", what, x, isp_type_name(S->R, p),
         opnd_long ? "a long" : "int");
  e->cached = (!S->f.is27 || e->int27) && e->fits && in_cache(S, e->iv);
  e->compact = !S->f.is27 && e->fits && e->iv > -DIGIT_BASE && e->iv < DIGIT_BASE;
  e->size = size_of(S, x, e->int27);
  e->cls = e->int27 || e->cached ? -1 : class_of(S, e->size);
  if (e->cached) {
    cache_seen(S, e->iv, (uintptr_t)p);
    S->cache_ent[e->iv - S->lo] = (int16_t)(k + 1);
  } else {
    S->m.live++;
  }
  check_obj(S, e, what);
  return k;
}

/* After a step the model did not predict: check what must hold whatever
** the algorithm did, then take the counters from the runtime. */
static void resync(fz_alloc_state *S, int failed, const char *what) {
  isp_stats st;
  isp_get_stats(S->R, &st);
  if (st.live != S->m.live)
    FAIL(S, "%s: stats.live is %llu, we hold %llu uncached objects", what,
         (unsigned long long)st.live, (unsigned long long)S->m.live);
#define MONO(f)                                                                    \
  if (st.f < S->m.f)                                                               \
    FAIL(S, "%s: stats." #f " went back from %llu to %llu", what,                  \
         (unsigned long long)S->m.f, (unsigned long long)st.f)
  MONO(created); MONO(cache_hits); MONO(freelist_hits); MONO(allocs); MONO(frees);
  MONO(failed_allocs); MONO(blocks);
#undef MONO
  if (st.freelist_len > (S->f.freelist ? FL_MAX : 0))
    FAIL(S, "%s: %llu ints on the int free list", what, (unsigned long long)st.freelist_len);
  if (!S->f.is27 && st.blocks != 0)
    FAIL(S, "%s: %llu int blocks outside cpython2.7", what, (unsigned long long)st.blocks);
  if (st.failed_allocs != S->m.failed_allocs && S->limit == UINT64_MAX)
    FAIL(S, "%s: an allocation failed with no fault injection", what);
  if (failed && st.failed_allocs == S->m.failed_allocs)
    FAIL(S, "%s: MemoryError with no allocation refused", what);
  if (st.allocs > S->limit)
    FAIL(S, "%s: %llu allocations, past the limit %llu", what,
         (unsigned long long)st.allocs, (unsigned long long)S->limit);
  model_forget(S);
  /* blocks filled meanwhile: in the table, with bases unknown */
  while (S->m.blocks < st.blocks) {
    btab_add(S, 0);
    S->m.blocks++;
  }
  S->m = st;
}

/* }====================================================================== */

/*
** {======================================================================
** Collection
** =======================================================================
*/

/* 2.7: know every start-up block's base (a creation of its first value). */
static void discover_startup(fz_alloc_state *S) {
  uint32_t b;
  for (b = 0; b < S->nb0; b++) {
    if (S->btab[b] == 0) {
      int k = make(S, MK_I64, S->lo + (int64_t)b * BLOCK_OBJS, 0, "from_i64 (cache probe)");
      if (k < 0) FAIL(S, "a cached creation failed");
      release(S, k, "release (cache probe)");
    }
  }
}

static void collect(fz_alloc_state *S) {
  uint64_t mask[B_TAB];
  int exact = 1, unmatched = 0;
  uint32_t b, i, kept = 0, unknown_blocks = 0;
  int k;
  uintptr_t newtab[B_TAB];
  uint32_t nnew = 0;
  isp_stats st;

  if (S->f.is27) {
    discover_startup(S);
    exact = !S->btab_over;
    memset(mask, 0, sizeof mask);
    /* the cached ints: the first ones of each start-up block */
    for (b = 0; b < S->nb0; b++) {
      uint64_t n = S->ncached - (uint64_t)b * BLOCK_OBJS;
      if (n > BLOCK_OBJS) n = BLOCK_OBJS;
      for (i = 0; i < n; i++) mask[b] |= (uint64_t)1 << (40 - i);
    }
    for (k = 0; k < S->nlive; k++) {
      const ent *e = &S->e[S->live[k]];
      uintptr_t a = (uintptr_t)e->p;
      if (!e->int27 || e->cached) continue;
      for (b = 0; b < S->nbt; b++) {
        uintptr_t base = S->btab[b];
        if (base != 0 && a >= base + 8 && a <= base + BLOCK_TOP && (a - base - 8) % 24 == 0) {
          mask[b] |= (uint64_t)1 << ((a - base - 8) / 24);
          break;
        }
      }
      if (b == S->nbt) unmatched = 1; /* in a block whose place we never saw */
    }
    if (unmatched) exact = 0;
    for (b = 0; b < S->nbt; b++) {
      if (S->btab[b] == 0) unknown_blocks++;
      else if (mask[b] != 0) kept++;
    }
  }

  isp_collect(S->R);

  /* 3.14: the free list goes back to the pool, head first */
  if (S->f.freelist) {
    int c = class_of(S, 28);
    while (S->m.freelist_len > 0) {
      S->m.frees++;
      pc_push(S, c, S->fl[--S->m.freelist_len]);
    }
  }
  if (!S->f.is27) return;

  isp_get_stats(S->R, &st);
  if (exact) {
    /* exactly the blocks with a live int stay; the free list is rebuilt
    ** from their dead slots, newest block first, objects 0..40 */
    S->m.frees += S->m.blocks - kept;
    S->m.blocks = kept;
    S->blen = 0;
    S->bbottom = B_EMPTY;
    for (b = S->nbt; b-- > 0;) {
      if (S->btab[b] == 0 || mask[b] == 0) continue;
      for (i = 0; i < BLOCK_OBJS; i++)
        if (!(mask[b] >> i & 1)) b_push(S, S->btab[b] + 8 + 24 * (uintptr_t)i);
    }
    for (b = 0; b < S->nbt; b++)
      if (S->btab[b] != 0 && mask[b] != 0) newtab[nnew++] = S->btab[b];
  } else {
    /* some live int sits in a block the model never saw placed */
    if (st.blocks < kept + (uint32_t)unmatched ||
        st.blocks > kept + unknown_blocks + (S->btab_over ? S->m.blocks : 0))
      FAIL(S, "collect kept %llu blocks; %u known ones hold live ints, %u are unknown",
           (unsigned long long)st.blocks, kept, unknown_blocks);
    S->m.frees += S->m.blocks - st.blocks;
    S->m.blocks = st.blocks;
    S->blen = 0;
    S->bbottom = B_UNKNOWN;
    for (b = 0; b < S->nbt; b++)
      if (S->btab[b] != 0 && mask[b] != 0) newtab[nnew++] = S->btab[b];
    while (nnew < st.blocks && nnew < B_TAB) newtab[nnew++] = 0;
  }
  memcpy(S->btab, newtab, nnew * sizeof(uintptr_t));
  memset(S->btab + nnew, 0, (B_TAB - nnew) * sizeof(uintptr_t));
  S->nbt = nnew;
  S->btab_over = S->m.blocks > nnew;
  /* the start-up blocks stay first: they hold the cache */
}

/* }====================================================================== */

/*
** {======================================================================
** Decoding
** =======================================================================
*/

static int64_t value_of(fz_alloc_state *S) {
  fz_in *in = &S->in;
  uint8_t t = fz_u8(in);
  switch (t & 3) {
    case 0: {
      static const int64_t fixed[] = {
        0, 0, 0, 0, 0, (int64_t)1 << 30, -((int64_t)1 << 30), (int64_t)1 << 60,
        -((int64_t)1 << 60), (int64_t)1 << 62, INT64_MAX, INT64_MIN, (int64_t)1 << 31,
        (int64_t)1 << 32, 1000, -1000
      };
      unsigned i = (t >> 2) % (sizeof fixed / sizeof fixed[0]);
      int64_t base = fixed[i];
      int8_t d = (int8_t)fz_u8(in);
      if (i == 1) base = S->lo - 1;
      else if (i == 2) base = S->lo;
      else if (i == 3) base = S->hi;
      else if (i == 4) base = S->hi + 1;
      return (int64_t)((uint64_t)base + (uint64_t)(int64_t)d);   /* wraps at the ends */
    }
    case 1: return (int16_t)fz_u16(in);
    case 2: return (int32_t)(((uint32_t)fz_u16(in) << 16) | fz_u16(in));
    default: return (int64_t)fz_u64(in);
  }
}

/* }====================================================================== */

/*
** {======================================================================
** The steps
** =======================================================================
*/

enum {
  A_NEW, A_NEW_U64, A_NEW_STR, A_NEW_BYTES, A_RELEASE, A_DUP, A_ARITH, A_COLLECT,
  A_FAIL, A_LIFT, A_IDENTITY, A_TO_LONG, A_PROBE, A_BULK_NEW, A_BULK_FREE, A_COUNT
};

static void put(fz_alloc_state *S, int s, int k) {
  if (S->slot[s] >= 0) release(S, S->slot[s], "release (slot overwritten)");
  S->slot[s] = k;
}

/* An opaque creation or operation returned p (NULL: failed). */
static void opaque_done(fz_alloc_state *S, int s, isp_int *p, const mpz_t x, int opnd_long,
                        const char *what) {
  if (p == NULL) {
    if (S->limit == UINT64_MAX)
      FAIL(S, "%s (%Zd) failed with no fault injection: %s", what, x, fz_errtext(S->R));
    fz_expect_error(S->R, ISP_MEMORY_ERROR, what);
    resync(S, 1, what);
    return;
  }
  {
    int k = take_result(S, p, x, opnd_long, what);
    resync(S, 0, what);
    put(S, s, k);
  }
}

static int is_long27(const fz_alloc_state *S, int k) {
  return S->f.is27 && !S->e[k].int27;
}

static void op_arith(fz_alloc_state *S) {
  fz_in *in = &S->in;
  isp_runtime *R = S->R;
  uint8_t kind = fz_u8(in) % 8;
  int t = fz_u8(in) % NSLOT, a = fz_u8(in) % NSLOT, b = fz_u8(in) % NSLOT;
  int ka = S->slot[a], kb = S->slot[b];
  isp_int *va, *vb, *r = NULL;
  mpz_srcptr xa, xb;
  mpz_ptr x = S->y;
  if (ka < 0 || kb < 0) return;
  va = S->e[ka].p;
  vb = S->e[kb].p;
  xa = S->e[ka].v;
  xb = S->e[kb].v;
  switch (kind) {
    case 0: mpz_add(x, xa, xb); r = isp_add(R, va, vb); break;
    case 1: mpz_sub(x, xa, xb); r = isp_sub(R, va, vb); break;
    case 2:
      if (mpz_sizeinbase(xa, 2) + mpz_sizeinbase(xb, 2) > MAX_BITS) return;
      mpz_mul(x, xa, xb);
      r = isp_mul(R, va, vb);
      break;
    case 3:
      if (mpz_sgn(xb) == 0) return;
      mpz_fdiv_q(x, xa, xb);
      r = isp_floordiv(R, va, vb);
      break;
    case 4:
      if (mpz_sgn(xb) == 0) return;
      mpz_fdiv_r(x, xa, xb);
      r = isp_mod(R, va, vb);
      break;
    case 5: mpz_xor(x, xa, xb); r = isp_xor(R, va, vb); break;
    case 6: mpz_neg(x, xa); r = isp_neg(R, va); kb = ka; break;
    default: mpz_abs(x, xa); r = isp_abs(R, va); kb = ka; break;
  }
  /* 2.7 redoes an int operation that overflows in longs, and divmod of
  ** -2**63 by -1 overflows: so -2**63 % -1 is 0L, as in CPython 2.7 */
  opaque_done(S, t, r, x,
              is_long27(S, ka) || is_long27(S, kb) ||
                  ((kind == 3 || kind == 4) && mpz_cmp_si(xb, -1) == 0 && S->e[ka].fits &&
                   S->e[ka].iv == INT64_MIN),
              "arithmetic");
}

static void op_identity(fz_alloc_state *S, int64_t v) {
  int p = make(S, MK_I64, v, 0, "from_i64 (identity)"), q;
  if (p < 0) return;
  q = make(S, MK_I64, v, 0, "from_i64 (identity, again)");
  if (q >= 0) {
    if ((p == q) != in_cache(S, v))
      FAIL(S, "from_i64(%lld) twice gave %s objects", (long long)v,
           p == q ? "the same" : "two");
    release(S, q, "release (identity)");
  }
  release(S, p, "release (identity)");
}

static void op_probe(fz_alloc_state *S, int k) {
  ent *e = &S->e[k];
  isp_incref(S->R, e->p);
  e->holders++;
  check_rc(S, e, "incref");
  isp_decref(S->R, e->p);
  e->holders--;
  check_rc(S, e, "decref");
}

static void op_bulk_new(fz_alloc_state *S) {
  int n = fz_u8(&S->in);
  int64_t v = value_of(S);
  int8_t d = (int8_t)fz_u8(&S->in);
  int i;
  for (i = 0; i < n && S->nbulk < BULK_MAX && S->bulk_budget > 0; i++) {
    int k = make(S, MK_I64, (int64_t)((uint64_t)v + (uint64_t)(int64_t)d * (uint64_t)i), 0,
                 "from_i64 (bulk)");
    S->bulk_budget--;
    if (k >= 0) S->bulk[S->nbulk++] = k;
  }
}

static void op_bulk_free(fz_alloc_state *S) {
  int n = fz_u8(&S->in), mode = fz_u8(&S->in) % 3, i, j;
  if (n > S->nbulk) n = S->nbulk;
  if (mode == 0) {
    for (i = 0; i < n; i++) release(S, S->bulk[--S->nbulk], "release (bulk, newest first)");
  } else if (mode == 1) {
    for (i = 0; i < n; i++) release(S, S->bulk[i], "release (bulk, oldest first)");
    memmove(S->bulk, S->bulk + n, (size_t)(S->nbulk - n) * sizeof(int));
    S->nbulk -= n;
  } else {
    /* every other one from the start: leaves blocks and pools half used */
    for (i = j = 0; i < S->nbulk; i++) {
      if ((i & 1) == 0 && n > 0) {
        release(S, S->bulk[i], "release (bulk, every other)");
        n--;
      } else {
        S->bulk[j++] = S->bulk[i];
      }
    }
    S->nbulk = j;
  }
}

static void step(fz_alloc_state *S) {
  fz_in *in = &S->in;
  isp_runtime *R = S->R;
  uint8_t op = fz_u8(in) % A_COUNT;
  int s, t, k;
  switch (op) {
    case A_NEW: {
      int64_t v;
      s = fz_u8(in) % NSLOT;
      v = value_of(S);
      k = make(S, MK_I64, v, 0, "from_i64");
      if (k >= 0) put(S, s, k);
      break;
    }
    case A_NEW_U64: {
      uint64_t u;
      s = fz_u8(in) % NSLOT;
      u = fz_u64(in);
      k = make(S, MK_U64, (int64_t)u, u, "from_u64");
      if (k >= 0) put(S, s, k);
      break;
    }
    case A_NEW_STR: {
      char buf[32];
      int64_t v;
      int n;
      s = fz_u8(in) % NSLOT;
      v = value_of(S);
      n = snprintf(buf, sizeof buf, "%lld", (long long)v);
      mpz_set_si(S->y, (long)v);
      opaque_done(S, s, isp_from_string(R, buf, (size_t)n, 10), S->y, 0, "from_string");
      break;
    }
    case A_NEW_BYTES: {
      size_t n;
      const uint8_t *b;
      s = fz_u8(in) % NSLOT;
      b = fz_take(in, fz_u8(in) % 48, &n);
      mpz_import(S->y, n, 1, 1, 0, 0, b);
      opaque_done(S, s, isp_from_bytes(R, b, n, 0, 0), S->y, 0, "from_bytes");
      break;
    }
    case A_RELEASE:
      s = fz_u8(in) % NSLOT;
      if (S->slot[s] >= 0) {
        release(S, S->slot[s], "release");
        S->slot[s] = -1;
      }
      break;
    case A_DUP:
      s = fz_u8(in) % NSLOT;
      t = fz_u8(in) % NSLOT;
      if (S->slot[s] >= 0 && s != t) {
        k = S->slot[s];
        isp_incref(R, S->e[k].p);
        S->e[k].holders++;
        check_rc(S, &S->e[k], "incref (dup)");
        put(S, t, k);
      }
      break;
    case A_ARITH:
      op_arith(S);
      break;
    case A_COLLECT:
      collect(S);
      break;
    case A_FAIL: {
      uint8_t n = fz_u8(in);
      S->limit = n < 200 ? S->m.allocs + n % 16 : UINT64_MAX;
      isp_set_fail_alloc_after(R, n < 200 ? (int64_t)(n % 16) : -1);
      break;
    }
    case A_LIFT:
      S->limit = UINT64_MAX;
      isp_set_fail_alloc_after(R, -1);
      break;
    case A_IDENTITY:
      op_identity(S, value_of(S));
      break;
    case A_TO_LONG:
      s = fz_u8(in) % NSLOT;
      t = fz_u8(in) % NSLOT;
      k = S->slot[s];
      if (k < 0) break;
      if (S->f.is27 && S->e[k].int27) {
        k = make(S, MK_LONG27, S->e[k].iv, (uint64_t)k, "to_long");
        if (k >= 0) put(S, t, k);
      } else {
        /* a long already, or 3.x: a new reference to the same object */
        isp_int *p = isp_to_long(R, S->e[k].p);
        if (p != S->e[k].p) FAIL(S, "long(%Zd) of a long made a new object", S->e[k].v);
        S->e[k].holders++;
        check_rc(S, &S->e[k], "to_long");
        put(S, t, k);
      }
      break;
    case A_PROBE:
      s = fz_u8(in) % NSLOT;
      if (S->slot[s] >= 0) op_probe(S, S->slot[s]);
      break;
    case A_BULK_NEW:
      op_bulk_new(S);
      break;
    default:
      op_bulk_free(S);
      break;
  }
  if (isp_error_type(R) != ISP_OK)
    FAIL(S, "op %d left an error set: %s", op, fz_errtext(R));
  check_stats(S, "after the step");
}

/* }====================================================================== */

/* Out of coverage whatever the build: the first input of a process makes
** the scratch values, and its edges would differ from every later input's
** (AFL++'s stability). */
FZ_NO_COVERAGE
static void start(fz_alloc_state *S, const uint8_t *data, size_t size) {
  uint8_t h;
  int set = 0, i;
  int64_t neg = 0, pos = 0;
  S->in.p = data;
  S->in.n = size;
  h = fz_u8(&S->in);
  S->pname = fz_profile(h & 7);
  if (h & 8) {
    set = 1;
    /* fz_common.c's few ranges, each a runtime made before the first input */
    unsigned r = fz_u8(&S->in) % FZ_NRANGES;
    neg = fz_small_ranges[r][0];
    pos = fz_small_ranges[r][1];
  }
  /* kept across inputs by fz_common.c, in exactly a new runtime's state
  ** (addresses apart): the model assumes that much and no more */
  S->R = set ? fz_runtime_small(S->pname, neg, pos) : fz_runtime(S->pname);
  S->f = facts_of(S->pname);
  isp_small_range(S->R, &S->lo, &S->hi);
  if (set && -neg <= pos - 1 && (S->lo != -neg || S->hi != pos - 1))
    fz_fail("small ints {%lld, %lld} give the range [%lld, %lld]", (long long)neg,
            (long long)pos, (long long)S->lo, (long long)S->hi);
  S->ncached = S->lo <= S->hi ? (uint64_t)(S->hi - S->lo) + 1 : 0;
  S->step = -1;

  /* every input gives all its entries back (or aborts), so the entry
  ** stack, the pointer map and cache_ent are set up once */
  if (!values_ready) {
    for (i = 0; i < NENT; i++) {
      mpz_init2(S->e[i].v, 128);
      S->free_ent[i] = NENT - 1 - i;
    }
    S->nfree_ent = NENT;
    S->nlive = 0;
    mpz_init2(S->x, 128);
    mpz_init2(S->y, 128);
    values_ready = 1;
  }
  for (i = 0; i < NSLOT; i++) S->slot[i] = -1;
  S->nbulk = 0;
  S->bulk_budget = BULK_BUDGET;
  S->cache_ent = cache_ent_store;
  S->limit = UINT64_MAX;
  S->cache_base = 0;
  memset(S->fl, 0, sizeof S->fl);
  for (i = 0; i < NCLASS; i++) {
    S->pc[i].len = 0;
    S->pc[i].unknown = 0;
    S->pc[i].carve_known = 1;         /* no pool yet: the first slot opens one */
    S->pc[i].carve_next = 0;
  }
  memset(S->btab, 0, sizeof S->btab);
  S->btab_over = 0;
  S->blen = 0;
  S->bbottom = B_EMPTY;
  S->nb0 = 0;

  /* the fresh state: nothing counted but the blocks the cache took */
  memset(&S->m, 0, sizeof S->m);
  if (S->f.is27 && S->ncached > 0) {
    uint64_t spare;
    S->nb0 = (uint32_t)((S->ncached + BLOCK_OBJS - 1) / BLOCK_OBJS);
    S->nbt = S->nb0;
    S->m.blocks = S->m.allocs = S->nb0;
    spare = (uint64_t)S->nb0 * BLOCK_OBJS - S->ncached;
    if (spare > 0) {
      S->bbottom = B_RUN;
      S->run_left = (uint32_t)spare;
      S->run_next = 0;                /* known once the last block's base is */
    }
  } else {
    S->nbt = 0;
  }
  check_stats(S, "a fresh runtime");
  /* Where the cache is, before any result can claim to be in it: 3.x its
  ** array, 2.7 the last start-up block (and so its spare objects). */
  if (S->ncached > 0) {
    int64_t v = S->f.is27 ? S->lo + (int64_t)(S->nb0 - 1) * BLOCK_OBJS : S->lo;
    int k = make(S, MK_I64, v, 0, "from_i64 (cache probe)");
    if (k < 0) FAIL(S, "a cached creation failed");
    release(S, k, "release (cache probe)");
  }
}

#if defined(__clang__) && __clang_major__ >= 13
#pragma clang attribute pop
#endif

int fz_alloc(const uint8_t *data, size_t size) {
  fz_alloc_state *S = &S_;
  int i;
  start(S, data, size);
  for (S->step = 0; S->step < MAX_STEPS && S->in.n > 0; S->step++) step(S);

  /* what the slots hold is still what it was (the steps checked only
  ** what they touched), then release everything: nothing uncached may
  ** stay alive */
  S->limit = UINT64_MAX;
  isp_set_fail_alloc_after(S->R, -1);
  for (i = 0; i < NSLOT; i++)
    if (S->slot[i] >= 0) check_obj(S, &S->e[S->slot[i]], "a slot at the end");
  for (i = 0; i < NSLOT; i++)
    if (S->slot[i] >= 0) {
      release(S, S->slot[i], "release (end)");
      S->slot[i] = -1;
    }
  while (S->nbulk > 0) release(S, S->bulk[--S->nbulk], "release (end)");
  check_stats(S, "the end");
  if (S->m.live != 0 || S->nlive != 0)
    FAIL(S, "%llu objects live with every reference released", (unsigned long long)S->m.live);
  fz_close(S->R, "fz_alloc");
  S->R = NULL;
  return 0;
}

#ifdef FZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return fz_alloc(data, size);
}
#endif
