/*
** test_ops.c -- the arithmetic and conversions of intspect.h against GMP.
**
** Random operands of 0..5000 digits (most of them small, so that the fast
** paths and the digit-layer cutoffs both get traffic) mixed with edge
** values (0, +-1, digit and word boundaries, powers of two +-1) go through
** every operation under several profiles; each result is compared with
** GMP's.  Floats are checked for correct rounding exactly: no neighbouring
** double is closer to the true quotient, and a tie lands on an even
** mantissa.  Under cpython2.7 the int/long type of results is checked.
** Finally each operation runs with the allocator failing at every point
** in turn: it must report MemoryError and leak nothing.
*/
#include <float.h>
#include <math.h>
#include <stdio.h>   /* before gmp.h, for gmp_fprintf */
#include <stdlib.h>

#include <gmp.h>

#include "check.h"
#include "check_gmp.h"
#include "intspect.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static char sbuf[200000];

/* A random operand: size class, then random or structured bits. */
static void random_mpz(mpz_t z) {
  uint64_t r = rnd() % 100;
  size_t digits;
  if (r < 60) digits = rnd() % 4;
  else if (r < 85) digits = 4 + rnd() % 60;
  else if (r < 97) digits = 64 + rnd() % 600;
  else digits = rnd() % 5001;
  mpz_set_ui(z, 0);
  switch (rnd() % 6) {
    case 0: {  /* a power of two, +-1 */
      mpz_setbit(z, digits * 30 + rnd() % 30);
      if (rnd() & 1) mpz_sub_ui(z, z, 1);
      else if (rnd() & 1) mpz_add_ui(z, z, 1);
      break;
    }
    case 1: {  /* long runs of ones and zeros */
      size_t i, bits = digits * 30 + rnd() % 30;
      for (i = 0; i < bits; i++)
        if ((i / (1 + rnd() % 64)) & 1) mpz_setbit(z, i);
      break;
    }
    default: {
      size_t i;
      for (i = 0; i < digits * 30 / 64 + 1; i++) {
        mpz_mul_2exp(z, z, 64);
        mpz_add_ui(z, z, (unsigned long)rnd());
      }
      if (digits < 3) mpz_fdiv_r_2exp(z, z, (mp_bitcnt_t)(digits * 30 + rnd() % 31));
    }
  }
  if (rnd() & 1) mpz_neg(z, z);
}

static const char *const edges[] = {
  "0", "1", "-1", "2", "-2", "3fffffff", "40000000", "-40000000", "3fffffffffffffff",
  "1000000000000000", "7fffffffffffffff", "-8000000000000000", "8000000000000000",
  "-8000000000000001", "ffffffffffffffff", "10000000000000000", "-10000000000000000",
  "fffffffffffffffffffffff", "1000000000000000000000000", "-ffffffffffffffffffffffff",
  "ffffffffffffffffffffffffffffff", "-1000000000000000000000000000000"   /* 4 digits full, 5 */
};
#define NEDGES (sizeof(edges) / sizeof(edges[0]))

/* Exact |a*2^s - c*b*2^s| for c = M*2^E, in err. */
static void round_err(mpz_t err, const mpz_t a, const mpz_t b, double c, long s) {
  int e;
  double m = frexp(c, &e);
  mpz_t M, t;
  mpz_init(M);
  mpz_init(t);
  mpz_set_d(M, ldexp(m, 53));   /* exact */
  e -= 53;
  mpz_mul(t, M, b);
  if (e + s >= 0) mpz_mul_2exp(t, t, (mp_bitcnt_t)(e + s));
  else mpz_fdiv_q_2exp(t, t, (mp_bitcnt_t)(-(e + s)));   /* not reached: s is large */
  mpz_mul_2exp(err, a, (mp_bitcnt_t)s);
  mpz_sub(err, err, t);
  mpz_abs(err, err);
  mpz_clear(M);
  mpz_clear(t);
}

