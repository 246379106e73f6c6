/*
** test_reset.c -- isp_runtime_reset: a used runtime made new again.
**
** Checks, under every profile and for the default, a disabled and (2.7) a
** multi-arena small-int range: a workload run on a new runtime and run
** again after a reset behaves the same (every stats counter after every
** step, which earlier object's address each creation reuses, and under 2.7,
** whose blocks land at places the runtime chooses, the very same ids);
** a reset refuses, and names, a live object or a cached int whose refcount
** moved, and succeeds once they are released; the options' fault
** injection, digit limit and histogram come back.
*/
#include <stdlib.h>

#include "check.h"
#include "intspect.h"

static const char *const all_profiles[] = {
  "cpython2.7", "cpython3.11", "cpython3.12", "cpython3.13", "cpython3.14"
};
#define NPROF 5

static isp_runtime *open_rt(const char *profile, int64_t neg, int64_t pos,
                            int64_t fail_after) {
  isp_options o;
  char err[256];
  isp_runtime *R;
  isp_options_init(&o);
  o.profile = profile;
  o.fail_alloc_after = fail_after;
  if (neg >= 0) {
    o.set_small_ints = 1;
    o.small_neg = neg;
    o.small_pos = pos;
  }
  o.set_histogram = 1;
  o.hist_lo = -10;
  o.hist_hi = 300;
  R = isp_runtime_new(&o, err, sizeof err);
  if (R == NULL) {
    fprintf(stderr, "cannot open %s: %s\n", profile, err);
    exit(2);
  }
  return R;
}

/* What a workload showed: per step, the stats and whose address a new
** object took; under 2.7 the ids themselves. */
#define STEPS 96
typedef struct trace {
  isp_stats st[STEPS];
  int reuse[STEPS];
  uintptr_t id[STEPS];
} trace;

/*
** Ints of 1, 2, 3 and 40 digits, 2.7 ints and longs, cached and not, made
** and released in an order that exercises LIFO reuse, the 3.14 free list,
** new 2.7 blocks and a collection in the middle.
*/
static void workload(isp_runtime *R, trace *t) {
  isp_int *held[STEPS] = {0};
  uintptr_t ids[STEPS];
  int k;
  for (k = 0; k < STEPS; k++) {
    int64_t v;
    int j;
    switch (k % 6) {
      case 0: v = k * 7 - 20; break;                     /* often cached */
      case 1: v = (int64_t)1 << 31 | k; break;           /* two digits */
      case 2: v = (int64_t)1 << 61 | k; break;           /* three */
      case 3: v = 300 + k; break;
      case 4: v = -((int64_t)1 << 40) - k; break;
      default: v = k; break;
    }
    if (k % 6 == 5) {                                    /* a 40-digit power */
      isp_int *two = isp_from_i64(R, 2), *e = isp_from_i64(R, 1200);
      double f;
      CHECK(isp_pow(R, two, e, NULL, &held[k], &f) == 0);
      isp_decref(R, two);
      isp_decref(R, e);
    } else {
      held[k] = isp_from_i64(R, v);
    }
    CHECK(held[k] != NULL);
    ids[k] = isp_id(held[k]);
    /* a 2.7 int lives in a block, placed by the runtime itself */
    t->id[k] = strcmp(isp_type_name(R, held[k]), "int") == 0 ? ids[k] : 0;
    t->reuse[k] = -1;
    for (j = k - 1; j >= 0; j--)
      if (ids[j] == ids[k]) {
        t->reuse[k] = j;
        break;
      }
    if (k % 3 == 2) {                                    /* drop two of three */
      isp_decref(R, held[k - 1]);
      isp_decref(R, held[k - 2]);
      held[k - 1] = held[k - 2] = NULL;
    }
    if (k == STEPS / 2) isp_collect(R);
    isp_get_stats(R, &t->st[k]);
  }
  for (k = 0; k < STEPS; k++)
    if (held[k] != NULL) isp_decref(R, held[k]);
}

static int same_stats(const isp_stats *a, const isp_stats *b) {
  return a->created == b->created && a->cache_hits == b->cache_hits &&
         a->freelist_hits == b->freelist_hits && a->allocs == b->allocs &&
         a->frees == b->frees && a->failed_allocs == b->failed_allocs &&
         a->live == b->live && a->blocks == b->blocks && a->bytes == b->bytes &&
         a->freelist_len == b->freelist_len;
}

static void check_same(const trace *a, const trace *b, int ids_too, const char *what,
                       const char *profile) {
  int k, bad = 0;
  for (k = 0; k < STEPS && !bad; k++) {
    if (!same_stats(&a->st[k], &b->st[k]) || a->reuse[k] != b->reuse[k] ||
        (ids_too && a->id[k] != b->id[k])) {
      fprintf(stderr, "%s under %s: step %d differs (reuse %d vs %d, allocs %llu vs %llu, "
              "bytes %llu vs %llu)\n", what, profile, k, a->reuse[k], b->reuse[k],
              (unsigned long long)a->st[k].allocs, (unsigned long long)b->st[k].allocs,
              (unsigned long long)a->st[k].bytes, (unsigned long long)b->st[k].bytes);
      bad = 1;
    }
  }
  CHECK(!bad);
}

