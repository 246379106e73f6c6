/*
** test_api_misuse.c -- a C caller's mistakes are exceptions, not crashes.
**
** Every public function that can raise is given a NULL int or output
** pointer, a base out of range, a negative length: each must fail with
** the documented exception type and leave the runtime usable and
** leak-free.
*/
#include "check.h"
#include "intspect.h"

#define EXPECT(call, type)                                                   \
  do {                                                                       \
    isp_error_clear(R);                                                      \
    CHECK((call) == 0);                                                      \
    CHECK_EQ_S(isp_errtype_name(type), isp_errtype_name(isp_error_type(R))); \
  } while (0)

/* 0 for a failed call, whatever the function returns */
static int ok_ptr(const void *p) { return p != NULL; }
static int ok_rc(int rc) { return rc >= 0; }

int main(void) {
  char err[128];
  isp_runtime *R = isp_runtime_new(NULL, err, sizeof err);
  isp_int *one = isp_from_i64(R, 1), *q, *r, *iout;
  double d;
  int64_t i64;
  size_t len;
  uint8_t buf[8];
  EXPECT(ok_ptr(isp_add(R, one, NULL)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_sub(R, NULL, one)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_mul(R, NULL, NULL)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_floordiv(R, one, NULL)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_mod(R, NULL, one)), ISP_TYPE_ERROR);
  EXPECT(ok_rc(isp_divmod(R, one, one, NULL, &r)), ISP_TYPE_ERROR);
  EXPECT(ok_rc(isp_divmod(R, NULL, one, &q, &r)), ISP_TYPE_ERROR);
  EXPECT(ok_rc(isp_truediv(R, one, one, NULL)), ISP_TYPE_ERROR);
  EXPECT(ok_rc(isp_pow(R, one, NULL, NULL, &iout, &d)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_lshift(R, NULL, one)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_rshift(R, one, NULL)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_and(R, one, NULL)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_or(R, NULL, one)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_xor(R, NULL, one)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_neg(R, NULL)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_invert(R, NULL)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_abs(R, NULL)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_isqrt(R, NULL)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_gcd(R, one, NULL)), ISP_TYPE_ERROR);
  EXPECT(ok_rc(isp_to_i64(R, NULL, &i64)), ISP_TYPE_ERROR);
  EXPECT(ok_rc(isp_to_double(R, one, NULL)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_to_long(R, NULL)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_to_int(R, NULL)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_from_bytes(R, NULL, 4, 0, 0)), ISP_TYPE_ERROR);
  EXPECT(ok_rc(isp_to_bytes(R, one, 4, 0, 0, NULL)), ISP_TYPE_ERROR);
  EXPECT(ok_rc(isp_to_bytes(R, one, -1, 0, 0, buf)), ISP_VALUE_ERROR);
  EXPECT(ok_ptr(isp_to_string(R, NULL, 10, &len)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_to_string(R, one, 37, &len)), ISP_VALUE_ERROR);
  EXPECT(ok_ptr(isp_to_string(R, one, 1, &len)), ISP_VALUE_ERROR);
  EXPECT(ok_ptr(isp_from_string(R, NULL, 3, 10)), ISP_TYPE_ERROR);
  EXPECT(ok_ptr(isp_from_string(R, "12", 2, 99)), ISP_VALUE_ERROR);
  {
    int b = -1;
    EXPECT(ok_rc(isp_int_base(R, INT64_C(5000000000), 1, &b)), ISP_VALUE_ERROR);
    EXPECT(ok_rc(isp_int_base(R, 16, 0, &b)), ISP_TYPE_ERROR);
    CHECK(isp_int_base(R, 16, 1, &b) == 0 && b == 16);
  }
  EXPECT(ok_ptr(isp_from_string(R, "12", 2, -5)), ISP_VALUE_ERROR);
  EXPECT(ok_rc(isp_set_max_str_digits(R, 100)), ISP_VALUE_ERROR);
  /* sys.set_int_max_str_digits converts to a C int first */
  EXPECT(ok_rc(isp_set_max_str_digits(R, (int64_t)INT32_MAX + 1)), ISP_OVERFLOW_ERROR);
  EXPECT(ok_rc(isp_set_max_str_digits(R, (int64_t)INT32_MIN - 1)), ISP_OVERFLOW_ERROR);
  CHECK(isp_set_max_str_digits(R, INT32_MAX) == 0 && isp_get_max_str_digits(R) == INT32_MAX);
  /* an empty byte string needs no buffer */
  isp_error_clear(R);
  q = isp_from_bytes(R, NULL, 0, 0, 0);
  CHECK(q != NULL);
  isp_decref(R, q);
  /* still usable */
  q = isp_add(R, one, one);
  CHECK(q != NULL && isp_to_i64(R, q, &i64) == 0 && i64 == 2);
  isp_decref(R, q);
  isp_decref(R, one);
  CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
  return CHECK_DONE();
}
