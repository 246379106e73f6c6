/*
** intconv.c -- conversions between int objects and C values, strings and
** bytes: int(float), int(str, base), str(), float(), int.from_bytes,
** int.to_bytes, and the C long conversion.
**
** int(str, base) follows the grammar of the profile's CPython: 3.x accepts
** PEP 515 underscores, base-0 prefixes with one '_' after them and Unicode
** whitespace and decimal digits; 2.7 has no underscores, takes '010' as
** octal in base 0 and allows blanks after the sign.  The error texts quote
** the input as CPython's repr does, cut where CPython cuts it.
*/
#include <math.h>
#include <stdio.h>
#include <limits.h>
#include <string.h>

#include "intobject.h"
#include "unicode_tab.h"

/* CPython's cut for the quoted input in "invalid literal" messages. */
#define CONV_REPR_MAX 200

#if defined(__GNUC__) || defined(__clang__)
#define CONV_UNLIKELY(c) __builtin_expect(!!(c), 0)
#else
#define CONV_UNLIKELY(c) (c)
#endif

/*
** Working space that is usually small: up to CONV_TMP_BYTES it lives in
** the caller's frame, so converting a number of a few thousand digits
** makes no allocator call besides its result; beyond, it comes from
** mem_alloc.  The buffer is aligned for digits.
*/
#define CONV_TMP_BYTES 4096
typedef struct conv_tmp {
  void *p;
  size_t n;
  dig_t buf[CONV_TMP_BYTES / sizeof(dig_t)];
} conv_tmp;

/* n bytes, or NULL with MemoryError set. */
static void *conv_tmp_get(isp_runtime *R, conv_tmp *t, size_t n) {
  t->n = n;
  t->p = n <= sizeof t->buf ? (void *)t->buf : mem_alloc(R, n);
  return t->p;
}
static void conv_tmp_free(isp_runtime *R, conv_tmp *t) {
  if (t->p != NULL && t->p != (void *)t->buf) mem_free(R, t->p, t->n);
}

/*
** {======================================================================
** Numbers
** =======================================================================
*/

isp_int *isp_from_double(isp_runtime *R, double d) {
  int e;
  double m;
  uint64_t u;
  size_t wd, n, i;
  unsigned bs;
  isp_int *v;
  dig_t *dd, low[3];
  if (isnan(d)) {
    err_set(R, ISP_VALUE_ERROR, "cannot convert float NaN to integer");
    return NULL;
  }
  if (isinf(d)) {
    err_set(R, ISP_OVERFLOW_ERROR, "cannot convert float infinity to integer");
    return NULL;
  }
  if (d > -9223372036854775808.0 && d < 9223372036854775808.0)
    return int_result_i64(R, (int64_t)d, 0);
  /* |d| >= 2**63: an integer, mantissa times a power of two */
  m = frexp(fabs(d), &e);
  u = (uint64_t)ldexp(m, 53);
  e -= 53;
  wd = (size_t)e / DIG_SHIFT;
  bs = (unsigned)e % DIG_SHIFT;
  n = wd + 3;
  v = int_alloc_digits(R, n, &dd);
  if (v == NULL) return NULL;
  memset(dd, 0, n * sizeof(dig_t));
  for (i = 0; i < 2; i++) low[i] = (dig_t)((u >> (DIG_SHIFT * i)) & DIG_MASK);
  dd[wd + 2] = dig_lshift(dd + wd, low, 2, bs);
  return int_finish(R, v, d < 0 ? -1 : 1, 0);
}

int isp_to_i64(isp_runtime *R, const isp_int *v, int64_t *out) {
  if (err_null_args(R, v, out)) return -1;
  if (int_as_i64(v, out)) return 0;
  err_set(R, ISP_OVERFLOW_ERROR, "Python int too large to convert to C long");
  return -1;
}

/*
** Correctly rounded (half-even): up to 64 bits convert exactly through the
** hardware; beyond, keep the top 55 bits plus a sticky bit for everything
** below and round once by hand.
*/
int isp_to_double(isp_runtime *R, const isp_int *v, double *out) {
  if (err_null_args(R, v, out)) return -1;
  int_view w;
  uint64_t bits, shift, m, low;
  int sticky = 0, nb = 0;
  size_t i, wd;
  unsigned __int128 win = 0;
  int k;
  int_view_of(v, &w);
  if (w.n <= 2) {
    uint64_t u = 0;
    for (i = w.n; i-- > 0;) u = (u << DIG_SHIFT) | w.d[i];
    *out = w.sign < 0 ? -(double)u : (double)u;
    return 0;
  }
  bits = dig_bit_length(w.d, w.n);
  shift = bits - 55;
  wd = (size_t)(shift / DIG_SHIFT);
  for (i = 0; i < wd; i++)
    if (w.d[i]) sticky = 1;
  if (w.d[wd] & (((dig_t)1 << (shift % DIG_SHIFT)) - 1)) sticky = 1;
  for (k = 3; k >= 0; k--) {
    size_t j = wd + (size_t)k;
    win = (win << DIG_SHIFT) | (j < w.n ? w.d[j] : 0);
  }
  m = (uint64_t)((win >> (shift % DIG_SHIFT)) & ((((uint64_t)1) << 55) - 1));
  low = m & 3;
  m >>= 2;
  if (low > 2 || (low == 2 && (sticky || (m & 1)))) m++;
  while ((m >> nb) != 0) nb++;
  if ((uint64_t)nb + shift + 2 > 1024) {
    err_set(R, ISP_OVERFLOW_ERROR, "%s", R->prof->msg_int_to_float);
    return -1;
  }
  *out = ldexp((double)m, (int)(shift + 2));
  if (w.sign < 0) *out = -*out;
  return 0;
}

