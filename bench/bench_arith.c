/*
** bench_arith.c -- what the big-int arithmetic costs, intspect beside GMP
** on the same operands in the same run (this machine is shared: compare
** ratios, not seconds).  bench_arith.py drives this program and adds
** CPython, measured on the same operands by the same rules.
**
** Usage: bench_arith [--max-digits N] [--quick] [--min-ms M]
**                    [--profile NAME] [--tsv | --serve]
**
** For each size N in 10, 100, ... 1,000,000 decimal digits it times
** mul (a*b), square (a*a), floordiv (D//b), divmod (divmod(D, b)),
** str (str(a)), int (int(s), s = str(a)), lshift (a << k), rshift
** (D >> k), and (a & b) and add (a + b), where a and b have exactly N
** digits, D exactly 2N, and k = 3N+1 bits (not a multiple of either
** library's digit size); then pow(x, e, m) with 2048-bit x, e and an odd
** 2048-bit m.  Operands come from a seeded splitmix64 stream that
** bench_arith.py reproduces, so all three implementations see the same
** numbers.
**
** Every operation makes a fresh result and releases it, in both
** libraries: an intspect call returns a new object, and GMP gets a fresh
** mpz_init/mpz_clear around each call (mpz_init does not allocate, so the
** operation allocates its result as intspect's does).
**
** Timing: an operation is repeated until one measurement takes at least
** --min-ms (50 ms; 10 with --quick); the best of 3 measurements counts,
** or of 1 when a single measurement already takes over half a second.
** Each result is checked against GMP once before it is timed.
**
** --tsv prints "op<TAB>digits<TAB>impl<TAB>ns_per_op<TAB>reps" lines
** (with "info" and "operands" lines to check against); the default is a
** readable table.
**
** --serve makes the program a co-process, so that another program can
** time its own implementation between this one's measurements, under the
** same load.  It prints the "info" lines and "ready", then answers one
** command per line on stdin, flushing after each answer:
**   size N    build the operands for N digits (freeing the previous ones);
**             answers the "operands" line
**   time OP   one measurement of intspect, then one of GMP, of OP (a name
**             from the table above, or pow2048) at the current size;
**             answers the two --tsv lines.  The first "time" of an op at
**             a size checks it against GMP and grows the repetition count
**             to --min-ms; later ones reuse that count
**   quit      (or end of input) release everything and exit
** A command it cannot do is answered with "error<TAB>reason".
*/
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gmp.h>

#include "intspect.h"

/* ------------------------------------------------------------ utilities */

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what, const char *detail) {
  fprintf(stderr, "bench_arith: %s%s%s\n", what, detail ? ": " : "",
          detail ? detail : "");
  exit(1);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n);
  if (p == NULL) die("out of memory", NULL);
  return p;
}

/* splitmix64: tiny, seedable, and easy to reproduce in Python */
static uint64_t rng_state;

