/*
** exreport.c -- what `intspect explore` writes: histogram.csv, ranges.csv,
** workloads.csv, samples.csv, the gnuplot plots and report.md.
**
** Every number in report.md is computed here from the run (or the counts
** file) it reports; the prose around a number is chosen by the number
** (a difference whose interval holds 1 is called no difference).
*/
#define _DEFAULT_SOURCE   /* getloadavg */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "explore.h"

/* What the writers share: the run, and the first error met. */
typedef struct exr_out {
  ex_run *run;
  char *err;
  size_t errlen;
  int failed;
  int plotted;                  /* gnuplot ran and made every plot */
} exr_out;

static FILE *exr_open(exr_out *o, const char *name) {
  char path[4096];
  FILE *f;
  snprintf(path, sizeof path, "%s/%s", o->run->outdir, name);
  f = fopen(path, "w");
  if (f == NULL && !o->failed) {
    snprintf(o->err, o->errlen, "cannot write %s: %s", path, strerror(errno));
    o->failed = 1;
  }
  return f;
}

static void exr_close(exr_out *o, FILE *f, const char *name) {
  int bad = ferror(f);
  if (fclose(f) != 0 || bad) {
    if (!o->failed) snprintf(o->err, o->errlen, "error writing %s/%s", o->run->outdir, name);
    o->failed = 1;
  }
}

static uint64_t exr_h(const ex_run *run, int64_t v) {
  return v >= run->hist_lo && v <= run->hist_hi ? run->hist[v - run->hist_lo] : 0;
}

static double exr_share(uint64_t part, uint64_t whole) {
  return whole ? (double)part / (double)whole : 0;
}

static int exr_timed(const ex_run *run) {
  size_t i;
  for (i = 0; i < run->nwork; i++)
    if (!run->work[i].failed) return 1;
  return 0;
}


/*
** {======================================================================
** CSV files
** =======================================================================
*/

static void exr_histogram_csv(exr_out *o) {
  ex_run *run = o->run;
  FILE *f = exr_open(o, "histogram.csv");
  int64_t v;
  if (f == NULL) return;
  fprintf(f, "value,requests\n");
  for (v = run->hist_lo; v <= run->hist_hi; v++)
    fprintf(f, "%lld,%llu\n", (long long)v, (unsigned long long)exr_h(run, v));
  exr_close(o, f, "histogram.csv");
}

static void exr_ranges_csv(exr_out *o) {
  ex_run *run = o->run;
  FILE *f = exr_open(o, "ranges.csv");
  size_t k;
  int timed = exr_timed(run);
  if (f == NULL) return;
  fprintf(f, "range,nsmallnegints,nsmallposints,lo,hi,is_default,requests,cache_hits,"
             "served_share,hist_mass_in_range,objects_made,allocations_avoided,allocs,"
             "freelist_hits,peak_live,peak_bytes,start_bytes,cache_bytes,startup_ms_mean,"
             "startup_ms_sd,replay_ms_mean,replay_ms_sd,ratio_vs_default,ratio_ci_lo,"
             "ratio_ci_hi,p_value,samples\n");
  for (k = 0; k < run->nranges; k++) {
    const ex_range *r = &run->ranges[k];
    const ex_range *off = NULL;
    size_t j;
    for (j = 0; j < run->nranges; j++)
      if (run->ranges[j].lo > run->ranges[j].hi) off = &run->ranges[j];
    fprintf(f, "%s,%lld,%lld,%lld,%lld,%d,", r->label, (long long)r->neg, (long long)r->pos,
            (long long)r->lo, (long long)r->hi, k == run->dflt);
    if (timed) {
      fprintf(f, "%llu,%llu,%.6f,", (unsigned long long)r->requests,
              (unsigned long long)r->cache_hits, exr_share(r->cache_hits, r->requests));
    } else {
      /* counts from elsewhere: what the cache would serve */
      fprintf(f, "%llu,%llu,%.6f,", (unsigned long long)run->hist_total,
              (unsigned long long)r->mass, exr_share(r->mass, run->hist_total));
    }
    if (r->have_mass) fprintf(f, "%llu,", (unsigned long long)r->mass);
    else fprintf(f, ",");
    if (timed) {
      fprintf(f, "%llu,", (unsigned long long)r->made);
      if (off != NULL) fprintf(f, "%lld,", (long long)(off->made - r->made));
      else fprintf(f, ",");
      fprintf(f, "%llu,%llu,%llu,%llu,", (unsigned long long)r->allocs,
              (unsigned long long)r->freelist_hits, (unsigned long long)r->peak_live,
              (unsigned long long)r->peak_bytes);
    } else {
      fprintf(f, ",,,,,,");
    }
    fprintf(f, "%llu,%llu,%.6f,%.6f,", (unsigned long long)r->start_bytes,
            (unsigned long long)r->cache_bytes, 1e3 * st_mean(r->startup, r->nstartup),
            1e3 * st_sd(r->startup, r->nstartup));
    if (timed) {
      fprintf(f, "%.6f,%.6f,", 1e3 * st_mean(r->replay, (size_t)run->repeat),
              1e3 * st_sd(r->replay, (size_t)run->repeat));
      if (k == run->dflt) fprintf(f, "1,1,1,,");
      else if (r->have_welch)
        fprintf(f, "%.6f,%.6f,%.6f,%.6g,", r->welch.ratio, r->welch.lo, r->welch.hi, r->welch.p);
      else fprintf(f, ",,,,");
      fprintf(f, "%d\n", run->repeat);
    } else {
      fprintf(f, ",,,,,,0\n");
    }
  }
  exr_close(o, f, "ranges.csv");
}

