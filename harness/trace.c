/*
** trace.c -- recording a program's calls into the runtime, and replaying
** them (see trace.h for the model).
**
** Event layout: the opcode byte, then per opcode
**   FROM_I64      zigzag(v) dst
**   FROM_DOUBLE   8 bytes (the double's representation) dst
**   FROM_STRING   zigzag(base) len bytes dst
**   FROM_BYTES    flags len bytes dst           (flags: 1 little, 2 signed)
**   unary make    a dst                         (INCREF, TO_LONG, TO_INT, NEG, INVERT, ABS, ISQRT)
**   binary make   a b dst                       (ADD .. GCD)
**   POW           flags a b [m] outcome [dst]   (flags 1: m given; outcome k + 1)
**   DIVMOD        a b q r
**   DECREF        reg
**   SET_MAX_STR_DIGITS  zigzag(n)
**   COLLECT       (nothing)
**   reads         a [b] [arg] [flags]           (b: COMPARE, TRUEDIV; arg: TO_STRING's
**                                                base, TO_BYTES' length; flags: TO_BYTES)
** Every number is an unsigned LEB128 varint; a destination of 0 says the
** call failed (raised), and the replay must see it fail too.
*/
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "trace.h"

/* Registers live in a uint32_t; the varints carry them as uint64_t. */
#define TR_MAX_REGS (UINT32_MAX - 1)


/*
** {======================================================================
** The trace buffer
** =======================================================================
*/

void tr_trace_free(tr_trace *t) {
  free(t->buf);
  memset(t, 0, sizeof *t);
}

/* Room for n more bytes; 0 when there is no memory. */
static int tr_reserve(tr_trace *t, size_t n) {
  if (t->cap - t->len < n) {
    size_t cap = t->cap ? t->cap : 4096;
    unsigned char *b;
    while (cap - t->len < n) {
      if (cap > SIZE_MAX / 2) return 0;
      cap *= 2;
    }
    b = (unsigned char *)realloc(t->buf, cap);
    if (b == NULL) return 0;
    t->buf = b;
    t->cap = cap;
  }
  return 1;
}

/* Callers reserve first: an event is at most its fixed part (opcode and
** five varints of 10 bytes) plus its payload. */
#define TR_EVENT_MAX 64

static void tr_putbyte(tr_trace *t, unsigned c) {
  t->buf[t->len++] = (unsigned char)c;
}

