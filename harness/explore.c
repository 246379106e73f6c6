/*
** explore.c -- `intspect explore`: the small-int cache range experiment.
**
** Seed 002 patched CPython to count creations per value, rebuilt it once
** per cache range and compared benchmark runs.  Here every range is a
** runtime option, so one command does it:
**   1. each workload (a Lua script modelled on a real program) runs once
**      under the profile's own range with the creation histogram on and
**      a recorder attached (trace.h): its live counts and its trace;
**   2. the trace is replayed once under the same options, and its counts
**      must equal the live run's, or the workload is reported as failed;
**   3. the trace is replayed once per range to count (requests, cache
**      hits, allocations, peaks) with nothing timed;
**   4. the traces are replayed under every range, ranges interleaved and
**      their order rotated, --repeat times, timing the runtime's creation
**      (start-up) apart from the replay (steady state);
**   5. exreport.c writes the CSV files, the plots and report.md.
** With --counts FILE, a histogram from elsewhere replaces steps 1-4
** (only the start-up of each range is still measured).
**
** Usage errors (exit 2) are found before anything runs; a workload that
** fails is reported with its error and the others still are (exit 1).
*/
/* sched_setaffinity and sched_getcpu (GNU) pin the timing to one CPU */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "explore.h"
#include "lintspect.h"

#ifndef ISP_SOURCE_DIR
#define ISP_SOURCE_DIR ""
#endif

#define EX_USAGE 2
#define EX_DEFAULT_RANGES "0:0,5:257,5:513,1000:1001,1000000:1000001"
#define EX_DEFAULT_OUT "explore-out"
#define EX_DEFAULT_REPEAT 10
#define EX_MAX_RANGES 32
#define EX_MAX_REPEAT 1000
/* the runtime's own bound on each side of the cache */
#define EX_MAX_SIDE ((int64_t)1 << 24)
/* one counter per value and workload: a bound that keeps that small */
#define EX_MAX_HIST_VALUES ((int64_t)4000001)

/* What one invocation needs besides the run itself. */
typedef struct ex_ctx {
  const char *prog;
  const char *usage;
  ex_run run;
  const char **names;           /* the workload arguments */
  size_t nnames;
  int tty;                      /* stderr is a terminal: one rewritten progress line */
  double t0;                    /* start of the command */
  double last_progress;
} ex_ctx;


/*
** {======================================================================
** Small helpers
** =======================================================================
*/

static double ex_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int ex_usage_error(ex_ctx *x, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "%s explore: ", x->prog);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nrun '%s help explore' for usage\n", x->prog);
  return EX_USAGE;
}

static char *ex_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = (char *)malloc(n);
  if (d != NULL) memcpy(d, s, n);
  return d;
}

/* A whole decimal integer in [lo, hi]; 0 when s is anything else. */
static int ex_parse_i64(const char *s, size_t len, int64_t lo, int64_t hi, int64_t *out) {
  char buf[32];
  char *end;
  long long v;
  if (len == 0 || len >= sizeof buf) return 0;
  memcpy(buf, s, len);
  buf[len] = '\0';
  if (!(buf[0] == '-' || buf[0] == '+' || (buf[0] >= '0' && buf[0] <= '9'))) return 0;
  errno = 0;
  v = strtoll(buf, &end, 10);
  if (errno != 0 || *end != '\0' || v < lo || v > hi) return 0;
  *out = (int64_t)v;
  return 1;
}

static void ex_range_set(ex_range *r, int64_t neg, int64_t pos) {
  memset(r, 0, sizeof *r);
  r->neg = neg;
  r->pos = pos;
  r->lo = -neg;
  r->hi = pos - 1;
  if (r->lo > r->hi) snprintf(r->label, sizeof r->label, "off");
  else snprintf(r->label, sizeof r->label, "%lld..%lld", (long long)r->lo, (long long)r->hi);
}

static void ex_options(const ex_run *run, const ex_range *r, int hist, isp_options *o) {
  isp_options_init(o);
  o->profile = run->profile;
  if (r != NULL) {
    o->set_small_ints = 1;
    o->small_neg = r->neg;
    o->small_pos = r->pos;
  }
  if (hist) {
    o->set_histogram = 1;
    o->hist_lo = run->hist_lo;
    o->hist_hi = run->hist_hi;
  }
}

/* }====================================================================== */


/*
** {======================================================================
** The command line
** =======================================================================
*/

/* "N:M[,N:M...]" into run->ranges. */
static int ex_parse_ranges(ex_ctx *x, const char *list) {
  const char *p = list;
  ex_range *r = (ex_range *)calloc(EX_MAX_RANGES + 1, sizeof *r);
  size_t n = 0;
  if (r == NULL) return ex_usage_error(x, "out of memory");
  x->run.ranges = r;
  for (;;) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    const char *colon = memchr(p, ':', len);
    int64_t neg, pos;
    if (colon == NULL ||
        !ex_parse_i64(p, (size_t)(colon - p), 0, EX_MAX_SIDE, &neg) ||
        !ex_parse_i64(colon + 1, len - (size_t)(colon - p) - 1, 0, EX_MAX_SIDE, &pos))
      return ex_usage_error(x, "bad range '%.*s' in --ranges: expected NSMALLNEGINTS:NSMALLPOSINTS, "
                               "two counts from 0 to %lld (5:257 caches -5..256, 0:0 none)",
                            (int)(len > 200 ? 200 : len), p, (long long)EX_MAX_SIDE);
    if (n == EX_MAX_RANGES)
      return ex_usage_error(x, "too many ranges in --ranges (at most %d)", EX_MAX_RANGES);
    ex_range_set(&r[n++], neg, pos);
    if (comma == NULL) break;
    p = comma + 1;
  }
  x->run.nranges = n;
  return 0;
}

