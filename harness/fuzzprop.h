/*
** fuzzprop.h -- 'intspect fuzz PROP.lua' and the replay of Lua properties'
** corpora, for the command table of the executable.
*/
#ifndef fuzzprop_h
#define fuzzprop_h

#include <stddef.h>

/*
** argv[0] is "fuzz"; 'prop' is the argument naming the property file, and
** the others are options of this command (--engine, --sanitizer,
** --no-lua-coverage) or the engine's own flags, corpus directories or
** input files.  With only files it replays
** them here; otherwise it replaces the process with the engine.  Returns
** the exit status: 0 no finding, 1 a finding, 2 usage error.
*/
int fp_main(const char *prog, const char *prop, int argc, char **argv);

/*
** Replay the corpus directory 'dir' (and its regressions/) of the Lua
** property 'name' (fuzz/props/NAME.lua of the source tree), counting into
** *passed and *failed; each failure is reported on stderr.  Returns 0, or
** -1 when the directory could not be replayed at all (counted as failed).
*/
int fp_replay_dir(const char *dir, const char *name, int verbose, size_t *passed,
                  size_t *failed);

#endif
