/*
** runtime.c -- creating, configuring, inspecting and tearing down a
** runtime; the error state.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intobject.h"

/* Each side of the small-int range is capped so that a typo cannot ask
** for terabytes: 2**24 values a side is 512 MiB of 3.x objects. */
#define SMALL_SIDE_MAX ((int64_t)1 << 24)
/* The histogram is one counter per value. */
#define HIST_MAX_VALUES ((int64_t)1 << 26)

static const char *const errtype_names[] = {
  "", "MemoryError", "ValueError", "ZeroDivisionError", "OverflowError", "TypeError"
};

const char *isp_errtype_name(isp_errtype t) {
  if ((unsigned)t >= sizeof errtype_names / sizeof errtype_names[0]) return "SystemError";
  return errtype_names[t];
}

void err_set(isp_runtime *R, isp_errtype t, const char *fmt, ...) {
  va_list ap;
  R->err_type = t;
  va_start(ap, fmt);
  vsnprintf(R->err_msg, sizeof R->err_msg, fmt, ap);
  va_end(ap);
}

void err_nomemory(isp_runtime *R) {
  R->err_type = ISP_MEMORY_ERROR;
  R->err_msg[0] = '\0';
}

void err_limit(isp_runtime *R, const char *fmt, ...) {
  va_list ap;
  int n;
  R->err_type = ISP_MEMORY_ERROR;
  va_start(ap, fmt);
  n = vsnprintf(R->err_msg, sizeof R->err_msg, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof R->err_msg) return;
  snprintf(R->err_msg + n, sizeof R->err_msg - (size_t)n,
           ", above this runtime's max_result_bits (%llu); raise it with the "
           "max_result_bits option (0: no limit)", (unsigned long long)R->max_bits);
}

int err_work_ok(isp_runtime *R, const char *what, uint64_t steps) {
  if (steps <= R->max_work) return 1;
  err_set(R, ISP_MEMORY_ERROR,
          "%s would take about %llu digit steps, above this runtime's max_work (%llu); "
          "raise it with the max_work option (0: no limit)",
          what, (unsigned long long)steps, (unsigned long long)R->max_work);
  return 0;
}

int err_null_args(isp_runtime *R, const void *a, const void *b) {
  if (a != NULL && b != NULL) return 0;
  err_set(R, ISP_TYPE_ERROR, "NULL passed where an int (or an output pointer) is required");
  return 1;
}

isp_errtype isp_error_type(const isp_runtime *R) { return R->err_type; }
const char *isp_error_message(const isp_runtime *R) { return R->err_msg; }

void isp_error_clear(isp_runtime *R) {
  R->err_type = ISP_OK;
  R->err_msg[0] = '\0';
}

void isp_error_set(isp_runtime *R, isp_errtype t, const char *msg) {
  err_set(R, t, "%s", msg ? msg : "");
}

void isp_options_init(isp_options *o) {
  memset(o, 0, sizeof *o);
  o->fail_alloc_after = -1;
  o->max_result_bits = ISP_DEFAULT_MAX_RESULT_BITS;
  o->max_work = ISP_DEFAULT_MAX_WORK;
}

#define MAX_WORK_TEXT "max_work must be 0 (no limit) or a positive number of digit steps, got %lld"

static int max_result_bits_ok(int64_t n) {
  return n == 0 || n >= ISP_MIN_MAX_RESULT_BITS;
}
#define MAX_RESULT_BITS_TEXT "max_result_bits must be 0 (no limit) or at least %lld bits, got %lld"

/* The limit as the checks compare it: one unsigned compare, no limit
** being the largest value. */
static uint64_t max_bits_of(int64_t n) {
  return n == 0 ? UINT64_MAX : (uint64_t)n;
}

