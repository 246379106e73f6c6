/*
** replay.c -- 'intspect replay [DIR ...]': run the regression corpus
** through every fuzz target, no fuzzing engine needed.
**
** A DIR holds one directory per target (corpus/arith/, corpus/str/, ...),
** or is itself a target's directory, or is a single file inside one.  A
** target's directory may hold a subdirectory regressions/ (the findings of
** fuzzing campaigns, each named after what broke); its files run through
** the same target, after the directory's own files.  Each
** target's files run in a child process, in name order: a file that aborts
** or crashes kills only that child, the parent names the file, and a new
** child carries on with the next one.  The exit status is 0 when no file
** failed, 1 otherwise; the last line is "N passed, N failed".
*/
#define _XOPEN_SOURCE 700      /* POSIX.1-2008 with realpath() */

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fz.h"

/* Seconds one file may take before it counts as a hang (sanitizer builds
** are slow; a corpus file takes milliseconds). */
#define REPLAY_TIMEOUT 120

const fz_target fz_targets[] = {
  {"arith", fz_arith},
  {"str", fz_str},
  {"alloc", fz_alloc},
  {"bytes", fz_bytes},
  {NULL, NULL}
};

const fz_target *fz_target_find(const char *name) {
  const fz_target *t;
  for (t = fz_targets; t->name != NULL; t++)
    if (strcmp(t->name, name) == 0) return t;
  return NULL;
}

typedef struct replay_list {
  char **paths;
  size_t n, cap;
} replay_list;

typedef struct replay_totals {
  size_t passed, failed;
  int verbose;
  isp_replay_lua_fn lua;          /* lua-NAME directories, or NULL */
  size_t skipped;                 /* lua-NAME directories left to 'intspect replay' */
} replay_totals;

static void replay_push(replay_list *l, const char *path) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 64;
    l->paths = realloc(l->paths, l->cap * sizeof *l->paths);
    if (l->paths == NULL) abort();
  }
  l->paths[l->n] = strdup(path);
  if (l->paths[l->n] == NULL) abort();
  l->n++;
}

static void replay_free(replay_list *l) {
  size_t i;
  for (i = 0; i < l->n; i++) free(l->paths[i]);
  free(l->paths);
  l->paths = NULL;
  l->n = l->cap = 0;
}

static int replay_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The regular files of 'dir' (no dot files), sorted. */
static void replay_scan(const char *dir, replay_list *l) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char path[4096];
  size_t first = l->n;
  struct stat st;
  if (d == NULL) return;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) replay_push(l, path);
  }
  closedir(d);
  qsort(l->paths + first, l->n - first, sizeof *l->paths, replay_cmp);
}

/* Read a whole file; NULL (errno set) on failure. */
static uint8_t *replay_read(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  uint8_t *buf = NULL;
  size_t cap = 0, n = 0;
  if (f == NULL) return NULL;
  for (;;) {
    size_t got;
    if (n == cap) {
      cap = cap ? 2 * cap : 4096;
      buf = realloc(buf, cap);
      if (buf == NULL) abort();
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  if (ferror(f)) {
    fclose(f);
    free(buf);
    return NULL;
  }
  fclose(f);
  *size = n;
  return buf;
}

/* The child: run files[from..], writing each passed index to 'fd'. */
static void replay_child(const fz_target *t, const replay_list *files, size_t from, int fd) {
  size_t i;
  for (i = from; i < files->n; i++) {
    size_t size = 0;
    uint8_t *data = replay_read(files->paths[i], &size);
    uint32_t idx = (uint32_t)i;
    if (data == NULL) {
      fprintf(stderr, "replay: %s: %s\n", files->paths[i], strerror(errno));
      _exit(3);
    }
    alarm(REPLAY_TIMEOUT);
    t->fn(data, size);
    alarm(0);
    free(data);
    if (write(fd, &idx, sizeof idx) != (ssize_t)sizeof idx) _exit(4);
  }
  exit(0);                /* not _exit: a leak checker runs at exit */
}

static void replay_report(const char *path, int status) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    fprintf(stderr, "replay: FAILED %s (%s)\n", path,
            sig == SIGALRM ? "timed out" : sig == SIGABRT ? "aborted" : strsignal(sig));
  } else {
    fprintf(stderr, "replay: FAILED %s (exit status %d)\n", path, WEXITSTATUS(status));
  }
}