static int ex_parse_hist(ex_ctx *x, const char *s) {
  const char *colon = strchr(s + (s[0] == '-' ? 1 : 0), ':');
  int64_t lo, hi;
  if (colon == NULL ||
      !ex_parse_i64(s, (size_t)(colon - s), INT64_MIN / 4, INT64_MAX / 4, &lo) ||
      !ex_parse_i64(colon + 1, strlen(colon + 1), INT64_MIN / 4, INT64_MAX / 4, &hi))
    return ex_usage_error(x, "bad --hist '%.200s': expected LO:HI, two integers (e.g. -1000:1000)", s);
  if (lo > hi)
    return ex_usage_error(x, "bad --hist '%.200s': LO must not exceed HI", s);
  if (hi - lo + 1 > EX_MAX_HIST_VALUES)
    return ex_usage_error(x, "bad --hist '%.200s': at most %lld values", s,
                          (long long)EX_MAX_HIST_VALUES);
  x->run.hist_lo = lo;
  x->run.hist_hi = hi;
  return 0;
}

static int ex_known_profile(const char *name) {
  const char *const *p;
  for (p = isp_profile_names(); *p != NULL; p++)
    if (strcmp(*p, name) == 0) return 1;
  return 0;
}

/* The workloads directory: $INTSPECT_SOURCE_DIR/workloads, else the
** source tree's this executable was built from. */
static const char *ex_source_dir(void) {
  const char *env = getenv("INTSPECT_SOURCE_DIR");
  return env != NULL && env[0] != '\0' ? env : ISP_SOURCE_DIR;
}

static int ex_cmpstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ex_ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int ex_add_workload(ex_ctx *x, const char *name, const char *path) {
  ex_workload *w = &x->run.work[x->run.nwork];
  memset(w, 0, sizeof *w);
  w->name = ex_strdup(name);
  w->path = ex_strdup(path);
  if (w->name == NULL || w->path == NULL) {
    free(w->name);
    free(w->path);
    return ex_usage_error(x, "out of memory");
  }
  x->run.nwork++;
  return 0;
}

/* The names of the *.lua files of dir, sorted; NULL with errno set. */
static char **ex_list_lua(const char *dir, size_t *count) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char **v = NULL;
  size_t n = 0, cap = 0;
  if (d == NULL) return NULL;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || !ex_ends_with(e->d_name, ".lua")) continue;
    if (n == cap) {
      char **nv = (char **)realloc(v, (cap = cap ? 2 * cap : 16) * sizeof *v);
      if (nv == NULL) break;
      v = nv;
    }
    if ((v[n] = ex_strdup(e->d_name)) == NULL) break;
    n++;
  }
  closedir(d);
  if (n > 0) qsort(v, n, sizeof *v, ex_cmpstr);
  *count = n;
  if (v == NULL) v = (char **)calloc(1, sizeof *v);
  return v;
}

static void ex_free_names(char **v, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) free(v[i]);
  free(v);
}

/* Resolve the workload arguments (default: every .lua file in workloads/). */
static int ex_find_workloads(ex_ctx *x) {
  char dir[PATH_MAX], path[PATH_MAX];
  const char *src = ex_source_dir();
  char **files;
  size_t nfiles = 0, i;
  int status = 0;
  if (src[0] != '\0') snprintf(dir, sizeof dir, "%s/workloads", src);
  else snprintf(dir, sizeof dir, "workloads");
  files = ex_list_lua(dir, &nfiles);
  x->run.work = (ex_workload *)calloc((x->nnames ? x->nnames : nfiles) + 1, sizeof *x->run.work);
  if (x->run.work == NULL) {
    if (files) ex_free_names(files, nfiles);
    return ex_usage_error(x, "out of memory");
  }
  if (x->nnames == 0) {
    if (files == NULL || nfiles == 0) {
      status = ex_usage_error(x, "no workloads in %s%s%s (set INTSPECT_SOURCE_DIR to the "
                              "intspect checkout, or name workload files)", dir,
                              files == NULL ? ": " : "", files == NULL ? strerror(errno) : "");
    }
    for (i = 0; status == 0 && i < nfiles; i++) {
      char name[256];
      snprintf(name, sizeof name, "%.*s", (int)(strlen(files[i]) - 4), files[i]);
      snprintf(path, sizeof path, "%s/%s", dir, files[i]);
      status = ex_add_workload(x, name, path);
    }
  } else {
    for (i = 0; status == 0 && i < x->nnames; i++) {
      const char *a = x->names[i];
      if (strchr(a, '/') != NULL || ex_ends_with(a, ".lua")) {
        const char *base = strrchr(a, '/') ? strrchr(a, '/') + 1 : a;
        char name[256];
        if (access(a, R_OK) != 0) {
          status = ex_usage_error(x, "cannot read workload file '%s': %s", a, strerror(errno));
          break;
        }
        snprintf(name, sizeof name, "%.*s", (int)(ex_ends_with(base, ".lua") ? strlen(base) - 4
                                                                              : strlen(base)), base);
        status = ex_add_workload(x, name, a);
      } else {
        snprintf(path, sizeof path, "%s/%s.lua", dir, a);
        if (access(path, R_OK) != 0) {
          char known[2048];
          size_t k, used = 0;
          known[0] = '\0';
          for (k = 0; files != NULL && k < nfiles && used + 2 < sizeof known; k++)
            used += (size_t)snprintf(known + used, sizeof known - used, "%s%.*s",
                                     k ? ", " : "", (int)(strlen(files[k]) - 4), files[k]);
          status = ex_usage_error(x, "unknown workload '%s' (no %s); known: %s", a, path,
                                  known[0] ? known : "none");
          break;
        }
        status = ex_add_workload(x, a, path);
      }
    }
  }
  if (files) ex_free_names(files, nfiles);
  return status;
}

