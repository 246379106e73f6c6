/*
** replay_main.c -- the standalone replay executable (build/fuzz/replay),
** the same driver 'intspect replay' runs.
*/
#include "fz.h"

int main(int argc, char **argv) {
  return isp_replay_main(argc, argv);
}
