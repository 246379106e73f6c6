/*
** runtime.h -- the runtime instance: every piece of state hangs off it.
**
** Also the error state (CPython's "current exception") and the memory
** gate every allocation passes through, which is where fault injection
** and the byte and allocation counters live.
*/
#ifndef runtime_h
#define runtime_h

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "intspect.h"
#include "profile.h"

struct isp_int;

/*
** Walks that only verify (the leak walks, the check that the cache is
** untouched) run after every fuzz input over every cached object; traced
** by a coverage-guided engine they cost a recorded compare per object and
** steer it by nothing the input chose.  They are left uninstrumented, as
** is bookkeeping whose branch depends on what earlier inputs left (a
** spare pool or a new one), so that an input's edges are its own.
*/
#if defined(__clang__) && __clang_major__ >= 13
/* not inlined: the instrumentation runs after inlining, and would cover
** the body again as part of its caller.  Write it alone on the line before
** the definition: .clusterfuzzlite/build.sh finds the functions so marked
** and lists them for AFL++, whose compiler ignores the attribute. */
#define ISP_NO_COVERAGE __attribute__((no_sanitize("coverage"), noinline))
#else
#define ISP_NO_COVERAGE
#endif

/* The pymalloc-like pool allocator (pool.c). */
/* Size classes are the profile's quantum (2.7: 8 bytes, 3.8+: 16) up to
** 512 bytes; pools are the profile's size (2.7: 4 KiB, 3.10+: 16 KiB). */
#define POOL_MAX_SMALL 512
#define POOL_NCLASSES (POOL_MAX_SMALL / 8)
/* Freed big blocks kept for reuse: one per power-of-two bucket from 1 KiB
** to 1 MiB (buckets 10..20). */
#define POOL_KEPT_MIN_SHIFT 10
#define POOL_KEPT_BUCKETS 11

typedef struct pool_chunk pool_chunk;   /* a pool, carved in one size class */
typedef struct pool_big pool_big;       /* an object above POOL_MAX_SMALL */

typedef struct pool_state {
  unsigned shift;                       /* log2 of the quantum */
  size_t pool_size;
  void *freelist[POOL_NCLASSES];        /* freed slots, LIFO, per class */
  pool_chunk *carving[POOL_NCLASSES];   /* the pool new slots come from */
  pool_chunk *pools;                    /* every pool, for tear-down and walks */
  pool_chunk *spare;                    /* emptied by pool_reset, reused before malloc */
  pool_big *bigs;                       /* every big object, doubly linked */
  pool_big *kept[POOL_KEPT_BUCKETS];    /* one freed big block per size bucket */
} pool_state;

/* 2.7's PyIntBlock allocator (block27.c). */
typedef struct block27_arena block27_arena;
typedef struct block27_state {
  void *block_list;                     /* blocks in use, newest first */
  struct isp_int *free_list;            /* threaded through ob_type */
  block27_arena *arenas;                /* where blocks are placed */
  void *free_blocks;                    /* freed block slots, reused LIFO */
  size_t spacing;                       /* bytes between consecutive blocks */
  size_t nblocks;
  /* the arenas as the runtime was created, for isp_runtime_reset */
  size_t base_arenas, base_used;
} block27_state;

struct isp_runtime {
  const isp_profile *prof;
  const struct int_type *type_int;      /* 2.7 'int'; 3.x the only int type */
  const struct int_type *type_long;     /* 2.7 'long'; 3.x same as type_int */
  int closed;

  /* error state */
  isp_errtype err_type;
  char err_msg[1024];                   /* int(str) quotes up to 200 chars of UTF-8 */

  /* limits and options */
  int64_t max_str_digits;
  uint64_t max_bits;                    /* max_result_bits; UINT64_MAX when 0 (none) */
  uint64_t max_work;                    /* max_work; UINT64_MAX when 0 (none) */
  uint64_t alloc_limit;                 /* allocations fail once stats.allocs reaches it */

  /* the profile's refcount rule, copied here for the hot paths */
  uint64_t rc_mask, rc_incref_stop, rc_decref_stop;

  /* small-int cache: values [small_lo, small_hi]; small_lo > small_hi: off */
  int64_t small_lo, small_hi;
  uint64_t small_count;                 /* small_hi - small_lo + 1, or 0 */
  struct isp_int **small;               /* every cached object, by value - small_lo */
  unsigned char *small_array;           /* 3.x: contiguous objects */
  size_t small_array_bytes;
  unsigned char *small_pristine;        /* 3.x: a copy of small_array as made, or NULL */

