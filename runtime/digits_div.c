/*
** digits_div.c -- long division of digit arrays.
**
** Below DIG_DIV_RECURSIVE digits of divisor (or of quotient) it is Knuth's
** Algorithm D (TAOCP vol. 2, 4.3.1): shift the divisor so its top bit is
** set, estimate each quotient digit from the top digits of the running
** remainder, multiply-subtract, and add back in the rare case the
** estimate was one too large.  From DIV_WORDS_MIN digits on it runs on
** 64-bit words (packed from the digits and unpacked after), where a step
** does four and a half digit steps' work.
**
** Above it, recursive division in the manner of Burnikel and Ziegler: a
** block of k quotient digits is estimated by dividing the top 2k digits of
** the remainder by the top k digits of the divisor (recursively), then
** corrected with one multiplication by the rest of the divisor.  Because
** the divisor's top bit is set the estimate is at most 2 too large, so the
** correction adds the divisor back at most twice.  Cost: O(M(n) log n).
**
** DIG_DIV_RECURSIVE 300: with the word base case, measured (gcc -O2,
** x86-64) on 2n / n digit divisions, cutoffs 250 to 400 gave the same
** times within noise; 32 was 1.2-1.4x slower from 40 to 1,000 digits
** (each recursion level packs and unpacks, and below about 300 digits
** the products it trades for are not much faster than word steps), 1200
** 1.2-1.35x slower at 1,500 to 2,200.  The cutoff also applies to the
** quotient's length: a short quotient costs Algorithm D only k n steps.
**
** From DIG_DIV_NEWTON digits of divisor on (with a quotient at least half
** as long), division by a reciprocal: one Newton iteration for the
** divisor's reciprocal (dig_invert, also the conversion's), then two
** products per block of quotient digits.  DIG_DIV_NEWTON 16000: measured
** on 2n / n digit divisions it was 10-30% slower up to 11,000 digits,
** 25-40% faster from 20,000 to 80,000, and even at 110,000.
*/
#include <string.h>

#include "digits.h"

/*
** DIG_INV_BASE: dig_invert's Newton iteration divides directly below this
** size (at least 10, so the iteration's half size is below the whole).
*/
#ifdef ISP_TEST_CUTOFFS
#define DIG_INV_BASE 10
#else
#ifndef DIG_INV_BASE
#define DIG_INV_BASE 40
#endif
#endif

