/*
** digits_conv.c -- conversion between digit arrays and strings of digit
** values in bases 2..36.
**
** Power-of-two bases pack or unpack bits: linear.  Other bases work in
** chunks of k characters, k the largest with base^k < 2^30, so that one
** dig_divrem_1 or dig_mul_1 step handles k characters:
**   below DIG_CONV_RECURSIVE digits: the quadratic chunk loop;
**   above it: divide and conquer.  The powers P_i = base^(k 2^i) are built
**   by repeated squaring in scratch; a number is split by one of them
**   (division to write, multiplication to read) and each half converted
**   recursively, which costs O(M(n) log n) with the fast product and
**   division underneath.
**
** DIG_CONV_RECURSIVE 60: the chunk loop's step is a one-digit division
** by a precomputed reciprocal (a few cycles per digit) and costs n^2 / k
** steps; a split costs one division (writing) or one product (reading)
** of the halves.  Measured (gcc -O3, x86-64) from 50 to 1,600 digits,
** cutoffs of 30 to 100 were alike for both directions and 200 or more
** lost up to 1.5x; 60 is in the middle.
*/
#include <string.h>

#include "digits.h"

static const char conv_chars[] = "0123456789abcdefghijklmnopqrstuvwxyz";

/* floor(65536 * log2(base)), base 2..36: exact for powers of two. */
static const uint32_t conv_log2_q16[37] = {
    0,      0,      65536,  103872, 131072, 152169, 169408, 183982,
    196608, 207744, 217705, 226717, 234944, 242512, 249518, 256041,
    262144, 267875, 273280, 278392, 283241, 287854, 292253, 296456,
    300480, 304339, 308048, 311616, 315054, 318372, 321577, 324678,
    327680, 330589, 333411, 336152, 338816};

/* log2(base) if base is a power of two, else 0 */
static unsigned conv_pow2_bits(int base) {
  unsigned bits = 0;
  if (base & (base - 1)) return 0;
  while ((1 << bits) < base) bits++;
  return bits;
}

/* k and base^k for the chunk loops */
static unsigned conv_chunk(int base, dig_t *big) {
  unsigned k = 0;
  dig_t p = 1;
  while ((dig_twodig_t)p * (dig_t)base <= DIG_MASK) {
    p *= (dig_t)base;
    k++;
  }
  *big = p;
  return k;
}

size_t dig_from_base_size(size_t len, int base) {
  size_t bits;
  dig_assert(base >= 2 && base <= 36);
  bits = (len * (conv_log2_q16[base] + 1) + 65535) / 65536;
  return (bits + DIG_SHIFT - 1) / DIG_SHIFT + 1;
}

size_t dig_to_base_size(size_t n, int base) {
  dig_assert(base >= 2 && base <= 36);
  return (size_t)((uint64_t)n * DIG_SHIFT * 65536 / conv_log2_q16[base]) + 3;
}

/* ------------------------------------------------------------ powers */

/*
** Powers P_i = base^(k 2^i) for i = 0..count-1, normalized, each placed
** right after the 2 * size(P_{i-1}) digits its square needed.
*/
typedef struct {
  dig_t *p[64];
  size_t n[64];
  int count;
} conv_powers;

/* Build P_{i+1} = P_i^2 while its size (at most 2 size(P_i)) cannot exceed
** max_size; returns the digits used.  'tmp' is squaring scratch. */
static size_t conv_build_powers(conv_powers *pw, dig_t big, size_t max_size,
                                dig_t *area, dig_t *tmp) {
  size_t used = 1;
  pw->p[0] = area;
  area[0] = big;
  pw->n[0] = 1;
  pw->count = 1;
  while (pw->count < 64 && 2 * pw->n[pw->count - 1] <= max_size) {
    int i = pw->count - 1;
    dig_t *next = pw->p[i] + 2 * pw->n[i];
    dig_sqr(next, pw->p[i], pw->n[i], tmp);
    pw->p[i + 1] = next;
    pw->n[i + 1] = dig_normalized_size(next, 2 * pw->n[i]);
    used = (size_t)(next - area) + 2 * pw->n[i];
    pw->count++;
  }
  return used;
}

