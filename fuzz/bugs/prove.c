/*
** prove.c -- one concrete input per planted bug, through the public API.
**
** Build against a tree (patched or not) with the fuzz builds' cutoffs:
**   cc -O1 -DISP_TEST_CUTOFFS=1 -Iruntime fuzz/bugs/prove.c runtime/[a-z]*.c -lgmp -lm
** and run it with a bug's number ("01", "02", ...) or "all".  Each check
** prints "ok" when the runtime behaves as CPython does and "WRONG: ..."
** otherwise; the exit status is 1 when any check asked for went wrong.
** On the clean tree every check is ok; on a tree with patch NN applied,
** check NN goes wrong (fuzz/bugs/run --prove does both).  Built without
** ISP_DEBUG, so that the wrong value itself shows, not an assertion.
*/
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intspect.h"

static int failed;

static isp_runtime *rt(const char *profile, int small, int64_t neg, int64_t pos) {
  isp_options o;
  char err[200];
  isp_runtime *R;
  isp_options_init(&o);
  o.profile = profile;
  if (small) {
    o.set_small_ints = 1;
    o.small_neg = neg;
    o.small_pos = pos;
  }
  R = isp_runtime_new(&o, err, sizeof err);
  if (R == NULL) {
    fprintf(stderr, "prove: %s\n", err);
    exit(2);
  }
  return R;
}

static void done(isp_runtime *R) { (void)isp_runtime_close(R, NULL, NULL); }

/* An int from a GMP value, through base 16 (linear, no conversion code). */
static isp_int *from_mpz(isp_runtime *R, const mpz_t x) {
  char *s = mpz_get_str(NULL, 16, x);
  isp_int *v = isp_from_string(R, s, strlen(s), 16);
  free(s);
  if (v == NULL) {
    fprintf(stderr, "prove: from_string failed: %s\n", isp_error_message(R));
    exit(2);
  }
  return v;
}

/* v == x, read back through base 16. */
static int equals(isp_runtime *R, const isp_int *v, const mpz_t x) {
  size_t len;
  char *s;
  mpz_t y;
  int eq;
  if (v == NULL) return 0;
  s = isp_to_string(R, v, 16, &len);
  if (s == NULL) return 0;
  mpz_init_set_str(y, s, 16);
  eq = mpz_cmp(x, y) == 0;
  mpz_clear(y);
  isp_free_string(R, s);
  return eq;
}

static void verdict(const char *id, int ok, const char *what) {
  printf("%s %s%s\n", id, ok ? "ok" : "WRONG: ", ok ? "" : what);
  if (!ok) failed = 1;
}

/* Deterministic dense values of a given bit length. */
static void dense(mpz_t x, unsigned bits, unsigned seed) {
  uint64_t s = 0x9e3779b97f4a7c15u * (seed + 1);
  unsigned i;
  mpz_set_ui(x, 0);
  for (i = 0; i < bits; i++) {
    s = s * 6364136223846793005u + 1442695040888963407u;
    if (s >> 63) mpz_setbit(x, i);
  }
  mpz_setbit(x, bits - 1);
}

typedef enum { ADD, SUB, MUL, DIVMOD } binop;

/* a op b against GMP, under the default profile. */
static void arith(const char *id, binop op, const mpz_t a, const mpz_t b) {
  isp_runtime *R = rt(NULL, 0, 0, 0);
  isp_int *x = from_mpz(R, a), *y = from_mpz(R, b), *r = NULL, *m = NULL;
  mpz_t want, wr;
  int ok;
  mpz_inits(want, wr, NULL);
  switch (op) {
    case ADD: r = isp_add(R, x, y); mpz_add(want, a, b); break;
    case SUB: r = isp_sub(R, x, y); mpz_sub(want, a, b); break;
    case MUL: r = isp_mul(R, x, y); mpz_mul(want, a, b); break;
    case DIVMOD:
      if (isp_divmod(R, x, y, &r, &m) < 0) r = m = NULL;
      mpz_fdiv_qr(want, wr, a, b);
      break;
  }
  ok = equals(R, r, want) && (op != DIVMOD || equals(R, m, wr));
  verdict(id, ok, "result differs from GMP's");
  isp_decref(R, r);
  isp_decref(R, m);
  isp_decref(R, x);
  isp_decref(R, y);
  done(R);
  mpz_clears(want, wr, NULL);
}

static void p01(void) { /* (2**200 - 1) + 1 */
  mpz_t a, b;
  mpz_init_set_ui(a, 1);
  mpz_mul_2exp(a, a, 200);
  mpz_sub_ui(a, a, 1);
  mpz_init_set_ui(b, 1);
  arith("01", ADD, a, b);
  mpz_clears(a, b, NULL);
}

static void p02(void) { /* 2**200 - 1 */
  mpz_t a, b;
  mpz_init_set_ui(a, 1);
  mpz_mul_2exp(a, a, 200);
  mpz_init_set_ui(b, 1);
  arith("02", SUB, a, b);
  mpz_clears(a, b, NULL);
}