static void exr_csv_text(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s == '\n' ? ' ' : *s, f);
  }
  fputc('"', f);
}

static void exr_workloads_csv(exr_out *o) {
  ex_run *run = o->run;
  FILE *f;
  size_t i;
  if (run->nwork == 0) return;
  f = exr_open(o, "workloads.csv");
  if (f == NULL) return;
  fprintf(f, "workload,models,status,live_seconds,events,trace_bytes,requests,cache_hits,"
             "freelist_hits,allocs,frees,live,bytes,replay_requests,replay_cache_hits,"
             "replay_freelist_hits,replay_allocs,replay_frees,replay_live,replay_bytes,"
             "replay_matches_live,error\n");
  for (i = 0; i < run->nwork; i++) {
    const ex_workload *w = &run->work[i];
    const isp_stats *a = &w->live, *b = &w->check;
    int same = a->created == b->created && a->cache_hits == b->cache_hits &&
               a->freelist_hits == b->freelist_hits && a->allocs == b->allocs &&
               a->frees == b->frees && a->live == b->live && a->bytes == b->bytes;
    fprintf(f, "%s,", w->name);
    exr_csv_text(f, w->models ? w->models : "");
    fprintf(f, ",%s,%.3f,%llu,%zu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,"
               "%llu,%llu,%llu,%llu,%llu,%llu,%llu,%d,",
            w->failed ? "failed" : "ok", w->live_seconds,
            (unsigned long long)w->trace.nevents, w->trace.len,
            (unsigned long long)a->created, (unsigned long long)a->cache_hits,
            (unsigned long long)a->freelist_hits, (unsigned long long)a->allocs,
            (unsigned long long)a->frees, (unsigned long long)a->live,
            (unsigned long long)a->bytes, (unsigned long long)b->created,
            (unsigned long long)b->cache_hits, (unsigned long long)b->freelist_hits,
            (unsigned long long)b->allocs, (unsigned long long)b->frees,
            (unsigned long long)b->live, (unsigned long long)b->bytes, same && !w->failed);
    exr_csv_text(f, w->failed ? w->error : "");
    fputc('\n', f);
  }
  exr_close(o, f, "workloads.csv");
}

/* Every timing taken, so that others can redo the statistics. */
static void exr_samples_csv(exr_out *o) {
  ex_run *run = o->run;
  FILE *f = exr_open(o, "samples.csv");
  size_t k, i;
  int rep;
  if (f == NULL) return;
  fprintf(f, "kind,range,workload,repeat,seconds\n");
  for (k = 0; k < run->nranges; k++) {
    const ex_range *r = &run->ranges[k];
    for (i = 0; i < r->nstartup; i++)
      fprintf(f, "startup,%s,,%zu,%.9f\n", r->label, i + 1, r->startup[i]);
    for (i = 0; i < run->nwork; i++) {
      if (run->work[i].failed) continue;
      for (rep = 0; rep < run->repeat; rep++)
        fprintf(f, "replay,%s,%s,%d,%.9f\n", r->label, run->work[i].name, rep + 1,
                r->wreplay[i][rep]);
    }
  }
  exr_close(o, f, "samples.csv");
}

/* }====================================================================== */


/*
** {======================================================================
** Plots
** =======================================================================
*/

static void exr_gp_terminal(FILE *f, const char *name, const char *ext, int w, int h) {
  if (strcmp(ext, "png") == 0)
    fprintf(f, "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) { set terminal pngcairo size %d,%d "
               "font ',10' } else { set terminal png size %d,%d }\n", w, h, w, h);
  else
    fprintf(f, "set terminal svg size %d,%d dynamic font 'sans,10'\n", w, h);
  fprintf(f, "set output '%s.%s'\n", name, ext);
}

