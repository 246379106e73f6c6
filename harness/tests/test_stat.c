/*
** test_stat.c -- harness/stat.c against values known in closed form or
** tabulated: Student's t for 1 and 2 degrees of freedom has an elementary
** CDF, the quantiles are the textbook table's, and Welch's test is checked
** on a case worked by hand.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "stat.h"

static int failures;

static void near(const char *what, double got, double want, double tol) {
  if (!(fabs(got - want) <= tol)) {
    printf("FAIL %s: got %.15g, want %.15g (tolerance %g)\n", what, got, want, tol);
    failures++;
  }
}

int main(void) {
  double t;
  st_welch w;
  static const double x[] = {1, 2, 3, 4, 5}, y[] = {2, 4, 6, 8, 10};
  static const double same[] = {3, 3, 3};
  double lx[5], ly[5];
  int i;

  near("mean", st_mean(x, 5), 3, 0);
  near("sd", st_sd(x, 5), sqrt(2.5), 1e-15);
  near("sd of one sample", st_sd(x, 1), 0, 0);

  /* I_x(a, 1) = x^a and I_x(1, b) = 1 - (1 - x)^b */
  near("betainc(2.5, 1, 0.3)", st_betainc(2.5, 1, 0.3), pow(0.3, 2.5), 1e-13);
  near("betainc(1, 3.5, 0.8)", st_betainc(1, 3.5, 0.8), 1 - pow(0.2, 3.5), 1e-13);
  near("betainc(a, b, 0)", st_betainc(2, 3, 0), 0, 0);
  near("betainc(a, b, 1)", st_betainc(2, 3, 1), 1, 0);

  /* df 1 is Cauchy: 1/2 + atan(t)/pi; df 2: 1/2 + t / (2 sqrt(2 + t^2)) */
  for (t = -6; t <= 6; t += 0.75) {
    near("t cdf, df 1", st_t_cdf(t, 1), 0.5 + atan(t) / acos(-1.0), 1e-12);
    near("t cdf, df 2", st_t_cdf(t, 2), 0.5 + t / (2 * sqrt(2 + t * t)), 1e-12);
  }
  /* two-sided 95% critical values from the standard table */
  near("t 0.975, df 1", st_t_quantile(0.975, 1), 12.706204736, 1e-6);
  near("t 0.975, df 10", st_t_quantile(0.975, 10), 2.228138852, 1e-6);
  near("t 0.975, df 30", st_t_quantile(0.975, 30), 2.042272456, 1e-6);
  near("t 0.995, df 5", st_t_quantile(0.995, 5), 4.032142984, 1e-6);
  near("t 0.025, df 10", st_t_quantile(0.025, 10), -2.228138852, 1e-6);
  near("quantile inverts cdf", st_t_cdf(st_t_quantile(0.9, 7.3), 7.3), 0.9, 1e-10);

  /* Welch on the logs: y is exactly 2x, so every log differs by log 2;
  ** the two log samples have equal variance, t = -log 2 / sqrt(2 v / 5),
  ** df = 2 (n - 1) = 8, and the ratio x/y is 1/2 */
  for (i = 0; i < 5; i++) {
    lx[i] = log(x[i]);
    ly[i] = log(y[i]);
  }
  if (st_welch_ratio(x, 5, y, 5, 0.95, &w) != 0) {
    printf("FAIL welch returned an error\n");
    failures++;
  } else {
    double v = st_sd(lx, 5) * st_sd(lx, 5);
    double tt = -log(2.0) / sqrt(2 * v / 5);
    double q = st_t_quantile(0.975, 8);
    near("welch ratio", w.ratio, 0.5, 1e-12);
    near("welch df", w.df, 8, 1e-9);
    near("welch t", w.t, tt, 1e-12);
    near("welch p", w.p, 2 * st_t_cdf(tt, 8), 1e-12);
    near("welch lo", w.lo, exp(-log(2.0) - q * sqrt(2 * v / 5)), 1e-12);
    near("welch hi", w.hi, exp(-log(2.0) + q * sqrt(2 * v / 5)), 1e-12);
    (void)ly;
  }
  if (st_welch_ratio(same, 3, same, 3, 0.95, &w) != 0 || w.p != 1 || w.ratio != 1) {
    printf("FAIL welch of equal constant samples: want p 1, ratio 1\n");
    failures++;
  }
  if (st_welch_ratio(x, 1, y, 5, 0.95, &w) == 0) {
    printf("FAIL welch with one sample must refuse\n");
    failures++;
  }
  {
    static const double bad[] = {1, 0, 2};
    if (st_welch_ratio(bad, 3, y, 5, 0.95, &w) == 0) {
      printf("FAIL welch with a zero time must refuse\n");
      failures++;
    }
  }
  if (failures) return 1;
  printf("stat: all checks passed\n");
  return 0;
}
