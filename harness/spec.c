/*
** spec.c -- process support for the spec runner (harness/spec.lua).
**
** The runner isolates each spec file in a child process: a crash or a
** hang takes down one file, never the run.  This file gives the Lua side
** what plain Lua lacks: starting children with their output captured,
** running several at once under a deadline, and writing the result
** channel.  Results are delivered in file order, so the output reads the
** same whatever the parallelism.
*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <lua.h>
#include <lauxlib.h>

#include "spec.h"

/* The descriptor a child writes its results to (see spec.lua). */
#define SPEC_REPORT_FD 3

typedef struct spec_buf {
  char *p;
  size_t n, cap;
} spec_buf;

typedef struct spec_child {
  pid_t pid;
  int fd[2];               /* stdout, report; -1 once at EOF */
  spec_buf out[2];
  double deadline;
  int started, finished;
  int status;              /* from waitpid */
  int timed_out;
  int spawn_errno;
} spec_child;

static double spec_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int spec_append(spec_buf *b, const char *s, size_t n) {
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    char *p;
    while (cap < b->n + n) cap *= 2;
    p = (char *)realloc(b->p, cap);
    if (p == NULL) return -1;
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  return 0;
}

/* The path of the running executable, for re-running it. */
static int spec_self_exe(lua_State *L) {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return 0;
  lua_pushlstring(L, buf, (size_t)n);
  return 1;
}

/* now(): monotonic seconds, for the JUnit time attribute. */
static int spec_lua_now(lua_State *L) {
  lua_pushnumber(L, spec_now());
  return 1;
}

static int spec_isatty(lua_State *L) {
  lua_pushboolean(L, isatty((int)luaL_checkinteger(L, 1)));
  return 1;
}

static int spec_cpu_count(lua_State *L) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  lua_pushinteger(L, n > 0 ? n : 1);
  return 1;
}

/* write_fd(fd, s): the child's result channel; false when it is gone. */
static int spec_write_fd(lua_State *L) {
  int fd = (int)luaL_checkinteger(L, 1);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  while (len > 0) {
    ssize_t k = write(fd, s, len);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) {
      lua_pushboolean(L, 0);
      return 1;
    }
    s += k;
    len -= (size_t)k;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* Start one child: argv and environment additions are C arrays. */
static void spec_start(spec_child *c, char **argv, char **env, double timeout) {
  int out[2], rep[2], err[2];
  pid_t parent;
  c->started = 1;
  if (pipe(out) != 0) { c->spawn_errno = errno; c->finished = 1; return; }
  if (pipe(rep) != 0) {
    c->spawn_errno = errno;
    close(out[0]); close(out[1]);
    c->finished = 1;
    return;
  }
  /* a close-on-exec pipe tells the parent whether exec failed */
  if (pipe(err) != 0) {
    c->spawn_errno = errno;
    close(out[0]); close(out[1]); close(rep[0]); close(rep[1]);
    c->finished = 1;
    return;
  }
  fcntl(err[1], F_SETFD, FD_CLOEXEC);
  parent = getpid();
  c->pid = fork();
  if (c->pid == 0) {
    int devnull, e, i, wout, wrep, werr;
    setpgid(0, 0);   /* the deadline kills the child's whole group */
#ifdef __linux__
    /* out of the terminal's group, a ^C reaches only the parent: follow it */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
#endif
    close(out[0]); close(rep[0]); close(err[0]);
    /* move the write ends clear of 0, 1 and the report descriptor first */
    wout = fcntl(out[1], F_DUPFD_CLOEXEC, 10);
    wrep = fcntl(rep[1], F_DUPFD_CLOEXEC, 10);
    werr = fcntl(err[1], F_DUPFD_CLOEXEC, 10);
    if (wout < 0 || wrep < 0 || werr < 0) _exit(127);
    close(out[1]); close(rep[1]); close(err[1]);
    err[1] = werr;
    devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0 && devnull != 0) { dup2(devnull, 0); close(devnull); }
    dup2(wout, 1);
    dup2(wrep, SPEC_REPORT_FD);
    close(wout); close(wrep);
    for (i = 0; env[i] != NULL; i += 2) setenv(env[i], env[i + 1], 1);
    signal(SIGPIPE, SIG_DFL);
    execv(argv[0], argv);
    e = errno;
    if (write(err[1], &e, sizeof e) < 0) { /* nothing more to do */ }
    _exit(127);
  }
  if (c->pid > 0) setpgid(c->pid, c->pid);   /* as the child does: whichever runs first */
  close(out[1]);
  close(rep[1]);
  close(err[1]);
  if (c->pid < 0) {
    c->spawn_errno = errno;
    close(out[0]); close(rep[0]); close(err[0]);
    c->finished = 1;
    return;
  }
  {
    int e = 0;
    ssize_t k;
    do k = read(err[0], &e, sizeof e); while (k < 0 && errno == EINTR);
    close(err[0]);
    if (k == (ssize_t)sizeof e) {
      c->spawn_errno = e;
      close(out[0]); close(rep[0]);
      waitpid(c->pid, &c->status, 0);
      c->finished = 1;
      return;
    }
  }
  c->fd[0] = out[0];
  c->fd[1] = rep[0];
  c->deadline = spec_now() + timeout;
}