/* Scratch bound of conv_build_powers: the areas (sizes at least nearly
** doubling, so their sum is under twice the last plus one per power: below
** 3 max_size + 128) and the squaring scratch (below 20 max_size + 64). */
static size_t conv_powers_itch(size_t max_size) {
  return 4 * max_size + 130 + 20 * max_size + 64;
}

/* q = a / P, r[0..pn) = a % P (zero-padded); returns q's normalized size. */
static size_t conv_divide(dig_t *q, dig_t *r, const dig_t *a, size_t n,
                          const dig_t *p, size_t pn, dig_t *scratch) {
  if (n < pn) {
    memcpy(r, a, n * sizeof(dig_t));
    memset(r + n, 0, (pn - n) * sizeof(dig_t));
    return 0;
  }
  if (pn == 1) {
    r[0] = dig_divrem_1(q, a, n, p[0]);
  } else {
    dig_divrem(q, r, a, n, p, pn, scratch);
  }
  return dig_normalized_size(q, n - pn + 1);
}

/* ------------------------------------------------------------ to base */

typedef struct {
  int base;
  unsigned k;
  dig_t big;
  conv_powers pw;
} conv_ctx;

/*
** The chunk loop.  width > 0: exactly 'width' characters, zero-padded
** (a < base^width).  width == 0: no leading zeros, written backward from
** out + cap and moved to the front.  Scratch: n digits.
*/
static size_t to_base_chunks(char *out, const dig_t *a, size_t n, size_t width,
                             size_t cap, const conv_ctx *cx, dig_t *t) {
  char *end = width ? out + width : out + cap, *pos = end;
  n = dig_normalized_size(a, n);
  memcpy(t, a, n * sizeof(dig_t));
  while (n > 0) {
    dig_t rem = dig_divrem_1(t, t, n, cx->big);
    unsigned i;
    n = dig_normalized_size(t, n);
    if (n == 0 && !width) {
      while (rem) { /* top chunk: no leading zeros */
        *--pos = conv_chars[rem % (dig_t)cx->base];
        rem /= (dig_t)cx->base;
      }
    } else {
      for (i = 0; i < cx->k; i++) {
        *--pos = conv_chars[rem % (dig_t)cx->base];
        rem /= (dig_t)cx->base;
      }
    }
  }
  if (width) {
    dig_assert(pos >= out);
    while (pos > out) *--pos = '0';
    return width;
  }
  memmove(out, pos, (size_t)(end - pos));
  return (size_t)(end - pos);
}

/* Exactly width = k 2^level characters of a < P_level, zero-padded. */
static void to_base_pad(char *out, const dig_t *a, size_t n, int level,
                        size_t width, const conv_ctx *cx, dig_t *scratch) {
  n = dig_normalized_size(a, n);
  if (n == 0) {
    memset(out, '0', width);
  } else if (n < DIG_CONV_RECURSIVE || level == 0) {
    to_base_chunks(out, a, n, width, 0, cx, scratch);
  } else {
    const dig_t *p = cx->pw.p[level - 1];
    size_t pn = cx->pw.n[level - 1], half = width / 2;
    dig_t *q = scratch, *r = q + n + 1, *rest = r + pn;
    size_t qn = conv_divide(q, r, a, n, p, pn, rest);
    to_base_pad(out, q, qn, level - 1, half, cx, rest);
    to_base_pad(out + half, r, pn, level - 1, half, cx, rest);
  }
}