/* d is a/b correctly rounded (half-even), b > 0. */
static int correctly_rounded(const mpz_t a, const mpz_t b, double d) {
  double up = nextafter(d, INFINITY), down = nextafter(d, -INFINITY);
  mpz_t e0, e1, e2;
  long s = 1200;
  int ok = 1, c1, c2;
  if (!isfinite(d)) return 0;
  mpz_inits(e0, e1, e2, NULL);
  round_err(e0, a, b, d, s);
  if (isfinite(up)) {
    round_err(e1, a, b, up, s);
    c1 = mpz_cmp(e0, e1);
    if (c1 > 0) ok = 0;
    if (c1 == 0 && ((int64_t)ldexp(frexp(d, &(int){0}), 53) & 1)) ok = 0;
  }
  if (isfinite(down)) {
    round_err(e2, a, b, down, s);
    c2 = mpz_cmp(e0, e2);
    if (c2 > 0) ok = 0;
    if (c2 == 0 && ((int64_t)ldexp(frexp(d, &(int){0}), 53) & 1)) ok = 0;
  }
  mpz_clears(e0, e1, e2, NULL);
  return ok;
}

static unsigned long nops;
/* The profile under test hashes modulo 2**61-1 (3.x). */
static int modulus61;

static void check_pair(isp_runtime *R, const mpz_t x, const mpz_t y) {
  isp_int *a = check_from_mpz(R, x), *b = check_from_mpz(R, y), *r, *q;
  mpz_t z, w;
  mpz_inits(z, w, NULL);

#define EXPECT(res, cond)                                                     \
  do {                                                                        \
    int ok_ = (res) != NULL && (cond);                                        \
    CHECK(ok_);                                                               \
    if (!ok_) {                                                               \
      gmp_fprintf(stderr, "  line %d: a=%Zx b=%Zx err=%s\n", __LINE__, x, y,  \
                  isp_error_message(R));                                      \
      isp_error_clear(R);                                                     \
    }                                                                         \
    if (res) isp_decref(R, res);                                              \
    nops++;                                                                   \
  } while (0)

  mpz_add(z, x, y); r = isp_add(R, a, b); EXPECT(r, check_same_mpz(R, r, z));
  mpz_sub(z, x, y); r = isp_sub(R, a, b); EXPECT(r, check_same_mpz(R, r, z));
  mpz_mul(z, x, y); r = isp_mul(R, a, b); EXPECT(r, check_same_mpz(R, r, z));
  mpz_mul(z, x, x); r = isp_mul(R, a, a); EXPECT(r, check_same_mpz(R, r, z));
  mpz_and(z, x, y); r = isp_and(R, a, b); EXPECT(r, check_same_mpz(R, r, z));
  mpz_ior(z, x, y); r = isp_or(R, a, b); EXPECT(r, check_same_mpz(R, r, z));
  mpz_xor(z, x, y); r = isp_xor(R, a, b); EXPECT(r, check_same_mpz(R, r, z));
  mpz_neg(z, x); r = isp_neg(R, a); EXPECT(r, check_same_mpz(R, r, z));
  mpz_com(z, x); r = isp_invert(R, a); EXPECT(r, check_same_mpz(R, r, z));
  mpz_abs(z, x); r = isp_abs(R, a); EXPECT(r, check_same_mpz(R, r, z));
  CHECK_EQ_I(mpz_cmp(x, y) > 0 ? 1 : mpz_cmp(x, y) < 0 ? -1 : 0, isp_compare(R, a, b));
  CHECK_EQ_I(mpz_sgn(x) ? (long long)mpz_sizeinbase(x, 2) : 0, isp_bit_length(R, a));
  mpz_abs(z, x);
  CHECK_EQ_I((long long)mpz_popcount(z), isp_bit_count(R, a));
  if (modulus61) {
    mpz_t P;
    long long h;
    mpz_init_set_ui(P, 1);
    mpz_mul_2exp(P, P, 61);
    mpz_sub_ui(P, P, 1);
    mpz_abs(z, x);
    mpz_mod(z, z, P);
    h = (long long)mpz_get_ui(z) * (mpz_sgn(x) < 0 ? -1 : 1);
    if (h == -1) h = -2;
    CHECK_EQ_I(h, isp_hash(R, a));
    mpz_clear(P);
  }
  if (mpz_sgn(y) != 0) {
    mpz_fdiv_q(z, x, y); r = isp_floordiv(R, a, b); EXPECT(r, check_same_mpz(R, r, z));
    mpz_fdiv_r(z, x, y); r = isp_mod(R, a, b); EXPECT(r, check_same_mpz(R, r, z));
    mpz_fdiv_qr(z, w, x, y);
    r = q = NULL;
    CHECK(isp_divmod(R, a, b, &q, &r) == 0);
    EXPECT(q, check_same_mpz(R, q, z));
    EXPECT(r, check_same_mpz(R, r, w));
    {
      double d;
      mpz_t nx, ny;
      mpz_inits(nx, ny, NULL);
      mpz_set(nx, x);
      mpz_set(ny, y);
      if (mpz_sgn(ny) < 0) {
        mpz_neg(nx, nx);
        mpz_neg(ny, ny);
      }
      if (isp_truediv(R, a, b, &d) == 0) {
        CHECK(correctly_rounded(nx, ny, d) ||
              (d == 0 && mpz_sizeinbase(nx, 2) + 1075 < mpz_sizeinbase(ny, 2)));
      } else {
        /* only an overflow may fail: |a/b| >= 2**1024 */
        CHECK(isp_error_type(R) == ISP_OVERFLOW_ERROR);
        CHECK(mpz_sizeinbase(nx, 2) > mpz_sizeinbase(ny, 2) + 1000);
        isp_error_clear(R);
      }
      nops++;
      mpz_clears(nx, ny, NULL);
    }
  }
  {
    /* shifts by 0..300 bits */
    isp_int *c;
    unsigned long s = (unsigned long)(rnd() % 301);
    c = isp_from_i64(R, (int64_t)s);
    mpz_mul_2exp(z, x, s); r = isp_lshift(R, a, c); EXPECT(r, check_same_mpz(R, r, z));
    mpz_fdiv_q_2exp(z, x, s); r = isp_rshift(R, a, c); EXPECT(r, check_same_mpz(R, r, z));
    isp_decref(R, c);
  }
  if (mpz_sizeinbase(x, 2) < 40000 && mpz_sizeinbase(y, 2) < 40000) {
    mpz_gcd(z, x, y); r = isp_gcd(R, a, b); EXPECT(r, check_same_mpz(R, r, z));
  }
  {
    mpz_abs(z, x);
    isp_int *ab = check_from_mpz(R, z);
    mpz_sqrt(z, z);
    r = isp_isqrt(R, ab); EXPECT(r, check_same_mpz(R, r, z));
    isp_decref(R, ab);
  }
  {
    double d;
    mpz_t one;
    mpz_init_set_ui(one, 1);
    mpz_abs(z, x);
    if (isp_to_double(R, a, &d) == 0) {
      CHECK(correctly_rounded(z, one, fabs(d)) && (mpz_sgn(x) >= 0) == !signbit(d));
    } else {
      CHECK(mpz_sizeinbase(z, 2) >= 1024);
      isp_error_clear(R);
    }
    nops++;
    mpz_clear(one);
  }
  {
    /* decimal text and bytes round trips */
    size_t n;
    char *s = isp_to_string(R, a, 10, &n);
    CHECK(s != NULL);
    if (s) {
      mpz_get_str(sbuf, 10, x);
      CHECK(strcmp(s, sbuf) == 0 && n == strlen(sbuf));
      r = isp_from_string(R, s, n, 10);
      EXPECT(r, check_same_mpz(R, r, x));
      isp_free_string(R, s);
    }
    if (mpz_sizeinbase(x, 2) < 8000) {
      static uint8_t bytes[1100];
      int64_t len = (int64_t)(mpz_sizeinbase(x, 2) / 8 + 1);
      int little = (int)(rnd() & 1);
      CHECK(isp_to_bytes(R, a, len, little, 1, bytes) == 0);
      r = isp_from_bytes(R, bytes, (size_t)len, little, 1);
      EXPECT(r, check_same_mpz(R, r, x));
    }
  }
  mpz_clears(z, w, NULL);
  isp_decref(R, a);
  isp_decref(R, b);
}

