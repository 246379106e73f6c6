/*
** consumer.c -- a program that uses the installed intspect, as a user's
** would: the header from the include directory, the library from pkg-config
** or find_package.  It prints one line that tests/install/run.sh checks:
**
**   intspect 0.1.0 (header 0.1.0) cpython3.12: 2**100 = 1267650600228229401496703205376,
**   refcount(7) 4294967295, 2 // 0: ZeroDivisionError: integer division or modulo by zero
**
** (on one line) and exits 0, or prints what failed and exits 1.
*/
#include <stdio.h>
#include <string.h>

#include <intspect.h>

static int fail(isp_runtime *R, const char *what) {
  fprintf(stderr, "consumer: %s failed: %s: %s\n", what,
          isp_errtype_name(isp_error_type(R)), isp_error_message(R));
  return 1;
}

int main(void) {
  isp_options o;
  char err[256];
  isp_runtime *R;
  isp_int *two, *hundred, *seven, *zero, *big, *q;
  double unused;
  char *s;
  size_t len;

  if (strcmp(isp_version(), INTSPECT_VERSION) != 0) {
    fprintf(stderr, "consumer: library %s, header %s\n", isp_version(), INTSPECT_VERSION);
    return 1;
  }
  isp_options_init(&o);
  o.profile = "cpython3.12";
  R = isp_runtime_new(&o, err, sizeof err);
  if (R == NULL) {
    fprintf(stderr, "consumer: %s\n", err);
    return 1;
  }
  two = isp_from_i64(R, 2);
  hundred = isp_from_i64(R, 100);
  seven = isp_from_i64(R, 7);
  zero = isp_from_i64(R, 0);
  if (!two || !hundred || !seven || !zero) return fail(R, "isp_from_i64");
  if (isp_pow(R, two, hundred, NULL, &big, &unused) != 0) return fail(R, "isp_pow");
  s = isp_to_string(R, big, 10, &len);
  if (s == NULL) return fail(R, "isp_to_string");
  printf("intspect %s (header %s) %s: 2**100 = %s, refcount(7) %llu, ", isp_version(),
         INTSPECT_VERSION, isp_runtime_profile(R), s,
         (unsigned long long)isp_refcount(R, seven));
  isp_free_string(R, s);
  q = isp_floordiv(R, two, zero);
  if (q != NULL) {
    fprintf(stderr, "consumer: 2 // 0 did not fail\n");
    return 1;
  }
  printf("2 // 0: %s: %s\n", isp_errtype_name(isp_error_type(R)), isp_error_message(R));
  isp_error_clear(R);
  isp_decref(R, two);
  isp_decref(R, hundred);
  isp_decref(R, seven);
  isp_decref(R, zero);
  isp_decref(R, big);
  if (isp_runtime_close(R, NULL, NULL) != 0) {
    fprintf(stderr, "consumer: the runtime reported leaks\n");
    return 1;
  }
  return 0;
}