/* Reap 'c' if it has exited (blocking when 'block'). */
static void spec_reap(spec_child *c, int block) {
  pid_t r;
  do r = waitpid(c->pid, &c->status, block ? 0 : WNOHANG); while (r < 0 && errno == EINTR);
  if (r == c->pid || r < 0) c->finished = 1;
}

/* Read what is left in the pipes of an exited child, without blocking. */
static void spec_drain(spec_child *c) {
  int k;
  for (k = 0; k < 2; k++) {
    char buf[8192];
    ssize_t got;
    if (c->fd[k] < 0) continue;
    fcntl(c->fd[k], F_SETFL, fcntl(c->fd[k], F_GETFL) | O_NONBLOCK);
    while ((got = read(c->fd[k], buf, sizeof buf)) > 0 || (got < 0 && errno == EINTR))
      if (got > 0 && spec_append(&c->out[k], buf, (size_t)got) != 0) break;
    close(c->fd[k]);
    c->fd[k] = -1;
  }
}

static void spec_kill(spec_child *c) {
  kill(-c->pid, SIGKILL);
  kill(c->pid, SIGKILL);
  if (c->fd[0] >= 0) { close(c->fd[0]); c->fd[0] = -1; }
  if (c->fd[1] >= 0) { close(c->fd[1]); c->fd[1] = -1; }
  spec_reap(c, 1);
}

/* Push the result table of a finished child. */
static void spec_pushresult(lua_State *L, spec_child *c) {
  lua_createtable(L, 0, 6);
  if (c->spawn_errno != 0) {
    lua_pushliteral(L, "spawn");
    lua_setfield(L, -2, "how");
    lua_pushstring(L, strerror(c->spawn_errno));
    lua_setfield(L, -2, "error");
  } else if (c->timed_out) {
    lua_pushliteral(L, "timeout");
    lua_setfield(L, -2, "how");
  } else if (WIFSIGNALED(c->status)) {
    lua_pushliteral(L, "signal");
    lua_setfield(L, -2, "how");
    lua_pushinteger(L, WTERMSIG(c->status));
    lua_setfield(L, -2, "signal");
    lua_pushstring(L, strsignal(WTERMSIG(c->status)));
    lua_setfield(L, -2, "signame");
  } else {
    lua_pushliteral(L, "exit");
    lua_setfield(L, -2, "how");
    lua_pushinteger(L, WIFEXITED(c->status) ? WEXITSTATUS(c->status) : -1);
    lua_setfield(L, -2, "code");
  }
  lua_pushlstring(L, c->out[0].p ? c->out[0].p : "", c->out[0].n);
  lua_setfield(L, -2, "out");
  lua_pushlstring(L, c->out[1].p ? c->out[1].p : "", c->out[1].n);
  lua_setfield(L, -2, "report");
}

/* Everything the scheduler owns, freed by __gc even after an error. */
typedef struct spec_run {
  spec_child *c;
  int n;
} spec_run;

/*
** Interruption.  Each child leads a process group of its own (so a ^C at
** the terminal reaches only the runner, and a deadline kills a child with
** everything it started); while children run, SIGINT, SIGTERM and SIGHUP
** to the runner kill every child's group, then the runner dies of the
** same signal, as if it had not caught it.
*/
static volatile sig_atomic_t spec_signal = 0;
static const int spec_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define SPEC_NSIGNALS ((int)(sizeof spec_signals / sizeof spec_signals[0]))
static struct sigaction spec_saved[SPEC_NSIGNALS];
static int spec_caught = 0;

static void spec_on_signal(int sig) { spec_signal = sig; }

static void spec_catch(spec_run *r) {
  struct sigaction sa;
  int k;
  (void)r;
  if (spec_caught) return;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = spec_on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;   /* no SA_RESTART: poll() returns at once */
  for (k = 0; k < SPEC_NSIGNALS; k++) sigaction(spec_signals[k], &sa, &spec_saved[k]);
  spec_signal = 0;
  spec_caught = 1;
}

