/*
** fz_common.c -- input decoding, runtimes and value transfer for the
** fuzz targets.
**
** Values cross between the runtime and GMP as bytes (isp_to_bytes /
** isp_from_bytes against mpz_export / mpz_import), a path fz_bytes checks
** on its own, so that the arithmetic targets do not depend on the string
** conversions.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

/*
** {======================================================================
** Input decoding
** =======================================================================
*/

uint8_t fz_u8(fz_in *in) {
  uint8_t b;
  if (in->n == 0) return 0;
  b = in->p[0];
  in->p++;
  in->n--;
  return b;
}

uint16_t fz_u16(fz_in *in) {
  uint16_t hi = fz_u8(in);
  return (uint16_t)((hi << 8) | fz_u8(in));
}

uint64_t fz_u64(fz_in *in) {
  uint64_t v = 0;
  int i;
  for (i = 0; i < 8; i++) v = (v << 8) | fz_u8(in);
  return v;
}

const uint8_t *fz_take(fz_in *in, size_t want, size_t *got) {
  const uint8_t *p = in->p;
  if (want > in->n) want = in->n;
  in->p += want;
  in->n -= want;
  *got = want;
  return p;
}

/* }====================================================================== */

/*
** {======================================================================
** Reports
** =======================================================================
*/

void fz_fail(const char *fmt, ...) {
  va_list ap;
  fflush(stdout);
  fputs("intspect fuzz: MISMATCH: ", stderr);
  va_start(ap, fmt);
  gmp_vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  fflush(stderr);
  abort();
}

const char *fz_errtext(const isp_runtime *R) {
  static char buf[600];
  snprintf(buf, sizeof buf, "%s: %s", isp_errtype_name(isp_error_type(R)),
           isp_error_message(R));
  return buf;
}

void fz_expect_error(isp_runtime *R, isp_errtype t, const char *what) {
  if (isp_error_type(R) != t)
    fz_fail("%s: expected %s, got '%s'", what, isp_errtype_name(t), fz_errtext(R));
  /* every exception but a bare MemoryError says what went wrong */
  if (t != ISP_MEMORY_ERROR && isp_error_message(R)[0] == '\0')
    fz_fail("%s: %s with an empty message", what, isp_errtype_name(t));
  isp_error_clear(R);
}

/* }====================================================================== */

/*
** {======================================================================
** Runtimes
** =======================================================================
*/

size_t fz_nprofiles(void) {
  const char *const *names = isp_profile_names();
  size_t n = 0;
  while (names[n] != NULL) n++;
  return n;
}

const char *fz_profile(unsigned i) {
  return isp_profile_names()[i % fz_nprofiles()];
}

/*
** Runtimes are kept across inputs, one per profile and small-int range:
** making one fills its small-int cache (262 objects, or up to a few
** thousand with a chosen range), which cost more than a typical input.
** fz_close proves a runtime clean and resets it to exactly its state when
** new (isp_runtime_reset), so an input sees the same runtime whether it
** runs first or millionth, and AFL++'s stability stays whole.  With
** ISP_FUZZ_FRESH=1 in the environment every input gets a new runtime
** instead, to measure what the reuse saves.
*/
#define FZ_KEPT 32

typedef struct fz_kept {
  const char *profile;          /* one of isp_profile_names(), NULL: unused */
  int set_small;
  int64_t neg, pos;
  isp_runtime *R;
  int in_use;
  uint64_t last_use;
} fz_kept;

static fz_kept fz_kept_runtimes[FZ_KEPT];
static uint64_t fz_clock;

static int fz_fresh_mode(void) {
  static int mode = -1;
  if (mode < 0) {
    const char *e = getenv("ISP_FUZZ_FRESH");
    mode = e != NULL && e[0] == '1';
  }
  return mode;
}

static isp_runtime *fz_new_runtime(const char *profile, int set_small, int64_t neg,
                                   int64_t pos) {
  isp_options o;
  isp_runtime *R;
  char err[256];
  isp_options_init(&o);
  o.profile = profile;
  o.set_small_ints = set_small;
  o.small_neg = neg;
  o.small_pos = pos;
  R = isp_runtime_new(&o, err, sizeof err);
  if (R == NULL) fz_fail("isp_runtime_new(%s, small_ints {%lld, %lld}): %s", profile,
                         (long long)neg, (long long)pos, err);
  return R;
}

/*
** Profile names are compared by address: isp_runtime_profile returns the
** entry of isp_profile_names(), and the targets pass those entries.  A
** strcmp per kept runtime and per check cost a tenth of a small input's
** time, as libFuzzer hooks every strcmp that differs to mine it for its
** dictionary.  A name that is not an entry (a literal) is looked up by
** strcmp once and then remembered by its address.  Out of coverage: a
** literal's first lookup differs from its later ones.
*/
#define FZ_NAMED 16
FZ_NO_COVERAGE
const char *fz_profile_named(const char *name) {
  static const char *literal[FZ_NAMED], *entry[FZ_NAMED];
  static size_t nnamed;
  const char *const *names = isp_profile_names();
  size_t i;
  for (i = 0; names[i] != NULL; i++)
    if (names[i] == name) return name;
  for (i = 0; i < nnamed; i++)
    if (literal[i] == name) return entry[i];
  for (i = 0; names[i] != NULL; i++) {
    if (strcmp(names[i], name) != 0) continue;
    if (nnamed < FZ_NAMED) {
      literal[nnamed] = name;
      entry[nnamed++] = names[i];
    }
    return names[i];
  }
  return name;                  /* not a profile: isp_runtime_new says so */
}

