/*
** test_messages.c -- every case of vectors/vectors.h, measured on real
** CPython 2.7.18 / 3.11.7 / 3.12.1 / 3.13.0 (3.14 derived, see
** gen_vectors.py), replayed under each profile that gave that outcome:
** the exception type and text, or the value, and under cpython2.7 the
** int/long type of the result.  Covers arithmetic edge values, zero
** division, pow with modulus, shifts, hashes, float conversion, int(str)
** grammar and its error quoting, to/from bytes and the max_str_digits
** limit in both directions.
*/
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "intspect.h"

typedef struct vec_case {
  const char *profiles;   /* space-separated profile names */
  const char *op;
  const char *a, *b, *c;  /* int operands "[-]0xHEX[L]" ('L': a 2.7 long) */
  size_t alen;            /* fromstr: bytes in a */
  long long n1, n2, n3;
  const char *etype;      /* "" when the case succeeds */
  const char *res, *res2; /* message, or result(s) */
  const char *rtype;      /* int, long, float, str, bytes, len */
} vec_case;

#include "vectors/vectors.h"

#define NVEC (sizeof(vec_cases) / sizeof(vec_cases[0]))

static isp_int *mk(isp_runtime *R, const char *s) {
  size_t n = strlen(s);
  int lng = n && s[n - 1] == 'L';
  isp_int *v = isp_from_string(R, s, n - (size_t)lng, 16);
  if (v && lng) {
    isp_int *w = isp_to_long(R, v);
    isp_decref(R, v);
    v = w;
  }
  if (v == NULL) fprintf(stderr, "cannot make operand %s: %s\n", s, isp_error_message(R));
  return v;
}

/* "[-]0xhex" of v, as the vectors write results. */
static void hexof(isp_runtime *R, const isp_int *v, char *out, size_t outlen) {
  size_t n;
  char *s = isp_to_string(R, v, 16, &n);
  if (s == NULL) {
    snprintf(out, outlen, "<error %s>", isp_error_message(R));
    isp_error_clear(R);
    return;
  }
  if (s[0] == '-') snprintf(out, outlen, "-0x%s", s + 1);
  else snprintf(out, outlen, "0x%s", s);
  isp_free_string(R, s);
}

static void hex64(int64_t x, char *out, size_t outlen) {
  uint64_t m = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
  snprintf(out, outlen, "%s0x%llx", x < 0 ? "-" : "", (unsigned long long)m);
}

static int hexval(char c) {
  return c <= '9' ? c - '0' : c - 'a' + 10;
}

static char got[1 << 16], got2[1 << 16];

