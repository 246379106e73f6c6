/*
** digits_words.c -- digits to 64-bit words and back.
**
** Products, the division base case and base conversion work on 64-bit
** words (a 64x64-bit product does the work of four or five digit
** products); these two functions are the one place that converts.
*/
#include "digits.h"

__extension__ typedef unsigned __int128 words_u128;

/*
** 32 digits are exactly 15 words (960 bits), so whole blocks of them are
** packed and unpacked with shifts fixed at compile time: bit-by-bit
** loops, with a variable shift and a branch per digit, were 30-40%
** of a product of 50 to 100 digits.  Word j takes digit 64j/30 from bit
** 64j mod 30 on, and the next two or three digits above it; digit i
** comes from word 30i/64, and from the next one when it crosses.
*/
#define PK_D(j) ((64 * (j)) / 30)
#define PK_O(j) ((64 * (j)) % 30)
#define PK(j)                                                             \
  w[j] = ((uint64_t)a[PK_D(j)] >> PK_O(j)) |                              \
         ((uint64_t)a[PK_D(j) + 1] << (30 - PK_O(j))) |                   \
         ((uint64_t)a[PK_D(j) + 2] << (60 - PK_O(j))) |                   \
         (PK_O(j) > 26 ? (uint64_t)a[PK_D(j) + 3 - (PK_O(j) <= 26)]       \
                            << ((90 - PK_O(j)) & 63)                      \
                      : 0)
#define UP_W(i) ((30 * (i)) / 64)
#define UP_O(i) ((30 * (i)) % 64)
#define UP(i)                                                             \
  r[i] = (dig_t)((w[UP_W(i)] >> UP_O(i)) |                                \
                 (UP_O(i) > 34 ? w[UP_W(i) + 1 - (UP_O(i) <= 34)]         \
                                     << ((64 - UP_O(i)) & 63)             \
                               : 0)) &                                    \
         DIG_MASK

static void pack_block(dig_w64 *w, const dig_t *a) {
  PK(0); PK(1); PK(2); PK(3); PK(4); PK(5); PK(6); PK(7);
  PK(8); PK(9); PK(10); PK(11); PK(12); PK(13); PK(14);
}

static void unpack_block(dig_t *r, const dig_w64 *w) {
  UP(0); UP(1); UP(2); UP(3); UP(4); UP(5); UP(6); UP(7);
  UP(8); UP(9); UP(10); UP(11); UP(12); UP(13); UP(14); UP(15);
  UP(16); UP(17); UP(18); UP(19); UP(20); UP(21); UP(22); UP(23);
  UP(24); UP(25); UP(26); UP(27); UP(28); UP(29); UP(30); UP(31);
}

size_t dig_to_words(dig_w64 *w, const dig_t *a, size_t n) {
  words_u128 buf = 0;
  unsigned have = 0;
  size_t i, m = 0;
  for (i = 0; i + 32 <= n; i += 32, m += 15) pack_block(w + m, a + i);
  for (; i < n; i++) {
    buf |= (words_u128)a[i] << have;
    have += DIG_SHIFT;
    if (have >= 64) {
      w[m++] = (uint64_t)buf;
      buf >>= 64;
      have -= 64;
    }
  }
  if (have) w[m++] = (uint64_t)buf;
  return m;
}

void dig_from_words(dig_t *r, size_t rn, const dig_w64 *w, size_t wn) {
  words_u128 buf = 0;
  unsigned have = 0;
  size_t i = 0, j = 0;
  for (; i + 32 <= rn && j + 15 <= wn; i += 32, j += 15)
    unpack_block(r + i, w + j);
  for (; i < rn; i++) {
    if (have < DIG_SHIFT) {
      buf |= (words_u128)(j < wn ? w[j++] : 0) << have;
      have += 64;
    }
    r[i] = (dig_t)buf & DIG_MASK;
    buf >>= DIG_SHIFT;
    have -= DIG_SHIFT;
  }
}
