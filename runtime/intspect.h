/*
** intspect.h -- the public C API of the intspect int runtime.
**
** A runtime ('isp_runtime') manages integer objects the way one CPython
** version does: the small-int cache, the allocator that version uses, its
** object layout, sizes and refcount rules.  Everything hangs off the
** runtime; there is no global state, so runtimes with different profiles
** live side by side.
**
** Conventions (CPython's, so that callers recognise them):
**   - a function returning 'isp_int *' returns a NEW reference, or NULL
**     with the runtime's error set (isp_error_type / isp_error_message);
**   - arguments are borrowed;
**   - functions returning 'int' return 0 on success and -1 with the error
**     set, unless documented otherwise.
** No input, however wrong, may crash the process or corrupt a runtime:
** misuse the C API can detect (a NULL int or output pointer given to a
** function that can raise, a base out of range, a negative length) is
** reported as a Python exception (TypeError for NULL), never by abort().
** The runtime itself must be valid, and the query functions that cannot
** fail (isp_compare, isp_hash, isp_refcount, isp_sizeof, ...) take
** non-NULL ints.
*/
#ifndef INTSPECT_H
#define INTSPECT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
** The version, MAJOR.MINOR.PATCH: the one place it is written.  The build
** reads these three lines for the library's SONAME, the pkg-config and
** CMake package versions and the Debian package; docs/API.md ("Versions
** and compatibility") says what each part promises.
*/
#define INTSPECT_VERSION_MAJOR 0
#define INTSPECT_VERSION_MINOR 1
#define INTSPECT_VERSION_PATCH 0
#define ISP_VERSION_STR_(x) #x
#define ISP_VERSION_STR(x) ISP_VERSION_STR_(x)
/* "0.1.0": the version this header belongs to (isp_version: the library's) */
#define INTSPECT_VERSION ISP_VERSION_STR(INTSPECT_VERSION_MAJOR) "." \
  ISP_VERSION_STR(INTSPECT_VERSION_MINOR) "." ISP_VERSION_STR(INTSPECT_VERSION_PATCH)

#if defined(__GNUC__) || defined(__clang__)
#define ISP_WUR __attribute__((warn_unused_result))
#else
#define ISP_WUR
#endif

typedef struct isp_runtime isp_runtime;
/* An int object.  Its address is its id, exactly as id() in CPython. */
typedef struct isp_int isp_int;

/* The Python exception an operation raised. */
typedef enum isp_errtype {
  ISP_OK = 0,
  ISP_MEMORY_ERROR,
  ISP_VALUE_ERROR,
  ISP_ZERO_DIVISION_ERROR,
  ISP_OVERFLOW_ERROR,
  ISP_TYPE_ERROR
} isp_errtype;

/* The version of the library the program runs with, "MAJOR.MINOR.PATCH";
** INTSPECT_VERSION is the one it was compiled against. */
const char *isp_version(void);

/* "MemoryError", "ValueError", ...; "" for ISP_OK. */
const char *isp_errtype_name(isp_errtype t);

/*
** {======================================================================
** Runtime creation and tear-down
** =======================================================================
*/

typedef struct isp_options {
  const char *profile;        /* NULL: "cpython3.14" */
  int set_small_ints;         /* use small_neg/small_pos instead of the profile's */
  int64_t small_neg;          /* NSMALLNEGINTS: -small_neg is the lowest cached value */
  int64_t small_pos;          /* NSMALLPOSINTS: small_pos - 1 is the highest */
  int set_histogram;          /* count creation requests per value in [lo, hi] */
  int64_t hist_lo, hist_hi;
  int set_max_str_digits;     /* use max_str_digits instead of the profile's */
  int64_t max_str_digits;     /* 0 = no limit; else must be >= 640 */
  int64_t fail_alloc_after;   /* < 0: never; n: allocations fail once n succeeded */
  int64_t block_spacing;      /* cpython2.7: bytes between int blocks; 0 = default 992 */
  /* The widest result one operation may make, in bits (see
  ** isp_set_max_result_bits); isp_options_init sets the default. */
  int64_t max_result_bits;
  /* The most work one operation may do, in digit steps, estimated before
  ** it starts (see isp_set_max_work); isp_options_init sets the default. */
  int64_t max_work;
} isp_options;

/* 2**26 bits (about 20 million decimal digits): far above any result a
** test, fuzzer or benchmark needs, far below what exhausts a machine. */
#define ISP_DEFAULT_MAX_RESULT_BITS ((int64_t)1 << 26)
/* The smallest limit other than 0: every result of at most 128 bits is
** made on paths that never look at the limit. */
#define ISP_MIN_MAX_RESULT_BITS 128

/* 2**32 digit steps: a few seconds of the slowest operations (a modular
** power with a long exponent, a gcd of multi-million-bit operands) in an
** optimized build; every test, fuzzer and benchmark stays far below. */
#define ISP_DEFAULT_MAX_WORK ((int64_t)1 << 32)

/* Fill 'o' with the defaults (profile cpython3.14, its own ranges). */
void isp_options_init(isp_options *o);

/* The profile names, NULL-terminated, default first. */
const char *const *isp_profile_names(void);

/*
** Create a runtime.  On failure returns NULL and writes a message
** ("ValueError: unknown profile 'x'", ...) into err[0..errlen).
*/
isp_runtime *isp_runtime_new(const isp_options *o, char *err, size_t errlen) ISP_WUR;

/* One object still alive at tear-down that no reference accounts for. */
typedef struct isp_leak {
  uintptr_t id;
  uint64_t refcount;
  const char *value;          /* "0x..." or "-0x...", cut after 50 hex digits */
} isp_leak;
typedef void (*isp_leak_fn)(void *ud, const isp_leak *leak);

/*
** Tear the runtime down, calling 'fn' (may be NULL) for each leaked object,
** and return how many there were.  All memory is given back whatever the
** count.
*/
size_t isp_runtime_close(isp_runtime *R, isp_leak_fn fn, void *ud);

/*
** Bring R back to the state isp_runtime_new left it in: no pending error,
** the options' digit and result limits and fault injection, empty free
** lists, no pool or 2.7 block beyond those the cache needs, every counter (stats and
** histogram) as it was then.  Only the addresses the allocators hand out
** may differ.  A reset needs nothing alive but the small-int cache, and
** the cache untouched; otherwise nothing is reset, 'fn' (may be NULL) is
** called for each object alive beyond the cache and each cached int whose
** refcount or value moved, and their count is returned.  0 after a reset.
** Much cheaper than a new runtime (no cache to fill): a fuzzer's loop.
*/
size_t isp_runtime_reset(isp_runtime *R, isp_leak_fn fn, void *ud);

/* R's profile name: the very pointer of its entry in isp_profile_names(),
** so a caller may compare names by address. */
const char *isp_runtime_profile(const isp_runtime *R);
/* The range actually cached: values in [lo, hi]; lo > hi when disabled. */
void isp_small_range(const isp_runtime *R, int64_t *lo, int64_t *hi);

/* Lift (n < 0) the allocation failure point, or set it: after n more
** successful allocations (counted from now), every allocation fails. */
void isp_set_fail_alloc_after(isp_runtime *R, int64_t n);
/* 0 = no limit; else >= 640 (ValueError otherwise). */
int isp_set_max_str_digits(isp_runtime *R, int64_t n) ISP_WUR;
int64_t isp_get_max_str_digits(const isp_runtime *R);
/*
** The result limit: 0 = none; else >= ISP_MIN_MAX_RESULT_BITS (ValueError
** otherwise).  An operation that would make a result wider than n bits
** raises MemoryError, with a message naming the limit, before it
** allocates or computes: x ** y, x * y, x << n, int.to_bytes (8 * length),
** str(x) (x's bits), int(s, base) (the bits its digit count can hold:
** count * log2(base)) and int.from_bytes (8 * length).
*/
int isp_set_max_result_bits(isp_runtime *R, int64_t n) ISP_WUR;
int64_t isp_get_max_result_bits(const isp_runtime *R);
/*
** The work limit: an operation whose estimated cost passes n digit steps
** (one step: a 30-bit digit by a 30-bit digit, with its carry) raises
** MemoryError before it starts, with a message that names the limit.  The
** operations whose cost their result's size does not bound are estimated:
** pow(a, b, m) at bit_length(b) * digits(m)**2 steps, gcd(a, b) and the
** modular inverse of pow(a, -b, m) at 4 * digits(a) * digits(b).  0: no
** limit; n < 0 is ValueError.  A reset restores the options' value.
*/
int isp_set_max_work(isp_runtime *R, int64_t n) ISP_WUR;
int64_t isp_get_max_work(const isp_runtime *R);

/* The pending error, as CPython's PyErr_Occurred / PyErr_Fetch would show it. */
isp_errtype isp_error_type(const isp_runtime *R);
const char *isp_error_message(const isp_runtime *R);
void isp_error_clear(isp_runtime *R);
/* Set an error from outside (bindings validating their own arguments). */
void isp_error_set(isp_runtime *R, isp_errtype t, const char *msg);

/* }====================================================================== */

/*
** {======================================================================
** References and the object model
** =======================================================================
*/

void isp_incref(isp_runtime *R, isp_int *v);
void isp_decref(isp_runtime *R, isp_int *v);

uintptr_t isp_id(const isp_int *v);
/* The raw ob_refcnt as the profile stores it (no +1 as in sys.getrefcount). */
uint64_t isp_refcount(const isp_runtime *R, const isp_int *v);
/* sys.getsizeof(v) under the profile. */
size_t isp_sizeof(const isp_runtime *R, const isp_int *v);
int isp_is_immortal(const isp_runtime *R, const isp_int *v);
/* "int" or "long" (cpython2.7 only has both). */
const char *isp_type_name(const isp_runtime *R, const isp_int *v);

typedef struct isp_stats {
  uint64_t created;        /* int results requested (every creation path) */
  uint64_t cache_hits;     /* ... served by the small-int cache */
  uint64_t freelist_hits;  /* ... served by a free list (2.7 ints, 3.14 ints) */
  uint64_t allocs;         /* successful allocator calls (objects and blocks) */
  uint64_t frees;          /* memory given back to an allocator */
  uint64_t failed_allocs;  /* allocations refused (fault injection or OOM) */
  uint64_t live;           /* objects alive, the small-int cache excluded */
  uint64_t blocks;         /* cpython2.7 int blocks held */
  uint64_t bytes;          /* bytes held from the system right now */
  uint64_t freelist_len;   /* objects on the 3.14 int free list now */
} isp_stats;
void isp_get_stats(const isp_runtime *R, isp_stats *s);

/* Creation counts for [lo, hi] (hi-lo+1 entries), or NULL if not configured. */
const uint64_t *isp_histogram(const isp_runtime *R, int64_t *lo, int64_t *hi);

/* gc.get_threshold() of the profile: 2.7-3.12 (700, 10, 10), 3.13
** (2000, 10, 10), 3.14 (2000, 10, 0). */
void isp_gc_threshold(const isp_runtime *R, int64_t out[3]);

/* A full collection: frees 2.7 blocks with no live int, empties 3.14's free list. */
void isp_collect(isp_runtime *R);

/* }====================================================================== */

/*
** {======================================================================
** Creation and conversion
** =======================================================================
*/

isp_int *isp_from_i64(isp_runtime *R, int64_t v) ISP_WUR;
isp_int *isp_from_u64(isp_runtime *R, uint64_t v) ISP_WUR;
/* int(float): truncates; ValueError for NaN, OverflowError for infinities. */
isp_int *isp_from_double(isp_runtime *R, double d) ISP_WUR;
/* int(s, base) with Python's grammar; base 0 or 2..36; s need not be NUL-terminated. */
isp_int *isp_from_string(isp_runtime *R, const char *s, size_t len, int base) ISP_WUR;
/*
** The base argument of int(x, base) as the profile's int() takes it, given
** whether x is text (str, bytes): 0 with *out the base to hand to
** isp_from_string, or -1 with the exception CPython raises for this pair
** (2.7: OverflowError outside a C int; TypeError for a base with a non-text
** x, but 2.7's -909, its "no base given"; ValueError for a base outside
** 2..36 and not 0, which 3.x reports before the TypeError and 2.7 after).
*/
int isp_int_base(isp_runtime *R, int64_t base, int x_is_text, int *out) ISP_WUR;
/* int.from_bytes(b, "little" if little else "big", signed=is_signed). */
isp_int *isp_from_bytes(isp_runtime *R, const uint8_t *b, size_t len,
                        int little, int is_signed) ISP_WUR;
/* cpython2.7: long(v), a long object of the same value; else a new ref to v. */
isp_int *isp_to_long(isp_runtime *R, isp_int *v) ISP_WUR;
/* int(v): cpython2.7 makes a long that fits a C long into a new int (as
** its long_int does); every other v comes back as a new ref to itself. */
isp_int *isp_to_int(isp_runtime *R, isp_int *v) ISP_WUR;

/* OverflowError when out of range. */
int isp_to_i64(isp_runtime *R, const isp_int *v, int64_t *out) ISP_WUR;
/* float(v), correctly rounded; OverflowError past the double range. */
int isp_to_double(isp_runtime *R, const isp_int *v, double *out) ISP_WUR;
/*
** str(v) in base 2..36 (lowercase, '-' for negatives, no prefix).  Returns a
** NUL-terminated string to free with isp_free_string, length in *len.  Base
** 10 obeys max_str_digits.
*/
char *isp_to_string(isp_runtime *R, const isp_int *v, int base, size_t *len) ISP_WUR;
void isp_free_string(isp_runtime *R, char *s);
/* int.to_bytes(length, byteorder, signed=is_signed) into buf[0..length). */
int isp_to_bytes(isp_runtime *R, const isp_int *v, int64_t length, int little,
                 int is_signed, uint8_t *buf) ISP_WUR;
/* The checks of isp_to_bytes (its errors, in its order, the result limit
** included) without writing anything: 0 when isp_to_bytes would succeed,
** so that a caller can refuse before it allocates the buffer. */
int isp_to_bytes_check(isp_runtime *R, const isp_int *v, int64_t length,
                       int is_signed) ISP_WUR;

/* }====================================================================== */

/*
** {======================================================================
** Arithmetic (Python 3 semantics; texts per profile)
** =======================================================================
*/

isp_int *isp_add(isp_runtime *R, isp_int *a, isp_int *b) ISP_WUR;
isp_int *isp_sub(isp_runtime *R, isp_int *a, isp_int *b) ISP_WUR;
isp_int *isp_mul(isp_runtime *R, isp_int *a, isp_int *b) ISP_WUR;
isp_int *isp_floordiv(isp_runtime *R, isp_int *a, isp_int *b) ISP_WUR;
isp_int *isp_mod(isp_runtime *R, isp_int *a, isp_int *b) ISP_WUR;
int isp_divmod(isp_runtime *R, isp_int *a, isp_int *b, isp_int **q, isp_int **r) ISP_WUR;
/* a / b as a correctly rounded double. */
int isp_truediv(isp_runtime *R, isp_int *a, isp_int *b, double *out) ISP_WUR;
/*
** pow(a, b[, m]); m may be NULL.  Returns 0 with *iout set (an int), 1 with
** *fout set (a negative exponent without modulus gives a float), -1 on error.
*/
int isp_pow(isp_runtime *R, isp_int *a, isp_int *b, isp_int *m,
            isp_int **iout, double *fout) ISP_WUR;
isp_int *isp_lshift(isp_runtime *R, isp_int *a, isp_int *b) ISP_WUR;
isp_int *isp_rshift(isp_runtime *R, isp_int *a, isp_int *b) ISP_WUR;
isp_int *isp_and(isp_runtime *R, isp_int *a, isp_int *b) ISP_WUR;
isp_int *isp_or(isp_runtime *R, isp_int *a, isp_int *b) ISP_WUR;
isp_int *isp_xor(isp_runtime *R, isp_int *a, isp_int *b) ISP_WUR;
isp_int *isp_neg(isp_runtime *R, isp_int *a) ISP_WUR;
isp_int *isp_invert(isp_runtime *R, isp_int *a) ISP_WUR;
isp_int *isp_abs(isp_runtime *R, isp_int *a) ISP_WUR;
/* -1, 0 or 1; never fails. */
int isp_compare(const isp_runtime *R, const isp_int *a, const isp_int *b);
int64_t isp_hash(const isp_runtime *R, const isp_int *a);
int64_t isp_bit_length(const isp_runtime *R, const isp_int *a);
int64_t isp_bit_count(const isp_runtime *R, const isp_int *a);
isp_int *isp_isqrt(isp_runtime *R, isp_int *a) ISP_WUR;
isp_int *isp_gcd(isp_runtime *R, isp_int *a, isp_int *b) ISP_WUR;

/* }====================================================================== */

#ifdef __cplusplus
}
#endif

#endif