/*
** Algorithm D on u[0..n+k) by v[0..n): v's top bit set, n >= 2, and
** u < v * B^k.  q[0..k) receives the quotient; u[0..n) the remainder and
** u[n..n+k) zeros.
*/
static void div_knuth(dig_t *q, dig_t *u, const dig_t *v, size_t n, size_t k) {
  __extension__ typedef unsigned __int128 u128;
  dig_t v1 = v[n - 1], v2 = v[n - 2];
  /* floor((2^64 - 1) / v1): for top < 2^60, floor(top inv / 2^64) is
  ** within 2 top / 2^64 + 1 < 2 below top / v1, so it is the quotient or
  ** one less; one comparison replaces a 64-bit hardware divide per digit */
  uint64_t inv = UINT64_MAX / v1;
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
    qhat = (dig_twodig_t)(((u128)top * inv) >> 64);
    rhat = top - qhat * v1;
    if (rhat >= v1) {
      qhat++;
      rhat -= v1;
    }
    if (qhat > DIG_MASK) { /* uj[n] == v1: the quotient digit is at most B - 1 */
      rhat += (qhat - DIG_MASK) * v1;
      qhat = DIG_MASK;
    }
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

/* ------------------------------------------------------------ words */

/*
** The same algorithm on 64-bit words: a 30-bit digit array is packed into
** words, divided, and the quotient and remainder unpacked.  A word step
** does the work of about 4.5 digit steps for one 64x64 product, and the
** quotient word comes from the top three words of the remainder by the
** top two of the divisor, with one precomputed reciprocal (Moller and
** Granlund, "Improved division by invariant integers", 2011): two
** products and no hardware divide, exact for those words, so the
** multiply-subtract row needs an add-back only about 2 / 2^64 of the time.
** DIV_WORDS_MIN 8: below this many divisor digits (or quotient digits)
** packing and unpacking cost more than the word steps save (measured on
** 2n / n digit divisions: 1.5x slower at 3 to 6 digits, even at 8, 1.4x
** faster at 16); 4 is the least that guarantees a divisor of two words.
*/
#ifdef ISP_TEST_CUTOFFS
#define DIV_WORDS_MIN 4
#else
#ifndef DIV_WORDS_MIN
#define DIV_WORDS_MIN 8
#endif
#endif

__extension__ typedef unsigned __int128 div_u128;

/* words needed for n digits */
#define DIV_WORDS(n) ((DIG_SHIFT * (n) + 63) / 64)

/* w[0..n) <<= s in place, 0 < s < 64; returns the bits shifted out */
static uint64_t wd_lshift(dig_w64 *w, size_t n, unsigned s) {
  uint64_t out = w[n - 1] >> (64 - s);
  size_t i;
  for (i = n - 1; i > 0; i--) w[i] = (w[i] << s) | (w[i - 1] >> (64 - s));
  w[0] <<= s;
  return out;
}

/* w[0..n) >>= s in place, 0 < s < 64 */
static void wd_rshift(dig_w64 *w, size_t n, unsigned s) {
  size_t i;
  for (i = 0; i + 1 < n; i++) w[i] = (w[i] >> s) | (w[i + 1] << (64 - s));
  w[n - 1] >>= s;
}

/*
** u[0..n) -= q v[0..n); returns the borrow out of the top word.  The
** product's low word comes off u[i] before the borrow from below does,
** so the chain from word to word is one subtraction and one add of the
** carry flag: on x86-64 written out that way, since compilers turn the
** flag into a byte and back and double the chain (measured 0.9 against
** 1.3 ns a word).  DIG_NO_ASM selects the C loop, which the sanitizer
** build tests (the sanitizers cannot see inside assembly).  The borrow
** never exceeds q, as it is the ceiling of a part of q v over a power of
** 2^64.
*/
static uint64_t wd_submul_1(dig_w64 *u, const dig_w64 *v, size_t n,
                            uint64_t q) {
  uint64_t carry = 0;
#if defined(__GNUC__) && defined(__x86_64__) && !defined(DIG_NO_ASM)
  size_t i = 0;
  uint64_t t;
  if (n == 0) return 0;
  /* volatile: the memory it writes must happen even when the borrow is
  ** not used */
  __asm__ volatile("1:\n\t"
                   "movq (%[v],%[i],8), %%rax\n\t"
                   "mulq %[q]\n\t"
                   "movq (%[u],%[i],8), %[t]\n\t"
                   "subq %%rax, %[t]\n\t"
                   "adcq $0, %%rdx\n\t"
                   "subq %[c], %[t]\n\t"
                   "adcq $0, %%rdx\n\t"
                   "movq %[t], (%[u],%[i],8)\n\t"
                   "movq %%rdx, %[c]\n\t"
                   "incq %[i]\n\t"
                   "cmpq %[n], %[i]\n\t"
                   "jne 1b"
                   : [c] "+r"(carry), [i] "+r"(i), [t] "=&r"(t)
                   : [u] "r"(u), [v] "r"(v), [q] "r"(q), [n] "r"(n)
                   : "rax", "rdx", "cc", "memory");
#else
  size_t i;
  for (i = 0; i < n; i++) {
    div_u128 p = (div_u128)v[i] * q + carry;
    uint64_t lo = (uint64_t)p, t = u[i];
    carry = (uint64_t)(p >> 64) + (t < lo);
    u[i] = t - lo;
  }
#endif
  return carry;
}

/* u[0..n) += v[0..n); returns the carry */
static uint64_t wd_add_n(dig_w64 *u, const dig_w64 *v, size_t n) {
  unsigned c = 0;
  size_t i;
  for (i = 0; i < n; i++) {
    div_u128 t = (div_u128)u[i] + v[i] + c;
    u[i] = (uint64_t)t;
    c = (unsigned)(t >> 64);
  }
  return c;
}

/*
** floor((2^192 - 1) / d) - 2^64 for d = d1 2^64 + d0, d1's top bit set:
** that is the quotient of the three words (~d1, ~d0, 2^64 - 1) by the two
** (d1, d0), found as Algorithm D finds a digit: a hardware divide of the
** top two words by d1, then at most two steps down while the candidate
** times d0 exceeds the running remainder with the third word.  Once per
** division.
*/
static uint64_t wd_reciprocal(uint64_t d1, uint64_t d0) {
  div_u128 top = ((div_u128)~d1 << 64) | ~d0;
  uint64_t v = (uint64_t)(top / d1); /* ~d1 < d1: v fits in a word */
  div_u128 r = top - (div_u128)v * d1;
  while ((r >> 64) == 0 && (div_u128)v * d0 > ((r << 64) | UINT64_MAX)) {
    v--;
    r += d1;
  }
  return v;
}

/*
** (u2 u1 u0) / (d1 d0) with (u2 u1) < (d1 d0), d1's top bit set and dinv
** its wd_reciprocal: the quotient word, *r the remainder.  The product
** dinv u2 plus (u2 u1) gives a candidate q1 and a fraction q0; the
** remainder for q1 + 1 is computed modulo 2^128, and comparing its high
** word with q0 tells whether that candidate was one too large (the
** paper's proof); a last test catches the rare case one still too small.
*/
static uint64_t wd_div_3by2(div_u128 *r, uint64_t u2, uint64_t u1, uint64_t u0,
                            uint64_t d1, uint64_t d0, uint64_t dinv) {
  div_u128 d = ((div_u128)d1 << 64) | d0;
  div_u128 qq = (div_u128)dinv * u2 + (((div_u128)u2 << 64) | u1);
  uint64_t q1 = (uint64_t)(qq >> 64), q0 = (uint64_t)qq;
  uint64_t r1 = u1 - q1 * d1;
  div_u128 rr = (((div_u128)r1 << 64) | u0) - (div_u128)d0 * q1 - d;
  q1++;
  if ((uint64_t)(rr >> 64) >= q0) {
    q1--;
    rr += d;
  }
  if (rr >= d) {
    q1++;
    rr -= d;
  }
  *r = rr;
  return q1;
}

/*
** Algorithm D on words: u[0..m) by v[0..vn), vn >= 2, v's top bit set,
** u's top vn words below v.  q[0..m-vn) receives the quotient, u[0..vn)
** the remainder, u[vn..m) zeros.
*/
static void wd_divrem(dig_w64 *q, dig_w64 *u, size_t m, const dig_w64 *v,
                      size_t vn) {
  uint64_t d1 = v[vn - 1], d0 = v[vn - 2], dinv = wd_reciprocal(d1, d0);
  size_t j = m - vn;
  while (j > 0) {
    dig_w64 *uj;
    uint64_t u2, u1, qh;
    j--;
    uj = u + j;
    u2 = uj[vn];
    u1 = uj[vn - 1];
    dig_assert(u2 < d1 || (u2 == d1 && u1 <= d0));
    if (u2 == d1 && u1 == d0) {
      /* the three-word estimate would be 2^64 or more; the quotient word
      ** is at most 2^64 - 1 and at least the estimate less one */
      uint64_t b;
      qh = UINT64_MAX;
      b = wd_submul_1(uj, v, vn, qh);
      dig_assert(b == u2);
      (void)b;
    } else {
      div_u128 rr;
      uint64_t b, r0, r1;
      unsigned b0, b1;
      qh = wd_div_3by2(&rr, u2, u1, uj[vn - 2], d1, d0, dinv);
      /* the rest of the divisor comes off the low words; its borrow off
      ** the two-word remainder of the top */
      b = wd_submul_1(uj, v, vn - 2, qh);
      r1 = (uint64_t)(rr >> 64);
      r0 = (uint64_t)rr;
      b0 = r0 < b;
      r0 -= b;
      b1 = r1 < b0;
      r1 -= b0;
      if (b1) {
        /* one too large: add the divisor back, dropping the carry out */
        uint64_t c = wd_add_n(uj, v, vn - 2);
        div_u128 t = (((div_u128)r1 << 64) | r0) + (((div_u128)d1 << 64) | d0) + c;
        r1 = (uint64_t)(t >> 64);
        r0 = (uint64_t)t;
        qh--;
      }
      uj[vn - 2] = r0;
      uj[vn - 1] = r1;
    }
    uj[vn] = 0;
    q[j] = qh;
  }
}

/* Scratch of div_words for a dividend of at most n + k digits and a
** divisor of n, in digits: the u + 1 words of the dividend, the divisor's
** v and the quotient's u + 1 - v, and one digit to align them. */
static size_t div_words_itch(size_t n, size_t k) {
  return 2 * (2 * DIV_WORDS(n + k) + 2) + 1;
}

/*
** q[0..qn) = a / b, r[0..bn) = a % b by wd_divrem: pack, shift so the
** divisor's top word has its top bit set, divide, unpack.  b's top digit
** nonzero and bn >= 4 (so b has more than 64 bits), an >= bn,
** a / b < B^qn; r may be a.
*/
static void div_words(dig_t *q, size_t qn, dig_t *r, const dig_t *a,
                      size_t an, const dig_t *b, size_t bn, dig_t *scratch) {
  uintptr_t at = ((uintptr_t)scratch + 7) & ~(uintptr_t)7;
  dig_w64 *uw = (dig_w64 *)at, *vw, *qw;
  size_t un, vn, m;
  unsigned s;
  un = dig_to_words(uw, a, an);
  vw = uw + un + 1;
  vn = dig_to_words(vw, b, bn);
  while (vw[vn - 1] == 0) vn--; /* b's top digit may start below a word */
  qw = vw + vn;
  dig_assert(vn >= 2 && un >= vn);
  s = (unsigned)__builtin_clzll(vw[vn - 1]);
  /* after the shift u has a word more, below the divisor's top word, so
  ** its top vn words are below the divisor */
  if (s) {
    wd_lshift(vw, vn, s);
    uw[un] = wd_lshift(uw, un, s);
  } else {
    uw[un] = 0;
  }
  m = un + 1;
  wd_divrem(qw, uw, m, vw, vn);
  if (s) wd_rshift(uw, vn, s);
  /* the quotient is below B^qn, the remainder below b < B^bn */
  dig_from_words(q, qn, qw, m - vn);
  dig_from_words(r, bn, uw, vn);
}

/* div_knuth's contract, by words where they pay, by digits for the
** smallest sizes. */
static void div_base(dig_t *q, dig_t *u, const dig_t *v, size_t n, size_t k,
                     dig_t *scratch) {
  if (n >= DIV_WORDS_MIN && k >= DIV_WORDS_MIN) {
    div_words(q, k, u, u, n + k, v, n, scratch);
    memset(u + n, 0, k * sizeof(dig_t));
  } else {
    div_knuth(q, u, v, n, k);
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
    div_base(q, x, v, n, k, scratch);
  } else if (k == n) {
    /* two blocks of about n/2 quotient digits each */
    size_t lo = n / 2, hi = n - lo;
    div_rec(q + lo, x + lo, v, n, hi, scratch);
    div_rec(q, x, v, n, lo, scratch);
  } else {
    const dig_t *v1 = v + (n - k); /* top k digits, top bit set */
    dig_t *p = scratch, *rest = scratch + n;
    dig_t extra = 0, borrow;
    int top, adds;
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
    /* v is normalized, so the estimate from its top k digits is at most
    ** 2 too large: at most two add-backs (a wrong product upstream would
    ** otherwise keep this loop going for ages) */
    adds = 0;
    while (top < 0) {
      top += (int)dig_add(x, x, n, v, n);
      dig_sub_1(q, q, k, 1);
      adds++;
      dig_assert(adds <= 2);
    }
    (void)adds;
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
  /* the base case at the top level and below: at most n by n digits */
  if (n < DIG_DIV_RECURSIVE) return div_words_itch(n, n);
  total = n + mul_itch_bound(n);
  for (m = n; m >= DIG_DIV_RECURSIVE; m = (m + 1) / 2) {
    total += m + mul_itch_bound(m);
    if (m <= 2) break;
  }
  return total;
}

/* ------------------------------------------------------------ reciprocals */

/*
** R ~ B^(2p) / P for normalized P of p digits, B = 2^30; R gets p + 2
** digits and its normalized size is returned.  Newton's iteration: with
** Rh ~ B^(2h) / Ph from the top h digits Ph of P (recursively), and
** e = B^(p+h) - P Rh,
**   R = Rh B^(p-h) + Rh e / B^(2h),
** which squares Rh's relative error, below B^(1-h) (Ph's truncation and
** Rh's own few units): taking 2h >= p + 4 leaves R within B^(p+3-2h) < 1
** plus the roundings: e is used without its low h - 1 digits and the
** correction is truncated, a unit each.  So R is off by a few units;
** the splits correct their quotients for that.  Below DIG_INV_BASE
** digits R is the exact floor, by one division.  (The splits of the
** conversion and the division by a reciprocal below correct their
** quotients for the few units.)
*/
/* The Newton step of dig_invert: R (p + 2 digits) from rh (hn digits)
** ~ B^(p+h) / P with relative error below B^(1-h), 2h >= p + 4. */
size_t dig_invert_step(dig_t *R, const dig_t *P, size_t p, const dig_t *rh,
                          size_t hn, size_t h, dig_t *scratch) {
  size_t tn, en, rsize = p + 2;
  dig_t *t, *rest;
  int neg;
  dig_assert(hn >= h && hn <= h + 2);
  /* t = P Rh, then |B^(p+h) - t| in place */
  t = scratch;
  rest = t + p + h + 2;
  dig_mul(t, P, p, rh, hn, rest);
  tn = p + hn;
  if (tn < p + h + 2) memset(t + tn, 0, (p + h + 2 - tn) * sizeof(dig_t));
  neg = dig_normalized_size(t + p + h, 2) > 0;
  if (neg) {
    dig_sub_1(t + p + h, t + p + h, 2, 1);
  } else {
    size_t i;
    for (i = 0; i < p + h; i++) t[i] = ~t[i] & DIG_MASK;
    dig_add_1(t, t, p + h, 1);
  }
  en = dig_normalized_size(t, p + h + 2);
  memset(R, 0, rsize * sizeof(dig_t));
  memcpy(R + (p - h), rh, hn * sizeof(dig_t));
  if (en > h - 1) {
    /* the correction Rh floor(|e| / B^(h-1)) / B^(h+1) */
    const dig_t *et = t + (h - 1);
    size_t etn = en - (h - 1), cn;
    dig_t *c = rest;
    rest = c + hn + etn;
    if (hn >= etn)
      dig_mul(c, rh, hn, et, etn, rest);
    else
      dig_mul(c, et, etn, rh, hn, rest);
    cn = dig_normalized_size(c, hn + etn);
    if (cn > h + 1) {
      dig_t carry;
      dig_assert(cn - (h + 1) <= rsize);
      if (neg)
        carry = dig_sub(R, R, rsize, c + h + 1, cn - (h + 1));
      else
        carry = dig_add(R, R, rsize, c + h + 1, cn - (h + 1));
      dig_assert(carry == 0);
      (void)carry;
    }
  }
  return dig_normalized_size(R, rsize);
}

/* scratch of dig_invert_step for p digits */
size_t dig_invert_step_itch(size_t p) {
  size_t h = (p + 5) / 2;
  return (p + h + 2) + (p + 5) + 20 * p + 64;
}

size_t dig_invert(dig_t *R, const dig_t *P, size_t p, dig_t *scratch) {
  size_t h, hn;
  dig_t *rh;
  if (p < DIG_INV_BASE) {
    dig_t *num = scratch, *rem = num + 2 * p + 1;
    memset(num, 0, 2 * p * sizeof(dig_t));
    num[2 * p] = 1;
    if (p == 1)
      dig_divrem_1(R, num, 2 * p + 1, P[0]);
    else
      dig_divrem(R, rem, num, 2 * p + 1, P, p, rem + p);
    return dig_normalized_size(R, p + 2);
  }
  h = (p + 5) / 2;
  rh = scratch;
  hn = dig_invert(rh, P + (p - h), h, rh + h + 2);
  return dig_invert_step(R, P, p, rh, hn, h, rh + h + 2);
}

size_t dig_invert_itch(size_t p) {
  size_t h, a, b;
  if (p < DIG_INV_BASE) return 3 * p + 1 + (p > 1 ? dig_divrem_itch(2 * p + 1, p) : 0);
  h = (p + 5) / 2;
  a = dig_invert_itch(h);
  b = dig_invert_step_itch(p);
  return h + 2 + (a > b ? a : b);
}

/*
** q = a / P, r[0..pn) = a % P by the reciprocal R (rn0 digits) within a
** few units of B^(2pn) / P: the estimate
** floor(floor(a / B^(pn-1)) floor(R / B^s) / B^(pn+1-s)), s = pn + 1 -
** size(a / B^(pn-1)) (R's low digits would only move it by less than
** one), then the remainder by one product, and corrections of a few
** units.  a normalized, pn <= n <= 2 pn, a < P^2; q holds n + 3 digits.
*/
size_t dig_divrem_inv(dig_t *q, dig_t *r, const dig_t *a, size_t n,
                      const dig_t *p, size_t pn, const dig_t *R, size_t rn0,
                      dig_t *scratch) {
  {
    const dig_t *ah = a + (pn - 1);
    size_t ahn = n - (pn - 1), sh = pn + 1 - ahn, rn, tn, qn, un, dn;
    const dig_t *rc = R + sh;
    dig_t *t = scratch, *u, *d;
    int fixes = 0;
    dig_assert(ahn <= pn + 1 && rn0 > sh);
    rn = rn0 - sh;
    tn = ahn + rn;
    if (ahn >= rn)
      dig_mul(t, ah, ahn, rc, rn, t + tn);
    else
      dig_mul(t, rc, rn, ah, ahn, t + tn);
    qn = rn;
    memcpy(q, t + ahn, qn * sizeof(dig_t));
    qn = dig_normalized_size(q, qn);
    /* u = q P, at most 2 pn + 2 digits; d = a - u after it */
    u = scratch;
    d = u + 2 * pn + 3;
    un = 0;
    if (qn > 0) {
      if (qn >= pn)
        dig_mul(u, q, qn, p, pn, d + n);
      else
        dig_mul(u, p, pn, q, qn, d + n);
      un = dig_normalized_size(u, qn + pn);
    }
    /* At most 8 corrections in all, checked as they happen: a wrong
    ** product upstream makes the estimate arbitrarily far off, and these
    ** loops would then run for ages instead of failing. */
    while (dig_cmp(u, un, a, n) > 0) {
      dig_sub(u, u, un, p, pn);
      un = dig_normalized_size(u, un);
      dig_sub_1(q, q, qn, 1);
      qn = dig_normalized_size(q, qn);
      fixes++;
      dig_assert(fixes <= 8);
    }
    dig_sub(d, a, n, u, un);
    dn = dig_normalized_size(d, n);
    while (dig_cmp(d, dn, p, pn) >= 0) {
      dig_t c;
      dig_sub(d, d, dn, p, pn);
      dn = dig_normalized_size(d, dn);
      c = dig_add_1(q, q, qn, 1);
      if (c) q[qn++] = c;
      fixes++;
      dig_assert(fixes <= 8);
    }
    (void)fixes;
    memcpy(r, d, dn * sizeof(dig_t));
    memset(r + dn, 0, (pn - dn) * sizeof(dig_t));
    return qn;
  }
}

size_t dig_divrem_inv_itch(size_t pn) { return 4 * pn + 6 + 20 * (pn + 2) + 64; }

/*
** Division by a reciprocal, for long divisors and quotients: one
** dig_invert of the divisor (about 2.5 products of its size), then
** blocks of n - 1 quotient digits from the top, each by dig_divrem_inv
** (two products), against about six products a block for the recursive
** division.  Same contract as div_knuth; blocks of n - 1 digits keep each
** partial remainder below v^2, as dig_divrem_inv requires.
** Scratch: R, a block's quotient and remainder, then the larger of what
** dig_invert and dig_divrem_inv need.
*/
static void div_newton(dig_t *q, dig_t *u, const dig_t *v, size_t n, size_t k,
                       dig_t *scratch) {
  dig_t *R = scratch, *bq = R + n + 2, *br = bq + 2 * n + 2, *rest = br + n;
  size_t rn = dig_invert(R, v, n, rest), pos = k;
  while (pos > 0) {
    size_t len = pos < n - 1 ? pos : n - 1, xn, qn;
    pos -= len;
    xn = dig_normalized_size(u + pos, n + len);
    if (xn < n) {
      /* the block is below v: its quotient digits are zeros */
      memset(q + pos, 0, len * sizeof(dig_t));
      continue;
    }
    qn = dig_divrem_inv(bq, br, u + pos, xn, v, n, R, rn, rest);
    dig_assert(qn <= len);
    memcpy(q + pos, bq, qn * sizeof(dig_t));
    memset(q + pos + qn, 0, (len - qn) * sizeof(dig_t));
    memcpy(u + pos, br, n * sizeof(dig_t));
    memset(u + pos + n, 0, len * sizeof(dig_t));
  }
}

static size_t div_newton_itch(size_t n) {
  size_t a = dig_invert_itch(n), b = dig_divrem_inv_itch(n);
  return (n + 2) + (2 * n + 2) + n + (a > b ? a : b);
}

void dig_divrem(dig_t *q, dig_t *r, const dig_t *a, size_t an, const dig_t *b,
                size_t bn, dig_t *scratch) {
  dig_t *u = scratch, *v = scratch + an + 1, *rest = v + bn;
  unsigned s;
  size_t k = an + 1 - bn;
  dig_t top = b[bn - 1];
  dig_assert(an >= bn && bn >= 2 && top != 0);
  if ((bn < DIG_DIV_RECURSIVE || k < DIG_DIV_RECURSIVE) &&
      bn >= DIV_WORDS_MIN && k >= DIV_WORDS_MIN) {
    /* words from the operands themselves: their own shift replaces the
    ** digits' */
    div_words(q, k, r, a, an, b, bn, scratch);
    return;
  }
  /* the shift that sets the top digit's bit 29 */
  s = (unsigned)__builtin_clz(top) - (32 - DIG_SHIFT);
  /* shifting leaves u's top bn digits below v, as div_knuth requires */
  u[an] = dig_lshift(u, a, an, s);
  dig_lshift(v, b, bn, s);
  if (bn < DIG_DIV_RECURSIVE || k < DIG_DIV_RECURSIVE) {
    div_knuth(q, u, v, bn, k);   /* too short for words (taken above) */
  } else if (bn >= DIG_DIV_NEWTON && k >= bn / 2) {
    div_newton(q, u, v, bn, k, rest);
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
  size_t k = an + 1 - bn, rec;
  if (bn < DIG_DIV_RECURSIVE || k < DIG_DIV_RECURSIVE) {
    /* the word loop from the operands, or the digit loop on shifted
    ** copies: kept small so that small divisions fit callers' buffers */
    size_t words = div_words_itch(bn, k);
    return words > an + 1 + bn ? words : an + 1 + bn;
  }
  rec = div_rec_itch(bn);
  if (bn >= DIG_DIV_NEWTON && k >= bn / 2) {
    size_t nt = div_newton_itch(bn);
    if (nt > rec) rec = nt;
  }
  return an + 1 + bn + rec;
}