static void check_pow(isp_runtime *R) {
  mpz_t x, y, z;
  isp_int *a, *e, *mm, *r = NULL;
  double f;
  unsigned long k = (unsigned long)(rnd() % 60);
  mpz_inits(x, y, z, NULL);
  mpz_set_si(x, (long)(rnd() % 2000001) - 1000000);
  if (rnd() & 1) mpz_mul_2exp(x, x, rnd() % 200);
  a = check_from_mpz(R, x);
  e = isp_from_i64(R, (int64_t)k);
  mpz_pow_ui(z, x, k);
  CHECK(isp_pow(R, a, e, NULL, &r, &f) == 0);
  EXPECT(r, check_same_mpz(R, r, z));
  /* modular, with y of either sign */
  random_mpz(y);
  if (mpz_sizeinbase(y, 2) > 3000) mpz_fdiv_r_2exp(y, y, 3000);
  if (mpz_sgn(y) != 0) {
    mpz_t am;
    mpz_init(am);
    mpz_abs(am, y);
    mm = check_from_mpz(R, y);
    mpz_powm_ui(z, x, k, am);
    if (mpz_sgn(y) < 0 && mpz_sgn(z) != 0) mpz_sub(z, z, am);
    r = NULL;
    CHECK(isp_pow(R, a, e, mm, &r, &f) == 0);
    EXPECT(r, check_same_mpz(R, r, z));
    /* inverse */
    {
      isp_int *neg1 = isp_from_i64(R, -1);
      int rc;
      r = NULL;
      rc = isp_pow(R, a, neg1, mm, &r, &f);
      if (!modulus61) {   /* 2.7: no inverses */
        CHECK(rc < 0 && isp_error_type(R) == ISP_TYPE_ERROR);
        isp_error_clear(R);
      } else if (mpz_cmp_ui(am, 1) == 0) {
        mpz_set_ui(z, 0);
        EXPECT(r, check_same_mpz(R, r, z));
      } else if (mpz_invert(z, x, am)) {
        if (mpz_sgn(y) < 0 && mpz_sgn(z) != 0) mpz_sub(z, z, am);
        CHECK(rc == 0);
        EXPECT(r, check_same_mpz(R, r, z));
      } else {
        CHECK(rc < 0 && isp_error_type(R) == ISP_VALUE_ERROR);
        isp_error_clear(R);
      }
      isp_decref(R, neg1);
    }
    isp_decref(R, mm);
    mpz_clear(am);
  }
  isp_decref(R, a);
  isp_decref(R, e);
  mpz_clears(x, y, z, NULL);
}