/* mkdir -p, then a file written and removed: the report can be written. */
static int ex_prepare_outdir(ex_ctx *x) {
  char path[PATH_MAX], probe[PATH_MAX + 32];
  size_t i, n = strlen(x->run.outdir);
  FILE *f;
  if (n == 0 || n >= sizeof path) return ex_usage_error(x, "bad --out directory name");
  memcpy(path, x->run.outdir, n + 1);
  for (i = 1; i <= n; i++) {
    if (path[i] == '/' || path[i] == '\0') {
      char c = path[i];
      path[i] = '\0';
      if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return ex_usage_error(x, "cannot create the output directory '%s': %s", path,
                              strerror(errno));
      path[i] = c;
    }
  }
  snprintf(probe, sizeof probe, "%s/.explore-probe", x->run.outdir);
  f = fopen(probe, "w");
  if (f == NULL || fclose(f) != 0)
    return ex_usage_error(x, "cannot write in the output directory '%s': %s", x->run.outdir,
                          strerror(errno));
  remove(probe);
  return 0;
}

/* The counts file: lines "value,count"; a header, blank lines and '#'
** comments are skipped; counts of a value given twice add up (logs of
** several processes, appended). */
static int ex_read_counts(ex_ctx *x) {
  ex_run *run = &x->run;
  FILE *f = fopen(run->counts_file, "r");
  char line[512];
  long lineno = 0;
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  size_t pass;
  if (f == NULL)
    return ex_usage_error(x, "cannot read --counts file '%s': %s", run->counts_file, strerror(errno));
  /* two passes: the range of values, then the counts */
  for (pass = 0; pass < 2; pass++) {
    int data = 0;
    rewind(f);
    lineno = 0;
    while (fgets(line, sizeof line, f) != NULL) {
      size_t len = strlen(line);
      char *p = line, *comma;
      int64_t v, c;
      lineno++;
      if (len == sizeof line - 1 && line[len - 1] != '\n') {
        fclose(f);
        return ex_usage_error(x, "%s:%ld: line too long (at most %d characters)",
                              run->counts_file, lineno, (int)sizeof line - 2);
      }
      while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' '))
        line[--len] = '\0';
      while (*p == ' ' || *p == '\t') p++;
      if (*p == '\0' || *p == '#') continue;
      comma = strchr(p, ',');
      if (comma != NULL && !data && !((*p >= '0' && *p <= '9') || *p == '-' || *p == '+')) {
        data = 1;                       /* a header such as "value,count" */
        continue;
      }
      data = 1;
      if (comma == NULL ||
          !ex_parse_i64(p, (size_t)(comma - p), -(INT64_MAX / 4), INT64_MAX / 4, &v) ||
          !ex_parse_i64(comma + 1 + strspn(comma + 1, " "), strlen(comma + 1 + strspn(comma + 1, " ")),
                        0, INT64_MAX, &c)) {
        fclose(f);
        return ex_usage_error(x, "%s:%ld: expected 'value,count' (an integer and a "
                              "non-negative integer), got '%.80s'", run->counts_file, lineno, p);
      }
      if (pass == 0) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      } else {
        uint64_t *slot = &run->hist[v - run->hist_lo];
        if (*slot > UINT64_MAX - (uint64_t)c || run->hist_total > UINT64_MAX - (uint64_t)c) {
          fclose(f);
          return ex_usage_error(x, "%s:%ld: the counts overflow 64 bits", run->counts_file, lineno);
        }
        *slot += (uint64_t)c;
        run->hist_total += (uint64_t)c;
      }
    }
    if (ferror(f)) {
      fclose(f);
      return ex_usage_error(x, "error reading --counts file '%s'", run->counts_file);
    }
    if (pass == 0) {
      if (lo > hi) {
        fclose(f);
        return ex_usage_error(x, "--counts file '%s' holds no 'value,count' line", run->counts_file);
      }
      /* the counts' own span, widened to take in the --hist range */
      if (run->hist_lo < lo) lo = run->hist_lo;
      if (run->hist_hi > hi) hi = run->hist_hi;
      if (hi - lo + 1 > EX_MAX_HIST_VALUES) {
        fclose(f);
        return ex_usage_error(x, "--counts file '%s': values from %lld to %lld span more "
                              "than %lld", run->counts_file, (long long)lo, (long long)hi,
                              (long long)EX_MAX_HIST_VALUES);
      }
      run->hist_lo = lo;
      run->hist_hi = hi;
      run->hist = (uint64_t *)calloc((size_t)(hi - lo + 1), sizeof *run->hist);
      if (run->hist == NULL) {
        fclose(f);
        return ex_usage_error(x, "out of memory for %lld counts", (long long)(hi - lo + 1));
      }
    }
  }
  fclose(f);
  run->requests = run->hist_total;
  return 0;
}

