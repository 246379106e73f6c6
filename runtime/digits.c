/*
** digits.c -- the linear part of the digit layer: comparison, addition and
** subtraction, multiplication and division by one digit, shifts and bit
** counts.  Multiplication lives in digits_mul.c, division in digits_div.c,
** base conversion in digits_conv.c.
**
** The multiply loops carry in a 64-bit word: a 30-bit digit times a 30-bit
** digit plus two 30-bit digits is below 2^61, so no step can overflow and
** the carry is simply the bits above DIG_SHIFT (signed in dig_submul_1).
** Addition and subtraction carry through two digits at a time.
*/
#include <string.h>

#include "digits.h"

size_t dig_normalized_size(const dig_t *a, size_t n) {
  while (n > 0 && a[n - 1] == 0) n--;
  return n;
}

int dig_cmp_n(const dig_t *a, const dig_t *b, size_t n) {
  while (n > 0) {
    n--;
    if (a[n] != b[n]) return a[n] < b[n] ? -1 : 1;
  }
  return 0;
}

int dig_cmp(const dig_t *a, size_t an, const dig_t *b, size_t bn) {
  dig_assert(an == 0 || a[an - 1] != 0);
  dig_assert(bn == 0 || b[bn - 1] != 0);
  if (an != bn) return an < bn ? -1 : 1;
  return dig_cmp_n(a, b, an);
}

/*
** Two digits per 64-bit word.  A word w holds the digits lo | hi << 32 (read
** and written with memcpy, so the order in memory is the host's: the
** packing below assumes a little-endian host, like the rest of x86-64 and
** AArch64 builds; a big-endian one takes the digit loop).  Adding
** 0xC0000000 to the low half turns "low sum >= B" into a carry out of bit
** 31, which then lands in the high half by itself; a borrow out of the low
** half likewise takes one from the high half.  The loop-carried chain is
** one add and one shift per two digits instead of per digit.
*/
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define DIG_PAIRS 1
#else
#define DIG_PAIRS 0
#endif
#define DIG_PAIR_MASK ((uint64_t)DIG_MASK << 32 | DIG_MASK)

static uint64_t load_pair(const dig_t *p) {
  uint64_t w;
  memcpy(&w, p, sizeof w);
  return w;
}

static void store_pair(dig_t *p, uint64_t w) { memcpy(p, &w, sizeof w); }

dig_t dig_add(dig_t *r, const dig_t *a, size_t an, const dig_t *b, size_t bn) {
  dig_t carry = 0;
  size_t i = 0;
  dig_assert(an >= bn);
  if (DIG_PAIRS) {
    uint64_t c = 0;
    for (; i + 2 <= bn; i += 2) {
      /* the high half's sum is below 2^31: its carry is bit 62 alone */
      uint64_t w = load_pair(a + i) + load_pair(b + i) + UINT64_C(0xC0000000) + c;
      store_pair(r + i, w & DIG_PAIR_MASK);
      c = w >> 62;
    }
    carry = (dig_t)c;
  }
  for (; i < bn; i++) {
    dig_t s = a[i] + b[i] + carry; /* < 2^31: no overflow of uint32_t */
    r[i] = s & DIG_MASK;
    carry = s >> DIG_SHIFT;
  }
  for (; carry && i < an; i++) {
    dig_t s = a[i] + carry;
    r[i] = s & DIG_MASK;
    carry = s >> DIG_SHIFT;
  }
  if (r != a)
    for (; i < an; i++) r[i] = a[i];
  return carry;
}

dig_t dig_sub(dig_t *r, const dig_t *a, size_t an, const dig_t *b, size_t bn) {
  dig_t borrow = 0;
  size_t i = 0;
  dig_assert(an >= bn);
  if (DIG_PAIRS) {
    uint64_t c = 0;
    for (; i + 2 <= bn; i += 2) {
      /* the high half's difference is above -2^31: its borrow is the sign */
      uint64_t w = load_pair(a + i) - load_pair(b + i) - c;
      store_pair(r + i, w & DIG_PAIR_MASK);
      c = w >> 63;
    }
    borrow = (dig_t)c;
  }
  for (; i < bn; i++) {
    /* unsigned wrap-around: a borrow sets the top bit of the 32-bit word */
    dig_t s = a[i] - b[i] - borrow;
    r[i] = s & DIG_MASK;
    borrow = s >> 31;
  }
  for (; borrow && i < an; i++) {
    dig_t s = a[i] - borrow;
    r[i] = s & DIG_MASK;
    borrow = s >> 31;
  }
  if (r != a)
    for (; i < an; i++) r[i] = a[i];
  return borrow;
}

