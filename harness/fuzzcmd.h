/*
** fuzzcmd.h -- 'intspect fuzz', for the command table of the executable.
*/
#ifndef fuzzcmd_h
#define fuzzcmd_h

/*
** prog is the executable's name for messages, usage the command's usage
** text; argv[0] is "fuzz", argv[1..] its arguments.  Returns the exit
** status (0 no finding, 1 a finding, 2 usage error), unless the campaign
** script replaces the process.
*/
int isp_fuzz_main(const char *prog, const char *usage, int argc, char **argv);

#endif
