/*
** intops.c -- arithmetic on int objects with Python 3 semantics.
**
** Each operation reads its operands through int_view (sign and magnitude),
** works on digit arrays with the digit layer, and hands the result to the
** object layer's funnel.  Small operands take a fast path in 64/128-bit C
** arithmetic, since the harness makes millions of such calls.  Errors carry
** CPython's exception type and the profile's text.  Every allocation may
** fail: each function frees what it took and returns NULL/-1 with the
** error set.
*/
#include <float.h>
#include <math.h>
#include <string.h>

#include "intobject.h"

typedef __int128 ops_i128;

/* The operand-identity checks and the huge-shift errors are rare paths:
** kept out of line so that the common paths they branch from stay as
** small as they were. */
#if defined(__GNUC__) || defined(__clang__)
#define OPS_RARE __attribute__((noinline, cold))
#define OPS_UNLIKELY(c) __builtin_expect(!!(c), 0)
#else
#define OPS_RARE
#define OPS_UNLIKELY(c) (c)
#endif

/* 2.7: a long operand makes a long result; otherwise the funnel chooses. */
static int ops_want_long(const isp_runtime *R, const isp_int *a, const isp_int *b) {
  if (!R->prof->split_int_long) return 0;
  return int_is_long(R, a) || (b != NULL && int_is_long(R, b));
}

static isp_int *ops_from_i128(isp_runtime *R, ops_i128 v, int wl) {
  dig_t d[5];
  unsigned __int128 m;
  int sign = v < 0 ? -1 : (v > 0);
  size_t n = 0;
  if (v >= INT64_MIN && v <= INT64_MAX) return int_result_i64(R, (int64_t)v, wl);
  m = v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
  while (m) {
    d[n++] = (dig_t)(m & DIG_MASK);
    m >>= DIG_SHIFT;
  }
  return int_result_digits(R, sign, d, n, wl);
}

/* Scratch space; a request for 0 digits gives a harmless 1-digit block. */
static dig_t *ops_scratch(isp_runtime *R, size_t n) {
  return mem_scratch(R, n ? n : 1);
}
static void ops_scratch_free(isp_runtime *R, dig_t *p, size_t n) {
  if (p) mem_scratch_free(R, p, n ? n : 1);
}

/*
** Working space that is usually small: up to OPS_TMP_DIGITS it lives in
** the caller's frame, so a product or division of a few hundred digits
** makes no allocator call; beyond, it comes from mem_scratch.
*/
#define OPS_TMP_DIGITS 512
typedef struct ops_tmp {
  dig_t *p;
  size_t n;
  dig_t buf[OPS_TMP_DIGITS];
} ops_tmp;

/* n digits (NULL with MemoryError set when the allocation fails); the
** buffer is 8-byte aligned either way. */
static dig_t *ops_tmp_get(isp_runtime *R, ops_tmp *t, size_t n) {
  t->n = n;
  t->p = n <= OPS_TMP_DIGITS ? t->buf : mem_scratch(R, n);
  return t->p;
}
static void ops_tmp_free(isp_runtime *R, ops_tmp *t) {
  if (t->p != NULL && t->p != t->buf) mem_scratch_free(R, t->p, t->n);
}

static int ops_too_big(isp_runtime *R, size_t n) {
  if (n > INT_MAX_DIGITS) {
    err_nomemory(R);
    return 1;
  }
  return 0;
}

/*
** The result limit (max_result_bits) of a product, once its digit counts
** say it may pass: 1 with MemoryError set when it certainly would
** (bit_length(a) + bit_length(b) - 1 bits at least); 0 otherwise, with
** *post set when the product may still be one bit too wide, which only
** its digits tell: the caller then checks the finished result.
*/
OPS_RARE static int ops_mul_limit(isp_runtime *R, const int_view *a, const int_view *b,
                                  int *post) {
  uint64_t bits = dig_bit_length(a->d, a->n) + dig_bit_length(b->d, b->n);
  if (bits - 1 > R->max_bits) {
    err_limit(R, "x * y would have at least %llu bits", (unsigned long long)(bits - 1));
    return 1;
  }
  *post = bits > R->max_bits;
  return 0;
}

/* A finished result checked against max_result_bits: v, or NULL with
** MemoryError set (v released). */
OPS_RARE static isp_int *ops_limit_after(isp_runtime *R, isp_int *v, const char *what) {
  int_view w;
  uint64_t bits;
  if (v == NULL) return NULL;
  int_view_of(v, &w);
  bits = dig_bit_length(w.d, w.n);
  if (bits <= R->max_bits) return v;
  isp_decref(R, v);
  err_limit(R, "%s would have %llu bits", what, (unsigned long long)bits);
  return NULL;
}

/*
** {======================================================================
** Addition, subtraction, multiplication
** =======================================================================
*/

/* a + bsign*|b| as a new object. */
static isp_int *ops_addsub(isp_runtime *R, const int_view *a, const int_view *b,
                           int bsign, int wl) {
  const int_view *x = a, *y = b;
  int xs = a->sign, ys = bsign;
  isp_int *v;
  dig_t *d;
  if (b->n == 0) return int_result_digits(R, a->sign, a->d, a->n, wl);
  if (a->n == 0) return int_result_digits(R, bsign, b->d, b->n, wl);
  if (a->n < b->n) {
    x = b; y = a; xs = bsign; ys = a->sign;
  }
  if (xs == ys) {
    /* room for a carry digit only when there can be one: an object
    ** allocated a digit too long may be moved by int_finish */
    dig_t top = x->d[x->n - 1], c;
    int carry = x->n > y->n ? top == DIG_MASK
                            : (dig_twodig_t)top + y->d[y->n - 1] + 1 >= DIG_BASE;
    if (ops_too_big(R, x->n + 1)) return NULL;
    v = int_alloc_digits(R, x->n + (size_t)carry, &d);
    if (v == NULL) return NULL;
    c = dig_add(d, x->d, x->n, y->d, y->n);
    if (carry) d[x->n] = c;
    return int_finish(R, v, xs, wl);
  } else {
    int c = dig_cmp(x->d, x->n, y->d, y->n);
    if (c == 0) return int_result_i64(R, 0, wl);
    if (c < 0) {
      const int_view *t = x; x = y; y = t;
      xs = ys;
    }
    v = int_alloc_digits(R, x->n, &d);
    if (v == NULL) return NULL;
    dig_sub(d, x->d, x->n, y->d, y->n);
    return int_finish(R, v, xs, wl);
  }
}

isp_int *isp_add(isp_runtime *R, isp_int *a, isp_int *b) {
  if (err_null_args(R, a, b)) return NULL;
  int64_t x, y, z;
  int_view va, vb;
  int wl = ops_want_long(R, a, b);
  if (int_as_i64(a, &x) && int_as_i64(b, &y) && !__builtin_add_overflow(x, y, &z))
    return int_result_i64(R, z, wl);
  int_view_of(a, &va);
  int_view_of(b, &vb);
  return ops_addsub(R, &va, &vb, vb.sign, wl);
}

isp_int *isp_sub(isp_runtime *R, isp_int *a, isp_int *b) {
  if (err_null_args(R, a, b)) return NULL;
  int64_t x, y, z;
  int_view va, vb;
  int wl = ops_want_long(R, a, b);
  if (int_as_i64(a, &x) && int_as_i64(b, &y) && !__builtin_sub_overflow(x, y, &z))
    return int_result_i64(R, z, wl);
  int_view_of(a, &va);
  int_view_of(b, &vb);
  return ops_addsub(R, &va, &vb, -vb.sign, wl);
}

/* r[0..xn+yn) = x * y for normalized x, y (either order, both non-empty). */
static int ops_mul_digits(isp_runtime *R, dig_t *r, const dig_t *x, size_t xn,
                          const dig_t *y, size_t yn) {
  ops_tmp tmp;
  dig_t *s;
  size_t itch;
  if (xn < yn) {
    const dig_t *t = x; size_t tn = xn;
    x = y; xn = yn; y = t; yn = tn;
  }
  if (yn == 1) {
    r[xn] = dig_mul_1(r, x, xn, y[0], 0);
    return 0;
  }
  if (x == y && xn == yn) {
    itch = dig_sqr_itch(xn);
    s = ops_tmp_get(R, &tmp, itch);
    if (s == NULL) return -1;
    dig_sqr(r, x, xn, s);
  } else {
    itch = dig_mul_itch(xn, yn);
    s = ops_tmp_get(R, &tmp, itch);
    if (s == NULL) return -1;
    dig_mul(r, x, xn, y, yn, s);
  }
  ops_tmp_free(R, &tmp);
  return 0;
}

isp_int *isp_mul(isp_runtime *R, isp_int *a, isp_int *b) {
  if (err_null_args(R, a, b)) return NULL;
  int64_t x, y, z;
  int post = 0;
  int_view va, vb;
  isp_int *v;
  dig_t *d;
  int wl = ops_want_long(R, a, b);
  if (int_as_i64(a, &x) && int_as_i64(b, &y)) {
    if (!__builtin_mul_overflow(x, y, &z)) return int_result_i64(R, z, wl);
    return ops_from_i128(R, (ops_i128)x * y, wl);
  }
  int_view_of(a, &va);
  int_view_of(b, &vb);
  if (va.n == 0 || vb.n == 0) return int_result_i64(R, 0, wl);
  if (ops_too_big(R, va.n + vb.n)) return NULL;
  /* one compare on the digit count in the common case */
  if (OPS_UNLIKELY((uint64_t)(va.n + vb.n) * DIG_SHIFT > R->max_bits)) {
    if (ops_mul_limit(R, &va, &vb, &post)) return NULL;
  }
  v = int_alloc_digits(R, va.n + vb.n, &d);
  if (v == NULL) return NULL;
  if (ops_mul_digits(R, d, va.d, va.n, vb.d, vb.n) < 0) {
    int_discard(R, v);
    return NULL;
  }
  v = int_finish(R, v, va.sign * vb.sign, wl);
  return OPS_UNLIKELY(post) ? ops_limit_after(R, v, "x * y") : v;
}

/* }====================================================================== */

/*
** {======================================================================
** Division
** =======================================================================
*/

