/*
** fuzz_divmod.c -- fuzz/props/divmod.lua written in C, for fuzz/bench_lua.sh.
**
** A benchmark's yardstick, not a fuzz target of the project: it decodes
** its input byte for byte as the Lua data provider does (harness/luaprop.c:
** p:runtime(), then two p:consume_int(512)) and checks what the Lua
** property checks, through the public C API.  So the two run the same
** runtime work on the same inputs, and their speeds differ by what Lua and
** the provider cost.
*/
#include <stdlib.h>
#include <string.h>

#include "fz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct dm_in {
  const uint8_t *p;
  size_t n;
} dm_in;

/* 0 when the input ran out (the Lua property stops there too). */
static int dm_take(dm_in *in, size_t k, const uint8_t **out) {
  if (k > in->n) return 0;
  *out = in->p;
  in->p += k;
  in->n -= k;
  return 1;
}

static int dm_be(dm_in *in, size_t k, uint64_t *v) {
  const uint8_t *p;
  size_t i;
  if (!dm_take(in, k, &p)) return 0;
  for (*v = 0, i = 0; i < k; i++) *v = *v << 8 | p[i];
  return 1;
}

static const struct { int k; int64_t d; } dm_edges[] = {
  {-1, 0}, {-1, 1}, {-1, 2}, {-1, 7}, {-1, 10}, {-1, 255}, {-1, 1000000000},
  {15, 0}, {16, -1}, {29, 0}, {30, -1}, {30, 0}, {30, 1}, {31, -1}, {31, 0},
  {32, -1}, {32, 0}, {59, 0}, {60, -1}, {60, 0}, {60, 1}, {62, 0}, {63, -1},
  {63, 0}, {63, 1}, {64, -1}, {64, 0}, {89, 0}, {90, -1}, {90, 0}, {90, 1},
  {120, -1}, {120, 0}, {150, 0}, {-1, 999999999999999999}
};
#define DM_NEDGES (sizeof dm_edges / sizeof dm_edges[0])

static isp_int *dm_pow2_plus(isp_runtime *R, int k, int64_t d) {
  isp_int *one, *kk, *p, *dd, *r;
  if (k < 0) return isp_from_i64(R, d);
  one = isp_from_i64(R, 1);
  kk = isp_from_i64(R, k);
  p = isp_lshift(R, one, kk);
  dd = isp_from_i64(R, d);
  r = isp_add(R, p, dd);
  isp_decref(R, one);
  isp_decref(R, kk);
  isp_decref(R, p);
  isp_decref(R, dd);
  return r;
}