dig_t dig_add_1(dig_t *r, const dig_t *a, size_t n, dig_t d) {
  size_t i;
  dig_t carry = d;
  dig_assert(d <= DIG_MASK);
  for (i = 0; carry && i < n; i++) {
    dig_t s = a[i] + carry;
    r[i] = s & DIG_MASK;
    carry = s >> DIG_SHIFT;
  }
  if (r != a)
    for (; i < n; i++) r[i] = a[i];
  return carry;
}

dig_t dig_sub_1(dig_t *r, const dig_t *a, size_t n, dig_t d) {
  size_t i;
  dig_t borrow = d;
  dig_assert(d <= DIG_MASK);
  for (i = 0; borrow && i < n; i++) {
    dig_t s = a[i] - borrow;
    r[i] = s & DIG_MASK;
    borrow = s >> 31;
  }
  if (r != a)
    for (; i < n; i++) r[i] = a[i];
  return borrow;
}

dig_t dig_mul_1(dig_t *r, const dig_t *a, size_t n, dig_t m, dig_t add) {
  dig_twodig_t carry = add;
  size_t i;
  dig_assert(m <= DIG_MASK && add <= DIG_MASK);
  for (i = 0; i < n; i++) {
    carry += (dig_twodig_t)a[i] * m;
    r[i] = (dig_t)carry & DIG_MASK;
    carry >>= DIG_SHIFT;
  }
  return (dig_t)carry;
}

dig_t dig_addmul_1(dig_t *r, const dig_t *a, size_t n, dig_t m) {
  dig_twodig_t carry = 0;
  size_t i;
  dig_assert(m <= DIG_MASK);
  for (i = 0; i < n; i++) {
    carry += r[i] + (dig_twodig_t)a[i] * m;
    r[i] = (dig_t)carry & DIG_MASK;
    carry >>= DIG_SHIFT;
  }
  return (dig_t)carry;
}

dig_t dig_submul_1(dig_t *r, const dig_t *a, size_t n, dig_t m) {
  /* A signed running carry: t = r[i] + carry - a[i] m lies in
  ** (-2^60 - 2^31, 2^30), so it fits an int64_t, its low 30 bits are the
  ** digit and its arithmetic shift is the next carry, in [-2^30, 0].  The
  ** chain from one digit to the next is then one add and one shift; the
  ** product does not wait for it.  (Right shift of a negative value is
  ** arithmetic on every compiler this builds with.) */
  dig_stwodig_t carry = 0;
  size_t i;
  dig_assert(m <= DIG_MASK);
  for (i = 0; i < n; i++) {
    dig_stwodig_t t = (dig_stwodig_t)r[i] - (dig_stwodig_t)((dig_twodig_t)a[i] * m);
    t += carry;
    r[i] = (dig_t)t & DIG_MASK;
    carry = t >> DIG_SHIFT;
  }
  return (dig_t)-carry;
}

/*
** Division by an invariant digit without a hardware divide per step:
** m = floor(2^64 / d) is computed once; then for each 60-bit partial
** dividend x (below d 2^30), q' = floor(x m / 2^64) satisfies
** x/d - x/2^64 < q' + 1 and q' <= x/d, and x < 2^60 makes the first error
** below 1/16, so the true quotient is q' or q' + 1: one comparison fixes it.
*/
dig_t dig_divrem_1(dig_t *q, const dig_t *a, size_t n, dig_t d) {
  __extension__ typedef unsigned __int128 u128;
  uint64_t m, rem = 0;
  dig_assert(d > 0 && d <= DIG_MASK);
  m = d == 1 ? UINT64_MAX : (uint64_t)((((u128)1) << 64) / d);
  while (n > 0) {
    uint64_t x, qq;
    n--;
    x = (rem << DIG_SHIFT) | a[n];
    qq = (uint64_t)(((u128)x * m) >> 64);
    rem = x - qq * d;
    if (rem >= d) {
      rem -= d;
      qq++;
    }
    q[n] = (dig_t)qq;
  }
  return (dig_t)rem;
}