/*
** 3.x maps Unicode digits and blanks to ASCII before parsing; a text that
** is ASCII is parsed as it is.  One non-ASCII character at every offset
** across two 8-byte words must still take the mapping.
*/
static void check_mapped_digits(isp_runtime *R) {
  char u[64], a[64];
  size_t k, i;
  for (k = 0; k < 20; k++) {
    isp_int *x, *y;
    size_t n = 0, m = 0;
    for (i = 0; i < k; i++) u[n++] = a[m++] = (char)('1' + i % 9);
    u[n++] = (char)0xD9; u[n++] = (char)0xA3;   /* ARABIC-INDIC DIGIT THREE */
    a[m++] = '3';
    u[n++] = a[m++] = '7';
    u[n++] = (char)0xE3; u[n++] = (char)0x80; u[n++] = (char)0x80;   /* IDEOGRAPHIC SPACE */
    x = isp_from_string(R, u, n, 10);
    y = isp_from_string(R, a, m, 10);
    CHECK(x != NULL && y != NULL && isp_compare(R, x, y) == 0);
    if (x) isp_decref(R, x);
    if (y) isp_decref(R, y);
    nops++;
  }
}

/*
** Shifts around the bit length: the right shift that leaves one bit, none,
** and the counts where the top digit's bits move out of it (the result
** has a digit less) or a left shift spills into a new digit.
*/
static void check_shift_edges(isp_runtime *R) {
  mpz_t x, z;
  unsigned long len;
  int k, sg;
  mpz_inits(x, z, NULL);
  for (len = 61; len <= 400; len += 1 + (unsigned long)(rnd() % 13))
    for (sg = 0; sg < 2; sg++)
      for (k = -32; k <= 2; k++) {
        long sh = (long)len + k;
        isp_int *a, *c, *r;
        mpz_set_ui(x, 0);
        mpz_setbit(x, len - 1);
        mpz_add_ui(x, x, (unsigned long)rnd() | 1);
        if (sg) mpz_neg(x, x);
        if (sh < 0) continue;
        a = check_from_mpz(R, x);
        c = isp_from_i64(R, sh);
        mpz_fdiv_q_2exp(z, x, (mp_bitcnt_t)sh);
        r = isp_rshift(R, a, c);
        CHECK(r != NULL && check_same_mpz(R, r, z));
        if (r) isp_decref(R, r);
        isp_decref(R, c);
        c = isp_from_i64(R, 30 - (len % 30) + (unsigned long)k + 32);   /* across the top */
        mpz_mul_2exp(z, x, 30 - (len % 30) + (unsigned long)k + 32);
        r = isp_lshift(R, a, c);
        CHECK(r != NULL && check_same_mpz(R, r, z));
        if (r) isp_decref(R, r);
        isp_decref(R, c);
        isp_decref(R, a);
        nops += 2;
      }
  mpz_clears(x, z, NULL);
}

