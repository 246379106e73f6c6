/*
** intobject.c -- int objects: types, references, the small-int cache, the
** 3.14 free list, and the result funnel.
**
** Every int the runtime hands out is made by int_result_i64,
** int_result_digits or int_finish.  That one funnel is where creations are
** counted, where the small-int cache answers, where 2.7 chooses between
** its 'int' and 'long', and where 3.14's free list is consulted; the
** arithmetic above never decides any of it.
*/
#include <stdlib.h>
#include <string.h>

#include "intobject.h"

static const int_type type_int27 = { "int", INT_ENC_IVAL, 0 };
static const int_type type_long27 = { "long", INT_ENC_OB_SIZE, 1 };
static const int_type type_int_obsize = { "int", INT_ENC_OB_SIZE, 0 };
static const int_type type_int_lvtag = { "int", INT_ENC_LV_TAG, 0 };

void int_types_init(isp_runtime *R) {
  if (R->prof->split_int_long) {
    R->type_int = &type_int27;
    R->type_long = &type_long27;
  } else {
    R->type_int = R->prof->encoding == ENC_LV_TAG ? &type_int_lvtag : &type_int_obsize;
    R->type_long = R->type_int;
  }
}

/*
** {======================================================================
** Reading an int
** =======================================================================
*/

static void u64_to_digits(uint64_t u, dig_t *d, size_t *n) {
  d[0] = (dig_t)(u & DIG_MASK);
  d[1] = (dig_t)((u >> DIG_SHIFT) & DIG_MASK);
  d[2] = (dig_t)(u >> (2 * DIG_SHIFT));
  *n = d[2] ? 3 : d[1] ? 2 : d[0] ? 1 : 0;
}

static uint64_t abs_u64(int64_t v) {
  return v < 0 ? 0u - (uint64_t)v : (uint64_t)v;   /* no overflow on INT64_MIN */
}

static void word_decode(const isp_int *v, int *sign, size_t *n) {
  if (v->ob_type->encoding == INT_ENC_LV_TAG) {
    uint64_t tag = (uint64_t)v->ob_word;
    *n = (size_t)(tag >> 3);
    *sign = 1 - (int)(tag & 3);
  } else {
    int64_t s = v->ob_word;
    *n = (size_t)abs_u64(s);
    *sign = s < 0 ? -1 : s > 0;
  }
}

static int64_t word_encode(const int_type *t, int sign, size_t n) {
  if (t->encoding == INT_ENC_LV_TAG) return (int64_t)(((uint64_t)n << 3) | (uint64_t)(1 - sign));
  return sign < 0 ? -(int64_t)n : (int64_t)n;
}

void int_view_of(const isp_int *v, int_view *w) {
  if (v->ob_type->encoding == INT_ENC_IVAL) {
    int64_t x = v->ob_word;
    w->sign = x < 0 ? -1 : x > 0;
    u64_to_digits(abs_u64(x), w->buf, &w->n);
    w->d = w->buf;
    return;
  }
  word_decode(v, &w->sign, &w->n);
  w->d = v->ob_digit;
}

/* Value of d[0..n) with sign, when it fits an int64_t. */
static int digits_to_i64(int sign, const dig_t *d, size_t n, int64_t *out) {
  uint64_t u;
  if (n > 3) return 0;
  u = n > 0 ? d[0] : 0;
  if (n > 1) u |= (uint64_t)d[1] << DIG_SHIFT;
  if (n > 2) {
    if (d[2] > 8) return 0;                   /* above 2**63 */
    u |= (uint64_t)d[2] << (2 * DIG_SHIFT);
  }
  if (sign >= 0) {
    if (u > (uint64_t)INT64_MAX) return 0;
    *out = (int64_t)u;
  } else {
    if (u > (uint64_t)INT64_MAX + 1) return 0;
    *out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
  }
  return 1;
}

int int_as_i64(const isp_int *v, int64_t *out) {
  int sign;
  size_t n;
  if (v->ob_type->encoding == INT_ENC_IVAL) {
    *out = v->ob_word;
    return 1;
  }
  word_decode(v, &sign, &n);
  return digits_to_i64(sign, v->ob_digit, n, out);
}

int int_is_long(const isp_runtime *R, const isp_int *v) {
  (void)R;
  return v->ob_type->is_long;
}

/* }====================================================================== */

/*
** {======================================================================
** References
** =======================================================================
*/

