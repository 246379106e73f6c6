/*
** digits.h -- the digit layer: natural numbers as arrays of 30-bit digits.
**
** Like mini-gmp's mpn layer: every function works on arrays the caller
** owns, least significant digit first, and NEVER allocates.  Functions
** that need working space take a 'scratch' array whose size in digits the
** matching *_itch() function gives (an upper bound, sometimes generous,
** that follows the algorithm's recursion; 0 means scratch may be NULL;
** scratch need only be aligned as a dig_t).  There are no objects and no
** signs here; the object layer (intobject.c, intops.c) sits on top and
** owns memory and sign.
**
** A digit holds 30 bits in a uint32_t (CPython's PyLong_SHIFT), so a product
** of two digits plus two more fits a uint64_t.  Preconditions are asserted
** with dig_assert (on in debug and sanitizer builds): inputs are
** normalized where stated (top digit non-zero), sizes are > 0 where stated,
** and outputs do not overlap inputs unless stated.
*/
#ifndef digits_h
#define digits_h

#include <stddef.h>
#include <stdint.h>

typedef uint32_t dig_t;
typedef uint64_t dig_twodig_t;
typedef int64_t dig_stwodig_t;

#define DIG_SHIFT 30
#define DIG_BASE ((dig_t)1 << DIG_SHIFT)
#define DIG_MASK (DIG_BASE - 1)

/*
** A digit function kept out of coverage, alone on the line before its
** definition: one whose branches follow its buffers' addresses (an
** alignment prologue), not the values, so that a coverage-guided engine
** would see an input take different edges from run to run.  Not inlined,
** since the instrumentation runs after inlining; .clusterfuzzlite/build.sh
** lists such functions for AFL++, whose compiler ignores the attribute.
*/
#if defined(__clang__) && __clang_major__ >= 13
#define DIG_NO_COVERAGE __attribute__((no_sanitize("coverage"), noinline))
#else
#define DIG_NO_COVERAGE
#endif

/*
** 1 when the n digits at r and the k digits at a do not overlap.  With |,
** not ||: a short-circuit would be a branch on where the buffers happen to
** be, which a coverage-guided engine sees change from run to run of one
** input.
*/
#define dig_disjoint(r, n, a, k) \
  (((uintptr_t)((r) + (n)) <= (uintptr_t)(a)) | ((uintptr_t)((a) + (k)) <= (uintptr_t)(r)))

#if defined(ISP_DEBUG) || defined(__SANITIZE_ADDRESS__)
#include <assert.h>
#define dig_assert(c) assert(c)
#else
#define dig_assert(c) ((void)0)
#endif

/*
** Tuning cutoffs, in digits, with the reasoning beside each in
** digits_mul.c, digits_div.c and digits_conv.c.
** A test build (ISP_TEST_CUTOFFS) lowers them so that every branch of the
** fast algorithms runs on small operands.  They are constants: the digit
** layer has no state at all.
*/
#ifdef ISP_TEST_CUTOFFS
#define DIG_KARATSUBA_MUL 8
#define DIG_KARATSUBA_SQR 8
#define DIG_TOOM3_MUL 16
#define DIG_TOOM3_SQR 16
#define DIG_FFT_MUL 48
#define DIG_FFT_SQR 48
#define DIG_DIV_RECURSIVE 6
#define DIG_DIV_NEWTON 12
#define DIG_CONV_RECURSIVE 8
#define DIG_CONV_FROM_RECURSIVE 8
#else
/* a tuning build may pass its own values with -D; nothing else should */
#ifndef DIG_KARATSUBA_MUL
#define DIG_KARATSUBA_MUL 120
#endif
#ifndef DIG_KARATSUBA_SQR
#define DIG_KARATSUBA_SQR 200
#endif
#ifndef DIG_TOOM3_MUL
#define DIG_TOOM3_MUL 350
#endif
#ifndef DIG_TOOM3_SQR
#define DIG_TOOM3_SQR 400
#endif
#ifndef DIG_FFT_MUL
#define DIG_FFT_MUL 2800
#endif
#ifndef DIG_FFT_SQR
#define DIG_FFT_SQR 3500
#endif
#ifndef DIG_DIV_RECURSIVE
#define DIG_DIV_RECURSIVE 300
#endif
#ifndef DIG_DIV_NEWTON
#define DIG_DIV_NEWTON 16000
#endif
#ifndef DIG_CONV_RECURSIVE
#define DIG_CONV_RECURSIVE 70
#endif
#ifndef DIG_CONV_FROM_RECURSIVE
#define DIG_CONV_FROM_RECURSIVE 1200
#endif
#endif

