/*
** digits.c -- the linear part of the digit layer: comparison, addition and
** subtraction, multiplication and division by one digit, shifts and bit
** counts.  Multiplication lives in digits_mul.c, division in digits_div.c,
** base conversion in digits_conv.c.
**
** Every loop here carries in a uint64_t: a 30-bit digit times a 30-bit digit
** plus two 30-bit digits is below 2^61, so no step can overflow and the
** carry is simply the bits above DIG_SHIFT.
*/
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

dig_t dig_add(dig_t *r, const dig_t *a, size_t an, const dig_t *b, size_t bn) {
  dig_t carry = 0;
  size_t i;
  dig_assert(an >= bn);
  for (i = 0; i < bn; i++) {
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
  size_t i;
  dig_assert(an >= bn);
  for (i = 0; i < bn; i++) {
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
  /* 'borrow' counts what is still owed to the next digit; a digit's debt
  ** is at most m * (2^30 - 1) + borrow < 2^60, so it fits.  The
  ** subtraction's own borrow is the sign bit of the 32-bit difference,
  ** taken without a branch (it is a coin toss in Algorithm D). */
  dig_twodig_t borrow = 0;
  size_t i;
  dig_assert(m <= DIG_MASK);
  for (i = 0; i < n; i++) {
    dig_twodig_t owe = (dig_twodig_t)a[i] * m + borrow;
    dig_t t = r[i] - ((dig_t)owe & DIG_MASK);
    r[i] = t & DIG_MASK;
    borrow = (owe >> DIG_SHIFT) + (t >> 31);
  }
  return (dig_t)borrow;
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

dig_t dig_lshift(dig_t *r, const dig_t *a, size_t n, unsigned s) {
  dig_t carry = 0;
  size_t i;
  dig_assert(s < DIG_SHIFT);
  for (i = 0; i < n; i++) {
    dig_twodig_t t = ((dig_twodig_t)a[i] << s) | carry;
    r[i] = (dig_t)t & DIG_MASK;
    carry = (dig_t)(t >> DIG_SHIFT);
  }
  return carry;
}

dig_t dig_rshift(dig_t *r, const dig_t *a, size_t n, unsigned s) {
  dig_t carry = 0;
  dig_t mask = ((dig_t)1 << s) - 1;
  dig_assert(s < DIG_SHIFT);
  while (n > 0) {
    dig_t x;
    n--;
    x = a[n];
    r[n] = (dig_t)((((dig_twodig_t)carry << DIG_SHIFT) | x) >> s);
    carry = x & mask;
  }
  return carry;
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