/* The profile's Py_INCREF: where counting stops is data (R->rc_*). */
static inline void ref_inc(const isp_runtime *R, isp_int *v) {
  if ((v->ob_refcnt & R->rc_mask) < R->rc_incref_stop) v->ob_refcnt++;
}

void isp_incref(isp_runtime *R, isp_int *v) {
  if (v != NULL) ref_inc(R, v);
}

void isp_decref(isp_runtime *R, isp_int *v) {
  uint64_t c;
  if (v == NULL) return;
  c = v->ob_refcnt & R->rc_mask;
  if (c - 1 >= R->rc_decref_stop - 1) return;   /* immortal, or already dead (0) */
  v->ob_refcnt--;
  if (c == 1) int_dealloc(R, v);
}

uintptr_t isp_id(const isp_int *v) {
  return (uintptr_t)v;
}

uint64_t isp_refcount(const isp_runtime *R, const isp_int *v) {
  return v->ob_refcnt & R->prof->rc_mask;
}

int isp_is_immortal(const isp_runtime *R, const isp_int *v) {
  return (v->ob_refcnt & R->prof->rc_mask) >= R->prof->rc_immortal_min;
}

static size_t obj_bytes(const isp_runtime *R, size_t n) {
  size_t m = R->prof->sizeof_min_digits;
  return INT_HEADER_SIZE + sizeof(dig_t) * (n > m ? n : m);
}

size_t isp_sizeof(const isp_runtime *R, const isp_int *v) {
  int sign;
  size_t n;
  if (v->ob_type->encoding == INT_ENC_IVAL) return R->prof->int27_size;
  word_decode(v, &sign, &n);
  return obj_bytes(R, n);
}

const char *isp_type_name(const isp_runtime *R, const isp_int *v) {
  (void)R;
  return v->ob_type->name;
}

/* }====================================================================== */

/*
** {======================================================================
** The small-int cache
** =======================================================================
*/

static isp_int *small_get(const isp_runtime *R, int64_t v) {
  return R->small[(uint64_t)v - (uint64_t)R->small_lo];
}

static inline int cached_p(const isp_runtime *R, const isp_int *v) {
  if (R->small_array != NULL)   /* one unsigned compare for the 3.x array */
    return (uintptr_t)v - (uintptr_t)R->small_array < R->small_array_bytes;
  if (R->small_count != 0 && v->ob_type->encoding == INT_ENC_IVAL &&
      v->ob_word >= R->small_lo && v->ob_word <= R->small_hi)
    return R->small[v->ob_word - R->small_lo] == v;
  return 0;
}

int int_is_cached(const isp_runtime *R, const isp_int *v) {
  return cached_p(R, v);
}

/* Largest 3.x cache array kept a pristine copy of (1 MiB: 32768 values). */
#define CACHE_PRISTINE_MAX ((size_t)1 << 20)

/* The third word a 3.x cached int is made with (and must keep). */
static int64_t cache_word(const isp_runtime *R, int64_t v) {
  return word_encode(R->type_int, v < 0 ? -1 : v > 0, v != 0) |
         (int64_t)R->prof->small_tag_flags;
}

