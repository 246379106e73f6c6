/*
** test_objects.c -- the object model under every profile.
**
** Checks: small-int identity over the whole cached range and not one past
** either end (default, reconfigured, disabled); the 32-byte stride of the
** 3.x array; sys.getsizeof by value; refcounts of cached ints under
** incref/decref; LIFO reuse of a freed address; 3.14's 100-entry free list
** (the 101st freed compact int goes back to the allocator, multi-digit
** ints never go on it, a collection empties it); seed 000's id table under
** 2.7 for both block spacings; seed 001's 41 objects per block; the 2.7
** int/long split; leak reports; option validation.
*/
#include <stdlib.h>

#include "check.h"
#include "intspect.h"

static const char *const all_profiles[] = {
  "cpython2.7", "cpython3.11", "cpython3.12", "cpython3.13", "cpython3.14"
};
#define NPROF 5

static isp_runtime *open_rt(const char *profile, int64_t neg, int64_t pos) {
  isp_options o;
  char err[256];
  isp_runtime *R;
  isp_options_init(&o);
  o.profile = profile;
  if (neg >= 0) {
    o.set_small_ints = 1;
    o.small_neg = neg;
    o.small_pos = pos;
  }
  R = isp_runtime_new(&o, err, sizeof err);
  if (R == NULL) {
    fprintf(stderr, "cannot open %s: %s\n", profile, err);
    exit(2);
  }
  return R;
}

/* Two creations of v give the same object exactly when v is cached. */
static void check_identity_range(const char *profile, int64_t neg, int64_t pos) {
  isp_runtime *R = open_rt(profile, neg, pos);
  int64_t lo = -neg, hi = pos - 1, v;
  if (neg < 0) lo = -5, hi = 256;
  for (v = lo - 3; v <= hi + 3; v++) {
    isp_int *a = isp_from_i64(R, v), *b = isp_from_i64(R, v);
    int cached = v >= lo && v <= hi;
    if ((a == b) != cached)
      fprintf(stderr, "%s small_ints {%lld,%lld}: value %lld %s\n", profile, (long long)neg,
              (long long)pos, (long long)v, cached ? "not shared" : "shared");
    CHECK((a == b) == cached);
    isp_decref(R, a);
    isp_decref(R, b);
  }
  CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
}

static void test_identity(void) {
  int i;
  for (i = 0; i < NPROF; i++) {
    isp_runtime *R;
    int64_t lo, hi;
    check_identity_range(all_profiles[i], -1, -1);       /* profile default -5..256 */
    check_identity_range(all_profiles[i], 10, 1000);
    check_identity_range(all_profiles[i], 0, 0);         /* disabled */
    check_identity_range(all_profiles[i], 0, 1);         /* only 0 */
    R = open_rt(all_profiles[i], -1, -1);
    isp_small_range(R, &lo, &hi);
    CHECK_EQ_I(-5, lo);
    CHECK_EQ_I(256, hi);
    isp_runtime_close(R, NULL, NULL);
    R = open_rt(all_profiles[i], 0, 0);
    isp_small_range(R, &lo, &hi);
    CHECK(lo > hi);
    isp_runtime_close(R, NULL, NULL);
  }
}

static void test_large_range(void) {
  /* the cache-range experiment's widest setting */
  isp_runtime *R = open_rt("cpython3.14", 1000000, 1000001);
  isp_int *a = isp_from_i64(R, 1000000), *b = isp_from_i64(R, 1000000);
  isp_int *c = isp_from_i64(R, -1000000), *d = isp_from_i64(R, -1000000);
  isp_int *e = isp_from_i64(R, 1000001), *f = isp_from_i64(R, 1000001);
  CHECK(a == b);
  CHECK(c == d);
  CHECK(e != f);
  CHECK_EQ_I(32, (int64_t)(isp_id(a) - isp_id(isp_from_i64(R, 999999))));
  isp_decref(R, a); isp_decref(R, b); isp_decref(R, c); isp_decref(R, d);
  isp_decref(R, e); isp_decref(R, f);
  isp_decref(R, isp_from_i64(R, 999999));     /* the one made above, twice */
  isp_decref(R, isp_from_i64(R, 999999));
  CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
}