/* plots.gp: the seed's two figures and the per-range time and memory. */
static int exr_plot_script(exr_out *o) {
  ex_run *run = o->run;
  const ex_range *d = &run->ranges[run->dflt];
  FILE *f = exr_open(o, "plots.gp");
  static const char *const exts[] = {"png", "svg"};
  int e;
  if (f == NULL) return -1;
  fprintf(f, "# made by intspect explore; run in this directory: gnuplot plots.gp\n"
             "set datafile separator ','\nset key top right\nset grid ytics\n");
  for (e = 0; e < 2; e++) {
    /* creation frequency per value, log scale, the default range shaded */
    exr_gp_terminal(f, "histogram", exts[e], 1100, 520);
    fprintf(f, "reset\nset datafile separator ','\nset logscale y\nset grid ytics\n"
               "set title 'Creation requests per value (%s%s)'\n"
               "set xlabel 'value'\nset ylabel 'requests (log scale)'\n"
               "set xrange [%lld:%lld]\n"
               "set object 1 rect from %g, graph 0 to %g, graph 1 behind "
               "fillcolor rgb '#dce9f5' fillstyle solid 1.0 noborder\n"
               "plot 'histogram.csv' using 1:($2 > 0 ? $2 : 1/0) every ::1 with impulses "
               "linecolor rgb '#1f4e79' title 'requests', "
               "NaN with boxes fillcolor rgb '#dce9f5' fillstyle solid title "
               "'default cache %lld..%lld'\n",
            run->counts_file ? "counts from " : run->profile,
            run->counts_file ? run->counts_file : ", every workload",
            (long long)run->hist_lo, (long long)run->hist_hi, (double)d->lo - 0.5,
            (double)d->hi + 0.5, (long long)d->lo, (long long)d->hi);
    /* the positive side */
    exr_gp_terminal(f, "histogram-positive", exts[e], 1100, 520);
    fprintf(f, "set title 'Creation requests per value, positive side'\n"
               "set xrange [0:%lld]\nreplot\n", (long long)(run->hist_hi > 0 ? run->hist_hi : 1));
    if (exr_timed(run)) {
      /* time per range with error bars (one standard deviation) */
      exr_gp_terminal(f, "ranges-time", exts[e], 1100, 480);
      fprintf(f, "reset\nset datafile separator ','\nset grid ytics\n"
                 "set multiplot layout 1,2 title 'Time per range (mean and standard "
                 "deviation of %d repeats)'\n"
                 "set style fill solid 0.6 border -1\nset boxwidth 0.6\nset xtics rotate by -30\n"
                 "set yrange [0:*]\nset offsets 0.5, 0.5, 0, 0\n"
                 "set title 'replay of every workload (steady state)'\nset ylabel 'ms'\n"
                 "plot 'ranges.csv' every ::1 using 0:21:22:xtic(1) with boxerrorbars "
                 "linecolor rgb '#1f4e79' notitle\n"
                 "set title 'creating the runtime (start-up, per runtime)'\nset ylabel 'ms'\n"
                 "plot 'ranges.csv' every ::1 using 0:19:20:xtic(1) with boxerrorbars "
                 "linecolor rgb '#b5523b' notitle\n"
                 "unset multiplot\n", run->repeat);
      /* memory per range (exact counts: no spread to show) */
      exr_gp_terminal(f, "ranges-memory", exts[e], 1100, 480);
      fprintf(f, "reset\nset datafile separator ','\nset grid ytics\n"
                 "set multiplot layout 1,2 title 'Memory per range (counted exactly, no spread)'\n"
                 "set style fill solid 0.6 border -1\nset boxwidth 0.6\nset xtics rotate by -30\n"
                 "set yrange [0:*]\nset offsets 0.5, 0.5, 0, 0\n"
                 "set title 'held by the cache at start-up'\nset ylabel 'MiB'\n"
                 "plot 'ranges.csv' every ::1 using 0:($18/1048576):xtic(1) with boxes "
                 "linecolor rgb '#b5523b' notitle\n"
                 "set title 'peak held while replaying (largest workload)'\nset ylabel 'MiB'\n"
                 "plot 'ranges.csv' every ::1 using 0:($16/1048576):xtic(1) with boxes "
                 "linecolor rgb '#1f4e79' notitle\n"
                 "unset multiplot\n");
    }
  }
  exr_close(o, f, "plots.gp");
  return o->failed ? -1 : 0;
}

/* Run gnuplot plots.gp in the output directory, its messages to gnuplot.log. */
static int exr_run_gnuplot(exr_out *o) {
  pid_t pid;
  int status;
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    FILE *log;
    if (chdir(o->run->outdir) != 0) _exit(127);
    log = freopen("gnuplot.log", "w", stderr);
    if (log == NULL || freopen("/dev/null", "w", stdout) == NULL) _exit(127);
    execlp("gnuplot", "gnuplot", "plots.gp", (char *)NULL);
    _exit(127);
  }
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* }====================================================================== */


/*
** {======================================================================
** report.md
** =======================================================================
*/

static const char *exr_bytes(double b, char *buf, size_t n) {
  if (b >= 1048576.0) snprintf(buf, n, "%.1f MiB", b / 1048576.0);
  else if (b >= 1024.0) snprintf(buf, n, "%.1f KiB", b / 1024.0);
  else snprintf(buf, n, "%.0f B", b);
  return buf;
}

