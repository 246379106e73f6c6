/*
** digits_mul.c -- multiplication and squaring of digit arrays.
**
** Four algorithms, picked by the length of the shorter operand:
**   schoolbook          below DIG_KARATSUBA_MUL (DIG_KARATSUBA_SQR for squares),
**                       on 64-bit words
**   Karatsuba           up to DIG_TOOM3_MUL, with lopsided operands cut into
**                       pieces as long as the short one
**   Toom-3              up to DIG_FFT_MUL, for operands within a factor 1.5
**                       of each other (Karatsuba takes the others)
**   number-theoretic    from DIG_FFT_MUL on: a transform modulo three primes
**   transform (NTT)     below 2^62, recombined by the Chinese remainder theorem
**
** Scratch sizes: every *_itch function below follows the recursion of the
** code it sizes, step by step, so the bound is exact for the path taken
** (plus small slack for alignment); see the comment before each.
**
** Cutoffs (digits of the shorter operand), measured with gcc -O3 on an
** x86-64 machine (AMD EPYC), 30-bit digits, timing each algorithm alone,
** best of several runs (the machine is shared: single runs vary by 50%):
**   DIG_KARATSUBA_MUL 120: the word schoolbook does a 64-bit product in
**     about the time the digit loop took for a 30-bit one; 100 to 150
**     measured alike, 70 was 1.3-2x slower at 130-160 digits.
**   DIG_KARATSUBA_SQR 200: the schoolbook square forms each cross product
**     once, half a product's work, and stays ahead of the Karatsuba square
**     longer; 150 to 250 measured alike, 70 was 1.5x slower at 200-350.
**   DIG_TOOM3_MUL 350, DIG_TOOM3_SQR 400: five products of a third
**     against Karatsuba's three of a half, but some 12 linear passes of
**     evaluation and interpolation; 250 to 500 gave the same times within
**     noise, 10-15% below Karatsuba from 600 digits on.
**   DIG_FFT_MUL 2800, DIG_FFT_SQR 3500: the transform costs 3 primes x 3
**     transforms of (N/2) log2 N butterflies, N the 2^k or 3 2^k above
**     the product's coefficient count, whatever the values, so its time
**     is a staircase; Toom-3 was ahead up to 2,000-2,500 digits (20% at
**     1,300-1,700), the transform 10-20% ahead of products from 3,000 on,
**     of squares from 3,400.
** Rechecked once the schoolbook packed its words in blocks (its cost per
** product fell by a quarter at 50 to 110 digits), against GMP in the same
** process: Karatsuba from 60, 90, 120 or 160 digits measured alike from
** 800 to 10,000 decimal digits, squares from 100 were 10-20% slower than
** from 140 or 200 at 900 to 1,000; Toom-3 from 200, 350 or 600, and the
** transform from 2,000, 2,800 or 4,000, alike within the noise.
*/
#include <string.h>

#include "digits.h"

/* ------------------------------------------------------------ schoolbook */

#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 dig_u128;
#else
#error "the digit layer needs a 128-bit integer type"
#endif

/*
** Schoolbook products run on 64-bit words, not on 30-bit digits: the
** operands are repacked into words (a linear pass), multiplied there and
** unpacked.  A 64 x 64 -> 128-bit product does the work of (64/30)^2, about
** 4.5, digit products for the cost of two or three, so this is some 2.5
** times faster than a digit loop at the same size.  The word arrays live
** on the stack: a long a goes through in pieces of SCHOOL_PIECE digits;
** b, and a square's operand, are shorter than the Karatsuba cutoffs.
*/
#define SCHOOL_PIECE 256
#define SCHOOL_WORDS (SCHOOL_PIECE * DIG_SHIFT / 64 + 1)
_Static_assert(DIG_KARATSUBA_MUL <= SCHOOL_PIECE &&
                   DIG_KARATSUBA_SQR <= SCHOOL_PIECE,
               "schoolbook operands must fit the word buffers");

/*
** Word product by columns: each column's products go into a 128-bit sum
** with a word counting its carries, so the inner loop has no dependency
** but the additions (faster than rows of multiply-adds, whose carry
** chains through every step).
*/
static void w_mul(uint64_t *r, const uint64_t *a, size_t an, const uint64_t *b,
                  size_t bn) {
  dig_u128 acc = 0;
  size_t k;
  for (k = 0; k + 1 < an + bn; k++) {
    size_t lo = k + 1 > bn ? k + 1 - bn : 0, hi = k < an - 1 ? k : an - 1, i;
    uint64_t top = 0;
    for (i = lo; i <= hi; i++) {
      dig_u128 p = (dig_u128)a[i] * b[k - i];
      acc += p;
      top += acc < p;
    }
    r[k] = (uint64_t)acc;
    acc = (acc >> 64) | ((dig_u128)top << 64);
  }
  r[an + bn - 1] = (uint64_t)acc;
}

/* Square by word columns: the cross products a[i] a[k-i], i < k - i, once,
** doubled, plus a[k/2]^2 on even columns; x = the 192-bit column. */
static void w_sqr(uint64_t *r, const uint64_t *a, size_t n) {
  uint64_t c0 = 0, c1 = 0, c2 = 0; /* what the columns below carry up */
  size_t k;
  for (k = 0; k + 1 < 2 * n; k++) {
    size_t lo = k + 1 > n ? k + 1 - n : 0, hi = (k + 1) / 2, i;
    dig_u128 acc = 0, t;
    uint64_t top = 0, x0, x1, x2;
    for (i = lo; i < hi; i++) {
      dig_u128 p = (dig_u128)a[i] * a[k - i];
      acc += p;
      top += acc < p;
    }
    /* x = 2 (top:acc) */
    x2 = (top << 1) | (uint64_t)(acc >> 127);
    acc <<= 1;
    if (!(k & 1)) {
      dig_u128 d = (dig_u128)a[k / 2] * a[k / 2];
      acc += d;
      x2 += acc < d;
    }
    x0 = (uint64_t)acc;
    x1 = (uint64_t)(acc >> 64);
    /* x += carry, then the low word is the result */
    t = (dig_u128)x0 + c0;
    x0 = (uint64_t)t;
    t = (dig_u128)x1 + c1 + (uint64_t)(t >> 64);
    x1 = (uint64_t)t;
    x2 += c2 + (uint64_t)(t >> 64);
    r[k] = x0;
    c0 = x1;
    c1 = x2;
    c2 = 0;
  }
  r[2 * n - 1] = c0;
  dig_assert(c1 == 0);
}