static void test_stride(void) {
  int i;
  for (i = 1; i < NPROF; i++) {
    isp_runtime *R = open_rt(all_profiles[i], -1, -1);
    int64_t v;
    for (v = -5; v < 256; v++) {
      isp_int *a = isp_from_i64(R, v), *b = isp_from_i64(R, v + 1);
      CHECK_EQ_I(32, (int64_t)(isp_id(b) - isp_id(a)));
      isp_decref(R, a);
      isp_decref(R, b);
    }
    isp_runtime_close(R, NULL, NULL);
  }
}

/* Seed 000: ids of -5..256 step by -24 with value; +jump between 35/36,
** 76/77, 117/118, 158/159, 199/200, 240/241; id(n) != id(n+0) first at 257. */
static void check_seed000(int64_t spacing, int64_t jump) {
  isp_options o;
  char err[128];
  isp_runtime *R;
  int64_t v, steps = 0, jumps = 0;
  static const int64_t breaks[] = { 35, 76, 117, 158, 199, 240 };
  isp_options_init(&o);
  o.profile = "cpython2.7";
  o.block_spacing = spacing;
  R = isp_runtime_new(&o, err, sizeof err);
  CHECK(R != NULL);
  if (R == NULL) return;
  for (v = -5; v < 256; v++) {
    isp_int *a = isp_from_i64(R, v), *b = isp_from_i64(R, v + 1);
    int64_t diff = (int64_t)(isp_id(b) - isp_id(a));
    int is_break = 0;
    size_t k;
    for (k = 0; k < 6; k++) is_break |= breaks[k] == v;
    if (is_break) {
      CHECK_EQ_I(jump, diff);
      jumps++;
    } else {
      CHECK_EQ_I(-24, diff);
      steps++;
    }
    isp_decref(R, a);
    isp_decref(R, b);
  }
  CHECK_EQ_I(255, steps);
  CHECK_EQ_I(6, jumps);
  {
    isp_stats s;
    isp_get_stats(R, &s);
    CHECK_EQ_U(7, s.blocks);                       /* 262 = 6 * 41 + 16 */
  }
  CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
}

static void test_seed000(void) {
  check_seed000(0, 1952);         /* default: back to back */
  check_seed000(992, 1952);
  check_seed000(1008, 1968);      /* glibc-like */
}

/* Seed 001: a block holds 41 ints, handed out from the top down. */
static void test_blocks_of_41(void) {
  isp_runtime *R = open_rt("cpython2.7", 0, 0);
  isp_int *objs[83];
  isp_stats s;
  int i;
  for (i = 0; i < 83; i++) objs[i] = isp_from_i64(R, 1000 + i);
  for (i = 1; i < 41; i++) CHECK_EQ_I(-24, (int64_t)(isp_id(objs[i]) - isp_id(objs[i - 1])));
  CHECK((int64_t)(isp_id(objs[41]) - isp_id(objs[40])) != -24);
  isp_get_stats(R, &s);
  CHECK_EQ_U(3, s.blocks);
  CHECK_EQ_U(83, s.live);
  for (i = 0; i < 83; i++) isp_decref(R, objs[i]);
  isp_get_stats(R, &s);
  CHECK_EQ_U(3, s.blocks);                         /* kept until a collection */
  CHECK_EQ_U(0, s.live);
  isp_collect(R);
  isp_get_stats(R, &s);
  CHECK_EQ_U(0, s.blocks);
  /* a block with one live int survives the collection */
  objs[0] = isp_from_i64(R, 7);
  objs[1] = isp_from_i64(R, 8);
  isp_decref(R, objs[1]);
  isp_collect(R);
  isp_get_stats(R, &s);
  CHECK_EQ_U(1, s.blocks);
  isp_decref(R, objs[0]);
  CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
}

