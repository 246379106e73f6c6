/*
** intobject.h -- int objects: layout, references, and the one funnel every
** result goes through.
**
** Memory layout (LP64), identical to CPython's for the profile:
**
**   offset 0   ob_refcnt   uint64  (3.12+: the count is the low 32 bits;
**                                   3.14 keeps ob_flags at bit 48)
**   offset 8   ob_type     pointer (2.7's free list threads through here)
**   offset 16  third word  int64   2.7 int: ob_ival
**                                  2.7 long, 3.11: ob_size (signed ndigits)
**                                  3.12+: lv_tag (ndigits << 3 | 1 - sign)
**   offset 24  ob_digit[]  uint32  30-bit digits (absent in a 2.7 int;
**                                  3.x always has at least one)
**
** The layer above (intops.c, intconv.c) never looks at these words: it
** reads an int through an int_view and makes results with int_result*.
*/
#ifndef intobject_h
#define intobject_h

#include "digits.h"
#include "intspect.h"
#include "runtime.h"

/* How an object's third word reads.  The type says, so that reading an
** int never needs the runtime. */
typedef enum int_encoding {
  INT_ENC_IVAL,         /* 2.7 int: the value itself */
  INT_ENC_OB_SIZE,      /* signed digit count */
  INT_ENC_LV_TAG        /* ndigits << 3 | (1 - sign) | flags in bit 2 */
} int_encoding;

typedef struct int_type {
  const char *name;     /* "int" or "long" */
  int_encoding encoding;
  int is_long;          /* 2.7 long: results with it are longs */
} int_type;

struct isp_int {
  uint64_t ob_refcnt;
  const int_type *ob_type;
  int64_t ob_word;
  dig_t ob_digit[];
};

#define INT_HEADER_SIZE 24

/*
** A read-only view of an int's sign and magnitude, whatever its layout.
** 'd' may point into 'buf' (a 2.7 int), so a view must not be copied by
** value after int_view_of; pass it by pointer.
*/
typedef struct int_view {
  int sign;            /* -1, 0, 1 */
  size_t n;            /* normalized digit count, 0 for zero */
  const dig_t *d;
  dig_t buf[3];
} int_view;

void int_view_of(const isp_int *v, int_view *w);
/* True (and *out set) when v fits an int64_t. */
int int_as_i64(const isp_int *v, int64_t *out);
/* 2.7: v is a long (operations on it give longs). */
int int_is_long(const isp_runtime *R, const isp_int *v);

/*
** The result funnel.  Every int the runtime hands out comes from one of
** these: they count the creation (stats, histogram), return the cached
** small int when the value is in range (unless want_long under 2.7),
** choose 2.7's int or long, and otherwise take an object from the free
** list or the allocator.  NULL with MemoryError set on failure.
*/
isp_int *int_result_i64(isp_runtime *R, int64_t v, int want_long);
/* From sign and magnitude d[0..n) (need not be normalized); copies d. */
isp_int *int_result_digits(isp_runtime *R, int sign, const dig_t *d, size_t n,
                           int want_long);

/*
** For results computed in place: int_alloc_digits returns an object with
** room for n digits (n >= 1) that the caller fills through *d (all n of
** them: write zeros above the value); int_finish then normalizes it (trims
** high zeros, applies the sign) and may hand back a different object (a
** cached small int, a 2.7 int, a smaller allocation), freeing the first.
** The result is a NEW reference, or NULL with MemoryError set (the
** object passed in is freed either way).  On allocation failure
** int_alloc_digits returns NULL with MemoryError set.
*/
isp_int *int_alloc_digits(isp_runtime *R, size_t n, dig_t **d);
isp_int *int_finish(isp_runtime *R, isp_int *v, int sign, int want_long);
/* Give back an object from int_alloc_digits that will not be finished. */
void int_discard(isp_runtime *R, isp_int *v);

/* The largest digit count an int may have; beyond it MemoryError at once. */
#define INT_MAX_DIGITS ((size_t)1 << 28)   /* 1 GiB of digits, ~2.4e9 decimal */

/* Object lifecycle, used by the runtime at start-up and tear-down. */
void int_types_init(isp_runtime *R);
int int_cache_init(isp_runtime *R);
void int_cache_fini(isp_runtime *R);
void int_dealloc(isp_runtime *R, isp_int *v);
/* Call fn for every cached small int that is no longer as int_cache_init
** made it (refcount, type or value moved): a reference kept or dropped
** once too often, or memory overwritten. */
void int_cache_walk_changed(isp_runtime *R, void (*fn)(void *ud, isp_int *v), void *ud);
/* True when v is one of the cached small ints. */
int int_is_cached(const isp_runtime *R, const isp_int *v);
/* Empty the 3.14 int free list back into the allocator. */
void int_freelist_clear(isp_runtime *R);

#endif