/*
** Short products in 30-bit digits, with no packing into words: rows of
** products added into one 64-bit sum per column, then one carry pass.
** A column holds at most COLS_MAX products, each below 2^60, so with
** the carry from the column below (under 2^35) it stays under 2^64.
** The row loop runs along b with a[i] fixed, which vectorizes without
** reversing either operand.  For ints of a few dozen decimal digits this
** is a fifth of the instructions of the word path, whose packing and
** unpacking cost more than the products themselves at these sizes.
** a is taken in pieces of COLS_PIECE rows so the sums fit on the stack.
*/
#define COLS_MAX 16
#define COLS_PIECE 48

/* r[0..n) = the low digits of carry + t[0..n) taken as column sums;
** returns what carries out of the top. */
static uint64_t cols_flush(dig_t *r, const uint64_t *t, size_t n, uint64_t carry) {
  size_t i;
  for (i = 0; i < n; i++) {
    carry += t[i];
    r[i] = (dig_t)carry & DIG_MASK;
    carry >>= DIG_SHIFT;
  }
  return carry;
}

/* Each row stores its top column instead of adding to it, so the sums
** never need clearing (a memset costs as much as the products here). */
static void mul_cols(dig_t *r, const dig_t *a, size_t an, const dig_t *b, size_t bn) {
  uint64_t t[COLS_PIECE + COLS_MAX], carry = 0;
  size_t off = 0, i, j, len;
  dig_assert(an >= bn && bn >= 1 && bn <= COLS_MAX);
  for (j = 0; j < bn; j++) t[j] = (uint64_t)a[0] * b[j];
  i = 1;
  for (;;) {
    len = an - off < COLS_PIECE ? an - off : COLS_PIECE;
    for (; i < len; i++) {
      uint64_t m = a[off + i];
      for (j = 0; j + 1 < bn; j++) t[i + j] += m * b[j];
      t[i + bn - 1] = m * b[bn - 1];
    }
    /* the piece's first len columns are complete */
    carry = cols_flush(r + off, t, len, carry);
    off += len;
    if (off == an) break;
    for (j = 0; j + 1 < bn; j++) t[j] = t[len + j];   /* the open columns */
    i = 0;
  }
  r[an + bn - 1] = (dig_t)cols_flush(r + an, t + len, bn - 1, carry);
}

/* The square: each cross product once, by twice the lower digit (below
** 2^31, still one 32x32-bit product), onto the diagonal squares; a
** column holds at most 2 * 7 + 1 products' worth for n <= COLS_MAX. */
static void sqr_cols(dig_t *r, const dig_t *a, size_t n) {
  uint64_t t[2 * COLS_MAX], carry;
  size_t i, j;
  dig_assert(n >= 1 && n <= COLS_MAX);
  for (i = 0; i < n; i++) {
    t[2 * i] = (uint64_t)a[i] * a[i];
    t[2 * i + 1] = 0;
  }
  for (i = 0; i + 1 < n; i++) {
    uint64_t m = (uint64_t)a[i] * 2;
    for (j = i + 1; j < n; j++) t[i + j] += m * a[j];
  }
  carry = cols_flush(r, t, 2 * n, 0);
  dig_assert(carry == 0);
  (void)carry;
}

/* Rows of dig_addmul_1 for a very short b, else word pieces of a. */
static void mul_school(dig_t *r, const dig_t *a, size_t an, const dig_t *b,
                       size_t bn) {
  uint64_t wa[SCHOOL_WORDS], wb[SCHOOL_WORDS], wr[2 * SCHOOL_WORDS];
  dig_t t[2 * SCHOOL_PIECE];
  size_t wbn, off;
  if (bn <= 2) {
    r[an] = dig_mul_1(r, a, an, b[0], 0);
    if (bn == 2) r[an + 1] = dig_addmul_1(r + 1, a, an, b[1]);
    return;
  }
  if (bn <= COLS_MAX) {
    mul_cols(r, a, an, b, bn);
    return;
  }
  wbn = dig_to_words(wb, b, bn);
  for (off = 0; off < an; off += SCHOOL_PIECE) {
    size_t len = an - off < SCHOOL_PIECE ? an - off : SCHOOL_PIECE;
    size_t wan = dig_to_words(wa, a + off, len);
    if (wan >= wbn)
      w_mul(wr, wa, wan, wb, wbn);
    else
      w_mul(wr, wb, wbn, wa, wan);
    if (off == 0) {
      dig_from_words(r, len + bn, wr, wan + wbn);
    } else {
      /* the piece's product overlaps the bn digits above the last one */
      dig_t c;
      dig_from_words(t, len + bn, wr, wan + wbn);
      memcpy(r + off + bn, t + bn, len * sizeof(dig_t));
      c = dig_add(r + off, r + off, bn + len, t, bn);
      dig_assert(c == 0);
      (void)c;
    }
  }
}

static void sqr_school(dig_t *r, const dig_t *a, size_t n) {
  uint64_t wa[SCHOOL_WORDS], wr[2 * SCHOOL_WORDS];
  size_t wn;
  if (n <= COLS_MAX) {
    sqr_cols(r, a, n);
    return;
  }
  wn = dig_to_words(wa, a, n);
  w_sqr(wr, wa, wn);
  dig_from_words(r, 2 * n, wr, 2 * wn);
}

/* ------------------------------------------------------------ NTT */

/*
** Three primes p = c * 2^40 + 1 just below 2^62, with a generator of the
** multiplicative group each.  3 * 2^40 divides p - 1 (3 divides c), so
** transforms of 2^k and 3 * 2^k points exist up to 2^40; their product,
** about 2^186, bounds the coefficients of the product (see
** ntt_make_plan).  Keeping p < 2^62 lets a sum of two residues minus p
** be tested by its sign bit.
*/
typedef struct {
  uint64_t p;    /* the prime */
  uint64_t pinv; /* p^-1 mod 2^64 */
  uint64_t r1;   /* 2^64 mod p: one in Montgomery form */
  uint64_t r2;   /* 2^128 mod p */
  uint64_t g;    /* a generator */
} ntt_mod;

static const uint64_t ntt_primes[3] = {
    UINT64_C(0x3fff810000000001), UINT64_C(0x3fffc00000000001),
    UINT64_C(0x3fff450000000001)};