static void spec_release(void) {
  int k;
  if (!spec_caught) return;
  for (k = 0; k < SPEC_NSIGNALS; k++) sigaction(spec_signals[k], &spec_saved[k], NULL);
  spec_caught = 0;
}

static void spec_interrupted(spec_run *r) {
  int i, sig = spec_signal;
  for (i = 0; i < r->n; i++) {
    spec_child *c = &r->c[i];
    if (c->started && c->pid > 0) kill(-c->pid, SIGKILL);   /* exited ones' stragglers too */
    if (c->started && !c->finished) spec_kill(c);
  }
  spec_release();
  fflush(stdout);
  signal(sig, SIG_DFL);
  raise(sig);
  _exit(128 + sig);
}

static void spec_run_free(spec_run *r) {
  int i;
  spec_release();
  for (i = 0; i < r->n; i++) {
    spec_child *c = &r->c[i];
    if (c->started && !c->finished) spec_kill(c);
    if (c->fd[0] >= 0) close(c->fd[0]);
    if (c->fd[1] >= 0) close(c->fd[1]);
    c->fd[0] = c->fd[1] = -1;
    free(c->out[0].p);
    free(c->out[1].p);
    c->out[0].p = c->out[1].p = NULL;
  }
  free(r->c);
  r->c = NULL;
  r->n = 0;
}

static int spec_run_gc(lua_State *L) {
  spec_run_free((spec_run *)lua_touserdata(L, 1));
  return 0;
}

/* A Lua array of strings as a NULL-terminated C array, kept on the stack. */
static char **spec_strings(lua_State *L, int idx, int pairs) {
  int n = 0, i;
  char **v;
  if (pairs) {
    lua_pushnil(L);
    while (lua_next(L, idx)) { n++; lua_pop(L, 1); }
    n *= 2;
  } else {
    n = (int)luaL_len(L, idx);
  }
  v = (char **)lua_newuserdatauv(L, (size_t)(n + 1) * sizeof(char *), 0);
  if (pairs) {
    i = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
      v[i++] = (char *)luaL_checkstring(L, -2);
      v[i++] = (char *)luaL_checkstring(L, -1);
      lua_pop(L, 1);
    }
  } else {
    for (i = 0; i < n; i++) {
      lua_rawgeti(L, idx, i + 1);
      v[i] = (char *)luaL_checkstring(L, -1);
      lua_pop(L, 1);   /* the string stays alive in the table */
    }
  }
  v[n] = NULL;
  return v;
}