isp_int *isp_to_long(isp_runtime *R, isp_int *v) {
  if (err_null_args(R, v, v)) return NULL;
  int_view w;
  if (!R->prof->split_int_long || int_is_long(R, v)) {
    isp_incref(R, v);
    return v;
  }
  int_view_of(v, &w);
  return int_result_digits(R, w.sign, w.d, w.n, 1);
}

isp_int *isp_to_int(isp_runtime *R, isp_int *v) {
  if (err_null_args(R, v, v)) return NULL;
  int64_t x;
  /* 2.7's int() of a long asks for a C long (64 bits here) and, when the
  ** value has one, builds an int from it: the cache answers small ones.
  ** A long too big for that stays the very same object. */
  if (R->prof->split_int_long && int_is_long(R, v) && int_as_i64(v, &x))
    return int_result_i64(R, x, 0);
  isp_incref(R, v);
  return v;
}

/* }====================================================================== */

/*
** {======================================================================
** Bytes
** =======================================================================
*/

isp_int *isp_from_bytes(isp_runtime *R, const uint8_t *b, size_t len, int little,
                        int is_signed) {
  if (len > 0 && err_null_args(R, b, b)) return NULL;
  size_t n, i, k = 0;
  isp_int *v;
  dig_t *d;
  uint64_t acc = 0;
  unsigned have = 0;
  int neg;
  if (len == 0) return int_result_i64(R, 0, 0);
  neg = is_signed && (b[little ? len - 1 : 0] & 0x80);
  if (len > (size_t)INT_MAX_DIGITS * 3) {
    err_nomemory(R);
    return NULL;
  }
  /* the input's size, as int(str) counts digits: known before any work */
  if ((uint64_t)len * 8 > R->max_bits) {
    err_limit(R, "int.from_bytes() of %zu bytes would have up to %llu bits", len,
              (unsigned long long)len * 8);
    return NULL;
  }
  n = (len * 8 + DIG_SHIFT - 1) / DIG_SHIFT + 1;
  v = int_alloc_digits(R, n, &d);
  if (v == NULL) return NULL;
  memset(d, 0, n * sizeof(dig_t));
  /* least significant byte first; a negative value is packed complemented */
  for (i = 0; i < len; i++) {
    uint8_t byte = b[little ? i : len - 1 - i];
    if (neg) byte = (uint8_t)~byte;
    acc |= (uint64_t)byte << have;
    have += 8;
    if (have >= DIG_SHIFT) {
      d[k++] = (dig_t)(acc & DIG_MASK);
      acc >>= DIG_SHIFT;
      have -= DIG_SHIFT;
    }
  }
  if (have) d[k++] = (dig_t)acc;
  if (neg) dig_add_1(d, d, n, 1);   /* |v| = ~bytes + 1 */
  return int_finish(R, v, neg ? -1 : 1, 0);
}

/*
** isp_to_bytes' checks in its order: -1 with the error set, 1 when the
** result is b'' of a signed -1 and length 0 (nothing to write), else 0.
*/
static int conv_to_bytes_check(isp_runtime *R, const isp_int *v, int64_t length,
                               int is_signed) {
  int_view w;
  uint64_t bits;
  if (err_null_args(R, v, v)) return -1;
  if (length < 0) {
    err_set(R, ISP_VALUE_ERROR, "length argument must be non-negative");
    return -1;
  }
  int_view_of(v, &w);
  if (w.sign < 0 && !is_signed) {
    err_set(R, ISP_OVERFLOW_ERROR, "can't convert negative int to unsigned");
    return -1;
  }
  bits = dig_bit_length(w.d, w.n);
  if (w.sign < 0) {
    /* -2**(bits-1) still fits bits bits: it is the one power of two */
    int pow2 = dig_popcount(w.d, w.n) == 1;
    if (pow2) bits--;
  }
  if (is_signed && w.sign != 0) bits++;
  /* CPython lets -1 through as b'' when signed and length is 0 */
  if (length == 0 && w.sign < 0 && w.n == 1 && w.d[0] == 1) return 1;
  if (length < (INT64_C(1) << 60) && bits > (uint64_t)length * 8) {
    err_set(R, ISP_OVERFLOW_ERROR, "int too big to convert");
    return -1;
  }
  /* after CPython's own errors: the output's size is the length given */
  if (R->max_bits != UINT64_MAX && (uint64_t)length > R->max_bits / 8) {
    err_limit(R, "to_bytes(%lld) would have %llu bits", (long long)length,
              (unsigned long long)length * 8);
    return -1;
  }
  return 0;
}