static int ex_parse_args(ex_ctx *x, int argc, char **argv) {
  ex_run *run = &x->run;
  const char *ranges = EX_DEFAULT_RANGES;
  int i, status;
  x->names = (const char **)calloc((size_t)argc + 1, sizeof *x->names);
  if (x->names == NULL) return ex_usage_error(x, "out of memory");
  run->profile = isp_profile_names()[0];
  run->repeat = EX_DEFAULT_REPEAT;
  run->outdir = EX_DEFAULT_OUT;
  run->hist_lo = -1000;
  run->hist_hi = 1000;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *val = NULL, *eq;
    static const char *const with_value[] = {
      "--ranges", "--profile", "--repeat", "--out", "--hist", "--counts", NULL
    };
    int k, takes = -1;
    if (strcmp(a, "--") == 0) {
      for (i++; i < argc; i++) x->names[x->nnames++] = argv[i];
      break;
    }
    if (a[0] != '-' || a[1] == '\0') {
      x->names[x->nnames++] = a;
      continue;
    }
    eq = strchr(a, '=');
    for (k = 0; with_value[k] != NULL; k++) {
      size_t n = strlen(with_value[k]);
      if (strncmp(a, with_value[k], n) == 0 && (a[n] == '\0' || a + n == eq)) takes = k;
    }
    if (takes < 0) return ex_usage_error(x, "unknown option '%.200s'", a);
    if (eq != NULL) val = eq + 1;
    else if (i + 1 < argc) val = argv[++i];
    else return ex_usage_error(x, "%s needs a value", with_value[takes]);
    switch (takes) {
      case 0: ranges = val; break;
      case 1:
        if (!ex_known_profile(val))
          return ex_usage_error(x, "unknown profile '%.100s' (expected cpython2.7, cpython3.11, "
                                   "cpython3.12, cpython3.13 or cpython3.14)", val);
        run->profile = val;
        break;
      case 2: {
        int64_t n;
        if (!ex_parse_i64(val, strlen(val), 1, EX_MAX_REPEAT, &n))
          return ex_usage_error(x, "bad --repeat '%.100s': expected a count from 1 to %d", val,
                                EX_MAX_REPEAT);
        run->repeat = (int)n;
        break;
      }
      case 3: run->outdir = val; break;
      case 4:
        if ((status = ex_parse_hist(x, val)) != 0) return status;
        break;
      default: run->counts_file = val; break;
    }
  }
  if ((status = ex_parse_ranges(x, ranges)) != 0) return status;
  if (run->counts_file != NULL && x->nnames > 0)
    return ex_usage_error(x, "--counts replaces the workloads: give one or the other");
  return 0;
}

/* The profile's own range is the baseline; it joins the list if absent. */
static int ex_find_default(ex_ctx *x) {
  ex_run *run = &x->run;
  isp_options o;
  isp_runtime *R;
  char err[256];
  int64_t lo, hi;
  size_t i;
  ex_options(run, NULL, 0, &o);
  R = isp_runtime_new(&o, err, sizeof err);
  if (R == NULL) return ex_usage_error(x, "%s", err);
  isp_small_range(R, &lo, &hi);
  isp_runtime_close(R, NULL, NULL);
  for (i = 0; i < run->nranges; i++)
    if (run->ranges[i].lo == lo && run->ranges[i].hi == hi) break;
  if (i == run->nranges) {
    /* the list has room for one more (EX_MAX_RANGES + 1 entries) */
    ex_range_set(&run->ranges[run->nranges++], -lo, hi + 1);
  }
  run->dflt = i;
  return 0;
}

/* }====================================================================== */


/*
** {======================================================================
** Progress
** =======================================================================
*/

static void ex_progress(ex_ctx *x, int force, const char *fmt, ...) {
  double now = ex_now();
  char line[256];
  va_list ap;
  if (!force && now - x->last_progress < (x->tty ? 0.1 : 2.0)) return;
  x->last_progress = now;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (x->tty) fprintf(stderr, "\r\033[K%s", line);
  else fprintf(stderr, "%s\n", line);
  fflush(stderr);
}

static void ex_progress_end(ex_ctx *x) {
  if (x->tty) fprintf(stderr, "\r\033[K");
}

/* }====================================================================== */


/*
** {======================================================================
** Recording the workloads
** =======================================================================
*/

/* Call the function below nargs arguments with a traceback handler;
** NULL, or the message (on the stack) when it raised. */
static const char *ex_pcall(lua_State *L, int nargs, int nres) {
  if (lintspect_pcall(L, nargs, nres) == LUA_OK) return NULL;
  return lua_tostring(L, -1) ? lua_tostring(L, -1) : "(error without a message)";
}

static void ex_fail(ex_workload *w, const char *fmt, ...) {
  va_list ap;
  if (w->failed) return;
  w->failed = 1;
  va_start(ap, fmt);
  vsnprintf(w->error, sizeof w->error, fmt, ap);
  va_end(ap);
}