static void test_sizeof(void) {
  static const int64_t vals[] = { 0, 1, -1, (int64_t)1 << 30, -((int64_t)1 << 30),
                                  (int64_t)1 << 60, -((int64_t)1 << 60), 257, -6 };
  static const size_t size3x[] = { 28, 28, 28, 32, 32, 36, 36, 28, 28 };
  int i;
  size_t k;
  for (i = 0; i < NPROF; i++) {
    isp_runtime *R = open_rt(all_profiles[i], -1, -1);
    for (k = 0; k < sizeof vals / sizeof vals[0]; k++) {
      isp_int *a = isp_from_i64(R, vals[k]);
      CHECK_EQ_U(i == 0 ? 24 : size3x[k], isp_sizeof(R, a));
      isp_decref(R, a);
    }
    isp_runtime_close(R, NULL, NULL);
  }
  {
    /* 2.7 long: 24 + 4 * ndigits, 0L is 24 */
    isp_runtime *R = open_rt("cpython2.7", -1, -1);
    isp_int *z = isp_from_i64(R, 0), *zl = isp_to_long(R, z);
    isp_int *big = isp_from_u64(R, UINT64_MAX);
    isp_int *one = isp_from_i64(R, 1), *onel = isp_to_long(R, one);
    CHECK_EQ_U(24, isp_sizeof(R, z));
    CHECK_EQ_U(24, isp_sizeof(R, zl));
    CHECK_EQ_U(28, isp_sizeof(R, onel));
    CHECK_EQ_U(36, isp_sizeof(R, big));
    CHECK_EQ_S("long", isp_type_name(R, big));
    CHECK_EQ_S("long", isp_type_name(R, zl));
    CHECK_EQ_S("int", isp_type_name(R, z));
    CHECK(zl != z);                                 /* 0L is not 0 */
    isp_decref(R, z); isp_decref(R, zl); isp_decref(R, big);
    isp_decref(R, one); isp_decref(R, onel);
    /* a C long's whole range is 'int', from any creation path */
    z = isp_from_string(R, "-9223372036854775808", 20, 10);
    zl = isp_from_string(R, "9223372036854775808", 19, 10);
    CHECK_EQ_S("int", isp_type_name(R, z));
    CHECK_EQ_U(24, isp_sizeof(R, z));
    CHECK_EQ_S("long", isp_type_name(R, zl));
    CHECK_EQ_U(36, isp_sizeof(R, zl));
    isp_decref(R, z); isp_decref(R, zl);
    CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
  }
}

static void test_refcounts(void) {
  static const uint64_t base[] = { 1, 999999999u, 4294967295u, 4294967295u, 3221225472u };
  static const int immortal[] = { 0, 0, 1, 1, 1 };
  int i;
  for (i = 0; i < NPROF; i++) {
    isp_runtime *R = open_rt(all_profiles[i], -1, -1);
    isp_int *a = isp_from_i64(R, 7), *b;
    uint64_t after_one = isp_refcount(R, a);
    int mortal = !immortal[i];
    CHECK_EQ_U(base[i] + (uint64_t)mortal, after_one);
    CHECK_EQ_I(immortal[i], isp_is_immortal(R, a));
    isp_incref(R, a);
    CHECK_EQ_U(after_one + (uint64_t)mortal, isp_refcount(R, a));
    isp_decref(R, a);
    isp_decref(R, a);
    CHECK_EQ_U(base[i], isp_refcount(R, a));
    /* decref past the cache's own reference never frees a cached int */
    isp_decref(R, a);
    b = isp_from_i64(R, 7);
    CHECK(a == b);
    isp_decref(R, b);
    /* a fresh int: one reference per holder */
    a = isp_from_i64(R, 123456);
    CHECK_EQ_U(1, isp_refcount(R, a));
    CHECK_EQ_I(0, isp_is_immortal(R, a));
    isp_incref(R, a);
    CHECK_EQ_U(2, isp_refcount(R, a));
    isp_decref(R, a);
    isp_decref(R, a);
    CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
  }
}

static void test_lifo_reuse(void) {
  int i;
  for (i = 0; i < NPROF; i++) {
    isp_runtime *R = open_rt(all_profiles[i], -1, -1);
    isp_int *a = isp_from_i64(R, 1000), *b = isp_from_i64(R, 2000), *c;
    uintptr_t ida = isp_id(a), idb = isp_id(b);
    isp_decref(R, a);
    isp_decref(R, b);
    c = isp_from_i64(R, 3000);
    CHECK_EQ_U(idb, isp_id(c));                   /* last freed, first reused */
    isp_decref(R, c);
    c = isp_from_i64(R, 4000);
    CHECK_EQ_U(idb, isp_id(c));
    a = isp_from_i64(R, 5000);
    CHECK_EQ_U(ida, isp_id(a));
    isp_decref(R, a);
    isp_decref(R, c);
    CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
  }
}