/* a normalized, n >= 1, no leading zeros; returns the length. */
static size_t to_base_top(char *out, const dig_t *a, size_t n,
                          const conv_ctx *cx, dig_t *scratch) {
  int i;
  if (n < DIG_CONV_RECURSIVE)
    return to_base_chunks(out, a, n, 0, dig_to_base_size(n, cx->base) - 1,
                          cx, scratch);
  /* the largest power with 2 size - 1 <= n, so the quotient is non-zero */
  for (i = cx->pw.count - 1; i > 0 && 2 * cx->pw.n[i] - 1 > n; i--) {
  }
  {
    const dig_t *p = cx->pw.p[i];
    size_t pn = cx->pw.n[i], len;
    dig_t *q = scratch, *r = q + n + 1, *rest = r + pn;
    size_t qn = conv_divide(q, r, a, n, p, pn, rest);
    dig_assert(qn > 0);
    len = to_base_top(out, q, qn, cx, rest);
    to_base_pad(out + len, r, pn, i, (size_t)cx->k << i, cx, rest);
    return len + ((size_t)cx->k << i);
  }
}

static size_t to_base_pow2(char *out, const dig_t *a, size_t n, unsigned bits) {
  uint64_t nbits = dig_bit_length(a, n);
  size_t nchars = (size_t)((nbits + bits - 1) / bits), c;
  dig_t mask = ((dig_t)1 << bits) - 1;
  for (c = 0; c < nchars; c++) {
    uint64_t pos = (uint64_t)(nchars - 1 - c) * bits;
    size_t idx = (size_t)(pos / DIG_SHIFT);
    unsigned off = (unsigned)(pos % DIG_SHIFT);
    dig_t v = a[idx] >> off;
    if (off + bits > DIG_SHIFT && idx + 1 < n) v |= a[idx + 1] << (DIG_SHIFT - off);
    out[c] = conv_chars[v & mask];
  }
  out[nchars] = '\0';
  return nchars;
}

/* Chunk loop: a copy of a.  Recursion: powers up to about n/2 digits,
** then per level a quotient and remainder (n + 1 + ... digits) and the
** division's scratch; the sizes shrink by at least a quarter per level. */
size_t dig_to_base_itch(size_t n, int base) {
  size_t total, m;
  if (conv_pow2_bits(base) || n < DIG_CONV_RECURSIVE) return n;
  total = n + conv_powers_itch(n / 2 + 1);
  for (m = n; m >= DIG_CONV_RECURSIVE; m = m * 3 / 4 + 1)
    total += 3 * m + 4 + dig_divrem_itch(m, m);
  return total;
}

size_t dig_to_base(char *out, const dig_t *a, size_t n, int base,
                   dig_t *scratch) {
  unsigned bits = conv_pow2_bits(base);
  conv_ctx cx;
  size_t len;
  dig_assert(base >= 2 && base <= 36);
  dig_assert(n >= 1 && a[n - 1] != 0);
  if (bits) return to_base_pow2(out, a, n, bits);
  cx.base = base;
  cx.k = conv_chunk(base, &cx.big);
  if (n < DIG_CONV_RECURSIVE) {
    len = to_base_chunks(out, a, n, 0, dig_to_base_size(n, base) - 1, &cx,
                         scratch);
  } else {
    size_t used = conv_build_powers(&cx.pw, cx.big, (n + 1) / 2, scratch,
                                    scratch + 4 * ((n + 1) / 2) + 130);
    len = to_base_top(out, a, n, &cx, scratch + used);
  }
  out[len] = '\0';
  return len;
}

/* ------------------------------------------------------------ from base */

/* Chunk loop: r = vals read k at a time; returns the normalized size. */
static size_t from_base_chunks(dig_t *r, const unsigned char *vals, size_t len,
                               const conv_ctx *cx) {
  size_t rn = 0, i = 0, first = len % cx->k;
  if (first == 0) first = cx->k;
  while (i < len) {
    size_t take = i == 0 ? first : cx->k, j;
    dig_t chunk = 0, mult = 1, c;
    for (j = 0; j < take; j++) {
      dig_assert(vals[i + j] < cx->base);
      chunk = chunk * (dig_t)cx->base + vals[i + j];
      mult *= (dig_t)cx->base;
    }
    i += take;
    c = dig_mul_1(r, r, rn, mult, chunk);
    if (c) r[rn++] = c;
  }
  return rn;
}

