/*
** test_limits.c -- max_result_bits through the C API.
**
** Checks, under every profile: isp_options_init's default (2**26) and the
** getter; isp_runtime_new and isp_set_max_result_bits refuse a negative
** limit and one below 128 with a ValueError naming both; each limited
** operation (pow, mul, lshift, to_bytes and isp_to_bytes_check, to_string,
** from_string, from_bytes) passes a result of exactly the limit and refuses
** one bit more with MemoryError and its message, before allocating (the
** allocation counter does not move); 0 lifts the limit; a reset restores
** the options' limit; the hard ceiling keeps CPython's empty message; a
** leak report names an int wider than the limit.
*/
#include <stdlib.h>

#include "check.h"
#include "intspect.h"

static const char *const all_profiles[] = {
  "cpython2.7", "cpython3.11", "cpython3.12", "cpython3.13", "cpython3.14"
};
#define NPROF 5
#define LIMIT 1000

static isp_runtime *open_rt(const char *profile, int64_t limit) {
  isp_options o;
  char err[256];
  isp_runtime *R;
  isp_options_init(&o);
  o.profile = profile;
  o.max_result_bits = limit;
  o.set_max_str_digits = 1;
  o.max_str_digits = 0;
  R = isp_runtime_new(&o, err, sizeof err);
  if (R == NULL) {
    fprintf(stderr, "cannot open %s: %s\n", profile, err);
    exit(1);
  }
  return R;
}

static uint64_t allocs(isp_runtime *R) {
  isp_stats s;
  isp_get_stats(R, &s);
  return s.allocs;
}

static const char *suffix(void) {
  return ", above this runtime's max_result_bits (1000); raise it with the "
         "max_result_bits option (0: no limit)";
}

/* The pending error is MemoryError "<what><suffix>"; cleared. */
static void check_limit_error(isp_runtime *R, const char *what) {
  char want[512];
  snprintf(want, sizeof want, "%s%s", what, suffix());
  CHECK_EQ_I(ISP_MEMORY_ERROR, isp_error_type(R));
  CHECK_EQ_S(want, isp_error_message(R));
  isp_error_clear(R);
}

static int64_t bits_of(isp_runtime *R, isp_int *v) {
  int64_t b = v ? isp_bit_length(R, v) : -1;
  isp_decref(R, v);
  return b;
}

static void test_options(const char *profile) {
  isp_options o;
  char err[256];
  isp_runtime *R;
  isp_options_init(&o);
  CHECK_EQ_I(ISP_DEFAULT_MAX_RESULT_BITS, o.max_result_bits);
  CHECK_EQ_I((int64_t)1 << 26, o.max_result_bits);
  o.profile = profile;
  R = isp_runtime_new(&o, err, sizeof err);
  CHECK(R != NULL);
  if (R == NULL) return;
  CHECK_EQ_I((int64_t)1 << 26, isp_get_max_result_bits(R));
  CHECK_EQ_I(-1, isp_set_max_result_bits(R, -5));
  CHECK_EQ_I(ISP_VALUE_ERROR, isp_error_type(R));
  CHECK_EQ_S("max_result_bits must be 0 (no limit) or at least 128 bits, got -5",
             isp_error_message(R));
  isp_error_clear(R);
  CHECK_EQ_I(-1, isp_set_max_result_bits(R, 127));
  isp_error_clear(R);
  CHECK_EQ_I((int64_t)1 << 26, isp_get_max_result_bits(R));
  CHECK_EQ_I(0, isp_set_max_result_bits(R, 128));
  CHECK_EQ_I(128, isp_get_max_result_bits(R));
  CHECK_EQ_I(0, isp_set_max_result_bits(R, 0));
  CHECK_EQ_I(0, isp_get_max_result_bits(R));
  CHECK_EQ_U(0, isp_runtime_reset(R, NULL, NULL));
  CHECK_EQ_I((int64_t)1 << 26, isp_get_max_result_bits(R));
  isp_runtime_close(R, NULL, NULL);

  o.max_result_bits = -1;
  CHECK(isp_runtime_new(&o, err, sizeof err) == NULL);
  CHECK_EQ_S("ValueError: max_result_bits must be 0 (no limit) or at least 128 bits, got -1",
             err);
  o.max_result_bits = 0;
  R = isp_runtime_new(&o, err, sizeof err);
  CHECK(R != NULL);
  if (R != NULL) {
    CHECK_EQ_I(0, isp_get_max_result_bits(R));
    isp_runtime_close(R, NULL, NULL);
  }
}

