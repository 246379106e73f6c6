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

/* AFL++'s coverage map, present only in binaries afl-clang-fast links. */
extern unsigned char *__afl_area_ptr __attribute__((weak));
extern unsigned int __afl_map_size __attribute__((weak));

/* The engines call the two entry points without a context: the one
** property of this process lives here. */
static lp_prop *lf_prop;

static void lf_hit(void *ud, uint32_t edge) {
  (void)ud;
  lf_counters[edge % LF_NCOUNTERS]++;
  if (&__afl_area_ptr != NULL && __afl_area_ptr != NULL) {
    unsigned int size = &__afl_map_size != NULL && __afl_map_size ? __afl_map_size : 65536;
    __afl_area_ptr[edge % size]++;
  }
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
  if (cov == NULL || strcmp(cov, "0") != 0) lp_set_coverage(lf_prop, lf_hit, NULL);
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
