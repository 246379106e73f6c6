/*
** digits_mul.c -- multiplication and squaring of digit arrays.
**
** Three algorithms, picked by the length of the shorter operand:
**   schoolbook          below DIG_KARATSUBA_MUL (DIG_KARATSUBA_SQR for squares)
**   Karatsuba           up to DIG_FFT_MUL, with lopsided operands cut into
**                       pieces as long as the short one
**   number-theoretic    from DIG_FFT_MUL on: a transform modulo three primes
**   transform (NTT)     below 2^62, recombined by the Chinese remainder theorem
**
** Scratch sizes: every *_itch function below follows the recursion of the
** code it sizes, step by step, so the bound is exact for the path taken
** (plus small slack for alignment); see the comment before each.
**
** Cutoffs (digits of the shorter operand), measured with gcc -O3 on an
** x86-64 machine (AMD EPYC), 30-bit digits, timing each algorithm alone:
**   DIG_KARATSUBA_MUL 70: the column schoolbook runs at about one
**     multiply-add per cycle; a Karatsuba step saves a quarter of the
**     products but adds some 8n digit operations of subtraction, copying
**     and addition.  The measured times were flat (within noise) from about
**     50 to 100 digits; 70 sits in the middle of that plateau.
**   DIG_KARATSUBA_SQR 120: the schoolbook square forms each cross product
**     once, so it does half a product's work and stays ahead of the
**     Karatsuba square about twice as long; 90 to 130 measured alike.
**   DIG_FFT_MUL 1100: the transform costs 3 primes x 3 transforms of
**     (N/2) log2 N butterflies, N the power of two above the product's
**     coefficient count, whatever the values, so its time is a staircase;
**     it matched Karatsuba at 1,000-1,100 digits and was 1.5x faster at
**     1,500 (about 10,000 decimal digits is the crossover).
**   DIG_FFT_SQR 1400: a square saves one transform in three, while the
**     Karatsuba square saves half of its products, so its crossover lies
**     a little further out (1,100-1,500 digits measured).
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
** Product by columns: r[k] collects every a[i] * b[k - i].  Up to 16
** products of two 30-bit digits fit a uint64_t (16 (2^30 - 1)^2 < 2^64),
** so the inner loop is a plain dot product without carries, which the
** compiler pipelines and vectorizes; each column's sum then goes into a
** 128-bit accumulator that carries into the next column.  Rows of
** dig_addmul_1 are quicker for a very short b.
*/
static void mul_school(dig_t *r, const dig_t *a, size_t an, const dig_t *b,
                       size_t bn) {
  dig_u128 acc = 0;
  size_t k;
  if (bn <= 8) {
    size_t j;
    r[an] = dig_mul_1(r, a, an, b[0], 0);
    for (j = 1; j < bn; j++) r[an + j] = dig_addmul_1(r + j, a, an, b[j]);
    return;
  }
  for (k = 0; k + 1 < an + bn; k++) {
    size_t lo = k + 1 > bn ? k + 1 - bn : 0, hi = k < an - 1 ? k : an - 1;
    size_t i = lo;
    while (i <= hi) {
      size_t end = hi - i >= 15 ? i + 16 : hi + 1;
      uint64_t sum = 0;
      for (; i < end; i++) sum += (uint64_t)a[i] * b[k - i];
      acc += sum;
    }
    r[k] = (dig_t)acc & DIG_MASK;
    acc >>= DIG_SHIFT;
  }
  r[an + bn - 1] = (dig_t)acc;
}

/* Square by columns: each cross product a[i] a[k - i], i < k - i, once,
** doubled, plus the square a[k/2]^2 on even columns. */
static void sqr_school(dig_t *r, const dig_t *a, size_t n) {
  dig_u128 acc = 0;
  size_t k;
  for (k = 0; k + 1 < 2 * n; k++) {
    size_t lo = k + 1 > n ? k + 1 - n : 0, i = lo;
    size_t hi = (k + 1) / 2; /* i < hi means i < k - i */
    dig_u128 col = 0;
    while (i < hi) {
      size_t end = hi - i > 16 ? i + 16 : hi;
      uint64_t sum = 0;
      for (; i < end; i++) sum += (uint64_t)a[i] * a[k - i];
      col += sum;
    }
    acc += col << 1;
    if (!(k & 1)) acc += (uint64_t)a[k / 2] * a[k / 2];
    r[k] = (dig_t)acc & DIG_MASK;
    acc >>= DIG_SHIFT;
  }
  r[2 * n - 1] = (dig_t)acc;
}