/* Run one case; fills got/got2 and returns the kind of result. */
static const char *run(isp_runtime *R, const vec_case *c, int *err) {
  isp_int *a = NULL, *b = NULL, *m = NULL, *r = NULL, *r2 = NULL;
  const char *kind = "int";
  const char *op = c->op;
  double f;
  int64_t x;
  got[0] = got2[0] = '\0';
  *err = 0;
  if (strcmp(op, "fromstr") == 0) {
    r = isp_from_string(R, c->a, c->alen, (int)c->n1);
  } else if (strcmp(op, "fromfloat") == 0) {
    r = isp_from_double(R, strtod(c->a, NULL));
  } else if (strcmp(op, "frombytes") == 0) {
    uint8_t buf[64];
    size_t i, n = strlen(c->a) / 2;
    for (i = 0; i < n; i++) buf[i] = (uint8_t)(hexval(c->a[2 * i]) * 16 + hexval(c->a[2 * i + 1]));
    r = isp_from_bytes(R, buf, n, (int)c->n1, (int)c->n2);
  } else if (strcmp(op, "fromstrlimit") == 0) {
    static char s[20000];
    size_t k = 0, i;
    if (isp_set_max_str_digits(R, c->n1) < 0) return "setup";
    if (c->a[0] == '-') s[k++] = '-';
    for (i = 0; i < (size_t)c->n2; i++) {
      if (c->a[0] == '_' && i) s[k++] = '_';
      s[k++] = '1';
    }
    r = isp_from_string(R, s, k, (int)c->n3);
    if (r) {
      isp_decref(R, r);
      r = NULL;
      strcpy(got, "0");
      kind = "len";
      goto out;
    }
  } else {
    a = mk(R, c->a);
    if (a == NULL) return "setup";
    if (c->b[0]) {
      b = mk(R, c->b);
      if (b == NULL) goto fail_setup;
    }
    if (c->c[0]) {
      m = mk(R, c->c);
      if (m == NULL) goto fail_setup;
    }
    if (strcmp(op, "add") == 0) r = isp_add(R, a, b);
    else if (strcmp(op, "sub") == 0) r = isp_sub(R, a, b);
    else if (strcmp(op, "mul") == 0) r = isp_mul(R, a, b);
    else if (strcmp(op, "floordiv") == 0) r = isp_floordiv(R, a, b);
    else if (strcmp(op, "mod") == 0) r = isp_mod(R, a, b);
    else if (strcmp(op, "and") == 0) r = isp_and(R, a, b);
    else if (strcmp(op, "or") == 0) r = isp_or(R, a, b);
    else if (strcmp(op, "xor") == 0) r = isp_xor(R, a, b);
    else if (strcmp(op, "lshift") == 0) r = isp_lshift(R, a, b);
    else if (strcmp(op, "rshift") == 0) r = isp_rshift(R, a, b);
    else if (strcmp(op, "gcd") == 0) r = isp_gcd(R, a, b);
    else if (strcmp(op, "neg") == 0) r = isp_neg(R, a);
    else if (strcmp(op, "invert") == 0) r = isp_invert(R, a);
    else if (strcmp(op, "abs") == 0) r = isp_abs(R, a);
    else if (strcmp(op, "isqrt") == 0) r = isp_isqrt(R, a);
    else if (strcmp(op, "divmod") == 0) {
      if (isp_divmod(R, a, b, &r, &r2) == 0) kind = "pair";
    } else if (strcmp(op, "truediv") == 0) {
      kind = "float";
      if (isp_truediv(R, a, b, &f) == 0) snprintf(got, sizeof got, "%a", f);
    } else if (strcmp(op, "pow") == 0 || strcmp(op, "pow3") == 0) {
      int rc = isp_pow(R, a, b, m, &r, &f);
      if (rc == 1) {
        kind = "float";
        snprintf(got, sizeof got, "%a", f);
      }
    } else if (strcmp(op, "float") == 0) {
      kind = "float";
      if (isp_to_double(R, a, &f) == 0) snprintf(got, sizeof got, "%a", f);
    } else if (strcmp(op, "hash") == 0) {
      hex64(isp_hash(R, a), got, sizeof got);
    } else if (strcmp(op, "bit_length") == 0) {
      hex64(isp_bit_length(R, a), got, sizeof got);
    } else if (strcmp(op, "bit_count") == 0) {
      hex64(isp_bit_count(R, a), got, sizeof got);
    } else if (strcmp(op, "to_i64") == 0) {
      if (isp_to_i64(R, a, &x) == 0) hex64(x, got, sizeof got);
    } else if (strcmp(op, "str") == 0 || strcmp(op, "strlimit") == 0) {
      size_t n;
      char *s;
      if (op[3] == 'l' && isp_set_max_str_digits(R, c->n1) < 0) goto fail_setup;
      s = isp_to_string(R, a, 10, &n);
      kind = op[3] == 'l' ? "len" : "str";
      if (s) {
        if (op[3] == 'l') snprintf(got, sizeof got, "%zu", n);
        else snprintf(got, sizeof got, "%s", s);
        isp_free_string(R, s);
      }
    } else if (strcmp(op, "tobytes") == 0) {
      uint8_t buf[64];
      kind = "bytes";
      if (isp_to_bytes(R, a, c->n1, (int)c->n2, (int)c->n3, buf) == 0) {
        long long i;
        for (i = 0; i < c->n1; i++) snprintf(got + 2 * i, 3, "%02x", buf[i]);
      }
    } else {
      fprintf(stderr, "unknown op %s\n", op);
      goto fail_setup;
    }
  }
out:
  if (isp_error_type(R) != ISP_OK) {
    *err = 1;
    snprintf(got, sizeof got, "%s", isp_errtype_name(isp_error_type(R)));
    snprintf(got2, sizeof got2, "%s", isp_error_message(R));
    isp_error_clear(R);
  } else if (r) {
    hexof(R, r, got, sizeof got);
    if (strcmp(kind, "pair") == 0) hexof(R, r2, got2, sizeof got2);
    else snprintf(got2, sizeof got2, "%s", isp_type_name(R, r));
  }
  if (r) isp_decref(R, r);
  if (r2) isp_decref(R, r2);
  if (a) isp_decref(R, a);
  if (b) isp_decref(R, b);
  if (m) isp_decref(R, m);
  return kind;
fail_setup:
  if (a) isp_decref(R, a);
  if (b) isp_decref(R, b);
  if (m) isp_decref(R, m);
  return "setup";
}

