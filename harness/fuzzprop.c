/*
** fuzzprop.c -- 'intspect fuzz PROP.lua': fuzzing, and replaying, a
** property written in Lua.
**
** Replaying needs no engine and runs here: a file argument runs that one
** input through the property; 'intspect replay' hands every corpus/lua-NAME/
** directory (and its regressions/) to fp_replay_dir, which runs the inputs
** through fuzz/props/NAME.lua in a child process.
**
** Fuzzing needs an instrumented build, which this executable is not (it is
** built by the system's C compiler, without coverage): it runs the engine
** driver harness/luafuzz.c as .clusterfuzzlite/build.sh builds it with
** clang (build-cflite/out-SANITIZER/intspect_luafuzz, built here first if
** it is missing or older than a source), with the property in
** INTSPECT_PROP.  Every argument this command does not know is libFuzzer's
** (or afl-fuzz's with --engine afl) and passes through unchanged.  The
** defaults: the corpus corpus/lua-NAME/, findings saved in
** corpus/lua-NAME/regressions/ (where replay keeps running them), the
** property's max_len, and -detect_leaks=0 (see fp_libfuzzer).
*/
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzzprop.h"
#include "luaprop.h"

#ifndef ISP_SOURCE_DIR
#define ISP_SOURCE_DIR ""
#endif

#define FP_USAGE 2
#define FP_DEFAULT_MAX_LEN 4096
#define FP_DRIVER "intspect_luafuzz"

/* snprintf for paths and flags: -1 when the text did not fit (the
** compiler cannot prove a bound on paths, and need not) */
static int fp_fmt(char *buf, size_t len, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(buf, len, fmt, ap);
  va_end(ap);
  return n < 0 || (size_t)n >= len ? -1 : 0;
}

static const char *fp_source_dir(void) {
  const char *env = getenv("INTSPECT_SOURCE_DIR");
  return env != NULL && env[0] != '\0' ? env : ISP_SOURCE_DIR;
}

static int fp_is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int fp_mkdirs(const char *path) {
  char buf[PATH_MAX];
  size_t i, n = strlen(path);
  if (n >= sizeof buf) return -1;
  memcpy(buf, path, n + 1);
  for (i = 1; i <= n; i++) {
    if (buf[i] == '/' || buf[i] == '\0') {
      char c = buf[i];
      buf[i] = '\0';
      if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
      buf[i] = c;
    }
  }
  return 0;
}