static const char *exr_count(uint64_t v, char *buf, size_t n) {
  char digits[32];
  size_t len, i, j = 0;
  snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
  len = strlen(digits);
  for (i = 0; i < len && j + 2 < n; i++) {
    if (i > 0 && (len - i) % 3 == 0) buf[j++] = ',';
    buf[j++] = digits[i];
  }
  buf[j] = '\0';
  return buf;
}

static const ex_range *exr_off(const ex_run *run) {
  size_t k;
  for (k = 0; k < run->nranges; k++)
    if (run->ranges[k].lo > run->ranges[k].hi) return &run->ranges[k];
  return NULL;
}

/* The workload contributing most to value v, and its share. */
static const ex_workload *exr_top_contributor(const ex_run *run, int64_t v, double *share) {
  const ex_workload *best = NULL;
  uint64_t total = exr_h(run, v), most = 0;
  size_t i;
  for (i = 0; i < run->nwork; i++) {
    const ex_workload *w = &run->work[i];
    uint64_t c;
    if (w->failed || w->hist == NULL) continue;
    c = w->hist[v - run->hist_lo];
    if (c > most) {
      most = c;
      best = w;
    }
  }
  *share = exr_share(most, total);
  return best;
}

/* Mean count over the values in [a, b] (inside the histogram), skipping 'skip'. */
static double exr_neighbours(const ex_run *run, int64_t a, int64_t b, int64_t skip) {
  double s = 0;
  int n = 0;
  int64_t v;
  for (v = a; v <= b; v++) {
    if (v == skip || v < run->hist_lo || v > run->hist_hi) continue;
    s += (double)exr_h(run, v);
    n++;
  }
  return n ? s / n : 0;
}

static void exr_findings_histogram(FILE *f, const ex_run *run) {
  const ex_range *d = &run->ranges[run->dflt];
  char b1[32], b2[32], b3[32];
  int64_t v, best_v = INT64_MIN;
  double best = 0;
  uint64_t neg = 0, in_default = 0, pos_above = 0;
  int64_t top[10];
  size_t ntop = 0, i;
  fprintf(f, "## The histogram\n\n");
  fprintf(f, "%s creation requests fell in [%lld, %lld]", exr_count(run->hist_total, b1, sizeof b1),
          (long long)run->hist_lo, (long long)run->hist_hi);
  if (run->counts_file == NULL)
    fprintf(f, ", of %s made in all (%.1f%%)", exr_count(run->requests, b2, sizeof b2),
            100 * exr_share(run->hist_total, run->requests));
  fprintf(f, ".\n\n");
  /* where the frequency drops: the steepest fall between neighbours at 1 and above */
  for (v = run->hist_lo > 1 ? run->hist_lo : 1; v < run->hist_hi; v++) {
    uint64_t a = exr_h(run, v), b = exr_h(run, v + 1);
    double ratio;
    if (a == 0) continue;
    ratio = b ? (double)a / (double)b : INFINITY;
    if (ratio > best) {
      best = ratio;
      best_v = v;
    }
  }
  if (best_v != INT64_MIN) {
    if (isinf(best))
      fprintf(f, "- **Steepest fall between neighbouring values:** from %lld (%s requests) to "
                 "%lld (none).\n", (long long)best_v, exr_count(exr_h(run, best_v), b1, sizeof b1),
              (long long)best_v + 1);
    else
      fprintf(f, "- **Steepest fall between neighbouring values:** from %lld (%s requests) to "
                 "%lld (%s), %.1fx.\n", (long long)best_v, exr_count(exr_h(run, best_v), b1, sizeof b1),
              (long long)best_v + 1, exr_count(exr_h(run, best_v + 1), b2, sizeof b2), best);
  }
  if (run->hist_lo <= 256 && run->hist_hi >= 257) {
    uint64_t a = exr_h(run, 256), b = exr_h(run, 257);
    fprintf(f, "- **The 256/257 step:** 256 was requested %s times, 257 %s times (%s); the mean "
               "over 1..256 is %.0f per value, over 257..%lld %.0f (%.1fx less).\n",
            exr_count(a, b1, sizeof b1), exr_count(b, b2, sizeof b2),
            b ? (snprintf(b3, sizeof b3, "%.1fx", (double)a / (double)b), b3) : "257 never",
            exr_neighbours(run, 1, 256, INT64_MIN),
            (long long)run->hist_hi, exr_neighbours(run, 257, run->hist_hi, INT64_MIN),
            exr_neighbours(run, 257, run->hist_hi, INT64_MIN) > 0
                ? exr_neighbours(run, 1, 256, INT64_MIN) / exr_neighbours(run, 257, run->hist_hi, INT64_MIN)
                : INFINITY);    if (run->hist_lo <= 225 && run->hist_hi >= 288) {
      double below = exr_neighbours(run, 225, 256, INT64_MIN);
      double above = exr_neighbours(run, 257, 288, INT64_MIN);
      fprintf(f, "- **At the boundary:** the 32 values below it (225..256) average %.0f "
                 "requests, the 32 above (257..288) %.0f", below, above);
      if (above > 0) fprintf(f, ": a %.1fx step", below / above);
      fprintf(f, ".\n");
    }
  }
  for (v = run->hist_lo; v <= run->hist_hi; v++) {
    uint64_t c = exr_h(run, v);
    if (v < 0) neg += c;
    if (v >= d->lo && v <= d->hi) in_default += c;
    if (v > d->hi) pos_above += c;
  }
  fprintf(f, "- **Share of the histogram inside the default range %lld..%lld:** %.2f%% "
             "(%s of %s).",
          (long long)d->lo, (long long)d->hi, 100 * exr_share(in_default, run->hist_total),
          exr_count(in_default, b1, sizeof b1), exr_count(run->hist_total, b2, sizeof b2));
  if (run->counts_file == NULL && d->requests > 0)
    fprintf(f, " Counted by the runtime over every value made, the default range served "
               "%.2f%% of all creation requests (%s of %s).",
            100 * exr_share(d->cache_hits, d->requests), exr_count(d->cache_hits, b1, sizeof b1),
            exr_count(d->requests, b2, sizeof b2));
  fprintf(f, "\n- Above %lld: %.2f%% of the histogram; negative values: %.3f%%.\n\n",
          (long long)d->hi, 100 * exr_share(pos_above, run->hist_total),
          100 * exr_share(neg, run->hist_total));

  /* spikes above the default range */
  for (v = d->hi + 1; v <= run->hist_hi; v++) {
    uint64_t c = exr_h(run, v);
    size_t j;
    if (c == 0) continue;
    if (ntop < 10) ntop++;
    else if (exr_h(run, top[ntop - 1]) >= c) continue;
    for (j = ntop - 1; j > 0 && exr_h(run, top[j - 1]) < c; j--) top[j] = top[j - 1];
    top[j] = v;
  }
  if (ntop > 0) {
    fprintf(f, "### Values above the default range that stand out\n\n"
               "| value | requests | x its neighbours (+-8) | most from | share |\n"
               "| ---: | ---: | ---: | --- | ---: |\n");
    for (i = 0; i < ntop; i++) {
      double share = 0, nb = exr_neighbours(run, top[i] - 8, top[i] + 8, top[i]);
      const ex_workload *w = exr_top_contributor(run, top[i], &share);
      fprintf(f, "| %lld | %s | %s | %s | %s |\n", (long long)top[i],
              exr_count(exr_h(run, top[i]), b1, sizeof b1),
              nb > 0 ? (snprintf(b2, sizeof b2, "%.1f", (double)exr_h(run, top[i]) / nb), b2) : "-",
              w ? w->name : "-", w ? (snprintf(b3, sizeof b3, "%.0f%%", 100 * share), b3) : "-");
    }
    fprintf(f, "\n");
  }
}