  /* allocators */
  /* (the free list's length is kept away from the counters in 'stats': next
  ** to them the compiler merges its update with a counter's into one
  ** 16-byte read-modify-write, which then stalls on the 8-byte stores the
  ** release path makes to each: 12 ns instead of 6 per create+release) */
  size_t int_freelist_len;
  pool_state pool;
  block27_state blocks;
  struct isp_int *int_freelist;         /* 3.14 ints, linked via ob_refcnt */
  size_t freelist_max;                  /* the profile's, copied for the hot path */

  int dig_simd;                         /* dig_simd_detect(), for the digit loops */

  /* instrumentation */
  isp_stats stats;                      /* 'created' here omits cache hits */
  uint64_t released;                    /* objects int_dealloc took back */
  /* as isp_runtime_new left them, for isp_runtime_reset */
  isp_stats stats0;
  uint64_t released0, alloc_limit0;
  int64_t max_str_digits0;
  uint64_t max_bits0, max_work0;
  int64_t hist_lo, hist_hi;
  uint64_t *hist;                       /* NULL when off */
};

/* Set the current error (printf-style message). */
void err_set(isp_runtime *R, isp_errtype t, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* 1 (TypeError set) when a or b is NULL: a C caller's misuse reported,
** not a crash. */
int err_null_args(isp_runtime *R, const void *a, const void *b);
/* MemoryError with an empty message, as CPython's PyErr_NoMemory. */
void err_nomemory(isp_runtime *R);
/*
** MemoryError for a result past max_result_bits: the printf-style text
** says what would be made ("x ** y would have 3321928095 bits"), and the
** message goes on to name the limit and the option that lifts it.  The
** hard ceiling (INT_MAX_DIGITS) keeps err_nomemory's empty message, as
** CPython's; only this runtime's own limit explains itself.
*/
void err_limit(isp_runtime *R, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/*
** The work limit: 1 when 'steps' (saturated at UINT64_MAX by the caller)
** fits max_work; else 0, with a MemoryError that says what 'what' would
** have cost and how to lift the limit.
*/
int err_work_ok(isp_runtime *R, const char *what, uint64_t steps);

/*
** The memory gate.  Every allocation the runtime makes goes through
** mem_alloc (raw memory from the system) or through an allocator that
** calls mem_gate first.  mem_gate fails (returns 0, MemoryError set) once
** fail_alloc_after allocations have succeeded.
*/
int mem_gate(isp_runtime *R);
void *mem_alloc(isp_runtime *R, size_t size);
void mem_free(isp_runtime *R, void *p, size_t size);
/* Working space for the digit layer: n digits (n may be 0). */
uint32_t *mem_scratch(isp_runtime *R, size_t ndigits);
void mem_scratch_free(isp_runtime *R, uint32_t *p, size_t ndigits);

/* pool.c: the general object allocator (pymalloc-like for <= 512 B). */
void pool_init(isp_runtime *R);
void *pool_alloc(isp_runtime *R, size_t size);
void pool_free(isp_runtime *R, void *p, size_t size);
void pool_fini(isp_runtime *R);
/* With no live object in the pools: back to the state pool_init left,
** keeping the emptied pools' memory for the next ones (not counted in
** stats.bytes until reused), so a reset runtime does not go back to the
** C library for every pool of every input. */
void pool_reset(isp_runtime *R);
/* Call fn for every live object the pool holds (type word non-NULL). */
void pool_walk(isp_runtime *R, void (*fn)(void *ud, struct isp_int *v), void *ud);

/* block27.c: 2.7's int blocks. */
struct isp_int *block27_pop(isp_runtime *R);
void block27_push(isp_runtime *R, struct isp_int *v);
size_t block27_collect(isp_runtime *R);
void block27_fini(isp_runtime *R);
void block27_walk(isp_runtime *R, void (*fn)(void *ud, struct isp_int *v), void *ud);
/* Remember the arenas as they are now (the runtime's start-up state). */
void block27_mark_base(isp_runtime *R);
/* With no live int outside the start-up blocks: collect, then give back
** every arena and block place taken since block27_mark_base, so the next
** block lands where a new runtime's would. */
void block27_reset(isp_runtime *R);

#endif