/*
** 3.x: one contiguous array, 'small_stride' bytes per object, initialized
** in place (CPython's static _PyLong_SMALL_INTS).  2.7: _PyInt_Init makes
** each value in ascending order from the block free list and keeps a
** pointer; the array owns that reference.
*/
int int_cache_init(isp_runtime *R) {
  const isp_profile *P = R->prof;
  size_t count, i;
  R->small_count = R->small_lo > R->small_hi ? 0 : (uint64_t)(R->small_hi - R->small_lo) + 1;
  if (R->small_count == 0) return 1;
  count = (size_t)R->small_count;
  /* One pointer per value for both layouts: the lookup is then a single
  ** load, whether the objects sit in 2.7's blocks or in the 3.x array. */
  R->small = calloc(count, sizeof(isp_int *));
  if (R->small == NULL) return 0;
  R->stats.bytes += count * sizeof(isp_int *);
  if (P->small_in_blocks) {
    for (i = 0; i < count; i++) {
      isp_int *o = block27_pop(R);
      if (o == NULL) return 0;
      o->ob_refcnt = P->small_refcnt;
      o->ob_type = R->type_int;
      o->ob_word = R->small_lo + (int64_t)i;
      R->small[i] = o;
    }
    return 1;
  }
  R->small_array_bytes = count * P->small_stride;
  R->small_array = aligned_alloc(64, (R->small_array_bytes + 63) / 64 * 64);
  if (R->small_array == NULL) return 0;
  R->stats.bytes += (R->small_array_bytes + 63) / 64 * 64;
  memset(R->small_array, 0, R->small_array_bytes);
  for (i = 0; i < count; i++) {
    isp_int *o = (isp_int *)(void *)(R->small_array + i * P->small_stride);
    int64_t v = R->small_lo + (int64_t)i;
    o->ob_refcnt = P->small_refcnt;
    o->ob_type = R->type_int;
    o->ob_word = cache_word(R, v);
    o->ob_digit[0] = (dig_t)abs_u64(v);
    R->small[i] = o;
  }
  /* A copy to compare the array with after each fuzz input: one memcmp
  ** instead of a walk (int_cache_walk_changed); only for arrays of up to
  ** CACHE_PRISTINE_MAX, the walk does for larger ones. */
  if (R->small_array_bytes <= CACHE_PRISTINE_MAX) {
    R->small_pristine = malloc(R->small_array_bytes);
    if (R->small_pristine == NULL) return 0;
    memcpy(R->small_pristine, R->small_array, R->small_array_bytes);
    R->stats.bytes += R->small_array_bytes;
  }
  return 1;
}

ISP_NO_COVERAGE
void int_cache_walk_changed(isp_runtime *R, void (*fn)(void *ud, isp_int *v), void *ud) {
  const isp_profile *P = R->prof;
  size_t i;
  if (R->small_pristine != NULL &&
      memcmp(R->small_pristine, R->small_array, R->small_array_bytes) == 0)
    return;
  for (i = 0; i < R->small_count; i++) {
    isp_int *o = R->small[i];
    int64_t v = R->small_lo + (int64_t)i;
    int same = o->ob_refcnt == P->small_refcnt && o->ob_type == R->type_int &&
               o->ob_word == (P->small_in_blocks ? v : cache_word(R, v)) &&
               (P->small_in_blocks || o->ob_digit[0] == (dig_t)abs_u64(v));
    if (!same) fn(ud, o);
  }
}

void int_cache_fini(isp_runtime *R) {
  if (R->small != NULL) {
    R->stats.bytes -= (size_t)(R->small_hi - R->small_lo + 1) * sizeof(isp_int *);
    free(R->small);
    R->small = NULL;
  }
  if (R->small_array != NULL) {
    R->stats.bytes -= (R->small_array_bytes + 63) / 64 * 64;
    free(R->small_array);
    R->small_array = NULL;
  }
  if (R->small_pristine != NULL) {
    R->stats.bytes -= R->small_array_bytes;
    free(R->small_pristine);
    R->small_pristine = NULL;
  }
}

/* }====================================================================== */

/*
** {======================================================================
** Allocation, the free lists, deallocation
** =======================================================================
*/

/* A digit object of capacity n, refcount 1: 3.14's free list first when
** it is compact, else the general allocator. */
static isp_int *obj_new(isp_runtime *R, size_t n) {
  isp_int *o = R->int_freelist;
  if (n <= 1 && o != NULL) {
    R->int_freelist = (isp_int *)(uintptr_t)o->ob_refcnt;
    R->int_freelist_len--;
    R->stats.freelist_hits++;
  } else {
    if (n > INT_MAX_DIGITS) {
      err_set(R, ISP_MEMORY_ERROR, "int of %zu digits exceeds the runtime's limit", n);
      R->stats.failed_allocs++;
      return NULL;
    }
    o = pool_alloc(R, obj_bytes(R, n));
    if (o == NULL) return NULL;
  }
  o->ob_refcnt = 1;
  o->ob_type = R->type_long;
  o->ob_word = word_encode(R->type_long, 1, n);
  return o;
}

static void obj_free(isp_runtime *R, isp_int *v, size_t n) {
  if (n <= 1 && R->int_freelist_len < R->freelist_max) {
    v->ob_type = NULL;                          /* dead, for the leak walk */
    v->ob_refcnt = (uint64_t)(uintptr_t)R->int_freelist;
    R->int_freelist = v;
    R->int_freelist_len++;
    return;
  }
  pool_free(R, v, obj_bytes(R, n));
}

