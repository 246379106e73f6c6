/*
** replay.h -- the replay driver's entry point, for the command table of
** the 'intspect' executable: 'intspect replay [-v] [DIR|FILE ...]'.
*/
#ifndef replay_h
#define replay_h

/*
** argv[0] is the command's own name ("replay"), argv[1..] its arguments.
** Returns the exit status: 0 when no file failed, 1 otherwise, 2 on a
** usage error.
*/
int isp_replay_main(int argc, char **argv);

#include <stddef.h>

/*
** Corpus directories named lua-NAME hold inputs of the Lua property NAME.
** fuzz/ knows no Lua: the intspect executable passes the function that
** replays such a directory (counting into *passed and *failed, reporting
** each failure); without one (the standalone replay program) they are
** skipped with a note.
*/
typedef int (*isp_replay_lua_fn)(const char *dir, const char *name, int verbose,
                                 size_t *passed, size_t *failed);
int isp_replay_main_lua(int argc, char **argv, isp_replay_lua_fn lua);

#endif
