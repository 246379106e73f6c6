/*
** check_gmp.h -- moving values between the runtime and GMP, for the C
** unit tests that use GMP as their oracle.
**
** Values cross through base-16 strings: the runtime's power-of-two base
** conversion is linear and shares no code with the arithmetic under test,
** so a wrong result cannot be hidden by a matching wrong conversion.  A
** conversion that fails aborts: it is a broken test, not a failed check.
*/
#ifndef check_gmp_h
#define check_gmp_h

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmp.h>

#include "intspect.h"

/* A new reference to the int of value z. */
static isp_int *check_from_mpz(isp_runtime *R, const mpz_t z) {
  char *s = mpz_get_str(NULL, 16, z);
  isp_int *v = isp_from_string(R, s, strlen(s), 16);
  free(s);
  if (v == NULL) {
    fprintf(stderr, "isp_from_string failed: %s\n", isp_error_message(R));
    abort();
  }
  return v;
}

/* z = the value of v. */
static void check_to_mpz(isp_runtime *R, const isp_int *v, mpz_t z) {
  size_t n;
  char *s = isp_to_string(R, v, 16, &n);
  if (s == NULL) {
    fprintf(stderr, "isp_to_string failed: %s\n", isp_error_message(R));
    abort();
  }
  mpz_set_str(z, s, 16);
  isp_free_string(R, s);
}

/* Is v (not NULL) the value z? */
static int check_same_mpz(isp_runtime *R, const isp_int *v, const mpz_t z) {
  mpz_t t;
  int eq;
  if (v == NULL) return 0;
  mpz_init(t);
  check_to_mpz(R, v, t);
  eq = mpz_cmp(t, z) == 0;
  mpz_clear(t);
  return eq;
}

#endif