static void test_ops(const char *profile) {
  isp_runtime *R = open_rt(profile, LIMIT);
  isp_int *one = isp_from_i64(R, 1), *two = isp_from_i64(R, 2), *three = isp_from_i64(R, 3);
  isp_int *n999 = isp_from_i64(R, 999), *n1000 = isp_from_i64(R, 1000);
  isp_int *n630 = isp_from_i64(R, 630), *n631 = isp_from_i64(R, 631);
  isp_int *r = NULL, *p500 = NULL, *p499 = NULL, *big = NULL;
  uint64_t before;
  uint8_t buf[200];
  double f;
  char *s, digits[1002];
  size_t len;

  /* pow: 2**999 passes, 2**1000 refused before any allocation */
  CHECK_EQ_I(0, isp_pow(R, two, n999, NULL, &r, &f));
  CHECK_EQ_I(1000, bits_of(R, r));
  before = allocs(R);
  CHECK_EQ_I(-1, isp_pow(R, two, n1000, NULL, &r, &f));
  CHECK_EQ_U(before, allocs(R));
  check_limit_error(R, "x ** 1000 would have 1001 bits");
  CHECK_EQ_I(0, isp_pow(R, three, n630, NULL, &r, &f));
  CHECK_EQ_I(999, bits_of(R, r));
  before = allocs(R);
  CHECK_EQ_I(-1, isp_pow(R, three, n631, NULL, &r, &f));
  CHECK_EQ_U(before, allocs(R));
  check_limit_error(R, "x ** 631 would have 1001 bits");

  /* lshift: bit_length(a) + n, exact */
  r = isp_lshift(R, one, n999);
  CHECK_EQ_I(1000, bits_of(R, r));
  before = allocs(R);
  CHECK(isp_lshift(R, one, n1000) == NULL);
  CHECK_EQ_U(before, allocs(R));
  check_limit_error(R, "x << 1000 would have 1001 bits");

  /* mul: refused at once when certain; in the one-bit window, after */
  CHECK_EQ_I(0, isp_pow(R, two, n999, NULL, &big, &f));
  {
    isp_int *e500 = isp_from_i64(R, 500), *e499 = isp_from_i64(R, 499);
    CHECK_EQ_I(0, isp_pow(R, two, e500, NULL, &p500, &f));
    CHECK_EQ_I(0, isp_pow(R, two, e499, NULL, &p499, &f));
    isp_decref(R, e500);
    isp_decref(R, e499);
  }
  r = isp_mul(R, p500, p499);
  CHECK_EQ_I(1000, bits_of(R, r));
  before = allocs(R);
  CHECK(isp_mul(R, p500, p500) == NULL);
  CHECK_EQ_U(before, allocs(R));
  check_limit_error(R, "x * y would have at least 1001 bits");
  {
    /* (2**501 - 1) * (2**500 - 1) has 1001 bits: only the product tells */
    isp_int *a = isp_lshift(R, p500, one), *am, *bm;
    am = isp_sub(R, a, one);
    bm = isp_sub(R, p500, one);
    CHECK(isp_mul(R, am, bm) == NULL);
    check_limit_error(R, "x * y would have 1001 bits");
    r = isp_mul(R, p500, bm);
    CHECK_EQ_I(1000, bits_of(R, r));
    isp_decref(R, a);
    isp_decref(R, am);
    isp_decref(R, bm);
  }

  /* to_bytes: 8 bits a byte; the check alone refuses without a buffer */
  CHECK_EQ_I(0, isp_to_bytes(R, one, 125, 0, 0, buf));
  CHECK_EQ_I(0, isp_to_bytes_check(R, one, 125, 0));
  CHECK_EQ_I(-1, isp_to_bytes_check(R, one, 126, 0));
  check_limit_error(R, "to_bytes(126) would have 1008 bits");
  CHECK_EQ_I(-1, isp_to_bytes(R, one, 126, 0, 0, buf));
  check_limit_error(R, "to_bytes(126) would have 1008 bits");
  CHECK_EQ_I(-1, isp_to_bytes_check(R, one, (int64_t)1 << 40, 0));
  check_limit_error(R, "to_bytes(1099511627776) would have 8796093022208 bits");
  /* CPython's errors first */
  CHECK_EQ_I(-1, isp_to_bytes_check(R, one, -1, 0));
  CHECK_EQ_I(ISP_VALUE_ERROR, isp_error_type(R));
  isp_error_clear(R);
  CHECK_EQ_I(-1, isp_to_bytes_check(R, big, 1, 0));
  CHECK_EQ_I(ISP_OVERFLOW_ERROR, isp_error_type(R));
  isp_error_clear(R);

  /* from_bytes: 8 bits a byte of input */
  memset(buf, 0xff, sizeof buf);
  r = isp_from_bytes(R, buf, 125, 0, 0);
  CHECK_EQ_I(1000, bits_of(R, r));
  before = allocs(R);
  CHECK(isp_from_bytes(R, buf, 126, 0, 0) == NULL);
  CHECK_EQ_U(before, allocs(R));
  check_limit_error(R, "int.from_bytes() of 126 bytes would have up to 1008 bits");

  /* from_string: digits * log2(base) */
  memset(digits, '1', sizeof digits);
  r = isp_from_string(R, digits, 1000, 2);
  CHECK_EQ_I(1000, bits_of(R, r));
  CHECK(isp_from_string(R, digits, 1001, 2) == NULL);
  check_limit_error(R, "int() of 1001 base-2 digits would have up to 1001 bits");
  memset(digits, '9', sizeof digits);
  r = isp_from_string(R, digits, 301, 10);
  CHECK_EQ_I(1000, bits_of(R, r));
  CHECK(isp_from_string(R, digits, 302, 10) == NULL);
  check_limit_error(R, "int() of 302 base-10 digits would have up to 1004 bits");

  /* to_string: an int one bit past the limit (a sum may make one) */
  s = isp_to_string(R, big, 2, &len);
  CHECK(s != NULL);
  CHECK_EQ_U(1000, len);
  isp_free_string(R, s);
  r = isp_add(R, big, big);
  CHECK_EQ_I(1001, isp_bit_length(R, r));
  CHECK(isp_to_string(R, r, 10, &len) == NULL);
  check_limit_error(R, "str() of an int of 1001 bits");

  /* 0 lifts it */
  CHECK_EQ_I(0, isp_set_max_result_bits(R, 0));
  s = isp_to_string(R, r, 16, &len);
  CHECK(s != NULL);
  isp_free_string(R, s);
  isp_decref(R, r);
  r = isp_lshift(R, one, n1000);
  CHECK_EQ_I(1001, bits_of(R, r));
  CHECK_EQ_I(0, isp_pow(R, two, n1000, NULL, &r, &f));
  CHECK_EQ_I(1001, bits_of(R, r));

  /* the hard ceiling keeps CPython's bare MemoryError whatever the limit */
  CHECK_EQ_I(0, isp_set_max_result_bits(R, LIMIT));
  {
    isp_int *huge = isp_from_i64(R, (int64_t)1 << 62);
    CHECK(isp_lshift(R, one, huge) == NULL);
    if (isp_error_type(R) == ISP_MEMORY_ERROR) CHECK_EQ_S("", isp_error_message(R));
    else CHECK_EQ_I(ISP_OVERFLOW_ERROR, isp_error_type(R));
    isp_error_clear(R);
    isp_decref(R, huge);
  }

  isp_decref(R, one); isp_decref(R, two); isp_decref(R, three);
  isp_decref(R, n999); isp_decref(R, n1000); isp_decref(R, n630); isp_decref(R, n631);
  isp_decref(R, p500); isp_decref(R, p499); isp_decref(R, big);
  CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
}