static void tr_putvar(tr_trace *t, uint64_t v) {
  while (v >= 0x80) {
    t->buf[t->len++] = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  t->buf[t->len++] = (unsigned char)v;
}

static uint64_t tr_zigzag(int64_t v) {
  return ((uint64_t)v << 1) ^ (v < 0 ? UINT64_MAX : 0);
}

static int64_t tr_unzigzag(uint64_t u) {
  return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* }====================================================================== */


/*
** {======================================================================
** Recording
** =======================================================================
*/

struct tr_recorder {
  tr_trace *t;
  const char *error;
  /* object -> the register that received it last (open addressing,
  ** linear probing; key 0 is an empty slot) */
  uintptr_t *keys;
  uint32_t *tops;
  size_t mapcap, mapcount;
  /* per register: the register below it on its object's stack, or the
  ** next free register when it is free (0: none) */
  uint32_t *below;
  uint32_t regcap;
  uint32_t freereg;
  uint64_t live;
};

static void tr_fail(tr_recorder *r, const char *why) {
  if (r->error == NULL) r->error = why;
}

static const char tr_nomem[] = "out of memory while recording the trace";

tr_recorder *tr_recorder_new(tr_trace *t) {
  tr_recorder *r = (tr_recorder *)calloc(1, sizeof *r);
  if (r == NULL) return NULL;
  tr_trace_free(t);
  t->nregs = 1;
  r->t = t;
  r->mapcap = 1024;
  r->keys = (uintptr_t *)calloc(r->mapcap, sizeof *r->keys);
  r->tops = (uint32_t *)calloc(r->mapcap, sizeof *r->tops);
  if (r->keys == NULL || r->tops == NULL) {
    tr_recorder_free(r);
    return NULL;
  }
  return r;
}

const char *tr_recorder_error(const tr_recorder *r) { return r->error; }
uint64_t tr_recorder_live(const tr_recorder *r) { return r->live; }

void tr_recorder_free(tr_recorder *r) {
  if (r == NULL) return;
  free(r->keys);
  free(r->tops);
  free(r->below);
  free(r);
}

static size_t tr_hash(const tr_recorder *r, uintptr_t key) {
  /* objects are at least 16-byte aligned: drop the bits that never vary */
  uint64_t h = (uint64_t)(key >> 4) * UINT64_C(0x9E3779B97F4A7C15);
  return (size_t)(h >> 20) & (r->mapcap - 1);
}

/* The slot of 'key', or of the empty slot where it would go. */
static size_t tr_slot(const tr_recorder *r, uintptr_t key) {
  size_t i = tr_hash(r, key);
  while (r->keys[i] != 0 && r->keys[i] != key) i = (i + 1) & (r->mapcap - 1);
  return i;
}

static int tr_grow_map(tr_recorder *r) {
  size_t oldcap = r->mapcap, i;
  uintptr_t *oldkeys = r->keys;
  uint32_t *oldtops = r->tops;
  r->mapcap = oldcap * 2;
  r->keys = (uintptr_t *)calloc(r->mapcap, sizeof *r->keys);
  r->tops = (uint32_t *)calloc(r->mapcap, sizeof *r->tops);
  if (r->keys == NULL || r->tops == NULL) {
    free(r->keys);
    free(r->tops);
    r->keys = oldkeys;
    r->tops = oldtops;
    r->mapcap = oldcap;
    return 0;
  }
  for (i = 0; i < oldcap; i++)
    if (oldkeys[i] != 0) {
      size_t j = tr_slot(r, oldkeys[i]);
      r->keys[j] = oldkeys[i];
      r->tops[j] = oldtops[i];
    }
  free(oldkeys);
  free(oldtops);
  return 1;
}

/* Empty slot i, moving later members of its probe run back so that
** every key stays reachable from its home slot. */
static void tr_unslot(tr_recorder *r, size_t i) {
  size_t mask = r->mapcap - 1, j = i;
  for (;;) {
    size_t home;
    j = (j + 1) & mask;
    if (r->keys[j] == 0) break;
    home = tr_hash(r, r->keys[j]);
    /* the entry at j may fill i if its home is not cyclically in (i, j] */
    if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
      r->keys[i] = r->keys[j];
      r->tops[i] = r->tops[j];
      i = j;
    }
  }
  r->keys[i] = 0;
  r->mapcount--;
}

/* The register now holding a reference to v (pushed on v's stack); 0 on
** failure. */
static uint32_t tr_push(tr_recorder *r, isp_int *v) {
  uintptr_t key = (uintptr_t)v;
  uint32_t reg;
  size_t i;
  if (r->freereg != 0) {
    reg = r->freereg;
    r->freereg = r->below[reg];
  } else {
    if (r->t->nregs >= TR_MAX_REGS) {
      tr_fail(r, "the program held too many references for a trace");
      return 0;
    }
    if (r->t->nregs >= r->regcap) {
      uint32_t cap = r->regcap ? (r->regcap > TR_MAX_REGS / 2 ? TR_MAX_REGS : 2 * r->regcap)
                               : 1024;
      uint32_t *b = (uint32_t *)realloc(r->below, (size_t)cap * sizeof *b);
      if (b == NULL) {
        tr_fail(r, tr_nomem);
        return 0;
      }
      r->below = b;
      r->regcap = cap;
    }
    reg = r->t->nregs++;
  }
  if (2 * (r->mapcount + 1) > r->mapcap && !tr_grow_map(r)) {
    r->below[reg] = r->freereg;
    r->freereg = reg;
    tr_fail(r, tr_nomem);
    return 0;
  }
  i = tr_slot(r, key);
  if (r->keys[i] == key) {
    r->below[reg] = r->tops[i];
  } else {
    r->keys[i] = key;
    r->mapcount++;
    r->below[reg] = 0;
  }
  r->tops[i] = reg;
  r->live++;
  return reg;
}

/* A register holding v, for use as an operand; 0 (and the trace marked
** unusable) when the trace never saw v made. */
static uint32_t tr_find(tr_recorder *r, isp_int *v) {
  size_t i = tr_slot(r, (uintptr_t)v);
  if (r->keys[i] == 0) {
    tr_fail(r, "the program used an int made by a call the trace does not record");
    return 0;
  }
  return r->tops[i];
}

