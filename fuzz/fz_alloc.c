/*
** fz_alloc.c -- the object model under a little op-code language.
**
** Input:  byte 0  profile (bits 0-2); bit 3: choose the small-int range
**                 from the next four bytes (NSMALLNEGINTS % 300 and
**                 NSMALLPOSINTS % 1100 from 16 bits);
**         then ops of a byte each, followed by their operands: create
**         from an i64, a u64, a string or bytes, release, duplicate,
**         arithmetic, collect, set_fail_alloc_after, identity and reuse
**         probes, full checks.
** The program holds references in a pool of slots and knows each slot's
** value, so after every step it can check, through the public API only:
** values; identity (two creations of a value give one object exactly when
** isp_small_range covers it); refcounts (a fresh object counts our
** references, an immortal one never moves, a cached mortal one moves by
** one per reference); getsizeof; stats.live equal to the distinct uncached
** objects held; MemoryError only while fault injection is on (and never
** for a cached value, which costs no allocation); zero leaks at close.
*/
#include <stdio.h>
#include <string.h>

#include "fz.h"

#define FZ_SLOTS 16
#define FZ_MAX_OPS 1024
#define FZ_MAX_BITS 4096            /* values stop growing past this */

typedef struct fz_state {
  isp_runtime *R;
  isp_int *slot[FZ_SLOTS];
  mpz_t val[FZ_SLOTS];
  int failing;                      /* fault injection armed */
  int64_t lo, hi;                   /* the cached range */
  int step;
} fz_state;

enum {
  A_NEW_I64, A_NEW_U64, A_NEW_STR, A_NEW_BYTES, A_RELEASE, A_DUP, A_ARITH,
  A_COLLECT, A_FAIL_AFTER, A_CHECK, A_IDENTITY, A_REUSE, A_TO_LONG,
  A_IMMORTAL, A_COUNT
};

static int fz_cached(const fz_state *S, const isp_int *v, const mpz_t x) {
  return strcmp(isp_type_name(S->R, v), "int") == 0 && S->lo <= S->hi &&
         mpz_cmp_si(x, (long)S->lo) >= 0 && mpz_cmp_si(x, (long)S->hi) <= 0;
}

static unsigned fz_holders(const fz_state *S, const isp_int *v) {
  unsigned k = 0;
  int i;
  for (i = 0; i < FZ_SLOTS; i++) k += S->slot[i] == v;
  return k;
}

/* Every slot's object is right, and stats.live counts the uncached ones. */
static void fz_check_all(fz_state *S) {
  isp_stats st;
  uint64_t live = 0;
  int i, j;
  for (i = 0; i < FZ_SLOTS; i++) {
    isp_int *v = S->slot[i];
    if (v == NULL) continue;
    fz_check_object(S->R, v, S->val[i], fz_holders(S, v) - 1, "slot");
    for (j = 0; j < i && S->slot[j] != v; j++) {}
    if (j == i && !fz_cached(S, v, S->val[i])) live++;
  }
  isp_get_stats(S->R, &st);
  if (st.live != live)
    fz_fail("step %d under %s: stats.live is %llu, the program holds %llu uncached objects",
            S->step, isp_runtime_profile(S->R), (unsigned long long)st.live,
            (unsigned long long)live);
}

/* A creation returned NULL: allowed only as MemoryError under fault
** injection, and never for a value the cache covers. */
static void fz_creation_failed(fz_state *S, const mpz_t x, const char *what) {
  if (!S->failing)
    fz_fail("step %d: %s(%Zd) failed with no fault injection: %s", S->step, what, x,
            fz_errtext(S->R));
  if (S->lo <= S->hi && mpz_cmp_si(x, (long)S->lo) >= 0 && mpz_cmp_si(x, (long)S->hi) <= 0 &&
      strcmp(what, "from_i64") == 0)
    fz_fail("step %d: %s(%Zd) of a cached value failed: %s", S->step, what, x, fz_errtext(S->R));
  fz_expect_error(S->R, ISP_MEMORY_ERROR, what);
}

