/*
** main.c -- the intspect executable: command dispatch and the Lua state.
**
** Every command is one row of 'cli_commands': a name, a one-line summary,
** its usage text and the function that runs it.  A new command is a new
** row (and usually a file of its own); `intspect help` lists the rows, so
** only commands that exist are ever shown.
**
** Each command gets a fresh Lua state with the standard libraries and the
** intspect module loaded (global 'intspect', and require "intspect").
** Exit status: 0 success, 1 failure, 2 usage error.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "intspect.h"
#include "lintspect.h"
#include "spec.h"
#include "spec_lua.h"      /* cli_spec_source: harness/spec.lua */
#include "fuzzcmd.h"       /* isp_fuzz_main: harness/fuzzcmd.c */
#include "fuzzprop.h"      /* fp_replay_dir: harness/fuzzprop.c */
#include "explore.h"       /* ex_main: harness/explore.c */
#ifdef ISP_HAVE_REPLAY
#include "replay.h"        /* isp_replay_main: fuzz/replay.c */
#endif

#define CLI_USAGE 2

typedef struct cli_command {
  const char *name;
  const char *summary;
  const char *usage;        /* shown by `intspect help NAME` */
  int (*run)(lua_State *L, int argc, char **argv);  /* argv[0] is the command */
} cli_command;

static const cli_command *cli_find(const char *name);
static void cli_print_overview(FILE *f);
static int cli_help(lua_State *L, int argc, char **argv);

static const char *cli_progname = "intspect";
static const char *cli_argv0 = "intspect";   /* the executable as started */


/*
** {======================================================================
** Lua state and error reporting
** =======================================================================
*/

/* Call the function below 'nargs' arguments; 1 and a message on error. */
static int cli_pcall(lua_State *L, int nargs, int nres) {
  int status = lintspect_pcall(L, nargs, nres);
  if (status == LUA_ERRMEM) {
    /* as a script's pcall sees it (lintspect_openlibs) */
    fprintf(stderr, "%s: MemoryError: not enough memory\n", cli_progname);
    lua_pop(L, 1);
    return 1;
  }
  if (status != LUA_OK) {
    fprintf(stderr, "%s: %s\n", cli_progname, lua_tostring(L, -1));
    lua_pop(L, 1);
    return 1;
  }
  return 0;
}

static lua_State *cli_newstate(void) {
  lua_State *L = luaL_newstate();
  if (L == NULL) {
    fprintf(stderr, "%s: cannot create a Lua state: not enough memory\n", cli_progname);
    exit(1);
  }
  lua_pushcfunction(L, lintspect_openlibs);
  if (cli_pcall(L, 0, 0) != 0) {
    lua_close(L);
    exit(1);
  }
  return L;
}

/*
** The global 'arg', as lua.c builds it: argv[script] at index 0, what
** precedes it at negative indices, the executable first.
*/
static void cli_setargs(lua_State *L, int argc, char **argv, int script) {
  int i;
  lua_createtable(L, argc - script, script + 2);
  lua_pushstring(L, cli_argv0);
  lua_rawseti(L, -2, -script - 1);
  for (i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - script);
  }
  lua_setglobal(L, "arg");
}

/* }====================================================================== */


/*
** {======================================================================
** Commands
** =======================================================================
*/

static int cli_usage_error(const char *cmd, const char *msg) {
  fprintf(stderr, "%s%s%s: %s\nrun '%s help%s%s' for usage\n", cli_progname,
          cmd ? " " : "", cmd ? cmd : "", msg, cli_progname, cmd ? " " : "", cmd ? cmd : "");
  return CLI_USAGE;
}

