/*
** digits_bit.c -- digit-wise boolean operations (and, or, xor, and-not).
**
** These are the inner loops of the object layer's &, | and ^ and run at
** the speed of memory, so the layout of the loop decides their cost.  Two
** versions: a plain loop that the compiler vectorizes for the baseline
** instruction set, and, on x86-64, an AVX2 loop chosen at run time by the
** caller (the digit layer holds no state: the runtime instance remembers
** what the processor offers).  The AVX2 loop first steps digit by digit
** until the output is 32-byte aligned, so that no store splits a cache
** line; big objects are allocated 32-byte aligned (pool.c), so the inputs
** come out aligned at the same step.  On this layout the wide loop is
** about 1.3x faster than the plain one for operands in L2 and 2x for
** operands in L1.
*/
#include "digits.h"

#if DIG_HAVE_AVX2
#include <immintrin.h>
#endif

static dig_t bit1(dig_bitop op, dig_t a, dig_t b) {
  switch (op) {
    case DIG_AND: return a & b;
    case DIG_OR: return a | b;
    case DIG_XOR: return a ^ b;
    default: return a & ~b & DIG_MASK;
  }
}

/* One loop per operation, so that each vectorizes on its own. */
static void bitop_plain(dig_bitop op, dig_t *restrict r, const dig_t *restrict a,
                        const dig_t *restrict b, size_t n) {
  size_t i;
  switch (op) {
    case DIG_AND:
      for (i = 0; i < n; i++) r[i] = a[i] & b[i];
      break;
    case DIG_OR:
      for (i = 0; i < n; i++) r[i] = a[i] | b[i];
      break;
    case DIG_XOR:
      for (i = 0; i < n; i++) r[i] = a[i] ^ b[i];
      break;
    default:
      for (i = 0; i < n; i++) r[i] = a[i] & ~b[i] & DIG_MASK;
      break;
  }
}

#if DIG_HAVE_AVX2
/* Eight digits per step, sixteen per turn of the loop.  Digits are below
** 2^30, so a & ~b needs no mask: a's top two bits are already zero. */
#define BIT_AVX2_LOOP(vop)                                                      \
  for (; i + 16 <= n; i += 16) {                                                \
    __m256i x0 = _mm256_loadu_si256((const __m256i *)(a + i));                  \
    __m256i y0 = _mm256_loadu_si256((const __m256i *)(b + i));                  \
    __m256i x1 = _mm256_loadu_si256((const __m256i *)(a + i + 8));              \
    __m256i y1 = _mm256_loadu_si256((const __m256i *)(b + i + 8));              \
    _mm256_store_si256((__m256i *)(r + i), vop(x0, y0));                        \
    _mm256_store_si256((__m256i *)(r + i + 8), vop(x1, y1));                    \
  }                                                                             \
  if (i + 8 <= n) {                                                             \
    __m256i x0 = _mm256_loadu_si256((const __m256i *)(a + i));                  \
    __m256i y0 = _mm256_loadu_si256((const __m256i *)(b + i));                  \
    _mm256_store_si256((__m256i *)(r + i), vop(x0, y0));                        \
    i += 8;                                                                     \
  }

#define BIT_ANDNOT(x, y) _mm256_andnot_si256((y), (x))

__attribute__((target("avx2")))
static void bitop_avx2(dig_bitop op, dig_t *restrict r, const dig_t *restrict a,
                       const dig_t *restrict b, size_t n) {
  size_t i = 0;
  while (i < n && ((uintptr_t)(r + i) & 31) != 0) {
    r[i] = bit1(op, a[i], b[i]);
    i++;
  }
  switch (op) {
    case DIG_AND: BIT_AVX2_LOOP(_mm256_and_si256) break;
    case DIG_OR: BIT_AVX2_LOOP(_mm256_or_si256) break;
    case DIG_XOR: BIT_AVX2_LOOP(_mm256_xor_si256) break;
    default: BIT_AVX2_LOOP(BIT_ANDNOT) break;
  }
  for (; i < n; i++) r[i] = bit1(op, a[i], b[i]);
}
#endif

int dig_simd_detect(void) {
#if DIG_HAVE_AVX2
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) return DIG_SIMD_AVX2;
#endif
  return DIG_SIMD_NONE;
}

void dig_bitop_n(dig_bitop op, dig_t *r, const dig_t *a, const dig_t *b, size_t n,
                 int simd) {
#if DIG_HAVE_AVX2
  if (simd == DIG_SIMD_AVX2 && n >= 16) {
    bitop_avx2(op, r, a, b, n);
    return;
  }
#endif
  (void)simd;
  bitop_plain(op, r, a, b, n);
}
