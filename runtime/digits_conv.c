/*
** digits_conv.c -- conversion between digit arrays and strings of digit
** values in bases 2..36.
**
** Power-of-two bases pack or unpack bits: linear.  Other bases:
**
** Small numbers (below DIG_CONV_RECURSIVE or DIG_CONV_FROM_RECURSIVE
** digits) go through the quadratic chunk loops, which work on 64-bit
** words, not on 30-bit digits: the number is repacked into words, and each step divides the
** whole array by (or multiplies it by) base^K, the largest power below
** 2^64 (10^19 for base 10).  A word step does about as much as one digit
** step, so a pass over the number costs half as many steps and yields
** twice as many characters as a 30-bit loop would: four times fewer
** steps in all.  The division uses a precomputed reciprocal of the
** normalized divisor (two products and no hardware divide per word).
**
** Larger numbers: divide and conquer over the powers P_i = base^(k 2^i)
** (k the largest with base^k < 2^30), built by repeated squaring.
**   Writing: a number below P_i^2 is split by P_i into a quotient and a
**   remainder, each converted recursively.  From CONV_BARRETT digits on,
**   a split is two products by a reciprocal of P_i computed once per
**   power (Newton's iteration), rather than a division, which costs a
**   few products itself: the whole conversion is then about two products
**   per level of the recursion.  Only the first reciprocal takes the
**   whole iteration; each one above starts from the square of the one
**   below and needs a single Newton step, cheap enough to pay even for
**   the top power's single split (a division of 2n by n digits, about
**   six products, was a third of the time at 10^6 decimal digits).
**   Reading: the high and low halves are read recursively and combined
**   with one product by a power.
**
** Cutoffs (digits of the number; gcc -O3, x86-64, measured beside GMP):
**   DIG_CONV_RECURSIVE 70 (writing): with the products below the
**   Karatsuba cutoff packing their words in blocks, and the two halves
**   of the last split converted side by side (to_base_chunks2), splitting
**   pays sooner: against 200 before both, 70 took 0.75-0.95 of the time
**   from 1,000 to 10,000 decimal digits; 50 measured like 70, 100 to
**   200 were 5-25% slower at 2,000 to 10,000.
**   DIG_CONV_FROM_RECURSIVE 1200 (reading): the reading loop's step is a
**   multiply-add without a division, so it stays ahead of the products
**   much longer; 1,200 to 2,000 measured alike, 600 was 2x slower at
**   10,000 decimal digits, and rechecked after the faster products: 150,
**   300 and 600 were all 1.3-1.4x slower than 1,200 at 10,000.
**   CONV_BARRETT 1000 and CONV_BARRETT_SPLITS 3: a reciprocal from
**   scratch costs some 2.5 products of its power's size, so it pays only
**   where products are fast (dig_divrem is then O(M(n) log n)) and enough
**   splits share it (the chained ones above it always pay); with reciprocals for every level from 120 digits on, 10,000
**   decimal digits took 1.6x longer than with division alone.
*/
#include <string.h>

#include "digits.h"

__extension__ typedef unsigned __int128 conv_u128;

/*
** CONV_BARRETT: from this many digits of the power on, a split uses the
** reciprocal (dig_invert, dig_divrem_inv in digits_div.c); below,
** dig_divrem.
*/
#ifdef ISP_TEST_CUTOFFS
#define CONV_BARRETT 3
#else
#ifndef CONV_BARRETT
#define CONV_BARRETT 1000
#endif
#endif
/* a reciprocal costs a few products: worth it only for a power that at
** least about this many splits use (sizes below n / CONV_BARRETT_SPLITS) */
#ifndef CONV_BARRETT_SPLITS
#define CONV_BARRETT_SPLITS 3
#endif

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

/* ------------------------------------------------------------ context */

/*
** Powers P_i = base^(k 2^i), i < count, normalized, each placed right
** after the 2 size(P_{i-1}) digits its square needed; r[i] (rn[i]
** digits) approximates B^(2 n[i]) / P_i once computed, B = 2^30.
*/
typedef struct {
  int base;
  unsigned k;    /* characters per 30-bit chunk */
  dig_t big;     /* base^k */
  unsigned kw;   /* characters per 64-bit word */
  uint64_t bigw; /* base^kw */
  unsigned sw;   /* bigw << sw has its top bit set */
  uint64_t dw;   /* bigw << sw */
  uint64_t vw;   /* floor((2^128 - 1) / dw) - 2^64 */
  dig_t *p[64];
  size_t n[64];
  dig_t *r[64];
  size_t rn[64];
  int count;
} conv_ctx;