static void fz_put(fz_state *S, int s, isp_int *v, const mpz_t x) {
  if (S->slot[s] != NULL) isp_decref(S->R, S->slot[s]);
  S->slot[s] = v;
  mpz_set(S->val[s], x);
}

static void fz_op_arith(fz_state *S, fz_in *in) {
  isp_runtime *R = S->R;
  uint8_t k = fz_u8(in);
  int t = fz_u8(in) % FZ_SLOTS, a = fz_u8(in) % FZ_SLOTS, b = fz_u8(in) % FZ_SLOTS;
  isp_int *va = S->slot[a], *vb = S->slot[b], *r = NULL;
  mpz_t x;
  if (va == NULL || vb == NULL) return;
  mpz_init(x);
  switch (k % 8) {
    case 0: mpz_add(x, S->val[a], S->val[b]); r = isp_add(R, va, vb); break;
    case 1: mpz_sub(x, S->val[a], S->val[b]); r = isp_sub(R, va, vb); break;
    case 2:
      if (mpz_sizeinbase(S->val[a], 2) + mpz_sizeinbase(S->val[b], 2) > FZ_MAX_BITS) goto done;
      mpz_mul(x, S->val[a], S->val[b]);
      r = isp_mul(R, va, vb);
      break;
    case 3:
      if (mpz_sgn(S->val[b]) == 0) goto done;
      mpz_fdiv_q(x, S->val[a], S->val[b]);
      r = isp_floordiv(R, va, vb);
      break;
    case 4:
      if (mpz_sgn(S->val[b]) == 0) goto done;
      mpz_fdiv_r(x, S->val[a], S->val[b]);
      r = isp_mod(R, va, vb);
      break;
    case 5: mpz_xor(x, S->val[a], S->val[b]); r = isp_xor(R, va, vb); break;
    case 6: mpz_neg(x, S->val[a]); r = isp_neg(R, va); break;
    default: mpz_abs(x, S->val[a]); r = isp_abs(R, va); break;
  }
  if (r == NULL) {
    if (!S->failing)
      fz_fail("step %d: arithmetic %d on %Zd, %Zd failed: %s", S->step, k % 8, S->val[a],
              S->val[b], fz_errtext(R));
    fz_expect_error(R, ISP_MEMORY_ERROR, "arithmetic under fault injection");
  } else {
    fz_put(S, t, r, x);
  }
done:
  mpz_clear(x);
}

/* Two live creations of v are one object exactly when the cache covers v. */
static void fz_op_identity(fz_state *S, int64_t v) {
  isp_int *p = isp_from_i64(S->R, v), *q;
  int cached = S->lo <= S->hi && v >= S->lo && v <= S->hi;
  mpz_t x;
  mpz_init(x);
  mpz_set_si(x, (long)v);
  if (p == NULL) {
    fz_creation_failed(S, x, "from_i64");
    goto done;
  }
  q = isp_from_i64(S->R, v);
  if (q == NULL) {
    fz_creation_failed(S, x, "from_i64");
    isp_decref(S->R, p);
    goto done;
  }
  if ((p == q) != cached)
    fz_fail("step %d under %s: from_i64(%lld) twice gave %s objects; cached range [%lld, %lld]",
            S->step, isp_runtime_profile(S->R), (long long)v, p == q ? "the same" : "two",
            (long long)S->lo, (long long)S->hi);
  isp_decref(S->R, q);
  isp_decref(S->R, p);
done:
  mpz_clear(x);
}