static void on_leak(void *ud, const isp_leak *leak) {
  CHECK_EQ_S("0x10000000000000000000000000000000000000000000000000...", leak->value);
  (*(int *)ud)++;
}

/* A leaked int wider than the limit is still named in the leak report. */
static void test_leak_report(const char *profile) {
  isp_runtime *R = open_rt(profile, LIMIT);
  isp_int *one = isp_from_i64(R, 1), *n999 = isp_from_i64(R, 999), *x, *y;
  int seen = 0;
  x = isp_lshift(R, one, n999);
  y = isp_add(R, x, x);                 /* 1001 bits, deliberately leaked */
  CHECK_EQ_I(1001, isp_bit_length(R, y));
  isp_decref(R, one);
  isp_decref(R, n999);
  isp_decref(R, x);
  CHECK_EQ_U(1, isp_runtime_close(R, on_leak, &seen));
  CHECK_EQ_I(1, seen);
}

/* max_work: its option, setter and reset, and the three estimates at
** their edges, each refusal made before any allocation. */
static void test_work(const char *profile) {
  isp_options o;
  char err[256];
  isp_runtime *R;
  isp_int *two, *three, *e, *m, *a, *b, *r;
  double f;
  uint64_t before;
  isp_options_init(&o);
  CHECK_EQ_I(ISP_DEFAULT_MAX_WORK, o.max_work);
  o.profile = profile;
  o.max_work = -3;
  CHECK(isp_runtime_new(&o, err, sizeof err) == NULL);
  CHECK_EQ_S("ValueError: max_work must be 0 (no limit) or a positive number of digit steps, "
             "got -3", err);
  o.max_work = 0;
  R = isp_runtime_new(&o, err, sizeof err);
  CHECK(R != NULL);
  if (R == NULL) return;
  CHECK_EQ_I(0, isp_get_max_work(R));
  CHECK_EQ_I(-1, isp_set_max_work(R, -1));
  CHECK_EQ_I(ISP_VALUE_ERROR, isp_error_type(R));
  isp_error_clear(R);
  /* 2**1000 - 1 and 3**600: 34 and 32 digits of 30 bits; the modulus
  ** 2**300 + 1 has 11 digits and the exponent 2**20 21 bits */
  two = isp_from_i64(R, 2);
  three = isp_from_i64(R, 3);
  e = isp_from_i64(R, (int64_t)1 << 20);
  m = isp_from_string(R, "2037035976334486086268445688409378161051468393665936250636140449354381299763336706183397377", 91, 10);
  CHECK(m != NULL && isp_bit_length(R, m) == 301);
  {
    isp_int *k = isp_from_i64(R, 1000), *one = isp_from_i64(R, 1), *p = NULL;
    CHECK_EQ_I(0, isp_pow(R, two, k, NULL, &p, &f));
    a = isp_sub(R, p, one);
    isp_decref(R, k); isp_decref(R, p); isp_decref(R, one);
    k = isp_from_i64(R, 600);
    CHECK_EQ_I(0, isp_pow(R, three, k, NULL, &b, &f));
    isp_decref(R, k);
  }
  /* gcd: 4 * 34 * 32 = 4352 steps */
  CHECK_EQ_I(0, isp_set_max_work(R, 4352));
  r = isp_gcd(R, a, b);
  CHECK(r != NULL);
  isp_decref(R, r);
  CHECK_EQ_I(0, isp_set_max_work(R, 4351));
  before = allocs(R);
  CHECK(isp_gcd(R, a, b) == NULL);
  CHECK_EQ_I(ISP_MEMORY_ERROR, isp_error_type(R));
  CHECK_EQ_S("gcd() would take about 4352 digit steps, above this runtime's max_work (4351); "
             "raise it with the max_work option (0: no limit)", isp_error_message(R));
  CHECK_EQ_U(before, allocs(R));
  isp_error_clear(R);
  /* pow(3, 2**20, m): 21 * 11 * 11 = 2541 steps */
  CHECK_EQ_I(0, isp_set_max_work(R, 2541));
  r = NULL;
  CHECK_EQ_I(0, isp_pow(R, three, e, m, &r, &f));
  isp_decref(R, r);
  CHECK_EQ_I(0, isp_set_max_work(R, 2540));
  before = allocs(R);
  CHECK_EQ_I(-1, isp_pow(R, three, e, m, &r, &f));
  CHECK_EQ_I(ISP_MEMORY_ERROR, isp_error_type(R));
  CHECK_EQ_S("pow() with a modulus would take about 2541 digit steps, above this runtime's "
             "max_work (2540); raise it with the max_work option (0: no limit)",
             isp_error_message(R));
  CHECK_EQ_U(before, allocs(R));
  isp_error_clear(R);
  isp_decref(R, two); isp_decref(R, three); isp_decref(R, e); isp_decref(R, m);
  isp_decref(R, a); isp_decref(R, b);
  CHECK_EQ_U(0, isp_runtime_reset(R, NULL, NULL));
  CHECK_EQ_I(0, isp_get_max_work(R));          /* the options' value: none */
  isp_runtime_close(R, NULL, NULL);
}

int main(void) {
  int i;
  for (i = 0; i < NPROF; i++) {
    test_work(all_profiles[i]);
    test_options(all_profiles[i]);
    test_ops(all_profiles[i]);
    test_leak_report(all_profiles[i]);
  }
  return CHECK_DONE();
}