/* str() in every base of values up to 64 bits, both signs, against GMP. */
static void check_small_strings(isp_runtime *R) {
  char want[80];
  unsigned bits;
  int base;
  mpz_t x;
  mpz_init(x);
  for (bits = 0; bits <= 64; bits++)
    for (base = 2; base <= 36; base++) {
      isp_int *a;
      char *got;
      size_t n;
      uint64_t u = bits == 0 ? 0 : (rnd() | ((uint64_t)1 << 63)) >> (64 - bits);
      mpz_set_ui(x, (unsigned long)u);
      if (rnd() & 1) mpz_neg(x, x);
      mpz_get_str(want, base, x);
      a = check_from_mpz(R, x);
      got = isp_to_string(R, a, base, &n);
      CHECK(got != NULL && n == strlen(want) && strcmp(got, want) == 0);
      if (got && strcmp(got, want) != 0) fprintf(stderr, "  base %d: %s != %s\n", base, got, want);
      isp_free_string(R, got);
      isp_decref(R, a);
      nops++;
    }
  mpz_clear(x);
}

/*
** Operands with runs of zero digits at the bottom, of both signs and
** either length order: for a negative x, the digits of |x| - 1 differ
** from |x|'s up to the lowest non-zero digit, which the bitwise
** operations handle apart from the rest.
*/
static void check_low_zero_runs(isp_runtime *R) {
  static const unsigned long shifts[] = { 0, 1, 29, 30, 31, 59, 60, 61, 90, 300, 3001 };
  const size_t ns = sizeof shifts / sizeof shifts[0];
  mpz_t x, y;
  size_t i, j;
  int s;
  mpz_inits(x, y, NULL);
  for (i = 0; i < ns; i++)
    for (j = 0; j < ns; j++)
      for (s = 0; s < 4; s++) {
        mpz_set_ui(x, (unsigned long)(rnd() % 1000) | 1);
        if (rnd() & 1) mpz_setbit(x, 30 + rnd() % 200);
        mpz_set_ui(y, (unsigned long)(rnd() % 1000) | 1);
        if (rnd() & 1) mpz_setbit(y, 30 + rnd() % 200);
        mpz_mul_2exp(x, x, shifts[i]);
        mpz_mul_2exp(y, y, shifts[j]);
        if (s & 1) mpz_neg(x, x);
        if (s & 2) mpz_neg(y, y);
        check_pair(R, x, y);
      }
  mpz_clears(x, y, NULL);
}