static const uint64_t ntt_gens[3] = {5, 11, 10};
#define NTT_MAX_LOG 40

static void ntt_setup(ntt_mod *m, int k) {
  uint64_t p = ntt_primes[k], inv = p; /* p * p == 1 mod 8: 3 bits right */
  int i;
  for (i = 0; i < 5; i++) inv *= 2 - p * inv; /* Newton: doubles the bits */
  m->p = p;
  m->pinv = inv;
  m->r1 = (uint64_t)((((dig_u128)1) << 64) % p);
  m->r2 = (uint64_t)((dig_u128)m->r1 * m->r1 % p);
  m->g = ntt_gens[k];
}

/*
** The butterflies' corrections are written with masks rather than
** conditions: whether a correction is needed is a coin toss, and a
** mispredicted branch per butterfly costs more than the butterfly.
*/

/* a * b / 2^64 mod p, for a * b < p * 2^64; result in [0, p). */
static inline uint64_t mont_mul(uint64_t a, uint64_t b, const ntt_mod *m) {
  dig_u128 t = (dig_u128)a * b;
  uint64_t lo = (uint64_t)t, hi = (uint64_t)(t >> 64);
  uint64_t q = lo * m->pinv;
  uint64_t qh = (uint64_t)(((dig_u128)q * m->p) >> 64);
  uint64_t res = hi - qh;
  return hi < qh ? res + m->p : res;
}

/* a, b < p < 2^62: a + b - p is negative exactly when its top bit is set */
static inline uint64_t mod_add(uint64_t a, uint64_t b, uint64_t p) {
  uint64_t s = a + b - p;
  return s + (p & (0 - (s >> 63)));
}

static inline uint64_t mod_sub(uint64_t a, uint64_t b, uint64_t p) {
  uint64_t d = a - b;
  return d + (p & (0 - (d >> 63)));
}

/*
** The power-of-two transforms keep their values in [0, 2p) rather than
** [0, p) (4p < 2^64 leaves room): a sum or difference then needs one
** correction instead of two, and a product none (the lazy Montgomery
** product of a < 4p and b < p is already below 2p), which takes about a
** quarter off each butterfly.  Whatever reads them afterwards reduces.
*/

/* a * b / 2^64 mod p in (0, 2p), for a < 4p and b < p */
static inline uint64_t mont_mul_lazy(uint64_t a, uint64_t b, const ntt_mod *m) {
  dig_u128 t = (dig_u128)a * b;
  uint64_t lo = (uint64_t)t, hi = (uint64_t)(t >> 64);
  uint64_t q = lo * m->pinv;
  uint64_t qh = (uint64_t)(((dig_u128)q * m->p) >> 64);
  return hi - qh + m->p;
}

/* x < 4p into [0, 2p); p2 = 2p */
static inline uint64_t red_2p(uint64_t x, uint64_t p2) {
  uint64_t s = x - p2;
  return s + (p2 & (0 - (s >> 63)));
}

static uint64_t to_mont(uint64_t x, const ntt_mod *m) {
  return mont_mul(x % m->p, m->r2, m);
}

/* x^e for x in Montgomery form; the result is in Montgomery form. */
static uint64_t mont_pow(uint64_t xm, uint64_t e, const ntt_mod *m) {
  uint64_t r = m->r1;
  while (e) {
    if (e & 1) r = mont_mul(r, xm, m);
    xm = mont_mul(xm, xm, m);
    e >>= 1;
  }
  return r;
}

/*
** tw[len + j] = w_{2len}^j in Montgomery form for every len = 1, 2, ..,
** n/2 and j < len, where w_{2len} is a primitive 2len-th root of unity
** (its inverse if 'inverse').  The top row is built by repeated
** multiplication, each lower row by taking every other entry above it.
*/
static void ntt_twiddles(dig_w64 *tw, size_t n, int inverse,
                         const ntt_mod *m) {
  uint64_t e = (m->p - 1) / n, w, x;
  size_t half = n / 2, len, j;
  if (inverse) e = (m->p - 1) - e;
  w = mont_pow(to_mont(m->g, m), e, m);
  x = m->r1;
  for (j = 0; j < half; j++) {
    tw[half + j] = x;
    x = mont_mul(x, w, m);
  }
  for (len = half / 2; len >= 1; len /= 2)
    for (j = 0; j < len; j++) tw[len + j] = tw[2 * len + 2 * j];
}

/*
** Both transforms go depth first: once a stage has combined the two
** halves of a block, each half is an independent transform of half the
** size, finished before the other one starts, so from NTT_BLOCK points
** down everything stays in the first-level cache.  The stage with
** len == 1 has only the twiddle 1 and needs no multiplication.
*/
#ifdef ISP_TEST_CUTOFFS
#define NTT_BLOCK 16 /* so the depth-first step runs on small products */
#else
#define NTT_BLOCK 2048
#endif

/* Decimation in frequency: natural order in, bit-reversed order out.
** Values in [0, 2p) in and out. */
static void ntt_forward(dig_w64 *x, size_t n, const dig_w64 *tw,
                        const ntt_mod *m) {
  uint64_t p2 = 2 * m->p;
  size_t len, i, j;
  if (n > NTT_BLOCK) {
    const dig_w64 *t = tw + n / 2;
    dig_w64 *lo = x, *hi = x + n / 2;
    for (j = 0; j < n / 2; j++) {
      uint64_t u = lo[j], v = hi[j];
      lo[j] = red_2p(u + v, p2);
      hi[j] = mont_mul_lazy(u - v + p2, t[j], m);
    }
    ntt_forward(lo, n / 2, tw, m);
    ntt_forward(hi, n / 2, tw, m);
    return;
  }
  for (len = n / 2; len >= 2; len /= 2) {
    const dig_w64 *t = tw + len;
    for (i = 0; i < n; i += 2 * len) {
      dig_w64 *lo = x + i, *hi = x + i + len;
      for (j = 0; j < len; j++) {
        uint64_t u = lo[j], v = hi[j];
        lo[j] = red_2p(u + v, p2);
        hi[j] = mont_mul_lazy(u - v + p2, t[j], m);
      }
    }
  }
  for (i = 0; i < n; i += 2) {
    uint64_t u = x[i], v = x[i + 1];
    x[i] = red_2p(u + v, p2);
    x[i + 1] = red_2p(u - v + p2, p2);
  }
}

