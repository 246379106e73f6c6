/*
** fz_arith.c -- differential fuzzing of the arithmetic against GMP.
**
** Input:  byte 0  profile (bits 0-2), whether to read the result back
**                 through a hexadecimal string as well (bit 3), and for
**                 to_double whether to convert the other way, int(float)
**                 (bit 4: a bit that older inputs leave clear, so they
**                 keep their meaning);
**         byte 1  the operation;
**         then up to three operands a, b, m (see fz_operand).
** Every result is compared with GMP's, every object checked with
** fz_check_object (value, getsizeof, cache identity, refcount), and every
** error case must raise the Python exception CPython raises.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fz.h"

/*
** Operand sizes, in bytes.  The fuzz builds lower the algorithm cutoffs
** (ISP_TEST_CUTOFFS: the transform from 48 digits, Newton division from
** 12), so 256 bytes (68 digits) reach every algorithm while an input stays
** in tens of microseconds.  A modular power costs a reduction per exponent
** bit: the modulus stays at 48 bytes, the exponent at 9 (72 bits, past the
** 60 bits where the sliding window takes over).
*/
#define FZ_MAX_BYTES 256
#define FZ_POWMOD_MOD_BYTES 48
#define FZ_POWMOD_EXP_BYTES 9
/* Results of ** and << are kept below this many bits. */
#define FZ_MAX_RESULT_BITS 8192
/* Left shifts up to this count are checked; past the second one (2**28
** digits of 30 bits, 1 GiB) the runtime must refuse. */
#define FZ_MAX_SHIFT (4 * FZ_MAX_RESULT_BITS)
#define FZ_HOPELESS_SHIFT ((unsigned long)30 << 28)

enum {
  OP_ADD, OP_SUB, OP_MUL, OP_FLOORDIV, OP_MOD, OP_DIVMOD, OP_POW, OP_POWMOD,
  OP_LSHIFT, OP_RSHIFT, OP_AND, OP_OR, OP_XOR, OP_INVERT, OP_NEG, OP_ABS,
  OP_COMPARE, OP_GCD, OP_ISQRT, OP_BIT_LENGTH, OP_BIT_COUNT, OP_HASH,
  OP_TO_DOUBLE, OP_TRUEDIV, OP_TO_I64, OP_MULDIV, OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
  "add", "sub", "mul", "floordiv", "mod", "divmod", "pow", "pow-mod",
  "lshift", "rshift", "and", "or", "xor", "invert", "neg", "abs",
  "compare", "gcd", "isqrt", "bit_length", "bit_count", "hash",
  "to_double", "truediv", "to_i64", "mul-then-divmod"
};

/*
** An operand: a header byte (bit 0: negate; bits 1-2: shape) then
**   shape 0: a 16-bit length and that many big-endian magnitude bytes;
**   shape 1: 2**k + d, k from 16 bits, d a signed byte (carries, borrows);
**   shape 2: a 16-bit length of bytes all equal to a fill byte, minus a
**            byte (long runs of ones stress the division's corrections);
**   shape 3: a signed 16-bit value (the cache edges and small fast paths).
*/
static void fz_operand(fz_in *in, size_t maxbytes, mpz_t x) {
  uint8_t hdr = fz_u8(in);
  size_t len, got;
  const uint8_t *p;
  switch ((hdr >> 1) & 3) {
    case 0:
      len = fz_u16(in) % (maxbytes + 1);
      p = fz_take(in, len, &got);
      mpz_import(x, got, 1, 1, 0, 0, p);
      break;
    case 1: {
      unsigned k = fz_u16(in) % (unsigned)(maxbytes * 8);
      int d = (int8_t)fz_u8(in);
      mpz_set_ui(x, 0);
      mpz_setbit(x, k);
      if (d >= 0) mpz_add_ui(x, x, (unsigned long)d);
      else mpz_sub_ui(x, x, (unsigned long)-d);
      break;
    }
    case 2: {
      uint8_t fill;
      size_t i;
      len = fz_u16(in) % (maxbytes + 1);
      fill = fz_u8(in);
      mpz_set_ui(x, 0);
      for (i = 0; i < len; i++) {
        mpz_mul_2exp(x, x, 8);
        mpz_add_ui(x, x, fill);
      }
      mpz_sub_ui(x, x, fz_u8(in));
      break;
    }
    default:
      mpz_set_si(x, (int16_t)fz_u16(in));
      break;
  }
  if (hdr & 1) mpz_neg(x, x);
}