/*
** Per base: k, base^k, kw, base^kw, the shift normalizing base^kw and the
** reciprocal of the normalized word, as conv_init would compute them (a
** 128-bit division would cost more than converting a short number).
*/
static const struct {
  unsigned k;
  dig_t big;
  unsigned kw;
  uint64_t bigw;
  unsigned sw;
  uint64_t vw;
} conv_bases[37] = {
    {0, 0, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 0},
    {29, 536870912, 63, UINT64_C(0x8000000000000000), 0, UINT64_C(0xffffffffffffffff)},
    {18, 387420489, 40, UINT64_C(0xa8b8b452291fe821), 0, UINT64_C(0x846d550e37b5063d)},
    {14, 268435456, 31, UINT64_C(0x4000000000000000), 1, UINT64_C(0xffffffffffffffff)},
    {12, 244140625, 27, UINT64_C(0x6765c793fa10079d), 1, UINT64_C(0x3ce9a36f23c0fc90)},
    {11, 362797056, 24, UINT64_C(0x41c21cb8e1000000), 1, UINT64_C(0xf24f62335024a295)},
    {10, 282475249, 22, UINT64_C(0x3642798750226111), 2, UINT64_C(0x2df495ccaa57147b)},
    {9, 134217728, 21, UINT64_C(0x8000000000000000), 0, UINT64_C(0xffffffffffffffff)},
    {9, 387420489, 20, UINT64_C(0xa8b8b452291fe821), 0, UINT64_C(0x846d550e37b5063d)},
    {9, 1000000000, 19, UINT64_C(0x8ac7230489e80000), 0, UINT64_C(0xd83c94fb6d2ac34a)},
    {8, 214358881, 18, UINT64_C(0x4d28cb56c33fa539), 1, UINT64_C(0xa8adf7ae45e7577b)},
    {8, 429981696, 17, UINT64_C(0x1eca170c00000000), 3, UINT64_C(0x0a10c2bec5da8f8f)},
    {8, 815730721, 17, UINT64_C(0x780c7372621bd74d), 1, UINT64_C(0x10f4becafe412ec3)},
    {7, 105413504, 16, UINT64_C(0x1e39a5057d810000), 3, UINT64_C(0x0f08480f672b4e86)},
    {7, 170859375, 16, UINT64_C(0x5b27ac993df97701), 1, UINT64_C(0x6779c7f90dc42f48)},
    {7, 268435456, 15, UINT64_C(0x1000000000000000), 3, UINT64_C(0xffffffffffffffff)},
    {7, 410338673, 15, UINT64_C(0x27b95e997e21d9f1), 2, UINT64_C(0x9c71e11bab279323)},
    {7, 612220032, 15, UINT64_C(0x5da0e1e53c5c8000), 1, UINT64_C(0x5dfaa697ec6f6a1c)},
    {7, 893871739, 15, UINT64_C(0xd2ae3299c1c4aedb), 0, UINT64_C(0x3711783f6be7e9ec)},
    {6, 64000000, 14, UINT64_C(0x16bcc41e90000000), 3, UINT64_C(0x6849b86a12b9b01e)},
    {6, 85766121, 14, UINT64_C(0x2d04b7fdd9c0ef49), 2, UINT64_C(0x6bf097ba5ca5e239)},
    {6, 113379904, 14, UINT64_C(0x5658597bcaa24000), 1, UINT64_C(0x7b8015c8d7af8f08)},
    {6, 148035889, 14, UINT64_C(0xa0e2073737609371), 0, UINT64_C(0x975a24b3a3151b38)},
    {6, 191102976, 13, UINT64_C(0x0c29e98000000000), 4, UINT64_C(0x50bd367972689db1)},
    {6, 244140625, 13, UINT64_C(0x14adf4b7320334b9), 3, UINT64_C(0x8c240c4aecb13bb5)},
    {6, 308915776, 13, UINT64_C(0x226ed36478bfa000), 2, UINT64_C(0xdbd2e56854e118c9)},
    {6, 387420489, 13, UINT64_C(0x383d9170b85ff80b), 2, UINT64_C(0x2351ffcaa9c7c4ae)},
    {6, 481890304, 13, UINT64_C(0x5a3c23e39c000000), 1, UINT64_C(0x6b24188ca33b0636)},
    {6, 594823321, 13, UINT64_C(0x8e65137388122bcd), 0, UINT64_C(0xcc3dceaf2b8ba99d)},
    {6, 729000000, 13, UINT64_C(0xdd41bb36d259e000), 0, UINT64_C(0x2832e835c6c7d6b6)},
    {6, 887503681, 12, UINT64_C(0x0aee5720ee830681), 4, UINT64_C(0x76b6aa272e1873c5)},
    {5, 33554432, 12, UINT64_C(0x1000000000000000), 3, UINT64_C(0xffffffffffffffff)},
    {5, 39135393, 12, UINT64_C(0x172588ad4f5f0981), 3, UINT64_C(0x61eaf5d402c7bf4f)},
    {5, 45435424, 12, UINT64_C(0x211e44f7d02c1000), 2, UINT64_C(0xeeb658123ffb27ec)},
    {5, 52521875, 12, UINT64_C(0x2ee56725f06e5c71), 2, UINT64_C(0x5d5e3762e6fdf509)},
    {5, 60466176, 12, UINT64_C(0x41c21cb8e1000000), 1, UINT64_C(0xf24f62335024a295)}};

