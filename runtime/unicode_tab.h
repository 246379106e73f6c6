/*
** unicode_tab.h -- per-version Unicode tables for int(str) (generated data
** in unicode_tab.c, from specs/gen/make_unicode.py).
**
** Each entry carries a mask of the Unicode versions it holds in; a
** profile names its version by one bit (profile.h, unicode_mask).
*/
#ifndef unicode_tab_h
#define unicode_tab_h

#include <stddef.h>
#include <stdint.h>

typedef struct uni_run {
  uint32_t zero;       /* code point of the digit 0; 1..9 follow it */
  uint8_t mask;
} uni_run;

typedef struct uni_range {
  uint32_t lo, hi;     /* inclusive */
  uint8_t mask;
} uni_range;

extern const uni_run uni_digit_zeros[];
extern const size_t uni_digit_zeros_n;
extern const uni_range uni_nonprintable[];
extern const size_t uni_nonprintable_n;

#endif
