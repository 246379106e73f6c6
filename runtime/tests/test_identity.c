/*
** test_identity.c -- which results are an operand object, on random
** operands, against a model of CPython's rules written with GMP.
**
** The vectors of specs/vectors/identity.lua (measured on the real
** interpreters) pin the rules on a few hundred operands; here the same
** rules, restated on GMP values, run over thousands of random ones of
** 0..40 digits, most built so that the rules' edges are hit: equal digit
** counts with close top digits, exact multiples (gcd's Euclidean step),
** zero, one-digit pairs.  Checked:
**   - % and divmod: the remainder is the dividend exactly when CPython's
**     long_divrem returns it (3.x: not for two single-digit operands;
**     2.7: only a long dividend); the quotient is never an operand;
**   - gcd (3.x): the operand _PyLong_GCD returns, else a new object;
**   - >> 0 and << 0: 3.x keeps a negative x of two or more digits on >>,
**     2.7 keeps an int on both;
**   - + - * // & | ^ ~ and pow(x, 1) never return an operand (beyond
**     the cached small ints);
**   - every result's value against GMP.
** Also: the error of x << n for counts past 2**63 (3.11-3.13: MemoryError
** up to MAX_LONG_DIGITS digits, OverflowError beyond; 3.14: OverflowError)
** and 2.7's pow(a, b, m) on
** ints, a long exactly when int_pow's C long loop overflows.
*/
#include <stdio.h>   /* before gmp.h, for gmp_fprintf */
#include <stdlib.h>

#include <gmp.h>

#include "check.h"
#include "check_gmp.h"
#include "intspect.h"

static uint64_t rng_state = 0x243F6A8885A308D3u;
static uint64_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* 30-bit digits of |z| (0 for zero), and the one at index i. */
static size_t ndig(const mpz_t z) {
  return mpz_sgn(z) == 0 ? 0 : (mpz_sizeinbase(z, 2) + 29) / 30;
}
static unsigned long dig(const mpz_t z, size_t i) {
  mpz_t t;
  unsigned long d;
  mpz_init(t);
  mpz_abs(t, z);
  mpz_fdiv_q_2exp(t, t, 30 * i);
  d = mpz_get_ui(t) & 0x3FFFFFFFu;
  mpz_clear(t);
  return d;
}

static void random_operand(mpz_t z) {
  size_t digits = rnd() % 5 == 0 ? rnd() % 3 : rnd() % 41, i;
  mpz_set_ui(z, 0);
  for (i = 0; i < digits; i++) {
    mpz_mul_2exp(z, z, 30);
    mpz_add_ui(z, z, (unsigned long)(rnd() & 0x3FFFFFFFu));
  }
  if (rnd() & 1) mpz_neg(z, z);
}

/* b from a: close to it, a multiple or divisor of it, or unrelated. */
static void related(mpz_t b, const mpz_t a) {
  switch (rnd() % 6) {
    case 0: mpz_set(b, a); mpz_add_ui(b, b, rnd() % 3); break;
    case 1: mpz_mul_ui(b, a, 1 + rnd() % 5); break;
    case 2: mpz_mul_ui(b, a, rnd() | 1); break;
    case 3: if (mpz_sgn(a) != 0) mpz_tdiv_q_ui(b, a, 1 + rnd() % 7); else mpz_set_ui(b, 9); break;
    case 4: mpz_set_ui(b, 0); break;
    default: random_operand(b); break;
  }
  if (rnd() % 3 == 0) mpz_neg(b, b);
}

typedef struct prof {
  const char *name;
  int is27;
} prof;

/* long_divrem's early return and l_divmod's sign rule. */
static int model_rem_is_a(const prof *P, const mpz_t a, const mpz_t b, int a_long) {
  size_t an = ndig(a), bn = ndig(b);
  if (mpz_sgn(a) != 0 && mpz_sgn(a) != mpz_sgn(b)) return 0;
  if (P->is27 && !a_long) return 0;
  if (!P->is27 && an == 1 && bn == 1) return 0;
  return an < bn || (an == bn && dig(a, an - 1) < dig(b, bn - 1));
}