/* Length of a[0..n) with high zero digits trimmed (0 for zero). */
size_t dig_normalized_size(const dig_t *a, size_t n);
/* Compare normalized magnitudes: -1, 0, 1. */
int dig_cmp(const dig_t *a, size_t an, const dig_t *b, size_t bn);
/* Compare two arrays of equal length n (not necessarily normalized). */
int dig_cmp_n(const dig_t *a, const dig_t *b, size_t n);

/* r[0..an) = a + b, an >= bn; returns the carry (0 or 1).  r may equal a,
** or b when an == bn. */
dig_t dig_add(dig_t *r, const dig_t *a, size_t an, const dig_t *b, size_t bn);
/* r[0..an) = a - b, an >= bn; returns the borrow (0 or 1).  r may equal a,
** or b when an == bn. */
dig_t dig_sub(dig_t *r, const dig_t *a, size_t an, const dig_t *b, size_t bn);
/* r[0..n) = a + d; returns the carry.  r may equal a. */
dig_t dig_add_1(dig_t *r, const dig_t *a, size_t n, dig_t d);
/* r[0..n) = a - d; returns the borrow.  r may equal a. */
dig_t dig_sub_1(dig_t *r, const dig_t *a, size_t n, dig_t d);

/*
** Digit-wise boolean operations (digits_bit.c): r[i] = a[i] op b[i] for
** i < n; r overlaps neither input.  DIG_ANDNOT is a & ~b.  'simd' names
** the widest instructions the caller allows, as dig_simd_detect() found
** them; DIG_SIMD_NONE always works.
*/
typedef enum dig_bitop { DIG_AND, DIG_OR, DIG_XOR, DIG_ANDNOT } dig_bitop;
#define DIG_SIMD_NONE 0
#define DIG_SIMD_AVX2 1
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define DIG_HAVE_AVX2 1
#else
#define DIG_HAVE_AVX2 0
#endif
void dig_bitop_n(dig_bitop op, dig_t *r, const dig_t *a, const dig_t *b, size_t n,
                 int simd);
/* What this processor offers: DIG_SIMD_AVX2 or DIG_SIMD_NONE. */
int dig_simd_detect(void);

/*
** 64-bit words (digits_words.c).  Products, the division base case and
** base conversion run on 64-bit words; these convert.  A word view of a
** digit scratch array must use dig_w64, which may alias anything: the
** same memory is dig_t elsewhere, and C's aliasing rules would otherwise
** let the compiler reorder the two kinds of access.
*/
#if defined(__GNUC__) || defined(__clang__)
typedef uint64_t dig_w64 __attribute__((__may_alias__));
#else
typedef uint64_t dig_w64;
#endif
/* w[0..) = a[0..n) as words; returns the count, ceil(30 n / 64).  The
** top word may be zero. */
size_t dig_to_words(dig_w64 *w, const dig_t *a, size_t n);
/* r[0..rn) = the low 30 rn bits of w[0..wn), zeros beyond wn. */
void dig_from_words(dig_t *r, size_t rn, const dig_w64 *w, size_t wn);

/* r[0..n) = a * m + add; returns the carry digit.  r may equal a. */
dig_t dig_mul_1(dig_t *r, const dig_t *a, size_t n, dig_t m, dig_t add);
/* r[0..n) += a * m; returns the carry digit.  r and a do not overlap
** (unless r == a). */
dig_t dig_addmul_1(dig_t *r, const dig_t *a, size_t n, dig_t m);
/* r[0..n) -= a * m; returns the borrow digit (what the next digit up
** still owes).  r and a do not overlap (unless r == a). */
dig_t dig_submul_1(dig_t *r, const dig_t *a, size_t n, dig_t m);