int fz_is27(const isp_runtime *R) {
  return isp_runtime_profile(R) == fz_profile_named("cpython2.7");
}

static isp_runtime *fz_get_runtime(const char *profile, int set_small, int64_t neg,
                                   int64_t pos) {
  fz_kept *k, *victim = NULL;
  size_t i;
  if (fz_fresh_mode()) return fz_new_runtime(profile, set_small, neg, pos);
  profile = fz_profile_named(profile);
  fz_clock++;
  for (i = 0; i < FZ_KEPT; i++) {
    k = &fz_kept_runtimes[i];
    if (k->R != NULL && !k->in_use && k->profile == profile &&
        k->set_small == set_small && (!set_small || (k->neg == neg && k->pos == pos))) {
      k->in_use = 1;
      k->last_use = fz_clock;
      return k->R;
    }
    if (!k->in_use && (victim == NULL || k->R == NULL ||
                       (victim->R != NULL && k->last_use < victim->last_use)))
      victim = k;
  }
  if (victim == NULL) fz_fail("more than %d runtimes open at once", FZ_KEPT);
  if (victim->R != NULL) fz_close_for_good(victim->R);
  victim->R = fz_new_runtime(profile, set_small, neg, pos);
  victim->profile = profile;
  victim->set_small = set_small;
  victim->neg = neg;
  victim->pos = pos;
  victim->in_use = 1;
  victim->last_use = fz_clock;
  return victim->R;
}

isp_runtime *fz_runtime(const char *profile) {
  return fz_get_runtime(profile, 0, 0, 0);
}

/* {0, 0} none, {0, 1} only 0, {0, 41} one full 2.7 block, {6, 258} one
** more each side, {299, 1025} wide */
const int64_t fz_small_ranges[FZ_NRANGES][2] = {
  {0, 0}, {0, 1}, {0, 41}, {6, 258}, {299, 1025}
};

/*
** Engines call this once, before the first input.  The kept runtime of
** every profile, and of every profile and range of fz_small_ranges, is
** made here rather than by the first input that asks for it, so the first input of a process runs the same code as every later
** one (AFL++ counts the difference as instability, and a fork server
** starts a new process every few thousand inputs).  The replay driver
** never calls it; it only makes its first inputs a little slower.
*/
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  size_t i, r;
  (void)argc;
  (void)argv;
  for (i = 0; i < fz_nprofiles(); i++) {
    const char *p = fz_profile((unsigned)i);
    fz_close(fz_runtime(p), "start-up");
    for (r = 0; r < FZ_NRANGES; r++)
      fz_close(fz_runtime_small(p, fz_small_ranges[r][0], fz_small_ranges[r][1]), "start-up");
  }
  return 0;
}

isp_runtime *fz_runtime_small(const char *profile, int64_t small_neg, int64_t small_pos) {
  return fz_get_runtime(profile, 1, small_neg, small_pos);
}

static void fz_print_leak(void *ud, const isp_leak *leak) {
  fprintf(stderr, "  leaked %s: id 0x%llx refcount %llu value %s\n",
          (const char *)ud, (unsigned long long)leak->id,
          (unsigned long long)leak->refcount, leak->value);
}

void fz_close_for_good(isp_runtime *R) {
  size_t leaks = isp_runtime_close(R, fz_print_leak, (void *)"at close");
  if (leaks != 0) fz_fail("%zu object(s) leaked at close", leaks);
}

void fz_close(isp_runtime *R, const char *what) {
  size_t i, leaks;
  int kept = 0;
  for (i = 0; i < FZ_KEPT; i++) kept |= fz_kept_runtimes[i].R == R;
  if (fz_fresh_mode() || !kept) {       /* not one of ours: made by the caller */
    leaks = isp_runtime_close(R, fz_print_leak, (void *)what);
    if (leaks != 0) fz_fail("%s: %zu object(s) leaked at close", what, leaks);
    return;
  }
  leaks = isp_runtime_reset(R, fz_print_leak, (void *)what);
  if (leaks != 0)
    fz_fail("%s under %s: %zu object(s) alive at the end of the input, or cached ints "
            "whose refcount moved", what, isp_runtime_profile(R), leaks);
  for (i = 0; i < FZ_KEPT; i++)
    if (fz_kept_runtimes[i].R == R) fz_kept_runtimes[i].in_use = 0;
}

/* }====================================================================== */

/*
** {======================================================================
** Values between the runtime and GMP
** =======================================================================
*/