/*
** intspect run [--] FILE.lua|- [ARG ...]: as lua.c runs a script; "-" reads
** the script from stdin.  --help prints the usage; any other option before
** the script is a usage error (a script named "-x" runs as `run -- -x`).
*/
static int cli_run(lua_State *L, int argc, char **argv) {
  int i, status, script = 1;
  const char *file;
  if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    fputs(cli_find("run")->usage, stdout);
    return 0;
  }
  if (argc >= 2 && strcmp(argv[1], "--") == 0) script = 2;
  else if (argc >= 2 && argv[1][0] == '-' && argv[1][1] != '\0') {
    char msg[256];
    snprintf(msg, sizeof msg, "unknown option '%.200s' (a script of that name: run -- FILE)",
             argv[1]);
    return cli_usage_error("run", msg);
  }
  if (argc <= script) return cli_usage_error("run", "missing FILE.lua (or - for stdin)");
  file = argv[script];
  if (luaL_loadfile(L, strcmp(file, "-") == 0 ? NULL : file) != LUA_OK) {
    fprintf(stderr, "%s: %s\n", cli_progname, lua_tostring(L, -1));
    return 1;
  }
  /* arg[0] is the script, arg[-1] "run", arg[-2] the executable */
  cli_setargs(L, argc, argv, script);
  for (i = script + 1; i < argc; i++) lua_pushstring(L, argv[i]);
  status = cli_pcall(L, argc - script - 1, 0);
  return status == 0 ? 0 : 1;
}

/* intspect spec ...: harness/spec.lua does the work */
static int cli_spec(lua_State *L, int argc, char **argv) {
  int i, status;
  lua_Integer code;
  const char *usage = cli_find("spec")->usage;
  cli_setargs(L, argc, argv, 0);
  if (luaL_loadbuffer(L, cli_spec_source, sizeof cli_spec_source - 1, "=[spec.lua]") != LUA_OK) {
    fprintf(stderr, "%s: %s\n", cli_progname, lua_tostring(L, -1));
    return 1;
  }
  spec_open(L);
  lua_getglobal(L, "intspect");
  lua_pushstring(L, usage);
  for (i = 1; i < argc; i++) lua_pushstring(L, argv[i]);
  status = cli_pcall(L, argc + 2, 1);
  if (status != 0) return 1;
  code = lua_tointeger(L, -1);
  lua_pop(L, 1);
  return (int)code;
}

#ifdef ISP_HAVE_REPLAY
/* intspect replay: the fuzz side owns the driver; no Lua is involved. */
static int cli_replay(lua_State *L, int argc, char **argv) {
  (void)L;
  return isp_replay_main_lua(argc, argv, fp_replay_dir);
}
#endif

/* intspect fuzz: harness/fuzzcmd.c picks what runs; no Lua is involved. */
static int cli_fuzz(lua_State *L, int argc, char **argv) {
  (void)L;
  return isp_fuzz_main(cli_progname, cli_find("fuzz")->usage, argc, argv);
}

/* intspect explore: harness/explore.c makes its own Lua states. */
static int cli_explore(lua_State *L, int argc, char **argv) {
  (void)L;
  return ex_main(cli_progname, cli_find("explore")->usage, argc, argv);
}

