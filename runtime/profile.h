/*
** profile.h -- CPython version profiles as rows of data.
**
** Everything that differs between the CPython versions intspect models is
** a field here: sizes, the small-int range, the refcount policy, which
** allocator serves which object, limits and message texts.  Code reads the
** fields; no function asks "which version is this?".
*/
#ifndef profile_h
#define profile_h

#include <stddef.h>
#include <stdint.h>

/* How the third header word of an int object encodes size and sign. */
typedef enum profile_size_encoding {
  ENC_OB_SIZE,   /* signed digit count, 0 for zero (2.7 long, 3.11) */
  ENC_LV_TAG     /* ndigits << 3 | (1 - sign), bit 2 reserved (3.12+) */
} profile_size_encoding;

typedef struct isp_profile {
  const char *name;               /* "cpython3.14" */
  int split_int_long;             /* 2.7: a 24-byte 'int' and a separate 'long' */
  profile_size_encoding encoding; /* of long (3.x: every) int objects */

  /* small ints */
  int64_t small_neg, small_pos;   /* NSMALLNEGINTS, NSMALLPOSINTS */
  int small_in_blocks;            /* 2.7: made at start-up from the int blocks */
  size_t small_stride;            /* 3.x: bytes between cached objects (32) */
  uint64_t small_refcnt;          /* initial ob_refcnt word of a cached int */
  uint64_t small_tag_flags;       /* bits or-ed into a cached int's lv_tag (3.14: 4) */

  /*
  ** Refcounts: the count is (ob_refcnt & rc_mask).  INCREF does nothing when
  ** count >= rc_incref_stop (3.12's "skip when +1 would wrap the low 32
  ** bits" is count >= 0xFFFFFFFF); DECREF does nothing when count >=
  ** rc_decref_stop.  An object is immortal when count >= rc_immortal_min.
  */
  uint64_t rc_mask;
  uint64_t rc_incref_stop;
  uint64_t rc_decref_stop;
  uint64_t rc_immortal_min;

  /* sys.getsizeof: base + digit_size * max(ndigits, sizeof_min_digits) */
  size_t sizeof_base;             /* 24 */
  size_t sizeof_min_digits;       /* 3.11+: 1 (0 has one digit); 2.7 long: 0 */
  size_t int27_size;              /* 2.7 int: 24 */

  /* allocators */
  size_t block_size;              /* 2.7: 1000 requested, BHEAD 8 + 41 * 24 used */
  size_t block_spacing;           /* 2.7: default bytes between consecutive blocks */
  size_t freelist_max;            /* 3.14: 100 compact ints; 0 = no int free list */
  unsigned pool_quantum_shift;    /* pymalloc ALIGNMENT: 2.7 8 bytes (3), 3.8+ 16 (4) */
  size_t pool_size;               /* pymalloc POOL_SIZE: 2.7 4 KiB, 3.10+ 16 KiB */

  /* limits */
  int64_t max_str_digits;         /* 0 = none (before 3.11); 4300 */
  int64_t str_digits_threshold;   /* 640 */

  /* message texts that changed between versions */
  const char *msg_floordiv_zero;  /* 1 // 0, divmod(1, 0) */
  const char *msg_mod_zero;       /* 1 % 0 */
  const char *msg_truediv_zero;   /* 1 / 0 */
  const char *msg_zero_neg_pow;   /* 0 ** -1 */
  int pow_neg_exp_mod_allowed;    /* 3.8+: pow(b, -e, m) is an inverse */
  const char *msg_str_limit_from; /* int(str): printf with limit, digits */
  const char *msg_str_limit_to;   /* str(int): printf with limit */
  uint64_t hash_modulus;          /* 2**61 - 1 (3.x); 0 = 2.7's rotate hash */

  /* texts of the arithmetic layer (intops.c, intconv.c) */
  const char *msg_long_floordiv_zero; /* //, divmod with a 2.7 long operand */
  const char *msg_long_mod_zero;      /* % with a 2.7 long operand */
  const char *msg_int_to_float;       /* float(2**1024): OverflowError */
  const char *msg_pow_neg_exp_mod;    /* TypeError when !pow_neg_exp_mod_allowed */
  /* non-NULL (2.7): a shift count outside a C long is this OverflowError,
  ** tested before the sign of the count */
  const char *msg_shift_count_overflow;

  /*
  ** Where an operation hands back an operand object itself (a new
  ** reference to it) instead of a new object.  Everywhere else results
  ** are new objects (or cached small ints).
  */
  /* % and divmod's remainder are the dividend when its digits show
  ** |a| < |b| (fewer digits, or as many and a smaller top one) and the
  ** signs agree (long_divrem's early return); 2.7: only a long dividend,
  ** since int_mod works on C longs */
  int rem_same_operand;
  /* 3.x: ... except when both have one digit (l_divmod's fast path) */
  int rem_small_fresh;
  /* 3.x: a negative x of two digits or more, shifted right by 0, is x
  ** (long_rshift1) */
  int rshift0_same_neg;
  /* 2.7: an int shifted either way by an int 0 is itself (int_lshift,
  ** int_rshift) */
  int shift0_same_int;
  /* 2.7: -0L is 0L itself (long_neg) */
  int neg_same_zero;
  /* 3.x: gcd returns an operand where _PyLong_GCD's Lehmer loop does */
  int gcd_same_operand;
  /* 2.7: pow(a, b, m) on three ints runs int_pow's C long loop, and an
  ** intermediate that overflows a C long redoes it all in longs, so the
  ** result is a long */
  int pow_mod_int_redo_long;

  /* x << n with n past 2**63 - 1: 3.14 converts n to an int64 first
  ** (PyLong_AsInt64 in long_lshift_method) and raises OverflowError "too
  ** many digits in integer" at once; 3.11-3.13 go through divmod_shift
  ** (MemoryError below MAX_LONG_DIGITS digits) */
  int lshift_count_int64;

  /* int(str) over the digit limit with something after the digits:
  ** 3.11 reports the limit (it checks right after scanning the digits),
  ** 3.12+ the invalid literal */
  int str_limit_before_tail;

  /* a base that means "none given" (2.7's int_new: -909, then base 10);
  ** 0 where there is none */
  int int_base_none;

  /* int(x, base), the base argument: 2.7 parses it as a C int (the "i"
  ** format: OverflowError with these texts outside, before anything else
  ** is looked at); 3.x takes a Py_ssize_t, saturated, and checks its range
  ** before the type of x (base_range_first), 2.7 after */
  const char *msg_base_over_c_int;   /* NULL: no C int conversion */
  const char *msg_base_under_c_int;
  int base_range_first;

  /* int(str): the Unicode version whose decimal digits it accepts and
  ** whose unprintable characters its error text escapes, as one bit of
  ** unicode_tab.h's masks (3.11: 14.0, 3.12: 15.0, 3.13: 15.1); 2.7
  ** parses bytes: 0 */
  unsigned unicode_mask;

  /* gc.get_threshold() (ints are never tracked; the numbers are for show) */
  int gc_threshold[3];
} isp_profile;

/* The profile named 'name', or NULL. */
const isp_profile *profile_find(const char *name);
/* NULL-terminated list of names, default first. */
const char *const *profile_names(void);

#endif