int isp_to_bytes_check(isp_runtime *R, const isp_int *v, int64_t length, int is_signed) {
  return conv_to_bytes_check(R, v, length, is_signed) < 0 ? -1 : 0;
}

int isp_to_bytes(isp_runtime *R, const isp_int *v, int64_t length, int little,
                 int is_signed, uint8_t *buf) {
  int_view w;
  size_t L, i, k, nb;
  uint64_t acc = 0;
  unsigned have = 0, carry = 1;
  int rc;
  if (length > 0 && buf == NULL) {
    if (err_null_args(R, v, v)) return -1;
    err_null_args(R, buf, buf);
    return -1;
  }
  rc = conv_to_bytes_check(R, v, length, is_signed);
  if (rc != 0) return rc < 0 ? -1 : 0;
  int_view_of(v, &w);
  L = (size_t)length;
  /* The number's own bytes, least significant first, each written where
  ** the byte order puts it; then the padding in one memset, so that a
  ** length far beyond the number costs no more than clearing memory.  A
  ** negative number is ~|v| + 1: the +1 carries through the low zero
  ** bytes of |v| only, and the padding above it is 0xff. */
  /* (|v| < 2**(8L) after the check above, even for -2**(8L-1): nb <= L) */
  nb = (size_t)((dig_bit_length(w.d, w.n) + 7) / 8);
  k = 0;
  for (i = 0; i < nb; i++) {
    uint8_t byte;
    while (have < 8 && k < w.n) {
      acc |= (uint64_t)w.d[k++] << have;
      have += DIG_SHIFT;
    }
    byte = (uint8_t)(acc & 0xff);
    acc >>= 8;
    have = have >= 8 ? have - 8 : 0;
    if (w.sign < 0) {
      unsigned t = (unsigned)(uint8_t)~byte + carry;
      byte = (uint8_t)t;
      carry = t >> 8;
    }
    buf[little ? i : L - 1 - i] = byte;
  }
  memset(little ? buf + nb : buf, w.sign < 0 ? 0xff : 0, L - nb);
  return 0;
}

/* }====================================================================== */

/*
** {======================================================================
** Strings
** =======================================================================
*/

/* A growing message buffer for the quoted input. */
typedef struct conv_buf {
  char s[4 * CONV_REPR_MAX + 64];
  size_t n;
  size_t chars;   /* characters (code points) written */
} conv_buf;

static void conv_put(conv_buf *b, const char *s, size_t n) {
  if (b->n + n < sizeof(b->s)) {
    memcpy(b->s + b->n, s, n);
    b->n += n;
  }
  b->s[b->n] = '\0';
}