/* Freeing an uncached one-digit int then making another reuses its memory:
** every profile's allocator hands back the last freed slot of a class. */
static void fz_op_reuse(fz_state *S, int64_t v) {
  isp_int *p, *q;
  uintptr_t id;
  if (S->failing) return;
  v %= 1000;
  v = (S->hi < 0 ? 0 : S->hi) + 1 + (v < 0 ? -v : v);   /* above the cache, below 2**30 */
  p = isp_from_i64(S->R, v);
  if (p == NULL) fz_fail("from_i64(%lld) failed: %s", (long long)v, fz_errtext(S->R));
  id = isp_id(p);
  isp_decref(S->R, p);
  q = isp_from_i64(S->R, v + 1);
  if (q == NULL) fz_fail("from_i64(%lld) failed: %s", (long long)v + 1, fz_errtext(S->R));
  if (isp_id(q) != id)
    fz_fail("step %d under %s: %lld freed at 0x%llx, then %lld made at 0x%llx (no LIFO reuse)",
            S->step, isp_runtime_profile(S->R), (long long)v, (unsigned long long)id,
            (long long)v + 1, (unsigned long long)isp_id(q));
  isp_decref(S->R, q);
}

/* INCREF/DECREF on a held object: an immortal never moves, a mortal moves
** by exactly one each way. */
static void fz_op_immortal(fz_state *S, int s) {
  isp_int *v = S->slot[s];
  uint64_t r0, r1, r2;
  if (v == NULL) return;
  r0 = isp_refcount(S->R, v);
  isp_incref(S->R, v);
  r1 = isp_refcount(S->R, v);
  isp_decref(S->R, v);
  r2 = isp_refcount(S->R, v);
  if (isp_is_immortal(S->R, v) ? (r1 != r0 || r2 != r0) : (r1 != r0 + 1 || r2 != r0))
    fz_fail("step %d under %s: %s %Zd refcount %llu -> incref %llu -> decref %llu", S->step,
            isp_runtime_profile(S->R), isp_is_immortal(S->R, v) ? "immortal" : "mortal",
            S->val[s], (unsigned long long)r0, (unsigned long long)r1, (unsigned long long)r2);
}

static void fz_step(fz_state *S, fz_in *in) {
  isp_runtime *R = S->R;
  uint8_t op = fz_u8(in) % A_COUNT;
  int s = fz_u8(in) % FZ_SLOTS;
  isp_int *v;
  mpz_t x;
  mpz_init(x);
  switch (op) {
    case A_NEW_I64: case A_IDENTITY: case A_REUSE: {
      uint8_t w = fz_u8(in);
      /* mostly near the cache edges; sometimes any 64-bit value */
      int64_t i = (w & 1) ? (int64_t)fz_u64(in) : (int64_t)(int16_t)fz_u16(in);
      if (op == A_IDENTITY) { fz_op_identity(S, i); break; }
      if (op == A_REUSE) { fz_op_reuse(S, i); break; }
      mpz_set_si(x, (long)i);
      v = isp_from_i64(R, i);
      if (v == NULL) fz_creation_failed(S, x, "from_i64");
      else fz_put(S, s, v, x);
      break;
    }
    case A_NEW_U64: {
      uint64_t u = fz_u64(in);
      mpz_import(x, 1, 1, sizeof u, 0, 0, &u);
      v = isp_from_u64(R, u);
      if (v == NULL) fz_creation_failed(S, x, "from_u64");
      else fz_put(S, s, v, x);
      break;
    }
    case A_NEW_STR: {
      char buf[32];
      int64_t i = (int64_t)(int16_t)fz_u16(in) * (fz_u8(in) + 1);
      int n = snprintf(buf, sizeof buf, "%lld", (long long)i);
      mpz_set_si(x, (long)i);
      v = isp_from_string(R, buf, (size_t)n, 10);
      if (v == NULL) fz_creation_failed(S, x, "from_string");
      else fz_put(S, s, v, x);
      break;
    }
    case A_NEW_BYTES: {
      size_t n;
      const uint8_t *b = fz_take(in, fz_u8(in) % 48, &n);
      mpz_import(x, n, 1, 1, 0, 0, b);
      v = isp_from_bytes(R, b, n, 0, 0);
      if (v == NULL) fz_creation_failed(S, x, "from_bytes");
      else fz_put(S, s, v, x);
      break;
    }
    case A_RELEASE:
      if (S->slot[s] != NULL) {
        isp_decref(R, S->slot[s]);
        S->slot[s] = NULL;
      }
      break;
    case A_DUP: {
      int t = fz_u8(in) % FZ_SLOTS;
      if (S->slot[s] != NULL && t != s) {
        isp_incref(R, S->slot[s]);
        mpz_set(x, S->val[s]);
        fz_put(S, t, S->slot[s], x);
      }
      break;
    }
    case A_ARITH:
      fz_op_arith(S, in);
      break;
    case A_COLLECT: {
      isp_stats st;
      isp_collect(R);
      isp_get_stats(R, &st);
      if (st.freelist_len != 0)
        fz_fail("step %d: %llu ints on the free list after a collection", S->step,
                (unsigned long long)st.freelist_len);
      break;
    }
    case A_FAIL_AFTER: {
      uint8_t n = fz_u8(in);
      S->failing = n < 200;
      isp_set_fail_alloc_after(R, n < 200 ? (int64_t)(n % 16) : -1);
      break;
    }
    case A_TO_LONG: {
      int t = fz_u8(in) % FZ_SLOTS;
      if (S->slot[s] != NULL) {
        v = isp_to_long(R, S->slot[s]);
        if (v == NULL) fz_creation_failed(S, S->val[s], "to_long");
        else {
          if (strcmp(isp_type_name(R, v), "long") != 0 &&
              strcmp(isp_runtime_profile(R), "cpython2.7") == 0)
            fz_fail("step %d: long(%Zd) has type '%s'", S->step, S->val[s], isp_type_name(R, v));
          mpz_set(x, S->val[s]);
          fz_put(S, t, v, x);
        }
      }
      break;
    }
    case A_CHECK:
      /* checking reads values back, which may allocate: lift the failures */
      S->failing = 0;
      isp_set_fail_alloc_after(R, -1);
      break;
    case A_IMMORTAL:
      fz_op_immortal(S, s);
      break;
    default:
      break;
  }
  mpz_clear(x);
  if (isp_error_type(R) != ISP_OK)
    fz_fail("step %d (op %d) left an error set: %s", S->step, op, fz_errtext(R));
  if (!S->failing) fz_check_all(S);
}