void fz_get(isp_runtime *R, const isp_int *v, mpz_t out) {
  int64_t bits = isp_bit_length(R, v);
  int64_t len = bits / 8 + 1;            /* room for the sign bit */
  uint8_t stackbuf[256];
  uint8_t *buf = stackbuf;
  if (bits < 0) fz_fail("bit_length returned %lld", (long long)bits);
  if ((size_t)len > sizeof stackbuf) {
    buf = malloc((size_t)len);
    if (buf == NULL) abort();
  }
  if (isp_to_bytes(R, v, len, 1, 1, buf) != 0)
    fz_fail("to_bytes(%lld, little, signed) of a %lld-bit int failed: %s",
            (long long)len, (long long)bits, fz_errtext(R));
  mpz_import(out, (size_t)len, -1, 1, 0, 0, buf);
  if (buf[len - 1] & 0x80) {             /* two's complement */
    mpz_t p;
    mpz_init(p);
    mpz_setbit(p, (mp_bitcnt_t)(8 * len));
    mpz_sub(out, out, p);
    mpz_clear(p);
  }
  if (buf != stackbuf) free(buf);
}

isp_int *fz_make(isp_runtime *R, const mpz_t x) {
  size_t count = 0;
  uint8_t *mag = mpz_export(NULL, &count, 1, 1, 0, 0, x);
  isp_int *v = isp_from_bytes(R, mag, count, 0, 0);
  void (*freefn)(void *, size_t);
  mp_get_memory_functions(NULL, NULL, &freefn);
  if (mag != NULL) freefn(mag, count);
  if (v != NULL && mpz_sgn(x) < 0) {
    isp_int *n = isp_neg(R, v);
    isp_decref(R, v);
    v = n;
  }
  return v;
}

void fz_expect_value(isp_runtime *R, const isp_int *v, const mpz_t x, const char *what) {
  mpz_t got;
  mpz_init(got);
  fz_get(R, v, got);
  if (mpz_cmp(got, x) != 0)
    fz_fail("%s under %s:\n  intspect: %Zd\n  GMP:      %Zd", what,
            isp_runtime_profile(R), got, x);
  mpz_clear(got);
}

/* Digits of 30 bits |x| needs (0 for zero). */
static size_t fz_ndigits30(const mpz_t x) {
  return mpz_sgn(x) == 0 ? 0 : (mpz_sizeinbase(x, 2) + 29) / 30;
}

void fz_check_object(isp_runtime *R, isp_int *v, const mpz_t x, unsigned other_refs,
                     const char *what) {
  const char *type = isp_type_name(R, v);
  int is27 = fz_is27(R);
  if (isp_id(v) != (uintptr_t)v)          /* id() is the address, as in CPython */
    fz_fail("%s: id 0x%llx is not the object's address %p", what,
            (unsigned long long)isp_id(v), (void *)v);
  int is_int = strcmp(type, "int") == 0;
  size_t nd = fz_ndigits30(x), want, got;
  int64_t lo, hi;
  fz_expect_value(R, v, x, what);
  /* sys.getsizeof */
  if (is27) {
    if (is_int && !mpz_fits_slong_p(x))
      fz_fail("%s under cpython2.7: an 'int' holds %Zd, outside a C long", what, x);
    want = is_int ? 24 : 24 + 4 * nd;
  } else {
    if (!is_int) fz_fail("%s: type '%s' under %s", what, type, isp_runtime_profile(R));
    want = 24 + 4 * (nd ? nd : 1);
  }
  got = isp_sizeof(R, v);
  if (got != want)
    fz_fail("%s under %s: sizeof(%Zd) as '%s' is %zu, want %zu", what,
            isp_runtime_profile(R), x, type, got, want);
  /* the small-int cache: a covered value is always the cached object */
  isp_small_range(R, &lo, &hi);
  if (is_int && lo <= hi && mpz_cmp_si(x, (long)lo) >= 0 && mpz_cmp_si(x, (long)hi) <= 0) {
    isp_int *c = isp_from_i64(R, (int64_t)mpz_get_si(x));
    if (c == NULL) fz_fail("%s: from_i64(%Zd) failed: %s", what, x, fz_errtext(R));
    isp_decref(R, c);
    if (c != v)
      fz_fail("%s under %s: result %Zd is not the cached object (0x%llx vs 0x%llx)",
              what, isp_runtime_profile(R), x, (unsigned long long)isp_id(v),
              (unsigned long long)isp_id(c));
    if (!isp_is_immortal(R, v) && isp_refcount(R, v) < 2 + (uint64_t)other_refs)
      fz_fail("%s: cached %Zd has refcount %llu, the cache's and ours need %u",
              what, x, (unsigned long long)isp_refcount(R, v), 2 + other_refs);
  } else {
    if (isp_is_immortal(R, v))
      fz_fail("%s under %s: fresh result %Zd is immortal", what,
              isp_runtime_profile(R), x);
    if (isp_refcount(R, v) != 1 + (uint64_t)other_refs)
      fz_fail("%s under %s: fresh result %Zd has refcount %llu, want %u", what,
              isp_runtime_profile(R), x, (unsigned long long)isp_refcount(R, v),
              1 + other_refs);
  }
}

/* }====================================================================== */