/* _PyLong_GCD: 0 none, 1 a, 2 b. */
static int model_gcd(const mpz_t a, const mpz_t b) {
  size_t an = ndig(a), bn = ndig(b), n;
  int swap, r = 0;
  mpz_t x, y, q, t, big, small;
  if (an <= 2 && bn <= 2) return 0;
  swap = mpz_cmpabs(a, b) < 0;
  mpz_inits(x, y, q, t, big, small, NULL);
  mpz_abs(big, swap ? b : a);
  mpz_abs(small, swap ? a : b);
  n = ndig(big);
  if (mpz_sgn(small) == 0) {
    r = mpz_sgn(swap ? b : a) > 0 ? (swap ? 2 : 1) : 0;
    goto done;
  }
  if (ndig(small) <= 2 || mpz_sgn(swap ? a : b) < 0) goto done;
  {
    /* the top 60 bits of big below its leading one, and small's aligned */
    size_t nbits = mpz_sizeinbase(big, 2) - 30 * (n - 1), shift = 30 * (n - 3) + nbits;
    mpz_fdiv_q_2exp(x, big, shift);
    mpz_fdiv_q_2exp(y, small, shift);
  }
  if (mpz_sgn(y) != 0) {
    mpz_fdiv_q(q, x, y);
    mpz_submul(x, q, y);            /* x - q*y */
    if (mpz_cmp(q, x) <= 0) goto done;
  }
  mpz_fdiv_r(t, big, small);
  if (mpz_sgn(t) == 0) r = swap ? 1 : 2;
done:
  mpz_clears(x, y, q, t, big, small, NULL);
  return r;
}

static unsigned long nchecks;

static void check_pair(isp_runtime *R, const prof *P, const mpz_t x, const mpz_t y, int longs) {
  isp_int *a = check_from_mpz(R, x), *b = check_from_mpz(R, y), *q = NULL, *r = NULL, *v;
  isp_int *la = NULL, *lb = NULL;
  mpz_t z, w;
  int a_long = 0;
  mpz_inits(z, w, NULL);
  if (P->is27 && longs) {
    /* longs of the same values: what % may hand back under 2.7 */
    la = isp_to_long(R, a);
    lb = isp_to_long(R, b);
    isp_decref(R, a);
    isp_decref(R, b);
    a = la;
    b = lb;
  }
  a_long = P->is27 && strcmp(isp_type_name(R, a), "long") == 0;
  nchecks++;
  if (mpz_sgn(y) != 0) {
    /* a cached dividend may be the remainder's cached object anyway */
    int b_long = P->is27 && strcmp(isp_type_name(R, b), "long") == 0;
    int cached = !a_long && !b_long && mpz_cmp_si(x, -5) >= 0 && mpz_cmp_si(x, 256) <= 0;
    int want;
    mpz_fdiv_qr(z, w, x, y);
    want = model_rem_is_a(P, x, y, a_long) || (cached && mpz_cmp(x, w) == 0);
    CHECK(isp_divmod(R, a, b, &q, &r) == 0);
    CHECK(check_same_mpz(R, q, z) && check_same_mpz(R, r, w));
    if ((r == a) != want)
      gmp_fprintf(stderr, "  %s: divmod(%Zd, %Zd): remainder is a: %d, want %d\n", P->name,
                  x, y, r == a, want);
    CHECK((r == a) == want);
    CHECK(q != b && (q != a || mpz_cmpabs_ui(x, 256) <= 0));
    isp_decref(R, q);
    isp_decref(R, r);
    r = isp_mod(R, a, b);
    CHECK(check_same_mpz(R, r, w) && (r == a) == want);
    isp_decref(R, r);
    v = isp_floordiv(R, a, b);
    CHECK(check_same_mpz(R, v, z));
    CHECK(v != a || mpz_cmpabs_ui(x, 256) <= 0);
    isp_decref(R, v);
  }
  if (!P->is27) {
    int want = model_gcd(x, y);
    isp_int *g = isp_gcd(R, a, b);
    mpz_gcd(z, x, y);
    CHECK(check_same_mpz(R, g, z));
    if ((g == a && mpz_cmpabs_ui(z, 256) > 0 ? 1 : g == b && mpz_cmpabs_ui(z, 256) > 0 ? 2 : 0) !=
        (mpz_cmpabs_ui(z, 256) > 0 ? want : 0)) {
      CHECK(0);
      gmp_fprintf(stderr, "  %s: gcd(%Zd, %Zd): got %s, want %d\n", P->name, x, y,
                  g == a ? "a" : g == b ? "b" : "new", want);
    }
    isp_decref(R, g);
  }
  /* operations that always make a new object (or hand out a cached one) */
  {
    isp_int *res[7];
    int i;
    res[0] = isp_add(R, a, b);
    res[1] = isp_sub(R, a, b);
    res[2] = isp_mul(R, a, b);
    res[3] = isp_and(R, a, b);
    res[4] = isp_or(R, a, b);
    res[5] = isp_xor(R, a, b);
    res[6] = isp_invert(R, a);
    for (i = 0; i < 7; i++) {
      CHECK(res[i] != NULL);
      if (res[i] != NULL && (res[i] == a || res[i] == b)) {
        mpz_t t;
        mpz_init(t);
        mpz_set(t, res[i] == a ? x : y);
        CHECK(mpz_cmp_si(t, -5) >= 0 && mpz_cmp_si(t, 256) <= 0);
        mpz_clear(t);
      }
      isp_decref(R, res[i]);
    }
  }
  /* shifts by 0 */
  {
    isp_int *zero = isp_from_i64(R, 0), *s;
    int keep_r = P->is27 ? !a_long : (mpz_sgn(x) < 0 && ndig(x) >= 2);
    int keep_l = P->is27 && !a_long;
    int cached = mpz_cmp_si(x, -5) >= 0 && mpz_cmp_si(x, 256) <= 0 && !a_long;
    s = isp_rshift(R, a, zero);
    CHECK(check_same_mpz(R, s, x) && ((s == a) == keep_r || cached));
    isp_decref(R, s);
    s = isp_lshift(R, a, zero);
    CHECK(check_same_mpz(R, s, x) && ((s == a) == keep_l || cached));
    isp_decref(R, s);
    isp_decref(R, zero);
  }
  isp_decref(R, a);
  isp_decref(R, b);
  mpz_clears(z, w, NULL);
}