/* r[0..an+bn) = a * b, an >= bn >= 1; r overlaps neither. */
void dig_mul(dig_t *r, const dig_t *a, size_t an, const dig_t *b, size_t bn,
             dig_t *scratch);
size_t dig_mul_itch(size_t an, size_t bn);
/* r[0..2n) = a * a. */
void dig_sqr(dig_t *r, const dig_t *a, size_t n, dig_t *scratch);
size_t dig_sqr_itch(size_t n);

/* q[0..n) = a / d, returns a % d; 0 < d < DIG_BASE.  q may equal a. */
dig_t dig_divrem_1(dig_t *q, const dig_t *a, size_t n, dig_t d);
/*
** q[0..an-bn+1) = a / b, r[0..bn) = a % b; an >= bn >= 2, b normalized.
** q and r overlap nothing.
*/
void dig_divrem(dig_t *q, dig_t *r, const dig_t *a, size_t an,
                const dig_t *b, size_t bn, dig_t *scratch);
size_t dig_divrem_itch(size_t an, size_t bn);

/*
** Reciprocals and division by them (digits_div.c).  dig_invert: R ~
** B^(2p) / P within a few units, for normalized P of p >= 1 digits; R
** holds p + 2 digits; returns its normalized size.  dig_invert_step: the
** Newton step alone, from rh (hn digits, h <= hn <= h + 2) ~ B^(p+h) / P
** with relative error below B^(1-h) and 2h >= p + 4.  dig_divrem_inv:
** q = a / P and r[0..pn) = a % P for normalized a of n digits, pn >= 2,
** n <= 2 pn, a < P^2, given R (rn digits) from dig_invert (or within a
** unit or two of it); q holds n + 3 digits; returns q's normalized size.
*/
size_t dig_invert(dig_t *R, const dig_t *P, size_t p, dig_t *scratch);
size_t dig_invert_itch(size_t p);
size_t dig_invert_step(dig_t *R, const dig_t *P, size_t p, const dig_t *rh,
                       size_t hn, size_t h, dig_t *scratch);
size_t dig_invert_step_itch(size_t p);
size_t dig_divrem_inv(dig_t *q, dig_t *r, const dig_t *a, size_t n,
                      const dig_t *P, size_t pn, const dig_t *R, size_t rn,
                      dig_t *scratch);
size_t dig_divrem_inv_itch(size_t pn);

/* r[0..n) = a << s, 0 <= s < 30; returns the bits shifted out the top. r may equal a. */
dig_t dig_lshift(dig_t *r, const dig_t *a, size_t n, unsigned s);
/* r[0..n) = a >> s, 0 <= s < 30; returns the bits shifted out the bottom, in
** the low s bits.  r may equal a. */
dig_t dig_rshift(dig_t *r, const dig_t *a, size_t n, unsigned s);

/* Number of significant bits of normalized a (0 for n == 0). */
uint64_t dig_bit_length(const dig_t *a, size_t n);
/* Number of one bits. */
uint64_t dig_popcount(const dig_t *a, size_t n);

/*
** Base conversion, base 2..36.  'vals' are digit values (0..base-1), most
** significant first, as the object layer's parser produced them.
** dig_from_base writes at most dig_from_base_size(len, base) digits into r
** and returns the normalized size.
*/
size_t dig_from_base_size(size_t len, int base);
size_t dig_from_base_itch(size_t len, int base);
size_t dig_from_base(dig_t *r, const unsigned char *vals, size_t len, int base,
                     dig_t *scratch);
/*
** Write normalized a (n >= 1) in base 2..36 as lowercase characters, most
** significant first, no sign, no leading zeros, NUL-terminated; returns the
** length.  'out' holds dig_to_base_size(n, base) bytes (NUL included).
** a is not modified.
*/
size_t dig_to_base_size(size_t n, int base);
size_t dig_to_base_itch(size_t n, int base);
size_t dig_to_base(char *out, const dig_t *a, size_t n, int base, dig_t *scratch);

#endif