/*
** Modular powers with long exponents, so that every window width runs,
** on odd moduli (the Montgomery path) and even ones (the division path)
** of one digit to a hundred, with the shapes that stress the carries:
** all ones, powers of two +-1, a top digit that is full.
*/
static void check_pow_mod_long(isp_runtime *R) {
  mpz_t x, y, m, z, am;
  isp_int *a, *e, *mm, *r = NULL;
  double f;
  size_t mbits = 2 + (size_t)(rnd() % (rnd() & 1 ? 70 : 3100));
  size_t ebits = (size_t)(rnd() % (rnd() & 1 ? 40 : 2600));
  mpz_inits(x, y, m, z, am, NULL);
  switch (rnd() % 5) {
    case 0:   /* 2**k +- 1 or 2**k */
      mpz_setbit(m, mbits);
      if (rnd() % 3 == 0) mpz_sub_ui(m, m, 1);
      else if (rnd() & 1) mpz_add_ui(m, m, 1);
      break;
    case 1:   /* a whole number of full digits */
      mpz_setbit(m, (mbits / 30 + 1) * 30);
      mpz_sub_ui(m, m, 1 + 2 * (rnd() % 1000));
      break;
    default:
      {
        size_t i;
        for (i = 0; i < mbits; i++)
          if (rnd() & 1) mpz_setbit(m, i);
        mpz_setbit(m, mbits);
      }
  }
  if (rnd() % 3 == 0) mpz_setbit(m, 0);   /* more odd moduli */
  if (mpz_cmp_ui(m, 2) < 0) mpz_set_ui(m, 3);
  {   /* base: up to twice the modulus' size, either sign, or 0, 1, m-1 */
    size_t i, bbits = (size_t)(rnd() % (2 * mbits + 2));
    for (i = 0; i < bbits; i++)
      if (rnd() & 1) mpz_setbit(x, i);
    switch (rnd() % 8) {
      case 0: mpz_set_ui(x, 0); break;
      case 1: mpz_set_ui(x, 1); break;
      case 2: mpz_sub_ui(x, m, 1); break;
      default: break;
    }
    if (rnd() & 1) mpz_neg(x, x);
  }
  {
    size_t i;
    for (i = 0; i < ebits; i++)
      if (rnd() % 4) mpz_setbit(y, i);
    if (ebits) mpz_setbit(y, ebits - 1);
  }
  if (rnd() & 1) mpz_neg(m, m);
  mpz_abs(am, m);
  mpz_powm(z, x, y, am);
  if (mpz_sgn(m) < 0 && mpz_sgn(z) != 0) mpz_sub(z, z, am);
  a = check_from_mpz(R, x);
  e = check_from_mpz(R, y);
  mm = check_from_mpz(R, m);
  CHECK(isp_pow(R, a, e, mm, &r, &f) == 0);
  {
    int ok_ = r != NULL && check_same_mpz(R, r, z);
    CHECK(ok_);
    if (!ok_) gmp_fprintf(stderr, "  pow(%Zx, %Zx, %Zx)\n", x, y, m);
    if (r) isp_decref(R, r);
    nops++;
  }
  isp_decref(R, a);
  isp_decref(R, e);
  isp_decref(R, mm);
  mpz_clears(x, y, m, z, am, NULL);
}


/* 2.7 typing: operations on ints stay ints while they fit. */
static void check_types27(void) {
  isp_options o;
  char msg[128];
  isp_runtime *R;
  isp_int *a, *b, *r, *l;
  isp_options_init(&o);
  o.profile = "cpython2.7";
  R = isp_runtime_new(&o, msg, sizeof msg);
  CHECK(R != NULL);
  if (!R) return;
  a = isp_from_i64(R, 5);
  r = isp_add(R, a, a);
  CHECK_EQ_S("int", isp_type_name(R, r));
  isp_decref(R, r);
  b = isp_from_i64(R, INT64_C(1) << 62);
  {
    isp_int *two = isp_from_i64(R, 2);
    r = isp_mul(R, b, two);
    CHECK_EQ_S("long", isp_type_name(R, r));
    l = isp_floordiv(R, r, two);   /* back in range, but a long operand */
    CHECK_EQ_S("long", isp_type_name(R, l));
    isp_decref(R, l);
    isp_decref(R, r);
    isp_decref(R, two);
  }
  l = isp_to_long(R, a);
  CHECK_EQ_S("long", isp_type_name(R, l));
  r = isp_add(R, l, a);
  CHECK_EQ_S("long", isp_type_name(R, r));
  isp_decref(R, r);
  r = isp_sub(R, a, a);
  CHECK_EQ_S("int", isp_type_name(R, r));
  isp_decref(R, r);
  isp_decref(R, l);
  isp_decref(R, a);
  isp_decref(R, b);
  CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
}