/*
** Truncating division of magnitudes: q[0..an-bn+1) and r[0..bn) (zeros
** written above the values), for normalized a (an >= 0) and b (bn >= 1).
** When an < bn, q is 0 (qn = 1 digit written) and r = a.
*/
static int ops_divrem_mag(isp_runtime *R, dig_t *q, dig_t *r, const dig_t *a,
                          size_t an, const dig_t *b, size_t bn) {
  if (an < bn) {
    q[0] = 0;
    memset(r, 0, bn * sizeof(dig_t));
    if (an) memcpy(r, a, an * sizeof(dig_t));
    return 0;
  }
  if (bn == 1) {
    r[0] = dig_divrem_1(q, a, an, b[0]);
    return 0;
  } else {
    ops_tmp tmp;
    dig_t *s = ops_tmp_get(R, &tmp, dig_divrem_itch(an, bn));
    if (s == NULL) return -1;
    dig_divrem(q, r, a, an, b, bn, s);
    ops_tmp_free(R, &tmp);
    return 0;
  }
}

/* r[0..n) = b - r, for b >= r. */
static void ops_rsub(dig_t *r, const dig_t *b, size_t n) {
  dig_t borrow = 0;
  size_t i;
  for (i = 0; i < n; i++) {
    dig_stwodig_t t = (dig_stwodig_t)b[i] - r[i] - borrow;
    borrow = t < 0;
    r[i] = (dig_t)(t & DIG_MASK);
  }
}

static size_t ops_qsize(size_t an, size_t bn) {
  return (an >= bn ? an - bn + 1 : 1) + 1;
}

/*
** Floor division of views (b non-zero).  Either of q, r may be NULL when
** not wanted.  Python's rule: the remainder takes the divisor's sign.
*/
static int ops_divmod_views(isp_runtime *R, const int_view *a, const int_view *b,
                            int wl, isp_int **q, isp_int **r) {
  size_t qn = ops_qsize(a->n, b->n), bn = b->n;
  isp_int *qv = NULL, *rv = NULL;
  dig_t *qd, *rd;
  int rzero;
  if (q) *q = NULL;
  if (r) *r = NULL;
  qv = int_alloc_digits(R, qn, &qd);
  if (qv == NULL) goto fail;
  rv = int_alloc_digits(R, bn, &rd);
  if (rv == NULL) goto fail;
  qd[qn - 1] = 0;
  if (qn > 2) qd[qn - 2] = 0;
  if (ops_divrem_mag(R, qd, rd, a->d, a->n, b->d, bn) < 0) goto fail;
  rzero = dig_normalized_size(rd, bn) == 0;
  if (!rzero && a->sign != b->sign) {
    /* floor: |q| + 1, and r = |b| - |r| with b's sign */
    dig_add_1(qd, qd, qn, 1);
    ops_rsub(rd, b->d, bn);
  }
  if (q) {
    *q = int_finish(R, qv, a->sign * b->sign, wl);
    qv = NULL;
    if (*q == NULL) goto fail;
  } else {
    int_discard(R, qv);
    qv = NULL;
  }
  if (r) {
    *r = int_finish(R, rv, b->sign, wl);
    rv = NULL;
    if (*r == NULL) goto fail;
  } else {
    int_discard(R, rv);
  }
  return 0;
fail:
  if (qv) int_discard(R, qv);
  if (rv) int_discard(R, rv);
  if (q && *q) {
    isp_decref(R, *q);
    *q = NULL;
  }
  return -1;
}

/* Floor quotient and remainder of int64s; 0 when it overflows. */
static int ops_divmod_i64(int64_t x, int64_t y, int64_t *q, int64_t *r) {
  if (y == -1 && x == INT64_MIN) return 0;
  *q = x / y;
  *r = x % y;
  if (*r != 0 && ((*r < 0) != (y < 0))) {
    *q -= 1;
    *r += y;
  }
  return 1;
}

/* Box the results of the 64- and 128-bit fast paths (either may be unwanted). */
static int ops_divmod_box(isp_runtime *R, ops_i128 qi, ops_i128 ri, int wl, isp_int **q,
                          isp_int **r) {
  if (q) {
    *q = ops_from_i128(R, qi, wl);
    if (*q == NULL) return -1;
  }
  if (r) {
    *r = ops_from_i128(R, ri, wl);
    if (*r == NULL) {
      if (q) {
        isp_decref(R, *q);
        *q = NULL;
      }
      return -1;
    }
  }
  return 0;
}

/* Magnitude of a view of at most 4 digits. */
static unsigned __int128 ops_u128_of(const int_view *v) {
  unsigned __int128 u = 0;
  size_t i;
  for (i = v->n; i-- > 0;) u = (u << DIG_SHIFT) | v->d[i];
  return u;
}

/* Floor division of views of at most 4 digits each (120 bits), in
** 128-bit arithmetic: no digit arrays, no working space. */
static int ops_divmod_u128(isp_runtime *R, const int_view *a, const int_view *b, int wl,
                           isp_int **q, isp_int **r) {
  unsigned __int128 ua = ops_u128_of(a), ub = ops_u128_of(b), uq, ur;
  ops_i128 sq, sr;
  uq = ua / ub;
  ur = ua % ub;
  if (ur != 0 && a->sign != b->sign) {
    uq += 1;
    ur = ub - ur;
  }
  sq = a->sign * b->sign < 0 ? -(ops_i128)uq : (ops_i128)uq;
  sr = b->sign < 0 ? -(ops_i128)ur : (ops_i128)ur;
  return ops_divmod_box(R, sq, sr, wl, q, r);
}

/*
** Whether the floor remainder of a by b is the object a itself, as in
** CPython: long_divrem (2.7 and 3.x) returns the dividend unchanged when
** its digits alone show |a| < |b| (fewer digits, or as many and a smaller
** top digit), and l_divmod keeps it when no sign correction is needed
** (a is 0 or has b's sign).  3.x first sends two single-digit operands to
** fast_mod, which makes a new int; 2.7's int_mod works on C longs, so
** only a long dividend can come back.
*/
OPS_RARE static int ops_rem_is_a(const isp_runtime *R, const isp_int *a, const int_view *va,
                        const int_view *vb) {
  const isp_profile *P = R->prof;
  if (!P->rem_same_operand) return 0;
  if (va->sign != 0 && va->sign != vb->sign) return 0;
  if (P->split_int_long && !int_is_long(R, a)) return 0;
  if (P->rem_small_fresh && va->n == 1 && vb->n == 1) return 0;
  return va->n < vb->n || (va->n == vb->n && va->d[va->n - 1] < vb->d[vb->n - 1]);
}

/* The quotient 0 and the remainder a itself (ops_rem_is_a). */
OPS_RARE static int ops_divmod_same(isp_runtime *R, isp_int *a, int wl, isp_int **q, isp_int **r) {
  if (q) {
    *q = int_result_i64(R, 0, wl);
    if (*q == NULL) return -1;
  }
  if (r) {
    isp_incref(R, a);
    *r = a;
  }
  return 0;
}

static int ops_divmod(isp_runtime *R, isp_int *a, isp_int *b, const char *zmsg,
                      const char *lzmsg, isp_int **q, isp_int **r) {
  int64_t x, y, qi, ri;
  int_view va, vb;
  int wl = ops_want_long(R, a, b);
  int_view_of(b, &vb);
  if (vb.n == 0) {
    err_set(R, ISP_ZERO_DIVISION_ERROR, "%s", wl ? lzmsg : zmsg);
    return -1;
  }
  if (int_as_i64(a, &x) && int_as_i64(b, &y)) {
    if (ops_divmod_i64(x, y, &qi, &ri)) {
      /* a remainder equal to the dividend is the only case where it may
      ** be the dividend object: one compare on the common path */
      if (OPS_UNLIKELY(ri == x) && r != NULL) {
        int_view_of(a, &va);
        if (ops_rem_is_a(R, a, &va, &vb)) return ops_divmod_same(R, a, wl, q, r);
      }
      return ops_divmod_box(R, qi, ri, wl, q, r);
    }
    /* 2.7 redoes an overflowing int division (-2**63 // -1) in longs,
    ** so even the remainder 0 comes back a long */
    wl |= R->prof->split_int_long;
  }
  int_view_of(a, &va);
  if (r != NULL && va.n <= vb.n && ops_rem_is_a(R, a, &va, &vb))
    return ops_divmod_same(R, a, wl, q, r);
  if (va.n <= 4 && vb.n <= 4) return ops_divmod_u128(R, &va, &vb, wl, q, r);
  return ops_divmod_views(R, &va, &vb, wl, q, r);
}

isp_int *isp_floordiv(isp_runtime *R, isp_int *a, isp_int *b) {
  if (err_null_args(R, a, b)) return NULL;
  isp_int *q;
  if (ops_divmod(R, a, b, R->prof->msg_floordiv_zero,
                 R->prof->msg_long_floordiv_zero, &q, NULL) < 0)
    return NULL;
  return q;
}

isp_int *isp_mod(isp_runtime *R, isp_int *a, isp_int *b) {
  if (err_null_args(R, a, b)) return NULL;
  isp_int *r;
  if (ops_divmod(R, a, b, R->prof->msg_mod_zero, R->prof->msg_long_mod_zero,
                 NULL, &r) < 0)
    return NULL;
  return r;
}

int isp_divmod(isp_runtime *R, isp_int *a, isp_int *b, isp_int **q, isp_int **r) {
  if (err_null_args(R, a, b) || err_null_args(R, q, r)) return -1;
  return ops_divmod(R, a, b, R->prof->msg_floordiv_zero,
                    R->prof->msg_long_floordiv_zero, q, r);
}