/* Drop one of v's registers. */
static uint32_t tr_pop(tr_recorder *r, isp_int *v) {
  size_t i = tr_slot(r, (uintptr_t)v);
  uint32_t reg;
  if (r->keys[i] == 0) {
    tr_fail(r, "the program dropped an int made by a call the trace does not record");
    return 0;
  }
  reg = r->tops[i];
  if (r->below[reg] != 0) r->tops[i] = r->below[reg];
  else tr_unslot(r, i);
  r->below[reg] = r->freereg;
  r->freereg = reg;
  r->live--;
  return reg;
}

/* Start an event of at most TR_EVENT_MAX + payload bytes; 0 if the
** recorder has failed or there is no room. */
static int tr_begin(tr_recorder *r, tr_op op, size_t payload) {
  if (r->error != NULL) return 0;
  if (payload > SIZE_MAX - TR_EVENT_MAX || !tr_reserve(r->t, TR_EVENT_MAX + payload)) {
    tr_fail(r, tr_nomem);
    return 0;
  }
  tr_putbyte(r->t, (unsigned)op);
  r->t->nevents++;
  return 1;
}

/* The destination of a make event (0: the call failed). */
static void tr_putdst(tr_recorder *r, isp_int *res) {
  tr_putvar(r->t, res != NULL ? tr_push(r, res) : 0);
}

void tr_rec_i64(tr_recorder *r, int64_t v, isp_int *res) {
  if (!tr_begin(r, TR_FROM_I64, 0)) return;
  tr_putvar(r->t, tr_zigzag(v));
  tr_putdst(r, res);
}

void tr_rec_double(tr_recorder *r, double d, isp_int *res) {
  if (!tr_begin(r, TR_FROM_DOUBLE, 0)) return;
  memcpy(r->t->buf + r->t->len, &d, sizeof d);
  r->t->len += sizeof d;
  tr_putdst(r, res);
}

void tr_rec_string(tr_recorder *r, const char *s, size_t len, int base, isp_int *res) {
  if (!tr_begin(r, TR_FROM_STRING, len)) return;
  tr_putvar(r->t, tr_zigzag(base));
  tr_putvar(r->t, len);
  memcpy(r->t->buf + r->t->len, s, len);
  r->t->len += len;
  tr_putdst(r, res);
}

void tr_rec_bytes(tr_recorder *r, const uint8_t *b, size_t len, int little,
                  int is_signed, isp_int *res) {
  if (!tr_begin(r, TR_FROM_BYTES, len)) return;
  tr_putbyte(r->t, (little ? 1u : 0u) | (is_signed ? 2u : 0u));
  tr_putvar(r->t, len);
  if (len > 0) memcpy(r->t->buf + r->t->len, b, len);
  r->t->len += len;
  tr_putdst(r, res);
}

static int tr_is_unary(tr_op op) {
  return op == TR_INCREF || op == TR_TO_LONG || op == TR_TO_INT || op == TR_NEG ||
         op == TR_INVERT || op == TR_ABS || op == TR_ISQRT;
}

void tr_rec_make(tr_recorder *r, tr_op op, isp_int *a, isp_int *b, isp_int *res) {
  if (!tr_begin(r, op, 0)) return;
  tr_putvar(r->t, tr_find(r, a));
  if (!tr_is_unary(op)) tr_putvar(r->t, tr_find(r, b));
  tr_putdst(r, res);
}

void tr_rec_pow(tr_recorder *r, isp_int *a, isp_int *b, isp_int *m, int k, isp_int *res) {
  if (!tr_begin(r, TR_POW, 0)) return;
  tr_putbyte(r->t, m != NULL ? 1u : 0u);
  tr_putvar(r->t, tr_find(r, a));
  tr_putvar(r->t, tr_find(r, b));
  if (m != NULL) tr_putvar(r->t, tr_find(r, m));
  tr_putvar(r->t, (uint64_t)(k + 1));
  if (k == 0) tr_putdst(r, res);
}

void tr_rec_divmod(tr_recorder *r, isp_int *a, isp_int *b, isp_int *q, isp_int *rem) {
  if (!tr_begin(r, TR_DIVMOD, 0)) return;
  tr_putvar(r->t, tr_find(r, a));
  tr_putvar(r->t, tr_find(r, b));
  tr_putdst(r, q);
  tr_putdst(r, rem);
}

void tr_rec_decref(tr_recorder *r, isp_int *v) {
  if (!tr_begin(r, TR_DECREF, 0)) return;
  tr_putvar(r->t, tr_pop(r, v));
}