/* Decimation in time with inverse roots: bit-reversed in, natural out,
** every value times n.  Values in [0, 2p) in and out. */
static void ntt_inverse(dig_w64 *x, size_t n, const dig_w64 *tw,
                        const ntt_mod *m) {
  uint64_t p2 = 2 * m->p;
  size_t len, i, j;
  if (n > NTT_BLOCK) {
    const dig_w64 *t = tw + n / 2;
    dig_w64 *lo = x, *hi = x + n / 2;
    ntt_inverse(lo, n / 2, tw, m);
    ntt_inverse(hi, n / 2, tw, m);
    for (j = 0; j < n / 2; j++) {
      uint64_t u = lo[j], v = mont_mul_lazy(hi[j], t[j], m);
      lo[j] = red_2p(u + v, p2);
      hi[j] = red_2p(u - v + p2, p2);
    }
    return;
  }
  for (i = 0; i < n; i += 2) {
    uint64_t u = x[i], v = x[i + 1];
    x[i] = red_2p(u + v, p2);
    x[i + 1] = red_2p(u - v + p2, p2);
  }
  for (len = 2; len < n; len *= 2) {
    const dig_w64 *t = tw + len;
    for (i = 0; i < n; i += 2 * len) {
      dig_w64 *lo = x + i, *hi = x + i + len;
      for (j = 0; j < len; j++) {
        uint64_t u = lo[j], v = mont_mul_lazy(hi[j], t[j], m);
        lo[j] = red_2p(u + v, p2);
        hi[j] = red_2p(u - v + p2, p2);
      }
    }
  }
}

/*
** Coefficient width.  The operands are cut into w-bit coefficients; a
** coefficient of the product is a sum of at most c = min(ca, cb) products
** of two of them, below c 2^(2w), and must stay below p1 p2 p3 > 2^185.
** The widest w with 2w + log2(c) <= 185 (at most 90, so a coefficient is
** a 60-bit and a 30-bit part) gives the fewest coefficients: about 84
** bits at 10^5 decimal digits, 40% fewer than digit pairs would give.
*/
typedef struct {
  unsigned w;    /* bits per coefficient */
  size_t ca, cb; /* coefficients of each operand */
  size_t n;      /* transform length >= ca + cb - 1: 2^k or 3 * 2^k */
  int three;     /* n = 3 * 2^k: a radix-3 stage above the power of two */
} ntt_plan;

static size_t ceil_div(uint64_t x, uint64_t y) { return (size_t)((x + y - 1) / y); }

static ntt_plan ntt_make_plan(size_t an, size_t bn) {
  ntt_plan pl;
  uint64_t abits = (uint64_t)an * DIG_SHIFT, bbits = (uint64_t)bn * DIG_SHIFT;
  uint64_t minbits = abits < bbits ? abits : bbits;
  unsigned w;
  for (w = 90; w > 40; w--) {
    size_t c = ceil_div(minbits, w), lg = 0;
    while (((size_t)1 << lg) < c) lg++;
    if (2 * w + lg <= 185) break;
  }
  pl.w = w;
  pl.ca = ceil_div(abits, w);
  pl.cb = ceil_div(bbits, w);
  pl.n = 1;
  while (pl.n < pl.ca + pl.cb - 1) pl.n *= 2;
  /* 3/4 of the power of two is enough in a quarter of the cases, and up to
  ** 3 n / 8 points may go unused otherwise: the transform's staircase has
  ** a step in between */
  pl.three = pl.n >= 16 && pl.n / 4 * 3 >= pl.ca + pl.cb - 1;
  if (pl.three) pl.n = pl.n / 4 * 3;
  return pl;
}

/* x[0..n) = the w-bit coefficients of a reduced mod p, zero-padded;
** two60 = 2^60 in Montgomery form, so mont_mul(hi, two60) = hi 2^60.
** The digits stream through a 128-bit buffer (w + 29 < 128 bits), so
** each coefficient costs a shift and a mask or two rather than a search
** for its digits: the load was a tenth of a transform's time. */
static void ntt_load(dig_w64 *x, size_t n, const dig_t *a, size_t an,
                     unsigned w, size_t count, uint64_t two60,
                     const ntt_mod *m) {
  dig_u128 buf = 0;
  unsigned have = 0;
  size_t i, j = 0;
  const uint64_t low60 = ((uint64_t)1 << 60) - 1;
  for (i = 0; i < count; i++) {
    uint64_t c0;
    while (have < w) {
      buf |= (dig_u128)(j < an ? a[j] : 0) << have;
      j++;
      have += DIG_SHIFT;
    }
    if (w > 60) {
      uint64_t c1 = (uint64_t)(buf >> 60) & (((uint64_t)1 << (w - 60)) - 1);
      c0 = mod_add((uint64_t)buf & low60, mont_mul(c1, two60, m), m->p);
    } else {
      c0 = (uint64_t)buf & (((uint64_t)1 << w) - 1);
    }
    x[i] = c0;
    buf >>= w;
    have -= w;
  }
  for (; i < n; i++) x[i] = 0;
}

/*
** The radix-3 stage of a transform of n = 3m points: with x0, x1, x2 the
** thirds of x, W a primitive n-th root and w = W^m a cube root of unity,
**   y0 = x0 + x1 + x2
**   y1 = (x0 + w x1 + w^2 x2) W^j = (x0 - x2 + w (x1 - x2)) W^j
**   y2 = (x0 + w^2 x1 + w x2) W^2j = (x0 - x1 - w (x1 - x2)) W^2j
** (w^2 = -1 - w), then a power-of-two transform of each third.  The
** inverse undoes both with W^-1 and w^-1 in their places.  Ws and ws are
** in Montgomery form.
*/
static void ntt3_forward(dig_w64 *x, size_t m, uint64_t Ws, uint64_t ws,
                         const ntt_mod *md) {
  uint64_t p = md->p, t1 = md->r1, t2;
  size_t j;
  for (j = 0; j < m; j++) {
    uint64_t a = x[j], b = x[m + j], c = x[2 * m + j];
    uint64_t u = mont_mul(mod_sub(b, c, p), ws, md);
    t2 = mont_mul(t1, t1, md);
    x[j] = mod_add(mod_add(a, b, p), c, p);
    x[m + j] = mont_mul(mod_add(mod_sub(a, c, p), u, p), t1, md);
    x[2 * m + j] = mont_mul(mod_sub(mod_sub(a, b, p), u, p), t2, md);
    t1 = mont_mul(t1, Ws, md);
  }
}