/* Decode one UTF-8 sequence; -1 when invalid. */
static long conv_utf8(const unsigned char *s, size_t len, size_t *adv) {
  unsigned c = s[0];
  long cp;
  size_t need, i;
  if (c < 0x80) { *adv = 1; return c; }
  if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; }
  else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; }
  else return -1;
  if (len < need + 1) return -1;
  for (i = 1; i <= need; i++) {
    if ((s[i] & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return -1;
  *adv = need + 1;
  return cp;
}

static int conv_valid_utf8(const unsigned char *s, size_t len) {
  size_t i = 0, adv;
  while (i < len) {
    if (conv_utf8(s + i, len - i, &adv) < 0) return 0;
    i += adv;
  }
  return 1;
}

/* Code points repr() writes as they are (str.isprintable): in ASCII the
** graphic characters and the space; above, those no range of the
** profile's Unicode version rejects. */
static int conv_printable(long cp, unsigned mask) {
  size_t lo = 0, hi = uni_nonprintable_n;
  if (cp < 0x80) return cp >= 0x20 && cp != 0x7F;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (uni_nonprintable[mid].hi < (uint32_t)cp) lo = mid + 1;
    else hi = mid;
  }
  return !(lo < uni_nonprintable_n && uni_nonprintable[lo].lo <= (uint32_t)cp &&
           (uni_nonprintable[lo].mask & mask));
}

/*
** Python's repr of s[0..len): a str when utf8 (code points), else bytes
** (b'...', 2.7's str).  Stops after 'maxchars' characters of output
** (CPython's %.200R), 0 for no cut.
*/
static void conv_repr(conv_buf *b, const unsigned char *s, size_t len, int utf8,
                      int bytes_prefix, size_t maxchars, unsigned mask) {
  size_t i, adv;
  int has_sq = memchr(s, '\'', len) != NULL, has_dq = memchr(s, '"', len) != NULL;
  char q = (has_sq && !has_dq) ? '"' : '\'';
  char tmp[16];
  b->n = 0;
  b->chars = 0;
  b->s[0] = '\0';
/* %.200R cuts the repr after 200 characters, inside an escape if that is
** where the 200th falls: escapes are ASCII, one byte a character, so the
** part that fits is their first bytes; a raw character is all or nothing */
#define CONV_EMIT(str, nbytes, nchars)                                       \
  do {                                                                       \
    size_t nc_ = (nchars), nb_ = (nbytes);                                   \
    if (maxchars && b->chars + nc_ > maxchars) {                             \
      if (nc_ == nb_) conv_put(b, (str), maxchars - b->chars);               \
      b->chars = maxchars;                                                   \
      return;                                                                \
    }                                                                        \
    b->chars += nc_;                                                         \
    conv_put(b, (str), nb_);                                                 \
  } while (0)
  if (bytes_prefix) CONV_EMIT("b", 1, 1);
  tmp[0] = q;
  CONV_EMIT(tmp, 1, 1);
  for (i = 0; i < len; i += adv) {
    long cp;
    adv = 1;
    cp = utf8 ? conv_utf8(s + i, len - i, &adv) : s[i];
    if (cp == '\\' || cp == q) {
      tmp[0] = '\\'; tmp[1] = (char)cp;
      CONV_EMIT(tmp, 2, 2);
    } else if (cp == '\t' || cp == '\n' || cp == '\r') {
      tmp[0] = '\\'; tmp[1] = cp == '\t' ? 't' : cp == '\n' ? 'n' : 'r';
      CONV_EMIT(tmp, 2, 2);
    } else if (cp < 0x80 && conv_printable(cp, mask)) {
      tmp[0] = (char)cp;
      CONV_EMIT(tmp, 1, 1);
    } else if (!utf8 || cp < 0x100) {
      if (!utf8 || !conv_printable(cp, mask)) {
        snprintf(tmp, sizeof tmp, "\\x%02x", (unsigned)cp);
        CONV_EMIT(tmp, 4, 4);
      } else {
        CONV_EMIT((const char *)s + i, adv, 1);
      }
    } else if (conv_printable(cp, mask)) {
      CONV_EMIT((const char *)s + i, adv, 1);
    } else if (cp < 0x10000) {
      snprintf(tmp, sizeof tmp, "\\u%04lx", cp);
      CONV_EMIT(tmp, 6, 6);
    } else {
      snprintf(tmp, sizeof tmp, "\\U%08lx", cp);
      CONV_EMIT(tmp, 10, 10);
    }
  }
  tmp[0] = q;
  CONV_EMIT(tmp, 1, 1);
#undef CONV_EMIT
}

static void conv_invalid(isp_runtime *R, int base, const unsigned char *s, size_t len,
                         int utf8, int bytes_prefix, size_t maxchars) {
  conv_buf b;
  conv_repr(&b, s, len, utf8, bytes_prefix, maxchars, R->prof->unicode_mask);
  err_set(R, ISP_VALUE_ERROR, "invalid literal for int() with base %d: %s", base, b.s);
}

/* Value of an ASCII digit character in bases up to 36, or 99. */
static int conv_digit(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

static int conv_uspace(long cp) {
  return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 ||
         cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/*
** 3.x: map the text to ASCII as CPython does before parsing: Unicode
** whitespace to ' ', Unicode decimal digits to '0'..'9', anything else
** non-ASCII to '?' (which no grammar accepts).
*/
static size_t conv_to_ascii(unsigned char *t, const unsigned char *s, size_t len, int utf8,
                            unsigned mask) {
  size_t i = 0, n = 0, adv;
  while (i < len) {
    long cp = utf8 ? conv_utf8(s + i, len - i, &adv) : (adv = 1, s[i]);
    unsigned char c = '?';
    if (cp < 0x80) c = (unsigned char)cp;
    else if (utf8 && conv_uspace(cp)) c = ' ';
    else if (utf8) {
      /* the digit runs of the profile's Unicode version (unicodedata) */
      size_t k;
      for (k = 0; k < uni_digit_zeros_n && uni_digit_zeros[k].zero <= (uint32_t)cp; k++)
        if ((uint32_t)cp < uni_digit_zeros[k].zero + 10 && (uni_digit_zeros[k].mask & mask)) {
          c = (unsigned char)('0' + (cp - (long)uni_digit_zeros[k].zero));
          break;
        }
    }
    t[n++] = c;
    i += adv;
  }
  return n;
}

/* After conv_to_ascii, CPython's parser strips ASCII whitespace only
** (Py_ISSPACE): '\x1c'..'\x1f' pass str.isspace() but are not stripped. */
static int conv_space3(unsigned char c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D);
}
static int conv_space27(unsigned char c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D);
}

static int conv_pow2(int base) {
  return (base & (base - 1)) == 0;
}

/* The number from digit values vals[0..nv), most significant first. */
static isp_int *conv_from_vals(isp_runtime *R, int sign, const unsigned char *vals,
                               size_t nv, int base) {
  size_t cap = dig_from_base_size(nv, base), itch = dig_from_base_itch(nv, base);
  conv_tmp tmp;
  dig_t *s;
  isp_int *v;
  dig_t *d;
  if (cap > INT_MAX_DIGITS || itch > SIZE_MAX / sizeof(dig_t)) {
    err_nomemory(R);
    return NULL;
  }
  /* The input's size, after every error CPython reports: the bits its
  ** digits can hold, nv * log2(base) (exact for the power-of-two bases),
  ** leading zeros counted as int_max_str_digits counts them.  Less than
  ** 6 bits a digit needs no logarithm. */
  if (CONV_UNLIKELY((uint64_t)nv * 6 > R->max_bits)) {
    double bits = (double)nv * log2((double)base);
    if (bits > (double)R->max_bits) {
      err_limit(R, "int() of %zu base-%d digits would have up to %.0f bits", nv, base,
                ceil(bits));
      return NULL;
    }
  }
  s = conv_tmp_get(R, &tmp, itch * sizeof(dig_t));
  if (s == NULL) return NULL;
  v = int_alloc_digits(R, cap ? cap : 1, &d);
  if (v == NULL) {
    conv_tmp_free(R, &tmp);
    return NULL;
  }
  memset(d, 0, (cap ? cap : 1) * sizeof(dig_t));
  dig_from_base(d, vals, nv, base, s);
  conv_tmp_free(R, &tmp);
  return int_finish(R, v, sign, 0);
}

/* What conv_parse3 found. */
enum {
  CONV_OK,         /* the whole text is a number */
  CONV_BAD,        /* no digits, or a misplaced '_': nothing counted */
  CONV_BAD_TAIL,   /* a good run of digits (counted), then something else */
  CONV_BAD_ZERO    /* base 0: a number with a leading 0 that is not 0 */
};

/*
** Parse t[0..n) (ASCII) by the 3.x grammar into vals: CONV_OK with the
** sign, the effective base and the digit count set, or what was wrong
** (the digit count set for the last two, which the limit check needs).
*/
static int conv_parse3(const unsigned char *t, size_t n, int *base, int *sign,
                       unsigned char *vals, size_t *nv) {
  size_t i = 0;
  int zero_rule = 0, prev_digit = 0, b = *base;
  *sign = 1;
  *nv = 0;
  while (i < n && conv_space3(t[i])) i++;
  if (i < n && (t[i] == '+' || t[i] == '-')) {
    if (t[i] == '-') *sign = -1;
    i++;
  }
  if (b == 0) {
    if (i < n && t[i] == '0') {
      unsigned char c = i + 1 < n ? (unsigned char)(t[i + 1] | 0x20) : 0;
      if (c == 'x') b = 16;
      else if (c == 'o') b = 8;
      else if (c == 'b') b = 2;
      else {
        b = 10;
        zero_rule = 1;
      }
    } else {
      b = 10;
    }
  }
  if (i + 1 < n && t[i] == '0') {
    unsigned char c = (unsigned char)(t[i + 1] | 0x20);
    if ((b == 16 && c == 'x') || (b == 8 && c == 'o') || (b == 2 && c == 'b')) {
      i += 2;
      if (i < n && t[i] == '_') i++;   /* one '_' may follow the prefix */
    }
  }
  *base = b;
  for (; i < n; i++) {
    int dv;
    if (t[i] == '_') {
      if (!prev_digit || i + 1 >= n || conv_digit(t[i + 1]) >= b) return CONV_BAD;
      prev_digit = 0;
      continue;
    }
    dv = conv_digit(t[i]);
    if (dv >= b) break;
    vals[(*nv)++] = (unsigned char)dv;
    prev_digit = 1;
  }
  if (*nv == 0) return CONV_BAD;
  while (i < n && conv_space3(t[i])) i++;
  if (i != n) return CONV_BAD_TAIL;
  if (zero_rule) {
    size_t k;
    for (k = 0; k < *nv; k++)
      if (vals[k]) return CONV_BAD_ZERO;
  }
  return CONV_OK;
}

/* 2.7's int(str, base): blanks may follow the sign, '0' starts octal in
** base 0, a prefix counts only when a digit follows it, no underscores. */
static int conv_parse27(const unsigned char *t, size_t n, size_t *start, int *base,
                        int *sign, unsigned char *vals, size_t *nv) {
  size_t i = 0;
  int b = *base;
  *sign = 1;
  *nv = 0;
  while (i < n && conv_space27(t[i])) i++;
  *start = i;
  if (i < n && (t[i] == '+' || t[i] == '-')) {
    if (t[i] == '-') *sign = -1;
    i++;
  }
  while (i < n && conv_space27(t[i])) i++;
  if (i < n && t[i] == '0' && i + 2 < n + 1) {
    unsigned char c = i + 1 < n ? (unsigned char)(t[i + 1] | 0x20) : 0;
    int d2 = i + 2 < n ? conv_digit(t[i + 2]) : 99;
    if ((b == 0 || b == 16) && c == 'x' && d2 < 16) { b = 16; i += 2; }
    else if ((b == 0 || b == 8) && c == 'o' && d2 < 8) { b = 8; i += 2; }
    else if ((b == 0 || b == 2) && c == 'b' && d2 < 2) { b = 2; i += 2; }
    else if (b == 0) b = 8;
  }
  if (b == 0) b = 10;
  *base = b;
  for (; i < n; i++) {
    int dv = conv_digit(t[i]);
    if (dv >= b) break;
    vals[(*nv)++] = (unsigned char)dv;
  }
  if (*nv == 0) return 0;
  while (i < n && conv_space27(t[i])) i++;
  return i == n;
}

/*
** 2.7's PyInt_FromString, base 0, text (after blanks) starting with '0':
** it reads the number with PyOS_strtoul (a 0x/0o/0b prefix only when a
** digit of its base follows, else old-style octal), and when that value
** does not fit a C long (2**63 or more, or past 64 bits) it hands the
** whole text to PyLong_FromString instead.  Returns 1 when that happens.
*/
static int conv_zero_overflows27(const unsigned char *t, size_t n) {
  size_t i = 1;
  int b = 8;
  uint64_t v = 0;
  if (n >= 3) {
    unsigned char c = (unsigned char)(t[1] | 0x20);
    int need = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;
    if (need && conv_digit(t[2]) < need) {
      b = need;
      i = 2;
    }
  }
  for (; i < n && conv_digit(t[i]) < b; i++) {
    if (v > (UINT64_MAX - (uint64_t)conv_digit(t[i])) / (uint64_t)b) return 1;
    v = v * (uint64_t)b + (uint64_t)conv_digit(t[i]);
  }
  return v > (uint64_t)INT64_MAX;
}

/*
** 2.7's PyLong_FromString on t[0..n) (no sign: it starts with '0'), base
** 0: the base from the prefix (0x, 0o, 0b, else octal), digits, then an
** optional 'L' or 'l' and blanks.  Fills vals; returns the base, or 0
** when the text does not match (the caller quotes it, "long()").
*/
static int conv_parse_long27(const unsigned char *t, size_t n, unsigned char *vals, size_t *nv) {
  size_t i = 0;
  int b = 8;
  unsigned char c = n > 1 ? (unsigned char)(t[1] | 0x20) : 0;
  if (c == 'x') b = 16;
  else if (c == 'o') b = 8;
  else if (c == 'b') b = 2;
  if (c == 'x' || c == 'o' || c == 'b') i = 2;
  *nv = 0;
  for (; i < n && conv_digit(t[i]) < b; i++) vals[(*nv)++] = (unsigned char)conv_digit(t[i]);
  if (*nv == 0) return -b;
  if (i < n && (t[i] == 'L' || t[i] == 'l')) i++;
  while (i < n && conv_space27(t[i])) i++;
  return i == n ? b : -b;
}

/* True when s[0..len) is all ASCII, a word at a time. */
static int conv_ascii(const unsigned char *s, size_t len) {
  uint64_t acc = 0, w;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    memcpy(&w, s + i, 8);
    acc |= w;
  }
  for (; i < len; i++) acc |= s[i];
  return (acc & UINT64_C(0x8080808080808080)) == 0;
}

