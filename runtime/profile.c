/*
** profile.c -- the five CPython version profiles.
**
** Each row states what one CPython version does with its int objects,
** with the source of every number.  Facts: shared/reference/
** cpython-int-facts.md; texts measured on CPython 2.7.18, 3.11.7, 3.12.1,
** 3.13.0 and read from the 3.14 sources.
*/
#include <string.h>

#include "profile.h"

/* 3.14: _Py_IMMORTAL_INITIAL_REFCNT = 3 << 30, with ob_flags (bit 48)
** _Py_IMMORTAL_FLAGS | _Py_STATICALLY_ALLOCATED_FLAG on static objects. */
#define RC314_IMMORTAL ((uint64_t)3 << 30)
#define RC314_STATIC_FLAGS (((uint64_t)1 | 4) << 48)

/* Texts of the int-to-string limit, identical from 3.11.7 to 3.14. */
#define STR_LIMIT_FROM                                                      \
  "Exceeds the limit (%lld digits) for integer string conversion: value " \
  "has %lld digits; use sys.set_int_max_str_digits() to increase the limit"
#define STR_LIMIT_TO                                                        \
  "Exceeds the limit (%lld digits) for integer string conversion; use "   \
  "sys.set_int_max_str_digits() to increase the limit"

#define HASH_MODULUS_61 (((uint64_t)1 << 61) - 1)

/* Fields every 3.x row shares: PyLongObject with 30-bit digits, the
** static small-int array of 262 objects 32 bytes apart, pymalloc. */
#define COMMON_3X                                                           \
  .split_int_long = 0, .small_neg = 5, .small_pos = 257,                    \
  .small_in_blocks = 0, .small_stride = 32, .sizeof_base = 24,              \
  .sizeof_min_digits = 1, .int27_size = 0, .block_size = 0,                 \
  .block_spacing = 0, .pow_neg_exp_mod_allowed = 1,                         \
  .pool_quantum_shift = 4, .pool_size = 16 * 1024,                         \
  .hash_modulus = HASH_MODULUS_61, .str_digits_threshold = 640,             \
  .msg_str_limit_from = STR_LIMIT_FROM, .msg_str_limit_to = STR_LIMIT_TO,  \
  .msg_int_to_float = "int too large to convert to float",                  \
  .msg_pow_neg_exp_mod = NULL, .msg_shift_count_overflow = NULL,         \
  .rem_same_operand = 1, .rem_small_fresh = 1, .rshift0_same_neg = 1,      \
  .shift0_same_int = 0, .neg_same_zero = 0, .gcd_same_operand = 1,         \
  .pow_mod_int_redo_long = 0, .msg_base_over_c_int = NULL,                \
  .msg_base_under_c_int = NULL, .base_range_first = 1

/* 3.12 and 3.13 (PEP 683): cached ints start at _Py_IMMORTAL_REFCNT =
** UINT_MAX; Py_INCREF adds 1 to the low 32 bits unless that wraps to 0
** (count >= 0xFFFFFFFF), Py_DECREF skips when (int32_t)count < 0. */
#define IMMORTAL_UINT_MAX                                                   \
  .small_refcnt = 0xFFFFFFFFu, .small_tag_flags = 0,                        \
  .rc_mask = 0xFFFFFFFFu, .rc_incref_stop = 0xFFFFFFFFu,                    \
  .rc_decref_stop = 0x80000000u, .rc_immortal_min = 0x80000000u

/* ZeroDivisionError texts of 3.11 to 3.13 (3.14 changed them, gh-119057). */
#define TEXTS_311_313                                                       \
  .msg_floordiv_zero = "integer division or modulo by zero",                \
  .msg_mod_zero = "integer modulo by zero",                                 \
  .msg_truediv_zero = "division by zero",                                   \
  .msg_zero_neg_pow = "0.0 cannot be raised to a negative power",           \
  .msg_long_floordiv_zero = "integer division or modulo by zero",           \
  .msg_long_mod_zero = "integer modulo by zero"

/* The names, one array each, shared by the rows and by profile_names(): the
** name a runtime reports is the very pointer of its entry in that list. */
static const char name_314[] = "cpython3.14", name_313[] = "cpython3.13",
                  name_312[] = "cpython3.12", name_311[] = "cpython3.11",
                  name_27[] = "cpython2.7";

