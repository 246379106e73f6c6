/*
** fuzzcmd.c -- 'intspect fuzz': fuzzing from the command line.
**
** What is fuzzed is decided by the first argument, through 'fuzz_kinds':
** the first row whose 'matches' accepts it runs.  Today a C fuzz target
** (or 'all') runs a campaign, fuzz/campaign.sh of the source tree this
** executable was built from (ISP_SOURCE_DIR, or $INTSPECT_SOURCE_DIR);
** a Lua property (PROP.lua) goes to fuzzprop.c.  A new kind is a new row.
**
** Exit status: 0 no finding, 1 a finding, 2 usage error or nothing could
** run (the campaign script decides for itself once it runs).
*/
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzzcmd.h"
#include "fuzzprop.h"

#ifndef ISP_SOURCE_DIR
#define ISP_SOURCE_DIR ""
#endif

#define FUZZ_USAGE 2
#define FUZZ_SCRIPT "fuzz/campaign.sh"

typedef struct fuzz_kind {
  const char *what;                        /* for messages */
  int (*matches)(const char *arg);
  /* argv[0] is "fuzz"; 'what' is the argument that chose this row */
  int (*run)(const char *prog, const char *what, int argc, char **argv);
} fuzz_kind;

static int fuzz_ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* ---------------------------------------------------------------- Lua properties */

static int fuzz_is_lua(const char *arg) { return fuzz_ends_with(arg, ".lua"); }

static int fuzz_lua(const char *prog, const char *what, int argc, char **argv) {
  return fp_main(prog, what, argc, argv);
}

/* ---------------------------------------------------------------- C targets */

static int fuzz_any(const char *arg) { (void)arg; return 1; }

/* The source tree: $INTSPECT_SOURCE_DIR, else the one this was built from. */
static const char *fuzz_source_dir(void) {
  const char *env = getenv("INTSPECT_SOURCE_DIR");
  return env != NULL && env[0] != '\0' ? env : ISP_SOURCE_DIR;
}

static int fuzz_campaign(const char *prog, const char *what, int argc, char **argv) {
  char script[PATH_MAX], self[PATH_MAX], progname[256];
  const char *src = fuzz_source_dir();
  char **args;
  ssize_t n;
  int i;
  (void)what;
  if (src[0] == '\0') {
    fprintf(stderr, "%s fuzz: this executable does not know its source tree; "
                    "set INTSPECT_SOURCE_DIR to the intspect checkout\n", prog);
    return FUZZ_USAGE;
  }
  snprintf(script, sizeof script, "%s/%s", src, FUZZ_SCRIPT);
  if (access(script, R_OK) != 0) {
    fprintf(stderr, "%s fuzz: cannot read %s (%s): fuzzing runs from the source tree "
                    "intspect was built from; set INTSPECT_SOURCE_DIR to the checkout\n",
            prog, script, strerror(errno));
    return FUZZ_USAGE;
  }
  /* The script names the command as the user typed it and points at this
  ** executable in the reproduce lines it prints. */
  snprintf(progname, sizeof progname, "%s fuzz", prog);
  setenv("ISP_FUZZ_PROG", progname, 1);
  snprintf(progname, sizeof progname, "%s help fuzz", prog);
  setenv("ISP_FUZZ_HELP", progname, 1);
  n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = '\0';
    setenv("ISP_INTSPECT", self, 1);
  }
  args = calloc((size_t)argc + 2, sizeof *args);
  if (args == NULL) {
    fprintf(stderr, "%s fuzz: out of memory\n", prog);
    return FUZZ_USAGE;
  }
  args[0] = "bash";
  args[1] = script;
  for (i = 1; i < argc; i++) args[i + 1] = argv[i];
  args[argc + 1] = NULL;
  fflush(stdout);
  fflush(stderr);
  execvp("bash", args);
  fprintf(stderr, "%s fuzz: cannot run bash for %s: %s\n", prog, script, strerror(errno));
  free(args);
  return FUZZ_USAGE;
}

/* ---------------------------------------------------------------- dispatch */

static const fuzz_kind fuzz_kinds[] = {
  {"a Lua property", fuzz_is_lua, fuzz_lua},
  {"a C target", fuzz_any, fuzz_campaign},
  {NULL, NULL, NULL}
};

/* Options of the campaign that take the next argument as their value. */
static int fuzz_takes_value(const char *opt) {
  static const char *const with_value[] = {
    "--engine", "--jobs", "-j", "--time", "--sanitizer", "--timeout", "--rss-limit",
    "--findings", "--corpus", "--prebuilt", "--interval", NULL
  };
  int i;
  for (i = 0; with_value[i] != NULL; i++)
    if (strcmp(opt, with_value[i]) == 0) return 1;
  return 0;
}

int isp_fuzz_main(const char *prog, const char *usage, int argc, char **argv) {
  const fuzz_kind *k;
  const char *first = NULL;
  int i;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      fputs(usage, stdout);
      return 0;
    }
  }
  /* The first argument that is neither an option nor an option's value
  ** says what to fuzz. */
  for (i = 1; i < argc && first == NULL; i++) {
    if (argv[i][0] != '-') first = argv[i];
    else if (fuzz_takes_value(argv[i])) i++;
  }
  if (first == NULL) {
    fprintf(stderr, "%s fuzz: missing TARGET (a C fuzz target, or all)\n"
                    "run '%s help fuzz' for usage\n", prog, prog);
    return FUZZ_USAGE;
  }
  for (k = fuzz_kinds; k->what != NULL; k++)
    if (k->matches(first)) return k->run(prog, first, argc, argv);
  return FUZZ_USAGE;
}