static void p03(void) { /* an add-back in the digit loop (found by search) */
  mpz_t a, b;
  mpz_init_set_str(a, "600000090000000e01007a1800000380000001f1161d5", 16);
  mpz_init_set_str(b, "2000000300000007fffffff", 16);
  arith("03", DIVMOD, a, b);
  mpz_clears(a, b, NULL);
}

static void p04(void) { /* 10 x 10 digits, both low halves below the high ones */
  mpz_t a, b;
  mpz_init_set_ui(a, 1);
  mpz_mul_2exp(a, a, 299);
  mpz_add_ui(a, a, 12345);
  mpz_init_set_ui(b, 1);
  mpz_mul_2exp(b, b, 298);
  mpz_add_ui(b, b, 999);
  arith("04", MUL, a, b);
  mpz_clears(a, b, NULL);
}

static void p05(void) { /* 38 x 24 digits (Toom-3 on the Karatsuba halves),
                          ** digits from a handful of patterns (found by search) */
  mpz_t a, b;
  mpz_init_set_str(a,
      "fffffffe764cb3d0000000c0000002fffffffc0a8566303ffffffffffffe00000007ffffffe03"
      "fffffffffff00555555553da820555555554000000203ffffffcbcd17d555555555555555ffff"
      "fc000000001000000000000003fffffff9555555503ffffffffffffe55555556aaaaaaa000000"
      "0bffffffefffffffbffffffea50ea83bfffff009c228e17fffff00", 16);
  mpz_init_set_str(b,
      "80000000000000303fffffc0000003fffffc03b1c8143555555560000000fc32f8de1b1a0a1aa"
      "aaaaabfffff000000000c0fffffffffffff8edda386fffffc000000001aaaaaaaa00000000000"
      "0004c5fe11800000006aaaaaaa", 16);
  arith("05", MUL, a, b);
  mpz_clears(a, b, NULL);
}

static void p06(void) { /* 75 x 75 digits: 49 coefficients of 90 bits */
  mpz_t a, b;
  mpz_inits(a, b, NULL);
  dense(a, 75 * 30, 3);
  dense(b, 75 * 30, 4);
  arith("06", MUL, a, b);
  mpz_clears(a, b, NULL);
}

static void p07(void) { /* str() of a 300-digit number, base 10 and 7 */
  isp_runtime *R = rt(NULL, 0, 0, 0);
  mpz_t a;
  int base, ok = 1;
  mpz_init(a);
  dense(a, 1000, 5);
  for (base = 7; base <= 10; base += 3) {
    isp_int *v = from_mpz(R, a);
    size_t len;
    char *s = isp_to_string(R, v, base, &len), *want = mpz_get_str(NULL, base, a);
    if (s == NULL || strcmp(s, want) != 0) ok = 0;
    if (s) isp_free_string(R, s);
    free(want);
    isp_decref(R, v);
  }
  verdict("07", ok, "str() differs from mpz_get_str");
  mpz_clear(a);
  done(R);
}

static void p08(void) { /* 3.14: a two-digit int released */
  isp_runtime *R = rt("cpython3.14", 0, 0, 0);
  isp_stats s0, s1;
  isp_int *v = isp_from_i64(R, (int64_t)1 << 40);
  isp_get_stats(R, &s0);
  isp_decref(R, v);
  isp_get_stats(R, &s1);
  verdict("08", s1.freelist_len == s0.freelist_len,
          "a two-digit int went on the 3.14 free list");
  done(R);
}

static void p09(void) { /* 3.11: a freed int's address is the next one's */
  isp_runtime *R = rt("cpython3.11", 0, 0, 0);
  isp_int *v = isp_from_i64(R, 1000), *w;
  uintptr_t id = isp_id(v);
  isp_decref(R, v);
  w = isp_from_i64(R, 2000);
  verdict("09", isp_id(w) == id, "the freed slot was not reused first");
  isp_decref(R, w);
  done(R);
}

static void p10(void) { /* 2.7, no cache: one live int across a collection */
  isp_runtime *R = rt("cpython2.7", 1, 0, 0);
  isp_int *x = isp_from_i64(R, 1000), *y;
  int64_t xv = 0;
  int ok;
  isp_collect(R);
  y = isp_from_i64(R, 2000);
  ok = x != y && isp_to_i64(R, x, &xv) == 0 && xv == 1000 && isp_refcount(R, x) == 1;
  verdict("10", ok, "the collection freed the block of a live int");
  if (x != y) isp_decref(R, x);
  isp_decref(R, y);
  done(R);
}

static void p11(void) { /* 257 is not cached */
  isp_runtime *R = rt("cpython3.13", 0, 0, 0);
  isp_int *a = isp_from_i64(R, 257), *b = isp_from_i64(R, 257);
  int64_t lo, hi;
  isp_small_range(R, &lo, &hi);
  verdict("11", a != b && hi == 256, "257 is cached");
  isp_decref(R, a);
  isp_decref(R, b);
  done(R);
}