/*
** True division, correctly rounded (half-even) whatever the sizes: scale a
** so that the quotient has DBL_MANT_DIG + 2 or + 3 bits, divide, keep
** whether anything was lost (the sticky bit), then round once by hand to
** the bits the result can hold (fewer in the subnormal range).
*/
int isp_truediv(isp_runtime *R, isp_int *a, isp_int *b, double *out) {
  if (err_null_args(R, a, b) || err_null_args(R, out, out)) return -1;
  int_view va, vb;
  int64_t x, y, diff, shift;
  int negate, inexact = 0, rc = -1;
  uint64_t abits, bbits, qm, qbits, low, half, extra;
  size_t xn = 0, wd, qn, itch = 0;
  dig_t *buf = NULL;
  int_view_of(b, &vb);
  if (vb.n == 0) {
    err_set(R, ISP_ZERO_DIVISION_ERROR, "%s", R->prof->msg_truediv_zero);
    return -1;
  }
  if (int_as_i64(a, &x) && int_as_i64(b, &y) && x >= -(INT64_C(1) << 53) &&
      x <= (INT64_C(1) << 53) && y >= -(INT64_C(1) << 53) && y <= (INT64_C(1) << 53)) {
    *out = (double)x / (double)y;
    return 0;
  }
  int_view_of(a, &va);
  negate = (va.sign < 0) != (vb.sign < 0);
  if (va.n == 0) {
    *out = negate ? -0.0 : 0.0;
    return 0;
  }
  abits = dig_bit_length(va.d, va.n);
  bbits = dig_bit_length(vb.d, vb.n);
  diff = (int64_t)abits - (int64_t)bbits;
  if (diff > DBL_MAX_EXP) goto overflow;
  if (diff < DBL_MIN_EXP - DBL_MANT_DIG - 1) {
    *out = negate ? -0.0 : 0.0;
    return 0;
  }
  shift = (diff > DBL_MIN_EXP ? diff : DBL_MIN_EXP) - DBL_MANT_DIG - 2;
  /* buf: the scaled dividend, then quotient and remainder */
  if (shift <= 0) {
    wd = (size_t)(-shift) / DIG_SHIFT;
    xn = va.n + wd + 1;
  } else {
    wd = (size_t)shift / DIG_SHIFT;
    xn = va.n - wd;
  }
  qn = ops_qsize(xn, vb.n);
  itch = xn + qn + vb.n;
  buf = ops_scratch(R, itch);
  if (buf == NULL) return -1;
  if (shift <= 0) {
    memset(buf, 0, wd * sizeof(dig_t));
    buf[xn - 1] = dig_lshift(buf + wd, va.d, va.n, (unsigned)((-shift) % DIG_SHIFT));
  } else {
    size_t i;
    for (i = 0; i < wd; i++)
      if (va.d[i]) inexact = 1;
    if (dig_rshift(buf, va.d + wd, xn, (unsigned)(shift % DIG_SHIFT))) inexact = 1;
  }
  xn = dig_normalized_size(buf, xn);
  {
    dig_t *qd = buf + itch - qn - vb.n, *rd = buf + itch - vb.n;
    size_t i;
    memset(qd, 0, qn * sizeof(dig_t));
    if (ops_divrem_mag(R, qd, rd, buf, xn, vb.d, vb.n) < 0) goto done;
    if (dig_normalized_size(rd, vb.n)) inexact = 1;
    qm = 0;
    for (i = dig_normalized_size(qd, qn); i-- > 0;) qm = (qm << DIG_SHIFT) | qd[i];
  }
  qbits = 0;
  while (qbits < 64 && (qm >> qbits)) qbits++;
  extra = ((int64_t)qbits > DBL_MIN_EXP - shift ? (int64_t)qbits : DBL_MIN_EXP - shift) -
          DBL_MANT_DIG;
  half = (uint64_t)1 << (extra - 1);
  low = qm & ((half << 1) - 1);
  qm -= low;
  if (low > half || (low == half && (inexact || (qm & (half << 1))))) qm += half << 1;
  qbits = 0;
  while (qbits < 64 && (qm >> qbits)) qbits++;
  if ((int64_t)qbits + shift > DBL_MAX_EXP) goto overflow;
  *out = ldexp((double)qm, (int)shift);
  if (negate) *out = -*out;
  rc = 0;
  goto done;
overflow:
  err_set(R, ISP_OVERFLOW_ERROR, "integer division result too large for a float");
done:
  ops_scratch_free(R, buf, itch);
  return rc;
}

/* }====================================================================== */

/*
** {======================================================================
** Powers
** =======================================================================
*/

/*
** The result limit of |a| ** e (|a| of 'bits' bits, >= 2; e >= 2), once
** bits * e says it may pass.  The result has floor(e * log2|a|) + 1 bits:
** exactly (bits - 1) * e + 1 for a power of two; otherwise log2|a| from
** a's top 64 bits, whose error (a few ulps, 1e-14 of the product at most)
** is covered by a margin of 1e-12.  1 with MemoryError set when the
** result certainly passes; else 0, with *post set when only the result's
** digits can tell (within the margin), which the caller checks before it
** makes the object.
*/
OPS_RARE static int ops_pow_limit(isp_runtime *R, const int_view *a, uint64_t bits,
                                  uint64_t e, int *post) {
  uint64_t want;
  if (dig_popcount(a->d, a->n) == 1) {
    want = (bits - 1) * e + 1;
  } else {
    size_t k, n = a->n < 3 ? a->n : 3;
    double m = 0, lg, est;
    for (k = 0; k < n; k++) m = m * (double)DIG_BASE + (double)a->d[a->n - 1 - k];
    lg = log2(m) + (double)DIG_SHIFT * (double)(a->n - n);
    est = (double)e * lg;
    if (est * (1 - 1e-12) < (double)R->max_bits) {
      *post = 1;
      return 0;
    }
    want = (uint64_t)est + 1;
  }
  if (want <= R->max_bits) return 0;
  err_limit(R, "x ** %llu would have %llu bits", (unsigned long long)e,
            (unsigned long long)want);
  return 1;
}

/*
** base ** e for e >= 2 by left-to-right binary powering, into digits.
** 'cap' bounds the result size.  Two buffers alternate as accumulator.
*/
static isp_int *ops_pow_plain(isp_runtime *R, const int_view *a, uint64_t e, int wl) {
  uint64_t bits = dig_bit_length(a->d, a->n), top;
  size_t cap, itch, n;
  dig_t *t1 = NULL, *t2 = NULL, *s = NULL;
  isp_int *res = NULL;
  int sign = (a->sign < 0 && (e & 1)) ? -1 : 1, post = 0;
  if (bits > 1 && e > (uint64_t)INT_MAX_DIGITS * DIG_SHIFT / (bits - 1)) {
    err_nomemory(R);
    return NULL;
  }
  cap = (size_t)((bits * e) / DIG_SHIFT) + a->n + 3;
  if (ops_too_big(R, cap)) return NULL;
  if (OPS_UNLIKELY(bits * e > R->max_bits)) {
    if (ops_pow_limit(R, a, bits, e, &post)) return NULL;
  }
  itch = dig_sqr_itch(cap);
  if (dig_mul_itch(cap, a->n) > itch) itch = dig_mul_itch(cap, a->n);
  t1 = ops_scratch(R, cap);
  t2 = ops_scratch(R, cap);
  s = ops_scratch(R, itch);
  if (!t1 || !t2 || !s) goto done;
  memcpy(t1, a->d, a->n * sizeof(dig_t));
  n = a->n;
  top = 63;
  while (!((e >> top) & 1)) top--;
  while (top-- > 0) {
    dig_t *t;
    if (n == 1) t2[1] = dig_mul_1(t2, t1, 1, t1[0], 0);
    else dig_sqr(t2, t1, n, s);
    n = dig_normalized_size(t2, 2 * n);
    t = t1; t1 = t2; t2 = t;
    if ((e >> top) & 1) {
      if (a->n == 1) {
        t1[n] = dig_mul_1(t1, t1, n, a->d[0], 0);
      } else {
        if (n >= a->n) dig_mul(t2, t1, n, a->d, a->n, s);
        else dig_mul(t2, a->d, a->n, t1, n, s);
        t = t1; t1 = t2; t2 = t;
      }
      n = dig_normalized_size(t1, n + a->n);
    }
  }
  if (OPS_UNLIKELY(post) && dig_bit_length(t1, n) > R->max_bits) {
    err_limit(R, "x ** %llu would have %llu bits", (unsigned long long)e,
              (unsigned long long)dig_bit_length(t1, n));
    goto done;
  }
  res = int_result_digits(R, sign, t1, n, wl);
done:
  ops_scratch_free(R, t1, cap);
  ops_scratch_free(R, t2, cap);
  ops_scratch_free(R, s, itch);
  return res;
}

/*
** Modular powers.  The residues are arrays of exactly mn digits (zeros
** above the value), always below m.  Two ways to multiply them:
**
** - Odd m: Montgomery's method.  Residues are held as x*B**mn mod m
**   (B = 2**30), and the product of two is reduced by adding multiples
**   of m that clear the low digits one at a time, so no division runs
**   in the loop.  Each row adds x[i]*y + u*m into 64-bit columns, which
**   hold several 60-bit products before their carries must be moved up:
**   the compiler can then do the rows with vector multiplies, and the
**   carry pass runs once every few rows instead of once per product.
** - Even m: a product and one division of the digit layer per step.
**
** On top of either, a left-to-right sliding window over the exponent:
** with a table of the odd powers base**1, base**3, .. base**(2**k - 1),
** each run of up to k exponent bits that ends in a one costs a single
** multiplication, so the multiplications fall from about half the bits
** to about bits/(k+1), plus 2**(k-1) to fill the table.
*/

/*
** The row loops are where a modular power spends its time; on x86-64
** with GCC and glibc they are also compiled for AVX2 (four 32x32->64
** products per instruction instead of two), picked once at load time.
*/
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define OPS_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define OPS_VECTOR_CLONES
#endif

/* Rows a 64-bit column can take between carry passes: a product row
** adds below 2 * 2**60 to a column (x[i]*y[j] + u*m[j]), a square's row
** below 3 * 2**60 (2*x[i]*x[j] + u*m[j]), on top of the < 2**36 left
** in it by the last pass and the carries from the column below. */
#define OPS_MONT_ROWS_MUL 7
#define OPS_MONT_ROWS_SQR 5

typedef struct ops_modctx {
  const dig_t *m;
  size_t mn;
  int mont;         /* odd m: residues in Montgomery form */
  dig_t minv;       /* -1/m mod 2**30 */
  dig_w64 *col;    /* Montgomery columns, 2*mn + 1 */
  dig_t *prod;      /* division path: a product, 2*mn + 1 digits */
  dig_t *quot;      /* its quotient, mn + 2 digits */
  dig_t *s;         /* digit-layer scratch */
} ops_modctx;

/*
** Move each column's carry one column up: col[k] keeps its low 30 bits
** plus the carry out of col[k-1] (taken before the pass), and col[n]
** gets the carry out of col[n-1].  Afterwards every column is below
** 2**35.  Unlike a full carry propagation no column waits for the one
** below it; going down, each column is read before it is rewritten, so
** the loop runs in vector registers.
*/
OPS_VECTOR_CLONES
static void ops_mont_carry(uint64_t *restrict col, size_t n) {
  size_t k;
  if (n == 0) return;
  col[n] += col[n - 1] >> DIG_SHIFT;
  for (k = n - 1; k > 0; k--) col[k] = (col[k] & DIG_MASK) + (col[k - 1] >> DIG_SHIFT);
  col[0] &= DIG_MASK;
}

