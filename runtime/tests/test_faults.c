/*
** test_faults.c -- fail allocation N for N = 0, 1, 2, ... (SQLite's
** malloc test, per runtime).
**
** A workload that touches every allocating path of the public API
** (creation on each allocator, the free lists, arithmetic on small and
** multi-thousand-digit ints, string and bytes conversion, collection) is
** run with fail_alloc_after = N for growing N until it completes.  Each
** run must either complete or stop with MemoryError (no other error, no
** crash), must leave zero leaked objects at close, and the same runtime
** must complete the workload once the failure point is lifted.
*/
#include <stdlib.h>

#include "check.h"
#include "intspect.h"

#define MAXH 256

typedef struct work {
  isp_runtime *R;
  isp_int *h[MAXH];
  int n;
  int failed;       /* a call returned an error */
  int wrong_error;  /* ... and it was not MemoryError */
} work;

/* Keep a result; on error, record that it was one, and of what type. */
static isp_int *keep(work *w, isp_int *v) {
  if (v == NULL) {
    w->failed = 1;
    if (isp_error_type(w->R) != ISP_MEMORY_ERROR) {
      w->wrong_error = 1;
      fprintf(stderr, "unexpected %s: %s\n", isp_errtype_name(isp_error_type(w->R)),
              isp_error_message(w->R));
    }
    isp_error_clear(w->R);
    return NULL;
  }
  if (w->n < MAXH) w->h[w->n++] = v;
  else isp_decref(w->R, v);
  return v;
}

static int check_status(work *w, int rc) {
  if (rc < 0) keep(w, NULL);
  return rc;
}

static void release_all(work *w) {
  int i;
  for (i = 0; i < w->n; i++) isp_decref(w->R, w->h[i]);
  w->n = 0;
}

/* Returns 1 when every step succeeded. */
static int workload(work *w) {
  isp_runtime *R = w->R;
  isp_int *a, *b, *c, *big, *big2, *q, *r;
  char *s;
  size_t len;
  uint8_t bytes[64];
  int i;
  w->failed = 0;
#define STEP(x) do { if ((x) == NULL) goto out; } while (0)
  for (i = 0; i < 150; i++) {          /* past the 3.14 free list and a 2.7 block */
    if (i % 3 == 0) {
      a = isp_from_i64(R, 1000 + i);
      STEP(keep(w, a));
      isp_decref(R, a);          /* freed now: exercises the free lists */
      w->n--;
    } else {
      STEP(keep(w, isp_from_i64(R, 1000 + i)));
    }
  }
  STEP(a = keep(w, isp_from_i64(R, 7)));
  STEP(b = keep(w, isp_from_i64(R, -123456789)));
  STEP(c = keep(w, isp_add(R, a, b)));
  STEP(c = keep(w, isp_mul(R, c, c)));
  STEP(big = keep(w, isp_from_string(R, "123456789012345678901234567890123456789", 39, 10)));
  STEP(q = keep(w, isp_from_i64(R, 3000)));
  STEP(big = keep(w, isp_lshift(R, big, q)));
  STEP(big2 = keep(w, isp_mul(R, big, big)));
  STEP(big2 = keep(w, isp_mul(R, big2, big)));
  STEP(r = keep(w, isp_sub(R, big, c)));
  STEP(q = keep(w, isp_floordiv(R, big2, r)));
  if (check_status(w, isp_divmod(R, big2, c, &q, &r)) < 0) goto out;
  keep(w, q);
  keep(w, r);
  STEP(keep(w, isp_and(R, big, b)));
  STEP(keep(w, isp_xor(R, big2, b)));
  STEP(keep(w, isp_gcd(R, big, big2)));
  STEP(keep(w, isp_isqrt(R, big2)));
  {
    isp_int *pi = NULL;
    double pf;
    isp_int *m = keep(w, isp_from_i64(R, 1000003));
    if (m == NULL) goto out;
    if (check_status(w, isp_pow(R, big, a, m, &pi, &pf)) < 0) goto out;
    keep(w, pi);
  }
  s = isp_to_string(R, big2, 10, &len);
  if (s == NULL) {
    keep(w, NULL);
    goto out;
  }
  a = keep(w, isp_from_string(R, s, len, 10));
  isp_free_string(R, s);
  STEP(a);
  if (strcmp(isp_runtime_profile(R), "cpython2.7") == 0)   /* no PEP 515 there */
    STEP(keep(w, isp_from_string(R, "0xdeadbeef", 10, 0)));
  else
    STEP(keep(w, isp_from_string(R, "0x_dead_beef", 12, 0)));
  for (i = 0; i < 64; i++) bytes[i] = (uint8_t)(i * 37 + 1);
  STEP(keep(w, isp_from_bytes(R, bytes, sizeof bytes, 1, 1)));
  if (check_status(w, isp_to_bytes(R, c, 16, 0, 1, bytes)) < 0) goto out;
  isp_collect(R);
  STEP(keep(w, isp_from_i64(R, 99999)));
#undef STEP
out:
  release_all(w);
  return !w->failed;
}

static void run_profile(const char *profile) {
  int64_t n;
  int completed = 0;
  for (n = 0; n < 5000 && !completed; n++) {
    isp_options o;
    char err[128];
    work w;
    isp_options_init(&o);
    o.profile = profile;
    o.fail_alloc_after = n;
    memset(&w, 0, sizeof w);
    w.R = isp_runtime_new(&o, err, sizeof err);
    CHECK(w.R != NULL);
    if (w.R == NULL) return;
    completed = workload(&w);
    CHECK(!w.wrong_error);
    if (!completed) {
      /* the same runtime recovers once the failure point is lifted */
      isp_set_fail_alloc_after(w.R, -1);
      CHECK(workload(&w));
      CHECK(!w.wrong_error);
    }
    {
      size_t leaks = isp_runtime_close(w.R, NULL, NULL);
      if (leaks) fprintf(stderr, "%s fail_alloc_after=%lld: %zu leaked\n", profile,
                         (long long)n, leaks);
      CHECK_EQ_U(0, leaks);
    }
  }
  CHECK(completed);
  printf("%s: workload completes from fail_alloc_after=%lld on\n", profile, (long long)(n - 1));
}

int main(void) {
  run_profile("cpython2.7");
  run_profile("cpython3.11");
  run_profile("cpython3.12");
  run_profile("cpython3.13");
  run_profile("cpython3.14");
  return CHECK_DONE();
}
