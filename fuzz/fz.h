/*
** fz.h -- shared pieces of the fuzz targets.
**
** Every target is one function 'int fz_<name>(const uint8_t *, size_t)'
** that decodes its input, drives the public API (intspect.h only) and
** checks the results against GMP or an algebraic identity.  A mismatch
** prints both sides and aborts, so the same function serves a fuzzing
** engine and the replay driver.  Targets are deterministic and take and
** give back their runtimes reset: nothing carries over from one input to
** the next.
*/
#ifndef fz_h
#define fz_h

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "intspect.h"
#include "replay.h"

/* The targets. */
int fz_arith(const uint8_t *data, size_t size);
int fz_str(const uint8_t *data, size_t size);
int fz_alloc(const uint8_t *data, size_t size);
int fz_bytes(const uint8_t *data, size_t size);

typedef int (*fz_target_fn)(const uint8_t *data, size_t size);
typedef struct fz_target {
  const char *name;       /* corpus/<name>/, build/fuzz/fuzz_<name> */
  fz_target_fn fn;
} fz_target;
/* The registered targets, ended by a {NULL, NULL} entry. */
extern const fz_target fz_targets[];
const fz_target *fz_target_find(const char *name);


/*
** {======================================================================
** Input decoding: reads past the end give zeros, so every input decodes
** =======================================================================
*/

typedef struct fz_in {
  const uint8_t *p;
  size_t n;
} fz_in;

uint8_t fz_u8(fz_in *in);
uint16_t fz_u16(fz_in *in);
uint64_t fz_u64(fz_in *in);
/* Up to 'want' bytes; *got says how many were left to take. */
const uint8_t *fz_take(fz_in *in, size_t want, size_t *got);

/* }====================================================================== */

/*
** {======================================================================
** Runtimes, values and reports
** =======================================================================
*/

/*
** A function kept out of coverage, alone on the line before its
** definition: it is not inlined (the instrumentation runs after inlining)
** and .clusterfuzzlite/build.sh lists it for AFL++, whose compiler does
** not honour the attribute.  runtime.h's ISP_NO_COVERAGE is the same.
*/
#if defined(__clang__) && __clang_major__ >= 13
#define FZ_NO_COVERAGE __attribute__((no_sanitize("coverage"), noinline))
#else
#define FZ_NO_COVERAGE
#endif

/* Number of profiles, and profile 'i % count' by name. */
size_t fz_nprofiles(void);
const char *fz_profile(unsigned i);
/* The entry of isp_profile_names() named 'name' (a literal, or an entry
** already), so that names compare by address; 'name' if no profile has it. */
const char *fz_profile_named(const char *name);
/* Is R's profile cpython2.7? */
int fz_is27(const isp_runtime *R);
/*
** A runtime of that profile with default options (or with the small-int
** range {small_neg, small_pos}), in exactly the state of a new one; aborts
** on failure.  Runtimes are kept across inputs: give it back with fz_close.
*/
isp_runtime *fz_runtime(const char *profile);
isp_runtime *fz_runtime_small(const char *profile, int64_t small_neg, int64_t small_pos);
/*
** The small-int ranges {NSMALLNEGINTS, NSMALLPOSINTS} targets may ask
** fz_runtime_small for: a few, not any, so that every profile and range is
** a runtime made once, before the first input (LLVMFuzzerInitialize), and
** an input runs the same code whether it is a process's first or not.
*/
#define FZ_NRANGES 5
extern const int64_t fz_small_ranges[FZ_NRANGES][2];
/* Done with R for this input: abort with the list of leaked objects (and
** of cached ints whose refcount moved) if there are any, else reset R for
** the next input. */
void fz_close(isp_runtime *R, const char *what);
/* Close a kept runtime for good (aborts on leaks). */
void fz_close_for_good(isp_runtime *R);

/* v as an mpz, read through isp_to_bytes (aborts if that fails). */
void fz_get(isp_runtime *R, const isp_int *v, mpz_t out);
/* A new reference to the value of x (built with isp_from_bytes + isp_neg);
** NULL with the runtime's error set when an allocation fails. */
isp_int *fz_make(isp_runtime *R, const mpz_t x);

/* Is 'v' the value x? Abort with both sides and 'what' if not. */
void fz_expect_value(isp_runtime *R, const isp_int *v, const mpz_t x, const char *what);
/*
** Check a result object: its value is x, sys.getsizeof follows the
** profile's formula, a value the small-int cache covers is the cached
** object itself, and a mortal object's refcount is 1 + 'other_refs' (the
** references the caller holds to the same object besides this one).
*/
void fz_check_object(isp_runtime *R, isp_int *v, const mpz_t x, unsigned other_refs,
                     const char *what);
/* Abort unless the pending error is 't' (and clear it). */
void fz_expect_error(isp_runtime *R, isp_errtype t, const char *what);

/* Print a message with mpz operands (gmp_vfprintf) and abort. */
void fz_fail(const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((noreturn))
#endif
    ;

/* The runtime's error as "Type: message" into a static buffer. */
const char *fz_errtext(const isp_runtime *R);

/* }====================================================================== */

/*
** Built as a fuzzing-engine binary (libFuzzer, or AFL++ through its
** libFuzzer driver) a target file is compiled with -DFZ_LIBFUZZER and
** then also defines LLVMFuzzerTestOneInput, calling its fz_ function.
*/
#ifdef FZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif

#endif