static void ntt3_inverse(dig_w64 *x, size_t m, uint64_t Ws, uint64_t ws,
                         const ntt_mod *md) {
  uint64_t p = md->p, t1 = md->r1, t2;
  size_t j;
  for (j = 0; j < m; j++) {
    uint64_t a, b, c, u;
    t2 = mont_mul(t1, t1, md);
    a = x[j] >= p ? x[j] - p : x[j]; /* the transforms leave [0, 2p) */
    b = mont_mul(x[m + j], t1, md);
    c = mont_mul(x[2 * m + j], t2, md);
    u = mont_mul(mod_sub(b, c, p), ws, md);
    x[j] = mod_add(mod_add(a, b, p), c, p);
    x[m + j] = mod_add(mod_sub(a, c, p), u, p);
    x[2 * m + j] = mod_sub(mod_sub(a, b, p), u, p);
    t1 = mont_mul(t1, Ws, md);
  }
}

/* A whole forward or inverse transform of pl->n points; tw holds the
** power-of-two part's twiddles for the direction. */
static void ntt_transform(dig_w64 *x, const ntt_plan *pl, int inverse,
                          const dig_w64 *tw, const ntt_mod *md) {
  size_t m = pl->three ? pl->n / 3 : pl->n, i;
  if (pl->three && !inverse) {
    /* W = g^((p-1)/n), w = W^m, both inverted for the inverse */
    uint64_t W = mont_pow(to_mont(md->g, md), (md->p - 1) / pl->n, md);
    ntt3_forward(x, m, W, mont_pow(W, m, md), md);
  }
  for (i = 0; i < pl->n; i += m) {
    if (inverse)
      ntt_inverse(x + i, m, tw, md);
    else
      ntt_forward(x + i, m, tw, md);
  }
  if (pl->three && inverse) {
    uint64_t W = mont_pow(to_mont(md->g, md), (md->p - 1) - (md->p - 1) / pl->n, md);
    ntt3_inverse(x, m, W, mont_pow(W, m, md), md);
  }
}

/* 5 arrays of n 64-bit words (4 for a square), in digits, plus two digits
** so the 64-bit view can be aligned inside scratch. */
static size_t ntt_itch(size_t an, size_t bn) {
  return 10 * ntt_make_plan(an, bn).n + 2;
}

/* acc[0..4) += x[0..3) << sh, sh < 64 */
static void acc_add_shifted(uint64_t acc[4], const uint64_t x[3], unsigned sh) {
  uint64_t y[4];
  dig_u128 c = 0;
  int i;
  if (sh == 0) {
    y[0] = x[0];
    y[1] = x[1];
    y[2] = x[2];
    y[3] = 0;
  } else {
    y[0] = x[0] << sh;
    y[1] = (x[1] << sh) | (x[0] >> (64 - sh));
    y[2] = (x[2] << sh) | (x[1] >> (64 - sh));
    y[3] = x[2] >> (64 - sh);
  }
  for (i = 0; i < 4; i++) {
    c += (dig_u128)acc[i] + y[i];
    acc[i] = (uint64_t)c;
    c >>= 64;
  }
  dig_assert(c == 0);
}

/* take the low 30 bits of acc out */
static dig_t acc_take_digit(uint64_t acc[4]) {
  dig_t d = (dig_t)acc[0] & DIG_MASK;
  acc[0] = (acc[0] >> DIG_SHIFT) | (acc[1] << (64 - DIG_SHIFT));
  acc[1] = (acc[1] >> DIG_SHIFT) | (acc[2] << (64 - DIG_SHIFT));
  acc[2] = (acc[2] >> DIG_SHIFT) | (acc[3] << (64 - DIG_SHIFT));
  acc[3] >>= DIG_SHIFT;
  return d;
}