/* The seed's two open questions, answered with this run's counts. */
static void exr_open_questions(FILE *f, const ex_run *run) {
  char b1[32], b2[32];
  uint64_t neg = 0;
  int64_t v;
  size_t i;
  fprintf(f, "## The seed's open questions\n\n**Why are negative values rare?** ");
  for (v = run->hist_lo; v < 0 && v <= run->hist_hi; v++) neg += exr_h(run, v);
  fprintf(f, "Here %s of %s requests in the histogram were negative (%.3f%%)",
          exr_count(neg, b1, sizeof b1), exr_count(run->hist_total, b2, sizeof b2),
          100 * exr_share(neg, run->hist_total));
  if (run->hist_lo <= -1 && run->hist_hi >= -1)
    fprintf(f, "; -1 alone %s", exr_count(exr_h(run, -1), b1, sizeof b1));
  fprintf(f, ".");
  if (run->nwork > 0) {
    size_t with = 0, ok = 0;
    fprintf(f, " By workload:");
    for (i = 0; i < run->nwork; i++) {
      const ex_workload *w = &run->work[i];
      uint64_t n = 0;
      if (w->failed) continue;
      ok++;
      for (v = run->hist_lo; v < 0 && v <= run->hist_hi; v++) n += w->hist[v - run->hist_lo];
      if (n == 0) continue;
      fprintf(f, "%s %s %s", with ? "," : "", w->name, exr_count(n, b1, sizeof b1));
      with++;
    }
    if (with == 0) fprintf(f, " none made any");
    fprintf(f, " (%zu of %zu workloads make negatives). The integer work of these programs is "
               "counts, indexes, sizes, offsets, byte values and digits, none negative; "
               "negatives come only from differences, steps of -1 and sentinels.", with, ok);
    if (with > 0)
      fprintf(f, " The seed counted exactly zero for every negative value, -1 included, "
                 "while %zu of these %zu programs make some: its patch counted in the "
                 "small-int array, so a zero there says that those creations did not pass "
                 "through that array (constants folded at compile time, or another path), "
                 "rather than that programs never make them.", with, ok);
    fprintf(f, "\n\n");
  } else {
    fprintf(f, "\n\n");
  }
  fprintf(f, "**Why do 256 and 512 spike?**");
  if (run->hist_lo <= 248 && run->hist_hi >= 520) {
    static const int64_t pow2[] = {256, 512};
    int spikes = 0, j;
    for (j = 0; j < 2; j++) {
      double share = 0, nb = exr_neighbours(run, pow2[j] - 8, pow2[j] + 8, pow2[j]);
      const ex_workload *w = exr_top_contributor(run, pow2[j], &share);
      uint64_t c = exr_h(run, pow2[j]);
      int spike = nb > 0 ? c >= 2 * nb : c > 0;
      spikes += spike;
      fprintf(f, " %lld was requested %s times, ", (long long)pow2[j], exr_count(c, b1, sizeof b1));
      if (nb > 0) fprintf(f, "%.1fx the mean of its neighbours (+-8)", (double)c / nb);
      else fprintf(f, "its neighbours never");
      fprintf(f, spike ? ": a spike" : ": no spike");
      if (w != NULL) fprintf(f, " (%.0f%% of it from %s)", 100 * share, w->name);
      fprintf(f, j == 0 ? ";" : ".");
    }
    if (spikes > 0)
      fprintf(f, " Where a power of two stands out, %s makes it as a size or a "
                 "bound, not as data: a table or buffer size and its mask (512 and 511 in the "
                 "dict's probing), a byte's range (256), a limit written as 2**k. Each use "
                 "makes the value again (a length compared, a mask applied, a size doubled), "
                 "while its neighbours are made only when the data happens to reach them.",
              run->nwork > 0 ? "the workload named" : "a program typically");
    else
      fprintf(f, " Neither stands out in these workloads.");
    fprintf(f, "\n\n");
  } else {
    fprintf(f, " (the histogram range does not hold 248..520)\n\n");
  }
}