/* Load the workload file: a table {models = "...", run = function(R)}. */
static const char *ex_load_workload(lua_State *L, ex_workload *w) {
  const char *err;
  if (luaL_loadfile(L, w->path) != LUA_OK) return lua_tostring(L, -1);
  if ((err = ex_pcall(L, 0, 1)) != NULL) return err;
  if (!lua_istable(L, -1))
    return lua_pushfstring(L, "%s must return a table {models = \"...\", run = function(R)}, "
                              "not a %s", w->path, luaL_typename(L, -1));
  lua_getfield(L, -1, "run");
  if (!lua_isfunction(L, -1))
    return lua_pushfstring(L, "%s: the returned table has no 'run' function", w->path);
  lua_pop(L, 1);
  lua_getfield(L, -1, "models");
  if (lua_type(L, -1) != LUA_TSTRING)
    return lua_pushfstring(L, "%s: the returned table has no 'models' string naming the "
                              "program it is modelled on", w->path);
  w->models = ex_strdup(lua_tostring(L, -1));
  lua_pop(L, 1);
  return w->models == NULL ? "out of memory" : NULL;
}

/* A workload that loops forever must not hang the command: its live run
** stops with an error once it has run EX_LIVE_LIMIT seconds. */
#define EX_LIVE_LIMIT 300
#define EX_DEADLINE_KEY "intspect.explore.deadline"

static void ex_hook(lua_State *L, lua_Debug *ar) {
  double deadline;
  (void)ar;
  lua_getfield(L, LUA_REGISTRYINDEX, EX_DEADLINE_KEY);
  deadline = lua_tonumber(L, -1);
  lua_pop(L, 1);
  if (deadline > 0 && ex_now() > deadline)
    luaL_error(L, "the workload ran longer than %d s, explore's limit for one live run",
               EX_LIVE_LIMIT);
}

/* Run the workload once with a recorder on its runtime (step 1). */
static void ex_record(ex_ctx *x, ex_workload *w) {
  ex_run *run = &x->run;
  lua_State *L = luaL_newstate();
  tr_recorder *rec = NULL;
  const char *err;
  int rt;
  double t0;
  if (L == NULL) {
    ex_fail(w, "cannot create a Lua state: out of memory");
    return;
  }
  lua_pushcfunction(L, lintspect_openlibs);
  if ((err = ex_pcall(L, 0, 0)) != NULL) {
    ex_fail(w, "%s", err);
    goto done;
  }
  if ((err = ex_load_workload(L, w)) != NULL) {
    ex_fail(w, "%s", err);
    goto done;
  }
  /* intspect.runtime{profile = P, histogram = {lo, hi}} */
  lua_getglobal(L, "intspect");
  lua_getfield(L, -1, "runtime");
  lua_remove(L, -2);
  lua_createtable(L, 0, 2);
  lua_pushstring(L, run->profile);
  lua_setfield(L, -2, "profile");
  lua_createtable(L, 2, 0);
  lua_pushinteger(L, (lua_Integer)run->hist_lo);
  lua_rawseti(L, -2, 1);
  lua_pushinteger(L, (lua_Integer)run->hist_hi);
  lua_rawseti(L, -2, 2);
  lua_setfield(L, -2, "histogram");
  if ((err = ex_pcall(L, 1, 1)) != NULL) {
    ex_fail(w, "cannot create the runtime: %s", err);
    goto done;
  }
  rt = lua_gettop(L);
  rec = tr_recorder_new(&w->trace);
  if (rec == NULL || lintspect_record(L, rt, rec) != 0) {
    ex_fail(w, "cannot start recording: out of memory");
    goto done;
  }
  lua_getfield(L, rt - 1, "run");
  lua_pushvalue(L, rt);
  t0 = ex_now();
  lua_pushnumber(L, t0 + EX_LIVE_LIMIT);
  lua_setfield(L, LUA_REGISTRYINDEX, EX_DEADLINE_KEY);
  lua_sethook(L, ex_hook, LUA_MASKCOUNT, 100000);
  err = ex_pcall(L, 1, 0);
  if (err == NULL) {
    /* every handle the workload let go is finalized (and its drop
    ** recorded) before the counts are read */
    lua_gc(L, LUA_GCCOLLECT);
    lua_gc(L, LUA_GCCOLLECT);
  }
  lua_sethook(L, NULL, 0, 0);
  w->live_seconds = ex_now() - t0;
  if (err != NULL) {
    ex_fail(w, "%s", err);
  } else if (tr_recorder_error(rec) != NULL) {
    ex_fail(w, "cannot trace it: %s", tr_recorder_error(rec));
  } else {
    isp_runtime *R = lintspect_toruntime(L, rt);
    int64_t lo, hi;
    const uint64_t *h = R ? isp_histogram(R, &lo, &hi) : NULL;
    if (R == NULL || h == NULL) {
      ex_fail(w, "the workload closed its runtime");
    } else {
      isp_get_stats(R, &w->live);
      memcpy(w->hist, h, (size_t)(hi - lo + 1) * sizeof *h);
    }
  }
  lintspect_record(L, rt, NULL);
done:
  lua_close(L);
  tr_recorder_free(rec);
}