static void conv_init(conv_ctx *cx, int base) {
  cx->base = base;
  cx->k = conv_bases[base].k;
  cx->big = conv_bases[base].big;
  cx->kw = conv_bases[base].kw;
  cx->bigw = conv_bases[base].bigw;
  cx->sw = conv_bases[base].sw;
  cx->dw = cx->bigw << cx->sw;
  cx->vw = conv_bases[base].vw;
  cx->count = 0;
}

/* ------------------------------------------------------------ words */

/* w = a[0..n) as 64-bit words; returns their normalized count. */
static size_t conv_pack(dig_w64 *w, const dig_t *a, size_t n) {
  size_t m = dig_to_words(w, a, n);
  while (m > 0 && w[m - 1] == 0) m--;
  return m;
}

/* r = the m words w (w[m-1] != 0 when m > 0) as digits, no more than
** the value needs; returns the normalized digit count. */
static size_t conv_unpack(dig_t *r, const dig_w64 *w, size_t m) {
  unsigned top = 0;
  size_t need;
  if (m == 0) return 0;
  while (top < 64 && (w[m - 1] >> top) != 0) top++;
  need = (size_t)(((uint64_t)(m - 1) * 64 + top + DIG_SHIFT - 1) / DIG_SHIFT);
  dig_from_words(r, need, w, m);
  return need;
}

/*
** Division of the two-word <u1, u0> (u1 < d) by d with its top bit set,
** given v = floor((2^128 - 1) / d) - 2^64, in the manner of Moller and
** Granlund ("Improved division by invariant integers", 2011): the
** quotient estimate from v u1 is exact or one too small, and a
** branch-free adjustment settles it; the second test almost never fires.
*/
static inline uint64_t conv_div21(uint64_t *rem, uint64_t u1, uint64_t u0,
                                  uint64_t d, uint64_t v) {
  conv_u128 t = (conv_u128)v * u1 + (((conv_u128)u1 << 64) | u0);
  uint64_t q1 = (uint64_t)(t >> 64) + 1, q0 = (uint64_t)t;
  uint64_t r = u0 - q1 * d;
  uint64_t mask = 0 - (uint64_t)(r > q0);
  q1 += mask;
  r += mask & d;
  if (r >= d) {
    q1++;
    r -= d;
  }
  *rem = r;
  return q1;
}

/* w[0..m) /= bigw in place; returns the remainder. */
static uint64_t conv_divw(dig_w64 *w, size_t m, const conv_ctx *cx) {
  uint64_t d = cx->dw, v = cx->vw, r;
  unsigned s = cx->sw;
  if (s == 0) {
    r = 0;
    while (m > 0) {
      m--;
      w[m] = conv_div21(&r, r, w[m], d, v);
    }
    return r;
  }
  /* divide w 2^s by d = bigw 2^s, shifting the words on the way */
  r = w[m - 1] >> (64 - s);
  while (m > 0) {
    uint64_t u0 = w[m - 1] << s;
    m--;
    if (m > 0) u0 |= w[m - 1] >> (64 - s);
    w[m] = conv_div21(&r, r, u0, d, v);
  }
  return r >> s;
}