static void test_freelist314(void) {
  isp_runtime *R = open_rt("cpython3.14", -1, -1);
  isp_int *objs[101], *big, *again;
  isp_stats s;
  uintptr_t id_big;
  int i;
  for (i = 0; i < 101; i++) objs[i] = isp_from_i64(R, 1000 + i);
  for (i = 0; i < 101; i++) isp_decref(R, objs[i]);
  isp_get_stats(R, &s);
  CHECK_EQ_U(100, s.freelist_len);               /* the 101st was not kept */
  /* LIFO: the 100th freed comes back first */
  again = isp_from_i64(R, 1);
  isp_decref(R, again);
  again = isp_from_i64(R, 77777);
  CHECK_EQ_U(isp_id(objs[99]), isp_id(again));
  isp_get_stats(R, &s);
  CHECK_EQ_U(1, s.freelist_hits);
  CHECK_EQ_U(99, s.freelist_len);
  isp_decref(R, again);
  /* multi-digit ints never go on it */
  big = isp_from_i64(R, (int64_t)1 << 40);
  id_big = isp_id(big);
  isp_decref(R, big);
  isp_get_stats(R, &s);
  CHECK_EQ_U(100, s.freelist_len);
  big = isp_from_i64(R, (int64_t)1 << 41);
  CHECK_EQ_U(id_big, isp_id(big));              /* back through the allocator */
  isp_decref(R, big);
  isp_collect(R);
  isp_get_stats(R, &s);
  CHECK_EQ_U(0, s.freelist_len);
  CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
  /* no other profile keeps one */
  for (i = 0; i < NPROF - 1; i++) {
    isp_int *x;
    R = open_rt(all_profiles[i], -1, -1);
    x = isp_from_i64(R, 1000);
    isp_decref(R, x);
    isp_get_stats(R, &s);
    CHECK_EQ_U(0, s.freelist_len);
    isp_runtime_close(R, NULL, NULL);
  }
}

static size_t leaks_seen;
static void on_leak(void *ud, const isp_leak *l) {
  (void)ud;
  leaks_seen++;
  CHECK(l->id != 0);
  CHECK_EQ_U(1, l->refcount);
}

static void test_leak_report(void) {
  int i;
  for (i = 0; i < NPROF; i++) {
    isp_runtime *R = open_rt(all_profiles[i], -1, -1);
    isp_int *kept = isp_from_i64(R, 424242);
    isp_int *big = isp_from_u64(R, UINT64_MAX);
    isp_int *small = isp_from_i64(R, 5);
    (void)kept; (void)big; (void)small;            /* never released */
    leaks_seen = 0;
    CHECK_EQ_U(2, isp_runtime_close(R, on_leak, NULL));
    CHECK_EQ_U(2, leaks_seen);
  }
}

static void test_options(void) {
  isp_options o;
  char err[256];
  isp_options_init(&o);
  o.profile = "cpython9.9";
  CHECK(isp_runtime_new(&o, err, sizeof err) == NULL);
  CHECK(strstr(err, "unknown profile 'cpython9.9'") != NULL);
  isp_options_init(&o);
  o.set_small_ints = 1;
  o.small_neg = -1;
  CHECK(isp_runtime_new(&o, err, sizeof err) == NULL);
  CHECK(strstr(err, "ValueError") == err);
  o.small_neg = (int64_t)1 << 40;
  CHECK(isp_runtime_new(&o, err, sizeof err) == NULL);
  isp_options_init(&o);
  o.block_spacing = 1008;                           /* not for 3.14 */
  CHECK(isp_runtime_new(&o, err, sizeof err) == NULL);
  CHECK(strstr(err, "cpython2.7") != NULL);
  o.profile = "cpython2.7";
  o.block_spacing = 100;
  CHECK(isp_runtime_new(&o, err, sizeof err) == NULL);
  isp_options_init(&o);
  o.set_max_str_digits = 1;
  o.max_str_digits = 639;
  CHECK(isp_runtime_new(&o, err, sizeof err) == NULL);
  CHECK(strstr(err, "maxdigits must be 0 or larger than 640") != NULL);
  isp_options_init(&o);
  o.set_histogram = 1;
  o.hist_lo = 5;
  o.hist_hi = 4;
  CHECK(isp_runtime_new(&o, err, sizeof err) == NULL);
}