void tr_rec_read(tr_recorder *r, tr_op op, isp_int *a, isp_int *b, int64_t arg, int flags) {
  if (!tr_begin(r, op, 0)) return;
  tr_putvar(r->t, tr_find(r, a));
  if (op == TR_COMPARE || op == TR_TRUEDIV) tr_putvar(r->t, tr_find(r, b));
  if (op == TR_TO_STRING || op == TR_TO_BYTES) tr_putvar(r->t, tr_zigzag(arg));
  if (op == TR_TO_BYTES) tr_putbyte(r->t, (unsigned)flags & 3u);
}

void tr_rec_max_str_digits(tr_recorder *r, int64_t n) {
  if (!tr_begin(r, TR_SET_MAX_STR_DIGITS, 0)) return;
  tr_putvar(r->t, tr_zigzag(n));
}

void tr_rec_collect(tr_recorder *r) {
  tr_begin(r, TR_COLLECT, 0);
}

/* }====================================================================== */


/*
** {======================================================================
** Replay
** =======================================================================
*/

typedef isp_int *(*tr_binfn)(isp_runtime *, isp_int *, isp_int *);
typedef isp_int *(*tr_unfn)(isp_runtime *, isp_int *);

/* The state of one replay, for the decoding helpers. */
typedef struct tr_player {
  const unsigned char *p, *end;
  isp_int **regs;
  uint32_t nregs;
  int bad;                   /* the trace is malformed */
} tr_player;

static uint64_t tr_getvar(tr_player *pl) {
  uint64_t v = 0;
  unsigned shift = 0;
  while (pl->p < pl->end && shift < 64) {
    unsigned c = *pl->p++;
    v |= (uint64_t)(c & 0x7f) << shift;
    if (c < 0x80) return v;
    shift += 7;
  }
  pl->bad = 1;
  return 0;
}

static unsigned tr_getbyte(tr_player *pl) {
  if (pl->p >= pl->end) {
    pl->bad = 1;
    return 0;
  }
  return *pl->p++;
}

/* An operand: a register that holds an object. */
static isp_int *tr_getreg(tr_player *pl) {
  uint64_t reg = tr_getvar(pl);
  if (reg == 0 || reg >= pl->nregs || pl->regs[reg] == NULL) {
    pl->bad = 1;
    return NULL;
  }
  return pl->regs[reg];
}

/* Store a make event's result 'res' as the record says; 0 when the
** record and the replay disagree on whether the call failed. */
static int tr_store(tr_player *pl, isp_runtime *R, isp_int *res) {
  uint64_t dst = tr_getvar(pl);
  if (dst == 0) {
    if (res != NULL) {
      isp_decref(R, res);
      return 0;
    }
    isp_error_clear(R);
    return 1;
  }
  if (res == NULL || dst >= pl->nregs || pl->regs[dst] != NULL) {
    if (res != NULL) isp_decref(R, res);
    else isp_error_clear(R);
    if (dst >= pl->nregs || pl->regs[dst] != NULL) pl->bad = 1;
    return 0;
  }
  pl->regs[dst] = res;
  return 1;
}

static tr_binfn tr_binary(tr_op op) {
  switch (op) {
    case TR_ADD: return isp_add;
    case TR_SUB: return isp_sub;
    case TR_MUL: return isp_mul;
    case TR_FLOORDIV: return isp_floordiv;
    case TR_MOD: return isp_mod;
    case TR_LSHIFT: return isp_lshift;
    case TR_RSHIFT: return isp_rshift;
    case TR_AND: return isp_and;
    case TR_OR: return isp_or;
    case TR_XOR: return isp_xor;
    case TR_GCD: return isp_gcd;
    default: return NULL;
  }
}

static tr_unfn tr_unary(tr_op op) {
  switch (op) {
    case TR_TO_LONG: return isp_to_long;
    case TR_TO_INT: return isp_to_int;
    case TR_NEG: return isp_neg;
    case TR_INVERT: return isp_invert;
    case TR_ABS: return isp_abs;
    case TR_ISQRT: return isp_isqrt;
    default: return NULL;
  }
}

static void tr_peek(isp_runtime *R, tr_peaks *peaks) {
  isp_stats s;
  isp_get_stats(R, &s);
  if (s.live > peaks->live) peaks->live = s.live;
  if (s.bytes > peaks->bytes) peaks->bytes = s.bytes;
}