/* Run a target's files, each failure named; children carry on past it. */
static void replay_target(const fz_target *t, const replay_list *files, replay_totals *tot) {
  size_t next = 0;
  while (next < files->n) {
    int fds[2], status;
    pid_t pid;
    uint32_t idx;
    fflush(stdout);
    fflush(stderr);
    if (pipe(fds) != 0) {
      perror("replay: pipe");
      exit(1);
    }
    pid = fork();
    if (pid < 0) {
      perror("replay: fork");
      exit(1);
    }
    if (pid == 0) {
      close(fds[0]);
      replay_child(t, files, next, fds[1]);
    }
    close(fds[1]);
    while (read(fds[0], &idx, sizeof idx) == (ssize_t)sizeof idx) {
      if (tot->verbose) printf("ok   %s\n", files->paths[idx]);
      tot->passed++;
      next = (size_t)idx + 1;
    }
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (next < files->n) {             /* the child died on files[next] */
      replay_report(files->paths[next], status);
      tot->failed++;
      next++;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      replay_report(files->paths[files->n - 1], status);
      tot->failed++;
    }
  }
}

/* Findings of fuzzing campaigns: <target>/regressions/. */
#define REPLAY_REGRESSIONS "regressions"

/* A target's files: its directory, then its regressions/ subdirectory. */
static void replay_scan_target(const char *dir, replay_list *l) {
  char sub[4096];
  replay_scan(dir, l);
  snprintf(sub, sizeof sub, "%s/%s", dir, REPLAY_REGRESSIONS);
  replay_scan(sub, l);
}

/* Last path component of 'path' (ignoring trailing slashes) into buf. */
static const char *replay_basename(const char *path, char *buf, size_t len) {
  size_t n = strlen(path), start;
  while (n > 1 && path[n - 1] == '/') n--;
  start = n;
  while (start > 0 && path[start - 1] != '/') start--;
  if (n - start >= len) n = start + len - 1;
  memcpy(buf, path + start, n - start);
  buf[n - start] = '\0';
  return buf;
}

/* The canonical name of 'path' into buf (the path itself if that fails),
** so that the last component of "x/.." is a real directory's name. */
static const char *replay_realname(const char *path, char *buf, size_t len) {
  char *r = realpath(path, NULL);
  snprintf(buf, len, "%s", r != NULL ? r : path);
  free(r);
  return buf;
}

#define REPLAY_LUA_PREFIX "lua-"

/* A Lua property's corpus directory 'dir', named lua-NAME. */
static int replay_lua(const char *dir, const char *name, replay_totals *tot) {
  if (tot->lua == NULL) {
    printf("note: %s skipped: the inputs of Lua properties replay with 'intspect replay'\n",
           dir);
    tot->skipped++;
    return 0;
  }
  return tot->lua(dir, name + strlen(REPLAY_LUA_PREFIX), tot->verbose, &tot->passed,
                  &tot->failed) == 0 ? 0 : -1;
}

static int replay_is_lua(const char *name) {
  return strncmp(name, REPLAY_LUA_PREFIX, strlen(REPLAY_LUA_PREFIX)) == 0 &&
         name[strlen(REPLAY_LUA_PREFIX)] != '\0';
}