/* A runtime's profile name is its entry of isp_profile_names(), by address
** (the header promises it; the fuzz targets match runtimes that way), and
** a runtime opened with a copy of the name still reports the entry. */
static void test_profile_names(void) {
  const char *const *names = isp_profile_names();
  size_t i, n = 0;
  for (i = 0; names[i] != NULL; i++) {
    char copy[32];
    isp_runtime *R;
    snprintf(copy, sizeof copy, "%s", names[i]);
    R = open_rt(copy, -1, -1);
    CHECK(isp_runtime_profile(R) == names[i]);
    CHECK_EQ_S(copy, isp_runtime_profile(R));
    isp_runtime_close(R, NULL, NULL);
    n++;
  }
  CHECK_EQ_U(NPROF, n);
}

static void test_histogram(void) {
  isp_options o;
  char err[128];
  isp_runtime *R;
  const uint64_t *h;
  int64_t lo, hi;
  int k;
  isp_options_init(&o);
  o.set_histogram = 1;
  o.hist_lo = -10;
  o.hist_hi = 300;
  R = isp_runtime_new(&o, err, sizeof err);
  CHECK(R != NULL);
  for (k = 0; k < 3; k++) isp_decref(R, isp_from_i64(R, 257));
  isp_decref(R, isp_from_i64(R, -10));
  isp_decref(R, isp_from_i64(R, 301));
  isp_decref(R, isp_from_i64(R, 1));
  h = isp_histogram(R, &lo, &hi);
  CHECK(h != NULL);
  CHECK_EQ_I(-10, lo);
  CHECK_EQ_I(300, hi);
  CHECK_EQ_U(3, h[257 + 10]);
  CHECK_EQ_U(1, h[0]);
  CHECK_EQ_U(1, h[11]);
  CHECK_EQ_U(0, h[2 + 10]);
  isp_runtime_close(R, NULL, NULL);
}

/* pymalloc's quantum: 2.7 rounds to 8 bytes (0L is a 24-byte object, and
** fresh ones sit 24 apart), 3.8+ to 16 (a 28-byte int takes 32). */
static void test_pool_classes(void) {
  int i;
  for (i = 0; i < NPROF; i++) {
    isp_runtime *R = open_rt(all_profiles[i], -1, -1);
    isp_int *z = isp_from_i64(R, 0), *a, *b;
    if (i == 0) {
      a = isp_to_long(R, z);
      b = isp_to_long(R, z);
      CHECK_EQ_I(24, (int64_t)(isp_id(b) - isp_id(a)));
    } else {
      a = isp_from_i64(R, 1000);
      b = isp_from_i64(R, 1001);
      CHECK_EQ_I(32, (int64_t)(isp_id(b) - isp_id(a)));
    }
    isp_decref(R, a);
    isp_decref(R, b);
    isp_decref(R, z);
    CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
  }
}

static void test_gc_threshold(void) {
  static const int64_t want[NPROF][3] = {
    { 700, 10, 10 }, { 700, 10, 10 }, { 700, 10, 10 }, { 2000, 10, 10 }, { 2000, 10, 0 }
  };
  int i, k;
  for (i = 0; i < NPROF; i++) {
    isp_runtime *R = open_rt(all_profiles[i], -1, -1);
    int64_t t[3];
    isp_gc_threshold(R, t);
    for (k = 0; k < 3; k++) CHECK_EQ_I(want[i][k], t[k]);
    isp_runtime_close(R, NULL, NULL);
  }
}

static void test_side_by_side(void) {
  /* runtimes are independent: no shared cache or free list */
  isp_runtime *A = open_rt("cpython2.7", -1, -1), *B = open_rt("cpython3.14", -1, -1);
  isp_int *a = isp_from_i64(A, 5), *b = isp_from_i64(B, 5);
  CHECK(a != b);
  CHECK_EQ_U(2, isp_refcount(A, a));
  CHECK_EQ_U(3221225472u, isp_refcount(B, b));
  isp_decref(A, a);
  isp_decref(B, b);
  CHECK_EQ_U(0, isp_runtime_close(A, NULL, NULL));
  CHECK_EQ_U(0, isp_runtime_close(B, NULL, NULL));
}

int main(void) {
  test_identity();
  test_large_range();
  test_stride();
  test_seed000();
  test_blocks_of_41();
  test_sizeof();
  test_refcounts();
  test_lifo_reuse();
  test_freelist314();
  test_leak_report();
  test_options();
  test_histogram();
  test_profile_names();
  test_side_by_side();
  test_gc_threshold();
  test_pool_classes();
  return CHECK_DONE();
}