static const isp_profile profiles[] = {
  { /* default first */
    .name = name_314, .lshift_count_int64 = 1, .int_base_none = 0, .str_limit_before_tail = 0, .gc_threshold = { 2000, 10, 0 }, COMMON_3X,
    /* Unicode 15.1, as 3.13: 3.14 ships 16.0, which no interpreter here
    ** has to measure (docs/API.md, known deviations) */
    .unicode_mask = 4,
    .encoding = ENC_LV_TAG,
    .small_refcnt = RC314_IMMORTAL | RC314_STATIC_FLAGS,
    .small_tag_flags = 4,               /* IMMORTALITY_BIT_MASK, gh-127119 */
    /* Py_INCREF skips counts >= 3<<30; Py_DECREF skips (int32_t)count < 0 */
    .rc_mask = 0xFFFFFFFFu, .rc_incref_stop = RC314_IMMORTAL,
    .rc_decref_stop = 0x80000000u,
    .rc_immortal_min = 0x80000000u,
    .freelist_max = 100,                /* Py_ints_MAXFREELIST, gh-126868 */
    .max_str_digits = 4300,
    .msg_floordiv_zero = "division by zero",   /* gh-119057 */
    .msg_mod_zero = "division by zero",
    .msg_truediv_zero = "division by zero",
    .msg_zero_neg_pow = "zero to a negative power",
    .msg_long_floordiv_zero = "division by zero",
    .msg_long_mod_zero = "division by zero",
  },
  {
    .name = name_313, .lshift_count_int64 = 0, .int_base_none = 0, .str_limit_before_tail = 0, .unicode_mask = 4, .gc_threshold = { 2000, 10, 10 }, COMMON_3X,
    .encoding = ENC_LV_TAG,
    IMMORTAL_UINT_MAX,
    .freelist_max = 0,
    .max_str_digits = 4300,
    TEXTS_311_313,
  },
  {
    .name = name_312, .lshift_count_int64 = 0, .int_base_none = 0, .str_limit_before_tail = 0, .unicode_mask = 2, .gc_threshold = { 700, 10, 10 }, COMMON_3X,
    .encoding = ENC_LV_TAG,
    IMMORTAL_UINT_MAX,
    .freelist_max = 0,
    .max_str_digits = 4300,
    TEXTS_311_313,
  },
  {
    .name = name_311, .lshift_count_int64 = 0, .int_base_none = 0, .str_limit_before_tail = 1, .unicode_mask = 1, .gc_threshold = { 700, 10, 10 }, COMMON_3X,
    .encoding = ENC_OB_SIZE,
    /* static small ints start at 999999999 and are plain counted */
    .small_refcnt = 999999999u,
    .small_tag_flags = 0,
    .rc_mask = UINT64_MAX, .rc_incref_stop = UINT64_MAX,
    .rc_decref_stop = UINT64_MAX,
    .rc_immortal_min = UINT64_MAX,
    .freelist_max = 0,
    .max_str_digits = 4300,
    TEXTS_311_313,
  },
  {
    .name = name_27, .lshift_count_int64 = 0, .int_base_none = -909,
    .msg_base_over_c_int = "signed integer is greater than maximum",
    .msg_base_under_c_int = "signed integer is less than minimum", .base_range_first = 0, .str_limit_before_tail = 0, .unicode_mask = 0, .gc_threshold = { 700, 10, 10 },
    .split_int_long = 1,
    .encoding = ENC_OB_SIZE,            /* of longs; ints keep ob_ival */
    .small_neg = 5, .small_pos = 257,
    .small_in_blocks = 1, .small_stride = 0,
    /* small ints are ordinary block objects whose reference the
    ** small_ints array owns: refcount 1 and mortal counting */
    .small_refcnt = 1,
    .small_tag_flags = 0,
    .rc_mask = UINT64_MAX, .rc_incref_stop = UINT64_MAX,
    .rc_decref_stop = UINT64_MAX,
    .rc_immortal_min = UINT64_MAX,
    .sizeof_base = 24, .sizeof_min_digits = 0, .int27_size = 24,
    .block_size = 1000, .block_spacing = 992,
    .pool_quantum_shift = 3, .pool_size = 4096,   /* longs: Objects/obmalloc.c (2.7) */
    .freelist_max = 0,
    .max_str_digits = 0, .str_digits_threshold = 0,
    .msg_floordiv_zero = "integer division or modulo by zero",
    .msg_mod_zero = "integer division or modulo by zero",
    .msg_truediv_zero = "division by zero",  /* true division, measured */
    .msg_zero_neg_pow = "0.0 cannot be raised to a negative power",
    .pow_neg_exp_mod_allowed = 0,
    .msg_str_limit_from = NULL, .msg_str_limit_to = NULL,
    .hash_modulus = 0,
    /* measured on 2.7.18: long operands have their own texts */
    .msg_long_floordiv_zero = "long division or modulo by zero",
    .msg_long_mod_zero = "long division or modulo by zero",
    .msg_int_to_float = "long int too large to convert to float",
    .msg_pow_neg_exp_mod =
        "pow() 2nd argument cannot be negative when 3rd argument specified",
    .msg_shift_count_overflow = "long int too large to convert to int",
    /* operand identities, measured on 2.7.18 (specs/vectors/identity.lua):
    ** long_divrem's early return, int_lshift/int_rshift by 0, long_neg
    ** of 0L; no gcd in 2.7 itself */
    .rem_same_operand = 1, .rem_small_fresh = 0, .rshift0_same_neg = 0,
    .shift0_same_int = 1, .neg_same_zero = 1, .gcd_same_operand = 0,
    .pow_mod_int_redo_long = 1,
  },
};

#define NPROFILES (sizeof(profiles) / sizeof(profiles[0]))

static const char *const names[NPROFILES + 1] = {
  name_314, name_313, name_312, name_311, name_27, NULL
};

const isp_profile *profile_find(const char *name) {
  size_t i;
  for (i = 0; i < NPROFILES; i++)
    if (strcmp(profiles[i].name, name) == 0) return &profiles[i];
  return NULL;
}

const char *const *profile_names(void) {
  return names;
}