/* 3.x: x << n for n at and past 2**63, at MAX_LONG_DIGITS; 3.14
** (at_once): OverflowError for every such n (long_lshift_method). */
static void check_huge_shifts(isp_runtime *R, int at_once) {
  static const unsigned xbits[] = { 1, 31, 101 };
  const unsigned long long W = 9223372036854775807ull, MAXD = (W - 24) / 4;
  size_t i, j;
  mpz_t n, v;
  mpz_inits(n, v, NULL);
  for (i = 0; i < 3; i++) {
    unsigned long long oldsize = (xbits[i] + 29) / 30;
    isp_int *x;
    mpz_set_ui(v, 0);
    mpz_setbit(v, xbits[i] - 1);
    x = check_from_mpz(R, v);
    for (j = 0; j < 12; j++) {
      /* counts around the word shift that makes oldsize + ws (+1) = MAXD */
      unsigned long long ws = MAXD - oldsize - 1 + j / 4, rem = (j % 4 == 0) ? 0 : 29 - j % 4;
      int overflow;
      isp_int *c, *r;
      mpz_set_ui(n, ws);
      mpz_mul_ui(n, n, 30);
      mpz_add_ui(n, n, rem);
      overflow = at_once || oldsize + ws + (rem != 0) > MAXD;
      c = check_from_mpz(R, n);
      r = isp_lshift(R, x, c);
      CHECK(r == NULL);
      CHECK_EQ_I(overflow ? ISP_OVERFLOW_ERROR : ISP_MEMORY_ERROR, isp_error_type(R));
      isp_error_clear(R);
      isp_decref(R, c);
    }
    /* a count whose word shift passes PY_SSIZE_T_MAX / 4 is clipped there */
    mpz_ui_pow_ui(n, 2, 70);
    {
      isp_int *c = check_from_mpz(R, n);
      CHECK(isp_lshift(R, x, c) == NULL);
      CHECK_EQ_I(ISP_OVERFLOW_ERROR, isp_error_type(R));
      isp_error_clear(R);
      isp_decref(R, c);
    }
    mpz_ui_pow_ui(n, 2, 63);   /* fits 64 bits, not a C long: MemoryError before 3.14 */
    {
      isp_int *c = check_from_mpz(R, n);
      CHECK(isp_lshift(R, x, c) == NULL);
      CHECK_EQ_I(at_once ? ISP_OVERFLOW_ERROR : ISP_MEMORY_ERROR, isp_error_type(R));
      isp_error_clear(R);
      isp_decref(R, c);
    }
    isp_decref(R, x);
  }
  mpz_clears(n, v, NULL);
}