/* The residues of the product modulo each prime, then Garner's
** recombination into 186-bit coefficients added up at w-bit steps. */
static void mul_ntt(dig_t *r, const dig_t *a, size_t an, const dig_t *b,
                    size_t bn, int square, dig_t *scratch) {
  ntt_plan pl = ntt_make_plan(an, bn);
  size_t n = pl.n, rn = an + bn, i, k, out;
  dig_w64 *base = (dig_w64 *)(void *)(scratch + (((uintptr_t)scratch & 7) ? 1 : 0));
  dig_w64 *res[3], *bt = base + 3 * n, *tw = base + (square ? 3 : 4) * n;
  ntt_mod mods[3];
  uint64_t c12, c13, c123, p12lo, p12hi;
  uint64_t acc[4] = {0, 0, 0, 0}, pos;
  dig_assert(((uintptr_t)scratch & 3) == 0);
  dig_assert(n <= ((size_t)1 << NTT_MAX_LOG) / 2 * 2);
  for (k = 0; k < 3; k++) {
    const ntt_mod *m = &mods[k];
    uint64_t scale, two60;
    ntt_setup(&mods[k], (int)k);
    two60 = to_mont((uint64_t)1 << 60, m);
    res[k] = base + k * n;
    ntt_load(res[k], n, a, an, pl.w, pl.ca, two60, m);
    ntt_twiddles(tw, pl.three ? n / 3 : n, 0, m);
    ntt_transform(res[k], &pl, 0, tw, m);
    if (square) {
      for (i = 0; i < n; i++) res[k][i] = mont_mul(res[k][i], res[k][i], m);
    } else {
      ntt_load(bt, n, b, bn, pl.w, pl.cb, two60, m);
      ntt_transform(bt, &pl, 0, tw, m);
      for (i = 0; i < n; i++) res[k][i] = mont_mul(res[k][i], bt[i], m);
    }
    ntt_twiddles(tw, pl.three ? n / 3 : n, 1, m);
    ntt_transform(res[k], &pl, 1, tw, m);
    /* values are now n * c / 2^64; n^-1 = p - (p - 1) / n */
    scale = (uint64_t)((dig_u128)(m->p - (m->p - 1) / n) * m->r2 % m->p);
    for (i = 0; i < n; i++) res[k][i] = mont_mul(res[k][i], scale, m);
  }
  /* Garner's constants, multiplied by 2^64 so that mont_mul applies them */
  {
    const ntt_mod *m2 = &mods[1], *m3 = &mods[2];
    uint64_t p1 = mods[0].p, p2 = m2->p, p3 = m3->p;
    dig_u128 p12 = (dig_u128)p1 * p2;
    /* Fermat: x^(p-2) = 1/x; mont_pow's result is already times 2^64 */
    c12 = mont_pow(to_mont(p1, m2), p2 - 2, m2);
    c13 = mont_pow(to_mont(p1, m3), p3 - 2, m3);
    c123 = mont_pow(to_mont(p2, m3), p3 - 2, m3);
    p12lo = (uint64_t)p12;
    p12hi = (uint64_t)(p12 >> 64);
  }
  out = 0;
  pos = 0; /* the bit of the product that acc[0]'s bit 0 stands for */
  for (i = 0; i + 1 < pl.ca + pl.cb && out < rn; i++) {
    const ntt_mod *m2 = &mods[1], *m3 = &mods[2];
    uint64_t p1 = mods[0].p, p2 = m2->p, p3 = m3->p;
    uint64_t x1 = res[0][i], x2 = res[1][i], x3 = res[2][i];
    uint64_t v2, v3, t, x[3], target = (uint64_t)i * pl.w;
    dig_u128 s, lo, hi, w1;
    /* v2 = (x2 - x1) / p1 mod p2 */
    t = x1 >= p2 ? x1 - p2 : x1;
    v2 = mont_mul(mod_sub(x2, t, p2), c12, m2);
    /* v3 = ((x3 - x1) / p1 - v2) / p2 mod p3 */
    t = x1 >= p3 ? x1 - p3 : x1;
    t = mont_mul(mod_sub(x3, t, p3), c13, m3);
    v3 = mont_mul(mod_sub(t, v2 >= p3 ? v2 - p3 : v2, p3), c123, m3);
    /* x = x1 + p1 * v2 + p1 * p2 * v3, as three 64-bit words */
    s = (dig_u128)p1 * v2 + x1;
    lo = (dig_u128)p12lo * v3;
    hi = (dig_u128)p12hi * v3;
    x[0] = (uint64_t)s + (uint64_t)lo;
    w1 = (dig_u128)(x[0] < (uint64_t)lo) + (uint64_t)(s >> 64) +
         (uint64_t)(lo >> 64) + (uint64_t)hi;
    x[1] = (uint64_t)w1;
    x[2] = (uint64_t)(w1 >> 64) + (uint64_t)(hi >> 64);
    /* digits wholly below this coefficient's first bit are final */
    while (pos + DIG_SHIFT <= target && out < rn) {
      r[out++] = acc_take_digit(acc);
      pos += DIG_SHIFT;
    }
    acc_add_shifted(acc, x, (unsigned)(target - pos));
  }
  while (out < rn) r[out++] = acc_take_digit(acc);
  dig_assert(acc[0] == 0 && acc[1] == 0 && acc[2] == 0 && acc[3] == 0);
}

/* ------------------------------------------------------------ Karatsuba */

/* r[0..xn) = |x - y| for xn >= yn; returns 1 when x < y. */
static int abs_diff(dig_t *r, const dig_t *x, size_t xn, const dig_t *y,
                    size_t yn) {
  int less;
  if (dig_normalized_size(x + yn, xn - yn) > 0)
    less = 0;
  else
    less = dig_cmp_n(x, y, yn) < 0;
  if (less) {
    dig_sub(r, y, yn, x, yn);
    memset(r + yn, 0, (xn - yn) * sizeof(dig_t));
  } else {
    dig_sub(r, x, xn, y, yn);
  }
  return less;
}

/*
** a = a1 B^h + a0, b = b1 B^h + b0, h = ceil(an / 2) < bn:
** a*b = z2 B^2h + (z0 + z2 - (a0 - a1)(b0 - b1)) B^h + z0.
** Scratch: |a0-a1| (h), |b0-b1| (h), their product (2h), z0 + z2 (2h + 1),
** then what the three half products need.
*/
static void mul_karatsuba(dig_t *r, const dig_t *a, size_t an, const dig_t *b,
                          size_t bn, dig_t *scratch) {
  size_t h = (an + 1) / 2, rn = an + bn;
  dig_t *sa = scratch, *sb = sa + h, *p = sb + h, *t = p + 2 * h;
  dig_t *rest = t + 2 * h + 1;
  int neg;
  dig_assert(bn > h && an >= bn);
  neg = abs_diff(sa, a, h, a + h, an - h);
  neg ^= abs_diff(sb, b, h, b + h, bn - h);
  dig_mul(p, sa, h, sb, h, rest);
  dig_mul(r, a, h, b, h, rest);
  dig_mul(r + 2 * h, a + h, an - h, b + h, bn - h, rest);
  memcpy(t, r, 2 * h * sizeof(dig_t));
  t[2 * h] = dig_add(t, t, 2 * h, r + 2 * h, rn - 2 * h);
  if (neg)
    t[2 * h] += dig_add(t, t, 2 * h, p, 2 * h);
  else
    t[2 * h] -= dig_sub(t, t, 2 * h, p, 2 * h);
  {
    size_t tn = dig_normalized_size(t, 2 * h + 1);
    dig_t c;
    dig_assert(tn <= rn - h);
    c = dig_add(r + h, r + h, rn - h, t, tn);
    dig_assert(c == 0);
    (void)c;
  }
}

static void sqr_karatsuba(dig_t *r, const dig_t *a, size_t n, dig_t *scratch) {
  size_t h = (n + 1) / 2, rn = 2 * n;
  dig_t *sa = scratch, *p = sa + h, *t = p + 2 * h, *rest = t + 2 * h + 1;
  abs_diff(sa, a, h, a + h, n - h);
  dig_sqr(p, sa, h, rest);
  dig_sqr(r, a, h, rest);
  dig_sqr(r + 2 * h, a + h, n - h, rest);
  memcpy(t, r, 2 * h * sizeof(dig_t));
  t[2 * h] = dig_add(t, t, 2 * h, r + 2 * h, rn - 2 * h);
  t[2 * h] -= dig_sub(t, t, 2 * h, p, 2 * h);
  {
    size_t tn = dig_normalized_size(t, 2 * h + 1);
    dig_t c;
    dig_assert(tn <= rn - h);
    c = dig_add(r + h, r + h, rn - h, t, tn);
    dig_assert(c == 0);
    (void)c;
  }
}