/*
** int(text, 10) for an optional sign and then only ASCII digits, up to
** CONV_PLAIN_MAX of them: valid under every profile's grammar and below
** every max_str_digits limit (which cannot be under 640), so it skips the
** grammar's parse and the limit check, whose set-up is most of the cost
** of converting a hundred digits.  took = 0: not this shape (nothing
** set), take the general path.
*/
#define CONV_PLAIN_MAX 640

static isp_int *conv_from_plain_decimal(isp_runtime *R, const unsigned char *s, size_t len,
                                        int *took) {
  unsigned char vals[CONV_PLAIN_MAX];
  size_t i = (len > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0, nd = len - i, k;
  *took = 0;
  if (nd == 0 || nd > CONV_PLAIN_MAX) return NULL;
  for (k = 0; k < nd; k++) {
    unsigned char c = (unsigned char)(s[i + k] - '0');
    if (c > 9) return NULL;
    vals[k] = c;
  }
  *took = 1;
  return conv_from_vals(R, s[0] == '-' ? -1 : 1, vals, nd, 10);
}

int isp_int_base(isp_runtime *R, int64_t base, int x_is_text, int *out) {
  const char *over = R->prof->msg_base_over_c_int;
  int in_range;
  if (over != NULL && (base > INT_MAX || base < INT_MIN)) {
    err_set(R, ISP_OVERFLOW_ERROR, "%s", base > 0 ? over : R->prof->msg_base_under_c_int);
    return -1;
  }
  /* 3.x saturates a Py_ssize_t, which an int64 is; any value past an int
  ** is out of range, and INT_MAX stands for it */
  if (base > INT_MAX || base < INT_MIN) base = INT_MAX;
  in_range = base == 0 || base == R->prof->int_base_none || (base >= 2 && base <= 36);
  if (R->prof->base_range_first && !in_range) {
    err_set(R, ISP_VALUE_ERROR, "int() base must be >= 2 and <= 36, or 0");
    return -1;
  }
  /* 2.7's "no base given" converts anything, as int(x) does */
  if (!x_is_text && !(base != 0 && base == R->prof->int_base_none)) {
    err_set(R, ISP_TYPE_ERROR, "int() can't convert non-string with explicit base");
    return -1;
  }
  *out = (int)base;   /* isp_from_string reports the range itself */
  return 0;
}

isp_int *isp_from_string(isp_runtime *R, const char *str, size_t len, int base) {
  const unsigned char *s = (const unsigned char *)str;
  const unsigned char *t;
  unsigned char *vals;
  conv_tmp tvals, tascii;
  size_t n, nv, alloc = len ? len : 1;
  int sign, b = base, ok;
  isp_int *res = NULL;
  if (str == NULL && len && err_null_args(R, str, str)) return NULL;
  /* 2.7's int_new takes -909 for "no base given": int(s) in base 10 */
  if (base != 0 && base == R->prof->int_base_none) b = base = 10;
  if (base != 0 && (base < 2 || base > 36)) {
    err_set(R, ISP_VALUE_ERROR, "int() base must be >= 2 and <= 36, or 0");
    return NULL;
  }
  if (base == 10 && len > 0 && len <= 19) {
    /* The common case, int("12345"): an optional sign and at most 18
    ** ASCII digits is valid under every profile's grammar and fits an
    ** int64, so it needs no parse tables, buffers or digit layer. */
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (len - i >= 1 && len - i <= 18) {
      int64_t v = 0;
      for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) v = v * 10 + (s[i] - '0');
      if (i == len) return int_result_i64(R, s[0] == '-' ? -v : v, 0);
    }
  }
  if (base == 10) {
    int took;
    isp_int *v = conv_from_plain_decimal(R, s, len, &took);
    if (took) return v;
  }
  tascii.p = NULL;
  vals = conv_tmp_get(R, &tvals, alloc);
  if (vals == NULL) return NULL;
  if (R->prof->split_int_long) {
    size_t start;
    if (len && memchr(s, 0, len)) {
      conv_invalid(R, base, s, len, 0, 0, 0);
      goto done;
    }
    ok = conv_parse27(s, len, &start, &b, &sign, vals, &nv);
    if (base == 0 && start < len && s[start] == '0' &&
        conv_zero_overflows27(s + start, len - start)) {
      /* PyInt_FromString -> PyLong_FromString: its own grammar and text */
      int lb = conv_parse_long27(s + start, len - start, vals, &nv);
      if (lb < 0) {
        conv_buf q;
        size_t cut = len - start < CONV_REPR_MAX ? len - start : CONV_REPR_MAX;
        conv_repr(&q, s + start, cut, 0, 0, 0, 0);
        err_set(R, ISP_VALUE_ERROR, "invalid literal for long() with base %d: %s", -lb, q.s);
        goto done;
      }
      res = conv_from_vals(R, 1, vals, nv, lb);   /* above 2**63: a long */
      goto done;
    }
    if (!ok) {
      size_t cut = len - start < CONV_REPR_MAX ? len - start : CONV_REPR_MAX;
      conv_invalid(R, base, s + start, cut, 0, 0, 0);
      goto done;
    }
  } else {
    int utf8;
    if (conv_ascii(s, len)) {
      /* nothing to map: parse the text itself */
      utf8 = 1;
      t = s;
      n = len;
    } else {
      unsigned char *u = conv_tmp_get(R, &tascii, alloc);
      if (u == NULL) goto done;
      utf8 = conv_valid_utf8(s, len);
      n = conv_to_ascii(u, s, len, utf8, R->prof->unicode_mask);
      t = u;
    }
    {
      /* CPython parses the ASCII text as a C string: up to its first NUL;
      ** a NUL before the end makes it invalid, but only once the part
      ** before it has passed the digit limit (PyLong_FromUnicodeObject) */
      const unsigned char *nul = n ? memchr(t, 0, n) : NULL;
      size_t m = nul ? (size_t)(nul - t) : n;
      int st = conv_parse3(t, m, &b, &sign, vals, &nv), over;
      over = st != CONV_BAD && !conv_pow2(b) && R->max_str_digits > 0 &&
             (int64_t)nv > R->prof->str_digits_threshold && (int64_t)nv > R->max_str_digits;
      /* 3.11 checks the limit as soon as the digits are scanned, before
      ** what follows them; 3.12+ once the number is known to end well
      ** (the base-0 leading-zero rule still comes after it) */
      if (st == CONV_BAD || (st == CONV_BAD_TAIL && !(over && R->prof->str_limit_before_tail))) {
        conv_invalid(R, base, s, len, utf8, !utf8, CONV_REPR_MAX);
        goto done;
      }
      if (over) {
        err_set(R, ISP_VALUE_ERROR, R->prof->msg_str_limit_from,
                (long long)R->max_str_digits, (long long)nv);
        goto done;
      }
      if (st != CONV_OK || nul != NULL) {
        conv_invalid(R, base, s, len, utf8, !utf8, CONV_REPR_MAX);
        goto done;
      }
    }
  }
  res = conv_from_vals(R, sign, vals, nv, b);
done:
  conv_tmp_free(R, &tascii);
  conv_tmp_free(R, &tvals);
  return res;
}