/* ------------------------------------------------------------ NTT */

/*
** Three primes p = c * 2^40 + 1 just below 2^62, with a generator of the
** multiplicative group each.  2^40 divides p - 1, so transforms up to 2^40
** points exist; their product, about 2^186, bounds the coefficients of
** the product (see ntt_make_plan).  Keeping p < 2^62 lets a sum of two
** residues minus p be tested by its sign bit.
*/
typedef struct {
  uint64_t p;    /* the prime */
  uint64_t pinv; /* p^-1 mod 2^64 */
  uint64_t r1;   /* 2^64 mod p: one in Montgomery form */
  uint64_t r2;   /* 2^128 mod p */
  uint64_t g;    /* a generator */
} ntt_mod;

static const uint64_t ntt_primes[3] = {
    UINT64_C(0x3fff810000000001), UINT64_C(0x3fff6d0000000001),
    UINT64_C(0x3fff450000000001)};
static const uint64_t ntt_gens[3] = {5, 3, 10};
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
static void ntt_twiddles(uint64_t *tw, size_t n, int inverse,
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

/* Decimation in frequency: natural order in, bit-reversed order out. */
static void ntt_forward(uint64_t *x, size_t n, const uint64_t *tw,
                        const ntt_mod *m) {
  uint64_t p = m->p;
  size_t len, i, j;
  if (n > NTT_BLOCK) {
    const uint64_t *t = tw + n / 2;
    uint64_t *lo = x, *hi = x + n / 2;
    for (j = 0; j < n / 2; j++) {
      uint64_t u = lo[j], v = hi[j];
      lo[j] = mod_add(u, v, p);
      hi[j] = mont_mul(mod_sub(u, v, p), t[j], m);
    }
    ntt_forward(lo, n / 2, tw, m);
    ntt_forward(hi, n / 2, tw, m);
    return;
  }
  for (len = n / 2; len >= 2; len /= 2) {
    const uint64_t *t = tw + len;
    for (i = 0; i < n; i += 2 * len) {
      uint64_t *lo = x + i, *hi = x + i + len;
      for (j = 0; j < len; j++) {
        uint64_t u = lo[j], v = hi[j];
        lo[j] = mod_add(u, v, p);
        hi[j] = mont_mul(mod_sub(u, v, p), t[j], m);
      }
    }
  }
  for (i = 0; i < n; i += 2) {
    uint64_t u = x[i], v = x[i + 1];
    x[i] = mod_add(u, v, p);
    x[i + 1] = mod_sub(u, v, p);
  }
}

/* Decimation in time with inverse roots: bit-reversed in, natural out,
** every value times n. */
static void ntt_inverse(uint64_t *x, size_t n, const uint64_t *tw,
                        const ntt_mod *m) {
  uint64_t p = m->p;
  size_t len, i, j;
  if (n > NTT_BLOCK) {
    const uint64_t *t = tw + n / 2;
    uint64_t *lo = x, *hi = x + n / 2;
    ntt_inverse(lo, n / 2, tw, m);
    ntt_inverse(hi, n / 2, tw, m);
    for (j = 0; j < n / 2; j++) {
      uint64_t u = lo[j], v = mont_mul(hi[j], t[j], m);
      lo[j] = mod_add(u, v, p);
      hi[j] = mod_sub(u, v, p);
    }
    return;
  }
  for (i = 0; i < n; i += 2) {
    uint64_t u = x[i], v = x[i + 1];
    x[i] = mod_add(u, v, p);
    x[i + 1] = mod_sub(u, v, p);
  }
  for (len = 2; len < n; len *= 2) {
    const uint64_t *t = tw + len;
    for (i = 0; i < n; i += 2 * len) {
      uint64_t *lo = x + i, *hi = x + i + len;
      for (j = 0; j < len; j++) {
        uint64_t u = lo[j], v = mont_mul(hi[j], t[j], m);
        lo[j] = mod_add(u, v, p);
        hi[j] = mod_sub(u, v, p);
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
  size_t n;      /* transform length: a power of two >= ca + cb - 1 */
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
  return pl;
}

/* bits [pos, pos + cnt) of a[0..an), cnt <= 30, zero beyond the end */
static uint64_t get_bits(const dig_t *a, size_t an, uint64_t pos, unsigned cnt) {
  size_t idx = (size_t)(pos / DIG_SHIFT);
  unsigned off = (unsigned)(pos % DIG_SHIFT);
  uint64_t v;
  if (idx >= an) return 0;
  v = a[idx] >> off;
  if (off && idx + 1 < an) v |= (uint64_t)a[idx + 1] << (DIG_SHIFT - off);
  return v & (((uint64_t)1 << cnt) - 1);
}

/* x[0..n) = the w-bit coefficients of a reduced mod p, zero-padded;
** two60 = 2^60 in Montgomery form, so mont_mul(hi, two60) = hi 2^60. */
static void ntt_load(uint64_t *x, size_t n, const dig_t *a, size_t an,
                     unsigned w, size_t count, uint64_t two60,
                     const ntt_mod *m) {
  size_t i;
  uint64_t pos = 0;
  for (i = 0; i < count; i++, pos += w) {
    unsigned lo1 = w < 30 ? w : 30, lo2 = w <= 30 ? 0 : (w < 60 ? w - 30 : 30);
    uint64_t c0 = get_bits(a, an, pos, lo1);
    if (lo2) c0 |= get_bits(a, an, pos + 30, lo2) << 30;
    if (w > 60) {
      uint64_t c1 = get_bits(a, an, pos + 60, w - 60);
      c0 = mod_add(c0, mont_mul(c1, two60, m), m->p);
    }
    x[i] = c0;
  }
  for (; i < n; i++) x[i] = 0;
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
  uint64_t *base = (uint64_t *)(void *)(scratch + (((uintptr_t)scratch & 7) ? 1 : 0));
  uint64_t *res[3], *bt = base + 3 * n, *tw = base + (square ? 3 : 4) * n;
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
    ntt_twiddles(tw, n, 0, m);
    ntt_forward(res[k], n, tw, m);
    if (square) {
      for (i = 0; i < n; i++) res[k][i] = mont_mul(res[k][i], res[k][i], m);
    } else {
      ntt_load(bt, n, b, bn, pl.w, pl.cb, two60, m);
      ntt_forward(bt, n, tw, m);
      for (i = 0; i < n; i++) res[k][i] = mont_mul(res[k][i], bt[i], m);
    }
    ntt_twiddles(tw, n, 1, m);
    ntt_inverse(res[k], n, tw, m);
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

/* ------------------------------------------------------------ dispatch */

void dig_mul(dig_t *r, const dig_t *a, size_t an, const dig_t *b, size_t bn,
             dig_t *scratch) {
  dig_assert(an >= bn && bn >= 1);
  dig_assert(r + an + bn <= a || a + an <= r);
  dig_assert(r + an + bn <= b || b + bn <= r);
  if (a == b && an == bn) {
    dig_sqr(r, a, an, scratch);
  } else if (bn < DIG_KARATSUBA_MUL) {
    mul_school(r, a, an, b, bn);
  } else if (bn >= DIG_FFT_MUL) {
    mul_ntt(r, a, an, b, bn, 0, scratch);
  } else if (bn <= (an + 1) / 2) {
    mul_pieces(r, a, an, b, bn, scratch);
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
  } else {
    size_t h = (an + 1) / 2;
    size_t x = dig_mul_itch(h, h), y = dig_mul_itch(an - h, bn - h);
    return 6 * h + 1 + (x > y ? x : y);
  }
}

void dig_sqr(dig_t *r, const dig_t *a, size_t n, dig_t *scratch) {
  dig_assert(n >= 1);
  dig_assert(r + 2 * n <= a || a + n <= r);
  if (n < DIG_KARATSUBA_SQR)
    sqr_school(r, a, n);
  else if (n >= DIG_FFT_SQR)
    mul_ntt(r, a, n, a, n, 1, scratch);
  else
    sqr_karatsuba(r, a, n, scratch);
}

size_t dig_sqr_itch(size_t n) {
  if (n < DIG_KARATSUBA_SQR) return 0;
  if (n >= DIG_FFT_SQR) return ntt_itch(n, n);
  {
    size_t h = (n + 1) / 2;
    size_t x = dig_sqr_itch(h), y = dig_sqr_itch(n - h);
    return 5 * h + 1 + (x > y ? x : y);
  }
}