void int_freelist_clear(isp_runtime *R) {
  while (R->int_freelist != NULL) {
    isp_int *o = R->int_freelist;
    R->int_freelist = (isp_int *)(uintptr_t)o->ob_refcnt;
    pool_free(R, o, obj_bytes(R, 1));
  }
  R->int_freelist_len = 0;
}

void int_dealloc(isp_runtime *R, isp_int *v) {
  int sign;
  size_t n;
  /* 3.14's _PyLong_ExactDealloc, first: a compact int (lv_tag < 16) goes
  ** on the free list while it has room.  Only profiles whose cached ints
  ** are immortal and whose tag is lv_tag keep one (runtime.c checks), so
  ** no cached int can get here and the tag test is enough. */
  if ((uint64_t)v->ob_word < 16 && R->int_freelist_len < R->freelist_max) {
    R->released++;
    v->ob_type = NULL;                          /* dead, for the leak walk */
    v->ob_refcnt = (uint64_t)(uintptr_t)R->int_freelist;
    R->int_freelist = v;
    R->int_freelist_len++;
    return;
  }
  if (cached_p(R, v)) {
    /* The cache owns its objects; as 3.12+ does, put the count back. */
    v->ob_refcnt = R->prof->small_refcnt;
    return;
  }
  R->released++;
  if (v->ob_type->encoding == INT_ENC_IVAL) {
    block27_push(R, v);
    return;
  }
  word_decode(v, &sign, &n);
  obj_free(R, v, n);
}

void int_discard(isp_runtime *R, isp_int *v) {
  if (v != NULL) {
    int sign;
    size_t n;
    word_decode(v, &sign, &n);
    v->ob_refcnt = 0;
    obj_free(R, v, n);
  }
}

/* }====================================================================== */

/*
** {======================================================================
** The result funnel
** =======================================================================
*/

