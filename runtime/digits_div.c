/*
** digits_div.c -- long division of digit arrays.
**
** Below DIG_DIV_RECURSIVE digits of divisor (or of quotient) it is Knuth's
** Algorithm D (TAOCP vol. 2, 4.3.1): shift the divisor so its top bit is
** set, estimate each quotient digit from the top two digits of the running
** remainder, refine it with the divisor's second digit, and add back in
** the rare case the estimate was still one too large.
**
** Above it, recursive division in the manner of Burnikel and Ziegler: a
** block of k quotient digits is estimated by dividing the top 2k digits of
** the remainder by the top k digits of the divisor (recursively), then
** corrected with one multiplication by the rest of the divisor.  Because
** the divisor's top bit is set the estimate is at most 2 too large, so the
** correction adds the divisor back at most twice.  Cost: O(M(n) log n).
**
** DIG_DIV_RECURSIVE 32: each recursive step trades a block of Algorithm
** D, whose multiply-subtract rows carry a dependency from digit to digit,
** for a dig_mul product, which runs by columns about three times as fast
** even in schoolbook range.  Measured (gcc -O3, x86-64) on 2n / n digit
** divisions, cutoffs from 16 to 40 gave the same times within noise and
** 70 or more were 1.5-2x slower from 100 digits up; 32 sits in the
** plateau.  The cutoff also applies to the quotient's length: a short
** quotient costs Algorithm D only k n steps.
*/
#include <string.h>

#include "digits.h"

/*
** Algorithm D on u[0..n+k) by v[0..n): v's top bit set, n >= 2, and
** u < v * B^k.  q[0..k) receives the quotient; u[0..n) the remainder and
** u[n..n+k) zeros.
*/
static void div_knuth(dig_t *q, dig_t *u, const dig_t *v, size_t n, size_t k) {
  dig_t v1 = v[n - 1], v2 = v[n - 2];
  size_t j = k;
  dig_assert(n >= 2 && (v1 >> (DIG_SHIFT - 1)) == 1);
  while (j > 0) {
    dig_t *uj;
    dig_twodig_t top, qhat, rhat;
    dig_t borrow;
    j--;
    uj = u + j;
    dig_assert(uj[n] <= v1);
    top = ((dig_twodig_t)uj[n] << DIG_SHIFT) | uj[n - 1];
    qhat = top / v1;
    if (qhat > DIG_MASK) qhat = DIG_MASK;
    rhat = top - qhat * v1;
    /* the third digit: at most two corrections, while rhat still fits */
    while (rhat <= DIG_MASK &&
           qhat * v2 > ((rhat << DIG_SHIFT) | uj[n - 2])) {
      qhat--;
      rhat += v1;
    }
    borrow = dig_submul_1(uj, v, n, (dig_t)qhat);
    if (borrow > uj[n]) {
      /* the estimate was one too large: rare, about 2 / B of the time */
      dig_t c = dig_add(uj, uj, n, v, n);
      dig_assert(borrow - uj[n] == c);
      (void)c;
      qhat--;
    }
    uj[n] = 0;
    q[j] = (dig_t)qhat;
  }
}

/*
** Recursive division of x[0..n+k) by v[0..n), k <= n, same contract as
** div_knuth.  Scratch: n digits for the correction product, then the
** larger of what that product and the recursive call need.
*/
static void div_rec(dig_t *q, dig_t *x, const dig_t *v, size_t n, size_t k,
                    dig_t *scratch) {
  dig_assert(k <= n);
  if (k < DIG_DIV_RECURSIVE || n < DIG_DIV_RECURSIVE) {
    div_knuth(q, x, v, n, k);
  } else if (k == n) {
    /* two blocks of about n/2 quotient digits each */
    size_t lo = n / 2, hi = n - lo;
    div_rec(q + lo, x + lo, v, n, hi, scratch);
    div_rec(q, x, v, n, lo, scratch);
  } else {
    const dig_t *v1 = v + (n - k); /* top k digits, top bit set */
    dig_t *p = scratch, *rest = scratch + n;
    dig_t extra = 0, borrow;
    int top;
    if (dig_cmp_n(x + n, v1, k) == 0) {
      /* the estimate would be B^k: use B^k - 1, remainder x12 - v1 B^k + v1 */
      size_t i;
      for (i = 0; i < k; i++) q[i] = DIG_MASK;
      memset(x + n, 0, k * sizeof(dig_t));
      extra = dig_add(x + (n - k), x + (n - k), k, v1, k);
    } else {
      div_rec(q, x + (n - k), v1, k, k, rest);
    }
    /* subtract q * (low n - k digits of v) from the n-digit remainder */
    if (k >= n - k)
      dig_mul(p, q, k, v, n - k, rest);
    else
      dig_mul(p, v, n - k, q, k, rest);
    borrow = dig_sub(x, x, n, p, n);
    top = (int)extra - (int)borrow;
    while (top < 0) {
      top += (int)dig_add(x, x, n, v, n);
      dig_sub_1(q, q, k, 1);
    }
    dig_assert(top == 0);
  }
}

/* A bound for any product's scratch with both sizes at most m: Karatsuba
** and the pieces strategy stay under 3m + 7 log2(m) + 12, Toom-3 (4m + 12
** a level, the levels shrinking by thirds) under 7m + 12 log2(m), the
** transform under 10 (2m + 2) + 2. */
static size_t mul_itch_bound(size_t m) { return 20 * m + 64; }

/* Scratch of div_rec(n, k) for any k <= n: a chain of levels of size n, n,
** then halving, each holding its correction product and its multiply. */
static size_t div_rec_itch(size_t n) {
  size_t total, m;
  if (n < DIG_DIV_RECURSIVE) return 0;
  total = n + mul_itch_bound(n);
  for (m = n; m >= DIG_DIV_RECURSIVE; m = (m + 1) / 2) {
    total += m + mul_itch_bound(m);
    if (m <= 2) break;
  }
  return total;
}

void dig_divrem(dig_t *q, dig_t *r, const dig_t *a, size_t an, const dig_t *b,
                size_t bn, dig_t *scratch) {
  dig_t *u = scratch, *v = scratch + an + 1, *rest = v + bn;
  unsigned s = 0;
  size_t k = an + 1 - bn;
  dig_t top = b[bn - 1];
  dig_assert(an >= bn && bn >= 2 && top != 0);
  while (!(top >> (DIG_SHIFT - 1))) {
    top <<= 1;
    s++;
  }
  /* shifting leaves u's top bn digits below v, as div_knuth requires */
  u[an] = dig_lshift(u, a, an, s);
  dig_lshift(v, b, bn, s);
  if (bn < DIG_DIV_RECURSIVE || k < DIG_DIV_RECURSIVE) {
    div_knuth(q, u, v, bn, k);
  } else {
    /* schoolbook over blocks of bn quotient digits, from the top */
    size_t pos = k;
    while (pos > 0) {
      size_t len = pos < bn ? pos : bn;
      pos -= len;
      div_rec(q + pos, u + pos, v, bn, len, rest);
    }
  }
  dig_rshift(r, u, bn, s);
}

size_t dig_divrem_itch(size_t an, size_t bn) {
  return an + 1 + bn + div_rec_itch(bn);
}