/*
** The shifts compute each output digit from two input digits, with no
** carry passed along, so the loops vectorize.  In place, lshift must run
** from the top down and rshift from the bottom up (each reads a digit
** before the step that overwrites it); the in-place loops touch one array
** only, so the compiler sees that dependence exactly, and the others take
** restrict pointers.  Shift counts stay below 32: a digit shifted left by
** 30 - s loses only bits that the mask drops anyway.
*/
static void lshift_apart(dig_t *restrict r, const dig_t *restrict a, size_t n,
                         unsigned s) {
  size_t i;
  for (i = n - 1; i > 0; i--)
    r[i] = ((a[i] << s) | (a[i - 1] >> (DIG_SHIFT - s))) & DIG_MASK;
  r[0] = (a[0] << s) & DIG_MASK;
}

static void lshift_inplace(dig_t *a, size_t n, unsigned s) {
  size_t i;
  for (i = n - 1; i > 0; i--)
    a[i] = ((a[i] << s) | (a[i - 1] >> (DIG_SHIFT - s))) & DIG_MASK;
  a[0] = (a[0] << s) & DIG_MASK;
}

dig_t dig_lshift(dig_t *r, const dig_t *a, size_t n, unsigned s) {
  dig_t out;
  dig_assert(s < DIG_SHIFT);
  if (n == 0) return 0;
  out = a[n - 1] >> (DIG_SHIFT - s);
  if (s == 0) {
    if (r != a) memcpy(r, a, n * sizeof(dig_t));
  } else if (r == a) {
    lshift_inplace(r, n, s);
  } else {
    lshift_apart(r, a, n, s);
  }
  return out;
}

static void rshift_apart(dig_t *restrict r, const dig_t *restrict a, size_t n,
                         unsigned s) {
  size_t i;
  for (i = 0; i + 1 < n; i++)
    r[i] = ((a[i] >> s) | (a[i + 1] << (DIG_SHIFT - s))) & DIG_MASK;
  r[n - 1] = a[n - 1] >> s;
}

static void rshift_inplace(dig_t *a, size_t n, unsigned s) {
  size_t i;
  for (i = 0; i + 1 < n; i++)
    a[i] = ((a[i] >> s) | (a[i + 1] << (DIG_SHIFT - s))) & DIG_MASK;
  a[n - 1] = a[n - 1] >> s;
}

dig_t dig_rshift(dig_t *r, const dig_t *a, size_t n, unsigned s) {
  dig_t out;
  dig_assert(s < DIG_SHIFT);
  if (n == 0) return 0;
  out = a[0] & (((dig_t)1 << s) - 1);
  if (s == 0) {
    if (r != a) memcpy(r, a, n * sizeof(dig_t));
  } else if (r == a) {
    rshift_inplace(r, n, s);
  } else {
    rshift_apart(r, a, n, s);
  }
  return out;
}

uint64_t dig_bit_length(const dig_t *a, size_t n) {
  dig_t top;
  unsigned bits = 0;
  if (n == 0) return 0;
  top = a[n - 1];
  dig_assert(top != 0);
  while (top) {
    bits++;
    top >>= 1;
  }
  return (uint64_t)(n - 1) * DIG_SHIFT + bits;
}

uint64_t dig_popcount(const dig_t *a, size_t n) {
  uint64_t count = 0;
  size_t i;
  for (i = 0; i < n; i++) {
    dig_t x = a[i];
    /* the classic SWAR count, so no compiler builtin is needed */
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0fu;
    count += (x * 0x01010101u) >> 24;
  }
  return count;
}