/*
** {======================================================================
** Correctly rounded division to a double, exactly, in GMP
** =======================================================================
*/

/*
** num/den rounded half-even to a double, with sign 'neg'; 0, or -1 when
** the rounded magnitude reaches 2**1024 (OverflowError in Python).
*/
static int fz_ratio_to_double(const mpz_t num, const mpz_t den, int neg, double *out) {
  mpz_t n, d, q, r;
  long e0, s, k, u, drop;
  int sticky, cmp, ovf = 0;
  if (mpz_sgn(num) == 0) {
    *out = neg ? -0.0 : 0.0;
    return 0;
  }
  mpz_inits(n, d, q, r, NULL);
  mpz_abs(n, num);
  mpz_abs(d, den);
  /* scale so that the quotient has at least 55 bits: 53 kept, a
  ** rounding bit and one more; the remainder is the sticky bit */
  e0 = (long)mpz_sizeinbase(n, 2) - (long)mpz_sizeinbase(d, 2);
  s = 55 - e0;
  if (s >= 0) mpz_mul_2exp(n, n, (mp_bitcnt_t)s);
  else mpz_mul_2exp(d, d, (mp_bitcnt_t)-s);
  mpz_tdiv_qr(q, r, n, d);
  sticky = mpz_sgn(r) != 0;
  k = (long)mpz_sizeinbase(q, 2);
  u = k - 53 - s;                     /* weight of the last kept bit */
  if (u < -1074) u = -1074;           /* subnormals keep fewer bits */
  drop = u + s;                       /* >= 2 */
  /* r = the dropped bits, compared with half a unit */
  mpz_tdiv_r_2exp(r, q, (mp_bitcnt_t)drop);
  mpz_tdiv_q_2exp(q, q, (mp_bitcnt_t)drop);
  mpz_set_ui(n, 0);
  mpz_setbit(n, (mp_bitcnt_t)(drop - 1));
  cmp = mpz_cmp(r, n);
  if (cmp > 0 || (cmp == 0 && (sticky || mpz_odd_p(q)))) mpz_add_ui(q, q, 1);
  if ((long)mpz_sizeinbase(q, 2) + u > 1024) ovf = 1;
  else *out = ldexp(mpz_get_d(q), (int)u);   /* q < 2**54: exact */
  if (!ovf && neg) *out = -*out;
  mpz_clears(n, d, q, r, NULL);
  return ovf ? -1 : 0;
}

/* }====================================================================== */

/* CPython's hash of x: 3.x reduces modulo 2**61 - 1, 2.7 folds the digits
** modulo 2**64 - 1 (nonzero for nonzero x); both map -1 to -2. */
static int64_t fz_hash(const isp_runtime *R, const mpz_t x) {
  mpz_t a, m;
  uint64_t h;
  int neg = mpz_sgn(x) < 0;
  int is27 = fz_is27(R);
  mpz_inits(a, m, NULL);
  mpz_abs(a, x);
  mpz_set_ui(m, 0);
  mpz_setbit(m, is27 ? 64 : 61);
  mpz_sub_ui(m, m, 1);
  mpz_mod(a, a, m);
  if (is27 && mpz_sgn(a) == 0 && mpz_sgn(x) != 0) mpz_set(a, m);
  mpz_export(&h, NULL, -1, sizeof h, 0, 0, a);
  if (mpz_sgn(a) == 0) h = 0;
  mpz_clears(a, m, NULL);
  if (neg) h = 0 - h;
  if (h == UINT64_MAX) h = UINT64_MAX - 1;      /* -1 is reserved: -2 */
  return (int64_t)h;
}

/* How many of the handles a, b, m are 'v' (they each hold a reference). */
static unsigned fz_shared(const isp_int *v, isp_int *const *ops, int nops) {
  unsigned k = 0;
  int i;
  for (i = 0; i < nops; i++) k += ops[i] == v;
  return k;
}

/* Check an int result 'v' against x and drop it. */
static void fz_result(isp_runtime *R, isp_int *v, const mpz_t x, isp_int *const *ops,
                      int nops, const char *what) {
  if (v == NULL) fz_fail("%s failed: %s (GMP: %Zd)", what, fz_errtext(R), x);
  fz_check_object(R, v, x, fz_shared(v, ops, nops), what);
  isp_decref(R, v);
}

static void fz_double_result(double got, double want, const char *what,
                             const mpz_t a, const mpz_t b) {
  if (memcmp(&got, &want, sizeof got) != 0)
    fz_fail("%s of %Zd and %Zd: intspect %a, correctly rounded %a", what, a, b, got, want);
}

