/*
** stat.c -- means, spreads, Student's t and Welch's test (see stat.h).
**
** The t distribution's CDF comes from the regularized incomplete beta
** function, evaluated by its continued fraction with the modified Lentz
** method; the quantile inverts the CDF by bisection, which is slow only
** by the standards of code that runs once per report.
*/
#include <float.h>
#include <math.h>

#include "stat.h"

double st_mean(const double *x, size_t n) {
  double s = 0;
  size_t i;
  if (n == 0) return 0;
  for (i = 0; i < n; i++) s += x[i];
  return s / (double)n;
}

double st_sd(const double *x, size_t n) {
  double m, s = 0;
  size_t i;
  if (n < 2) return 0;
  m = st_mean(x, n);
  for (i = 0; i < n; i++) s += (x[i] - m) * (x[i] - m);
  return sqrt(s / (double)(n - 1));
}

/* Keeps Lentz's denominators away from zero. */
#define ST_TINY 1e-300

static double st_nonzero(double v) {
  return fabs(v) < ST_TINY ? ST_TINY : v;
}

/*
** The continued fraction of I_x(a, b) without its front factor:
** 1 / (1 + d1 / (1 + d2 / (1 + ...))), where the odd terms are
** d(2m+1) = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and the even ones
** d(2m) = m(b-m)x / ((a+2m-1)(a+2m)).  It converges fast for
** x < (a+1)/(a+b+2); st_betainc uses the symmetry otherwise.
*/
static double st_betacf(double a, double b, double x) {
  double c = 1, d = 1 / st_nonzero(1 - (a + b) * x / (a + 1)), f = d;
  int m;
  for (m = 1; m <= 1000; m++) {
    double m2 = 2.0 * m, term, step;
    term = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 / st_nonzero(1 + term * d);
    c = st_nonzero(1 + term / c);
    f *= d * c;
    term = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 / st_nonzero(1 + term * d);
    c = st_nonzero(1 + term / c);
    step = d * c;
    f *= step;
    if (fabs(step - 1) < 4 * DBL_EPSILON) break;
  }
  return f;
}

double st_betainc(double a, double b, double x) {
  double front;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * st_betacf(a, b, x) / a;
  return 1 - front * st_betacf(b, a, 1 - x) / b;
}

double st_t_cdf(double t, double df) {
  /* P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2) */
  double tail;
  if (isnan(t)) return t;
  if (isinf(t)) return t > 0 ? 1 : 0;
  tail = 0.5 * st_betainc(df / 2, 0.5, df / (df + t * t));
  return t > 0 ? 1 - tail : tail;
}

double st_t_quantile(double p, double df) {
  double lo = 0, hi = 1, mid;
  int i;
  if (p <= 0) return -INFINITY;
  if (p >= 1) return INFINITY;
  if (p < 0.5) return -st_t_quantile(1 - p, df);
  while (st_t_cdf(hi, df) < p && hi < 1e300) hi *= 2;
  for (i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    mid = (lo + hi) / 2;
    if (st_t_cdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/* Mean and variance of the mean of log x[i]; 0 if a time is not positive. */
static int st_logmoments(const double *x, size_t n, double *mean, double *var_of_mean) {
  double s = 0, ss = 0;
  size_t i;
  for (i = 0; i < n; i++) {
    if (!(x[i] > 0) || isinf(x[i])) return 0;
    s += log(x[i]);
  }
  *mean = s / (double)n;
  for (i = 0; i < n; i++) ss += (log(x[i]) - *mean) * (log(x[i]) - *mean);
  *var_of_mean = ss / (double)(n - 1) / (double)n;
  return 1;
}

int st_welch_ratio(const double *x, size_t nx, const double *y, size_t ny, double conf,
                   st_welch *out) {
  double mx, my, vx, vy, se2, diff, q;
  if (nx < 2 || ny < 2) return -1;
  if (!st_logmoments(x, nx, &mx, &vx) || !st_logmoments(y, ny, &my, &vy)) return -1;
  diff = mx - my;
  se2 = vx + vy;
  out->ratio = exp(diff);
  if (se2 == 0) {
    /* no spread at all: the sets are equal or certainly differ */
    out->t = diff == 0 ? 0 : diff > 0 ? INFINITY : -INFINITY;
    out->df = (double)(nx + ny - 2);
    out->p = diff == 0 ? 1 : 0;
    out->lo = out->hi = out->ratio;
    return 0;
  }
  /* Welch-Satterthwaite degrees of freedom */
  out->df = se2 * se2 / (vx * vx / (double)(nx - 1) + vy * vy / (double)(ny - 1));
  out->t = diff / sqrt(se2);
  out->p = st_betainc(out->df / 2, 0.5, out->df / (out->df + out->t * out->t));
  q = st_t_quantile(1 - (1 - conf) / 2, out->df);
  out->lo = exp(diff - q * sqrt(se2));
  out->hi = exp(diff + q * sqrt(se2));
  return 0;
}