static const cli_command cli_commands[] = {
  {"spec", "run spec files with busted, one process per file",
   "usage: intspect spec [PATH ...] [--profile P] [--timeout S] [--jobs N]\n"
   "                     [--max-memory MB] [busted options]\n"
   "\n"
   "Runs the spec files (*_spec.lua, searched recursively; default specs/)\n"
   "with busted inside intspect's own Lua, the intspect module preloaded.\n"
   "Each file runs in a child process, so a crash or a hang is reported as\n"
   "an error of that file and the other files still run.  Output is busted's,\n"
   "file by file, then one line \"N passed, N failed[, N skipped]\".\n"
   "\n"
   "  --profile P   run only profile P in intspect.describe_profiles blocks\n"
   "                (one of the names in intspect.profiles; INTSPECT_PROFILE\n"
   "                does the same; an unknown name is a usage error)\n"
   "  --timeout S   seconds a file may run before it is killed (default 60)\n"
   "  --jobs N, -j N  files run at once (default: CPUs, at most 8); output\n"
   "                keeps file order either way\n"
   "  --max-memory MB  Lua heap of one file (default 1024; 0: no bound); out\n"
   "                of memory in Lua is a MemoryError object in the spec\n"
   "\n"
   "Every busted option works as busted defines it, or is refused:\n"
   "  -p/--pattern P, --exclude-pattern P, --no-recursive, -C DIR,\n"
   "  --shuffle-files, --sort-files, --no-keep-going (no file runs after the\n"
   "  first that failed), --coverage (needs LuaCov): done by the runner;\n"
   "  --filter PAT, --filter-out PAT, --tags T, --exclude-tags T, -e STMT,\n"
   "  --shuffle, --seed N, --repeat N, -v, --list, ...: passed to each file;\n"
   "  -o TAP|junit|json|plainTerminal|utfTerminal|gtest|MODULE,\n"
   "  -Xoutput FILE (junit: the document goes there); --lua is refused.\n"
   "\n"
   "With -o TAP the files make one TAP 13 stream with one plan; with\n"
   "-o junit one <testsuites> document (a <testsuite> per file); with\n"
   "-o json one array.  The runner writes these from the results, and what\n"
   "the specs print goes into them only as TAP diagnostics, <system-out> or\n"
   "a JSON \"output\" string.  For junit and json the count line goes to\n"
   "stderr.  SIGINT/SIGTERM kill every file's process group.\n"
   "\n"
   "exit status: 0 all passed, 1 a spec failed or errored, no spec file was\n"
   "found, or no test ran (except with --list), 2 usage error\n",
   cli_spec},
  {"run", "run a Lua script with the intspect module loaded",
   "usage: intspect run [--] FILE.lua [ARG ...]\n"
   "       intspect run - [ARG ...]          (the script from stdin)\n"
   "       intspect run --help\n"
   "\n"
   "Runs FILE.lua in intspect's Lua with the module loaded as the global\n"
   "'intspect' (require \"intspect\" gives the same table).  The script gets\n"
   "its arguments in 'arg' (arg[0] is FILE.lua, or \"-\") and as '...'.\n"
   "\n"
   "exit status: 0, or 1 with the error on stderr (2: no FILE given, or an\n"
   "unknown option)\n",
   cli_run},
#ifdef ISP_HAVE_REPLAY
  {"replay", "replay the regression corpus through every fuzz target",
   "usage: intspect replay [-v] [DIR|FILE ...]\n"
   "\n"
   "Runs every file under DIR/<target>/ (default corpus/) through the fuzz\n"
   "target the directory names (arith, str, alloc, bytes), each target's\n"
   "files in a child process, so a crash is reported by file name and the\n"
   "rest still run; <target>/regressions/ too.  DIR/lua-NAME/ holds inputs\n"
   "of the Lua property fuzz/props/NAME.lua, which run through it the same\n"
   "way.  No fuzzing engine is needed.  Ends with one line\n"
   "\"N passed, N failed\".\n"
   "\n"
   "exit status: 0 none failed, 1 otherwise (each failing file is named),\n"
   "2 usage error\n",
   cli_replay},
#endif
  {"fuzz", "fuzz a property written in Lua, or the C fuzz targets",
   "usage: intspect fuzz PROP.lua [--engine libfuzzer|afl] [--sanitizer S]\n"
   "                    [--no-lua-coverage] [engine flags] [CORPUS_DIR ...|FILE ...]\n"
   "       intspect fuzz TARGET|all [--engine libfuzzer|afl] [--jobs N] [--time S]\n"
   "                    [--sanitizer address|undefined|none] [options]\n"
   "\n"
   "PROP.lua returns a function of a data provider (docs/fuzzing-lua.md) and\n"
   "asserts what must hold.  libFuzzer (or AFL++) runs it, guided by the C\n"
   "runtime's coverage and by Lua's own line coverage; every other flag is the\n"
   "engine's (-runs=N, -max_total_time=S, -jobs=N, -fork=N, -merge=1, -dict=F,\n"
   "-seed=N, ...).  Defaults: the corpus corpus/lua-NAME/, findings saved in\n"
   "corpus/lua-NAME/regressions/ with the traceback and the decoded arguments\n"
   "printed, the property's max_len (else 4096), -detect_leaks=0 (the runtime's\n"
   "leaks are checked after every input instead).  Given only FILEs, each is\n"
   "replayed here with no engine.  --no-lua-coverage leaves Lua lines out of\n"
   "the engine's coverage; --sanitizer address (default), undefined or none.\n"
   "\n"
   "Builds the fuzz targets when needed (.clusterfuzzlite/build.sh, clang;\n"
   "afl-clang-fast for AFL++), fuzzes TARGET (arith, str, alloc, bytes, ...)\n"
   "on every CPU for S seconds (default 600; 90s, 15m, 2h), printing a progress\n"
   "line every few seconds, and ends with a summary.  'all' runs every target\n"
   "in turn and splits S between them.\n"
   "\n"
   "Each crash is reproduced, deduplicated by its stack, minimized, saved as\n"
   "corpus/TARGET/regressions/<what>-<where>-<sha1-8> and printed with the\n"
   "command that reproduces it; 'intspect replay' runs it from then on.  The\n"
   "inputs that add coverage are merged into corpus/TARGET/.  Timeouts and\n"
   "out-of-memory inputs are reported as slow inputs, not findings.\n"
   "\n"
   "  --engine E       libfuzzer (default: fork mode, -fork=N) or afl (AFL++:\n"
   "                   one main and N-1 secondary instances)\n"
   "  --jobs N         fuzzing processes (default: the number of CPUs)\n"
   "  --time S         seconds in all (default 600)\n"
   "  --sanitizer S    address (default), undefined or none\n"
   "  --timeout S      seconds after which an input is slow (default 25)\n"
   "  --rss-limit MB   the engine's memory limit (default 2560)\n"
   "  --no-merge       leave corpus/TARGET/ unchanged\n"
   "  --findings DIR   save findings in DIR/TARGET/ instead\n"
   "  --corpus DIR     start from and merge into DIR/TARGET/ instead of\n"
   "                   corpus/TARGET/\n"
   "  --prebuilt DIR   fuzz the fuzz_TARGET binaries in DIR, without building\n"
   "  --interval S     seconds between progress lines (default 5)\n"
   "\n"
   "Needs clang with its runtime libraries (apt-get install clang\n"
   "libclang-rt-dev), zip and GMP; AFL++ for --engine afl (apt-get install\n"
   "afl++).  Runs fuzz/campaign.sh of the source tree this executable was\n"
   "built from (or $INTSPECT_SOURCE_DIR).\n"
   "\n"
   "exit status: 0 no finding, 1 a finding, 2 usage error or nothing could run\n",
   cli_fuzz},
  {"explore", "measure small-int cache ranges on workloads: histogram, costs, t-tests, report",
   "usage: intspect explore [WORKLOAD ...] [--ranges LIST] [--profile P] [--repeat N]\n"
   "                        [--out DIR] [--hist LO:HI]\n"
   "       intspect explore --counts FILE [--ranges LIST] [--profile P] [--out DIR]\n"
   "\n"
   "The experiment of seed 002 (is [-5, 256] the right small-int cache?) in one\n"
   "command.  Each WORKLOAD (a name in workloads/, or a FILE.lua returning\n"
   "{models = \"...\", run = function(R) ... end}; default: every workloads/*.lua)\n"
   "runs once under the profile's own range with the creation histogram on, its\n"
   "runtime calls recorded.  The record is replayed in C: once to check that it\n"
   "gives the live run's counts, once per range to count, then --repeat times\n"
   "per range, interleaved, timing the runtime's creation (start-up) apart from\n"
   "the replay (steady state).  Each range is compared with the default by\n"
   "Welch's t-test (p-value, 95% interval of the time ratio).\n"
   "\n"
   "  --ranges LIST  NSMALLNEGINTS:NSMALLPOSINTS,... (default\n"
   "                 0:0,5:257,5:513,1000:1001,1000000:1000001; 0:0 is no cache;\n"
   "                 the profile's own range is added when missing)\n"
   "  --profile P    the runtime profile (default cpython3.14)\n"
   "  --repeat N     timed replays per workload and range (default 10)\n"
   "  --out DIR      where the results go (default explore-out; created)\n"
   "  --hist LO:HI   the values counted one by one (default -1000:1000)\n"
   "  --counts FILE  no workloads: a value,count CSV from elsewhere (a header,\n"
   "                 blank lines and # comments allowed; repeated values add up)\n"
   "                 goes through the same report\n"
   "\n"
   "Writes DIR/histogram.csv, ranges.csv, workloads.csv, samples.csv, plots.gp,\n"
   "the plots (histogram, histogram-positive, ranges-time, ranges-memory; PNG\n"
   "and SVG, when gnuplot is installed: apt-get install gnuplot-nox) and\n"
   "report.md, which states the findings with the run's numbers.  A progress\n"
   "line goes to stderr.\n"
   "\n"
   "A workload's live run stops with an error after 300 s.\n"
   "\n"
   "exit status: 0, 1 a workload failed (named, with its error; the rest is\n"
   "still reported), 2 usage error (bad ranges, --hist or --counts line, unknown\n"
   "workload or profile, unwritable DIR)\n",
   cli_explore},
  {"help", "show this overview or the usage of one command",
   "usage: intspect help [COMMAND]\n", cli_help},
  {NULL, NULL, NULL, NULL}
};