static void exr_ranges_table(FILE *f, const ex_run *run) {
  const ex_range *d = &run->ranges[run->dflt];
  const ex_range *off = exr_off(run);
  size_t k;
  char b1[32], b2[32], b3[32], b4[32];
  int timed = exr_timed(run);
  fprintf(f, "## Each range against the default (%s)\n\n", d->label);
  if (timed)
    fprintf(f, "Replay time is the steady state: every workload's trace replayed on a runtime "
               "that already exists, mean +- standard deviation of %d repeats. Start-up is "
               "creating that runtime (filling its cache), timed apart, mean of %zu; the "
               "peaks are the largest any one workload reached, the cache included. The "
               "ratio is the range's replay time over the default's (geometric means), with its "
               "95%% confidence interval and the p-value of Welch's t-test on the logarithms "
               "of the times.\n\n",
            run->repeat, d->nstartup);
  fprintf(f, "| range | cached values | served by the cache | objects made%s | cache memory | "
             "start-up | %s\n| --- | ---: | ---: | ---: | ---: | ---: |%s\n",
          off ? " (avoided vs off)" : "",
          timed ? "peak live objects, bytes | replay ms | ratio [95% CI] | p |" : "",
          timed ? " ---: | ---: | --- | ---: |" : "");
  for (k = 0; k < run->nranges; k++) {
    const ex_range *r = &run->ranges[k];
    uint64_t served = timed ? r->cache_hits : r->mass, all = timed ? r->requests : run->hist_total;
    fprintf(f, "| %s%s | %s | %.2f%% | ", r->label, k == run->dflt ? " (default)" : "",
            exr_count(r->lo > r->hi ? 0 : (uint64_t)(r->hi - r->lo + 1), b1, sizeof b1),
            100 * exr_share(served, all));
    if (timed) {
      fprintf(f, "%s", exr_count(r->made, b2, sizeof b2));
      if (off) fprintf(f, " (%s)", exr_count(off->made - r->made, b3, sizeof b3));
    } else {
      fprintf(f, "-");
    }
    fprintf(f, " | %s | %.3f ms |", exr_bytes((double)r->cache_bytes, b4, sizeof b4),
            1e3 * st_mean(r->startup, r->nstartup));
    if (timed) {
      fprintf(f, " %s, %s |", exr_count(r->peak_live, b1, sizeof b1),
              exr_bytes((double)r->peak_bytes, b2, sizeof b2));
      fprintf(f, " %.1f +- %.1f |", 1e3 * st_mean(r->replay, (size_t)run->repeat),
              1e3 * st_sd(r->replay, (size_t)run->repeat));
      if (k == run->dflt) fprintf(f, " 1 | |");
      else if (r->have_welch)
        fprintf(f, " %.3f [%.3f, %.3f] | %.2g |", r->welch.ratio, r->welch.lo, r->welch.hi,
                r->welch.p);
      else fprintf(f, " - (needs --repeat 2 or more) | |");
    }
    fprintf(f, "\n");
  }
  fprintf(f, "\n");
}