const char *const *isp_profile_names(void) {
  return profile_names();
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int fail(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  if (err != NULL && errlen > 0) {
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return 0;
}

/* Check the options against the profile; 1 if usable, else 0 and err. */
static int options_check(const isp_options *o, const isp_profile *P, char *err, size_t errlen) {
  if (o->set_small_ints) {
    if (o->small_neg < 0 || o->small_pos < 0)
      return fail(err, errlen, "ValueError: small_ints must be two non-negative counts "
                  "{NSMALLNEGINTS, NSMALLPOSINTS}, got {%lld, %lld}",
                  (long long)o->small_neg, (long long)o->small_pos);
    if (o->small_neg > SMALL_SIDE_MAX || o->small_pos > SMALL_SIDE_MAX)
      return fail(err, errlen, "ValueError: small_ints {%lld, %lld} is too large "
                  "(at most %lld values on each side)",
                  (long long)o->small_neg, (long long)o->small_pos, (long long)SMALL_SIDE_MAX);
  }
  if (o->set_histogram) {
    if (o->hist_lo > o->hist_hi)
      return fail(err, errlen, "ValueError: histogram range {%lld, %lld} is empty",
                  (long long)o->hist_lo, (long long)o->hist_hi);
    if ((uint64_t)o->hist_hi - (uint64_t)o->hist_lo >= (uint64_t)HIST_MAX_VALUES)
      return fail(err, errlen, "ValueError: histogram range {%lld, %lld} is too wide "
                  "(at most %lld values)", (long long)o->hist_lo, (long long)o->hist_hi,
                  (long long)HIST_MAX_VALUES);
  }
  if (o->set_max_str_digits && o->max_str_digits != 0 && o->max_str_digits < 640)
    return fail(err, errlen, "ValueError: maxdigits must be 0 or larger than 640");
  if (o->max_work < 0)
    return fail(err, errlen, "ValueError: " MAX_WORK_TEXT, (long long)o->max_work);
  if (!max_result_bits_ok(o->max_result_bits))
    return fail(err, errlen, "ValueError: " MAX_RESULT_BITS_TEXT,
                (long long)ISP_MIN_MAX_RESULT_BITS, (long long)o->max_result_bits);
  if (o->block_spacing != 0) {
    if (P->block_size == 0)
      return fail(err, errlen, "ValueError: block_spacing applies to the cpython2.7 "
                  "profile only (profile is %s)", P->name);
    if (o->block_spacing < 992 || o->block_spacing % 8 != 0 || o->block_spacing > 65536)
      return fail(err, errlen, "ValueError: block_spacing must be a multiple of 8 "
                  "from 992 to 65536, got %lld", (long long)o->block_spacing);
  }
  return 1;
}

isp_runtime *isp_runtime_new(const isp_options *o, char *err, size_t errlen) {
  isp_options defaults;
  const isp_profile *P;
  isp_runtime *R;
  if (o == NULL) {
    isp_options_init(&defaults);
    o = &defaults;
  }
  P = profile_find(o->profile ? o->profile : "cpython3.14");
  if (P == NULL) {
    fail(err, errlen, "ValueError: unknown profile '%s' (expected cpython2.7, "
         "cpython3.11, cpython3.12, cpython3.13 or cpython3.14)", o->profile);
    return NULL;
  }
  if (!options_check(o, P, err, errlen)) return NULL;
  R = calloc(1, sizeof *R);
  if (R == NULL) {
    fail(err, errlen, "MemoryError: cannot allocate a runtime");
    return NULL;
  }
  R->prof = P;
  R->dig_simd = dig_simd_detect();
  R->rc_mask = P->rc_mask;
  R->rc_incref_stop = P->rc_incref_stop;
  R->rc_decref_stop = P->rc_decref_stop;
  /* int_dealloc tells a compact int by its lv_tag alone, and takes it for
  ** the free list before asking whether it is cached: both need lv_tag
  ** objects and immortal cached ints (3.14's case) */
  R->freelist_max = P->encoding == ENC_LV_TAG && !P->split_int_long &&
                    (P->small_refcnt & P->rc_mask) >= P->rc_decref_stop
                        ? P->freelist_max : 0;
  R->alloc_limit = UINT64_MAX;          /* start-up allocations are not counted */
  R->max_str_digits = o->set_max_str_digits ? o->max_str_digits : P->max_str_digits;
  R->max_bits = max_bits_of(o->max_result_bits);
  R->max_work = max_bits_of(o->max_work);
  R->small_lo = -(o->set_small_ints ? o->small_neg : P->small_neg);
  R->small_hi = (o->set_small_ints ? o->small_pos : P->small_pos) - 1;
  R->blocks.spacing = o->block_spacing ? (size_t)o->block_spacing : P->block_spacing;
  int_types_init(R);
  pool_init(R);
  if (o->set_histogram) {
    size_t count = (size_t)(o->hist_hi - o->hist_lo) + 1;
    R->hist = calloc(count, sizeof(uint64_t));
    if (R->hist == NULL) goto nomem;
    R->hist_lo = o->hist_lo;
    R->hist_hi = o->hist_hi;
    R->stats.bytes += count * sizeof(uint64_t);
  }
  if (!int_cache_init(R)) goto nomem;
  isp_set_fail_alloc_after(R, o->fail_alloc_after);
  isp_error_clear(R);
  block27_mark_base(R);
  R->stats0 = R->stats;
  R->released0 = R->released;
  R->alloc_limit0 = R->alloc_limit;
  R->max_str_digits0 = R->max_str_digits;
  R->max_bits0 = R->max_bits;
  R->max_work0 = R->max_work;
  return R;
nomem:
  fail(err, errlen, "MemoryError: cannot allocate the runtime's small-int cache or histogram");
  isp_runtime_close(R, NULL, NULL);
  return NULL;
}

typedef struct leak_walk {
  isp_runtime *R;
  isp_leak_fn fn;
  void *ud;
  size_t count;
  int cached_too;           /* report cached ints as well (they moved) */
} leak_walk;

static void leak_visit(void *ud, isp_int *v) {
  leak_walk *w = ud;
  isp_leak leak;
  char *text;
  size_t len;
  char cut[64];
  if (!w->cached_too && int_is_cached(w->R, v)) return;
  w->count++;
  if (w->fn == NULL) return;
  leak.id = isp_id(v);
  leak.refcount = isp_refcount(w->R, v);
  {
    /* a leak is named whatever its size: the result limit is for scripts */
    uint64_t max_bits = w->R->max_bits;
    w->R->max_bits = UINT64_MAX;
    text = isp_to_string(w->R, v, 16, &len);
    w->R->max_bits = max_bits;
  }
  if (text == NULL) {
    isp_error_clear(w->R);
    leak.value = "?";
  } else {
    /* hex: cheap at any size, and exempt from the str() digit limit */
    int neg = text[0] == '-';
    snprintf(cut, sizeof cut, "%s0x%.50s%s", neg ? "-" : "", text + neg,
             len - (size_t)neg > 50 ? "..." : "");
    leak.value = cut;
    isp_free_string(w->R, text);
  }
  w->fn(w->ud, &leak);
}

/* Report every object alive outside the cache; their count. */
static size_t leak_walk_all(isp_runtime *R, isp_leak_fn fn, void *ud, int cached_too) {
  leak_walk w;
  w.R = R;
  w.fn = fn;
  w.ud = ud;
  w.count = 0;
  w.cached_too = 0;
  pool_walk(R, leak_visit, &w);
  block27_walk(R, leak_visit, &w);
  if (cached_too) {           /* and the cached ints whose refcount or value moved */
    w.cached_too = 1;
    int_cache_walk_changed(R, leak_visit, &w);
  }
  return w.count;
}

size_t isp_runtime_close(isp_runtime *R, isp_leak_fn fn, void *ud) {
  size_t count;
  if (R == NULL) return 0;
  R->alloc_limit = UINT64_MAX;
  int_freelist_clear(R);
  count = leak_walk_all(R, fn, ud, 0);
  int_cache_fini(R);
  block27_fini(R);
  pool_fini(R);
  free(R->hist);
  free(R);
  return count;
}

size_t isp_runtime_reset(isp_runtime *R, isp_leak_fn fn, void *ud) {
  size_t count = leak_walk_all(R, fn, ud, 1);
  if (count != 0) return count;
  /* nothing but the untouched cache is alive: the pools hold only free
  ** slots (the 3.x cache lives in its own array), so they are emptied
  ** whole, and the next allocation carves a pool as in a new runtime */
  int_freelist_clear(R);
  pool_reset(R);
  if (R->prof->small_in_blocks) block27_reset(R);
  /* the counters must have come back by themselves; a difference is an
  ** accounting bug, not something for the reset to paper over */
  dig_assert(R->stats.bytes == R->stats0.bytes);
  dig_assert(R->stats.created - R->released == R->stats0.created - R->released0);
  dig_assert(R->blocks.nblocks == R->stats0.blocks);
  R->stats = R->stats0;
  R->released = R->released0;
  R->alloc_limit = R->alloc_limit0;
  R->max_str_digits = R->max_str_digits0;
  R->max_bits = R->max_bits0;
  R->max_work = R->max_work0;
  if (R->hist != NULL) memset(R->hist, 0, (size_t)(R->hist_hi - R->hist_lo + 1) * sizeof *R->hist);
  isp_error_clear(R);
  return 0;
}

const char *isp_runtime_profile(const isp_runtime *R) {
  return R->prof->name;
}

void isp_small_range(const isp_runtime *R, int64_t *lo, int64_t *hi) {
  *lo = R->small_lo;
  *hi = R->small_hi;
}

void isp_set_fail_alloc_after(isp_runtime *R, int64_t n) {
  R->alloc_limit = n < 0 ? UINT64_MAX : R->stats.allocs + (uint64_t)n;
}

int isp_set_max_str_digits(isp_runtime *R, int64_t n) {
  /* sys.set_int_max_str_digits takes a C int (its "i" argument format)
  ** before it looks at the value */
  if (n > INT32_MAX || n < INT32_MIN) {
    err_set(R, ISP_OVERFLOW_ERROR, "Python int too large to convert to C int");
    return -1;
  }
  if (n != 0 && (n < 640 || n < 0)) {
    err_set(R, ISP_VALUE_ERROR, "maxdigits must be 0 or larger than 640");
    return -1;
  }
  R->max_str_digits = n;
  return 0;
}

int64_t isp_get_max_str_digits(const isp_runtime *R) {
  return R->max_str_digits;
}

int isp_set_max_result_bits(isp_runtime *R, int64_t n) {
  if (!max_result_bits_ok(n)) {
    err_set(R, ISP_VALUE_ERROR, MAX_RESULT_BITS_TEXT, (long long)ISP_MIN_MAX_RESULT_BITS,
            (long long)n);
    return -1;
  }
  R->max_bits = max_bits_of(n);
  return 0;
}

int64_t isp_get_max_result_bits(const isp_runtime *R) {
  return R->max_bits == UINT64_MAX ? 0 : (int64_t)R->max_bits;
}

int isp_set_max_work(isp_runtime *R, int64_t n) {
  if (n < 0) {
    err_set(R, ISP_VALUE_ERROR, MAX_WORK_TEXT, (long long)n);
    return -1;
  }
  R->max_work = max_bits_of(n);
  return 0;
}

int64_t isp_get_max_work(const isp_runtime *R) {
  return R->max_work == UINT64_MAX ? 0 : (int64_t)R->max_work;
}

void isp_get_stats(const isp_runtime *R, isp_stats *s) {
  *s = R->stats;
  /* every object handed out was counted once in 'created' (cache hits
  ** apart), and every one given back once in 'released' */
  s->live = R->stats.created - R->released;
  s->created += R->stats.cache_hits;
  s->blocks = R->blocks.nblocks;
  s->freelist_len = R->int_freelist_len;
}

const uint64_t *isp_histogram(const isp_runtime *R, int64_t *lo, int64_t *hi) {
  if (R->hist == NULL) return NULL;
  *lo = R->hist_lo;
  *hi = R->hist_hi;
  return R->hist;
}

void isp_collect(isp_runtime *R) {
  int_freelist_clear(R);
  if (R->prof->small_in_blocks) block27_collect(R);
}

void isp_gc_threshold(const isp_runtime *R, int64_t out[3]) {
  int i;
  for (i = 0; i < 3; i++) out[i] = R->prof->gc_threshold[i];
}