/* One event; 1 done, 0 diverged or malformed (pl->bad tells which). */
static int tr_step(tr_player *pl, isp_runtime *R, tr_peaks *peaks, uint64_t *sink) {
  tr_op op = (tr_op)tr_getbyte(pl);
  isp_int *a, *b, *res;
  int ok = 1;
  switch (op) {
    case TR_FROM_I64: {
      int64_t v = tr_unzigzag(tr_getvar(pl));
      ok = tr_store(pl, R, pl->bad ? NULL : isp_from_i64(R, v));
      break;
    }
    case TR_FROM_DOUBLE: {
      double d;
      if (pl->end - pl->p < (long)sizeof d) return pl->bad = 1, 0;
      memcpy(&d, pl->p, sizeof d);
      pl->p += sizeof d;
      ok = tr_store(pl, R, isp_from_double(R, d));
      break;
    }
    case TR_FROM_STRING: case TR_FROM_BYTES: {
      int64_t base = 0;
      unsigned flags = 0;
      uint64_t len;
      const unsigned char *s;
      if (op == TR_FROM_STRING) base = tr_unzigzag(tr_getvar(pl));
      else flags = tr_getbyte(pl);
      len = tr_getvar(pl);
      if (pl->bad || len > (uint64_t)(pl->end - pl->p)) return pl->bad = 1, 0;
      s = pl->p;
      pl->p += len;
      res = op == TR_FROM_STRING
          ? isp_from_string(R, (const char *)s, (size_t)len, (int)base)
          : isp_from_bytes(R, s, (size_t)len, flags & 1, (flags & 2) != 0);
      ok = tr_store(pl, R, res);
      break;
    }
    case TR_INCREF:
      a = tr_getreg(pl);
      if (a == NULL) return 0;
      isp_incref(R, a);
      ok = tr_store(pl, R, a);
      break;
    case TR_TO_LONG: case TR_TO_INT: case TR_NEG: case TR_INVERT: case TR_ABS: case TR_ISQRT:
      a = tr_getreg(pl);
      if (a == NULL) return 0;
      ok = tr_store(pl, R, tr_unary(op)(R, a));
      break;
    case TR_ADD: case TR_SUB: case TR_MUL: case TR_FLOORDIV: case TR_MOD:
    case TR_LSHIFT: case TR_RSHIFT: case TR_AND: case TR_OR: case TR_XOR: case TR_GCD:
      a = tr_getreg(pl);
      b = tr_getreg(pl);
      if (a == NULL || b == NULL) return 0;
      ok = tr_store(pl, R, tr_binary(op)(R, a, b));
      break;
    case TR_POW: {
      unsigned flags = tr_getbyte(pl);
      isp_int *m = NULL;
      double d = 0;
      int k;
      uint64_t outcome;
      a = tr_getreg(pl);
      b = tr_getreg(pl);
      if (flags & 1) m = tr_getreg(pl);
      outcome = tr_getvar(pl);
      if (a == NULL || b == NULL || ((flags & 1) && m == NULL) || outcome > 2) return pl->bad = 1, 0;
      res = NULL;
      k = isp_pow(R, a, b, m, &res, &d);
      if ((uint64_t)(k + 1) != outcome) {
        if (k == 0) isp_decref(R, res);
        isp_error_clear(R);
        return 0;
      }
      if (k == 0) ok = tr_store(pl, R, res);
      else if (k < 0) isp_error_clear(R);
      else *sink += (uint64_t)(d != 0);
      break;
    }
    case TR_DIVMOD: {
      isp_int *q = NULL, *r = NULL;
      a = tr_getreg(pl);
      b = tr_getreg(pl);
      if (a == NULL || b == NULL) return 0;
      if (isp_divmod(R, a, b, &q, &r) != 0) q = r = NULL;
      ok = tr_store(pl, R, q);
      if (q == NULL && r == NULL) {
        /* both destinations say "failed" in a matching record */
        ok = ok && tr_store(pl, R, NULL);
      } else if (!tr_store(pl, R, r)) {
        ok = 0;
      }
      break;
    }
    case TR_DECREF: {
      uint64_t reg = tr_getvar(pl);
      if (reg == 0 || reg >= pl->nregs || pl->regs[reg] == NULL) return pl->bad = 1, 0;
      isp_decref(R, pl->regs[reg]);
      pl->regs[reg] = NULL;
      return 1;                           /* nothing made: no peak to read */
    }
    case TR_COMPARE: case TR_TRUEDIV:
      a = tr_getreg(pl);
      b = tr_getreg(pl);
      if (a == NULL || b == NULL) return 0;
      if (op == TR_COMPARE) {
        *sink += (uint64_t)isp_compare(R, a, b);
      } else {
        double d;
        if (isp_truediv(R, a, b, &d) != 0) isp_error_clear(R);
        else *sink += (uint64_t)(d != 0);
      }
      return 1;
    case TR_HASH: case TR_BIT_LENGTH: case TR_BIT_COUNT: case TR_TO_DOUBLE: case TR_TO_I64:
      a = tr_getreg(pl);
      if (a == NULL) return 0;
      if (op == TR_HASH) *sink += (uint64_t)isp_hash(R, a);
      else if (op == TR_BIT_LENGTH) *sink += (uint64_t)isp_bit_length(R, a);
      else if (op == TR_BIT_COUNT) *sink += (uint64_t)isp_bit_count(R, a);
      else if (op == TR_TO_DOUBLE) {
        double d;
        if (isp_to_double(R, a, &d) != 0) isp_error_clear(R);
        else *sink += (uint64_t)(d != 0);
      } else {
        int64_t n;
        if (isp_to_i64(R, a, &n) != 0) isp_error_clear(R);
        else *sink += (uint64_t)n;
      }
      return 1;
    case TR_TO_STRING: {
      int64_t base;
      size_t len;
      char *s;
      a = tr_getreg(pl);
      base = tr_unzigzag(tr_getvar(pl));
      if (a == NULL || pl->bad) return 0;
      s = isp_to_string(R, a, (int)base, &len);
      if (s == NULL) isp_error_clear(R);
      else {
        *sink += len;
        isp_free_string(R, s);
      }
      return 1;
    }
    case TR_TO_BYTES: {
      int64_t len;
      unsigned flags;
      uint8_t *buf, one;
      a = tr_getreg(pl);
      len = tr_unzigzag(tr_getvar(pl));
      flags = tr_getbyte(pl);
      if (a == NULL || pl->bad) return 0;
      if (isp_to_bytes_check(R, a, len, (flags & 2) != 0) != 0) {
        isp_error_clear(R);
        return 1;
      }
      buf = len > 0 ? (uint8_t *)malloc((size_t)len) : &one;
      if (buf == NULL) return 0;
      if (isp_to_bytes(R, a, len, flags & 1, (flags & 2) != 0, buf) != 0) isp_error_clear(R);
      else if (len > 0) *sink += buf[0];
      if (buf != &one) free(buf);
      return 1;
    }
    case TR_SET_MAX_STR_DIGITS: {
      int64_t n = tr_unzigzag(tr_getvar(pl));
      if (pl->bad) return 0;
      if (isp_set_max_str_digits(R, n) != 0) isp_error_clear(R);
      return 1;
    }
    case TR_COLLECT:
      isp_collect(R);
      return 1;
    default:
      pl->bad = 1;
      return 0;
  }
  if (ok && peaks != NULL) tr_peek(R, peaks);
  return ok;
}

