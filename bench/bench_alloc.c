/*
** bench_alloc.c -- what creating and releasing an int costs, by the path
** that serves it, beside a malloc/free pair and an array index measured
** in the same run (this machine is shared: compare ratios, not seconds).
**
** Usage: bench_alloc [iterations [row]]   (default 20,000,000, every row)
** Each row is the best of 7 repetitions, in ns per create+release; the
** rows take turns, so drift in the machine's speed hits them alike.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "intspect.h"

static volatile uintptr_t sink;

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static isp_runtime *open_rt(const char *profile) {
  isp_options o;
  char err[256];
  isp_runtime *R;
  isp_options_init(&o);
  o.profile = profile;
  R = isp_runtime_new(&o, err, sizeof err);
  if (R == NULL) {
    fprintf(stderr, "bench_alloc: %s\n", err);
    exit(1);
  }
  return R;
}

typedef double (*bench_fn)(isp_runtime *R, long n);

/* Values cycle through a small window so that each path keeps serving. */
static double b_cached(isp_runtime *R, long n) {
  double t = now_ns();
  long i;
  for (i = 0; i < n; i++) {
    isp_int *v = isp_from_i64(R, i & 127);
    sink += (uintptr_t)v;
    isp_decref(R, v);
  }
  return now_ns() - t;
}

static double b_fresh(isp_runtime *R, long n) {
  double t = now_ns();
  long i;
  for (i = 0; i < n; i++) {
    isp_int *v = isp_from_i64(R, 1000 + (i & 1023));
    sink += (uintptr_t)v;
    isp_decref(R, v);
  }
  return now_ns() - t;
}

static double b_multidigit(isp_runtime *R, long n) {
  double t = now_ns();
  long i;
  for (i = 0; i < n; i++) {
    isp_int *v = isp_from_i64(R, ((int64_t)1 << 40) + (i & 1023));
    sink += (uintptr_t)v;
    isp_decref(R, v);
  }
  return now_ns() - t;
}

static double b_malloc(isp_runtime *R, long n) {
  double t = now_ns();
  long i;
  (void)R;
  for (i = 0; i < n; i++) {
    void *p = malloc(32);
    sink += (uintptr_t)p;
    free(p);
  }
  return now_ns() - t;
}

static uintptr_t table[128];
static double b_index(isp_runtime *R, long n) {
  double t = now_ns();
  long i;
  (void)R;
  for (i = 0; i < n; i++) sink += table[i & 127];
  return now_ns() - t;
}

/* One repetition of f, in ns per op. */
static double once(bench_fn f, isp_runtime *R, long n) {
  return f(R, n) / (double)n;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 20000000L;
  long only = argc > 2 ? atol(argv[2]) : -1;
  struct { const char *what, *profile; bench_fn f; } rows[] = {
    { "array index (baseline)", NULL, b_index },
    { "malloc(32) + free (baseline)", NULL, b_malloc },
    { "cached int (small-int cache hit)", "cpython3.14", b_cached },
    { "cached int, 3.11 (counted refcount)", "cpython3.11", b_cached },
    { "cached int, 2.7 (pointer table)", "cpython2.7", b_cached },
    { "int from the 3.14 int free list", "cpython3.14", b_fresh },
    { "int from 2.7's block free list", "cpython2.7", b_fresh },
    { "int from the general allocator (3.11)", "cpython3.11", b_fresh },
    { "2-digit int, general allocator (3.14)", "cpython3.14", b_multidigit },
  };
  size_t i, nrows = sizeof rows / sizeof rows[0];
  isp_runtime *rts[sizeof rows / sizeof rows[0]];
  double best[sizeof rows / sizeof rows[0]];
  double malloc_ns = 0;
  int r;
  if (n <= 0) {
    fprintf(stderr, "bench_alloc: iterations must be a positive number\n");
    return 2;
  }
  for (i = 0; i < nrows; i++) {
    rts[i] = rows[i].profile ? open_rt(rows[i].profile) : NULL;
    best[i] = 1e300;
    if (only < 0 || (size_t)only == i || rows[i].f == b_malloc)
      rows[i].f(rts[i], n / 10);               /* warm up */
  }
  /* Rows take turns, seven rounds, best of each: the machine's drift
  ** (frequency, neighbours) then falls on every row alike. */
  for (r = 0; r < 7; r++)
    for (i = 0; i < nrows; i++) {
      double ns;
      if (only >= 0 && (size_t)only != i && rows[i].f != b_malloc) continue;
      ns = once(rows[i].f, rts[i], n);
      if (ns < best[i]) best[i] = ns;
    }
  for (i = 0; i < nrows; i++)
    if (rows[i].f == b_malloc) malloc_ns = best[i];
  printf("%-42s %10s %12s\n", "create + release", "ns/op", "x malloc");
  for (i = 0; i < nrows; i++) {
    if (only >= 0 && (size_t)only != i && rows[i].f != b_malloc) continue;
    printf("%-42s %10.2f %12.2f\n", rows[i].what, best[i], best[i] / malloc_ns);
    if (rts[i]) isp_runtime_close(rts[i], NULL, NULL);
  }
  return 0;
}