static unsigned char *fp_read(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  unsigned char *buf = NULL;
  size_t cap = 0, n = 0, got;
  if (f == NULL) return NULL;
  do {
    if (n == cap) {
      unsigned char *p = realloc(buf, cap ? 2 * cap : 4096);
      if (p == NULL) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = p;
      cap = cap ? 2 * cap : 4096;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  fclose(f);
  *len = n;
  return buf;
}


/*
** {======================================================================
** Replaying inputs here, without an engine
** =======================================================================
*/

/* Run one file through P; 0 passed (or too short), 1 failed (reported). */
static int fp_replay_file(lp_prop *P, const char *path, int verbose) {
  size_t len = 0;
  unsigned char *data = fp_read(path, &len);
  lp_outcome r;
  if (data == NULL) {
    fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
    return 1;
  }
  r = lp_run(P, data, len);
  if (r == LP_FAIL) {
    fprintf(stderr, "FAILED %s\n", path);
    lp_report(P, data, len, stderr);
  } else if (verbose) {
    printf("ok %s%s\n", path, r == LP_SHORT ? " (too short for the property)" : "");
  }
  free(data);
  return r == LP_FAIL;
}

static int fp_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of 'dir', sorted; *n of them (NULL when none). */
static char **fp_list(const char *dir, size_t *n) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char **v = NULL;
  size_t cap = 0;
  *n = 0;
  if (d == NULL) return NULL;
  while ((e = readdir(d)) != NULL) {
    char path[PATH_MAX + 256];
    if (e->d_name[0] == '.') continue;
    fp_fmt(path, sizeof path, "%s/%s", dir, e->d_name);
    if (!fp_is_file(path)) continue;
    if (*n == cap) {
      char **p = realloc(v, (cap ? 2 * cap : 32) * sizeof *v);
      if (p == NULL) break;
      v = p;
      cap = cap ? 2 * cap : 32;
    }
    v[*n] = malloc(strlen(path) + 1);
    if (v[*n] == NULL) break;
    strcpy(v[*n], path);
    (*n)++;
  }
  closedir(d);
  if (*n > 1) qsort(v, *n, sizeof *v, fp_cmp);
  return v;
}

/* The property a corpus directory named lua-NAME belongs to. */
static void fp_prop_path(const char *name, char *buf, size_t len) {
  fp_fmt(buf, len, "%s/fuzz/props/%s.lua", fp_source_dir(), name);
}

/*
** The child reports on a pipe, one record per event: "R<path>" before it
** runs a file, then "P<path>" or "F<path>" (each NUL-terminated).  A file
** that was started and never finished is the one the child died on.
*/
static void fp_tell(int fd, char what, const char *path) {
  char rec[PATH_MAX + 2];
  size_t n = (size_t)snprintf(rec, sizeof rec, "%c%s", what, path) + 1;
  if (write(fd, rec, n) < 0) _exit(3);
}

int fp_replay_dir(const char *dir, const char *name, int verbose, size_t *passed,
                  size_t *failed) {
  char prop[PATH_MAX + 64], sub[PATH_MAX + 16], err[1024];
  char **files[2];
  size_t nfiles[2], i, k;
  int fds[2], status, running = 0;
  pid_t pid;
  fp_prop_path(name, prop, sizeof prop);
  fp_fmt(sub, sizeof sub, "%s/regressions", dir);
  files[0] = fp_list(dir, &nfiles[0]);
  files[1] = fp_list(sub, &nfiles[1]);
  if (nfiles[0] + nfiles[1] == 0) return 0;
  if (!fp_is_file(prop)) {
    fprintf(stderr, "FAILED %s: no property %s for it\n", dir, prop);
    *failed += 1;
    return -1;
  }
  if (pipe(fds) != 0) return -1;
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  if (pid == 0) {                       /* the child runs every input */
    lp_prop *P;
    close(fds[0]);
    P = lp_open(prop, NULL, 0, err, sizeof err);
    if (P == NULL) {
      fprintf(stderr, "FAILED %s: %s\n", dir, err);
      _exit(3);
    }
    for (k = 0; k < 2; k++)
      for (i = 0; i < nfiles[k]; i++) {
        fp_tell(fds[1], 'R', files[k][i]);
        fp_tell(fds[1], fp_replay_file(P, files[k][i], verbose) ? 'F' : 'P', files[k][i]);
      }
    lp_close(P);
    fflush(stdout);
    _exit(0);
  }
  close(fds[1]);
  {
    char buf[2 * PATH_MAX + 4], last[PATH_MAX] = "";
    size_t have = 0;
    ssize_t got;
    while ((got = read(fds[0], buf + have, sizeof buf - have)) > 0) {
      size_t start = 0, j;
      have += (size_t)got;
      for (j = 0; j < have; j++)
        if (buf[j] == '\0') {
          char what = buf[start];
          if (what == 'R') {
            fp_fmt(last, sizeof last, "%s", buf + start + 1);
            running = 1;
          } else {
            running = 0;
            if (what == 'P') *passed += 1;
            else *failed += 1;
          }
          start = j + 1;
        }
      memmove(buf, buf + start, have - start);
      have -= start;
    }
    close(fds[0]);
    if (pid < 0 || waitpid(pid, &status, 0) < 0) return -1;
    if (running || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      if (WIFSIGNALED(status))
        fprintf(stderr, "FAILED %s (the replay died: %s)\n", running ? last : dir,
                strsignal(WTERMSIG(status)));
      *failed += 1;
    }
  }
  for (k = 0; k < 2; k++) {
    for (i = 0; i < nfiles[k]; i++) free(files[k][i]);
    free(files[k]);
  }
  return 0;
}

/* }====================================================================== */


/*
** {======================================================================
** Fuzzing through the engine driver
** =======================================================================
*/

static int fp_has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Is the driver older than any source it is built from? */
static int fp_stale(const char *driver, const char *src) {
  static const char *const dirs[] = {"runtime", "harness", NULL};
  struct stat st, sst;
  int i;
  if (stat(driver, &st) != 0) return 1;
  for (i = 0; dirs[i] != NULL; i++) {
    char dir[PATH_MAX];
    DIR *d;
    struct dirent *e;
    fp_fmt(dir, sizeof dir, "%s/%s", src, dirs[i]);
    d = opendir(dir);
    if (d == NULL) continue;
    while ((e = readdir(d)) != NULL) {
      char path[PATH_MAX + 256];
      if (!fp_has_suffix(e->d_name, ".c") && !fp_has_suffix(e->d_name, ".h") &&
          !fp_has_suffix(e->d_name, ".lua"))
        continue;
      fp_fmt(path, sizeof path, "%s/%s", dir, e->d_name);
      if (stat(path, &sst) == 0 && sst.st_mtime > st.st_mtime) {
        closedir(d);
        return 1;
      }
    }
    closedir(d);
  }
  return 0;
}

static int fp_run_wait(char *const *args) {
  int status;
  pid_t pid;
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  if (pid == 0) {
    execvp(args[0], args);
    fprintf(stderr, "cannot run %s: %s\n", args[0], strerror(errno));
    _exit(127);
  }
  if (pid < 0 || waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The driver for 'sanitizer' (and AFL++ when afl), built if needed. */
static int fp_driver(const char *prog, const char *sanitizer, int afl, char *out, size_t len) {
  const char *src = fp_source_dir();
  char outdir[PATH_MAX], script[PATH_MAX], log[PATH_MAX];
  char *args[4];
  if (src[0] == '\0') {
    fprintf(stderr, "%s fuzz: this executable does not know its source tree; set "
                    "INTSPECT_SOURCE_DIR to the intspect checkout\n", prog);
    return -1;
  }
  fp_fmt(outdir, sizeof outdir, "%s/build-cflite/%s-%s", src, afl ? "afl" : "out", sanitizer);
  fp_fmt(out, len, "%s/%s", outdir, FP_DRIVER);
  if (!fp_stale(out, src)) return 0;
  if (fp_run_wait((char *[]){"sh", "-c", afl ? "command -v afl-clang-fast >/dev/null"
                                           : "command -v clang >/dev/null", NULL}) != 0) {
    if (afl)
      fprintf(stderr, "%s fuzz: AFL++ is not installed; install it with 'apt-get install "
                      "afl++' (Debian's package), or use the default engine, libFuzzer\n", prog);
    else
      fprintf(stderr, "%s fuzz: fuzzing a Lua property needs clang's libFuzzer, which is "
                      "missing; install it with 'apt-get install clang libclang-rt-dev'\n", prog);
    return -1;
  }
  fp_fmt(script, sizeof script, "%s/.clusterfuzzlite/build.sh", src);
  fp_fmt(log, sizeof log, "%s/build-cflite/build-%s%s.log", src, afl ? "afl-" : "", sanitizer);
  fp_mkdirs(outdir);
  fprintf(stderr, "%s fuzz: building the fuzzing driver (%s%s) into %s; log in %s\n", prog,
          afl ? "AFL++, " : "", sanitizer, outdir, log);
  setenv("SANITIZER", sanitizer, 1);
  setenv("OUT", outdir, 1);
  if (afl) {
    setenv("CC", "afl-clang-fast", 1);
    setenv("CXX", "afl-clang-fast++", 1);
  }
  {
    char cmd[3 * PATH_MAX];
    fp_fmt(cmd, sizeof cmd, "bash '%s' >'%s' 2>&1", script, log);
    args[0] = "sh";
    args[1] = "-c";
    args[2] = cmd;
    args[3] = NULL;
    if (fp_run_wait(args) != 0 || !fp_is_file(out)) {
      fprintf(stderr, "%s fuzz: building the driver failed; see %s\n", prog, log);
      return -1;
    }
  }
  unsetenv("OUT");
  unsetenv("SANITIZER");
  unsetenv("CC");
  unsetenv("CXX");
  return 0;
}

static int fp_has_flag(int argc, char **argv, const char *flag) {
  int i;
  size_t n = strlen(flag);
  for (i = 0; i < argc; i++)
    if (strncmp(argv[i], flag, n) == 0 && (argv[i][n] == '=' || argv[i][n] == '\0')) return 1;
  return 0;
}

/* The command with its two argument arrays, which fp_main owns: PASS gets
** the arguments passed through, ARGS the engine's command line. */
static int fp_command(const char *prog, const char *propfile, int argc, char **argv,
                      char **pass, char **args) {
  const char *sanitizer = "address", *engine = "libfuzzer";
  char err[1024], absprop[PATH_MAX], driver[PATH_MAX], corpus[PATH_MAX], found[PATH_MAX + 16];
  char name[128];
  char flagbuf[2][PATH_MAX + 64];
  int npass = 0, nfiles = 0, ndirs = 0, luacov = 1, i, n;
  lp_prop *P;
  size_t max_len;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a == propfile) continue;
    if (strcmp(a, "--engine") == 0 && i + 1 < argc) engine = argv[++i];
    else if (strncmp(a, "--engine=", 9) == 0) engine = a + 9;
    else if (strcmp(a, "--sanitizer") == 0 && i + 1 < argc) sanitizer = argv[++i];
    else if (strncmp(a, "--sanitizer=", 12) == 0) sanitizer = a + 12;
    else if (strcmp(a, "--no-lua-coverage") == 0) luacov = 0;
    else {
      if (a[0] != '-') {
        if (fp_is_file(a)) nfiles++;
        else ndirs++;
      }
      pass[npass++] = argv[i];
    }
  }
  if (strcmp(engine, "libfuzzer") != 0 && strcmp(engine, "afl") != 0) {
    fprintf(stderr, "%s fuzz: unknown engine '%s' (expected libfuzzer or afl)\n", prog, engine);
    return FP_USAGE;
  }
  if (strcmp(sanitizer, "address") != 0 && strcmp(sanitizer, "undefined") != 0 &&
      strcmp(sanitizer, "none") != 0) {
    fprintf(stderr, "%s fuzz: unknown sanitizer '%s' (expected address, undefined or none)\n",
            prog, sanitizer);
    return FP_USAGE;
  }
  if (!fp_is_file(propfile)) {
    fprintf(stderr, "%s fuzz: %s: no such property file\n", prog, propfile);
    return FP_USAGE;
  }
  /* load it here first: a mistake in the file is reported plainly */
  P = lp_open(propfile, NULL, 0, err, sizeof err);
  if (P == NULL) {
    fprintf(stderr, "%s fuzz: %s\n", prog, err);
    return FP_USAGE;
  }
  if (nfiles > 0 && ndirs == 0) {                 /* replay these inputs */
    int bad = 0;
    for (i = 0; i < npass; i++)
      if (pass[i][0] != '-') bad |= fp_replay_file(P, pass[i], 1);
    lp_close(P);
    return bad ? 1 : 0;
  }
  max_len = lp_max_len(P) ? lp_max_len(P) : FP_DEFAULT_MAX_LEN;
  fp_fmt(name, sizeof name, "%s", lp_name(P));
  fp_fmt(corpus, sizeof corpus, "corpus/lua-%s", name);
  fp_fmt(found, sizeof found, "%s/regressions/", corpus);
  lp_close(P);
  if (realpath(propfile, absprop) == NULL) fp_fmt(absprop, sizeof absprop, "%s", propfile);
  if (fp_driver(prog, sanitizer, strcmp(engine, "afl") == 0, driver, sizeof driver) != 0)
    return FP_USAGE;
  setenv("INTSPECT_PROP", absprop, 1);
  if (!luacov) setenv("INTSPECT_LUA_COVERAGE", "0", 1);
  n = 0;
  if (strcmp(engine, "afl") == 0) {
    char outdir[PATH_MAX];
    if (ndirs == 0) {
      if (fp_mkdirs(corpus) != 0) return FP_USAGE;
    }
    fp_fmt(outdir, sizeof outdir, "%s/build-cflite/afl-findings-%s", fp_source_dir(), name);
    setenv("AFL_SKIP_CPUFREQ", "1", 1);
    setenv("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1", 1);
    setenv("AFL_NO_AFFINITY", "1", 1);
    setenv("AFL_AUTORESUME", "1", 1);
    args[n++] = "afl-fuzz";
    args[n++] = "-i";
    args[n++] = ndirs ? pass[0] : corpus;
    args[n++] = "-o";
    args[n++] = outdir;
    for (i = 0; i < npass; i++)
      if (pass[i][0] == '-') args[n++] = pass[i];
    args[n++] = "--";
    args[n++] = driver;
    args[n] = NULL;
    fprintf(stderr, "%s fuzz: AFL++ on %s; findings in %s/default/crashes/\n", prog, absprop,
            outdir);
    execvp(args[0], args);
    fprintf(stderr, "%s fuzz: cannot run afl-fuzz: %s\n", prog, strerror(errno));
    return FP_USAGE;
  }
  args[n++] = driver;
  /* Lua's collector frees an input's objects during later inputs, which
  ** libFuzzer's per-input leak check would report (and slows every input
  ** to a crawl checking); the runtime's own leaks are what matters, and
  ** the reset after every input finds those */
  if (!fp_has_flag(npass, pass, "-detect_leaks")) args[n++] = "-detect_leaks=0";
  /* the command's exit status: 1 for a finding, as the C campaigns */
  if (!fp_has_flag(npass, pass, "-error_exitcode")) args[n++] = "-error_exitcode=1";
  if (!fp_has_flag(npass, pass, "-timeout_exitcode")) args[n++] = "-timeout_exitcode=1";
  if (!fp_has_flag(npass, pass, "-max_len")) {
    fp_fmt(flagbuf[0], sizeof flagbuf[0], "-max_len=%zu", max_len);
    args[n++] = flagbuf[0];
  }
  if (!fp_has_flag(npass, pass, "-artifact_prefix") &&
      !fp_has_flag(npass, pass, "-exact_artifact_path")) {
    if (fp_mkdirs(found) != 0) {
      fprintf(stderr, "%s fuzz: cannot create %s: %s\n", prog, found, strerror(errno));
      return FP_USAGE;
    }
    fp_fmt(flagbuf[1], sizeof flagbuf[1], "-artifact_prefix=%s", found);
    args[n++] = flagbuf[1];
  }
  for (i = 0; i < npass; i++) args[n++] = pass[i];
  if (ndirs == 0 && nfiles == 0) {
    if (fp_mkdirs(corpus) != 0) {
      fprintf(stderr, "%s fuzz: cannot create %s: %s\n", prog, corpus, strerror(errno));
      return FP_USAGE;
    }
    args[n++] = corpus;
  }
  args[n] = NULL;
  fflush(stdout);
  fflush(stderr);
  execv(driver, args);
  fprintf(stderr, "%s fuzz: cannot run %s: %s\n", prog, driver, strerror(errno));
  return FP_USAGE;
}

int fp_main(const char *prog, const char *propfile, int argc, char **argv) {
  char **pass = calloc((size_t)argc + 1, sizeof *pass);
  char **args = calloc((size_t)argc + 16, sizeof *args);
  int status = FP_USAGE;
  if (pass != NULL && args != NULL)
    status = fp_command(prog, propfile, argc, argv, pass, args);
  else
    fprintf(stderr, "%s fuzz: out of memory\n", prog);
  free(pass);
  free(args);
  return status;
}

/* }====================================================================== */