/* u in base 2..36 into out (NUL-terminated), returns the length; the
** constant divisor of base 10 becomes a multiplication. */
static size_t conv_small(char *out, uint64_t u, unsigned base) {
  static const char digs[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  char rev[64];
  size_t k = 0, n = 0;
  if (base == 10) {
    do { rev[k++] = (char)('0' + u % 10); u /= 10; } while (u);
  } else {
    do { rev[k++] = digs[u % base]; u /= base; } while (u);
  }
  while (k) out[n++] = rev[--k];
  out[n] = '\0';
  return n;
}

/*
** The string lives after a size_t header holding its allocation size, so
** that isp_free_string can give back exactly what was taken.
*/
char *isp_to_string(isp_runtime *R, const isp_int *v, int base, size_t *len) {
  if (err_null_args(R, v, len)) return NULL;
  int_view w;
  size_t cap, itch, total, n;
  conv_tmp tmp;
  dig_t *s = NULL;
  char *mem, *out;
  int64_t limit = R->max_str_digits;
  if (base < 2 || base > 36) {
    err_set(R, ISP_VALUE_ERROR, "base must be >= 2 and <= 36");
    return NULL;
  }
  int_view_of(v, &w);
  if (base == 10 && limit > 0 && w.n > 1) {
    /* fail fast: at least (n-1)*30*log10(2) decimal digits */
    double lower = (double)(w.n - 1) * DIG_SHIFT * 0.30102999566398114;
    if (lower > (double)limit + 1) {
      err_set(R, ISP_VALUE_ERROR, R->prof->msg_str_limit_to, (long long)limit);
      return NULL;
    }
  }
  /* after CPython's own error: the text of an int wider than the limit
  ** (add, sub and the bitwise operations may grow one bit past it) */
  if (CONV_UNLIKELY((uint64_t)w.n * DIG_SHIFT > R->max_bits) &&
      dig_bit_length(w.d, w.n) > R->max_bits) {
    err_limit(R, "str() of an int of %llu bits",
              (unsigned long long)dig_bit_length(w.d, w.n));
    return NULL;
  }
  cap = w.n ? dig_to_base_size(w.n, base) : 2;
  total = sizeof(size_t) + 1 + cap;
  mem = mem_alloc(R, total);
  if (mem == NULL) return NULL;
  memcpy(mem, &total, sizeof(size_t));
  out = mem + sizeof(size_t);
  if (w.n == 0) {
    out[0] = '0';
    out[1] = '\0';
    n = 1;
  } else if (w.n <= 2) {
    /* below 2**60: no digit arrays, no working space */
    uint64_t u = w.d[0] | (w.n > 1 ? (uint64_t)w.d[1] << DIG_SHIFT : 0);
    if (w.sign < 0) out[0] = '-';
    n = conv_small(out + (w.sign < 0), u, (unsigned)base) + (w.sign < 0);
  } else {
    itch = dig_to_base_itch(w.n, base);
    s = itch <= SIZE_MAX / sizeof(dig_t) ? conv_tmp_get(R, &tmp, itch * sizeof(dig_t)) : NULL;
    if (s == NULL) {
      if (itch > SIZE_MAX / sizeof(dig_t)) err_nomemory(R);
      mem_free(R, mem, total);
      return NULL;
    }
    if (w.sign < 0) out[0] = '-';
    n = dig_to_base(out + (w.sign < 0), w.d, w.n, base, s);
    conv_tmp_free(R, &tmp);
    if (base == 10 && limit > 0 && (int64_t)n > R->prof->str_digits_threshold &&
        (int64_t)n > limit) {
      err_set(R, ISP_VALUE_ERROR, R->prof->msg_str_limit_to, (long long)limit);
      mem_free(R, mem, total);
      return NULL;
    }
    n += w.sign < 0;
  }
  if (len) *len = n;
  return out;
}

void isp_free_string(isp_runtime *R, char *s) {
  size_t total;
  char *mem;
  if (s == NULL) return;
  mem = s - sizeof(size_t);
  memcpy(&total, mem, sizeof(size_t));
  mem_free(R, mem, total);
}

/* }====================================================================== */
