/*
** test_digits.c -- differential test of the digit layer against GMP.
**
** Every operation of digits.h runs on operands from a seeded generator
** (uniform digits, long runs of ones and zeros, all-ones arrays, powers of
** two plus or minus one, single-digit edge values) and its result is
** compared with GMP's.  Scratch and output arrays are allocated to exactly
** the size the contract promises, followed by guard digits, so a write
** past the end shows as a failed check here (and under AddressSanitizer
** as an error).  Sizes run up to 5000 digits (2500 in sanitizer builds,
** which also run fewer rounds); with ISP_TEST_CUTOFFS the
** cutoffs are small, so the word schoolbook, Karatsuba, Toom-3, the NTT,
** recursive division and recursive conversion all run on these sizes as
** well.
*/
#include <gmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "digits.h"

#define GUARD 8
#define CANARY 0xdeadbeefu

/* ------------------------------------------------------------ helpers */

static uint64_t rng_state = UINT64_C(0x1234567887654321);

static uint64_t rnd(void) { /* splitmix64 */
  uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static size_t rnd_below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

/* A buffer of n digits followed by GUARD canary digits. */
static dig_t *alloc_digits(size_t n) {
  dig_t *p = malloc((n + GUARD) * sizeof(dig_t));
  size_t i;
  if (!p) abort();
  for (i = 0; i < n + GUARD; i++) p[i] = CANARY;
  return p;
}

static int guard_ok(const dig_t *p, size_t n) {
  size_t i;
  for (i = 0; i < GUARD; i++)
    if (p[n + i] != CANARY) return 0;
  return 1;
}

/* Fill a[0..n) in one of several shapes; the top digit may be zero. */
static void fill(dig_t *a, size_t n, int shape) {
  size_t i;
  switch (shape) {
  case 0: /* uniform */
    for (i = 0; i < n; i++) a[i] = (dig_t)rnd() & DIG_MASK;
    break;
  case 1: /* all ones */
    for (i = 0; i < n; i++) a[i] = DIG_MASK;
    break;
  case 2: { /* long runs of ones and zeros, across digit boundaries */
    uint64_t bit = 0, total = (uint64_t)n * DIG_SHIFT;
    int one = (int)(rnd() & 1);
    memset(a, 0, n * sizeof(dig_t));
    while (bit < total) {
      uint64_t run = 1 + rnd() % (rnd() & 1 ? 8 : 200), j;
      for (j = 0; j < run && bit < total; j++, bit++)
        if (one) a[bit / DIG_SHIFT] |= (dig_t)1 << (bit % DIG_SHIFT);
      one = !one;
    }
    break;
  }
  case 3: /* mostly zero digits with a few random ones */
    for (i = 0; i < n; i++) a[i] = rnd() % 8 == 0 ? (dig_t)rnd() & DIG_MASK : 0;
    break;
  default: /* a power of two, or one less, or one more */
    memset(a, 0, n * sizeof(dig_t));
    if (n > 0) {
      uint64_t bit = rnd() % ((uint64_t)n * DIG_SHIFT);
      int kind = (int)(rnd() % 3);
      a[bit / DIG_SHIFT] = (dig_t)1 << (bit % DIG_SHIFT);
      if (kind == 1) dig_sub_1(a, a, n, 1);
      if (kind == 2) dig_add_1(a, a, n, 1);
    }
    break;
  }
}

/* Random operand of exactly n digits, top digit non-zero when n > 0. */
static void fill_norm(dig_t *a, size_t n, int shape) {
  fill(a, n, shape);
  if (n > 0 && a[n - 1] == 0) a[n - 1] = 1 + (dig_t)rnd_below(DIG_MASK);
}

static int rnd_shape(void) { return (int)rnd_below(5); }

static void to_mpz(mpz_t z, const dig_t *a, size_t n) {
  mpz_import(z, n, -1, sizeof(dig_t), 0, 32 - DIG_SHIFT, a);
}

/* Is a[0..n) equal to z?  (a may carry high zero digits.) */
static int eq_mpz(const dig_t *a, size_t n, const mpz_t z) {
  mpz_t t;
  int same;
  mpz_init(t);
  to_mpz(t, a, n);
  same = mpz_cmp(t, z) == 0;
  mpz_clear(t);
  return same;
}

/* Sizes: mostly small, some around every cutoff, a few up to 5000. */
static size_t rnd_size(size_t max) {
  static const size_t special[] = {
      1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 23, 24, 25, 47, 48, 49,
      DIG_KARATSUBA_MUL - 1, DIG_KARATSUBA_MUL, DIG_KARATSUBA_MUL + 1,
      DIG_KARATSUBA_SQR - 1, DIG_KARATSUBA_SQR, DIG_KARATSUBA_SQR + 1,
      DIG_TOOM3_MUL - 1, DIG_TOOM3_MUL, DIG_TOOM3_MUL + 1, DIG_TOOM3_SQR,
      DIG_TOOM3_SQR + 1,
      DIG_FFT_MUL - 1, DIG_FFT_MUL, DIG_FFT_MUL + 1, DIG_FFT_SQR, DIG_FFT_SQR + 1,
      DIG_DIV_RECURSIVE - 1, DIG_DIV_RECURSIVE, DIG_DIV_RECURSIVE + 1,
      2 * DIG_DIV_RECURSIVE + 1, DIG_CONV_RECURSIVE - 1, DIG_CONV_RECURSIVE,
      DIG_CONV_RECURSIVE + 1, 3 * DIG_CONV_RECURSIVE + 7};
  size_t n;
  switch (rnd_below(8)) {
  case 0: case 1: case 2: n = 1 + rnd_below(40); break;
  case 3: case 4: n = 1 + rnd_below(300); break;
  case 5: n = special[rnd_below(sizeof special / sizeof special[0])]; break;
  case 6: n = 1 + rnd_below(1500); break;
  default: n = 1 + rnd_below(max); break;
  }
  return n > max ? max : n;
}

/* ------------------------------------------------------------ boolean ops */

/*
** dig_bitop_n with every instruction set this processor has, against a
** digit-at-a-time reference, for lengths around the wide loop's steps
** and for every offset of the output and inputs within 32 bytes (the
** wide loop aligns its stores and loads at different steps).
*/
static void test_bitop(void) {
  static const size_t lens[] = {0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 31, 32, 33, 40, 47,
                                48, 63, 64, 65, 100, 129, 1000};
  enum { MAXN = 1000, SLACK = 8 };
  int simds[2], nsimd = 0, si, op;
  size_t li, ro, ao, bo, i;
  dig_t *a = alloc_digits(MAXN + SLACK), *b = alloc_digits(MAXN + SLACK);
  dig_t *r = alloc_digits(MAXN + SLACK);
  simds[nsimd++] = DIG_SIMD_NONE;
  if (dig_simd_detect() != DIG_SIMD_NONE) simds[nsimd++] = dig_simd_detect();
  for (si = 0; si < nsimd; si++)
    for (op = DIG_AND; op <= DIG_ANDNOT; op++)
      for (li = 0; li < sizeof lens / sizeof lens[0]; li++)
        for (ro = 0; ro < SLACK; ro++)
          for (ao = 0; ao < SLACK; ao += 3)
            for (bo = 0; bo < SLACK; bo += 5) {
              size_t n = lens[li];
              int ok = 1;
              fill(a, MAXN + SLACK, rnd_shape());
              fill(b, MAXN + SLACK, rnd_shape());
              for (i = 0; i < MAXN + SLACK; i++) r[i] = CANARY;
              dig_bitop_n((dig_bitop)op, r + ro, a + ao, b + bo, n, simds[si]);
              for (i = 0; i < n && ok; i++) {
                dig_t x = a[ao + i], y = b[bo + i], want;
                switch (op) {
                  case DIG_AND: want = x & y; break;
                  case DIG_OR: want = x | y; break;
                  case DIG_XOR: want = x ^ y; break;
                  default: want = x & ~y & DIG_MASK; break;
                }
                ok = r[ro + i] == want;
              }
              /* nothing written outside r[ro .. ro+n) */
              for (i = 0; i < ro && ok; i++) ok = r[i] == CANARY;
              for (i = ro + n; i < MAXN + SLACK && ok; i++) ok = r[i] == CANARY;
              CHECK(ok);
              if (!ok)
                fprintf(stderr, "  dig_bitop_n op %d simd %d n %zu offsets %zu %zu %zu\n", op,
                        simds[si], n, ro, ao, bo);
            }
  free(a);
  free(b);
  free(r);
}

/* ------------------------------------------------------------ linear ops */

static void test_linear(int rounds) {
  int round;
  mpz_t za, zb, zr;
  mpz_inits(za, zb, zr, NULL);
  for (round = 0; round < rounds; round++) {
    size_t an = rnd_size(600), bn = 1 + rnd_below(an), rn;
    dig_t *a = alloc_digits(an), *b = alloc_digits(bn), *r = alloc_digits(an);
    dig_t c, d = (dig_t)rnd() & DIG_MASK, m;
    unsigned s = (unsigned)rnd_below(DIG_SHIFT);
    fill(a, an, rnd_shape());
    fill(b, bn, rnd_shape());
    to_mpz(za, a, an);
    to_mpz(zb, b, bn);

    c = dig_add(r, a, an, b, bn);
    mpz_add(zr, za, zb);
    mpz_fdiv_r_2exp(zr, zr, an * DIG_SHIFT);
    CHECK(eq_mpz(r, an, zr));
    mpz_add(zr, za, zb);
    mpz_fdiv_q_2exp(zr, zr, an * DIG_SHIFT);
    CHECK_EQ_U(mpz_get_ui(zr), c);

    c = dig_sub(r, a, an, b, bn);
    CHECK_EQ_I(mpz_cmp(za, zb) < 0, c);
    mpz_sub(zr, za, zb);
    mpz_fdiv_r_2exp(zr, zr, an * DIG_SHIFT);
    CHECK(eq_mpz(r, an, zr));

    /* in place */
    memcpy(r, a, an * sizeof(dig_t));
    c = dig_add_1(r, r, an, d);
    mpz_add_ui(zr, za, d);
    CHECK_EQ_U(mpz_sizeinbase(zr, 2) > an * DIG_SHIFT, c);
    mpz_fdiv_r_2exp(zr, zr, an * DIG_SHIFT);
    CHECK(eq_mpz(r, an, zr));
    c = dig_sub_1(r, a, an, d);
    CHECK_EQ_I(mpz_cmp_ui(za, d) < 0, c);
    mpz_sub_ui(zr, za, d);
    mpz_fdiv_r_2exp(zr, zr, an * DIG_SHIFT);
    CHECK(eq_mpz(r, an, zr));

    m = rnd() & 1 ? DIG_MASK : (dig_t)rnd() & DIG_MASK;
    c = dig_mul_1(r, a, an, m, d);
    mpz_mul_ui(zr, za, m);
    mpz_add_ui(zr, zr, d);
    r[an] = c; /* guard digit 0 is ours to use as the top */
    CHECK(eq_mpz(r, an + 1, zr));
    r[an] = CANARY;

    memcpy(r, b, bn * sizeof(dig_t));
    c = dig_addmul_1(r, a, bn, m);
    mpz_fdiv_r_2exp(zr, za, bn * DIG_SHIFT);
    mpz_mul_ui(zr, zr, m);
    mpz_add(zr, zr, zb);
    r[bn] = c;
    CHECK(eq_mpz(r, bn + 1, zr));
    r[bn] = CANARY;

    memcpy(r, b, bn * sizeof(dig_t));
    c = dig_submul_1(r, a, bn, m);
    {
      mpz_t t;
      mpz_init(t);
      mpz_fdiv_r_2exp(t, za, bn * DIG_SHIFT);
      mpz_mul_ui(t, t, m);
      mpz_sub(zr, zb, t); /* b - a m = r - c B^bn */
      mpz_set_ui(t, c);
      mpz_mul_2exp(t, t, bn * DIG_SHIFT);
      mpz_add(zr, zr, t);
      CHECK(eq_mpz(r, bn, zr));
      mpz_clear(t);
    }

    /* shifts, both returns */
    c = dig_lshift(r, a, an, s);
    mpz_mul_2exp(zr, za, s);
    mpz_fdiv_q_2exp(zr, zr, an * DIG_SHIFT);
    CHECK_EQ_U(mpz_get_ui(zr), c);
    mpz_mul_2exp(zr, za, s);
    mpz_fdiv_r_2exp(zr, zr, an * DIG_SHIFT);
    CHECK(eq_mpz(r, an, zr));
    memcpy(r, a, an * sizeof(dig_t));
    c = dig_rshift(r, r, an, s);
    mpz_fdiv_q_2exp(zr, za, s);
    CHECK(eq_mpz(r, an, zr));
    mpz_fdiv_r_2exp(zr, za, s);
    CHECK_EQ_U(mpz_get_ui(zr), c);

    /* divrem_1 */
    d = rnd() & 1 ? 1 + (dig_t)rnd_below(DIG_MASK) : 1 + (dig_t)rnd_below(10);
    if (rnd() % 8 == 0) d = DIG_MASK;
    c = dig_divrem_1(r, a, an, d);
    mpz_tdiv_q_ui(zr, za, d);
    CHECK(eq_mpz(r, an, zr));
    CHECK_EQ_U(mpz_fdiv_ui(za, d), c);

    /* sizes, comparison, bit counts */
    rn = dig_normalized_size(a, an);
    CHECK_EQ_U(mpz_size(za) == 0 ? 0 : (mpz_sizeinbase(za, 2) + DIG_SHIFT - 1) / DIG_SHIFT, rn);
    CHECK_EQ_U(mpz_sgn(za) ? mpz_sizeinbase(za, 2) : 0, dig_bit_length(a, rn));
    CHECK_EQ_U(mpz_popcount(za), dig_popcount(a, an));
    {
      size_t bnn = dig_normalized_size(b, bn);
      int want = mpz_cmp(za, zb), got = dig_cmp(a, rn, b, bnn);
      CHECK_EQ_I(want < 0 ? -1 : want > 0, got);
      memcpy(r, a, an * sizeof(dig_t));
      CHECK_EQ_I(0, dig_cmp_n(a, r, an));
      if (an > 0) {
        size_t k = rnd_below(an);
        r[k] ^= 1;
        CHECK_EQ_I(a[k] & 1 ? -1 : 1, dig_cmp_n(r, a, an));
      }
    }
    CHECK(guard_ok(r, an));
    free(a);
    free(b);
    free(r);
  }
  /* every shift count, apart and in place, on sizes around the vector widths */
  {
    static const size_t sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 100};
    size_t si;
    unsigned s;
    for (si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
      for (s = 0; s < DIG_SHIFT; s++) {
        size_t n = sizes[si];
        dig_t *a = alloc_digits(n), *r = alloc_digits(n), c;
        fill(a, n, rnd_shape());
        to_mpz(za, a, n);
        c = dig_lshift(r, a, n, s);
        mpz_mul_2exp(zr, za, s);
        r[n] = c; /* guard digit 0 is ours to use as the top */
        CHECK(eq_mpz(r, n + 1, zr));
        r[n] = CANARY;
        memcpy(r, a, n * sizeof(dig_t));
        CHECK_EQ_U(c, dig_lshift(r, r, n, s));
        r[n] = c;
        CHECK(eq_mpz(r, n + 1, zr));
        r[n] = CANARY;
        c = dig_rshift(r, a, n, s);
        mpz_fdiv_q_2exp(zr, za, s);
        CHECK(eq_mpz(r, n, zr));
        mpz_fdiv_r_2exp(zb, za, s);
        CHECK_EQ_U(mpz_get_ui(zb), c);
        memcpy(r, a, n * sizeof(dig_t));
        CHECK_EQ_U(c, dig_rshift(r, r, n, s));
        CHECK(eq_mpz(r, n, zr));
        CHECK(guard_ok(r, n) && guard_ok(a, n));
        free(a);
        free(r);
      }
  }
  /* carries and borrows rippling across runs of DIG_MASK and of zeros,
  ** starting at every offset (odd and even: addition goes by pairs) */
  {
    size_t n, p, len;
    for (n = 1; n <= 12; n++)
      for (p = 0; p < n; p++)
        for (len = 0; p + len <= n; len++) {
          dig_t a[12], b[12], r[12], c;
          size_t i, bn = p + 1;
          /* a: random below p, DIG_MASK on [p, p + len), random above */
          for (i = 0; i < n; i++)
            a[i] = i >= p && i < p + len ? DIG_MASK : (dig_t)rnd() & DIG_MASK;
          for (i = 0; i < bn; i++) b[i] = i == p ? 1 : 0;
          to_mpz(za, a, n);
          to_mpz(zb, b, bn);
          mpz_add(zr, za, zb);
          c = mpz_sizeinbase(zr, 2) > n * DIG_SHIFT;
          mpz_fdiv_r_2exp(zr, zr, n * DIG_SHIFT);
          CHECK_EQ_U(c, dig_add(r, a, n, b, bn));
          CHECK(eq_mpz(r, n, zr));
          memcpy(r, a, sizeof a);
          CHECK_EQ_U(c, dig_add(r, r, n, b, bn));
          CHECK(eq_mpz(r, n, zr));
          /* the same run of zeros, borrowed across */
          for (i = p; i < p + len; i++) a[i] = 0;
          to_mpz(za, a, n);
          c = dig_sub(r, a, n, b, bn);
          CHECK_EQ_I(mpz_cmp(za, zb) < 0, c);
          mpz_sub(zr, za, zb);
          mpz_fdiv_r_2exp(zr, zr, n * DIG_SHIFT);
          CHECK(eq_mpz(r, n, zr));
          /* equal lengths with r == b */
          memcpy(r, b, bn * sizeof(dig_t));
          c = dig_sub(r, a, bn, r, bn);
          mpz_fdiv_r_2exp(za, za, bn * DIG_SHIFT);
          CHECK_EQ_I(mpz_cmp(za, zb) < 0, c);
          mpz_sub(zr, za, zb);
          mpz_fdiv_r_2exp(zr, zr, bn * DIG_SHIFT);
          CHECK(eq_mpz(r, bn, zr));
        }
  }
  /* fixed edge values */
  {
    dig_t z[3] = {0, 0, 0}, one[1] = {1}, top[1] = {DIG_MASK}, x[2];
    CHECK_EQ_U(0, dig_normalized_size(z, 3));
    CHECK_EQ_U(0, dig_bit_length(z, 0));
    CHECK_EQ_U(1, dig_bit_length(one, 1));
    CHECK_EQ_U(DIG_SHIFT, dig_bit_length(top, 1));
    CHECK_EQ_U(DIG_SHIFT, dig_popcount(top, 1));
    CHECK_EQ_I(0, dig_cmp(z, 0, z, 0));
    CHECK_EQ_I(-1, dig_cmp(z, 0, one, 1));
    x[0] = DIG_MASK;
    x[1] = DIG_MASK;
    CHECK_EQ_U(1, dig_add_1(x, x, 2, 1));
    CHECK(x[0] == 0 && x[1] == 0);
    CHECK_EQ_U(1, dig_sub_1(x, x, 2, 1));
    CHECK(x[0] == DIG_MASK && x[1] == DIG_MASK);
    /* (B^2 - 1)(B - 1) + (B - 1) = (B - 1) B^2 */
    CHECK_EQ_U(DIG_MASK, dig_mul_1(x, x, 2, DIG_MASK, DIG_MASK));
    CHECK(x[0] == 0 && x[1] == 0);
  }
  mpz_clears(za, zb, zr, NULL);
}

/* ------------------------------------------------------------ products */

static void check_mul(size_t an, size_t bn, int sa, int sb) {
  dig_t *a = alloc_digits(an), *b = alloc_digits(bn), *r = alloc_digits(an + bn);
  dig_t *ac = alloc_digits(an), *bc = alloc_digits(bn);
  size_t itch = dig_mul_itch(an, bn);
  dig_t *s = alloc_digits(itch);
  mpz_t za, zb, zr;
  mpz_inits(za, zb, zr, NULL);
  fill(a, an, sa);
  fill(b, bn, sb);
  memcpy(ac, a, an * sizeof(dig_t));
  memcpy(bc, b, bn * sizeof(dig_t));
  to_mpz(za, a, an);
  to_mpz(zb, b, bn);
  mpz_mul(zr, za, zb);
  dig_mul(r, a, an, b, bn, s);
  if (!eq_mpz(r, an + bn, zr))
    fprintf(stderr, "mul %zu x %zu shapes %d %d\n", an, bn, sa, sb);
  CHECK(eq_mpz(r, an + bn, zr));
  CHECK(guard_ok(r, an + bn) && guard_ok(s, itch));
  CHECK(memcmp(a, ac, an * sizeof(dig_t)) == 0 && memcmp(b, bc, bn * sizeof(dig_t)) == 0);
  free(s);
  free(r);
  r = alloc_digits(2 * an);
  s = alloc_digits(itch = dig_sqr_itch(an));
  mpz_mul(zr, za, za);
  dig_sqr(r, a, an, s);
  if (!eq_mpz(r, 2 * an, zr)) fprintf(stderr, "sqr %zu shape %d\n", an, sa);
  CHECK(eq_mpz(r, 2 * an, zr));
  CHECK(guard_ok(r, 2 * an) && guard_ok(s, itch));
  CHECK(memcmp(a, ac, an * sizeof(dig_t)) == 0);
  mpz_clears(za, zb, zr, NULL);
  free(a);
  free(b);
  free(r);
  free(s);
  free(ac);
  free(bc);
}

static void test_mul(int rounds, size_t max) {
  int round;
  for (round = 0; round < rounds; round++) {
    size_t an = rnd_size(max), bn;
    switch (rnd_below(3)) {
    case 0: bn = an; break;
    case 1: bn = 1 + rnd_below(an); break;
    default: bn = an - rnd_below(an / 4 + 1); break;
    }
    if (bn > an) bn = an;
    if (bn == 0) bn = 1;
    check_mul(an, bn, rnd_shape(), rnd_shape());
  }
  /* all-ones operands make the largest possible transform coefficients */
  check_mul(max, max, 1, 1);
  check_mul(max, max / 3 + 1, 1, 1);
  check_mul(DIG_FFT_MUL, DIG_FFT_MUL, 1, 1);
}

/* ------------------------------------------------------------ division */

/* Divide a[0..an) by b[0..bn) and compare with GMP; frees nothing. */
static void check_divrem_of(const dig_t *a, size_t an, const dig_t *b, size_t bn) {
  dig_t *ac = alloc_digits(an);
  dig_t *q = alloc_digits(an - bn + 1), *r = alloc_digits(bn);
  size_t itch = dig_divrem_itch(an, bn);
  dig_t *s = alloc_digits(itch);
  mpz_t za, zb, zq, zr;
  mpz_inits(za, zb, zq, zr, NULL);
  memcpy(ac, a, an * sizeof(dig_t));
  to_mpz(za, a, an);
  to_mpz(zb, b, bn);
  mpz_tdiv_qr(zq, zr, za, zb);
  dig_divrem(q, r, a, an, b, bn, s);
  if (!eq_mpz(q, an - bn + 1, zq) || !eq_mpz(r, bn, zr))
    fprintf(stderr, "divrem %zu / %zu (constructed)\n", an, bn);
  CHECK(eq_mpz(q, an - bn + 1, zq));
  CHECK(eq_mpz(r, bn, zr));
  CHECK(guard_ok(q, an - bn + 1) && guard_ok(r, bn) && guard_ok(s, itch));
  CHECK(memcmp(a, ac, an * sizeof(dig_t)) == 0);
  mpz_clears(za, zb, zq, zr, NULL);
  free(ac);
  free(q);
  free(r);
  free(s);
}

static void check_divrem(size_t an, size_t bn, int sa, int sb) {
  dig_t *a = alloc_digits(an), *b = alloc_digits(bn), *ac = alloc_digits(an);
  dig_t *q = alloc_digits(an - bn + 1), *r = alloc_digits(bn);
  size_t itch = dig_divrem_itch(an, bn);
  dig_t *s = alloc_digits(itch);
  mpz_t za, zb, zq, zr;
  mpz_inits(za, zb, zq, zr, NULL);
  fill(a, an, sa);
  fill_norm(b, bn, sb);
  if (rnd() % 4 == 0) { /* make a a multiple of b, or a multiple minus one */
    mpz_t t;
    mpz_init(t);
    to_mpz(zb, b, bn);
    to_mpz(za, a, an - bn + 1);
    mpz_mul(t, za, zb);
    if (rnd() & 1 && mpz_sgn(t) > 0) mpz_sub_ui(t, t, 1);
    memset(a, 0, an * sizeof(dig_t));
    mpz_export(a, NULL, -1, sizeof(dig_t), 0, 32 - DIG_SHIFT, t);
    mpz_clear(t);
  }
  memcpy(ac, a, an * sizeof(dig_t));
  to_mpz(za, a, an);
  to_mpz(zb, b, bn);
  mpz_tdiv_qr(zq, zr, za, zb);
  dig_divrem(q, r, a, an, b, bn, s);
  if (!eq_mpz(q, an - bn + 1, zq) || !eq_mpz(r, bn, zr))
    fprintf(stderr, "divrem %zu / %zu shapes %d %d\n", an, bn, sa, sb);
  CHECK(eq_mpz(q, an - bn + 1, zq));
  CHECK(eq_mpz(r, bn, zr));
  CHECK(dig_cmp(r, dig_normalized_size(r, bn), b, bn) < 0);
  CHECK(guard_ok(q, an - bn + 1) && guard_ok(r, bn) && guard_ok(s, itch));
  CHECK(memcmp(a, ac, an * sizeof(dig_t)) == 0);
  mpz_clears(za, zb, zq, zr, NULL);
  free(a);
  free(b);
  free(ac);
  free(q);
  free(r);
  free(s);
}

static void test_divrem(int rounds, size_t max) {
  int round;
  for (round = 0; round < rounds; round++) {
    size_t an = rnd_size(max), bn;
    if (an < 2) an = 2;
    switch (rnd_below(4)) {
    case 0: bn = 2 + rnd_below(an - 1); break;
    case 1: bn = an / 2 + 1; break;
    case 2: bn = an - rnd_below(3); break;
    default: bn = 2 + rnd_below(an / 8 + 1); break;
    }
    if (bn > an) bn = an;
    if (bn < 2) bn = 2;
    check_divrem(an, bn, rnd_shape(), rnd_shape());
  }
  /* divisors with top digit 1 (largest normalization shift) and MASK */
  {
    size_t an = 3 * DIG_DIV_RECURSIVE + 5, bn = DIG_DIV_RECURSIVE + 2;
    check_divrem(an, bn, 1, 4);
    check_divrem(an, bn, 1, 1);
    check_divrem(an, 2, 0, 1);
    check_divrem(2, 2, 1, 1);
  }
}

/*
** Dividends built so that Algorithm D's quotient-digit estimate needs its
** corrections: v with second digit 0 over a tail of all ones makes the
** two-digit estimate of Q v - 1 (and nearby) one too large even after the
** third-digit test, so the multiply-subtract goes negative and the divisor
** is added back; a = v B^k - 1 puts v's top digit on top of the running
** remainder, where the estimate must be capped at B - 1.
*/
static void test_divrem_corrections(void) {
  static const dig_t tops[] = {(dig_t)1 << (DIG_SHIFT - 1), DIG_MASK, 1, 3,
                               ((dig_t)1 << (DIG_SHIFT - 1)) + 1};
  size_t ti, n, k;
  mpz_t zv, za, t;
  mpz_inits(zv, za, t, NULL);
  for (ti = 0; ti < sizeof tops / sizeof tops[0]; ti++)
    for (n = 2; n <= 2 * DIG_DIV_RECURSIVE + 3; n += n < 8 ? 1 : 7)
      for (k = 1; k <= 3 * n + 2; k += k < 4 ? 1 : n) {
        size_t an = n + k, i, form;
        dig_t *v = alloc_digits(n), *a = alloc_digits(an);
        for (i = 0; i < n; i++) v[i] = DIG_MASK;
        v[n - 1] = tops[ti];
        if (n > 2) v[n - 2] = 0;
        to_mpz(zv, v, n);
        for (form = 0; form < 4; form++) {
          mpz_set_ui(t, form < 2 ? 1 : 2);
          mpz_mul_2exp(za, zv, k * DIG_SHIFT); /* v B^k */
          if (form == 0 || form == 2) {
            /* Q v - 1 and Q v - 2, Q = B^k - 1 or a Q of mixed digits */
            mpz_ui_pow_ui(za, 2, k * DIG_SHIFT);
            mpz_sub_ui(za, za, 1);
            if (form == 2) mpz_tdiv_q_ui(za, za, DIG_MASK / 2);
            mpz_mul(za, za, zv);
          }
          mpz_sub(za, za, t);
          memset(a, 0, an * sizeof(dig_t));
          CHECK(mpz_sizeinbase(za, 2) <= an * DIG_SHIFT);
          mpz_export(a, NULL, -1, sizeof(dig_t), 0, 32 - DIG_SHIFT, za);
          check_divrem_of(a, an, v, n);
        }
        free(v);
        free(a);
      }
  mpz_clears(zv, za, t, NULL);
}

/* Divide za by zb (zb > 0) as digit arrays, the dividend given at least
** `pad` digits more than the divisor so that the quotient is long enough
** for the word loop. */
static void check_divrem_mpz(const mpz_t za, const mpz_t zb, size_t pad) {
  size_t bn = (mpz_sizeinbase(zb, 2) + DIG_SHIFT - 1) / DIG_SHIFT;
  size_t an = (mpz_sizeinbase(za, 2) + DIG_SHIFT - 1) / DIG_SHIFT;
  dig_t *a, *b;
  if (an < bn + pad) an = bn + pad;
  a = alloc_digits(an);
  b = alloc_digits(bn);
  memset(a, 0, an * sizeof(dig_t));
  memset(b, 0, bn * sizeof(dig_t));
  mpz_export(a, NULL, -1, sizeof(dig_t), 0, 32 - DIG_SHIFT, za);
  mpz_export(b, NULL, -1, sizeof(dig_t), 0, 32 - DIG_SHIFT, zb);
  check_divrem_of(a, an, b, bn);
  free(a);
  free(b);
}

/* A random number of `bits` bits (at most), from the test's generator. */
static void rnd_mpz(mpz_t z, size_t bits) {
  size_t i;
  mpz_set_ui(z, 0);
  for (i = 0; i < bits; i += 32) {
    mpz_mul_2exp(z, z, 32);
    mpz_add_ui(z, z, (unsigned long)(rnd() & 0xffffffffu));
  }
  mpz_fdiv_r_2exp(z, z, bits);
}

/*
** The word loop's corner cases, built on 64-bit words: the divisor has
** 64 vn - s bits, so the loop's normalizing shift is s.
**  - T 2^L + tail over q T 2^L (T the divisor's top two words, L its
**    other words' bits): the three-word estimate is exactly q, but the
**    tail makes the true quotient word q - 1, so the multiply-subtract
**    goes negative and the divisor is added back;
**  - divisors 2^(64 vn - 1) (+ a little) and all-ones words;
**  - v 2^64j - 1 and v (2^64j - 1), whose running remainder has the
**    divisor's own top two words on top (the estimate would reach 2^64);
**  - v q + (v - 1), the largest remainder.
*/
static void test_divrem_words(void) {
  static const unsigned shifts[] = {0, 1, 17, 63};
  size_t vn, si, m;
  mpz_t zv, za, t, T, q;
  mpz_inits(zv, za, t, T, q, NULL);
  for (vn = 2; vn <= 24; vn += vn < 8 ? 1 : 5)
    for (si = 0; si < sizeof shifts / sizeof shifts[0]; si++)
      for (m = 0; m <= 9; m += m < 2 ? 1 : 3) {
        unsigned s = shifts[si];
        size_t L = 64 * (vn - 2), bits = 64 * vn - s;
        int j;
        /* add-back: v = (T 2^L + tail) >> s, a = q T 2^(L + 64 m) >> s */
        if (L + 64 * m >= 64) {
          for (j = 0; j < 3; j++) {
            rnd_mpz(T, 127);
            mpz_setbit(T, 127);
            mpz_mul_2exp(zv, T, L);
            if (L > 0) {
              if (j == 0) { /* tail all ones */
                mpz_ui_pow_ui(t, 2, L);
                mpz_sub_ui(t, t, 1);
              } else {
                rnd_mpz(t, L);
                mpz_setbit(t, L - 1);
              }
              mpz_add(zv, zv, t);
            }
            mpz_tdiv_q_2exp(zv, zv, s);
            if (mpz_sgn(zv) == 0) continue;
            rnd_mpz(q, 64);
            if (j == 2) mpz_set_ui(q, 1);
            if (mpz_sgn(q) == 0) mpz_set_ui(q, 3);
            mpz_mul(za, q, T);
            mpz_mul_2exp(za, za, L + 64 * m - s);
            check_divrem_mpz(za, zv, 1);
            check_divrem_mpz(za, zv, 12);
          }
        }
        /* top word 0x8000...: the divisor alone, plus one, plus a tail */
        for (j = 0; j < 3; j++) {
          mpz_set_ui(zv, 0);
          mpz_setbit(zv, bits - 1);
          if (j == 1) mpz_add_ui(zv, zv, 1);
          if (j == 2) {
            rnd_mpz(t, bits - 64);
            mpz_add(zv, zv, t);
          }
          mpz_ui_pow_ui(za, 2, bits + 64 * m + 64);
          mpz_sub_ui(za, za, 1); /* all ones */
          check_divrem_mpz(za, zv, 12);
          rnd_mpz(za, bits + 64 * m + 64);
          check_divrem_mpz(za, zv, 12);
        }
        /* all-ones divisor words, all-ones dividend */
        mpz_ui_pow_ui(zv, 2, bits);
        mpz_sub_ui(zv, zv, 1);
        mpz_ui_pow_ui(za, 2, bits + 64 * m + 1);
        mpz_sub_ui(za, za, 1);
        check_divrem_mpz(za, zv, 12);
        /* the running remainder's top two words equal the divisor's */
        for (j = 0; j < 2; j++) {
          rnd_mpz(zv, bits);
          mpz_setbit(zv, bits - 1);
          if (j == 1) mpz_setbit(zv, 0);
          mpz_mul_2exp(za, zv, 64 * (m + 1));
          mpz_sub_ui(za, za, 1);
          check_divrem_mpz(za, zv, 12);
          mpz_ui_pow_ui(t, 2, 64 * (m + 1));
          mpz_sub_ui(t, t, 1);
          mpz_mul(za, zv, t);
          check_divrem_mpz(za, zv, 12);
          /* the largest remainder: v q + v - 1 */
          rnd_mpz(q, 64 * (m + 1));
          if (j == 1) mpz_set(q, t);
          mpz_mul(za, zv, q);
          mpz_add(za, za, zv);
          mpz_sub_ui(za, za, 1);
          check_divrem_mpz(za, zv, 12);
        }
      }
  mpz_clears(zv, za, t, T, q, NULL);
}

/* ------------------------------------------------------------ conversion */

static void check_to_base(const dig_t *a, size_t n, int base) {
  size_t size = dig_to_base_size(n, base), itch = dig_to_base_itch(n, base);
  char *out = malloc(size + GUARD), *want;
  dig_t *s = alloc_digits(itch), *ac = alloc_digits(n);
  size_t len;
  mpz_t z;
  if (!out) abort();
  memset(out, '#', size + GUARD);
  memcpy(ac, a, n * sizeof(dig_t));
  mpz_init(z);
  to_mpz(z, a, n);
  want = mpz_get_str(NULL, base, z);
  len = dig_to_base(out, a, n, base, s);
  if (strcmp(want, out) != 0) fprintf(stderr, "to_base %zu digits base %d\n", n, base);
  CHECK_EQ_S(want, out);
  CHECK_EQ_U(strlen(want), len);
  CHECK(out[size] == '#' && guard_ok(s, itch));
  CHECK(memcmp(a, ac, n * sizeof(dig_t)) == 0);
  free(want);
  free(out);
  free(s);
  free(ac);
  mpz_clear(z);
}

/* vals: len values below base, maybe leading zeros */
static void check_from_base(const unsigned char *vals, size_t len, int base) {
  size_t size = dig_from_base_size(len, base), itch = dig_from_base_itch(len, base);
  dig_t *r = alloc_digits(size), *s = alloc_digits(itch);
  char *str = malloc(len + 2);
  size_t i, rn;
  mpz_t z;
  if (!str) abort();
  for (i = 0; i < len; i++) str[i] = "0123456789abcdefghijklmnopqrstuvwxyz"[vals[i]];
  str[len] = '\0';
  mpz_init(z);
  if (len) mpz_set_str(z, str, base);
  rn = dig_from_base(r, vals, len, base, s);
  if (!eq_mpz(r, rn, z)) fprintf(stderr, "from_base %zu chars base %d\n", len, base);
  CHECK(eq_mpz(r, rn, z));
  CHECK(rn == 0 || r[rn - 1] != 0);
  CHECK(rn <= size && guard_ok(r, size) && guard_ok(s, itch));
  /* round trip */
  if (rn > 0) {
    size_t tsize = dig_to_base_size(rn, base), titch = dig_to_base_itch(rn, base);
    char *out = malloc(tsize);
    dig_t *ts = alloc_digits(titch);
    const char *p = str;
    if (!out) abort();
    while (*p == '0') p++;
    dig_to_base(out, r, rn, base, ts);
    CHECK_EQ_S(p, out);
    free(out);
    free(ts);
  }
  free(r);
  free(s);
  free(str);
  mpz_clear(z);
}

static void test_conv(int rounds, size_t max) {
  static const int bases[] = {2, 8, 10, 16, 36, 3, 7, 10, 10, 32, 4, 5, 12};
  int round, base;
  /* every base on small and medium numbers */
  for (base = 2; base <= 36; base++) {
    int i;
    for (i = 0; i < 6; i++) {
      size_t n = i < 3 ? 1 + rnd_below(5) : rnd_size(400);
      dig_t *a = alloc_digits(n);
      fill_norm(a, n, rnd_shape());
      check_to_base(a, n, base);
      free(a);
    }
  }
  for (round = 0; round < rounds; round++) {
    int b = bases[rnd_below(sizeof bases / sizeof bases[0])];
    size_t n = rnd_size(max), len, i;
    dig_t *a = alloc_digits(n);
    unsigned char *vals;
    fill_norm(a, n, rnd_shape());
    check_to_base(a, n, b);
    free(a);
    len = rnd_size(max * 9);
    vals = malloc(len + 1);
    if (!vals) abort();
    {
      int shape = (int)rnd_below(4);
      for (i = 0; i < len; i++) {
        switch (shape) {
        case 0: vals[i] = (unsigned char)rnd_below((size_t)b); break;
        case 1: vals[i] = (unsigned char)(b - 1); break;
        case 2: vals[i] = i < len / 3 ? 0 : (unsigned char)rnd_below((size_t)b); break;
        default: vals[i] = rnd() % 16 ? 0 : (unsigned char)rnd_below((size_t)b); break;
        }
      }
    }
    check_from_base(vals, len, b);
    free(vals);
  }
  /* base^z - 1, base^z, base^z + 1: every split of the writer sees a
  ** remainder of all zeros or all top values, where a quotient estimate
  ** that is one off shows */
  for (round = 0; round < rounds / 4 + 4; round++) {
    static const int pbases[] = {10, 3, 36, 7};
    int b = pbases[round % 4];
    size_t z = 1 + rnd_size(max * 9), rn, i, size, itch;
    unsigned char *vals = calloc(z + 1, 1);
    dig_t *r, *s;
    if (!vals) abort();
    vals[0] = 1;
    size = dig_from_base_size(z + 1, b);
    itch = dig_from_base_itch(z + 1, b);
    r = alloc_digits(size + 1);
    s = alloc_digits(itch);
    rn = dig_from_base(r, vals, z + 1, b, s);
    for (i = 0; i < 3; i++) {
      dig_t *c = alloc_digits(rn + 1);
      size_t cn = rn;
      memcpy(c, r, rn * sizeof(dig_t));
      if (i == 0) dig_sub_1(c, c, cn, 1);
      if (i == 2) {
        c[cn] = dig_add_1(c, c, cn, 1);
        cn++;
      }
      cn = dig_normalized_size(c, cn);
      check_to_base(c, cn, b);
      free(c);
    }
    free(vals);
    free(r);
    free(s);
  }
  /* single values and the smallest strings */
  {
    dig_t one[1] = {1}, top[1] = {DIG_MASK};
    unsigned char zero[3] = {0, 0, 0}, v[2] = {1, 0};
    char out[64];
    dig_t r[4], s[4];
    check_to_base(one, 1, 10);
    check_to_base(top, 1, 2);
    check_to_base(top, 1, 36);
    CHECK_EQ_U(0, dig_from_base(r, zero, 3, 10, s));
    CHECK_EQ_U(0, dig_from_base(r, zero, 0, 10, s));
    CHECK_EQ_U(0, dig_from_base(r, zero, 2, 16, s));
    CHECK_EQ_U(1, dig_from_base(r, v, 2, 36, s));
    CHECK_EQ_U(36, r[0]);
    CHECK_EQ_U(2, dig_to_base(out, r, 1, 36, s));
    CHECK_EQ_S("10", out);
  }
}

/* An optional argument replaces the seed, to explore beyond the fixed run. */
int main(int argc, char **argv) {
#if defined(ISP_DEBUG) || defined(__SANITIZE_ADDRESS__)
  /* sanitizer builds run slower: fewer and smaller big cases */
  const int scale = 4;
  const size_t max = 2500;
#else
  const int scale = 8;
  const size_t max = 5000;
#endif
  if (argc > 1) rng_state = strtoull(argv[1], NULL, 0);
  test_bitop();
  test_linear(300 * scale);
  test_mul(150 * scale, max);
  test_divrem(150 * scale, max);
  test_divrem_corrections();
  test_divrem_words();
  test_conv(60 * scale, max);
  return CHECK_DONE();
}