int tr_replay(const tr_trace *t, isp_runtime *R, isp_stats *end, tr_peaks *peaks,
              char *err, size_t errlen) {
  tr_player pl;
  uint64_t sink = 0, n = 0;
  uint32_t i;
  int status = 0;
  pl.p = t->buf;
  pl.end = t->buf + t->len;
  pl.nregs = t->nregs ? t->nregs : 1;
  pl.bad = 0;
  pl.regs = (isp_int **)calloc(pl.nregs, sizeof *pl.regs);
  if (pl.regs == NULL) {
    snprintf(err, errlen, "out of memory for %lu replay registers", (unsigned long)pl.nregs);
    return -1;
  }
  if (peaks != NULL) {
    memset(peaks, 0, sizeof *peaks);
    tr_peek(R, peaks);
  }
  while (pl.p < pl.end) {
    if (!tr_step(&pl, R, peaks, &sink)) {
      snprintf(err, errlen, pl.bad ? "the trace is malformed at event %llu"
                                   : "the replay diverged from the record at event %llu "
                                     "(a call failed in one and not in the other)",
               (unsigned long long)n);
      status = -1;
      break;
    }
    n++;
  }
  if (end != NULL) isp_get_stats(R, end);
  for (i = 1; i < pl.nregs; i++)
    if (pl.regs[i] != NULL) isp_decref(R, pl.regs[i]);
  free(pl.regs);
  /* keep the reads' results observable, so no call is optimized away */
  {
    volatile uint64_t keep = sink;
    (void)keep;
  }
  return status;
}

/* }====================================================================== */