/*
** Every allocation point fails in turn: the operation returns an error
** (MemoryError) or succeeds, and the runtime ends with nothing leaked.
*/
static void check_faults(const char *profile) {
  int op;
  for (op = 0; op < 12; op++) {
    int64_t n;
    int done = 0;
    for (n = 0; n < 400 && !done; n++) {
      isp_options o;
      char msg[128];
      isp_runtime *R;
      isp_int *a, *b, *m, *c, *k, *r = NULL, *r2 = NULL;
      double f;
      int rc;
      isp_options_init(&o);
      o.profile = profile;
      R = isp_runtime_new(&o, msg, sizeof msg);
      if (!R) { CHECK(0); return; }
      a = isp_from_string(R, "-123456789abcdef0123456789abcdef0123456789abcdef", 48, 16);
      b = isp_from_string(R, "fedcba98765432100123456789", 26, 16);
      m = isp_from_string(R, "1000000000000000000000000000007", 31, 10);
      c = isp_from_i64(R, 77);
      k = isp_from_i64(R, -3);
      isp_set_fail_alloc_after(R, n);
      switch (op) {
        case 0: r = isp_add(R, a, b); rc = r ? 0 : -1; break;
        case 1: r = isp_mul(R, a, b); rc = r ? 0 : -1; break;
        case 2: rc = isp_divmod(R, a, b, &r, &r2); break;
        case 3:   /* 3.x: the inverse path */
          rc = isp_pow(R, b, strcmp(profile, "cpython2.7") ? k : c, m, &r, &f);
          break;
        case 4: r = isp_and(R, a, b); rc = r ? 0 : -1; break;
        case 5: r = isp_rshift(R, a, c); rc = r ? 0 : -1; break;
        case 6: r = isp_gcd(R, a, b); rc = r ? 0 : -1; break;
        case 7: r = isp_isqrt(R, b); rc = r ? 0 : -1; break;
        case 8: { size_t l; char *s = isp_to_string(R, a, 10, &l);
                  rc = s ? 0 : -1;
                  isp_free_string(R, s);
                  break; }
        case 9: rc = isp_truediv(R, a, b, &f); break;
        case 10: r = isp_from_string(R, "-1000000000000000000000000000", 29, 10);
                 rc = r ? 0 : -1; break;
        default: { isp_int *e = isp_from_i64(R, 7);
                   rc = e ? isp_pow(R, a, e, NULL, &r, &f) : -1;
                   if (e) isp_decref(R, e);
                   break; }
      }
      if (rc < 0) {
        CHECK(isp_error_type(R) == ISP_MEMORY_ERROR);
        if (isp_error_type(R) != ISP_MEMORY_ERROR)
          fprintf(stderr, "  op %d fail point %lld: %s\n", op, (long long)n,
                  isp_error_message(R));
      } else {
        done = 1;
      }
      isp_set_fail_alloc_after(R, -1);
      if (r) isp_decref(R, r);
      if (r2) isp_decref(R, r2);
      isp_decref(R, a);
      isp_decref(R, b);
      isp_decref(R, m);
      isp_decref(R, c);
      isp_decref(R, k);
      CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
    }
    CHECK(done);
    if (!done) fprintf(stderr, "  %s: op %d never succeeded\n", profile, op);
  }
}

int main(void) {
  static const char *const profiles[] = { "cpython3.14", "cpython3.11", "cpython2.7" };
  size_t p, i, j;
  for (p = 0; p < sizeof profiles / sizeof profiles[0]; p++) {
    isp_options o;
    char msg[128];
    isp_runtime *R;
    mpz_t x, y;
    isp_options_init(&o);
    o.profile = profiles[p];
    o.set_max_str_digits = 1;
    o.max_str_digits = 0;
    R = isp_runtime_new(&o, msg, sizeof msg);
    CHECK(R != NULL);
    if (!R) continue;
    modulus61 = strcmp(profiles[p], "cpython2.7") != 0;
    mpz_inits(x, y, NULL);
    for (i = 0; i < NEDGES; i++)
      for (j = 0; j < NEDGES; j++) {
        mpz_set_str(x, edges[i], 16);
        mpz_set_str(y, edges[j], 16);
        check_pair(R, x, y);
      }
    check_low_zero_runs(R);
    check_small_strings(R);
    check_shift_edges(R);
    if (modulus61) check_mapped_digits(R);
    for (i = 0; i < (p == 0 ? 800u : 250u); i++) {
      random_mpz(x);
      random_mpz(y);
      check_pair(R, x, y);
      check_pow(R);
      check_pow_mod_long(R);
    }
    mpz_clears(x, y, NULL);
    CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
  }
  check_types27();
  check_faults("cpython3.14");
  check_faults("cpython2.7");
  printf("%lu operations compared\n", nops);
  return CHECK_DONE();
}