/* The replay under the live run's options gives the live run's counts
** (step 2), or the workload fails. */
static void ex_check_replay(ex_ctx *x, ex_workload *w) {
  isp_options o;
  isp_runtime *R;
  char err[256];
  int64_t lo, hi;
  const uint64_t *h;
  ex_options(&x->run, NULL, 1, &o);
  R = isp_runtime_new(&o, err, sizeof err);
  if (R == NULL) {
    ex_fail(w, "%s", err);
    return;
  }
  if (tr_replay(&w->trace, R, &w->check, NULL, err, sizeof err) != 0) {
    ex_fail(w, "replay: %s", err);
  } else {
    const isp_stats *a = &w->live, *b = &w->check;
    h = isp_histogram(R, &lo, &hi);
    if (a->created != b->created || a->cache_hits != b->cache_hits ||
        a->freelist_hits != b->freelist_hits || a->allocs != b->allocs ||
        a->frees != b->frees || a->live != b->live || a->bytes != b->bytes)
      ex_fail(w, "the replay's counts differ from the live run's (requests %llu/%llu, "
                 "cache hits %llu/%llu, allocations %llu/%llu, frees %llu/%llu, live %llu/%llu)",
              (unsigned long long)a->created, (unsigned long long)b->created,
              (unsigned long long)a->cache_hits, (unsigned long long)b->cache_hits,
              (unsigned long long)a->allocs, (unsigned long long)b->allocs,
              (unsigned long long)a->frees, (unsigned long long)b->frees,
              (unsigned long long)a->live, (unsigned long long)b->live);
    else if (h == NULL || memcmp(h, w->hist, (size_t)(hi - lo + 1) * sizeof *h) != 0)
      ex_fail(w, "the replay's histogram differs from the live run's");
  }
  isp_runtime_close(R, NULL, NULL);
}

/* }====================================================================== */


/*
** {======================================================================
** Counting and timing under every range
** =======================================================================
*/

/* Step 3: the counts and peaks of one workload under one range, nothing
** timed; 0, or -1 with the workload failed. */
static int ex_count(ex_ctx *x, ex_workload *w, const ex_range *r, isp_stats *end,
                    tr_peaks *peaks) {
  isp_options o;
  isp_runtime *R;
  char err[256];
  int status = 0;
  ex_options(&x->run, r, 0, &o);
  R = isp_runtime_new(&o, err, sizeof err);
  if (R == NULL) {
    ex_fail(w, "range %s: %s", r->label, err);
    return -1;
  }
  if (tr_replay(&w->trace, R, end, peaks, err, sizeof err) != 0) {
    ex_fail(w, "replay under range %s: %s", r->label, err);
    status = -1;
  }
  isp_runtime_close(R, NULL, NULL);
  return status;
}

/* Step 3 for every range; the sums take the workload only when every
** range replayed it. */
static void ex_count_all(ex_ctx *x, ex_workload *w) {
  ex_run *run = &x->run;
  isp_stats *end = (isp_stats *)calloc(run->nranges, sizeof *end);
  tr_peaks *peaks = (tr_peaks *)calloc(run->nranges, sizeof *peaks);
  size_t k;
  if (end == NULL || peaks == NULL) ex_fail(w, "out of memory");
  for (k = 0; !w->failed && k < run->nranges; k++)
    ex_count(x, w, &run->ranges[k], &end[k], &peaks[k]);
  for (k = 0; !w->failed && k < run->nranges; k++) {
    ex_range *r = &run->ranges[k];
    r->requests += end[k].created;
    r->cache_hits += end[k].cache_hits;
    r->freelist_hits += end[k].freelist_hits;
    r->allocs += end[k].allocs;
    r->made += end[k].created - end[k].cache_hits;
    if (peaks[k].live > r->peak_live) r->peak_live = peaks[k].live;
    if (peaks[k].bytes > r->peak_bytes) r->peak_bytes = peaks[k].bytes;
  }
  free(end);
  free(peaks);
}

/* Bytes held by a new runtime with range r (no histogram). */
static int ex_start_bytes(ex_ctx *x, ex_range *r, uint64_t *bytes, char *err, size_t errlen) {
  isp_options o;
  isp_runtime *R;
  isp_stats s;
  ex_options(&x->run, r, 0, &o);
  R = isp_runtime_new(&o, err, errlen);
  if (R == NULL) return -1;
  isp_get_stats(R, &s);
  *bytes = s.bytes;
  isp_runtime_close(R, NULL, NULL);
  return 0;
}

/* One timed sample (step 4): start-up, then the replay; w may be NULL
** (start-up alone, for --counts). */
static int ex_sample(ex_ctx *x, ex_workload *w, ex_range *r, double *startup, double *replay,
                     char *err, size_t errlen) {
  isp_options o;
  isp_runtime *R;
  double t0, t1, t2;
  int status = 0;
  ex_options(&x->run, r, 0, &o);
  t0 = ex_now();
  R = isp_runtime_new(&o, err, errlen);
  t1 = ex_now();
  if (R == NULL) return -1;
  if (w != NULL) status = tr_replay(&w->trace, R, NULL, NULL, err, errlen);
  t2 = ex_now();
  isp_runtime_close(R, NULL, NULL);
  *startup = t1 - t0;
  *replay = t2 - t1;
  return status;
}

static int ex_alloc_samples(ex_run *run) {
  size_t k, j;
  size_t nstart = (size_t)run->repeat * (run->nwork ? run->nwork : 1);
  for (k = 0; k < run->nranges; k++) {
    ex_range *r = &run->ranges[k];
    r->startup = (double *)calloc(nstart, sizeof *r->startup);
    r->replay = (double *)calloc((size_t)run->repeat, sizeof *r->replay);
    r->wreplay = (double **)calloc(run->nwork + 1, sizeof *r->wreplay);
    if (r->startup == NULL || r->replay == NULL || r->wreplay == NULL) return -1;
    for (j = 0; j < run->nwork; j++)
      if ((r->wreplay[j] = (double *)calloc((size_t)run->repeat, sizeof **r->wreplay)) == NULL)
        return -1;
  }
  return 0;
}