static void test_same_as_new(const char *profile, int64_t neg, int64_t pos) {
  static trace fresh, again, twice;
  isp_runtime *R = open_rt(profile, neg, pos, -1);
  isp_stats s0, s1;
  int is27 = strcmp(profile, "cpython2.7") == 0;
  isp_get_stats(R, &s0);
  workload(R, &fresh);
  CHECK_EQ_U(0, isp_runtime_reset(R, NULL, NULL));
  isp_get_stats(R, &s1);
  CHECK(same_stats(&s0, &s1));
  workload(R, &again);
  CHECK_EQ_U(0, isp_runtime_reset(R, NULL, NULL));
  workload(R, &twice);
  /* 2.7 places its blocks itself, inside arenas the cache keeps, so even
  ** the ids of 2.7 ints repeat; 3.x pools and 2.7 longs come from the C
  ** library, so only the pattern of reuse does */
  check_same(&fresh, &again, is27 && pos > 0, "after one reset", profile);
  check_same(&fresh, &twice, is27 && pos > 0, "after two resets", profile);
  CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
}

typedef struct seen {
  size_t n;
  uint64_t refcount;
} seen;

static void count_leak(void *ud, const isp_leak *leak) {
  seen *s = ud;
  s->n++;
  s->refcount = leak->refcount;
}

static void test_refuses(const char *profile) {
  isp_runtime *R = open_rt(profile, -1, -1, -1);
  isp_int *big = isp_from_i64(R, (int64_t)1 << 50), *c = isp_from_i64(R, 7);
  seen s = {0, 0};
  uint64_t rc7;
  size_t mortal7;
  CHECK(big != NULL && c != NULL);
  /* a live object: named, nothing reset, the runtime still usable (the
  ** reference to 7 counts too where cached ints are mortal) */
  mortal7 = !isp_is_immortal(R, c);
  CHECK_EQ_U(1 + mortal7, isp_runtime_reset(R, count_leak, &s));
  CHECK_EQ_U(1 + mortal7, s.n);
  CHECK_EQ_U(1, isp_refcount(R, big));
  isp_decref(R, big);
  /* a cached int holding one reference too many: mortal caches see it */
  rc7 = isp_refcount(R, c);
  s.n = 0;
  if (isp_is_immortal(R, c)) {
    CHECK_EQ_U(0, isp_runtime_reset(R, count_leak, &s));
    CHECK_EQ_U(0, s.n);
    isp_decref(R, c);
  } else {
    CHECK_EQ_U(1, isp_runtime_reset(R, count_leak, &s));
    CHECK_EQ_U(1, s.n);
    CHECK_EQ_U(rc7, s.refcount);
    isp_decref(R, c);
    CHECK_EQ_U(0, isp_runtime_reset(R, count_leak, &s));
  }
  CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
}

static void test_options_back(const char *profile) {
  isp_runtime *R = open_rt(profile, -1, -1, 2);
  isp_int *held[200];
  const uint64_t *h;
  int64_t lo, hi;
  int64_t limit = isp_get_max_str_digits(R);
  int round, n, first = -1;
  /* as many creations succeed after a reset as when new (two allocations:
  ** a 2.7 block serves 41 ints), then MemoryError */
  for (round = 0; round < 2; round++) {
    for (n = 0; n < 200; n++) {
      held[n] = isp_from_i64(R, ((int64_t)1 << 40) + n);
      if (held[n] == NULL) break;
    }
    CHECK(n < 200 && isp_error_type(R) == ISP_MEMORY_ERROR);
    if (round == 0) first = n;
    CHECK_EQ_I(first, n);
    while (n-- > 0) isp_decref(R, held[n]);
    isp_error_clear(R);
    CHECK(isp_set_max_str_digits(R, 0) == 0);
    isp_decref(R, isp_from_i64(R, 5));
    h = isp_histogram(R, &lo, &hi);
    CHECK(h != NULL && h[5 - lo] == 1);
    isp_error_set(R, ISP_VALUE_ERROR, "left pending");
    CHECK_EQ_U(0, isp_runtime_reset(R, NULL, NULL));
    CHECK_EQ_I(ISP_OK, isp_error_type(R));
    CHECK_EQ_I(limit, isp_get_max_str_digits(R));
    h = isp_histogram(R, &lo, &hi);
    CHECK(h != NULL && h[5 - lo] == 0);
  }
  CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
}

int main(void) {
  int p;
  for (p = 0; p < NPROF; p++) {
    test_same_as_new(all_profiles[p], -1, -1);
    test_same_as_new(all_profiles[p], 0, 0);
    test_same_as_new(all_profiles[p], 1000, 2000);
    test_refuses(all_profiles[p]);
    test_options_back(all_profiles[p]);
  }
  /* 2.7 with the cache spread over three arenas of blocks */
  test_same_as_new("cpython2.7", 3000, 3000);
  return CHECK_DONE();
}