static int replay_arg(const char *arg, replay_totals *tot) {
  char name[256], parent[4096];
  const fz_target *t;
  replay_list files = {NULL, 0, 0};
  struct stat st;
  if (stat(arg, &st) != 0) {
    fprintf(stderr, "replay: %s: %s\n", arg, strerror(errno));
    return -1;
  }
  if (S_ISREG(st.st_mode)) {               /* one file inside a target's directory */
    size_t n;
    snprintf(parent, sizeof parent, "%s", arg);
    n = strlen(parent);
    while (n > 0 && parent[n - 1] != '/') n--;
    parent[n] = '\0';
    if (n == 0) replay_realname(".", parent, sizeof parent);
    t = fz_target_find(replay_basename(parent, name, sizeof name));
    if (t == NULL && strcmp(name, REPLAY_REGRESSIONS) == 0) {
      /* corpus/<target>/regressions/FILE: the target is the grandparent */
      char up[4096];
      snprintf(up, sizeof up, "%s/..", parent);
      t = fz_target_find(replay_basename(replay_realname(up, parent, sizeof parent),
                                         name, sizeof name));
    }
    if (t == NULL) {
      fprintf(stderr, "replay: %s: not inside a target's directory (", arg);
      for (t = fz_targets; t->name != NULL; t++)
        fprintf(stderr, "%s%s", t->name, t[1].name ? ", " : ")\n");
      return -1;
    }
    replay_push(&files, arg);
    replay_target(t, &files, tot);
    replay_free(&files);
    return 0;
  }
  t = fz_target_find(replay_basename(arg, name, sizeof name));
  if (t == NULL && replay_is_lua(name)) return replay_lua(arg, name, tot);
  if (t != NULL) {                         /* a target's own directory */
    replay_scan_target(arg, &files);
    replay_target(t, &files, tot);
    replay_free(&files);
    return 0;
  }
  if (strcmp(name, REPLAY_REGRESSIONS) == 0) {   /* <target>/regressions/ */
    char up[4096];
    snprintf(up, sizeof up, "%s/..", arg);
    t = fz_target_find(replay_basename(replay_realname(up, parent, sizeof parent),
                                       name, sizeof name));
    if (t != NULL) {
      replay_scan(arg, &files);
      replay_target(t, &files, tot);
      replay_free(&files);
      return 0;
    }
  }
  for (t = fz_targets; t->name != NULL; t++) {
    snprintf(parent, sizeof parent, "%s/%s", arg, t->name);
    if (!replay_is_dir(parent)) continue;
    replay_scan_target(parent, &files);
    replay_target(t, &files, tot);
    replay_free(&files);
  }
  {                                        /* and the Lua properties' */
    DIR *d = opendir(arg);
    struct dirent *e;
    replay_list lua = {NULL, 0, 0};
    size_t i;
    int bad = 0;
    while (d != NULL && (e = readdir(d)) != NULL) {
      snprintf(parent, sizeof parent, "%s/%s", arg, e->d_name);
      if (replay_is_lua(e->d_name) && replay_is_dir(parent)) replay_push(&lua, parent);
    }
    if (d != NULL) closedir(d);
    if (lua.n > 1) qsort(lua.paths, lua.n, sizeof *lua.paths, replay_cmp);
    for (i = 0; i < lua.n; i++)
      if (replay_lua(lua.paths[i], replay_basename(lua.paths[i], name, sizeof name), tot) != 0)
        bad = 1;
    replay_free(&lua);
    if (bad) return -1;
  }
  return 0;
}

static void replay_usage(FILE *f) {
  const fz_target *t;
  fputs("usage: intspect replay [-v] [DIR|FILE ...]\n"
        "  Runs every file under DIR/<target>/ and DIR/<target>/regressions/\n"
        "  (default corpus/) through that fuzz target; DIR may also be a\n"
        "  target's directory, its regressions/, or one file in either.\n"
        "  -v  name every file that passes\n"
        "targets:", f);
  for (t = fz_targets; t->name != NULL; t++) fprintf(f, " %s", t->name);
  fputc('\n', f);
}

int isp_replay_main(int argc, char **argv) {
  return isp_replay_main_lua(argc, argv, NULL);
}

int isp_replay_main_lua(int argc, char **argv, isp_replay_lua_fn lua) {
  replay_totals tot = {0, 0, 0, NULL, 0};
  int i, ndirs = 0, bad = 0;
  tot.lua = lua;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
      tot.verbose = 1;
    } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      replay_usage(stdout);
      return 0;
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "replay: unknown option '%s'\n", argv[i]);
      replay_usage(stderr);
      return 2;
    }
  }
  for (i = 1; i <= argc; i++) {
    const char *arg = i < argc ? argv[i] : "corpus";
    size_t before = tot.passed + tot.failed + tot.skipped;
    if (i < argc && argv[i][0] == '-') continue;
    if (i == argc && ndirs > 0) break;
    ndirs++;
    if (replay_arg(arg, &tot) != 0) {
      bad = 1;
    } else if (tot.passed + tot.failed + tot.skipped == before) {
      /* a directory named on purpose that holds nothing to replay is a
      ** mistake (a wrong path, an empty checkout), not a pass */
      fprintf(stderr, "replay: %s: no inputs found (expected files in <target>/, "
              "<target>/regressions/ or lua-NAME/ under it, or a target's own directory)\n",
              arg);
      bad = 1;
    }
  }
  printf("%zu passed, %zu failed\n", tot.passed, tot.failed);
  fflush(stdout);
  return tot.failed == 0 && !bad ? 0 : 1;
}