/* consume_int(max_bits) as luaprop.c decodes it; NULL when out of input. */
static isp_int *dm_int(isp_runtime *R, dm_in *in, int max_bits) {
  const uint8_t *t, *b, *c;
  uint64_t u;
  isp_int *v = NULL;
  if (!dm_take(in, 1, &t)) return NULL;
  switch ((t[0] & 0x7f) % 6) {
    case 0: {
      int64_t lo, hi;
      unsigned i;
      if (!dm_take(in, 1, &b)) return NULL;
      i = b[0] % (unsigned)(DM_NEDGES + 4);
      isp_small_range(R, &lo, &hi);
      if (i < DM_NEDGES) {
        int k = dm_edges[i].k;
        int64_t d = dm_edges[i].d;
        if (k >= max_bits) {
          k = max_bits - 1;
          d = 0;
        }
        v = dm_pow2_plus(R, k, d);
      } else {
        int64_t ends[4];
        ends[0] = lo - 1, ends[1] = lo, ends[2] = hi, ends[3] = hi + 1;
        v = isp_from_i64(R, lo <= hi ? ends[i - DM_NEDGES] : 0);
      }
      break;
    }
    case 1:
      if (!dm_be(in, 2, &u) || !dm_take(in, 1, &b)) return NULL;
      v = dm_pow2_plus(R, (int)(u % (uint64_t)max_bits), (int8_t)b[0]);
      break;
    case 2:
      if (!dm_take(in, 1, &b) || !dm_take(in, 1, &c)) return NULL;
      v = dm_pow2_plus(R, 30 * (int)(b[0] % (unsigned)(max_bits / 30 + 1)), (int8_t)c[0]);
      break;
    case 3: {
      size_t len;
      if (!dm_take(in, 1, &b)) return NULL;
      len = b[0] % (size_t)(max_bits / 8 + 1);
      if (!dm_take(in, len, &c)) return NULL;
      v = isp_from_bytes(R, c, len, 0, 0);
      break;
    }
    case 4: {
      size_t len;
      uint8_t buf[512 / 8 + 1];
      isp_int *f, *s;
      if (!dm_take(in, 1, &b)) return NULL;
      len = b[0] % (size_t)(max_bits / 8 + 1);
      if (!dm_take(in, 1, &b) || !dm_take(in, 1, &c)) return NULL;
      memset(buf, b[0], len);
      f = isp_from_bytes(R, buf, len, 0, 0);
      s = isp_from_i64(R, c[0]);
      v = isp_sub(R, f, s);
      isp_decref(R, f);
      isp_decref(R, s);
      break;
    }
    default:
      if (!dm_be(in, 2, &u)) return NULL;
      v = isp_from_i64(R, (int16_t)u);
      break;
  }
  if (t[0] & 0x80) {
    isp_int *n = isp_neg(R, v);
    isp_decref(R, v);
    v = n;
  }
  return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  dm_in in = {data, size};
  const char *const *names = isp_profile_names();
  size_t count = 0;
  const uint8_t *b;
  isp_runtime *R;
  isp_int *a = NULL, *d = NULL, *q = NULL, *r = NULL, *zero, *t, *back;
  uint64_t neg, pos;
  int rc = -1;
  while (names[count] != NULL) count++;
  if (!dm_take(&in, 1, &b)) return -1;
  if (b[0] & 0x80) {
    if (!dm_be(&in, 2, &neg) || !dm_be(&in, 2, &pos)) return -1;
    R = fz_runtime_small(names[(b[0] & 0x7f) % count], (int64_t)(neg % 300), (int64_t)(pos % 1100));
  } else {
    R = fz_runtime(names[(b[0] & 0x7f) % count]);
  }
  a = dm_int(R, &in, 512);
  if (a != NULL) d = dm_int(R, &in, 512);
  if (a == NULL || d == NULL) goto done;
  rc = 0;
  zero = isp_from_i64(R, 0);
  if (isp_compare(R, d, zero) == 0) {
    if ((t = isp_floordiv(R, a, d)) != NULL) fz_fail("// by zero did not raise");
    fz_expect_error(R, ISP_ZERO_DIVISION_ERROR, "// by zero");
    if ((t = isp_mod(R, a, d)) != NULL) fz_fail("%% by zero did not raise");
    fz_expect_error(R, ISP_ZERO_DIVISION_ERROR, "%% by zero");
    if (isp_divmod(R, a, d, &q, &r) == 0) fz_fail("divmod by zero did not raise");
    fz_expect_error(R, ISP_ZERO_DIVISION_ERROR, "divmod by zero");
  } else {
    if (isp_divmod(R, a, d, &q, &r) != 0) fz_fail("divmod failed: %s", fz_errtext(R));
    t = isp_floordiv(R, a, d);
    back = isp_mod(R, a, d);
    if (isp_compare(R, t, q) != 0) fz_fail("divmod quotient differs from //");
    if (isp_compare(R, back, r) != 0) fz_fail("divmod remainder differs from %%");
    isp_decref(R, t);
    isp_decref(R, back);
    t = isp_mul(R, q, d);
    back = isp_add(R, t, r);
    if (isp_compare(R, back, a) != 0) fz_fail("q * b + r != a");
    if (isp_compare(R, r, zero) != 0 &&
        (isp_compare(R, r, zero) < 0) != (isp_compare(R, d, zero) < 0))
      fz_fail("the remainder does not take the divisor's sign");
    isp_decref(R, t);
    isp_decref(R, back);
    t = isp_abs(R, r);
    back = isp_abs(R, d);
    if (isp_compare(R, t, back) >= 0) fz_fail("|r| >= |b|");
    isp_decref(R, t);
    isp_decref(R, back);
    isp_decref(R, q);
    isp_decref(R, r);
  }
  isp_decref(R, zero);
done:
  if (a) isp_decref(R, a);
  if (d) isp_decref(R, d);
  fz_close(R, "fuzz_divmod");
  return rc;
}