static const cli_command *cli_find(const char *name) {
  int i;
  for (i = 0; cli_commands[i].name != NULL; i++)
    if (strcmp(cli_commands[i].name, name) == 0) return &cli_commands[i];
  return NULL;
}

static void cli_print_overview(FILE *f) {
  int i;
  fprintf(f, "usage: %s COMMAND [ARG ...]\n\ncommands:\n", cli_progname);
  for (i = 0; cli_commands[i].name != NULL; i++)
    fprintf(f, "  %-8s %s\n", cli_commands[i].name, cli_commands[i].summary);
  fprintf(f, "\n  %s --version    print the version\n"
             "  %s help COMMAND  usage of one command\n", cli_progname, cli_progname);
}

/* intspect help [COMMAND] */
static int cli_help(lua_State *L, int argc, char **argv) {
  (void)L;
  if (argc < 2) {
    cli_print_overview(stdout);
    return 0;
  }
  if (cli_find(argv[1]) != NULL) {
    fputs(cli_find(argv[1])->usage, stdout);
    return 0;
  }
  fprintf(stderr, "%s help: unknown command '%s'\n", cli_progname, argv[1]);
  cli_print_overview(stderr);
  return CLI_USAGE;
}

/* }====================================================================== */


int main(int argc, char **argv) {
  const char *cmd;
  const cli_command *command;
  lua_State *L;
  int status;
  if (argc < 2) {
    cli_print_overview(stderr);
    return CLI_USAGE;
  }
  cli_argv0 = argv[0];
  cmd = argv[1];
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-v") == 0) {
    printf("%s %s\n", cli_progname, INTSPECT_VERSION);
    return 0;
  }
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    cli_print_overview(stdout);
    return 0;
  }
  command = cli_find(cmd);
  if (command != NULL) {
    L = cli_newstate();
    status = command->run(L, argc - 1, argv + 1);
    lua_close(L);
    return status;
  }
  fprintf(stderr, "%s: unknown command '%s'\n", cli_progname, cmd);
  cli_print_overview(stderr);
  return CLI_USAGE;
}