/* w[0..m) = w * mul + add; returns the carry word. */
static uint64_t conv_mulw(dig_w64 *w, size_t m, uint64_t mul, uint64_t add) {
  uint64_t carry = add;
  size_t i;
  for (i = 0; i < m; i++) {
    conv_u128 t = (conv_u128)w[i] * mul + carry;
    w[i] = (uint64_t)t;
    carry = (uint64_t)(t >> 64);
  }
  return carry;
}

/* ------------------------------------------------------------ chunk loops */

static const char conv_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* exactly 9 decimal characters of x < 10^9, ending at end */
static void conv_dec9(char *end, uint32_t x) {
  uint32_t hi = x / 10000, lo = x % 10000;
  memcpy(end - 2, conv_pairs + 2 * (lo % 100), 2);
  memcpy(end - 4, conv_pairs + 2 * (lo / 100), 2);
  memcpy(end - 6, conv_pairs + 2 * (hi % 100), 2);
  hi /= 100;
  memcpy(end - 8, conv_pairs + 2 * (hi % 100), 2);
  end[-9] = (char)('0' + hi / 100);
}

/* exactly cnt characters of x (x < base^cnt), ending at end */
static void conv_chars_w(char *end, uint64_t x, unsigned cnt,
                         const conv_ctx *cx) {
  if (cx->base == 10 && cnt == 19) {
    uint64_t top = x / 1000000000u;
    conv_dec9(end, (uint32_t)(x % 1000000000u));
    conv_dec9(end - 9, (uint32_t)(top % 1000000000u));
    end[-19] = (char)('0' + top / 1000000000u);
    return;
  }
  while (cnt > 0) {
    /* the low k characters with 32-bit steps */
    unsigned take = cnt < cx->k ? cnt : cx->k, i;
    dig_t part = (dig_t)(x % cx->big);
    x /= cx->big;
    for (i = 0; i < take; i++) {
      *--end = conv_chars[part % (dig_t)cx->base];
      part /= (dig_t)cx->base;
    }
    cnt -= take;
  }
}

/* Scratch (in digits) of the chunk loop for an n-digit number, or of
** the paired one for two numbers of n digits together: each one's words
** (below n_i / 2 + 2) and two digits to align them. */
static size_t chunks_itch(size_t n) { return n + 10; }

static dig_w64 *conv_words(dig_t *scratch) {
  return (dig_w64 *)(void *)(scratch + (((uintptr_t)scratch & 7) ? 1 : 0));
}

/*
** The writing chunk loop on the m words w: chunks written backward from
** pos.  width > 0: exactly 'width' characters ending at end, zero-padded
** (the value below base^width).  width == 0: no leading zeros, written
** backward from end and moved to out.
*/
static size_t chunks_write(char *out, char *end, char *pos, dig_w64 *w,
                           size_t m, size_t width, const conv_ctx *cx) {
  while (m > 0) {
    uint64_t rem = conv_divw(w, m, cx);
    if (w[m - 1] == 0) m--;
    if (m == 0 && !width) {
      while (rem) { /* top chunk: no leading zeros */
        *--pos = conv_chars[rem % (uint64_t)cx->base];
        rem /= (uint64_t)cx->base;
      }
    } else if (m == 0 && (size_t)(pos - out) < cx->kw) {
      /* top chunk of a padded field: only the characters left */
      unsigned cnt = (unsigned)(pos - out);
      conv_chars_w(pos, rem, cnt, cx);
      pos -= cnt;
    } else {
      conv_chars_w(pos, rem, cx->kw, cx);
      pos -= cx->kw;
    }
  }
  if (width) {
    dig_assert(pos >= out);
    memset(out, '0', (size_t)(pos - out));
    return width;
  }
  memmove(out, pos, (size_t)(end - pos));
  return (size_t)(end - pos);
}

/*
** The writing chunk loop.  width > 0: exactly 'width' characters,
** zero-padded (a < base^width).  width == 0: no leading zeros, written
** backward from out + cap and moved to the front.
*/
static size_t to_base_chunks(char *out, const dig_t *a, size_t n, size_t width,
                             size_t cap, const conv_ctx *cx, dig_t *scratch) {
  char *end = width ? out + width : out + cap;
  dig_w64 *w = conv_words(scratch);
  size_t m = conv_pack(w, a, n);
  return chunks_write(out, end, end, w, m, width, cx);
}

