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

#endif
