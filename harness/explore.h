/*
** explore.h -- `intspect explore`, the small-int cache range experiment
** of seed 002: what explore.c measures and exreport.c writes out.
*/
#ifndef explore_h
#define explore_h

#include <stddef.h>
#include <stdint.h>

#include "intspect.h"
#include "stat.h"
#include "trace.h"

/* One small-int range and what was measured under it. */
typedef struct ex_range {
  int64_t neg, pos;             /* NSMALLNEGINTS, NSMALLPOSINTS */
  int64_t lo, hi;               /* the cached values; lo > hi: the cache is off */
  char label[48];               /* "-5..256", or "off" */
  /* counts of the replays under this range, summed over the workloads */
  uint64_t requests, cache_hits, freelist_hits, allocs, made;
  uint64_t peak_live, peak_bytes;  /* the largest any one workload reached */
  /* the histogram's requests for values in [lo, hi]; have_mass is 0
  ** when the range is not inside the histogram's */
  int have_mass;
  uint64_t mass;
  uint64_t start_bytes;         /* held right after creation */
  uint64_t cache_bytes;         /* start_bytes beyond the same runtime's with the cache off */
  double *startup;              /* seconds to create the runtime, nstartup samples */
  size_t nstartup;
  double *replay;               /* per repeat: seconds to replay every workload */
  double **wreplay;             /* [workload][repeat]: seconds of one replay */
  int have_welch;               /* against the default range */
  st_welch welch;
  int startup_differs;          /* start-up's interval against the default's leaves out 1 */
  st_welch startup_welch;
} ex_range;

/* One workload: the Lua script, its live run and its trace. */
typedef struct ex_workload {
  char *name;
  char *path;
  char *models;                 /* the real program it is modelled on */
  int failed;
  char error[2048];             /* why it failed (cut to fit) */
  double live_seconds;          /* the recorded run, in Lua */
  tr_trace trace;
  isp_stats live;               /* the live run's counts, at its end */
  isp_stats check;              /* its replay's under the same options */
  uint64_t *hist;               /* its creation requests over the histogram range */
} ex_workload;

typedef struct ex_run {
  const char *profile;
  int repeat;
  const char *outdir;
  const char *counts_file;      /* counts from elsewhere instead of workloads */
  char *command_line;
  int64_t hist_lo, hist_hi;
  uint64_t *hist;               /* summed over the workloads, or read from counts_file */
  uint64_t hist_total;          /* the histogram's sum */
  uint64_t requests;            /* creation requests counted by the runtime, all values */
  ex_range *ranges;
  size_t nranges, dflt;         /* ranges[dflt] is the profile's own range */
  ex_workload *work;
  size_t nwork;
  double wall_seconds;          /* from start to the report */
  int have_gnuplot;
  int pinned_cpu;               /* the CPU the timing ran on, or -1: not pinned */
} ex_run;

/* intspect explore ARGS (argv[0] is "explore"): 0, 1 (a workload failed)
** or 2 (usage error), as the command line reports it. */
int ex_main(const char *prog, const char *usage, int argc, char **argv);

/* exreport.c: the CSV files, the plots (when gnuplot is there) and
** report.md in run->outdir.  0, or -1 with a message in err. */
int exr_write(ex_run *run, char *err, size_t errlen);

#endif