static void p12(void) { /* (2**100 + 3) - (2**100 + 8) is the cached -5 */
  isp_runtime *R = rt("cpython3.12", 0, 0, 0);
  mpz_t a, b;
  isp_int *x, *y, *r, *m5;
  mpz_init_set_ui(a, 1);
  mpz_mul_2exp(a, a, 100);
  mpz_init_set(b, a);
  mpz_add_ui(a, a, 3);
  mpz_add_ui(b, b, 8);
  x = from_mpz(R, a);
  y = from_mpz(R, b);
  r = isp_sub(R, x, y);
  m5 = isp_from_i64(R, -5);
  verdict("12", r == m5, "a computed -5 is not the cached object");
  isp_decref(R, r);
  isp_decref(R, m5);
  isp_decref(R, x);
  isp_decref(R, y);
  mpz_clears(a, b, NULL);
  done(R);
}

static void p13(void) { /* 3.12: an immortal count does not move */
  isp_runtime *R = rt("cpython3.12", 0, 0, 0);
  isp_int *v = isp_from_i64(R, 7);
  verdict("13", isp_refcount(R, v) == 0xFFFFFFFFu && isp_is_immortal(R, v),
          "int(7)'s immortal refcount moved");
  isp_decref(R, v);
  done(R);
}

static void p14(void) { /* (-128).to_bytes(1, 'big', signed=True) == b'\x80' */
  isp_runtime *R = rt(NULL, 0, 0, 0);
  isp_int *v = isp_from_i64(R, -128);
  uint8_t b[1] = {0};
  int rc = isp_to_bytes(R, v, 1, 0, 1, b);
  verdict("14", rc == 0 && b[0] == 0x80, "-128 does not fit one signed byte");
  isp_decref(R, v);
  done(R);
}

static void p15(void) { /* hash(2**61 - 1) == 0 */
  isp_runtime *R = rt(NULL, 0, 0, 0);
  isp_int *v = isp_from_i64(R, ((int64_t)1 << 61) - 1);
  verdict("15", isp_hash(R, v) == 0, "hash(2**61 - 1) is not 0");
  isp_decref(R, v);
  done(R);
}

static void p16(void) { /* 3.14: 101 compact ints released, 100 kept */
  isp_runtime *R = rt("cpython3.14", 0, 0, 0);
  isp_int *v[101];
  isp_stats st;
  int i;
  for (i = 0; i < 101; i++) v[i] = isp_from_i64(R, 1000 + i);
  for (i = 0; i < 101; i++) isp_decref(R, v[i]);
  isp_get_stats(R, &st);
  verdict("16", st.freelist_len == 100, "the 3.14 free list holds more than 100 ints");
  done(R);
}

static void p17(void) { /* 2.7: hash(2**65 - 1) == (2**65 - 1) mod (2**64 - 1) == 1 */
  isp_runtime *R = rt("cpython2.7", 0, 0, 0);
  mpz_t a;
  isp_int *v;
  mpz_init_set_ui(a, 1);
  mpz_mul_2exp(a, a, 65);
  mpz_sub_ui(a, a, 1);
  v = from_mpz(R, a);
  verdict("17", isp_hash(R, v) == 1, "2.7's hash lost an end-around carry");
  isp_decref(R, v);
  mpz_clear(a);
  done(R);
}

static void p18(void) { /* 34 by 11 digits: a block estimate of B**k - 1 (found by search) */
  mpz_t a, b;
  mpz_init_set_str(a,
      "c22d17dfffffffffffffff8000000151f93753631b21c8df9991a5c9a94080000001fffffffdaf5"
      "7f9ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
      "ffffffffffffffcf74ba08000000000000001fffffffab81b22b2739378dc8199b968d95afdffff"
      "fff80000000942a018", 16);
  mpz_init_set_str(b,
      "308b45f7ffffffffffffffe0000000547e4dd4d8c6c87237e66469726a50200000007fffffff6bd"
      "5fe8", 16);
  arith("18", DIVMOD, a, b);
  mpz_clears(a, b, NULL);
}

static const struct {
  const char *id;
  void (*fn)(void);
} checks[] = {{"01", p01}, {"02", p02}, {"03", p03}, {"04", p04}, {"05", p05},
              {"06", p06}, {"07", p07}, {"08", p08}, {"09", p09}, {"10", p10},
              {"11", p11}, {"12", p12}, {"13", p13}, {"14", p14}, {"15", p15}, {"16", p16},
              {"17", p17}, {"18", p18}};

int main(int argc, char **argv) {
  size_t i;
  int a, any = 0;
  for (a = 1; a < argc; a++)
    for (i = 0; i < sizeof checks / sizeof checks[0]; i++)
      if (strcmp(argv[a], "all") == 0 || strncmp(argv[a], checks[i].id, 2) == 0) {
        checks[i].fn();
        any = 1;
      }
  if (!any) {
    fprintf(stderr, "usage: prove all | NN ...\n");
    return 2;
  }
  return failed;
}