/* r = col[mn..2mn] - m if that is >= m; the value is below 2m. */
static void ops_mont_finish(const ops_modctx *c, dig_t *r) {
  size_t mn = c->mn, k;
  dig_w64 *col = c->col;
  uint64_t carry = 0;
  for (k = 0; k < mn; k++) {
    uint64_t v = col[mn + k] + carry;
    r[k] = (dig_t)(v & DIG_MASK);
    carry = v >> DIG_SHIFT;
  }
  carry += col[2 * mn];
  if (carry || dig_cmp_n(r, c->m, mn) >= 0) dig_sub(r, r, mn, c->m, mn);
}

/* r = x*y/B**mn mod m.  r may be x or y. */
OPS_VECTOR_CLONES
static void ops_mont_mul(const ops_modctx *c, dig_t *r, const dig_t *x, const dig_t *y) {
  size_t mn = c->mn, i, j, rows = 0;
  dig_w64 *restrict col = c->col;
  const dig_t *restrict m = c->m;
  memset(col, 0, (2 * mn + 1) * sizeof(uint64_t));
  for (i = 0; i < mn; i++) {
    uint64_t *restrict t = col + i;
    uint32_t xi = x[i];
    uint32_t u = ((uint32_t)t[0] + xi * y[0]) * c->minv & DIG_MASK;
    /* 32x32->64 products, which vector units have */
    for (j = 0; j < mn; j++) t[j] += (uint64_t)xi * y[j] + (uint64_t)u * m[j];
    t[1] += t[0] >> DIG_SHIFT;   /* t[0] is now a multiple of B */
    if (++rows == OPS_MONT_ROWS_MUL) {
      ops_mont_carry(t + 1, mn - 1);
      rows = 0;
    }
  }
  ops_mont_finish(c, r);
}

/* r = x*x/B**mn mod m: each cross product x[i]*x[j] once, doubled. */
OPS_VECTOR_CLONES
static void ops_mont_sqr(const ops_modctx *c, dig_t *r, const dig_t *x) {
  size_t mn = c->mn, i, j, rows = 0;
  dig_w64 *restrict col = c->col;
  const dig_t *restrict m = c->m;
  memset(col, 0, (2 * mn + 1) * sizeof(uint64_t));
  for (i = 0; i < mn; i++) {
    uint64_t *restrict t = col + i;
    uint32_t xi = x[i], x2 = 2 * xi, u;   /* x2 < 2**31 */
    /* row i of the square: x[i]**2 at column 2i, 2*x[i]*x[j] above;
    ** column i is then complete, since every x[p]*x[q] with p + q = i
    ** has p <= i */
    t[i] += (uint64_t)xi * xi;
    for (j = i + 1; j < mn; j++) t[j] += (uint64_t)x2 * x[j];
    u = (uint32_t)t[0] * c->minv & DIG_MASK;
    for (j = 0; j < mn; j++) t[j] += (uint64_t)u * m[j];
    t[1] += t[0] >> DIG_SHIFT;
    if (++rows == OPS_MONT_ROWS_SQR) {
      ops_mont_carry(t + 1, mn - 1);
      rows = 0;
    }
  }
  ops_mont_finish(c, r);
}

/* r = p mod m for p[0..pn) (any size up to 2*mn + 1). */
static void ops_mod_reduce(const ops_modctx *c, dig_t *r, dig_t *p, size_t pn) {
  size_t mn = c->mn;
  pn = dig_normalized_size(p, pn);
  if (pn < mn) {
    memcpy(r, p, pn * sizeof(dig_t));
    memset(r + pn, 0, (mn - pn) * sizeof(dig_t));
  } else if (mn == 1) {
    r[0] = dig_divrem_1(c->quot, p, pn, c->m[0]);
  } else {
    dig_divrem(c->quot, r, p, pn, c->m, mn, c->s);
  }
}

/* r = x*y mod m (r may be x or y), in whichever form the context keeps. */
static void ops_modmul(const ops_modctx *c, dig_t *r, const dig_t *x, const dig_t *y) {
  size_t xn, yn;
  if (c->mont) {
    if (x == y) ops_mont_sqr(c, r, x);
    else ops_mont_mul(c, r, x, y);
    return;
  }
  xn = dig_normalized_size(x, c->mn);
  yn = dig_normalized_size(y, c->mn);
  if (xn == 0 || yn == 0) {
    memset(r, 0, c->mn * sizeof(dig_t));
    return;
  }
  if (xn < yn) {
    const dig_t *t = x; size_t tn = xn;
    x = y; xn = yn; y = t; yn = tn;
  }
  if (yn == 1) c->prod[xn] = dig_mul_1(c->prod, x, xn, y[0], 0);
  else if (x == y) dig_sqr(c->prod, x, xn, c->s);
  else dig_mul(c->prod, x, xn, y, yn, c->s);
  ops_mod_reduce(c, r, c->prod, xn + yn);
}

/* -1/m mod 2**30 for odd m: Newton's iteration doubles the correct low
** bits each step (m*m == 1 mod 8 gives the first 3). */
static dig_t ops_mont_inverse(dig_t m0) {
  uint32_t v = m0;
  int k;
  for (k = 0; k < 4; k++) v *= 2 - m0 * v;
  return (dig_t)(0u - v) & DIG_MASK;
}

/* Bit i of e. */
static int ops_bit(const int_view *e, uint64_t i) {
  return (int)((e->d[i / DIG_SHIFT] >> (i % DIG_SHIFT)) & 1);
}

/* Window width for an exponent of 'bits' bits: the k that minimizes
** bits/(k+1) + 2**(k-1) multiplications. */
static int ops_window(uint64_t bits) {
  if (bits <= 8) return 1;
  if (bits <= 24) return 2;
  if (bits <= 80) return 3;
  if (bits <= 240) return 4;
  if (bits <= 672) return 5;
  if (bits <= 1792) return 6;
  return 7;
}

/* base**e mod m below 2**63: exact in 128-bit products. */
static uint64_t ops_pow_mod_u64(uint64_t b, const int_view *e, uint64_t m) {
  uint64_t acc = 1 % m, i;
  for (i = dig_bit_length(e->d, e->n); i-- > 0;) {
    acc = (uint64_t)((unsigned __int128)acc * acc % m);
    if (ops_bit(e, i)) acc = (uint64_t)((unsigned __int128)acc * b % m);
  }
  return acc;
}

/* base**e mod m for views base (0 <= base < m), e >= 0 and m > 1; a
** negative 'sign' asks for the result in (-m, 0]. */
static isp_int *ops_pow_mod(isp_runtime *R, const int_view *base, const int_view *e,
                            const int_view *m, int sign, int wl) {
  size_t mn = m->n, tabn, itch, total, k;
  uint64_t ebits = dig_bit_length(e->d, e->n);
  int w = ops_window(ebits);
  ops_modctx c;
  ops_tmp tmp;
  dig_t *block, *acc, *tab, *p;
  isp_int *res = NULL;
  if (dig_bit_length(m->d, mn) <= 63) {
    uint64_t mv = 0, bv = 0, r;
    size_t i;
    for (i = mn; i-- > 0;) mv = (mv << DIG_SHIFT) | m->d[i];
    for (i = base->n; i-- > 0;) bv = (bv << DIG_SHIFT) | base->d[i];
    r = ops_pow_mod_u64(bv, e, mv);
    if (sign < 0 && r != 0) return int_result_i64(R, (int64_t)r - (int64_t)mv, wl);
    return int_result_i64(R, (int64_t)r, wl);
  }
  c.m = m->d;
  c.mn = mn;
  c.mont = (m->d[0] & 1) != 0;
  tabn = (size_t)1 << (w - 1);
  /* one block: columns (as 64-bit words, first for alignment), product,
  ** quotient, accumulator, window table, digit-layer scratch */
  itch = dig_sqr_itch(mn);
  if (dig_mul_itch(mn, mn) > itch) itch = dig_mul_itch(mn, mn);
  if (dig_divrem_itch(2 * mn + 1, mn) > itch) itch = dig_divrem_itch(2 * mn + 1, mn);
  total = 2 * (2 * mn + 2) + (2 * mn + 1) + (mn + 2) + mn + tabn * mn + itch;
  block = ops_tmp_get(R, &tmp, total);
  if (block == NULL) return NULL;
  c.col = (dig_w64 *)(void *)block;
  c.prod = block + 2 * (2 * mn + 2);
  c.quot = c.prod + 2 * mn + 1;
  acc = c.quot + mn + 2;
  tab = acc + mn;
  c.s = tab + tabn * mn;
  p = c.prod;
  /* tab[0] = base, in Montgomery form (base * B**mn mod m) if odd m */
  memset(p, 0, (2 * mn + 1) * sizeof(dig_t));
  if (c.mont) {
    c.minv = ops_mont_inverse(m->d[0]);
    if (base->n) memcpy(p + mn, base->d, base->n * sizeof(dig_t));
    ops_mod_reduce(&c, tab, p, mn + base->n);
  } else {
    if (base->n) memcpy(p, base->d, base->n * sizeof(dig_t));
    ops_mod_reduce(&c, tab, p, base->n);
  }
  /* the odd powers: tab[i] = base**(2i+1), through acc = base**2 */
  if (tabn > 1) {
    ops_modmul(&c, acc, tab, tab);
    for (k = 1; k < tabn; k++) ops_modmul(&c, tab + k * mn, tab + (k - 1) * mn, acc);
  }
  if (ebits == 0) {
    memset(acc, 0, mn * sizeof(dig_t));
    acc[0] = 1;   /* m > 1 */
  } else {
    uint64_t i = ebits - 1;   /* the top bit is one */
    int started = 0;
    for (;;) {
      if (!ops_bit(e, i)) {
        ops_modmul(&c, acc, acc, acc);
      } else {
        /* the window: bits i..j, j as low as the width allows with
        ** bit j a one */
        uint64_t j = i + 1 >= (uint64_t)w ? i + 1 - (uint64_t)w : 0, b;
        size_t val = 0;
        while (!ops_bit(e, j)) j++;
        for (b = i + 1; b-- > j;) val = (val << 1) | (size_t)ops_bit(e, b);
        if (started) {
          for (b = j; b <= i; b++) ops_modmul(&c, acc, acc, acc);
          ops_modmul(&c, acc, acc, tab + (val >> 1) * mn);
        } else {
          memcpy(acc, tab + (val >> 1) * mn, mn * sizeof(dig_t));
          started = 1;
        }
        i = j;
      }
      if (i == 0) break;
      i--;
    }
    if (c.mont) {
      /* out of Montgomery form: multiply by 1 */
      dig_t *one = tab;
      memset(one, 0, mn * sizeof(dig_t));
      one[0] = 1;
      ops_mont_mul(&c, acc, acc, one);
    }
  }
  if (sign < 0 && dig_normalized_size(acc, mn) > 0) {
    /* a result in (m, 0]: r - |m| */
    dig_sub(p, m->d, mn, acc, mn);
    res = int_result_digits(R, -1, p, mn, wl);
  } else {
    res = int_result_digits(R, 1, acc, mn, wl);
  }
  ops_tmp_free(R, &tmp);
  return res;
}