static size_t ex_ok_workloads(const ex_run *run) {
  size_t i, n = 0;
  for (i = 0; i < run->nwork; i++) n += !run->work[i].failed;
  return n;
}

/*
** Pin the process to the CPU it runs on: a virtual machine's CPUs need not
** be equal, and a sample that moved between them would compare the CPUs.
** -1 (and nothing changed) when that is not possible.
*/
static int ex_pin(cpu_set_t *before) {
  cpu_set_t one;
  int cpu = sched_getcpu();
  if (cpu < 0 || sched_getaffinity(0, sizeof *before, before) != 0) return -1;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  return sched_setaffinity(0, sizeof one, &one) == 0 ? cpu : -1;
}

/* Step 4: every (repeat, workload, range), ranges rotated so that none
** always runs first or right after the expensive start-up of another. */
static void ex_time(ex_ctx *x) {
  ex_run *run = &x->run;
  size_t nok = ex_ok_workloads(run), total, done = 0, i, j;
  double t0 = ex_now();
  int rep;
  char err[256];
  cpu_set_t before;
  run->pinned_cpu = ex_pin(&before);
  total = (size_t)run->repeat * (nok ? nok : 1) * run->nranges;
  for (rep = 0; rep < run->repeat; rep++) {
    for (i = 0; i < run->nwork || (nok == 0 && i == 0); i++) {
      ex_workload *w = nok ? &run->work[i] : NULL;
      if (w != NULL && w->failed) continue;
      for (j = 0; j < run->nranges; j++) {
        size_t k = (j + (size_t)rep + i) % run->nranges;
        ex_range *r = &run->ranges[k];
        double startup = 0, replay = 0, left;
        if (w != NULL && w->failed) break;
        if (ex_sample(x, w, r, &startup, &replay, err, sizeof err) != 0) {
          if (w != NULL) ex_fail(w, "timed replay under range %s: %s", r->label, err);
          break;
        }
        r->startup[r->nstartup++] = startup;
        r->replay[rep] += replay;
        if (w != NULL) r->wreplay[i][rep] = replay;
        done++;
        left = (ex_now() - t0) / (double)done * (double)(total - done);
        ex_progress(x, 0, "explore: timing  repeat %d/%d  %-14s range %-20s  %zu/%zu  ~%.0f s left",
                    rep + 1, run->repeat, w ? w->name : "(start-up)", r->label, done, total, left);
      }
    }
  }
  if (run->pinned_cpu >= 0) sched_setaffinity(0, sizeof before, &before);
}

/* }====================================================================== */


static void ex_free(ex_ctx *x) {
  ex_run *run = &x->run;
  size_t i, j;
  for (i = 0; i < run->nwork; i++) {
    ex_workload *w = &run->work[i];
    free(w->name);
    free(w->path);
    free(w->models);
    free(w->hist);
    tr_trace_free(&w->trace);
  }
  for (i = 0; run->ranges != NULL && i < run->nranges; i++) {
    ex_range *r = &run->ranges[i];
    free(r->startup);
    free(r->replay);
    for (j = 0; r->wreplay != NULL && j < run->nwork; j++) free(r->wreplay[j]);
    free(r->wreplay);
  }
  free(run->ranges);
  free(run->work);
  free(run->hist);
  free(run->command_line);
  free((void *)x->names);
}

/* gnuplot answers `gnuplot --version`. */
static int ex_have_gnuplot(void) {
  return system("gnuplot --version >/dev/null 2>&1") == 0;
}

static char *ex_join_args(int argc, char **argv) {
  size_t n = 32, i;
  char *s;
  for (i = 0; i < (size_t)argc; i++) n += strlen(argv[i]) + 3;
  s = (char *)malloc(n);
  if (s == NULL) return NULL;
  strcpy(s, "intspect");
  for (i = 0; i < (size_t)argc; i++) {
    strcat(s, " ");
    strcat(s, argv[i]);
  }
  return s;
}