static uint64_t rng_next(void) {
  uint64_t z;
  rng_state += UINT64_C(0x9E3779B97F4A7C15);
  z = rng_state;
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* Exactly n decimal digits, leading digit nonzero; NUL-terminated. */
static char *random_decimal(uint64_t seed, size_t n) {
  size_t chunks = (n + 8) / 9, i;
  char *s = xmalloc(chunks * 9 + 1);
  rng_state = seed;
  for (i = 0; i < chunks; i++)
    snprintf(s + 9 * i, 10, "%09u", (unsigned)(rng_next() % 1000000000u));
  s[n] = '\0';
  if (s[0] == '0') s[0] = (char)('1' + rng_next() % 9);
  return s;
}

/* Exactly 'bits' bits (a multiple of 4), top bit set, optionally odd. */
static char *random_hex(uint64_t seed, size_t bits, int odd) {
  static const char hexd[] = "0123456789abcdef";
  size_t n = bits / 4, i;
  char *s = xmalloc(n + 1);
  rng_state = seed;
  for (i = 0; i < n; i++) s[i] = hexd[rng_next() >> 60];
  s[n] = '\0';
  s[0] = hexd[8 | (rng_next() >> 61)];
  if (odd) s[n - 1] = hexd[(s[n - 1] - (s[n - 1] <= '9' ? '0' : 'a' - 10)) | 1];
  return s;
}

/* ------------------------------------------------------------ operands */

typedef struct operands {
  size_t digits;
  char *sa;                 /* str(a): the int(str) input */
  unsigned long k;          /* shift count */
  /* intspect */
  isp_runtime *R;
  isp_int *a, *b, *D, *k_obj, *px, *pe, *pm;
  /* GMP */
  mpz_t ga, gb, gD, gx, ge, gm;
} operands;

static isp_int *isp_check(operands *o, isp_int *v, const char *what) {
  if (v == NULL) die(what, isp_error_message(o->R));
  return v;
}

static void gmp_free_str(char *s) {
  void (*freefn)(void *, size_t);
  mp_get_memory_functions(NULL, NULL, &freefn);
  freefn(s, strlen(s) + 1);
}

/* v and z hold the same value (compared in hex, which is linear time). */
static void verify(operands *o, isp_int *v, const mpz_t z, const char *what) {
  size_t len;
  char *s = isp_to_string(o->R, v, 16, &len);
  char *t = mpz_get_str(NULL, 16, z);
  if (s == NULL) die(what, isp_error_message(o->R));
  if (strcmp(s, t) != 0) die(what, "intspect and GMP disagree");
  isp_free_string(o->R, s);
  gmp_free_str(t);
}

static void operands_init(operands *o, isp_runtime *R, size_t n) {
  char *sb = random_decimal(2, n), *sD = random_decimal(3, 2 * n);
  char *sx = random_hex(4, 2048, 0), *se = random_hex(5, 2048, 0);
  char *sm = random_hex(6, 2048, 1);
  o->digits = n;
  o->R = R;
  o->sa = random_decimal(1, n);
  o->k = 3 * (unsigned long)n + 1;
  o->a = isp_check(o, isp_from_string(R, o->sa, n, 10), "int(a)");
  o->b = isp_check(o, isp_from_string(R, sb, n, 10), "int(b)");
  o->D = isp_check(o, isp_from_string(R, sD, 2 * n, 10), "int(D)");
  o->k_obj = isp_check(o, isp_from_u64(R, o->k), "int(k)");
  o->px = isp_check(o, isp_from_string(R, sx, 512, 16), "int(x)");
  o->pe = isp_check(o, isp_from_string(R, se, 512, 16), "int(e)");
  o->pm = isp_check(o, isp_from_string(R, sm, 512, 16), "int(m)");
  mpz_init_set_str(o->ga, o->sa, 10);
  mpz_init_set_str(o->gb, sb, 10);
  mpz_init_set_str(o->gD, sD, 10);
  mpz_init_set_str(o->gx, sx, 16);
  mpz_init_set_str(o->ge, se, 16);
  mpz_init_set_str(o->gm, sm, 16);
  verify(o, o->a, o->ga, "operand a");
  verify(o, o->D, o->gD, "operand D");
  free(sb); free(sD); free(sx); free(se); free(sm);
}

static void operands_free(operands *o) {
  isp_int *objs[] = { o->a, o->b, o->D, o->k_obj, o->px, o->pe, o->pm };
  size_t i;
  for (i = 0; i < sizeof objs / sizeof objs[0]; i++) isp_decref(o->R, objs[i]);
  mpz_clear(o->ga); mpz_clear(o->gb); mpz_clear(o->gD);
  mpz_clear(o->gx); mpz_clear(o->ge); mpz_clear(o->gm);
  free(o->sa);
}

/* ------------------------------------------------------------ operations */

/*
** Each operation has one routine per library: with 'reps' > 0 it runs the
** operation that many times and returns the elapsed ns; with reps == 0 it
** computes the result once into 'check' (intspect: returned through
** *iout) so that the two can be compared before anything is timed.
*/
typedef double (*isp_op)(operands *o, long reps, isp_int **iout);
typedef double (*gmp_op)(operands *o, long reps, mpz_t check);

static volatile uintptr_t sink;

/* Binary intspect operations share one loop; the routine picks operands. */
typedef isp_int *(*isp_binfn)(isp_runtime *, isp_int *, isp_int *);

static double isp_loop(operands *o, isp_binfn f, isp_int *x, isp_int *y,
                       long reps, isp_int **iout) {
  double t;
  long i;
  if (reps == 0) {
    *iout = isp_check(o, f(o->R, x, y), "operation");
    return 0;
  }
  t = now_ns();
  for (i = 0; i < reps; i++) {
    isp_int *v = f(o->R, x, y);
    if (v == NULL) die("operation", isp_error_message(o->R));
    sink += (uintptr_t)v;
    isp_decref(o->R, v);
  }
  return now_ns() - t;
}

static double i_mul(operands *o, long r, isp_int **v) { return isp_loop(o, isp_mul, o->a, o->b, r, v); }
static double i_sqr(operands *o, long r, isp_int **v) { return isp_loop(o, isp_mul, o->a, o->a, r, v); }
static double i_fdiv(operands *o, long r, isp_int **v) { return isp_loop(o, isp_floordiv, o->D, o->b, r, v); }
static double i_lsh(operands *o, long r, isp_int **v) { return isp_loop(o, isp_lshift, o->a, o->k_obj, r, v); }
static double i_rsh(operands *o, long r, isp_int **v) { return isp_loop(o, isp_rshift, o->D, o->k_obj, r, v); }
static double i_and(operands *o, long r, isp_int **v) { return isp_loop(o, isp_and, o->a, o->b, r, v); }
static double i_add(operands *o, long r, isp_int **v) { return isp_loop(o, isp_add, o->a, o->b, r, v); }

/* The check compares q*b + r against D through GMP, so both parts count. */
static double i_divmod(operands *o, long reps, isp_int **iout) {
  isp_int *q, *r;
  double t;
  long i;
  if (reps == 0) {
    isp_int *qb, *back;
    if (isp_divmod(o->R, o->D, o->b, &q, &r) != 0) die("divmod", isp_error_message(o->R));
    qb = isp_check(o, isp_mul(o->R, q, o->b), "q*b");
    back = isp_check(o, isp_add(o->R, qb, r), "q*b+r");
    if (isp_compare(o->R, back, o->D) != 0 || isp_compare(o->R, r, o->b) >= 0)
      die("divmod", "q*b + r != D or r >= b");
    isp_decref(o->R, qb);
    isp_decref(o->R, back);
    isp_decref(o->R, r);
    *iout = q;
    return 0;
  }
  t = now_ns();
  for (i = 0; i < reps; i++) {
    if (isp_divmod(o->R, o->D, o->b, &q, &r) != 0) die("divmod", isp_error_message(o->R));
    sink += (uintptr_t)q + (uintptr_t)r;
    isp_decref(o->R, q);
    isp_decref(o->R, r);
  }
  return now_ns() - t;
}

static double i_str(operands *o, long reps, isp_int **iout) {
  double t;
  long i;
  size_t len;
  if (reps == 0) {
    char *s = isp_to_string(o->R, o->a, 10, &len);
    if (s == NULL) die("str", isp_error_message(o->R));
    if (len != o->digits || strcmp(s, o->sa) != 0) die("str", "wrong digits");
    isp_free_string(o->R, s);
    isp_incref(o->R, o->a);
    *iout = o->a;
    return 0;
  }
  t = now_ns();
  for (i = 0; i < reps; i++) {
    char *s = isp_to_string(o->R, o->a, 10, &len);
    if (s == NULL) die("str", isp_error_message(o->R));
    sink += len;
    isp_free_string(o->R, s);
  }
  return now_ns() - t;
}

static double i_int(operands *o, long reps, isp_int **iout) {
  double t;
  long i;
  if (reps == 0) {
    *iout = isp_check(o, isp_from_string(o->R, o->sa, o->digits, 10), "int(str)");
    return 0;
  }
  t = now_ns();
  for (i = 0; i < reps; i++) {
    isp_int *v = isp_from_string(o->R, o->sa, o->digits, 10);
    if (v == NULL) die("int(str)", isp_error_message(o->R));
    sink += (uintptr_t)v;
    isp_decref(o->R, v);
  }
  return now_ns() - t;
}

static double i_pow(operands *o, long reps, isp_int **iout) {
  isp_int *v;
  double f, t;
  long i;
  if (reps == 0) {
    if (isp_pow(o->R, o->px, o->pe, o->pm, &v, &f) != 0) die("pow", isp_error_message(o->R));
    *iout = v;
    return 0;
  }
  t = now_ns();
  for (i = 0; i < reps; i++) {
    if (isp_pow(o->R, o->px, o->pe, o->pm, &v, &f) != 0) die("pow", isp_error_message(o->R));
    sink += (uintptr_t)v;
    isp_decref(o->R, v);
  }
  return now_ns() - t;
}

/* GMP: a fresh mpz per call, as intspect makes a fresh object. */
#define GMP_OP(name, stmt)                                   \
  static double name(operands *o, long reps, mpz_t check) {  \
    double t;                                                \
    long i;                                                  \
    if (reps == 0) {                                         \
      mpz_ptr z = check;                                     \
      stmt;                                                  \
      return 0;                                              \
    }                                                        \
    t = now_ns();                                            \
    for (i = 0; i < reps; i++) {                             \
      mpz_t zz;                                              \
      mpz_ptr z = zz;                                        \
      mpz_init(z);                                           \
      stmt;                                                  \
      sink += mpz_size(z);                                   \
      mpz_clear(z);                                          \
    }                                                        \
    return now_ns() - t;                                     \
  }

GMP_OP(g_mul, mpz_mul(z, o->ga, o->gb))
GMP_OP(g_sqr, mpz_mul(z, o->ga, o->ga))
GMP_OP(g_fdiv, mpz_fdiv_q(z, o->gD, o->gb))
GMP_OP(g_lsh, mpz_mul_2exp(z, o->ga, o->k))
GMP_OP(g_rsh, mpz_fdiv_q_2exp(z, o->gD, o->k))
GMP_OP(g_and, mpz_and(z, o->ga, o->gb))
GMP_OP(g_add, mpz_add(z, o->ga, o->gb))
GMP_OP(g_int, mpz_set_str(z, o->sa, 10))
GMP_OP(g_pow, mpz_powm(z, o->gx, o->ge, o->gm))

static double g_divmod(operands *o, long reps, mpz_t check) {
  double t;
  long i;
  if (reps == 0) {
    mpz_t r;
    mpz_init(r);
    mpz_fdiv_qr(check, r, o->gD, o->gb);
    mpz_clear(r);
    return 0;
  }
  t = now_ns();
  for (i = 0; i < reps; i++) {
    mpz_t q, r;
    mpz_init(q);
    mpz_init(r);
    mpz_fdiv_qr(q, r, o->gD, o->gb);
    sink += mpz_size(q) + mpz_size(r);
    mpz_clear(q);
    mpz_clear(r);
  }
  return now_ns() - t;
}

static double g_str(operands *o, long reps, mpz_t check) {
  double t;
  long i;
  if (reps == 0) {
    char *s = mpz_get_str(NULL, 10, o->ga);
    if (strcmp(s, o->sa) != 0) die("GMP str", "wrong digits");
    gmp_free_str(s);
    mpz_set(check, o->ga);
    return 0;
  }
  t = now_ns();
  for (i = 0; i < reps; i++) {
    char *s = mpz_get_str(NULL, 10, o->ga);
    sink += (uintptr_t)s[0];
    gmp_free_str(s);
  }
  return now_ns() - t;
}

typedef struct op_desc {
  const char *name;
  isp_op isp;
  gmp_op gmp;
} op_desc;

static const op_desc sized_ops[] = {
  { "mul", i_mul, g_mul },
  { "square", i_sqr, g_sqr },
  { "floordiv", i_fdiv, g_fdiv },
  { "divmod", i_divmod, g_divmod },
  { "str", i_str, g_str },
  { "int(str)", i_int, g_int },
  { "lshift", i_lsh, g_lsh },
  { "rshift", i_rsh, g_rsh },
  { "and", i_and, g_and },
  { "add", i_add, g_add },
};
static const op_desc pow_op = { "pow2048", i_pow, g_pow };

/* ------------------------------------------------------------ timing */

typedef struct timing {
  double min_ns;            /* shortest acceptable measurement */
  int best_of;
} timing;

/* One measurement's worth of work, whichever library runs it. */
typedef struct job {
  const op_desc *op;
  operands *o;
  int use_gmp;
} job;

static double run_job(const job *j, long reps) {
  return j->use_gmp ? j->op->gmp(j->o, reps, NULL) : j->op->isp(j->o, reps, NULL);
}

/*
** Grow the repetition count until one measurement takes min_ns; returns
** that measurement (ns for all of *reps_out repetitions).
*/
static double calibrate(const job *j, const timing *tm, long *reps_out) {
  long reps = 1;
  double t = run_job(j, reps);
  while (t < tm->min_ns) {
    double grow = t > 0 ? tm->min_ns * 1.1 / t : 100.0;
    if (grow > 100.0) grow = 100.0;
    if (grow < 2.0) grow = 2.0;
    reps = (long)((double)reps * grow);
    t = run_job(j, reps);
  }
  *reps_out = reps;
  return t;
}

/*
** The calibrating measurement is the first of best_of; the best counts.
** A single repetition longer than half a second is measured once:
** repeating it would not change its order of magnitude, and the whole run
** must stay within minutes.
*/
static double measure(const job *j, const timing *tm, long *reps_out) {
  long reps;
  double best = calibrate(j, tm, &reps), t;
  int m;
  if (reps > 1 || best < 5e8)
    for (m = 1; m < tm->best_of; m++) {
      t = run_job(j, reps);
      if (t < best) best = t;
    }
  *reps_out = reps;
  return best / (double)reps;
}

static void check_op(const op_desc *op, operands *o) {
  isp_int *v = NULL;
  mpz_t z;
  mpz_init(z);
  op->isp(o, 0, &v);
  op->gmp(o, 0, z);
  verify(o, v, z, op->name);
  isp_decref(o->R, v);
  mpz_clear(z);
}

static void report(int tsv, const char *op, const char *size, double ins,
                   long ireps, double gns, long greps) {
  if (tsv) {
    printf("%s\t%s\tintspect\t%.6g\t%ld\n", op, size, ins, ireps);
    printf("%s\t%s\tgmp\t%.6g\t%ld\n", op, size, gns, greps);
  } else {
    printf("%-9s %9s %15.1f %15.1f %8.2f\n", op, size, ins, gns, ins / gns);
  }
  fflush(stdout);
}

static void bench_op(const op_desc *op, operands *o, const timing *tm, int tsv,
                     const char *size) {
  job ji = { op, o, 0 }, jg = { op, o, 1 };
  long ireps, greps;
  double ins, gns;
  check_op(op, o);
  ins = measure(&ji, tm, &ireps);
  gns = measure(&jg, tm, &greps);
  report(tsv, op->name, size, ins, ireps, gns, greps);
}

/* ------------------------------------------------------------ co-process */

#define N_SIZED_OPS (sizeof sized_ops / sizeof sized_ops[0])

/* What --serve remembers per op at the current size (index N_SIZED_OPS is pow). */
typedef struct serve_slot {
  int checked;
  long ireps, greps;        /* 0 until calibrated */
} serve_slot;

typedef struct server {
  isp_runtime *R;
  const timing *tm;
  operands o;
  int have;                 /* o holds operands */
  serve_slot slot[N_SIZED_OPS + 1];
} server;

static void print_info(const char *profile) {
  printf("info\tgmp\t%s\ninfo\tprofile\t%s\n", gmp_version, profile);
}

/* lets bench_arith.py confirm it rebuilt the same operands */
static void print_operands(const operands *o) {
  size_t n = o->digits;
  printf("operands\t%zu\t%.12s\t%s\n", n, o->sa, o->sa + (n > 12 ? n - 12 : 0));
}

static void serve_error(const char *why) {
  printf("error\t%s\n", why);
  fflush(stdout);
}

/* One measurement at the calibrated count, calibrating the first time. */
static double measure_once(const job *j, const timing *tm, long *reps) {
  double t = *reps == 0 ? calibrate(j, tm, reps) : run_job(j, *reps);
  return t / (double)*reps;
}

static void serve_size(server *sv, const char *arg) {
  char *end;
  unsigned long long n = strtoull(arg, &end, 10);
  if (n == 0 || *end != '\0' || n > 100000000ull) {
    serve_error("size wants a digit count from 1 to 100000000");
    return;
  }
  if (sv->have) operands_free(&sv->o);
  operands_init(&sv->o, sv->R, (size_t)n);
  sv->have = 1;
  memset(sv->slot, 0, sizeof sv->slot);
  print_operands(&sv->o);
  fflush(stdout);
}

static void serve_time(server *sv, const char *name) {
  const op_desc *op = NULL;
  serve_slot *sl;
  char size[32];
  size_t k;
  double ins, gns;
  for (k = 0; k < N_SIZED_OPS; k++)
    if (strcmp(name, sized_ops[k].name) == 0) {
      op = &sized_ops[k];
      break;
    }
  if (op == NULL && strcmp(name, pow_op.name) == 0) op = &pow_op;
  if (op == NULL) {
    serve_error("no such op");
    return;
  }
  if (!sv->have) {
    serve_error("time before size");
    return;
  }
  sl = &sv->slot[k];     /* k == N_SIZED_OPS for pow */
  if (!sl->checked) {
    check_op(op, &sv->o);
    sl->checked = 1;
  }
  {
    job ji = { op, &sv->o, 0 }, jg = { op, &sv->o, 1 };
    ins = measure_once(&ji, sv->tm, &sl->ireps);
    gns = measure_once(&jg, sv->tm, &sl->greps);
  }
  if (op == &pow_op)
    snprintf(size, sizeof size, "2048b");
  else
    snprintf(size, sizeof size, "%zu", sv->o.digits);
  report(1, op->name, size, ins, sl->ireps, gns, sl->greps);
}

static void serve(isp_runtime *R, const timing *tm, const char *profile) {
  server sv;
  char line[256];
  memset(&sv, 0, sizeof sv);
  sv.R = R;
  sv.tm = tm;
  print_info(profile);
  printf("ready\n");
  fflush(stdout);
  while (fgets(line, sizeof line, stdin) != NULL) {
    size_t len = strlen(line);
    if (len > 0 && line[len - 1] == '\n') line[--len] = '\0';
    else if (!feof(stdin)) {
      int c;
      while ((c = getchar()) != EOF && c != '\n') {}
      serve_error("line too long");
      continue;
    }
    if (strncmp(line, "size ", 5) == 0)
      serve_size(&sv, line + 5);
    else if (strncmp(line, "time ", 5) == 0)
      serve_time(&sv, line + 5);
    else if (strcmp(line, "quit") == 0)
      break;
    else
      serve_error("unknown command (size N, time OP, quit)");
  }
  if (sv.have) operands_free(&sv.o);
}

static const size_t all_sizes[] = { 10, 100, 1000, 10000, 100000, 1000000 };

static void usage(void) {
  fprintf(stderr,
          "usage: bench_arith [--max-digits N] [--quick] [--min-ms M] "
          "[--profile NAME] [--tsv | --serve]\n");
  exit(2);
}

int main(int argc, char **argv) {
  size_t max_digits = 1000000, si;
  timing tm = { 50e6, 3 };
  const char *profile = "cpython3.11";
  int tsv = 0, serving = 0, i;
  isp_options opt;
  isp_runtime *R;
  char err[256];

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--max-digits") == 0 && i + 1 < argc)
      max_digits = (size_t)strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--min-ms") == 0 && i + 1 < argc)
      tm.min_ns = atof(argv[++i]) * 1e6;
    else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
      profile = argv[++i];
    else if (strcmp(argv[i], "--quick") == 0) {
      tm.min_ns = 10e6;
      tm.best_of = 1;
    } else if (strcmp(argv[i], "--tsv") == 0)
      tsv = 1;
    else if (strcmp(argv[i], "--serve") == 0)
      serving = 1;
    else
      usage();
  }

  /* str() of a million digits must not meet the CVE-2020-10735 limit */
  isp_options_init(&opt);
  opt.profile = profile;
  opt.set_max_str_digits = 1;
  opt.max_str_digits = 0;
  R = isp_runtime_new(&opt, err, sizeof err);
  if (R == NULL) die(err, NULL);

  if (serving) {
    serve(R, &tm, profile);
    if (isp_runtime_close(R, NULL, NULL) != 0) die("leaked objects at close", NULL);
    return 0;
  }
  if (tsv)
    print_info(profile);
  else
    printf("%-9s %9s %15s %15s %8s\n", "op", "digits", "intspect ns", "GMP ns",
           "isp/GMP");
  for (si = 0; si < sizeof all_sizes / sizeof all_sizes[0]; si++) {
    size_t n = all_sizes[si], k;
    char size[32];
    operands o;
    if (n > max_digits) break;
    snprintf(size, sizeof size, "%zu", n);
    operands_init(&o, R, n);
    if (tsv) print_operands(&o);
    for (k = 0; k < sizeof sized_ops / sizeof sized_ops[0]; k++)
      bench_op(&sized_ops[k], &o, &tm, tsv, size);
    if (si == 0) bench_op(&pow_op, &o, &tm, tsv, "2048b");
    operands_free(&o);
  }
  if (isp_runtime_close(R, NULL, NULL) != 0) die("leaked objects at close", NULL);
  return 0;
}