/*
** run(argvs, env, jobs, timeout, on_done): run every argv of 'argvs' (at
** most 'jobs' at once, each killed after 'timeout' seconds) and call
** on_done(i, result) for i = 1, 2, ... in order, as soon as result i and
** all before it are in.  result = {how = "exit"|"signal"|"timeout"|"spawn",
** code, signal, signame, error, out = stdout, report = fd 3}.
*/
static int spec_runall(lua_State *L) {
  int n, jobs, i, next = 0, delivered = 0, running = 0, stop = 0;
  double timeout;
  char **env;
  spec_run *r;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  jobs = (int)luaL_checkinteger(L, 3);
  timeout = luaL_checknumber(L, 4);
  luaL_checktype(L, 5, LUA_TFUNCTION);
  if (jobs < 1) jobs = 1;
  if (jobs > 32) jobs = 32;   /* two descriptors each in the poll set */
  n = (int)luaL_len(L, 1);
  env = spec_strings(L, 2, 1);
  lua_createtable(L, n, 0);          /* the C argv arrays, kept alive */
  for (i = 0; i < n; i++) {
    lua_rawgeti(L, 1, i + 1);
    luaL_checktype(L, -1, LUA_TTABLE);
    spec_strings(L, lua_gettop(L), 0);
    lua_rawseti(L, -3, i + 1);
    lua_pop(L, 1);
  }
  r = (spec_run *)lua_newuserdatauv(L, sizeof *r, 0);
  r->c = NULL;
  r->n = 0;
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, spec_run_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  r->c = (spec_child *)calloc((size_t)(n > 0 ? n : 1), sizeof(spec_child));
  if (r->c == NULL) return luaL_error(L, "out of memory");
  r->n = n;
  for (i = 0; i < n; i++) r->c[i].fd[0] = r->c[i].fd[1] = -1;
  signal(SIGPIPE, SIG_IGN);
  spec_catch(r);

  while (delivered < n) {
    struct pollfd pfd[64];
    if (spec_signal != 0) spec_interrupted(r);
    int who[64], np = 0, wait_ms = 50;   /* also notices exits behind held pipes */
    double now;
    while (running < jobs && next < n) {
      lua_rawgeti(L, -2, next + 1);
      spec_start(&r->c[next], (char **)lua_touserdata(L, -1), env, timeout);
      lua_pop(L, 1);
      if (!r->c[next].finished) running++;
      next++;
    }
    now = spec_now();
    for (i = 0; i < next; i++) {
      spec_child *c = &r->c[i];
      int k;
      double left;
      if (c->finished) continue;
      if (now >= c->deadline) {
        c->timed_out = 1;
        spec_kill(c);
        running--;
        continue;
      }
      /*
      ** Reap first: a grandchild (os.execute) may hold the pipes open long
      ** after the child died.  What the child wrote is still in the pipes.
      */
      spec_reap(c, 0);
      if (c->finished) {
        kill(-c->pid, SIGKILL);   /* stragglers of its process group */
        spec_drain(c);
        running--;
        continue;
      }
      if (c->fd[0] < 0 && c->fd[1] < 0) wait_ms = 10;  /* it closed them itself */
      left = (c->deadline - now) * 1000.0 + 1.0;
      if (left < wait_ms) wait_ms = (int)left;
      for (k = 0; k < 2; k++) {
        if (c->fd[k] >= 0 && np < 64) {
          pfd[np].fd = c->fd[k];
          pfd[np].events = POLLIN;
          pfd[np].revents = 0;
          who[np] = i * 2 + k;
          np++;
        }
      }
    }
    /* deliver, in order, what is complete */
    while (delivered < next && r->c[delivered].finished) {
      lua_pushvalue(L, 5);
      lua_pushinteger(L, delivered + 1);
      spec_pushresult(L, &r->c[delivered]);
      free(r->c[delivered].out[0].p);
      free(r->c[delivered].out[1].p);
      r->c[delivered].out[0].p = r->c[delivered].out[1].p = NULL;
      delivered++;
      lua_call(L, 2, 1);
      stop = lua_toboolean(L, -1);
      lua_pop(L, 1);
      if (stop) break;
    }
    if (stop) break;
    if (spec_signal != 0) spec_interrupted(r);
    if (delivered >= n) break;
    if (np == 0) {
      if (wait_ms > 0) poll(NULL, 0, wait_ms < 10 ? wait_ms : 10);
      continue;
    }
    if (poll(pfd, (nfds_t)np, wait_ms < 0 ? 0 : wait_ms) < 0) {
      if (errno == EINTR) continue;
      return luaL_error(L, "poll: %s", strerror(errno));
    }
    for (i = 0; i < np; i++) {
      spec_child *c = &r->c[who[i] / 2];
      int k = who[i] % 2;
      char buf[8192];
      ssize_t got;
      if (pfd[i].revents == 0 || c->fd[k] < 0) continue;
      got = read(c->fd[k], buf, sizeof buf);
      if (got > 0) {
        if (spec_append(&c->out[k], buf, (size_t)got) != 0)
          return luaL_error(L, "out of memory");
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(c->fd[k]);
        c->fd[k] = -1;
      }
    }
  }
  /* what is still running (after a stop) dies now, whole groups */
  spec_run_free(r);
  return 0;
}

/*
** {======================================================================
** Memory in the child: a bound on the Lua heap, and MemoryError objects
** =======================================================================
*/

/* The Lua heap of a spec child: the allocator it had, and a bound. */
typedef struct spec_heap {
  lua_Alloc f;
  void *ud;
  size_t used, limit;
  lua_State *L;             /* the main thread, for where memory ran out */
} spec_heap;

static spec_heap spec_the_heap;
static char spec_oom_where[256];   /* "file:line" of the last refusal */

/* Note the innermost Lua line running (no allocation: getstack/getinfo
** with "Sl" read the call stack only). */
static void spec_note_where(lua_State *L) {
  lua_Debug ar;
  int level;
  spec_oom_where[0] = '\0';
  if (L == NULL) return;
  for (level = 0; level < 64 && lua_getstack(L, level, &ar); level++) {
    if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
    snprintf(spec_oom_where, sizeof spec_oom_where, "%s:%d", ar.short_src, ar.currentline);
    return;
  }
}

