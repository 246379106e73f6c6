/*
** fz_common.c -- input decoding, runtimes and value transfer for the
** fuzz targets.
**
** Values cross between the runtime and GMP as bytes (isp_to_bytes /
** isp_from_bytes against mpz_export / mpz_import), a path fz_bytes checks
** on its own, so that the arithmetic targets do not depend on the string
** conversions.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

/*
** {======================================================================
** Input decoding
** =======================================================================
*/

uint8_t fz_u8(fz_in *in) {
  uint8_t b;
  if (in->n == 0) return 0;
  b = in->p[0];
  in->p++;
  in->n--;
  return b;
}

uint16_t fz_u16(fz_in *in) {
  uint16_t hi = fz_u8(in);
  return (uint16_t)((hi << 8) | fz_u8(in));
}

uint64_t fz_u64(fz_in *in) {
  uint64_t v = 0;
  int i;
  for (i = 0; i < 8; i++) v = (v << 8) | fz_u8(in);
  return v;
}

const uint8_t *fz_take(fz_in *in, size_t want, size_t *got) {
  const uint8_t *p = in->p;
  if (want > in->n) want = in->n;
  in->p += want;
  in->n -= want;
  *got = want;
  return p;
}

/* }====================================================================== */

/*
** {======================================================================
** Reports
** =======================================================================
*/

void fz_fail(const char *fmt, ...) {
  va_list ap;
  fflush(stdout);
  fputs("intspect fuzz: MISMATCH: ", stderr);
  va_start(ap, fmt);
  gmp_vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  fflush(stderr);
  abort();
}

const char *fz_errtext(const isp_runtime *R) {
  static char buf[600];
  snprintf(buf, sizeof buf, "%s: %s", isp_errtype_name(isp_error_type(R)),
           isp_error_message(R));
  return buf;
}

void fz_expect_error(isp_runtime *R, isp_errtype t, const char *what) {
  if (isp_error_type(R) != t)
    fz_fail("%s: expected %s, got '%s'", what, isp_errtype_name(t), fz_errtext(R));
  isp_error_clear(R);
}

/* }====================================================================== */

/*
** {======================================================================
** Runtimes
** =======================================================================
*/

size_t fz_nprofiles(void) {
  const char *const *names = isp_profile_names();
  size_t n = 0;
  while (names[n] != NULL) n++;
  return n;
}

const char *fz_profile(unsigned i) {
  return isp_profile_names()[i % fz_nprofiles()];
}

isp_runtime *fz_runtime(const char *profile) {
  isp_options o;
  isp_runtime *R;
  char err[256];
  isp_options_init(&o);
  o.profile = profile;
  R = isp_runtime_new(&o, err, sizeof err);
  if (R == NULL) fz_fail("isp_runtime_new(%s): %s", profile, err);
  return R;
}

static void fz_print_leak(void *ud, const isp_leak *leak) {
  fprintf(stderr, "  leaked %s: id 0x%llx refcount %llu value %s\n",
          (const char *)ud, (unsigned long long)leak->id,
          (unsigned long long)leak->refcount, leak->value);
}

void fz_close(isp_runtime *R, const char *what) {
  size_t leaks = isp_runtime_close(R, fz_print_leak, (void *)what);
  if (leaks != 0) fz_fail("%s: %zu object(s) leaked at close", what, leaks);
}

/* }====================================================================== */

/*
** {======================================================================
** Values between the runtime and GMP
** =======================================================================
*/

void fz_get(isp_runtime *R, const isp_int *v, mpz_t out) {
  int64_t bits = isp_bit_length(R, v);
  int64_t len = bits / 8 + 1;            /* room for the sign bit */
  uint8_t stackbuf[256];
  uint8_t *buf = stackbuf;
  if (bits < 0) fz_fail("bit_length returned %lld", (long long)bits);
  if ((size_t)len > sizeof stackbuf) {
    buf = malloc((size_t)len);
    if (buf == NULL) abort();
  }
  if (isp_to_bytes(R, v, len, 1, 1, buf) != 0)
    fz_fail("to_bytes(%lld, little, signed) of a %lld-bit int failed: %s",
            (long long)len, (long long)bits, fz_errtext(R));
  mpz_import(out, (size_t)len, -1, 1, 0, 0, buf);
  if (buf[len - 1] & 0x80) {             /* two's complement */
    mpz_t p;
    mpz_init(p);
    mpz_setbit(p, (mp_bitcnt_t)(8 * len));
    mpz_sub(out, out, p);
    mpz_clear(p);
  }
  if (buf != stackbuf) free(buf);
}