/* r gets value of vals[0..len); returns its normalized size. */
static size_t from_base_rec(dig_t *r, const unsigned char *vals, size_t len,
                            const conv_ctx *cx, dig_t *scratch) {
  int j;
  size_t w, hcap, lcap, hn, ln, pn;
  dig_t *h, *lo, *t, *rest;
  if (dig_from_base_size(len, cx->base) < DIG_CONV_RECURSIVE)
    return from_base_chunks(r, vals, len, cx);
  /* the lower part: k 2^j values, the largest such count below len */
  for (j = cx->pw.count - 1; j > 0 && ((size_t)cx->k << j) >= len; j--) {
  }
  w = (size_t)cx->k << j;
  hcap = dig_from_base_size(len - w, cx->base);
  lcap = dig_from_base_size(w, cx->base);
  h = scratch;
  lo = h + hcap;
  t = lo + lcap;
  pn = cx->pw.n[j];
  rest = t + hcap + pn;
  hn = from_base_rec(h, vals, len - w, cx, rest);
  ln = from_base_rec(lo, vals + len - w, w, cx, rest);
  if (hn == 0) {
    memcpy(r, lo, ln * sizeof(dig_t));
    return ln;
  }
  if (hn >= pn)
    dig_mul(t, h, hn, cx->pw.p[j], pn, rest);
  else
    dig_mul(t, cx->pw.p[j], pn, h, hn, rest);
  if (ln > 0) {
    dig_t c = dig_add(t, t, hn + pn, lo, ln);
    dig_assert(c == 0);
    (void)c;
  }
  hn = dig_normalized_size(t, hn + pn);
  memcpy(r, t, hn * sizeof(dig_t));
  return hn;
}

static size_t from_base_pow2(dig_t *r, const unsigned char *vals, size_t len,
                             unsigned bits) {
  size_t rn = 0, i = len;
  dig_twodig_t acc = 0;
  unsigned have = 0;
  while (i > 0) {
    i--;
    acc |= (dig_twodig_t)vals[i] << have;
    have += bits;
    if (have >= DIG_SHIFT) {
      r[rn++] = (dig_t)acc & DIG_MASK;
      acc >>= DIG_SHIFT;
      have -= DIG_SHIFT;
    }
  }
  if (have) r[rn++] = (dig_t)acc;
  return dig_normalized_size(r, rn);
}

/* Powers up to the size of the whole; per level the high and low parts,
** their product, and the product's scratch; the level after the first
** at most the same size, then halving. */
size_t dig_from_base_itch(size_t len, int base) {
  size_t n = dig_from_base_size(len, base), total, m;
  if (conv_pow2_bits(base) || n < DIG_CONV_RECURSIVE) return 0;
  total = conv_powers_itch(n);
  for (m = n;; m = m / 2 + 2) {
    total += 4 * m + 8 + dig_mul_itch(m, m) + 20 * m + 64;
    if (m < DIG_CONV_RECURSIVE) break;
  }
  return total + 4 * n + 8 + 20 * n + 64;
}

size_t dig_from_base(dig_t *r, const unsigned char *vals, size_t len, int base,
                     dig_t *scratch) {
  unsigned bits = conv_pow2_bits(base);
  conv_ctx cx;
  size_t n;
  dig_assert(base >= 2 && base <= 36);
  if (bits) return from_base_pow2(r, vals, len, bits);
  cx.base = base;
  cx.k = conv_chunk(base, &cx.big);
  n = dig_from_base_size(len, base);
  if (n < DIG_CONV_RECURSIVE) return dig_normalized_size(r, from_base_chunks(r, vals, len, &cx));
  {
    size_t used = conv_build_powers(&cx.pw, cx.big, n, scratch,
                                    scratch + 4 * n + 130);
    return from_base_rec(r, vals, len, &cx, scratch + used);
  }
}