int fz_alloc(const uint8_t *data, size_t size) {
  fz_in in = {data, size};
  uint8_t h = fz_u8(&in);
  fz_state S;
  isp_options o;
  char err[256];
  isp_stats st;
  int i;

  isp_options_init(&o);
  o.profile = fz_profile(h & 7);
  if (h & 8) {
    o.set_small_ints = 1;
    o.small_neg = fz_u16(&in) % 300;
    o.small_pos = fz_u16(&in) % 1100;
  }
  memset(&S, 0, sizeof S);
  S.R = isp_runtime_new(&o, err, sizeof err);
  if (S.R == NULL) fz_fail("isp_runtime_new(%s): %s", o.profile, err);
  isp_small_range(S.R, &S.lo, &S.hi);
  if (h & 8) {
    int64_t want_lo = -o.small_neg, want_hi = o.small_pos - 1;
    if (want_lo <= want_hi && (S.lo != want_lo || S.hi != want_hi))
      fz_fail("small ints {%lld, %lld} give the range [%lld, %lld]", (long long)o.small_neg,
              (long long)o.small_pos, (long long)S.lo, (long long)S.hi);
  }
  for (i = 0; i < FZ_SLOTS; i++) mpz_init(S.val[i]);

  for (S.step = 0; S.step < FZ_MAX_OPS && in.n > 0; S.step++) fz_step(&S, &in);

  /* release everything: nothing uncached may stay alive */
  S.failing = 0;
  isp_set_fail_alloc_after(S.R, -1);
  fz_check_all(&S);
  for (i = 0; i < FZ_SLOTS; i++) {
    if (S.slot[i] != NULL) isp_decref(S.R, S.slot[i]);
    S.slot[i] = NULL;
    mpz_clear(S.val[i]);
  }
  isp_get_stats(S.R, &st);
  if (st.live != 0)
    fz_fail("%llu objects still live with every reference released",
            (unsigned long long)st.live);
  fz_close(S.R, "fz_alloc");
  return 0;
}

#ifdef FZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return fz_alloc(data, size);
}
#endif
