/*
** fz_bytes.c -- int.from_bytes and int.to_bytes against GMP's import and
** export, both byte orders, signed and unsigned.
**
** Input:  byte 0  profile (bits 0-2), byte order (bit 3), signed (bit 4),
**                 the to_bytes order and signedness (bits 5, 6);
**         byte 1  the to_bytes length, relative to the shortest that fits:
**                 value - 8 (so too short, exact and padded all occur);
**                 255 asks for a negative length instead;
**         then the bytes to read.
** from_bytes must give GMP's value; to_bytes must give GMP's bytes, or
** OverflowError when the value does not fit (or is negative and unsigned),
** or ValueError for a negative length; reading the same bytes back with the
** same order and signedness is the identity.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#define FZ_BYTES_MAX 4096

/* The bytes as int.from_bytes reads them. */
static void fz_import(mpz_t x, const uint8_t *b, size_t n, int little, int is_signed) {
  mpz_import(x, n, little ? -1 : 1, 1, 0, 0, b);
  if (is_signed && n > 0 && (b[little ? n - 1 : 0] & 0x80)) {
    mpz_t p;
    mpz_init(p);
    mpz_setbit(p, (mp_bitcnt_t)(8 * n));
    mpz_sub(x, x, p);
    mpz_clear(p);
  }
}

/* The shortest length int.to_bytes accepts for x. */
static size_t fz_minlen(const mpz_t x, int is_signed) {
  size_t bits;
  mpz_t t;
  if (mpz_sgn(x) == 0) return 0;
  /* CPython 3.11-3.13 measured: (-1).to_bytes(0, signed=True) is b'', the
  ** one value that converts to fewer bytes than its sign needs */
  if (is_signed && mpz_cmp_si(x, -1) == 0) return 0;
  mpz_init(t);
  if (mpz_sgn(x) < 0) mpz_com(t, x);     /* -x-1: the magnitude of the pattern */
  else mpz_set(t, x);
  bits = mpz_sgn(t) == 0 ? 0 : mpz_sizeinbase(t, 2);
  mpz_clear(t);
  return (bits + (size_t)(is_signed != 0) + 7) / 8;
}

/* x as 'len' bytes of two's complement (x fits). */
static void fz_export(const mpz_t x, size_t len, int little, uint8_t *out) {
  mpz_t t;
  size_t count, i;
  mpz_init(t);
  if (mpz_sgn(x) < 0) {
    mpz_set_ui(t, 0);
    mpz_setbit(t, (mp_bitcnt_t)(8 * len));
    mpz_add(t, t, x);
  } else {
    mpz_set(t, x);
  }
  memset(out, 0, len);
  count = (mpz_sizeinbase(t, 2) + 7) / 8;
  if (mpz_sgn(t) == 0) count = 0;
  if (count > len) abort();
  mpz_export(out + (len - count), NULL, 1, 1, 0, 0, t);   /* big endian */
  mpz_clear(t);
  if (little)
    for (i = 0; i < len / 2; i++) {
      uint8_t c = out[i];
      out[i] = out[len - 1 - i];
      out[len - 1 - i] = c;
    }
}

static void fz_hexdump(const char *label, const uint8_t *b, size_t n) {
  size_t i;
  fprintf(stderr, "  %s (%zu):", label, n);
  for (i = 0; i < n && i < 64; i++) fprintf(stderr, " %02x", b[i]);
  fprintf(stderr, "%s\n", n > 64 ? " ..." : "");
}

int fz_bytes(const uint8_t *data, size_t size) {
  fz_in in = {data, size};
  uint8_t h = fz_u8(&in), lsel = fz_u8(&in);
  int little = (h >> 3) & 1, is_signed = (h >> 4) & 1;
  int out_little = (h >> 5) & 1, out_signed = (h >> 6) & 1;
  size_t n, minlen;
  const uint8_t *b = fz_take(&in, FZ_BYTES_MAX, &n);
  isp_runtime *R = fz_runtime(fz_profile(h & 7));
  isp_int *v;
  int64_t len;
  uint8_t *got, *want;
  mpz_t x;

  mpz_init(x);
  fz_import(x, b, n, little, is_signed);
  v = isp_from_bytes(R, b, n, little, is_signed);
  if (v == NULL) fz_fail("from_bytes(%zu bytes) failed: %s", n, fz_errtext(R));
  fz_check_object(R, v, x, 0, "from_bytes");

  /* the identity: same bytes back with the same order and signedness */
  got = malloc(n + 1);
  if (got == NULL) abort();
  if (isp_to_bytes(R, v, (int64_t)n, little, is_signed, got) != 0) {
    fz_fail("to_bytes(%zu) of from_bytes' own value failed: %s", n, fz_errtext(R));
  }
  if (n > 0 && memcmp(got, b, n) != 0) {
    fz_hexdump("in ", b, n);
    fz_hexdump("out", got, n);
    fz_fail("from_bytes/to_bytes round trip changed the bytes (little %d, signed %d)",
            little, is_signed);
  }
  free(got);

  /* a second encoding, of another length, order and signedness */
  minlen = fz_minlen(x, out_signed);
  if (lsel == 255) {
    len = -1 - (int64_t)(h & 7);
  } else {
    len = (int64_t)minlen + lsel - 8;
    if (len < 0) len = 0;
  }
  got = malloc((size_t)(len > 0 ? len : 0) + 1);
  want = malloc((size_t)(len > 0 ? len : 0) + 1);
  if (got == NULL || want == NULL) abort();
  if (isp_to_bytes(R, v, len, out_little, out_signed, got) == 0) {
    if (len < 0) fz_fail("to_bytes(%lld) succeeded", (long long)len);
    if (!out_signed && mpz_sgn(x) < 0) fz_fail("to_bytes(unsigned) of %Zd succeeded", x);
    if (len < (int64_t)minlen) fz_fail("to_bytes(%lld) of %Zd succeeded; needs %zu", (long long)len, x, minlen);
    fz_export(x, (size_t)len, out_little, want);
    if (memcmp(got, want, (size_t)len) != 0) {
      fz_hexdump("intspect", got, (size_t)len);
      fz_hexdump("GMP     ", want, (size_t)len);
      fz_fail("to_bytes(%lld, %s, signed=%d) of %Zd", (long long)len,
              out_little ? "little" : "big", out_signed, x);
    }
  } else if (len < 0) {
    fz_expect_error(R, ISP_VALUE_ERROR, "to_bytes(negative length)");
  } else {
    if (!(len < (int64_t)minlen || (!out_signed && mpz_sgn(x) < 0)))
      fz_fail("to_bytes(%lld, signed=%d) of %Zd failed: %s", (long long)len, out_signed,
              x, fz_errtext(R));
    fz_expect_error(R, ISP_OVERFLOW_ERROR, "to_bytes that does not fit");
  }
  free(got);
  free(want);
  isp_decref(R, v);
  mpz_clear(x);
  fz_close(R, "fz_bytes");
  return 0;
}

#ifdef FZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return fz_bytes(data, size);
}
#endif