/* Cache hits are counted apart; isp_get_stats adds them to 'created'. */
static void count_creation(isp_runtime *R, int64_t v) {
  R->stats.created++;
  if (R->hist != NULL && v >= R->hist_lo && v <= R->hist_hi)
    R->hist[v - R->hist_lo]++;
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
isp_int *int_result_i64(isp_runtime *R, int64_t v, int want_long) {
  isp_int *o;
  dig_t d[3];
  size_t n;
  uint64_t u;
  if (R->hist != NULL && v >= R->hist_lo && v <= R->hist_hi) R->hist[v - R->hist_lo]++;
  /* one unsigned compare: is v in [small_lo, small_hi]? */
  if ((uint64_t)v - (uint64_t)R->small_lo < R->small_count && !want_long) {
    o = small_get(R, v);
    R->stats.cache_hits++;
    ref_inc(R, o);
    return o;
  }
  if (!want_long && R->type_int->encoding == INT_ENC_IVAL) {
    int refill = R->blocks.free_list == NULL;
    o = block27_pop(R);
    if (o == NULL) return NULL;
    if (!refill) R->stats.freelist_hits++;
    R->stats.created++;
    o->ob_refcnt = 1;
    o->ob_type = R->type_int;
    o->ob_word = v;
    return o;
  }
  u = abs_u64(v);
  o = R->int_freelist;
  if (u < DIG_BASE && o != NULL) {
    /* 3.14's _PyLong_FromMedium: a compact int straight off the free list */
    R->int_freelist = (isp_int *)(uintptr_t)o->ob_refcnt;
    R->int_freelist_len--;
    R->stats.freelist_hits++;
    R->stats.created++;
    o->ob_refcnt = 1;
    o->ob_type = R->type_long;
    o->ob_word = word_encode(R->type_long, v < 0 ? -1 : v > 0, u != 0);
    o->ob_digit[0] = (dig_t)u;
    return o;
  }
  u64_to_digits(u, d, &n);
  o = obj_new(R, n);
  if (o == NULL) return NULL;
  R->stats.created++;
  o->ob_word = word_encode(o->ob_type, v < 0 ? -1 : v > 0, n);
  /* at most three digits: stores, not a memcpy call (3.x zero keeps its
  ** one digit, 0; 2.7's 0L has none) */
  if (n > 0 || R->prof->sizeof_min_digits > 0) o->ob_digit[0] = d[0];
  if (n > 1) o->ob_digit[1] = d[1];
  if (n > 2) o->ob_digit[2] = d[2];
  return o;
}

isp_int *int_result_digits(isp_runtime *R, int sign, const dig_t *d, size_t n,
                           int want_long) {
  int64_t x;
  isp_int *o;
  n = dig_normalized_size(d, n);
  if (digits_to_i64(sign, d, n, &x)) return int_result_i64(R, x, want_long);
  o = obj_new(R, n);
  if (o == NULL) return NULL;
  R->stats.created++;
  memcpy(o->ob_digit, d, n * sizeof(dig_t));
  o->ob_word = word_encode(o->ob_type, sign, n);
  return o;
}

isp_int *int_alloc_digits(isp_runtime *R, size_t n, dig_t **d) {
  isp_int *o = obj_new(R, n ? n : 1);
  if (o == NULL) return NULL;
  *d = o->ob_digit;
  return o;
}

/* Size class the general allocator would use for n digits (-1: big). */
static long alloc_class(const isp_runtime *R, size_t n) {
  size_t bytes = obj_bytes(R, n);
  return bytes > POOL_MAX_SMALL ? -1 : (long)((bytes - 1) >> R->pool.shift);
}

isp_int *int_finish(isp_runtime *R, isp_int *v, int sign, int want_long) {
  int dummy, fits;
  size_t cap, n;
  int64_t x;
  word_decode(v, &dummy, &cap);
  if (cap > 3 && v->ob_digit[cap - 1] != 0) {
    /* the usual big result: already normalized, too long for an int64,
    ** so neither cached, nor a 2.7 int, nor moved */
    R->stats.created++;
    v->ob_word = word_encode(v->ob_type, sign, cap);
    return v;
  }
  n = dig_normalized_size(v->ob_digit, cap);
  if (n == 0) sign = 0;
  fits = digits_to_i64(sign, v->ob_digit, n, &x);
  /* Cached values and 2.7 ints are other objects than this one. */
  if (fits && !want_long && ((x >= R->small_lo && x <= R->small_hi) ||
                             R->type_int->encoding == INT_ENC_IVAL)) {
    isp_int *r = int_result_i64(R, x, want_long);
    int_discard(R, v);
    return r;
  }
  if (alloc_class(R, n) != alloc_class(R, cap)) {
    /* Cancellation shrank it into another size class: move it, so that
    ** the object's own digit count always names its allocation. */
    isp_int *r = obj_new(R, n);
    if (r == NULL) {
      int_discard(R, v);
      return NULL;
    }
    memcpy(r->ob_digit, v->ob_digit, n * sizeof(dig_t));
    int_discard(R, v);
    v = r;
  }
  if (fits) count_creation(R, x);
  else R->stats.created++;
  if (n == 0 && R->prof->sizeof_min_digits > 0) v->ob_digit[0] = 0;
  v->ob_word = word_encode(v->ob_type, sign, n);
  return v;
}

/* }====================================================================== */

/*
** The two paths a Python program takes most, kept small enough to inline
** into callers: a cached value, and (3.14) a compact int off the free
** list.  Everything else, and any run with a histogram, takes the funnel.
*/
isp_int *isp_from_i64(isp_runtime *R, int64_t v) {
  uint64_t i = (uint64_t)v - (uint64_t)R->small_lo;
  if (R->hist == NULL) {
    isp_int *o;
    if (i < R->small_count) {
      o = R->small[i];
      R->stats.cache_hits++;
      ref_inc(R, o);
      return o;
    }
    o = R->int_freelist;
    if (o != NULL && abs_u64(v) < DIG_BASE) {
      R->int_freelist = (isp_int *)(uintptr_t)o->ob_refcnt;
      R->int_freelist_len--;
      R->stats.created++;
      R->stats.freelist_hits++;
      o->ob_refcnt = 1;
      o->ob_type = R->type_long;
      /* only lv_tag profiles keep a free list: one digit and 1 - sign
      ** (8 positive, 10 negative), or no digit and 1 for zero */
      o->ob_word = v ? (int64_t)(8 | ((uint64_t)v >> 63 << 1)) : 1;
      o->ob_digit[0] = (dig_t)abs_u64(v);
      return o;
    }
  }
  return int_result_i64(R, v, 0);
}

isp_int *isp_from_u64(isp_runtime *R, uint64_t v) {
  dig_t d[3];
  size_t n;
  if (v <= (uint64_t)INT64_MAX) return int_result_i64(R, (int64_t)v, 0);
  u64_to_digits(v, d, &n);
  return int_result_digits(R, 1, d, n, 0);
}