static int in_list(const char *list, const char *name) {
  size_t n = strlen(name);
  const char *p = list;
  while ((p = strstr(p, name)) != NULL) {
    if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return 1;
    p += n;
  }
  return 0;
}

static void same_float(const char *expect, const char *actual, const vec_case *c,
                       const char *prof) {
  double e = strtod(expect, NULL), a = strtod(actual, NULL);
  int ok = actual[0] && (e == a) && (signbit(e) == signbit(a));
  CHECK(ok);
  if (!ok)
    fprintf(stderr, "  %s %s(%s, %s): expected %s, got %s\n", prof, c->op, c->a, c->b,
            expect, actual);
}

int main(void) {
  const char *const *names = isp_profile_names();
  size_t p, i;
  unsigned long cases = 0;
  for (p = 0; names[p]; p++) {
    isp_options o;
    char msg[256];
    isp_runtime *R;
    int64_t deflimit;
    isp_options_init(&o);
    o.profile = names[p];
    R = isp_runtime_new(&o, msg, sizeof msg);
    CHECK(R != NULL);
    if (R == NULL) continue;
    deflimit = isp_get_max_str_digits(R);
    for (i = 0; i < NVEC; i++) {
      const vec_case *c = &vec_cases[i];
      const char *kind;
      int err;
      if (!in_list(c->profiles, names[p])) continue;
      cases++;
      kind = run(R, c, &err);
      /* the limit cases set their own limit: put the profile's back */
      if (isp_get_max_str_digits(R) != deflimit && isp_set_max_str_digits(R, deflimit) < 0)
        isp_error_clear(R);
      if (strcmp(kind, "setup") == 0) {
        CHECK(!"operand setup failed");
        continue;
      }
      if (c->etype[0]) {
        int ok = err && strcmp(got, c->etype) == 0 && strcmp(got2, c->res) == 0;
        CHECK(ok);
        if (!ok)
          fprintf(stderr, "  %s %s(%s|%s|%s base/len %lld): expected %s: %s\n    got %s: %s\n",
                  names[p], c->op, c->a, c->b, c->c, c->n1, c->etype, c->res,
                  err ? got : "(value)", err ? got2 : got);
        continue;
      }
      if (err) {
        CHECK(!"unexpected error");
        fprintf(stderr, "  %s %s(%s|%s|%s base %lld): expected %s, got %s: %s\n", names[p],
                c->op, c->a, c->b, c->c, c->n1, c->res, got, got2);
        continue;
      }
      if (strcmp(c->rtype, "float") == 0) {
        same_float(c->res, got, c, names[p]);
      } else if (strcmp(c->rtype, "len") == 0 || strcmp(c->rtype, "str") == 0 ||
                 strcmp(c->rtype, "bytes") == 0) {
        int ok = strcmp(c->rtype, "len") == 0 && strcmp(c->op, "fromstrlimit") == 0
                     ? 1 : strcmp(got, c->res) == 0;
        CHECK(ok);
        if (!ok)
          fprintf(stderr, "  %s %s(%s): expected %s, got %s\n", names[p], c->op, c->a,
                  c->res, got);
      } else {
        int ok = strcmp(got, c->res) == 0;
        if (c->res2[0]) ok = ok && strcmp(got2, c->res2) == 0;
        else if (strcmp(c->op, "hash") && strcmp(c->op, "bit_length") &&
                 strcmp(c->op, "bit_count") && strcmp(c->op, "to_i64"))
          ok = ok && strcmp(got2, c->rtype) == 0;
        CHECK(ok);
        if (!ok)
          fprintf(stderr, "  %s %s(%s|%s|%s base %lld): expected %s %s (%s), got %s %s\n",
                  names[p], c->op, c->a, c->b, c->c, c->n1, c->res, c->res2, c->rtype,
                  got, got2);
      }
    }
    CHECK_EQ_U(0, isp_runtime_close(R, NULL, NULL));
  }
  printf("%lu vector cases\n", cases);
  CHECK(cases > 5000);
  return CHECK_DONE();
}