/* Is the shift count beyond a C long (what 2.7 rejects first)? */
static int fz_beyond_long(const mpz_t x) {
  return !mpz_fits_slong_p(x);
}

static void fz_run(isp_runtime *R, int op, mpz_t a, mpz_t b, mpz_t m, int hexcheck,
                   int from_double) {
  isp_int *ia = NULL, *ib = NULL, *im = NULL, *r1 = NULL, *r2 = NULL;
  isp_int *ops[3];
  mpz_t x, y;
  int is27 = fz_is27(R);
  const char *what = op_names[op];
  double dg, dw;
  int rc;

  mpz_inits(x, y, NULL);
  /* keep ** and << results bounded: reduce the exponent or count */
  if (op == OP_POW && mpz_sgn(b) > 0 && mpz_cmpabs_ui(a, 1) > 0) {
    unsigned long cap = FZ_MAX_RESULT_BITS / mpz_sizeinbase(a, 2) + 1;
    mpz_mod_ui(b, b, cap);
  }
  ia = fz_make(R, a);
  ib = fz_make(R, b);
  im = fz_make(R, m);
  if (ia == NULL || ib == NULL || im == NULL)
    fz_fail("%s: creating operands failed: %s", what, fz_errtext(R));
  fz_check_object(R, ia, a, (unsigned)(ia == ib) + (ia == im), "operand a");
  ops[0] = ia;
  ops[1] = ib;
  ops[2] = im;

  switch (op) {
    case OP_ADD:
      mpz_add(x, a, b);
      fz_result(R, isp_add(R, ia, ib), x, ops, 3, what);
      break;
    case OP_SUB:
      mpz_sub(x, a, b);
      fz_result(R, isp_sub(R, ia, ib), x, ops, 3, what);
      break;
    case OP_MUL:
      mpz_mul(x, a, b);
      fz_result(R, isp_mul(R, ia, ib), x, ops, 3, what);
      break;
    case OP_MULDIV:          /* (a*b + m) divmod b: exercises exact quotients */
      mpz_mul(x, a, b);
      mpz_add(x, x, m);
      isp_decref(R, ia);
      ia = fz_make(R, x);
      if (ia == NULL) fz_fail("%s: %s", what, fz_errtext(R));
      ops[0] = ia;
      mpz_set(a, x);
      /* fall through */
    case OP_FLOORDIV: case OP_MOD: case OP_DIVMOD:
      if (mpz_sgn(b) == 0) {
        if (op == OP_FLOORDIV) r1 = isp_floordiv(R, ia, ib);
        else if (op == OP_MOD) r1 = isp_mod(R, ia, ib);
        else if (isp_divmod(R, ia, ib, &r1, &r2) == 0) r1 = r2 = NULL;
        else r1 = NULL;
        if (r1 != NULL) fz_fail("%s of %Zd by 0 succeeded", what, a);
        fz_expect_error(R, ISP_ZERO_DIVISION_ERROR, what);
        break;
      }
      mpz_fdiv_qr(x, y, a, b);
      if (op == OP_FLOORDIV) {
        fz_result(R, isp_floordiv(R, ia, ib), x, ops, 3, what);
      } else if (op == OP_MOD) {
        fz_result(R, isp_mod(R, ia, ib), y, ops, 3, what);
      } else {
        if (isp_divmod(R, ia, ib, &r1, &r2) != 0)
          fz_fail("divmod(%Zd, %Zd) failed: %s", a, b, fz_errtext(R));
        fz_result(R, r1, x, ops, 3, "divmod quotient");
        fz_result(R, r2, y, ops, 3, "divmod remainder");
        r1 = r2 = NULL;
      }
      break;
    case OP_POW: {
      double f = 0;
      if (mpz_sgn(b) < 0) {
        /* a negative exponent is float arithmetic: both operands become
        ** floats first (OverflowError if one cannot), then 0.0 ** -y is
        ** ZeroDivisionError, else C's pow() of the two */
        double da, db;
        int ovf;
        mpz_set_ui(y, 1);
        ovf = fz_ratio_to_double(a, y, mpz_sgn(a) < 0, &da) < 0;
        ovf |= fz_ratio_to_double(b, y, 1, &db) < 0;
        rc = isp_pow(R, ia, ib, NULL, &r1, &f);
        if (ovf) {
          if (rc != -1) fz_fail("%Zd ** %Zd did not raise OverflowError", a, b);
          fz_expect_error(R, ISP_OVERFLOW_ERROR, "int ** negative (float overflow)");
        } else if (mpz_sgn(a) == 0) {
          if (rc != -1) fz_fail("0 ** %Zd did not raise", b);
          fz_expect_error(R, ISP_ZERO_DIVISION_ERROR, "0 ** negative");
        } else if (rc != 1 || r1 != NULL) {
          fz_fail("%Zd ** %Zd: want a float (1), got %d: %s", a, b, rc, fz_errtext(R));
        } else {
          fz_double_result(f, pow(da, db), "int ** negative", a, b);
        }
        r1 = NULL;
        break;
      }
      if (mpz_cmpabs_ui(a, 1) <= 0) {
        /* 0, 1, -1: b was not reduced; only its parity and zeroness count */
        mpz_pow_ui(x, a, mpz_sgn(b) == 0 ? 0 : mpz_odd_p(b) ? 1 : 2);
      } else {
        mpz_pow_ui(x, a, mpz_get_ui(b));
      }
      rc = isp_pow(R, ia, ib, NULL, &r1, &f);
      if (rc != 0) fz_fail("%Zd ** %Zd: rc %d, %s", a, b, rc, fz_errtext(R));
      fz_result(R, r1, x, ops, 3, what);
      r1 = NULL;
      break;
    }
    case OP_POWMOD: {
      double f = 0;
      int bad = 0;
      rc = isp_pow(R, ia, ib, im, &r1, &f);
      if (is27 && mpz_sgn(b) < 0) {
        bad = ISP_TYPE_ERROR;
      } else if (mpz_sgn(m) == 0) {
        bad = ISP_VALUE_ERROR;
      } else if (mpz_cmpabs_ui(m, 1) == 0) {
        mpz_set_ui(x, 0);
      } else {
        mpz_abs(y, m);
        if (mpz_sgn(b) < 0 && !mpz_invert(x, a, y)) {
          bad = ISP_VALUE_ERROR;                 /* not invertible */
        } else {
          mpz_powm(x, a, b, y);
          if (mpz_sgn(m) < 0 && mpz_sgn(x) != 0) mpz_sub(x, x, y);
        }
      }
      if (bad) {
        if (rc != -1) fz_fail("pow(%Zd, %Zd, %Zd) did not raise", a, b, m);
        fz_expect_error(R, (isp_errtype)bad, "pow(a, b, m)");
      } else {
        if (rc != 0) fz_fail("pow(%Zd, %Zd, %Zd): rc %d, %s", a, b, m, rc, fz_errtext(R));
        fz_result(R, r1, x, ops, 3, what);
      }
      r1 = NULL;
      break;
    }
    case OP_LSHIFT: case OP_RSHIFT: {
      int lsh = op == OP_LSHIFT;
      int feasible = !lsh || mpz_sgn(a) == 0 || mpz_cmp_ui(b, FZ_MAX_SHIFT) <= 0;
      /* a count past what any runtime could allocate must fail; counts in
      ** between would only measure the machine's memory: not run */
      int hopeless = lsh && mpz_sgn(a) != 0 && mpz_cmp_ui(b, FZ_HOPELESS_SHIFT) > 0;
      if (!feasible && !hopeless && mpz_sgn(b) > 0) break;
      r1 = lsh ? isp_lshift(R, ia, ib) : isp_rshift(R, ia, ib);
      if (is27 && fz_beyond_long(b)) {
        if (r1 != NULL) fz_fail("%s by %Zd succeeded under 2.7", what, b);
        fz_expect_error(R, ISP_OVERFLOW_ERROR, what);
      } else if (mpz_sgn(b) < 0) {
        if (r1 != NULL) fz_fail("%s by %Zd succeeded", what, b);
        fz_expect_error(R, ISP_VALUE_ERROR, what);
      } else if (!lsh) {
        if (mpz_fits_ulong_p(b)) mpz_fdiv_q_2exp(x, a, mpz_get_ui(b));
        else mpz_set_si(x, mpz_sgn(a) < 0 ? -1 : 0);
        fz_result(R, r1, x, ops, 3, what);
      } else if (feasible) {
        if (mpz_sgn(a) != 0) mpz_mul_2exp(x, a, mpz_get_ui(b));
        fz_result(R, r1, x, ops, 3, what);
      } else {
        if (r1 != NULL) fz_fail("%Zd << %Zd succeeded", a, b);
        if (isp_error_type(R) != ISP_MEMORY_ERROR)
          fz_expect_error(R, ISP_OVERFLOW_ERROR, what);
        isp_error_clear(R);
      }
      r1 = NULL;
      break;
    }
    case OP_AND:
      mpz_and(x, a, b);
      fz_result(R, isp_and(R, ia, ib), x, ops, 3, what);
      break;
    case OP_OR:
      mpz_ior(x, a, b);
      fz_result(R, isp_or(R, ia, ib), x, ops, 3, what);
      break;
    case OP_XOR:
      mpz_xor(x, a, b);
      fz_result(R, isp_xor(R, ia, ib), x, ops, 3, what);
      break;
    case OP_INVERT:
      mpz_com(x, a);
      fz_result(R, isp_invert(R, ia), x, ops, 3, what);
      break;
    case OP_NEG:
      mpz_neg(x, a);
      fz_result(R, isp_neg(R, ia), x, ops, 3, what);
      break;
    case OP_ABS:
      mpz_abs(x, a);
      fz_result(R, isp_abs(R, ia), x, ops, 3, what);
      break;
    case OP_COMPARE: {
      int want = mpz_cmp(a, b), got = isp_compare(R, ia, ib);
      want = (want > 0) - (want < 0);
      if (got != want) fz_fail("compare(%Zd, %Zd): %d, want %d", a, b, got, want);
      if (isp_compare(R, ia, ia) != 0) fz_fail("compare(%Zd, itself) != 0", a);
      if (isp_compare(R, ib, ia) != -want) fz_fail("compare(%Zd, %Zd) not antisymmetric", b, a);
      break;
    }
    case OP_GCD:
      mpz_gcd(x, a, b);
      fz_result(R, isp_gcd(R, ia, ib), x, ops, 3, what);
      break;
    case OP_ISQRT:
      r1 = isp_isqrt(R, ia);
      if (mpz_sgn(a) < 0) {
        if (r1 != NULL) fz_fail("isqrt(%Zd) succeeded", a);
        fz_expect_error(R, ISP_VALUE_ERROR, what);
      } else {
        mpz_sqrt(x, a);
        fz_result(R, r1, x, ops, 3, what);
      }
      r1 = NULL;
      break;
    case OP_BIT_LENGTH: case OP_BIT_COUNT: {
      int64_t got = op == OP_BIT_LENGTH ? isp_bit_length(R, ia) : isp_bit_count(R, ia);
      uint64_t want;
      mpz_abs(x, a);
      want = mpz_sgn(x) == 0 ? 0
             : op == OP_BIT_LENGTH ? mpz_sizeinbase(x, 2) : mpz_popcount(x);
      if (got < 0 || (uint64_t)got != want)
        fz_fail("%s(%Zd): %lld, want %llu", what, a, (long long)got, (unsigned long long)want);
      break;
    }
    case OP_HASH: {
      int64_t got = isp_hash(R, ia), want = fz_hash(R, a);
      isp_int *im2;
      if (got != want)
        fz_fail("hash(%Zd) under %s: %lld, want %lld", a, isp_runtime_profile(R),
                (long long)got, (long long)want);
      /* and a times the modulus the hash reduces by (2**61 - 1, 2.7's
      ** 2**64 - 1): the one residue a reduction's off-by-one shows on,
      ** which a random operand almost never is */
      mpz_set_ui(y, 0);
      mpz_setbit(y, is27 ? 64 : 61);
      mpz_sub_ui(y, y, 1);
      mpz_mul(y, y, a);
      im2 = fz_make(R, y);
      if (im2 == NULL) fz_fail("hash: creating %Zd failed: %s", y, fz_errtext(R));
      got = isp_hash(R, im2);
      want = fz_hash(R, y);
      isp_decref(R, im2);
      if (got != want)
        fz_fail("hash(%Zd) under %s: %lld, want %lld", y, isp_runtime_profile(R),
                (long long)got, (long long)want);
      break;
    }
    to_double:
      mpz_set_ui(y, 1);
      rc = isp_to_double(R, ia, &dg);
      if (fz_ratio_to_double(a, y, mpz_sgn(a) < 0, &dw) < 0) {
        if (rc == 0) fz_fail("float(%Zd) gave %a, want OverflowError", a, dg);
        fz_expect_error(R, ISP_OVERFLOW_ERROR, what);
      } else {
        if (rc != 0) fz_fail("float(%Zd) failed: %s", a, fz_errtext(R));
        fz_double_result(dg, dw, what, a, y);
      }
      break;
    case OP_TRUEDIV:
      rc = isp_truediv(R, ia, ib, &dg);
      if (mpz_sgn(b) == 0) {
        if (rc == 0) fz_fail("%Zd / 0 gave %a", a, dg);
        fz_expect_error(R, ISP_ZERO_DIVISION_ERROR, what);
      } else if (fz_ratio_to_double(a, b, (mpz_sgn(a) < 0) != (mpz_sgn(b) < 0), &dw) < 0) {
        if (rc == 0) fz_fail("%Zd / %Zd gave %a, want OverflowError", a, b, dg);
        fz_expect_error(R, ISP_OVERFLOW_ERROR, what);
      } else {
        if (rc != 0) fz_fail("%Zd / %Zd failed: %s", a, b, fz_errtext(R));
        fz_double_result(dg, dw, what, a, b);
      }
      break;
    case OP_TO_DOUBLE:
      if (!from_double) goto to_double;
      {                        /* int(float) of the double whose bits are |a|'s low 64 */
      uint64_t bits = 0;
      double d;
      mpz_abs(y, a);
      mpz_tdiv_r_2exp(y, y, 64);
      mpz_export(&bits, NULL, -1, sizeof bits, 0, 0, y);
      memcpy(&d, &bits, sizeof d);
      r1 = isp_from_double(R, d);
      if (isnan(d)) {
        if (r1 != NULL) fz_fail("int(nan) succeeded");
        fz_expect_error(R, ISP_VALUE_ERROR, what);
      } else if (isinf(d)) {
        if (r1 != NULL) fz_fail("int(%a) succeeded", d);
        fz_expect_error(R, ISP_OVERFLOW_ERROR, what);
      } else {
        mpz_set_d(x, d);                   /* truncates toward zero, as int() */
        fz_result(R, r1, x, ops, 3, "from_double");
      }
      r1 = NULL;
      break;
    }
    case OP_TO_I64: {
      int64_t got = 0;
      rc = isp_to_i64(R, ia, &got);
      if (mpz_fits_slong_p(a)) {
        if (rc != 0 || got != (int64_t)mpz_get_si(a))
          fz_fail("to_i64(%Zd): rc %d value %lld", a, rc, (long long)got);
      } else {
        if (rc == 0) fz_fail("to_i64(%Zd) gave %lld", a, (long long)got);
        fz_expect_error(R, ISP_OVERFLOW_ERROR, what);
      }
      break;
    }
    default:
      break;
  }

  if (hexcheck) {          /* the operand as a hexadecimal string, too */
    size_t len;
    char *s = isp_to_string(R, ia, 16, &len);
    char *w = mpz_get_str(NULL, 16, a);
    void (*freefn)(void *, size_t);
    if (s == NULL) fz_fail("str(%Zd, 16) failed: %s", a, fz_errtext(R));
    if (strcmp(s, w) != 0 || len != strlen(w))
      fz_fail("str(a, 16): intspect '%s' (%zu), GMP '%s'", s, len, w);
    isp_free_string(R, s);
    mp_get_memory_functions(NULL, NULL, &freefn);
    freefn(w, strlen(w) + 1);
  }
  if (isp_error_type(R) != ISP_OK)
    fz_fail("%s left an error set: %s", what, fz_errtext(R));
  isp_decref(R, ia);
  isp_decref(R, ib);
  isp_decref(R, im);
  mpz_clears(x, y, NULL);
}

int fz_arith(const uint8_t *data, size_t size) {
  fz_in in = {data, size};
  uint8_t h = fz_u8(&in);
  int op = fz_u8(&in) % OP_COUNT;
  size_t cap = op == OP_POWMOD ? FZ_POWMOD_MOD_BYTES : FZ_MAX_BYTES;
  isp_runtime *R = fz_runtime(fz_profile(h & 7));
  mpz_t a, b, m;
  mpz_inits(a, b, m, NULL);
  fz_operand(&in, cap, a);
  fz_operand(&in, op == OP_POWMOD ? FZ_POWMOD_EXP_BYTES : cap, b);
  fz_operand(&in, cap, m);
  fz_run(R, op, a, b, m, (h >> 3) & 1, (h >> 4) & 1);
  mpz_clears(a, b, m, NULL);
  fz_close(R, "fz_arith");
  return 0;
}

#ifdef FZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return fz_arith(data, size);
}
#endif
