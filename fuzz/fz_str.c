/*
** fz_str.c -- int(str, base) and str(int, base) against a model of
** Python 3's grammar and GMP.
**
** Input:  byte 0  profile (bits 0-2), max_str_digits choice (bits 3-4);
**         byte 1  the base: value % 40, where 0 and 2..36 are valid and
**                 1, 37, 38, 39 stand for bad bases (1, 37, -1, 100);
**         byte 2  the base of the round trip, 2 + value % 35;
**         then the string (any bytes, NULs included).
** For 3.x profiles and ASCII input the model decides exactly: a valid
** literal gives GMP's value of its cleaned digits (mpz_set_str), anything
** else ValueError.  Non-ASCII input (Unicode whitespace and digits) and
** 2.7's older grammar are checked more loosely: ValueError or a value that
** survives the round trip.  Whatever the input, the only exception
** allowed is ValueError.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

/* Longer than the 4300-digit default limit, so that both sides of it run. */
#define FZ_STR_MAX 6000

static int fz_isspace(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Value of an ASCII digit or letter, 99 for anything else. */
static int fz_digit(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

/*
** Python 3's int(s, base) for ASCII s.  Returns 1 with the sign, the digits
** (underscores dropped, NUL-terminated in 'clean') and the resolved base
** when s is a valid literal, 0 when it is not.
*/
static int fz_model(const char *s, size_t n, int base, char *clean, int *neg,
                    int *rbase, size_t *ndigits) {
  size_t i = 0, k = 0, j;
  int only_zeros = 0;
  *neg = 0;
  while (i < n && fz_isspace((unsigned char)s[i])) i++;
  if (i < n && (s[i] == '+' || s[i] == '-')) *neg = s[i++] == '-';
  if (base == 0) {
    if (i + 1 < n && s[i] == '0') {
      char c = s[i + 1];
      base = (c == 'x' || c == 'X') ? 16 : (c == 'o' || c == 'O') ? 8
             : (c == 'b' || c == 'B') ? 2 : 10;
      only_zeros = base == 10;          /* "010" is not a literal */
    } else {
      base = 10;
    }
  }
  if (i + 1 < n && s[i] == '0') {
    char c = s[i + 1];
    if ((base == 16 && (c == 'x' || c == 'X')) || (base == 8 && (c == 'o' || c == 'O')) ||
        (base == 2 && (c == 'b' || c == 'B'))) {
      i += 2;
      if (i < n && s[i] == '_') i++;    /* one '_' may follow a prefix */
    }
  }
  /* digits, with single underscores between them */
  for (j = i; j < n; j++) {
    unsigned char c = (unsigned char)s[j];
    if (c == '_') {
      if (k == 0 || s[j - 1] == '_' || j + 1 >= n) return 0;
      continue;
    }
    if (fz_digit(c) >= base) break;
    clean[k++] = (char)c;
  }
  if (k == 0 || s[j - 1] == '_') return 0;
  while (j < n && fz_isspace((unsigned char)s[j])) j++;
  if (j != n) return 0;
  clean[k] = '\0';
  if (only_zeros && strspn(clean, "0") != k) return 0;
  *rbase = base;
  *ndigits = k;
  return 1;
}

static int fz_pow2(int base) {
  return (base & (base - 1)) == 0;
}

/* The max_str_digits in force, after applying the input's choice. */
static int64_t fz_limit(isp_runtime *R, unsigned choice) {
  static const int64_t limits[3] = {0, 640, 641};
  if (choice > 0 && !fz_is27(R)) {
    if (isp_set_max_str_digits(R, limits[choice - 1]) != 0)
      fz_fail("set_max_str_digits(%lld): %s", (long long)limits[choice - 1], fz_errtext(R));
  }
  return isp_get_max_str_digits(R);
}

/* str(v, base) must be GMP's text (or the limit's ValueError), and parse back. */
static void fz_round_trip(isp_runtime *R, isp_int *v, const mpz_t x, int base, int64_t limit) {
  size_t len, digits;
  char *s = isp_to_string(R, v, base, &len);
  char *w = mpz_get_str(NULL, base, x);
  void (*freefn)(void *, size_t);
  digits = strlen(w) - (w[0] == '-');
  if (base == 10 && limit > 0 && digits > (size_t)limit) {
    if (s != NULL) fz_fail("str() of a %zu-digit int with limit %lld succeeded", digits, (long long)limit);
    fz_expect_error(R, ISP_VALUE_ERROR, "str() past max_str_digits");
  } else {
    isp_int *back;
    if (s == NULL) fz_fail("str(%Zd, %d) failed: %s", x, base, fz_errtext(R));
    if (len != strlen(s) || strcmp(s, w) != 0)
      fz_fail("str(v, %d):\n  intspect '%s' (len %zu)\n  GMP      '%s'", base, s, len, w);
    back = isp_from_string(R, s, len, base);
    if (!fz_pow2(base) && limit > 0 && digits > (size_t)limit) {
      /* str() in base 3 is not limited, but reading it back is */
      if (back != NULL) fz_fail("int() of %zu base-%d digits with limit %lld succeeded", digits, base, (long long)limit);
      fz_expect_error(R, ISP_VALUE_ERROR, "int() past max_str_digits");
    } else {
      if (back == NULL) fz_fail("int('%s', %d) of str()'s output failed: %s", s, base, fz_errtext(R));
      if (isp_compare(R, back, v) != 0) fz_fail("int(str(v, %d), %d) != v for %Zd", base, base, x);
      isp_decref(R, back);
    }
    isp_free_string(R, s);
  }
  mp_get_memory_functions(NULL, NULL, &freefn);
  freefn(w, strlen(w) + 1);
}

/*
** The base argument as int(text, base) takes it (isp_int_base): a base of
** 0 or 2..36 passes unchanged; 3.x refuses any other at once (ValueError,
** before the text is looked at) and 2.7 leaves that to the parse; past a C
** int 2.7 raises OverflowError; with a non-text x a base is a TypeError
** (3.x: after the range; 2.7 before it).
*/
static void fz_base_arg(isp_runtime *R, int base, int in_range, int is27) {
  int b = -1, rc = isp_int_base(R, base, 1, &b);
  if (in_range || is27) {
    if (rc != 0 || b != base)
      fz_fail("int_base(%d, text) under %s: rc %d, base %d: %s", base,
              isp_runtime_profile(R), rc, b, fz_errtext(R));
  } else {
    if (rc == 0) fz_fail("int_base(%d, text) under %s accepted a bad base", base,
                         isp_runtime_profile(R));
    fz_expect_error(R, ISP_VALUE_ERROR, "int_base (bad base)");
  }
  if (isp_int_base(R, (int64_t)INT32_MAX + 1 + (base & 0xff), 1, &b) == 0)
    fz_fail("int_base accepted a base past a C int under %s", isp_runtime_profile(R));
  fz_expect_error(R, is27 ? ISP_OVERFLOW_ERROR : ISP_VALUE_ERROR, "int_base (past a C int)");
  if (isp_int_base(R, base, 0, &b) == 0)
    fz_fail("int_base(%d) accepted a non-text x under %s", base, isp_runtime_profile(R));
  fz_expect_error(R, !is27 && !in_range ? ISP_VALUE_ERROR : ISP_TYPE_ERROR,
                  "int_base (non-text x)");
}

/* int(v): 3.x v itself; 2.7 an int of v's value when v is a long that fits
** a C long (the cached one for small values), else v itself. */
static void fz_int_of(isp_runtime *R, isp_int *v, const mpz_t x, int is27) {
  isp_int *w = isp_to_int(R, v);
  if (w == NULL) fz_fail("int(v) failed: %s", fz_errtext(R));
  if (is27 && strcmp(isp_type_name(R, v), "long") == 0 && mpz_fits_slong_p(x)) {
    if (strcmp(isp_type_name(R, w), "int") != 0) fz_fail("int(%ZdL) is a %s", x, isp_type_name(R, w));
    fz_check_object(R, w, x, 0, "int(long)");
  } else if (w != v) {
    fz_fail("int(%Zd) under %s is a new object, not the operand", x, isp_runtime_profile(R));
  }
  isp_decref(R, w);
}

int fz_str(const uint8_t *data, size_t size) {
  static const int bad_bases[4] = {1, 37, -1, 100};
  fz_in in = {data, size};
  uint8_t h = fz_u8(&in);
  unsigned bsel = fz_u8(&in) % 40;
  int outbase = 2 + fz_u8(&in) % 35;
  int base = bsel == 1 ? 1 : bsel <= 36 ? (int)bsel : bad_bases[bsel - 36];
  size_t n;
  const char *s = (const char *)fz_take(&in, FZ_STR_MAX, &n);
  isp_runtime *R = fz_runtime(fz_profile(h & 7));
  int64_t limit = fz_limit(R, (h >> 3) & 3);
  int is27 = fz_is27(R);
  int ascii = 1, exact, valid = 0, neg = 0, rbase = 10;
  size_t i, ndigits = 0;
  char *clean = malloc(n + 1);
  isp_int *v;
  mpz_t x;

  if (clean == NULL) abort();
  mpz_init(x);
  for (i = 0; i < n; i++) ascii &= (unsigned char)s[i] < 0x80;
  exact = ascii && !is27;
  if (base == 0 || (base >= 2 && base <= 36))
    valid = fz_model(s, n, base, clean, &neg, &rbase, &ndigits);

  fz_base_arg(R, base, base == 0 || (base >= 2 && base <= 36), is27);
  v = isp_from_string(R, s, n, base);
  if (v == NULL) {
    if (isp_error_type(R) != ISP_VALUE_ERROR)
      fz_fail("int(<%zu bytes>, %d) raised '%s'; only ValueError may", n, base, fz_errtext(R));
    if (exact && valid && (fz_pow2(rbase) || limit == 0 || ndigits <= (size_t)limit))
      fz_fail("int('%.*s', %d) of a valid literal failed: %s", (int)n, s, base, fz_errtext(R));
    isp_error_clear(R);
  } else {
    if (exact) {
      if (!valid) fz_fail("int('%.*s', %d) accepted an invalid literal", (int)n, s, base);
      if (!fz_pow2(rbase) && limit > 0 && ndigits > (size_t)limit)
        fz_fail("int() accepted %zu digits past the limit %lld", ndigits, (long long)limit);
      if (mpz_set_str(x, clean, rbase) != 0) fz_fail("GMP rejected '%s' in base %d", clean, rbase);
      if (neg) mpz_neg(x, x);
      fz_check_object(R, v, x, 0, "int(str)");
    } else {
      fz_get(R, v, x);
    }
    fz_round_trip(R, v, x, outbase, limit);
    fz_round_trip(R, v, x, 10, limit);
    fz_int_of(R, v, x, is27);
    isp_decref(R, v);
  }
  if (isp_error_type(R) != ISP_OK) fz_fail("an error was left set: %s", fz_errtext(R));
  mpz_clear(x);
  free(clean);
  fz_close(R, "fz_str");
  return 0;
}

#ifdef FZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return fz_str(data, size);
}
#endif