/*
** Two padded fields of 'width' characters each, a1 < base^width into
** out1 and a2 into out2, with their word divisions interleaved.  One
** division's steps form a chain (each needs the remainder of the one
** before, two dependent products), so the processor idles between them;
** two independent chains in the same loop fill those gaps and take little
** longer than one.  Only for bases whose word divisor needs no shift.
*/
static void to_base_chunks2(char *out1, const dig_t *a1, size_t n1,
                            char *out2, const dig_t *a2, size_t n2,
                            size_t width, const conv_ctx *cx, dig_t *scratch) {
  dig_w64 *w1 = conv_words(scratch), *w2 = w1 + n1 / 2 + 2;
  uint64_t d = cx->dw, v = cx->vw;
  char *pos1 = out1 + width, *pos2 = out2 + width;
  size_t m1 = conv_pack(w1, a1, n1), m2 = conv_pack(w2, a2, n2);
  dig_assert(cx->sw == 0);
  while (m1 > 0 && m2 > 0 && (size_t)(pos1 - out1) >= cx->kw &&
         (size_t)(pos2 - out2) >= cx->kw) {
    uint64_t r1 = 0, r2 = 0;
    size_t i1 = m1, i2 = m2;
    while (i1 > 0 && i2 > 0) {
      i1--;
      i2--;
      w1[i1] = conv_div21(&r1, r1, w1[i1], d, v);
      w2[i2] = conv_div21(&r2, r2, w2[i2], d, v);
    }
    while (i1 > 0) {
      i1--;
      w1[i1] = conv_div21(&r1, r1, w1[i1], d, v);
    }
    while (i2 > 0) {
      i2--;
      w2[i2] = conv_div21(&r2, r2, w2[i2], d, v);
    }
    if (w1[m1 - 1] == 0) m1--;
    if (w2[m2 - 1] == 0) m2--;
    conv_chars_w(pos1, r1, cx->kw, cx);
    pos1 -= cx->kw;
    conv_chars_w(pos2, r2, cx->kw, cx);
    pos2 -= cx->kw;
  }
  /* what is left of either goes on alone */
  chunks_write(out1, out1 + width, pos1, w1, m1, width, cx);
  chunks_write(out2, out2 + width, pos2, w2, m2, width, cx);
}