/*
** an much longer than bn: multiply bn-digit pieces of a by b and add the
** partial products in.  Scratch: one partial product (2 bn), then what a
** balanced bn x bn product needs.
*/
static void mul_pieces(dig_t *r, const dig_t *a, size_t an, const dig_t *b,
                       size_t bn, dig_t *scratch) {
  dig_t *t = scratch, *rest = scratch + 2 * bn;
  size_t off;
  dig_mul(r, a, bn, b, bn, rest);
  for (off = bn; off < an; off += bn) {
    size_t len = an - off < bn ? an - off : bn;
    dig_t c;
    dig_mul(t, b, bn, a + off, len, rest);
    memcpy(r + off + bn, t + bn, len * sizeof(dig_t));
    c = dig_add(r + off, r + off, bn + len, t, bn);
    dig_assert(c == 0);
    (void)c;
  }
}

/* ------------------------------------------------------------ Toom-3 */

/*
** Toom-Cook 3-way: a = a2 X^2 + a1 X + a0 and b likewise, X = B^k,
** k = ceil(an / 3), so the product is a degree-4 polynomial in X whose
** five coefficients follow from its values at 0, 1, -1, 2 and infinity:
** five products of about a third of the size instead of nine (Karatsuba
** needs 3^log2(3) = 5.2 products of a third, applied twice).  The point 2
** rather than -2 keeps every value but the one at -1 non-negative, so a
** single sign flag is all the bookkeeping the arrays of digits need.
**
** Interpolation (v_x the product's value at x, c_i its coefficients,
** all c_i >= 0), each step exact:
**   v2  = (v2 - vm1) / 3       = c1 + c2 + 3 c3 + 5 c4
**   vm1 = (v1 - vm1) / 2       = c1 + c3
**   v1  = v1 - v0              = c1 + c2 + c3 + c4
**   v2  = (v2 - v1) / 2        = c3 + 2 c4
**   v1  = v1 - vm1 - vinf      = c2
**   v2  = v2 - 2 vinf          = c3
**   vm1 = vm1 - v2             = c1
** Every intermediate is a sum of c_i with non-negative weights, so it fits
** the 2k + 2 digits of the products and no step can go below zero.
*/

/* r[0..n) = x / 3 for a multiple x of 3: each quotient digit is the
** current digit times 3^-1 mod B, and what 3 q overshoots the digit by is
** borrowed from the digits above.  r may equal x. */
static void divexact_3(dig_t *r, const dig_t *x, size_t n) {
  const dig_t inv3 = 0x2aaaaaab; /* 3 * inv3 = 2^31 + 1 = 1 mod B */
  dig_t borrow = 0;
  size_t i;
  for (i = 0; i < n; i++) {
    dig_t s = x[i] - borrow, q;
    dig_t under = s >> 31; /* x[i] < borrow: take B from above */
    s &= DIG_MASK;
    q = (dig_t)(((uint64_t)s * inv3) & DIG_MASK);
    r[i] = q;
    /* 3 q = s + h B with h <= 2 */
    borrow = under + (dig_t)(((uint64_t)q * 3) >> DIG_SHIFT);
  }
  dig_assert(borrow == 0);
}

/* Split sizes: k digits for the low and middle pieces, an - 2k >= 1 and
** bn - 2k >= 1 for the top ones. */
static size_t toom3_k(size_t an) { return (an + 2) / 3; }
static int toom3_fits(size_t an, size_t bn) {
  size_t k = toom3_k(an);
  return an > 2 * k && bn > 2 * k;
}

/* e1 = a(1), em = |a(-1)| (returns 1 when a(-1) < 0), e2 = a(2), each
** k + 1 digits: a(1) < 3 B^k and a(2) < 7 B^k fit them. */
static int toom3_eval(dig_t *e1, dig_t *em, dig_t *e2, const dig_t *a,
                      size_t k, size_t s) {
  const dig_t *a0 = a, *a1 = a + k, *a2 = a + 2 * k;
  int neg;
  dig_t c;
  e1[k] = dig_add(e1, a0, k, a2, s);
  neg = abs_diff(em, e1, k + 1, a1, k);
  c = dig_add(e1, e1, k + 1, a1, k);
  /* a(2) = 2 (a(1) + a2) - a0 */
  c |= dig_add(e2, e1, k + 1, a2, s);
  c |= dig_lshift(e2, e2, k + 1, 1);
  c |= dig_sub(e2, e2, k + 1, a0, k);
  dig_assert(c == 0);
  (void)c;
  return neg;
}

/*
** The interpolation above, then the coefficients added into r: r holds
** v0 in [0, 2k) and vinf in [4k, rn) already; vm1, v1, v2 have
** L = 2k + 2 digits and become c1, c2, c3.
*/
static void toom3_interpolate(dig_t *r, size_t rn, size_t k, dig_t *vm1,
                              int vm1_neg, dig_t *v1, dig_t *v2) {
  size_t L = 2 * k + 2, infn = rn - 4 * k, n;
  const dig_t *v0 = r, *vinf = r + 4 * k;
  dig_t c;
  if (vm1_neg) {
    c = dig_add(v2, v2, L, vm1, L);
    c |= dig_add(vm1, vm1, L, v1, L);
  } else {
    c = dig_sub(v2, v2, L, vm1, L);
    c |= dig_sub(vm1, v1, L, vm1, L);
  }
  divexact_3(v2, v2, L);
  dig_rshift(vm1, vm1, L, 1);
  c |= dig_sub(v1, v1, L, v0, 2 * k);
  c |= dig_sub(v2, v2, L, v1, L);
  dig_rshift(v2, v2, L, 1);
  c |= dig_sub(v1, v1, L, vm1, L);
  c |= dig_sub(v1, v1, L, vinf, infn);
  c |= dig_sub(v2, v2, L, vinf, infn);
  c |= dig_sub(v2, v2, L, vinf, infn);
  c |= dig_sub(vm1, vm1, L, v2, L);
  memset(r + 2 * k, 0, 2 * k * sizeof(dig_t));
  n = dig_normalized_size(vm1, L);
  if (n) c |= dig_add(r + k, r + k, rn - k, vm1, n);
  n = dig_normalized_size(v1, L);
  if (n) c |= dig_add(r + 2 * k, r + 2 * k, rn - 2 * k, v1, n);
  n = dig_normalized_size(v2, L);
  if (n) c |= dig_add(r + 3 * k, r + 3 * k, rn - 3 * k, v2, n);
  dig_assert(c == 0);
  (void)c;
}