/* 2.7 int_pow with a modulus: a long exactly when a product overflows. */
static void check_pow27(isp_runtime *R) {
  size_t i;
  for (i = 0; i < 3000; i++) {
    int64_t iv = (int64_t)rnd() >> (rnd() % 64), iw = (int64_t)(rnd() % 40);
    int64_t iz = (int64_t)rnd() >> (rnd() % 64), ix = 1, temp = iv;
    int overflow = 0;
    isp_int *a, *b, *m, *r = NULL;
    double f;
    mpz_t t, p, zz;
    if (iz == 0) iz = 7;
    mpz_inits(t, p, zz, NULL);
    /* int_pow's loop, with overflow found by GMP */
    {
      int64_t w = iw;
      while (w > 0 && !overflow) {
        if (w & 1) {
          mpz_set_si(t, ix);
          mpz_mul_si(t, t, temp);
          if (!mpz_fits_slong_p(t)) { overflow = 1; break; }
          ix = mpz_get_si(t);
          if (temp == 0) break;
        }
        w >>= 1;
        if (w == 0) break;
        mpz_set_si(t, temp);
        mpz_mul_si(t, t, temp);
        if (!mpz_fits_slong_p(t)) { overflow = 1; break; }
        temp = mpz_get_si(t);
        /* C's truncating %, as int_pow reduces both after a squaring */
        ix = iz == -1 ? 0 : ix % iz;
        temp = iz == -1 ? 0 : temp % iz;
      }
    }
    a = isp_from_i64(R, iv);
    b = isp_from_i64(R, iw);
    m = isp_from_i64(R, iz);
    CHECK(isp_pow(R, a, b, m, &r, &f) == 0);
    mpz_set_si(p, iv);
    mpz_set_si(zz, iz);
    mpz_abs(t, zz);
    mpz_powm_ui(p, p, (unsigned long)iw, t);
    if (iz < 0 && mpz_sgn(p) != 0) mpz_sub(p, p, t);
    CHECK(check_same_mpz(R, r, p));
    if (r != NULL) {
      const char *want = overflow ? "long" : "int";
      if (strcmp(want, isp_type_name(R, r)) != 0) {
        CHECK(0);
        fprintf(stderr, "  pow(%lld, %lld, %lld): %s, want %s\n", (long long)iv,
                (long long)iw, (long long)iz, isp_type_name(R, r), want);
      }
      isp_decref(R, r);
    }
    isp_decref(R, a);
    isp_decref(R, b);
    isp_decref(R, m);
    mpz_clears(t, p, zz, NULL);
  }
}

int main(void) {
  static const prof profiles[] = {
    { "cpython3.14", 0 }, { "cpython3.11", 0 }, { "cpython2.7", 1 }
  };
  size_t p, i;
  for (p = 0; p < sizeof profiles / sizeof profiles[0]; p++) {
    isp_options o;
    char msg[128];
    isp_runtime *R;
    mpz_t x, y;
    isp_options_init(&o);
    o.profile = profiles[p].name;
    R = isp_runtime_new(&o, msg, sizeof msg);
    CHECK(R != NULL);
    if (!R) continue;
    mpz_inits(x, y, NULL);
    for (i = 0; i < 4000; i++) {
      random_operand(x);
      related(y, x);
      if (rnd() & 1) check_pair(R, &profiles[p], x, y, (int)(rnd() & 1));
      else check_pair(R, &profiles[p], y, x, (int)(rnd() & 1));
    }
    if (!profiles[p].is27) check_huge_shifts(R, strcmp(profiles[p].name, "cpython3.14") == 0);
    else check_pow27(R);
    mpz_clears(x, y, NULL);
    CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
  }
  printf("%lu operand pairs checked\n", nchecks);
  return CHECK_DONE();
}