/* the value of cnt <= kw values */
static uint64_t conv_parse_w(const unsigned char *v, unsigned cnt,
                             const conv_ctx *cx) {
  uint64_t x = 0;
  unsigned i = 0;
  if (cx->base == 10) {
    /* eight values at a time: pairs, then quadruples, then all eight */
    for (; i + 8 <= cnt; i += 8) {
      uint64_t t;
      memcpy(&t, v + i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
      t = __builtin_bswap64(t);
#endif
      t = (t * 10 + (t >> 8)) & UINT64_C(0x00ff00ff00ff00ff);
      t = (t * 100 + (t >> 16)) & UINT64_C(0x0000ffff0000ffff);
      t = (t * 10000 + (t >> 32)) & UINT64_C(0xffffffff);
      x = x * 100000000u + t;
    }
  }
  for (; i < cnt; i++) {
    dig_assert(v[i] < cx->base);
    x = x * (uint64_t)cx->base + v[i];
  }
  return x;
}

/* The reading chunk loop: r = vals; returns the normalized size. */
static size_t from_base_chunks(dig_t *r, const unsigned char *vals, size_t len,
                               const conv_ctx *cx, dig_t *scratch) {
  dig_w64 *w = conv_words(scratch);
  size_t m = 0, i, first = len % cx->kw;
  if (len == 0) return 0;
  if (first == 0) first = cx->kw;
  w[0] = conv_parse_w(vals, (unsigned)first, cx);
  m = w[0] != 0;
  for (i = first; i < len; i += cx->kw) {
    uint64_t c = conv_mulw(w, m, cx->bigw, conv_parse_w(vals + i, cx->kw, cx));
    if (c) w[m++] = c;
  }
  return conv_unpack(r, w, m);
}

/* ------------------------------------------------------------ powers */

/*
** Powers P_0 = big, P_{i+1} = P_i^2, built while the last one has
** 2 size - 1 <= limit; returns the digits used.  'tmp' is squaring
** scratch.
*/
static size_t conv_build_powers(conv_ctx *cx, size_t limit, dig_t *area,
                                dig_t *tmp) {
  size_t used = 1;
  cx->p[0] = area;
  area[0] = cx->big;
  cx->n[0] = 1;
  cx->r[0] = NULL;
  cx->count = 1;
  while (cx->count < 64 && 2 * cx->n[cx->count - 1] - 1 <= limit) {
    int i = cx->count - 1;
    dig_t *next = cx->p[i] + 2 * cx->n[i];
    dig_sqr(next, cx->p[i], cx->n[i], tmp);
    cx->p[i + 1] = next;
    cx->n[i + 1] = dig_normalized_size(next, 2 * cx->n[i]);
    cx->r[i + 1] = NULL;
    used = (size_t)(next - area) + 2 * cx->n[i];
    cx->count++;
  }
  return used;
}

/* Scratch bound of conv_build_powers for powers of at most max_size
** digits: the areas (sizes at least nearly doubling, so their sum is
** under twice the last plus one per power: below 4 max_size + 130), then
** the squaring scratch (below 20 max_size + 64). */
static size_t conv_powers_area(size_t max_size) { return 4 * max_size + 130; }
static size_t conv_powers_itch(size_t max_size) {
  return conv_powers_area(max_size) + 20 * max_size + 64;
}

/*
** Reciprocals with CONV_GUARD digits to spare: X ~ B^(2p+g) / P, g =
** CONV_GUARD, off by a few units (the inverse of P B^g, p + g + 2
** digits).  The guard digits make X accurate enough that X^2 can start
** the Newton step for the next power P' = P^2 (q = 2p - 1 or 2p digits)
** directly, with no recursion: the step for P' B^g wants an Rh ~
** B^(q+h) / P' with h = (q + g + 5) / 2 = p + 4 and relative error
** below B^(1-h) = B^(-p-3), and X^2 / B^(4p+2g-q-h) is that within
** 2 X units / X^2 + one of the truncation: relative 2c B^(-p-4) +
** B^(-p-4), c the few units of X.  A power's inverse thus costs one
** square and one Newton step instead of a whole iteration.  The splits
** use floor(X / B^g), within a unit of B^(2p) / P.
*/
#define CONV_GUARD 4

/* pg = P B^g in scratch; X from scratch when prev is NULL, else from
** prev ~ B^(2pp+g) / Pp with P = Pp^2 (pp digits). */
static size_t conv_invert_guarded(dig_t *X, const dig_t *P, size_t p,
                                  const dig_t *prev, size_t prevn, size_t pp,
                                  dig_t *scratch) {
  size_t q = p + CONV_GUARD, h, sqn, drop, hn;
  dig_t *pg = scratch, *sq, *rest = pg + q;
  memset(pg, 0, CONV_GUARD * sizeof(dig_t));
  memcpy(pg + CONV_GUARD, P, p * sizeof(dig_t));
  if (prev == NULL) return dig_invert(X, pg, q, rest);
  h = (q + 5) / 2;
  /* Rh = X_prev^2 / B^(4pp + 2g - p - h) */
  sq = rest;
  rest = sq + 2 * prevn;
  dig_sqr(sq, prev, prevn, rest);
  sqn = dig_normalized_size(sq, 2 * prevn);
  drop = 4 * pp + 2 * CONV_GUARD - p - h;
  dig_assert(sqn > drop && 2 * pp - 1 <= p && p <= 2 * pp);
  hn = sqn - drop;
  return dig_invert_step(X, pg, q, sq + drop, hn, h, rest);
}

static size_t conv_invert_guarded_itch(size_t p) {
  size_t q = p + CONV_GUARD, a = dig_invert_itch(q);
  size_t b = 2 * (p / 2 + CONV_GUARD + 3) + dig_sqr_itch(p / 2 + CONV_GUARD + 3);
  size_t c = 2 * (p / 2 + CONV_GUARD + 3) + dig_invert_step_itch(q);
  if (b > a) a = b;
  return q + (c > a ? c : a);
}

/*
** q = a / P_i and r[0..size(P_i)) = a % P_i, zero-padded, for a[0..n)
** < P_i^2; returns q's normalized size.  q holds n + 3 digits.
*/
static size_t conv_split(dig_t *q, dig_t *r, const dig_t *a, size_t n,
                         const conv_ctx *cx, int i, dig_t *scratch) {
  const dig_t *p = cx->p[i];
  size_t pn = cx->n[i];
  n = dig_normalized_size(a, n);
  if (n < pn) {
    memcpy(r, a, n * sizeof(dig_t));
    memset(r + n, 0, (pn - n) * sizeof(dig_t));
    return 0;
  }
  if (pn == 1) {
    r[0] = dig_divrem_1(q, a, n, p[0]);
    return dig_normalized_size(q, n);
  }
  if (cx->r[i] == NULL || n - pn < DIG_DIV_RECURSIVE) {
    /* no reciprocal, or a short quotient: Algorithm D costs only
    ** (n - pn) pn steps then */
    dig_divrem(q, r, a, n, p, pn, scratch);
    return dig_normalized_size(q, n - pn + 1);
  }
  return dig_divrem_inv(q, r, a, n, p, pn, cx->r[i] + CONV_GUARD,
                        cx->rn[i] - CONV_GUARD, scratch);
}

/* Scratch of conv_split for powers of at most m digits. */
static size_t conv_split_itch(size_t m) {
  size_t c = m < CONV_BARRETT ? m : CONV_BARRETT;
  size_t div = dig_divrem_itch(2 * c + 2, c + 1);
  size_t bar = 4 * m + 6 + 20 * (m + 2) + 64;
  return div > bar ? div : bar;
}

/* ------------------------------------------------------------ to base */

/* Exactly width = k 2^level characters of a < P_level, zero-padded. */
static void to_base_pad(char *out, const dig_t *a, size_t n, int level,
                        size_t width, const conv_ctx *cx, dig_t *scratch) {
  n = dig_normalized_size(a, n);
  if (n == 0) {
    memset(out, '0', width);
  } else if (n < DIG_CONV_RECURSIVE || level == 0) {
    to_base_chunks(out, a, n, width, 0, cx, scratch);
  } else {
    size_t pn = cx->n[level - 1], half = width / 2;
    dig_t *q = scratch, *r = q + n + 3, *rest = r + pn;
    size_t qn = conv_split(q, r, a, n, cx, level - 1, rest);
    size_t rn = dig_normalized_size(r, pn);
    if (cx->sw == 0 && qn > 0 && rn > 0 &&
        (level == 1 || (qn < DIG_CONV_RECURSIVE && rn < DIG_CONV_RECURSIVE))) {
      /* both halves are chunk loops: run them side by side */
      to_base_chunks2(out, q, qn, out + half, r, rn, half, cx, rest);
      return;
    }
    to_base_pad(out, q, qn, level - 1, half, cx, rest);
    to_base_pad(out + half, r, pn, level - 1, half, cx, rest);
  }
}

/* a normalized, n >= 1, no leading zeros; returns the length. */
static size_t to_base_top(char *out, const dig_t *a, size_t n,
                          const conv_ctx *cx, dig_t *scratch) {
  int i;
  size_t pn, len, qn;
  dig_t *q, *r, *rest;
  if (n < DIG_CONV_RECURSIVE)
    return to_base_chunks(out, a, n, 0, dig_to_base_size(n, cx->base) - 1,
                          cx, scratch);
  /* the largest power not above a: a < its square, the quotient is not 0 */
  for (i = cx->count - 1; i > 0 && dig_cmp(cx->p[i], cx->n[i], a, n) > 0; i--) {
  }
  pn = cx->n[i];
  q = scratch;
  r = q + n + 3;
  rest = r + pn;
  qn = conv_split(q, r, a, n, cx, i, rest);
  dig_assert(qn > 0);
  len = to_base_top(out, q, qn, cx, rest);
  to_base_pad(out + len, r, pn, i, (size_t)cx->k << i, cx, rest);
  return len + ((size_t)cx->k << i);
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

/*
** Chunk loop: the words.  Recursion: the powers (at most n + 1 digits
** each) with their squaring scratch; then the reciprocals (each two
** digits over its power), then either the Newton iteration's scratch or
** the recursion's: per level a quotient and a remainder, sizes n, n,
** then at most halving (plus two), and one split's scratch below them.
*/
size_t dig_to_base_itch(size_t n, int base) {
  size_t total, m, inv, build;
  if (conv_pow2_bits(base)) return 0;
  if (n < DIG_CONV_RECURSIVE) return chunks_itch(n);
  total = conv_split_itch(n) + chunks_itch(n) + 2 * n + 3;
  for (m = n; m >= DIG_CONV_RECURSIVE; m = m / 2 + 2) total += 2 * m + 3;
  inv = conv_invert_guarded_itch(n + 1);
  if (inv > total) total = inv;
  total += conv_powers_area(n + 1) + 2 * (n + 1) + (CONV_GUARD + 3) * 64;
  build = conv_powers_itch(n + 1);
  return total > build ? total : build;
}

size_t dig_to_base(char *out, const dig_t *a, size_t n, int base,
                   dig_t *scratch) {
  unsigned bits = conv_pow2_bits(base);
  conv_ctx cx;
  size_t len;
  dig_assert(base >= 2 && base <= 36);
  dig_assert(n >= 1 && a[n - 1] != 0);
  if (bits) return to_base_pow2(out, a, n, bits);
  conv_init(&cx, base);
  if (n < DIG_CONV_RECURSIVE) {
    len = to_base_chunks(out, a, n, 0, dig_to_base_size(n, base) - 1, &cx,
                         scratch);
  } else {
    size_t used = conv_build_powers(&cx, n, scratch,
                                    scratch + conv_powers_area(n + 1));
    dig_t *rest = scratch + used;
    int i, top;
    for (top = cx.count - 1; top > 0 && dig_cmp(cx.p[top], cx.n[top], a, n) > 0;
         top--) {
    }
    /* reciprocals of the powers the splits use (top and below): the
    ** first from scratch, if enough splits share it, then each from the
    ** one below, which makes them cheap enough for a single split */
    for (i = 0; i <= top; i++) {
      if (cx.n[i] < CONV_BARRETT || cx.n[i] < 2) continue;
      if (cx.n[i] > n / CONV_BARRETT_SPLITS && cx.r[i - 1] == NULL) continue;
      cx.r[i] = rest;
      rest += cx.n[i] + CONV_GUARD + 2;
    }
    for (i = 0; i <= top; i++) {
      if (cx.r[i] == NULL) continue;
      if (cx.r[i - 1] == NULL)
        cx.rn[i] = conv_invert_guarded(cx.r[i], cx.p[i], cx.n[i], NULL, 0, 0, rest);
      else
        cx.rn[i] = conv_invert_guarded(cx.r[i], cx.p[i], cx.n[i], cx.r[i - 1],
                                       cx.rn[i - 1], cx.n[i - 1], rest);
    }
    len = to_base_top(out, a, n, &cx, rest);
  }
  out[len] = '\0';
  return len;
}

/* ------------------------------------------------------------ from base */

/* r gets value of vals[0..len); returns its normalized size. */
static size_t from_base_rec(dig_t *r, const unsigned char *vals, size_t len,
                            const conv_ctx *cx, dig_t *scratch) {
  int j;
  size_t w, hcap, lcap, hn, ln, pn;
  dig_t *h, *lo, *t, *rest;
  if (dig_from_base_size(len, cx->base) < DIG_CONV_FROM_RECURSIVE)
    return from_base_chunks(r, vals, len, cx, scratch);
  /* the lower part: k 2^j values, the largest such count below len */
  for (j = cx->count - 1; j > 0 && ((size_t)cx->k << j) >= len; j--) {
  }
  w = (size_t)cx->k << j;
  hcap = dig_from_base_size(len - w, cx->base);
  lcap = dig_from_base_size(w, cx->base);
  h = scratch;
  lo = h + hcap;
  t = lo + lcap;
  pn = cx->n[j];
  rest = t + hcap + pn;
  hn = from_base_rec(h, vals, len - w, cx, rest);
  ln = from_base_rec(lo, vals + len - w, w, cx, rest);
  if (hn == 0) {
    memcpy(r, lo, ln * sizeof(dig_t));
    return ln;
  }
  if (hn >= pn)
    dig_mul(t, h, hn, cx->p[j], pn, rest);
  else
    dig_mul(t, cx->p[j], pn, h, hn, rest);
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

/* Chunk loop: the words.  Recursion: powers up to the size of the whole;
** per level the high and low parts, their product, and the product's
** scratch; the level after the first at most the same size, then
** halving. */
size_t dig_from_base_itch(size_t len, int base) {
  size_t n = dig_from_base_size(len, base), total, m;
  if (conv_pow2_bits(base)) return 0;
  if (n < DIG_CONV_FROM_RECURSIVE) return chunks_itch(n);
  total = conv_powers_itch(n);
  for (m = n;; m = m / 2 + 2) {
    total += 4 * m + 8 + dig_mul_itch(m, m) + 20 * m + 64;
    if (m < DIG_CONV_FROM_RECURSIVE) break;
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
  conv_init(&cx, base);
  n = dig_from_base_size(len, base);
  if (n < DIG_CONV_FROM_RECURSIVE) return from_base_chunks(r, vals, len, &cx, scratch);
  {
    size_t used = conv_build_powers(&cx, n - 1, scratch,
                                    scratch + conv_powers_area(n));
    return from_base_rec(r, vals, len, &cx, scratch + used);
  }
}