/* Replay time per workload and range, each as a ratio to the default:
** which programs the cache helps. */
static void exr_workload_table(FILE *f, const ex_run *run) {
  size_t i, k;
  fprintf(f, "### Per workload\n\nMean replay time under the default range, and under each "
             "other range as a ratio to it (means of %d repeats; single workloads are short, "
             "so read these as directions, the totals above as the test):\n\n| workload | "
             "default ms |", run->repeat);
  for (k = 0; k < run->nranges; k++)
    if (k != run->dflt) fprintf(f, " %s |", run->ranges[k].label);
  fprintf(f, "\n| --- | ---: |");
  for (k = 0; k + 1 < run->nranges; k++) fprintf(f, " ---: |");
  fprintf(f, "\n");
  for (i = 0; i < run->nwork; i++) {
    double dm;
    if (run->work[i].failed) continue;
    dm = st_mean(run->ranges[run->dflt].wreplay[i], (size_t)run->repeat);
    fprintf(f, "| %s | %.2f |", run->work[i].name, 1e3 * dm);
    for (k = 0; k < run->nranges; k++)
      if (k != run->dflt)
        fprintf(f, " %.3f |", dm > 0 ? st_mean(run->ranges[k].wreplay[i], (size_t)run->repeat) / dm : 0);
    fprintf(f, "\n");
  }
  fprintf(f, "\n");
}

/* A few sentences per range on what it gains or costs against the
** default; a steady-state difference counts only when its interval
** leaves out 1. */
static void exr_range_verdicts(FILE *f, const ex_run *run) {
  const ex_range *d = &run->ranges[run->dflt];
  double dmean = st_mean(d->replay, (size_t)run->repeat);
  double dstart = st_mean(d->startup, d->nstartup);
  size_t k;
  char b1[32], b2[32];
  fprintf(f, "### What each range gains or costs\n\n");
  for (k = 0; k < run->nranges; k++) {
    const ex_range *r = &run->ranges[k];
    double mean = st_mean(r->replay, (size_t)run->repeat);
    double start = st_mean(r->startup, r->nstartup);
    /* a start-up difference its interval does not show is none */
    double extra = r->startup_differs ? start - dstart : 0;
    long long more = (long long)r->made - (long long)d->made;
    int faster = 0, slower = 0;
    if (k == run->dflt) continue;
    fprintf(f, "- **%s:** the cache serves %.2f%% of requests (default %.2f%%): %s objects %s "
               "than under the default. ",
            r->label, 100 * exr_share(r->cache_hits, r->requests),
            100 * exr_share(d->cache_hits, d->requests),
            exr_count((uint64_t)(more < 0 ? -more : more), b1, sizeof b1),
            more < 0 ? "fewer" : "more");
    if (r->have_welch) {
      faster = r->welch.hi < 1;
      slower = r->welch.lo > 1;
      if (!faster && !slower)
        fprintf(f, "Steady state: no difference shown (ratio %.3f, interval [%.3f, %.3f] holds "
                   "1, p = %.2g). ", r->welch.ratio, r->welch.lo, r->welch.hi, r->welch.p);
      else
        fprintf(f, "Steady state: %.1f%% %s (ratio %.3f [%.3f, %.3f], p = %.2g). ",
                100 * fabs(r->welch.ratio - 1), faster ? "faster" : "slower",
                r->welch.ratio, r->welch.lo, r->welch.hi, r->welch.p);
    }
    fprintf(f, "Start-up: %.3f ms and %s held by the cache (default %.3f ms, %s)",
            1e3 * start, exr_bytes((double)r->cache_bytes, b1, sizeof b1), 1e3 * dstart,
            exr_bytes((double)d->cache_bytes, b2, sizeof b2));
    if (!r->startup_differs) fprintf(f, ", no difference in time shown");
    if (extra > 0 && dmean > 0)
      fprintf(f, "; the extra %.3f ms is %.2g%% of one pass of every workload's integer work "
                 "(%.1f ms)", 1e3 * extra, 100 * extra / dmean, 1e3 * dmean);
    fprintf(f, ".");
    if (extra > 0 && faster) {
      double runs = extra / (dmean - mean);
      fprintf(f, " The steady gain (%.1f ms per pass) repays the extra start-up after %.3g "
                 "passes; a program doing less integer work than that comes out slower.",
              1e3 * (dmean - mean), runs);
    } else if (extra > 0 && slower) {
      fprintf(f, " Slower both to start and in the steady state.");
      if (r->cache_bytes > ((uint64_t)8 << 20))
        fprintf(f, " The runtime does the same work or less here; a likely cause is that a "
                   "cache of %s no longer fits the processor's caches, so a hit reads its "
                   "pointer and object from memory.", exr_bytes((double)r->cache_bytes, b1, sizeof b1));
    } else if (extra > 0 && r->have_welch) {
      fprintf(f, " With no steady gain shown, the start-up is a cost with nothing to repay it:");
      if (extra > 0.01 * dmean)
        fprintf(f, " large enough to show in a short program's whole run, which is the "
                   "seed's finding for its [-1e6, 1e6] build (start-up benchmarks 20x slower).");
      else
        fprintf(f, " too small to matter to any program.");
    }
    fprintf(f, "\n");
  }
  fprintf(f, "\n");
}

