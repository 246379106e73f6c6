/*
** luafuzz.c -- a Lua property as a fuzz target: the libFuzzer interface
** (LLVMFuzzerInitialize, LLVMFuzzerTestOneInput) around luaprop.c.
**
** One object, every engine: linked with clang's libFuzzer it is a libFuzzer
** binary that takes all of libFuzzer's flags; built with afl-clang-fast
** and -fsanitize=fuzzer, AFL++'s driver runs it persistently with the input
** in shared memory; OSS-Fuzz links it with whatever engine it builds.
**
** The property comes from the environment (INTSPECT_PROP=path, which is
** how 'intspect fuzz PROP.lua' starts it) or, built with LF_EMBEDDED, from
** the chunk compiled in (lf_embedded_source, named LF_EMBEDDED_NAME): a
** self-contained binary per property, as OSS-Fuzz wants them.
**
** Lua's line coverage reaches the engine: every line the property runs is
** hashed, with the line before it, into libFuzzer's extra counters and,
** under AFL++, into its shared map.  So the engine sees new Lua paths even
** where the C code below them does not branch on the input at all.
** INTSPECT_LUA_COVERAGE=0 turns that off (the C code's coverage stays).
**
** A finding (failed assertion, unexpected error, leak) is described on
** stderr with the traceback and the decoded arguments, then the process
** aborts so the engine saves the input.  An input too short for the
** property returns -1: libFuzzer keeps it out of the corpus.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luaprop.h"

#ifdef LF_EMBEDDED
#include "lf_embedded.h"     /* lf_embedded_source: the property's text */
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Extra counters: libFuzzer reads every byte of this section after each
** input as coverage of its own. */
#define LF_NCOUNTERS (1u << 14)
__attribute__((section("__libfuzzer_extra_counters"), used))
static uint8_t lf_counters[LF_NCOUNTERS];

/*
** AFL++ (a binary afl-clang-fast built): Lua edges go through the same
** interface as the compiled code's, SanitizerCoverage's guards.  The
** guards are registered before the fork server starts (the driver calls
** LLVMFuzzerInitialize first), so AFL++ gives each a slot of its map.
** (Naming AFL++'s map directly clashes with its compiler pass.)
*/
#ifdef __AFL_COMPILER
#define LF_AFL 1
#define LF_NGUARDS (1u << 12)
void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop);
void __sanitizer_cov_trace_pc_guard(uint32_t *guard);
static uint32_t lf_guards[LF_NGUARDS];
#else
#define LF_AFL 0
#endif

/* The engines call the two entry points without a context: the one
** property of this process lives here. */
static lp_prop *lf_prop;

static void lf_hit(void *ud, uint32_t edge) {
  (void)ud;
  lf_counters[edge % LF_NCOUNTERS]++;
#if LF_AFL
  __sanitizer_cov_trace_pc_guard(&lf_guards[edge % LF_NGUARDS]);
#endif
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  char err[1024];
  const char *cov = getenv("INTSPECT_LUA_COVERAGE");
  (void)argc;
  (void)argv;
#ifdef LF_EMBEDDED
  lf_prop = lp_open(LF_EMBEDDED_NAME, lf_embedded_source, sizeof lf_embedded_source - 1,
                    err, sizeof err);
#else
  {
    const char *path = getenv("INTSPECT_PROP");
    if (path == NULL || *path == '\0') {
      fprintf(stderr, "intspect fuzz: no property: set INTSPECT_PROP to a .lua file, or run "
              "'intspect fuzz PROP.lua'\n");
      exit(2);
    }
    lf_prop = lp_open(path, NULL, 0, err, sizeof err);
  }
#endif
  if (lf_prop == NULL) {
    fprintf(stderr, "intspect fuzz: %s\n", err);
    exit(2);
  }
  if (cov == NULL || strcmp(cov, "0") != 0) {
#if LF_AFL
    __sanitizer_cov_trace_pc_guard_init(lf_guards, lf_guards + LF_NGUARDS);
#endif
    lp_set_coverage(lf_prop, lf_hit, NULL);
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  switch (lp_run(lf_prop, data, size)) {
    case LP_PASS: return 0;
    case LP_SHORT: return -1;
    default: break;
  }
  lp_report(lf_prop, data, size, stderr);
  abort();
}
