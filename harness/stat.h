/*
** stat.h -- the statistics `intspect explore` reports: means, spreads,
** Student's t distribution and Welch's t-test on the ratio of two sets of
** timings.  Plain C and libm; no state.
*/
#ifndef stat_h
#define stat_h

#include <stddef.h>

double st_mean(const double *x, size_t n);
/* The sample standard deviation (n - 1 in the denominator); 0 for n < 2. */
double st_sd(const double *x, size_t n);

/* The regularized incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1. */
double st_betainc(double a, double b, double x);
/* P(T <= t) for Student's t with df > 0 degrees of freedom. */
double st_t_cdf(double t, double df);
/* The t with P(T <= t) = p, for 0 < p < 1. */
double st_t_quantile(double p, double df);

/*
** One sample set against another, as timings compare: Welch's t-test
** (unequal variances) on the logarithms of the times, so that the result
** is about their ratio.  'ratio' is the ratio of the geometric means
** (x over y), [lo, hi] its confidence interval at level 'conf', 'p' the
** two-sided p-value of "same mean log time", 't' and 'df' the test's.
** Returns 0, or -1 when a set has fewer than two samples or a time is
** not positive (nothing is filled in then).
*/
typedef struct st_welch {
  double ratio, lo, hi, p, t, df;
} st_welch;
int st_welch_ratio(const double *x, size_t nx, const double *y, size_t ny, double conf,
                   st_welch *out);

#endif