static void exr_report(exr_out *o) {
  ex_run *run = o->run;
  FILE *f = exr_open(o, "report.md");
  struct utsname un;
  char when[64], b1[32], b2[32];
  time_t now = time(NULL);
  size_t i;
  int timed = exr_timed(run);
  if (f == NULL) return;
  strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&now));
  if (uname(&un) != 0) snprintf(un.machine, sizeof un.machine, "?");
  fprintf(f, "# Small-int cache ranges: %s\n\n", run->counts_file ? "counts from elsewhere"
                                                                 : "explore run");
  fprintf(f, "`%s`, %s, %ld CPUs (%s), profile %s, %.1f s", run->command_line, when,
          sysconf(_SC_NPROCESSORS_ONLN), un.machine, run->profile, run->wall_seconds);
  if (timed && run->pinned_cpu >= 0) fprintf(f, "; timed on CPU %d alone", run->pinned_cpu);
  {
    double load[3];
    if (getloadavg(load, 3) == 3) fprintf(f, "; load average %.2f at the end", load[0]);
  }
  fprintf(f, ".\n\n");
  if (run->counts_file) {
    fprintf(f, "The counts come from `%s` (values outside [%lld, %lld] count in no range). "
               "What each range would serve is the counts' mass inside it; nothing was "
               "replayed, so only start-up time and memory are measured.\n\n",
            run->counts_file, (long long)run->hist_lo, (long long)run->hist_hi);
  } else {
    fprintf(f, "Each workload ran once in Lua under the default range with the creation "
               "histogram on and its runtime calls recorded; the record was replayed under "
               "the same options and gave the live run's counts exactly (workloads.csv), then "
               "replayed in C under every range, ranges interleaved and rotated, so the times "
               "are the runtime's own, not the interpreter's.\n\n"
               "| workload | models | live run | events | requests |\n| --- | --- | ---: | ---: | ---: |\n");
    for (i = 0; i < run->nwork; i++) {
      const ex_workload *w = &run->work[i];
      fprintf(f, "| %s | %s | %s | %s | %s |\n", w->name, w->models ? w->models : "-",
              w->failed ? "**failed**" : (snprintf(when, sizeof when, "%.2f s", w->live_seconds), when),
              exr_count(w->trace.nevents, b1, sizeof b1),
              w->failed ? "-" : exr_count(w->live.created, b2, sizeof b2));
    }
    fprintf(f, "\n");
    for (i = 0; i < run->nwork; i++)
      if (run->work[i].failed)
        fprintf(f, "**%s failed:**\n\n```\n%s\n```\n\n", run->work[i].name, run->work[i].error);
  }
  if (o->plotted)
    fprintf(f, "![creation requests per value](histogram.png)\n\n"
               "![positive side](histogram-positive.png)\n\n");
  else if (!run->have_gnuplot)
    fprintf(f, "Plots skipped: gnuplot is not installed (Debian: `apt-get install "
               "gnuplot-nox`); `gnuplot plots.gp` in this directory makes them later.\n\n");
  else
    fprintf(f, "Plots failed: gnuplot's messages are in gnuplot.log.\n\n");
  if (run->hist_total > 0 || run->counts_file) exr_findings_histogram(f, run);
  exr_ranges_table(f, run);
  if (timed) {
    exr_workload_table(f, run);
    exr_range_verdicts(f, run);
    if (o->plotted)
      fprintf(f, "![time per range](ranges-time.png)\n\n![memory per range](ranges-memory.png)\n\n");
  }
  exr_open_questions(f, run);
  fprintf(f, "## Files\n\nhistogram.csv (value,requests), ranges.csv (one row per range), %s"
             "samples.csv (every time measured), plots.gp%s.\n",
          run->nwork ? "workloads.csv (live and replayed counts per workload), " : "",
          o->plotted ? " and the PNG and SVG plots it made" : "");
  exr_close(o, f, "report.md");
}

/* }====================================================================== */


int exr_write(ex_run *run, char *err, size_t errlen) {
  exr_out o;
  memset(&o, 0, sizeof o);
  o.run = run;
  o.err = err;
  o.errlen = errlen;
  exr_histogram_csv(&o);
  exr_ranges_csv(&o);
  exr_workloads_csv(&o);
  exr_samples_csv(&o);
  if (!o.failed && exr_plot_script(&o) == 0 && run->have_gnuplot)
    o.plotted = exr_run_gnuplot(&o) == 0;
  exr_report(&o);
  return o.failed ? -1 : 0;
}