/*
** The inverse of a modulo m (m > 1, 0 <= a < m) by the extended Euclidean
** algorithm on objects; NULL with ValueError when gcd(a, m) != 1.
*/
/*
** {======================================================================
** The work limit (max_work): estimates in digit steps, saturating
** =======================================================================
*/

static uint64_t ops_sat_mul(uint64_t a, uint64_t b) {
  return (b != 0 && a > UINT64_MAX / b) ? UINT64_MAX : a * b;
}

static uint64_t ops_sat_add(uint64_t a, uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Euclid's algorithm on n- and k-digit operands: every quotient step
** walks both, and the steps are bounded by the bits of the smaller: about
** n * k digit steps, each heavier than a multiply's (counted 4). */
static uint64_t ops_gcd_work(size_t n, size_t k) {
  return ops_sat_mul(4, ops_sat_mul(n ? n : 1, k ? k : 1));
}

/* pow(a, e, m) with an n-digit modulus: a modular square per exponent bit
** and a multiply for some of them, each n**2 digit steps (the schoolbook
** sizes; the faster products past the cutoffs make this a bound); plus
** the inverse for a negative exponent. */
static uint64_t ops_powmod_work(uint64_t ebits, size_t n, int inverse) {
  uint64_t w = ops_sat_mul(ebits ? ebits : 1, ops_sat_mul(n, n));
  return inverse ? ops_sat_add(w, ops_gcd_work(n, n)) : w;
}

/* }====================================================================== */

static isp_int *ops_invmod(isp_runtime *R, isp_int *a, isp_int *m) {
  isp_int *r0 = NULL, *r1 = NULL, *s0 = NULL, *s1 = NULL, *q = NULL, *r = NULL;
  isp_int *t = NULL, *res = NULL;
  int64_t one;
  r0 = m; isp_incref(R, m);
  r1 = a; isp_incref(R, a);
  s0 = int_result_i64(R, 0, 0);
  s1 = int_result_i64(R, 1, 0);
  if (!s0 || !s1) goto done;
  while (!(int_as_i64(r1, &one) && one == 0)) {
    isp_int *ns;
    if (isp_divmod(R, r0, r1, &q, &r) < 0) goto done;
    t = isp_mul(R, q, s1);
    if (t == NULL) goto done;
    ns = isp_sub(R, s0, t);
    if (ns == NULL) goto done;
    isp_decref(R, t); t = NULL;
    isp_decref(R, q); q = NULL;
    isp_decref(R, r0); r0 = r1; r1 = r; r = NULL;
    isp_decref(R, s0); s0 = s1; s1 = ns;
  }
  if (!(int_as_i64(r0, &one) && one == 1)) {
    err_set(R, ISP_VALUE_ERROR, "base is not invertible for the given modulus");
    goto done;
  }
  res = isp_mod(R, s0, m);
done:
  if (r0) isp_decref(R, r0);
  if (r1) isp_decref(R, r1);
  if (s0) isp_decref(R, s0);
  if (s1) isp_decref(R, s1);
  if (q) isp_decref(R, q);
  if (r) isp_decref(R, r);
  if (t) isp_decref(R, t);
  return res;
}

/*
** 2.7's int_pow with a modulus, on C longs: binary powering from the low
** bit, reducing both the accumulator and the square (C's truncating %)
** after each squaring, then a floor modulo.  Returns 0 when a product
** overflows a C long (CPython then redoes the whole power in longs), 1
** with *out set otherwise.
*/
static int ops_int_pow27(int64_t iv, int64_t iw, int64_t iz, int64_t *out) {
  int64_t temp = iv, ix = 1, t;
  while (iw > 0) {
    if (iw & 1) {
      if (__builtin_mul_overflow(ix, temp, &t)) return 0;
      ix = t;
      if (temp == 0) break;
    }
    iw >>= 1;
    if (iw == 0) break;
    if (__builtin_mul_overflow(temp, temp, &t)) return 0;
    temp = t;
    if (iz == -1) {
      ix = temp = 0;
    } else {
      ix %= iz;
      temp %= iz;
    }
  }
  /* i_divmod: -2**63 mod -1 overflows, and long_pow takes over */
  if (iz == -1) return ix != INT64_MIN ? (*out = 0, 1) : 0;
  t = ix % iz;
  if (t != 0 && ((t < 0) != (iz < 0))) t += iz;
  *out = t;
  return 1;
}

static int ops_pow_float(isp_runtime *R, isp_int *a, isp_int *b, double *fout) {
  double x, y;
  if (isp_to_double(R, a, &x) < 0 || isp_to_double(R, b, &y) < 0) return -1;
  if (x == 0.0) {
    err_set(R, ISP_ZERO_DIVISION_ERROR, "%s", R->prof->msg_zero_neg_pow);
    return -1;
  }
  *fout = pow(x, y);
  return 1;
}

int isp_pow(isp_runtime *R, isp_int *a, isp_int *b, isp_int *m, isp_int **iout,
            double *fout) {
  if (err_null_args(R, a, b) || err_null_args(R, iout, fout)) return -1;
  int_view va, vb, vm;
  int64_t x, e;
  int wl = ops_want_long(R, a, b) || (m != NULL && ops_want_long(R, m, NULL));
  *iout = NULL;
  int_view_of(b, &vb);
  if (m == NULL) {
    if (vb.sign < 0) return ops_pow_float(R, a, b, fout);
    if (int_as_i64(a, &x) && int_as_i64(b, &e)) {
      /* small: repeated squaring in 128 bits while it fits */
      ops_i128 r = 1, p = x;
      int64_t k = e;
      int ok = 1;
      if (x == 0 || x == 1) { *iout = int_result_i64(R, e == 0 ? 1 : x, wl); goto out; }
      if (x == -1) { *iout = int_result_i64(R, (e & 1) ? -1 : 1, wl); goto out; }
      while (k > 0 && ok) {
        if (k & 1) {
          r *= p;
          if (r > INT64_MAX || r < INT64_MIN) ok = 0;
        }
        k >>= 1;
        if (k) {
          if (p > INT32_MAX || p < -(ops_i128)INT32_MAX) ok = 0;
          else p *= p;
        }
      }
      if (ok) { *iout = int_result_i64(R, (int64_t)r, wl); goto out; }
    }
    int_view_of(a, &va);
    if (vb.n == 0) { *iout = int_result_i64(R, 1, wl); goto out; }
    if (va.n == 0) { *iout = int_result_i64(R, 0, wl); goto out; }
    if (va.n == 1 && va.d[0] == 1) {
      *iout = int_result_i64(R, (va.sign < 0 && (vb.d[0] & 1)) ? -1 : 1, wl);
      goto out;
    }
    if (!int_as_i64(b, &e)) {
      err_nomemory(R);
      return -1;
    }
    *iout = ops_pow_plain(R, &va, (uint64_t)e, wl);
    goto out;
  } else {
    isp_int *base = NULL, *mm = NULL, *inv = NULL;
    int_view vbase;
    int sign;
    if (vb.sign < 0 && !R->prof->pow_neg_exp_mod_allowed) {
      err_set(R, ISP_TYPE_ERROR, "%s", R->prof->msg_pow_neg_exp_mod);
      return -1;
    }
    int_view_of(m, &vm);
    if (vm.n == 0) {
      err_set(R, ISP_VALUE_ERROR, "pow() 3rd argument cannot be 0");
      return -1;
    }
    if (R->prof->pow_mod_int_redo_long && !wl) {
      int64_t iv, iw, iz, r;
      if (int_as_i64(a, &iv) && int_as_i64(b, &iw) && int_as_i64(m, &iz)) {
        if (ops_int_pow27(iv, iw, iz, &r)) {
          *iout = int_result_i64(R, r, 0);
          goto out;
        }
        wl = 1;   /* long_pow's result is a long, whatever its value */
      }
    }
    sign = vm.sign;
    if (vm.n == 1 && vm.d[0] == 1) { *iout = int_result_i64(R, 0, wl); goto out; }
    if (!err_work_ok(R, "pow() with a modulus",
                     ops_powmod_work(dig_bit_length(vb.d, vb.n), vm.n, vb.sign < 0)))
      return -1;
    mm = int_result_digits(R, 1, vm.d, vm.n, 0);   /* |m| */
    if (mm == NULL) return -1;
    base = isp_mod(R, a, mm);
    if (base == NULL) { isp_decref(R, mm); return -1; }
    if (vb.sign < 0) {
      inv = ops_invmod(R, base, mm);
      isp_decref(R, base);
      if (inv == NULL) { isp_decref(R, mm); return -1; }
      base = inv;
    }
    int_view_of(base, &vbase);
    int_view_of(mm, &vm);
    *iout = ops_pow_mod(R, &vbase, &vb, &vm, sign, wl);   /* reads |b| */
    isp_decref(R, base);
    isp_decref(R, mm);
    goto out;
  }
out:
  return *iout ? 0 : -1;
}

/* }====================================================================== */

/*
** {======================================================================
** Shifts and bitwise operations (infinite two's complement)
** =======================================================================
*/

/* The shift count, or -1 with the error set; *huge when it is past int64. */
static int ops_shift_count(isp_runtime *R, isp_int *b, int64_t *count, int *huge) {
  int_view vb;
  *huge = 0;
  if (int_as_i64(b, count)) {
    if (*count < 0) goto negative;
    return 0;
  }
  if (R->prof->msg_shift_count_overflow) {
    err_set(R, ISP_OVERFLOW_ERROR, "%s", R->prof->msg_shift_count_overflow);
    return -1;
  }
  int_view_of(b, &vb);
  if (vb.sign < 0) goto negative;
  *huge = 1;
  *count = INT64_MAX;
  return 0;
negative:
  err_set(R, ISP_VALUE_ERROR, "negative shift count");
  return -1;
}

/*
** Whether a shift by 0 hands back a itself.  2.7: int_lshift and
** int_rshift return an int operand when the count is an int 0 (a long
** count makes it a long operation, and long_lshift/long_rshift build a
** new long).  3.x: long_rshift1 returns a negative a of two or more
** digits unchanged (positive ones and single digits are rebuilt).
*/
OPS_RARE static int ops_shift0_is_a(const isp_runtime *R, const isp_int *a, const isp_int *b,
                           int right) {
  const isp_profile *P = R->prof;
  if (P->shift0_same_int && !int_is_long(R, a) && !int_is_long(R, b)) return 1;
  if (right && P->rshift0_same_neg) {
    int_view va;
    int_view_of(a, &va);
    return va.sign < 0 && va.n >= 2;
  }
  return 0;
}

/*
** A left shift whose count does not fit 64 bits.  3.14's
** long_lshift_method: OverflowError at once.  3.11-3.13 (divmod_shift and
** _PyLong_New): the word shift count // 30 is clipped
** to PY_SSIZE_T_MAX / 4 when it is that big or does not fit, and the
** result's digit count (digits of a, plus the word shift, plus one when
** bits remain) above MAX_LONG_DIGITS is OverflowError "too many digits in
** integer"; anything smaller is an allocation that fails: MemoryError.
*/
OPS_RARE static void ops_lshift_huge_error(isp_runtime *R, const int_view *va, isp_int *b) {
  const uint64_t ssize_max = INT64_MAX, max_digits = (ssize_max - INT_HEADER_SIZE) / 4;
  int_view vb;
  uint64_t wordshift = ssize_max / 4, rem = 0, newsize;
  if (R->prof->lshift_count_int64) {
    err_set(R, ISP_OVERFLOW_ERROR, "too many digits in integer");
    return;
  }
  int_view_of(b, &vb);
  if (vb.n <= 4) {   /* below 2**120: the quotient by 30 is exact in 128 bits */
    unsigned __int128 n = ops_u128_of(&vb);
    if (n / DIG_SHIFT < ssize_max / 4) {
      wordshift = (uint64_t)(n / DIG_SHIFT);
      rem = (uint64_t)(n % DIG_SHIFT);
    }
  }
  newsize = (uint64_t)va->n + wordshift + (rem != 0);
  if (newsize > max_digits) err_set(R, ISP_OVERFLOW_ERROR, "too many digits in integer");
  else err_nomemory(R);
}

isp_int *isp_lshift(isp_runtime *R, isp_int *a, isp_int *b) {
  if (err_null_args(R, a, b)) return NULL;
  int64_t x, s;
  int huge, wl = ops_want_long(R, a, b);
  int_view va;
  size_t wd, n;
  unsigned sh;
  isp_int *v;
  dig_t *d, out;
  if (ops_shift_count(R, b, &s, &huge) < 0) return NULL;
  if (OPS_UNLIKELY(s == 0) && ops_shift0_is_a(R, a, b, 0)) {
    isp_incref(R, a);
    return a;
  }
  if (int_as_i64(a, &x) && s < 64) {
    return ops_from_i128(R, (ops_i128)x * ((ops_i128)1 << s), wl);
  }
  int_view_of(a, &va);
  if (va.n == 0) return int_result_i64(R, 0, wl);
  if (huge) {
    ops_lshift_huge_error(R, &va, b);
    return NULL;
  }
  wd = (size_t)(s / DIG_SHIFT);
  if ((uint64_t)s / DIG_SHIFT > INT_MAX_DIGITS || ops_too_big(R, va.n + wd + 1)) {
    err_nomemory(R);
    return NULL;
  }
  /* the result has bit_length(a) + s bits: exact, known before any work */
  if (OPS_UNLIKELY((uint64_t)s + (uint64_t)va.n * DIG_SHIFT > R->max_bits)) {
    uint64_t nb = dig_bit_length(va.d, va.n) + (uint64_t)s;
    if (nb > R->max_bits) {
      err_limit(R, "x << %lld would have %llu bits", (long long)s, (unsigned long long)nb);
      return NULL;
    }
  }
  /* a digit more only when bits come out of the top one, so that the
  ** object has its final size and int_finish need not move it */
  sh = (unsigned)(s % DIG_SHIFT);
  n = va.n + wd + (sh && (va.d[va.n - 1] >> (DIG_SHIFT - sh)) != 0);
  v = int_alloc_digits(R, n, &d);
  if (v == NULL) return NULL;
  memset(d, 0, wd * sizeof(dig_t));
  out = dig_lshift(d + wd, va.d, va.n, sh);
  if (n > va.n + wd) d[n - 1] = out;
  return int_finish(R, v, va.sign, wl);
}

isp_int *isp_rshift(isp_runtime *R, isp_int *a, isp_int *b) {
  if (err_null_args(R, a, b)) return NULL;
  int64_t x, s;
  int huge, wl = ops_want_long(R, a, b);
  int_view va;
  size_t wd, n;
  unsigned sh;
  isp_int *v;
  dig_t *d;
  if (ops_shift_count(R, b, &s, &huge) < 0) return NULL;
  if (OPS_UNLIKELY(s == 0) && ops_shift0_is_a(R, a, b, 1)) {
    isp_incref(R, a);
    return a;
  }
  if (int_as_i64(a, &x)) {
    if (s >= 63) return int_result_i64(R, x < 0 ? -1 : 0, wl);
    return int_result_i64(R, x >= 0 ? x >> s : ~(~x >> s), wl);
  }
  int_view_of(a, &va);
  if ((uint64_t)s / DIG_SHIFT >= va.n) return int_result_i64(R, va.sign < 0 ? -1 : 0, wl);
  if (va.n <= 4) {   /* 120 bits: an arithmetic shift floors, as >> must */
    ops_i128 w = (ops_i128)ops_u128_of(&va);
    return ops_from_i128(R, (va.sign < 0 ? -w : w) >> s, wl);
  }
  wd = (size_t)(s / DIG_SHIFT);
  sh = (unsigned)(s % DIG_SHIFT);
  if (va.sign > 0) {
    /* exactly the result's digits, so that int_finish need not move
    ** the object: when the top digit shifts out to zero, shift one
    ** digit less and bring its bits into the new top by hand */
    dig_t top = va.d[va.n - 1];
    n = va.n - wd;
    if ((top >> sh) == 0) {
      if (--n == 0) return int_result_i64(R, 0, wl);   /* all bits out */
      v = int_alloc_digits(R, n, &d);
      if (v == NULL) return NULL;
      dig_rshift(d, va.d + wd, n, sh);
      d[n - 1] |= (top << (DIG_SHIFT - sh)) & DIG_MASK;
    } else {
      v = int_alloc_digits(R, n, &d);
      if (v == NULL) return NULL;
      dig_rshift(d, va.d + wd, n, sh);
    }
    return int_finish(R, v, 1, wl);
  }
  n = va.n - wd + 1;
  v = int_alloc_digits(R, n, &d);
  if (v == NULL) return NULL;
  d[n - 1] = 0;
  {
    /* floor for negatives: -(((|a| - 1) >> s) + 1) */
    ops_tmp tmp;
    dig_t *t = ops_tmp_get(R, &tmp, va.n);
    if (t == NULL) {
      int_discard(R, v);
      return NULL;
    }
    dig_sub_1(t, va.d, va.n, 1);
    dig_rshift(d, t + wd, n - 1, sh);
    dig_add_1(d, d, n, 1);
    ops_tmp_free(R, &tmp);
  }
  return int_finish(R, v, va.sign, wl);
}

/*
** Bitwise operations without building two's complement copies.  With
** x' = |x| - 1 for a negative x (whose two's complement is ~x'), every
** case is one of four digit operations on magnitudes, sometimes
** complemented back (a negative result of magnitude F + 1):
**
**          a >= 0, b >= 0   a >= 0, b < 0        a < 0, b < 0
**   a & b  a & b            a & ~b'              -((a' | b') + 1)
**   a | b  a | b            -((b' & ~a) + 1)     -((a' & b') + 1)
**   a ^ b  a ^ b            -((a ^ b') + 1)      a' ^ b'
**
** (a < 0 <= b is the middle column with a and b swapped.)  The digits
** of x' differ from |x|'s only up to x's lowest non-zero digit, so only
** that prefix, usually one digit, goes through the per-digit path; the
** rest runs in one plain loop per operation.
*/

/* A magnitude, or (m1) the magnitude minus one; z is the index of the
** lowest non-zero digit. */
typedef struct ops_bitarg {
  const dig_t *d;
  size_t n, z;
  int m1;
} ops_bitarg;

static void ops_bitarg_of(ops_bitarg *o, const int_view *v) {
  o->d = v->d;
  o->n = v->n;
  o->m1 = v->sign < 0;
  o->z = 0;
  if (o->m1)
    while (v->d[o->z] == 0) o->z++;
}

static dig_t ops_bitarg_digit(const ops_bitarg *o, size_t i) {
  if (i >= o->n) return 0;
  if (!o->m1 || i > o->z) return o->d[i];
  return i < o->z ? DIG_MASK : o->d[i] - 1;
}

static dig_t ops_bit1(dig_bitop op, dig_t p, dig_t q) {
  switch (op) {
    case DIG_AND: return p & q;
    case DIG_OR: return p | q;
    case DIG_XOR: return p ^ q;
    default: return p & ~q & DIG_MASK;
  }
}

/* d[from..to) = p op q for plain digit arrays (zero beyond pn, qn). */
static void ops_bitrun(isp_runtime *R, dig_bitop op, dig_t *d, const dig_t *p,
                       size_t pn, const dig_t *q, size_t qn, size_t from, size_t to) {
  size_t mid = pn < qn ? pn : qn;
  if (mid > to) mid = to;
  if (mid < from) mid = from;
  dig_bitop_n(op, d + from, p + from, q + from, mid - from, R->dig_simd);
  /* past the shorter one: the longer one's digits, or zeros */
  if (mid < to) {
    const dig_t *rest = pn > qn ? p : q;
    if (op == DIG_AND || (op == DIG_ANDNOT && rest == q))
      memset(d + mid, 0, (to - mid) * sizeof(dig_t));
    else
      memcpy(d + mid, rest + mid, (to - mid) * sizeof(dig_t));
  }
}

static isp_int *ops_bitwise(isp_runtime *R, isp_int *a, isp_int *b, char opc) {
  int64_t x, y;
  int_view va, vb;
  ops_bitarg p, q;
  dig_bitop op;
  int wl = ops_want_long(R, a, b), neg = 0;
  size_t n, pre, i, extra;
  dig_t *d;
  isp_int *v;
  if (int_as_i64(a, &x) && int_as_i64(b, &y))
    return int_result_i64(R, opc == '&' ? (x & y) : opc == '|' ? (x | y) : (x ^ y), wl);
  int_view_of(a, &va);
  int_view_of(b, &vb);
  if (va.sign > 0 && vb.sign > 0) {
    /* both positive, the usual case: the digit operation itself, with
    ** no complemented prefix and no +1 (written out rather than through
    ** ops_bitrun, whose general clamping measured 6-19% slower here at
    ** 100 and 1000 decimal digits) */
    const dig_t *pd = va.n >= vb.n ? va.d : vb.d, *qd = va.n >= vb.n ? vb.d : va.d;
    size_t pn = va.n >= vb.n ? va.n : vb.n, qn = va.n >= vb.n ? vb.n : va.n;
    op = opc == '&' ? DIG_AND : opc == '|' ? DIG_OR : DIG_XOR;
    if (op == DIG_AND) {
      n = qn;
      while (n > 0 && (pd[n - 1] & qd[n - 1]) == 0) n--;
    } else {
      n = pn;
      if (op == DIG_XOR && pn == qn)
        while (n > 0 && pd[n - 1] == qd[n - 1]) n--;
    }
    if (n == 0) return int_result_i64(R, 0, wl);
    v = int_alloc_digits(R, n, &d);
    if (v == NULL) return NULL;
    if (n <= qn) {
      dig_bitop_n(op, d, pd, qd, n, R->dig_simd);
    } else {
      dig_bitop_n(op, d, pd, qd, qn, R->dig_simd);
      memcpy(d + qn, pd + qn, (n - qn) * sizeof(dig_t));   /* | and ^ with zeros */
    }
    return int_finish(R, v, 1, wl);
  }
  /* all three are symmetric: put a negative operand second */
  if (va.sign < 0 && vb.sign >= 0) {
    ops_bitarg_of(&p, &vb);
    ops_bitarg_of(&q, &va);
  } else {
    ops_bitarg_of(&p, &va);
    ops_bitarg_of(&q, &vb);
  }
  if (opc == '&') {
    if (!p.m1) op = q.m1 ? DIG_ANDNOT : DIG_AND;
    else { op = DIG_OR; neg = 1; }
  } else if (opc == '|') {
    if (!p.m1 && !q.m1) op = DIG_OR;
    else if (!p.m1) { ops_bitarg t = p; p = q; q = t; op = DIG_ANDNOT; neg = 1; }
    else { op = DIG_AND; neg = 1; }
  } else {
    op = DIG_XOR;
    neg = p.m1 != q.m1;
  }
  /* the result's length (one more for the +1 of a negative result) */
  if (op == DIG_AND) n = p.n < q.n ? p.n : q.n;
  else if (op == DIG_ANDNOT) n = p.n;
  else n = p.n > q.n ? p.n : q.n;
  /* trim the digit operation's high zeros, and leave room for the +1
  ** only when it can carry out, so that the object has its final size
  ** and int_finish need not move it */
  while (n > 0 && ops_bit1(op, ops_bitarg_digit(&p, n - 1), ops_bitarg_digit(&q, n - 1)) == 0)
    n--;
  extra = neg && (n == 0 || ops_bit1(op, ops_bitarg_digit(&p, n - 1),
                                      ops_bitarg_digit(&q, n - 1)) == DIG_MASK);
  if (n + extra == 0) return int_result_i64(R, 0, wl);
  v = int_alloc_digits(R, n + extra, &d);
  if (v == NULL) return NULL;
  if (extra) d[n] = 0;
  /* the prefix where x' and |x| differ */
  pre = 0;
  if (p.m1) pre = p.z + 1;
  if (q.m1 && q.z + 1 > pre) pre = q.z + 1;
  if (pre > n) pre = n;
  for (i = 0; i < pre; i++) d[i] = ops_bit1(op, ops_bitarg_digit(&p, i), ops_bitarg_digit(&q, i));
  ops_bitrun(R, op, d, p.d, p.n, q.d, q.n, pre, n);
  if (neg) {   /* stops at the top digit at the latest (see 'extra') */
    for (i = 0; d[i] == DIG_MASK; i++) d[i] = 0;
    d[i]++;
  }
  return int_finish(R, v, neg ? -1 : 1, wl);
}

isp_int *isp_and(isp_runtime *R, isp_int *a, isp_int *b) {
  if (err_null_args(R, a, b)) return NULL;
  return ops_bitwise(R, a, b, '&');
}
isp_int *isp_or(isp_runtime *R, isp_int *a, isp_int *b) {
  if (err_null_args(R, a, b)) return NULL;
  return ops_bitwise(R, a, b, '|');
}
isp_int *isp_xor(isp_runtime *R, isp_int *a, isp_int *b) {
  if (err_null_args(R, a, b)) return NULL;
  return ops_bitwise(R, a, b, '^');
}

/* }====================================================================== */

/*
** {======================================================================
** Unary operations, comparison, hashing, bit counts
** =======================================================================
*/

isp_int *isp_neg(isp_runtime *R, isp_int *a) {
  if (err_null_args(R, a, a)) return NULL;
  int64_t x;
  int_view va;
  int wl = ops_want_long(R, a, NULL);
  if (int_as_i64(a, &x) && x != INT64_MIN) {
    /* 2.7's long_neg hands back 0L itself */
    if (OPS_UNLIKELY(x == 0) && R->prof->neg_same_zero && wl) {
      isp_incref(R, a);
      return a;
    }
    return int_result_i64(R, -x, wl);
  }
  int_view_of(a, &va);
  return int_result_digits(R, -va.sign, va.d, va.n, wl);
}

isp_int *isp_invert(isp_runtime *R, isp_int *a) {
  if (err_null_args(R, a, a)) return NULL;
  int64_t x;
  int_view va, one;
  int wl = ops_want_long(R, a, NULL);
  if (int_as_i64(a, &x)) return int_result_i64(R, ~x, wl);
  int_view_of(a, &va);
  one.sign = 1; one.n = 1; one.buf[0] = 1; one.d = one.buf;
  /* ~a = -(a + 1) */
  va.sign = -va.sign;
  return ops_addsub(R, &va, &one, -1, wl);
}

/* abs of a non-negative int is the object itself, as in CPython. */
isp_int *isp_abs(isp_runtime *R, isp_int *a) {
  if (err_null_args(R, a, a)) return NULL;
  int_view va;
  int_view_of(a, &va);
  if (va.sign >= 0) {
    isp_incref(R, a);
    return a;
  }
  return isp_neg(R, a);
}

int isp_compare(const isp_runtime *R, const isp_int *a, const isp_int *b) {
  int_view va, vb;
  int c;
  int64_t x, y;
  (void)R;
  if (int_as_i64(a, &x) && int_as_i64(b, &y)) return (x > y) - (x < y);
  int_view_of(a, &va);
  int_view_of(b, &vb);
  if (va.sign != vb.sign) return va.sign < vb.sign ? -1 : 1;
  c = dig_cmp(va.d, va.n, vb.d, vb.n);
  return va.sign < 0 ? -c : c;
}

/*
** 3.x: sign * (|a| mod 2**61-1), folding digits from the top; since
** 2**61 == 1 modulo the modulus, shifting left by 30 is a rotation within
** 61 bits.  2.7: |a| modulo 2**64-1 by rotate-and-add with end-around
** carry, so a long hashes like the int of the same value.  -1 is -2.
*/
int64_t isp_hash(const isp_runtime *R, const isp_int *a) {
  int_view va;
  uint64_t P = R->prof->hash_modulus, h = 0;
  int64_t r;
  size_t i;
  int_view_of(a, &va);
  if (P) {
    for (i = va.n; i-- > 0;) {
      h = ((h << DIG_SHIFT) & P) | (h >> (61 - DIG_SHIFT));
      h += va.d[i];
      if (h >= P) h -= P;
    }
    r = va.sign < 0 ? -(int64_t)h : (int64_t)h;
  } else {
    for (i = va.n; i-- > 0;) {
      h = (h << DIG_SHIFT) | (h >> (64 - DIG_SHIFT));
      h += va.d[i];
      if (h < va.d[i]) h++;
    }
    r = (int64_t)(va.sign < 0 ? (uint64_t)0 - h : h);
  }
  return r == -1 ? -2 : r;
}

int64_t isp_bit_length(const isp_runtime *R, const isp_int *a) {
  int_view va;
  (void)R;
  int_view_of(a, &va);
  return (int64_t)dig_bit_length(va.d, va.n);
}

int64_t isp_bit_count(const isp_runtime *R, const isp_int *a) {
  int_view va;
  (void)R;
  int_view_of(a, &va);
  return (int64_t)dig_popcount(va.d, va.n);
}

/* }====================================================================== */

/*
** {======================================================================
** isqrt and gcd
** =======================================================================
*/

/* a shifted by s bits (s may be negative: a right shift), a new reference. */
static isp_int *ops_shift_by(isp_runtime *R, isp_int *a, int64_t s) {
  isp_int *count = int_result_i64(R, s < 0 ? -s : s, 0), *r;
  if (count == NULL) return NULL;
  r = s < 0 ? isp_rshift(R, a, count) : isp_lshift(R, a, count);
  isp_decref(R, count);
  return r;
}

/*
** Precision doubling.  With c = (bit_length(n) - 1) // 2, keep a with
** (a - 1)**2 < n >> 2*(c - d) < (a + 1)**2 while d, the number of bits of
** the root known so far, runs through c >> s for s = bit_length(c)-1 .. 0;
** each step doubles d with one Newton step on the top 2*d bits only:
**     a = (a << (d - e - 1)) + (n >> (2*c - e - d + 1)) // a
** (e the previous d).  The last step leaves a within one of the root.
** So the cost is about two divisions of full size instead of the
** log2(bits) full divisions of a plain Newton iteration.
*/
isp_int *isp_isqrt(isp_runtime *R, isp_int *a) {
  if (err_null_args(R, a, a)) return NULL;
  int_view va;
  int64_t x64, c, d = 0, e;
  isp_int *x = NULL, *t = NULL, *u = NULL;
  int s;
  int_view_of(a, &va);
  if (va.sign < 0) {
    err_set(R, ISP_VALUE_ERROR, "isqrt() argument must be nonnegative");
    return NULL;
  }
  if (int_as_i64(a, &x64) && x64 < (INT64_C(1) << 52)) {
    int64_t r = (int64_t)sqrt((double)x64);
    while (r * r > x64) r--;
    while ((r + 1) * (r + 1) <= x64) r++;
    return int_result_i64(R, r, 0);
  }
  c = (int64_t)(dig_bit_length(va.d, va.n) - 1) / 2;
  x = int_result_i64(R, 1, 0);
  if (x == NULL) return NULL;
  for (s = 63; s >= 0 && (c >> s) == 0; s--) {}
  for (; s >= 0; s--) {
    e = d;
    d = c >> s;
    /* t = (n >> (2c - e - d + 1)) // x */
    t = ops_shift_by(R, a, -(2 * c - e - d + 1));
    if (t == NULL) goto fail;
    u = isp_floordiv(R, t, x);
    isp_decref(R, t);
    t = NULL;
    if (u == NULL) goto fail;
    /* x = (x << (d - e - 1)) + u */
    t = ops_shift_by(R, x, d - e - 1);
    if (t == NULL) goto fail;
    isp_decref(R, x);
    x = isp_add(R, t, u);
    isp_decref(R, t);
    isp_decref(R, u);
    t = u = NULL;
    if (x == NULL) return NULL;
  }
  /* x is the root or one more: subtract one when x*x > n */
  t = isp_mul(R, x, x);
  if (t == NULL) goto fail;
  if (isp_compare(R, t, a) > 0) {
    isp_decref(R, t);
    t = int_result_i64(R, 1, 0);
    if (t == NULL) goto fail;
    u = isp_sub(R, x, t);
    isp_decref(R, t);
    isp_decref(R, x);
    return u;
  }
  isp_decref(R, t);
  return x;
fail:
  if (x) isp_decref(R, x);
  if (t) isp_decref(R, t);
  if (u) isp_decref(R, u);
  return NULL;
}

/*
** Lehmer's gcd on digit arrays: while both are long, run Euclid on the
** leading 62 bits with cofactors (A B; C D) as long as the quotients are
** certain, then apply the cofactors to the full numbers in one pass; if
** no step was certain, do one full division.  Ends with 64-bit Euclid.
*/
/* Bits [shift, shift + 62) of x[0..n). */
static uint64_t ops_top_bits(const dig_t *x, size_t n, uint64_t shift) {
  unsigned __int128 w = 0;
  size_t i = (size_t)(shift / DIG_SHIFT);
  int k;
  for (k = 3; k >= 0; k--) {
    size_t j = i + (size_t)k;
    w = (w << DIG_SHIFT) | (j < n ? x[j] : 0);
  }
  return (uint64_t)((w >> (shift % DIG_SHIFT)) & (((uint64_t)1 << 62) - 1));
}

/* r = (A*x + B*y) (known non-negative), n digits; returns trimmed size. */
static size_t ops_lincomb(dig_t *r, const dig_t *x, const dig_t *y, size_t n,
                          int64_t A, int64_t B) {
  ops_i128 acc = 0;
  size_t i;
  for (i = 0; i < n; i++) {
    acc += (ops_i128)A * x[i] + (ops_i128)B * y[i];
    r[i] = (dig_t)(acc & DIG_MASK);
    acc >>= DIG_SHIFT;   /* arithmetic: the total is non-negative in the end */
  }
  return dig_normalized_size(r, n);
}

/*
** The operand _PyLong_GCD (3.x) hands back unchanged, or NULL for a new
** result.  Below 2**60 both (two digits) it computes in C longs: new.
** Otherwise it orders abs(a) >= abs(b) (abs of a non-negative int is the
** int itself; equal magnitudes are not swapped) and runs Lehmer's loop:
** - a zero b returns a at once;
** - when the first inner step of Lehmer makes no progress (k == 0), a
**   Euclidean step a, b = b, a % b follows, and if that remainder is 0
**   while b still has more than two digits, the next round returns b.
** Any other round replaces both numbers by new objects.  The first inner
** step has no progress when the top 60 bits y of b (aligned with a's)
** are 0, or when, with q = x // y for a's top bits x, q > x - q*y.
** The caller checks the remainder: b | a exactly when gcd(a, b) == b.
*/
OPS_RARE static isp_int *ops_gcd_same(isp_int *a, isp_int *b, const int_view *va, const int_view *vb) {
  const int_view *big = va, *small = vb;
  isp_int *pbig = a, *psmall = b;
  size_t n;
  unsigned nbits;
  uint64_t x, y;
  if (va->n <= 2 && vb->n <= 2) return NULL;
  if (dig_cmp(va->d, va->n, vb->d, vb->n) < 0) {
    big = vb; small = va; pbig = b; psmall = a;
  }
  if (small->n == 0) return big->sign > 0 ? pbig : NULL;
  if (small->n <= 2 || small->sign < 0) return NULL;
  n = big->n;
  nbits = (unsigned)dig_bit_length(big->d + n - 1, 1);
  x = ((uint64_t)big->d[n - 1] << (2 * DIG_SHIFT - nbits)) |
      ((uint64_t)big->d[n - 2] << (DIG_SHIFT - nbits)) | (big->d[n - 3] >> nbits);
  y = (small->n >= n - 2 ? small->d[n - 3] >> nbits : 0) |
      (small->n >= n - 1 ? (uint64_t)small->d[n - 2] << (DIG_SHIFT - nbits) : 0) |
      (small->n >= n ? (uint64_t)small->d[n - 1] << (2 * DIG_SHIFT - nbits) : 0);
  if (y != 0) {
    uint64_t q = x / y;
    if (!(q > x - q * y)) return NULL;   /* Lehmer progresses: new objects */
  }
  return psmall;
}

isp_int *isp_gcd(isp_runtime *R, isp_int *a, isp_int *b) {
  if (err_null_args(R, a, b)) return NULL;
  int_view va, vb;
  int64_t x, y;
  int wl = ops_want_long(R, a, b);
  size_t an, bn, cap;
  dig_t *u = NULL, *v = NULL, *t = NULL, *q = NULL;
  isp_int *res = NULL, *same = NULL;
  if (int_as_i64(a, &x) && int_as_i64(b, &y) && x != INT64_MIN && y != INT64_MIN) {
    uint64_t p = (uint64_t)(x < 0 ? -x : x), r = (uint64_t)(y < 0 ? -y : y);
    /* 3.x: from three digits on, _PyLong_GCD may hand back an operand */
    if (!OPS_UNLIKELY((p | r) >> (2 * DIG_SHIFT)) || !R->prof->gcd_same_operand) {
      while (r) { uint64_t m = p % r; p = r; r = m; }
      return ops_from_i128(R, (ops_i128)p, wl);
    }
  }
  int_view_of(a, &va);
  int_view_of(b, &vb);
  if (R->prof->gcd_same_operand) {
    same = ops_gcd_same(a, b, &va, &vb);
    /* the larger operand itself (b was 0): nothing to compute */
    if (same != NULL && (same == a ? vb.n : va.n) == 0) {
      isp_incref(R, same);
      return same;
    }
  }
  if (!err_work_ok(R, "gcd()", ops_gcd_work(va.n, vb.n))) return NULL;
  cap = (va.n > vb.n ? va.n : vb.n) + 2;   /* every buffer, swapped freely */
  u = ops_scratch(R, cap);
  v = ops_scratch(R, cap);
  t = ops_scratch(R, cap);
  q = ops_scratch(R, cap);
  if (!u || !v || !t || !q) goto done;
  memset(u, 0, cap * sizeof(dig_t));
  memset(v, 0, cap * sizeof(dig_t));
  if (va.n) memcpy(u, va.d, va.n * sizeof(dig_t));
  if (vb.n) memcpy(v, vb.d, vb.n * sizeof(dig_t));
  an = va.n; bn = vb.n;
  if (dig_cmp(u, an, v, bn) < 0) {
    dig_t *s = u; u = v; v = s;
    { size_t sn = an; an = bn; bn = sn; }
  }
  while (bn > 2) {
    uint64_t bits = dig_bit_length(u, an), sh = bits > 62 ? bits - 62 : 0;
    int64_t xx = (int64_t)ops_top_bits(u, an, sh), yy = (int64_t)ops_top_bits(v, an, sh);
    int64_t A = 1, B = 0, C = 0, D = 1;
    for (;;) {
      ops_i128 q1, q2;
      int64_t qq, tt;
      if (yy + C == 0 || yy + D == 0) break;
      q1 = ((ops_i128)xx + A) / ((ops_i128)yy + C);
      q2 = ((ops_i128)xx + B) / ((ops_i128)yy + D);
      if (q1 != q2) break;
      qq = (int64_t)q1;
      tt = A - qq * C; A = C; C = tt;
      tt = B - qq * D; B = D; D = tt;
      tt = xx - qq * yy; xx = yy; yy = tt;
    }
    if (B == 0) {
      size_t rn;
      /* one full step: u, v = v, u mod v */
      if (ops_divrem_mag(R, q, t, u, an, v, bn) < 0) goto done;
      rn = dig_normalized_size(t, bn);
      memset(t + rn, 0, (cap - rn) * sizeof(dig_t));
      { dig_t *s = u; u = v; v = t; t = s; }
      an = bn; bn = rn;
    } else {
      size_t n1 = ops_lincomb(t, u, v, an, A, B);
      size_t n2 = ops_lincomb(q, u, v, an, C, D);
      memset(t + n1, 0, (cap - n1) * sizeof(dig_t));
      memset(q + n2, 0, (cap - n2) * sizeof(dig_t));
      { dig_t *s = u; u = t; t = s; }
      { dig_t *s = v; v = q; q = s; }
      an = n1; bn = n2;
      if (dig_cmp(u, an, v, bn) < 0) {
        dig_t *s = u; u = v; v = s;
        { size_t sn = an; an = bn; bn = sn; }
      }
    }
  }
  /* finish: v has at most 2 digits */
  if (bn == 0 && same != NULL &&
      dig_cmp(u, an, (same == a ? va.d : vb.d), (same == a ? va.n : vb.n)) == 0) {
    /* the gcd is the smaller operand, which _PyLong_GCD hands back after
    ** one Euclidean step (ops_gcd_same) */
    isp_incref(R, same);
    res = same;
  } else if (bn == 0) {
    res = int_result_digits(R, 1, u, an, wl);
  } else {
    uint64_t p, r = 0;
    size_t i;
    for (i = bn; i-- > 0;) r = (r << DIG_SHIFT) | v[i];
    /* p = u mod r */
    if (an > 2) {
      if (ops_divrem_mag(R, q, t, u, an, v, bn) < 0) goto done;
      p = 0;
      for (i = bn; i-- > 0;) p = (p << DIG_SHIFT) | t[i];
    } else {
      p = 0;
      for (i = an; i-- > 0;) p = (p << DIG_SHIFT) | u[i];
      p %= r;
    }
    while (p) { uint64_t m = r % p; r = p; p = m; }
    res = ops_from_i128(R, (ops_i128)r, wl);
  }
done:
  ops_scratch_free(R, u, cap);
  ops_scratch_free(R, v, cap);
  ops_scratch_free(R, t, cap);
  ops_scratch_free(R, q, cap);
  return res;
}

/* }====================================================================== */