isp_int *fz_make(isp_runtime *R, const mpz_t x) {
  size_t count = 0;
  uint8_t *mag = mpz_export(NULL, &count, 1, 1, 0, 0, x);
  isp_int *v = isp_from_bytes(R, mag, count, 0, 0);
  void (*freefn)(void *, size_t);
  mp_get_memory_functions(NULL, NULL, &freefn);
  if (mag != NULL) freefn(mag, count);
  if (v != NULL && mpz_sgn(x) < 0) {
    isp_int *n = isp_neg(R, v);
    isp_decref(R, v);
    v = n;
  }
  return v;
}

void fz_expect_value(isp_runtime *R, const isp_int *v, const mpz_t x, const char *what) {
  mpz_t got;
  mpz_init(got);
  fz_get(R, v, got);
  if (mpz_cmp(got, x) != 0)
    fz_fail("%s under %s:\n  intspect: %Zd\n  GMP:      %Zd", what,
            isp_runtime_profile(R), got, x);
  mpz_clear(got);
}

/* Digits of 30 bits |x| needs (0 for zero). */
static size_t fz_ndigits30(const mpz_t x) {
  return mpz_sgn(x) == 0 ? 0 : (mpz_sizeinbase(x, 2) + 29) / 30;
}

void fz_check_object(isp_runtime *R, isp_int *v, const mpz_t x, unsigned other_refs,
                     const char *what) {
  const char *type = isp_type_name(R, v);
  int is27 = strcmp(isp_runtime_profile(R), "cpython2.7") == 0;
  int is_int = strcmp(type, "int") == 0;
  size_t nd = fz_ndigits30(x), want, got;
  int64_t lo, hi;
  fz_expect_value(R, v, x, what);
  /* sys.getsizeof */
  if (is27) {
    if (is_int && !mpz_fits_slong_p(x))
      fz_fail("%s under cpython2.7: an 'int' holds %Zd, outside a C long", what, x);
    want = is_int ? 24 : 24 + 4 * nd;
  } else {
    if (!is_int) fz_fail("%s: type '%s' under %s", what, type, isp_runtime_profile(R));
    want = 24 + 4 * (nd ? nd : 1);
  }
  got = isp_sizeof(R, v);
  if (got != want)
    fz_fail("%s under %s: sizeof(%Zd) as '%s' is %zu, want %zu", what,
            isp_runtime_profile(R), x, type, got, want);
  /* the small-int cache: a covered value is always the cached object */
  isp_small_range(R, &lo, &hi);
  if (is_int && lo <= hi && mpz_cmp_si(x, (long)lo) >= 0 && mpz_cmp_si(x, (long)hi) <= 0) {
    isp_int *c = isp_from_i64(R, (int64_t)mpz_get_si(x));
    if (c == NULL) fz_fail("%s: from_i64(%Zd) failed: %s", what, x, fz_errtext(R));
    isp_decref(R, c);
    if (c != v)
      fz_fail("%s under %s: result %Zd is not the cached object (0x%llx vs 0x%llx)",
              what, isp_runtime_profile(R), x, (unsigned long long)isp_id(v),
              (unsigned long long)isp_id(c));
    if (!isp_is_immortal(R, v) && isp_refcount(R, v) < 2 + (uint64_t)other_refs)
      fz_fail("%s: cached %Zd has refcount %llu, the cache's and ours need %u",
              what, x, (unsigned long long)isp_refcount(R, v), 2 + other_refs);
  } else {
    if (isp_is_immortal(R, v))
      fz_fail("%s under %s: fresh result %Zd is immortal", what,
              isp_runtime_profile(R), x);
    if (isp_refcount(R, v) != 1 + (uint64_t)other_refs)
      fz_fail("%s under %s: fresh result %Zd has refcount %llu, want %u", what,
              isp_runtime_profile(R), x, (unsigned long long)isp_refcount(R, v),
              1 + other_refs);
  }
}

/* }====================================================================== */