/* Growth past the bound fails (Lua then collects and retries, and raises
** a memory error if it still fails); shrinking and freeing never fail. */
static void *spec_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  spec_heap *h = (spec_heap *)ud;
  size_t old = ptr != NULL ? osize : 0;
  void *p;
  if (nsize > old && h->limit > 0 &&
      (nsize - old > h->limit || h->used + (nsize - old) > h->limit)) {
    spec_note_where(h->L);
    return NULL;
  }
  p = h->f(h->ud, ptr, osize, nsize);
  if (p == NULL && nsize > 0) return NULL;
  h->used = h->used + nsize - old;
  return p;
}

/* limit_memory(bytes): bound this state's Lua heap (0: no bound). */
static int spec_limit_memory(lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 1);
  spec_heap *h = &spec_the_heap;
  void *ud;
  lua_Alloc f = lua_getallocf(L, &ud);
  if (f != spec_alloc) {
    h->f = f;
    h->ud = ud;
    h->used = (size_t)lua_gc(L, LUA_GCCOUNT, 0) * 1024 + (size_t)lua_gc(L, LUA_GCCOUNTB, 0);
    lua_setallocf(L, spec_alloc, h);
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
  h->L = lua_tothread(L, -1);
  lua_pop(L, 1);
  h->limit = n > 0 ? (size_t)n : 0;
  return 0;
}

/*
** pcall and xpcall as Lua's own, except that a memory error gives the
** error object make_error(where) (upvalue 1: a MemoryError, 'where' the
** "file:line" at which the Lua heap reached its bound, or nil) rather than
** Lua's preallocated string, so that a spec sees the same kind of error
** whether the runtime or Lua ran out of memory.
*/
static int spec_finishpcall(lua_State *L, int status, lua_KContext extra) {
  if (status != LUA_OK && status != LUA_YIELD) {
    if (status == LUA_ERRMEM) {
      int top = lua_gettop(L);
      lua_pushvalue(L, lua_upvalueindex(1));
      if (spec_oom_where[0] != '\0') lua_pushstring(L, spec_oom_where);
      else lua_pushnil(L);
      spec_oom_where[0] = '\0';
      if (lua_pcall(L, 1, 1, 0) == LUA_OK) lua_replace(L, top);
      else lua_settop(L, top);       /* keep Lua's string */
    }
    lua_pushboolean(L, 0);
    lua_pushvalue(L, -2);
    return 2;
  }
  return lua_gettop(L) - (int)extra;
}

static int spec_pcall(lua_State *L) {
  int status;
  luaL_checkany(L, 1);
  lua_pushboolean(L, 1);
  lua_insert(L, 1);
  status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, spec_finishpcall);
  return spec_finishpcall(L, status, 0);
}

static int spec_xpcall(lua_State *L) {
  int status, n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushboolean(L, 1);
  lua_pushvalue(L, 1);
  lua_rotate(L, 3, 2);
  status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, spec_finishpcall);
  return spec_finishpcall(L, status, 2);
}

/* protected_calls(make_error) -> pcall, xpcall */
static int spec_protected_calls(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_pushvalue(L, 1);
  lua_pushcclosure(L, spec_pcall, 1);
  lua_pushvalue(L, 1);
  lua_pushcclosure(L, spec_xpcall, 1);
  return 2;
}

/* }====================================================================== */

/*
** die_with_runner(): in a child, make the end of the runner, however it
** ends (SIGKILL included), the end of the child's whole process group: the
** parent-death signal becomes SIGTERM, whose handler kills the group the
** child leads, so that what a spec started does not outlive the runner.
*/
static void spec_kill_group(int sig) {
  (void)sig;
  kill(0, SIGKILL);
  _exit(128 + SIGKILL);
}

static int spec_die_with_runner(lua_State *L) {
#ifdef __linux__
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = spec_kill_group;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  /* until now it was SIGKILL (spec_start): a runner gone before this line
  ** took the child with it, before any spec could start anything */
  prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
  (void)L;
  return 0;
}

static const luaL_Reg spec_funcs[] = {
  {"die_with_runner", spec_die_with_runner},
  {"limit_memory", spec_limit_memory},
  {"protected_calls", spec_protected_calls},
  {"self_exe", spec_self_exe},
  {"now", spec_lua_now},
  {"isatty", spec_isatty},
  {"cpu_count", spec_cpu_count},
  {"write_fd", spec_write_fd},
  {"run", spec_runall},
  {NULL, NULL}
};

int spec_open(lua_State *L) {
  luaL_newlib(L, spec_funcs);
  lua_pushinteger(L, SPEC_REPORT_FD);
  lua_setfield(L, -2, "report_fd");
  return 1;
}