static int ex_run_all(ex_ctx *x) {
  ex_run *run = &x->run;
  size_t i, k, hn = (size_t)(run->hist_hi - run->hist_lo + 1), nfailed = 0;
  char err[512];
  uint64_t off_bytes = 0;
  ex_range off;
  int status = 0;
  /* 1, 2: record and check each workload */
  for (i = 0; i < run->nwork; i++) {
    ex_workload *w = &run->work[i];
    ex_progress(x, 1, "explore: recording %s (%zu/%zu)", w->name, i + 1, run->nwork);
    w->hist = (uint64_t *)calloc(hn, sizeof *w->hist);
    if (w->hist == NULL) {
      ex_fail(w, "out of memory for its histogram");
      continue;
    }
    ex_record(x, w);
    if (!w->failed) ex_check_replay(x, w);
  }
  if (run->counts_file == NULL) {
    run->hist = (uint64_t *)calloc(hn, sizeof *run->hist);
    if (run->hist == NULL) {
      fprintf(stderr, "%s explore: out of memory\n", x->prog);
      return 1;
    }
  }
  /* 3: counts per range */
  for (i = 0; i < run->nwork; i++) {
    ex_workload *w = &run->work[i];
    if (w->failed) continue;
    ex_progress(x, 1, "explore: counting %s under %zu ranges (%zu/%zu)", w->name, run->nranges,
                i + 1, run->nwork);
    ex_count_all(x, w);
  }
  for (i = 0; i < run->nwork; i++) {
    ex_workload *w = &run->work[i];
    size_t v;
    if (w->failed) continue;
    for (v = 0; v < hn; v++) run->hist[v] += w->hist[v];
    run->requests += w->live.created;
  }
  if (run->counts_file == NULL)
    for (i = 0; i < hn; i++) run->hist_total += run->hist[i];
  /* the histogram's mass inside each range; what each range holds at start */
  ex_range_set(&off, 0, 0);
  if (ex_start_bytes(x, &off, &off_bytes, err, sizeof err) != 0) {
    fprintf(stderr, "%s explore: %s\n", x->prog, err);
    return 1;
  }
  for (k = 0; k < run->nranges; k++) {
    ex_range *r = &run->ranges[k];
    /* with workloads, the histogram sees only its own range, so the mass
    ** of a range reaching past it is unknown; counts from a file are all
    ** there is, so a range gets those inside it */
    if (r->lo > r->hi || (r->lo >= run->hist_lo && r->hi <= run->hist_hi) ||
        run->counts_file != NULL) {
      int64_t v, lo = r->lo > run->hist_lo ? r->lo : run->hist_lo;
      int64_t hi = r->hi < run->hist_hi ? r->hi : run->hist_hi;
      r->have_mass = 1;
      for (v = lo; v <= hi; v++) r->mass += run->hist[v - run->hist_lo];
    }
    if (ex_start_bytes(x, r, &r->start_bytes, err, sizeof err) != 0) {
      fprintf(stderr, "%s explore: %s\n", x->prog, err);
      return 1;
    }
    r->cache_bytes = r->start_bytes - off_bytes;
  }
  /* 4: timing */
  if (ex_alloc_samples(run) != 0) {
    fprintf(stderr, "%s explore: out of memory\n", x->prog);
    return 1;
  }
  ex_time(x);
  ex_progress_end(x);
  for (k = 0; k < run->nranges; k++) {
    ex_range *r = &run->ranges[k];
    if (ex_ok_workloads(run) > 0 && k != run->dflt)
      r->have_welch = st_welch_ratio(r->replay, (size_t)run->repeat,
                                     run->ranges[run->dflt].replay, (size_t)run->repeat, 0.95,
                                     &r->welch) == 0;
    if (k != run->dflt &&
        st_welch_ratio(r->startup, r->nstartup, run->ranges[run->dflt].startup,
                       run->ranges[run->dflt].nstartup, 0.95, &r->startup_welch) == 0)
      r->startup_differs = r->startup_welch.lo > 1 || r->startup_welch.hi < 1;
  }
  run->have_gnuplot = ex_have_gnuplot();
  run->wall_seconds = ex_now() - x->t0;
  /* 5: the report */
  if (exr_write(run, err, sizeof err) != 0) {
    fprintf(stderr, "%s explore: %s\n", x->prog, err);
    return 1;
  }
  for (i = 0; i < run->nwork; i++) {
    ex_workload *w = &run->work[i];
    if (w->failed) {
      fprintf(stderr, "%s explore: workload %s failed: %s\n", x->prog, w->name, w->error);
      nfailed++;
      status = 1;
    }
  }
  if (run->counts_file != NULL)
    printf("explore: counts from %s, %zu range%s in %.1f s; wrote %s/report.md, histogram.csv, "
           "ranges.csv, samples.csv%s\n", run->counts_file, run->nranges,
           run->nranges == 1 ? "" : "s", run->wall_seconds, run->outdir,
           run->have_gnuplot ? " and the plots" : "");
  else
    printf("explore: %zu workload%s, %zu range%s, %d repeat%s in %.1f s; wrote %s/report.md, "
           "histogram.csv, ranges.csv, workloads.csv, samples.csv%s\n",
           run->nwork - nfailed, run->nwork - nfailed == 1 ? "" : "s", run->nranges,
           run->nranges == 1 ? "" : "s", run->repeat, run->repeat == 1 ? "" : "s",
           run->wall_seconds, run->outdir, run->have_gnuplot ? " and the plots" : "");
  if (!run->have_gnuplot)
    printf("explore: plots skipped: gnuplot is not installed (Debian: apt-get install "
           "gnuplot-nox); the CSV files and report.md are complete without them\n");
  if (nfailed > 0)
    printf("explore: %zu workload%s failed (named above); the report covers the rest\n", nfailed,
           nfailed == 1 ? "" : "s");
  return status;
}

int ex_main(const char *prog, const char *usage, int argc, char **argv) {
  ex_ctx x;
  int status;
  int i;
  memset(&x, 0, sizeof x);
  x.prog = prog;
  x.usage = usage;
  x.t0 = ex_now();
  x.tty = isatty(fileno(stderr));
  for (i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(usage, stdout);
      return 0;
    }
  status = ex_parse_args(&x, argc, argv);
  if (status == 0) status = ex_find_default(&x);
  if (status == 0 && x.run.counts_file != NULL) {
    x.run.work = (ex_workload *)calloc(1, sizeof *x.run.work);
    if (x.run.work == NULL) status = ex_usage_error(&x, "out of memory");
    if (status == 0) status = ex_read_counts(&x);
  } else if (status == 0) {
    status = ex_find_workloads(&x);
  }
  if (status == 0) status = ex_prepare_outdir(&x);
  if (status == 0) {
    x.run.command_line = ex_join_args(argc, argv);
    if (x.run.command_line == NULL) status = ex_usage_error(&x, "out of memory");
  }
  if (status == 0) status = ex_run_all(&x);
  ex_free(&x);
  return status;
}