/* Scratch: six evaluations of k + 1 digits, three products of 2k + 2
** (their values at -1, 1, 2), then what the largest product needs. */
static void mul_toom3(dig_t *r, const dig_t *a, size_t an, const dig_t *b,
                      size_t bn, dig_t *scratch) {
  size_t k = toom3_k(an), s = an - 2 * k, t = bn - 2 * k, K = k + 1;
  dig_t *ea1 = scratch, *eam = ea1 + K, *ea2 = eam + K;
  dig_t *eb1 = ea2 + K, *ebm = eb1 + K, *eb2 = ebm + K;
  dig_t *vm1 = eb2 + K, *v1 = vm1 + 2 * K, *v2 = v1 + 2 * K;
  dig_t *rest = v2 + 2 * K;
  int neg;
  dig_assert(toom3_fits(an, bn));
  neg = toom3_eval(ea1, eam, ea2, a, k, s);
  neg ^= toom3_eval(eb1, ebm, eb2, b, k, t);
  dig_mul(vm1, eam, K, ebm, K, rest);
  dig_mul(v1, ea1, K, eb1, K, rest);
  dig_mul(v2, ea2, K, eb2, K, rest);
  dig_mul(r, a, k, b, k, rest);
  dig_mul(r + 4 * k, a + 2 * k, s, b + 2 * k, t, rest); /* bn <= an: t <= s */
  toom3_interpolate(r, an + bn, k, vm1, neg, v1, v2);
}

static void sqr_toom3(dig_t *r, const dig_t *a, size_t n, dig_t *scratch) {
  size_t k = toom3_k(n), s = n - 2 * k, K = k + 1;
  dig_t *e1 = scratch, *em = e1 + K, *e2 = em + K;
  dig_t *vm1 = e2 + K, *v1 = vm1 + 2 * K, *v2 = v1 + 2 * K;
  dig_t *rest = v2 + 2 * K;
  dig_assert(toom3_fits(n, n));
  toom3_eval(e1, em, e2, a, k, s);
  dig_sqr(vm1, em, K, rest);
  dig_sqr(v1, e1, K, rest);
  dig_sqr(v2, e2, K, rest);
  dig_sqr(r, a, k, rest);
  dig_sqr(r + 4 * k, a + 2 * k, s, rest);
  toom3_interpolate(r, 2 * n, k, vm1, 0, v1, v2);
}

/* ------------------------------------------------------------ dispatch */

void dig_mul(dig_t *r, const dig_t *a, size_t an, const dig_t *b, size_t bn,
             dig_t *scratch) {
  dig_assert(an >= bn && bn >= 1);
  dig_assert(dig_disjoint(r, an + bn, a, an));
  dig_assert(dig_disjoint(r, an + bn, b, bn));
  if (a == b && an == bn) {
    dig_sqr(r, a, an, scratch);
  } else if (bn < DIG_KARATSUBA_MUL) {
    mul_school(r, a, an, b, bn);
  } else if (bn >= DIG_FFT_MUL) {
    mul_ntt(r, a, an, b, bn, 0, scratch);
  } else if (bn <= (an + 1) / 2) {
    mul_pieces(r, a, an, b, bn, scratch);
  } else if (bn >= DIG_TOOM3_MUL && toom3_fits(an, bn)) {
    mul_toom3(r, a, an, b, bn, scratch);
  } else {
    mul_karatsuba(r, a, an, b, bn, scratch);
  }
}

static size_t mul_itch(size_t an, size_t bn);

/* dig_mul squares when both operands are the same array, so the bound
** covers dig_sqr too when the sizes are equal. */
size_t dig_mul_itch(size_t an, size_t bn) {
  size_t m = mul_itch(an, bn);
  if (an == bn) {
    size_t sq = dig_sqr_itch(an);
    if (sq > m) m = sq;
  }
  return m;
}

static size_t mul_itch(size_t an, size_t bn) {
  if (an < bn) {
    size_t t = an;
    an = bn;
    bn = t;
  }
  if (bn < DIG_KARATSUBA_MUL) {
    return 0;
  } else if (bn >= DIG_FFT_MUL) {
    return ntt_itch(an, bn);
  } else if (bn <= (an + 1) / 2) {
    size_t whole = dig_mul_itch(bn, bn), part = dig_mul_itch(bn, an % bn);
    return 2 * bn + (whole > part ? whole : part);
  } else if (bn >= DIG_TOOM3_MUL && toom3_fits(an, bn)) {
    /* the itch of a product is not monotone in its sizes (a Karatsuba
    ** half may turn lopsided): each of the three shapes counts */
    size_t k = toom3_k(an), x = dig_mul_itch(k + 1, k + 1);
    size_t y = mul_itch(an - 2 * k, bn - 2 * k), z = mul_itch(k, k);
    if (y > x) x = y;
    return 12 * (k + 1) + (z > x ? z : x);
  } else {
    size_t h = (an + 1) / 2;
    size_t x = dig_mul_itch(h, h), y = dig_mul_itch(an - h, bn - h);
    return 6 * h + 1 + (x > y ? x : y);
  }
}

void dig_sqr(dig_t *r, const dig_t *a, size_t n, dig_t *scratch) {
  dig_assert(n >= 1);
  dig_assert(dig_disjoint(r, 2 * n, a, n));
  if (n < DIG_KARATSUBA_SQR)
    sqr_school(r, a, n);
  else if (n >= DIG_FFT_SQR)
    mul_ntt(r, a, n, a, n, 1, scratch);
  else if (n >= DIG_TOOM3_SQR)
    sqr_toom3(r, a, n, scratch);
  else
    sqr_karatsuba(r, a, n, scratch);
}

size_t dig_sqr_itch(size_t n) {
  if (n < DIG_KARATSUBA_SQR) return 0;
  if (n >= DIG_FFT_SQR) return ntt_itch(n, n);
  if (n >= DIG_TOOM3_SQR) {
    size_t k = toom3_k(n), x = dig_sqr_itch(k + 1), y = dig_sqr_itch(n - 2 * k);
    size_t z = dig_sqr_itch(k);
    if (y > x) x = y;
    return 9 * (k + 1) + (z > x ? z : x);
  }
  {
    size_t h = (n + 1) / 2;
    size_t x = dig_sqr_itch(h), y = dig_sqr_itch(n - h);
    return 5 * h + 1 + (x > y ? x : y);
  }
}
