/*
** trace.h -- a compact record of the calls a program makes into the
** runtime, and its replay.
**
** `intspect explore` runs each workload once in Lua with a recorder
** attached to its runtime, then replays the record in C under every
** small-int range: the replay makes the same calls in the same order,
** so what it times is the runtime's own work (cache hits against
** allocations), not the interpreter's.
**
** A trace is a byte string of events.  Each event is an opcode byte and
** varint operands.  Objects are named by registers: every new reference
** the program received (a result, an incref) gets a register, and a
** decref empties one.  Two references to one object in the recorded run
** (a cached 5 made twice) are two registers, so that a replay under a
** range where they are two objects holds each as the program did.  The
** recorder maps an object to the registers that hold it; when the
** program drops one of several references to the same object, any of
** those registers may go, since they hold equal values.
**
** Only the public C API is used (runtime/intspect.h).
*/
#ifndef trace_h
#define trace_h

#include <stddef.h>
#include <stdint.h>

#include "intspect.h"

/* What an event does.  The order is part of the format of a trace held
** in memory only: traces are never written to files. */
typedef enum tr_op {
  /* make an int from a C value: the value, then the destination */
  TR_FROM_I64, TR_FROM_DOUBLE, TR_FROM_STRING, TR_FROM_BYTES,
  /* make an int from ints: operands, then the destination */
  TR_INCREF, TR_TO_LONG, TR_TO_INT,
  TR_ADD, TR_SUB, TR_MUL, TR_FLOORDIV, TR_MOD, TR_LSHIFT, TR_RSHIFT,
  TR_AND, TR_OR, TR_XOR, TR_GCD,
  TR_NEG, TR_INVERT, TR_ABS, TR_ISQRT,
  TR_POW, TR_DIVMOD,
  /* drop a reference */
  TR_DECREF,
  /* read an int without making one (they cost time, and str() and
  ** to_bytes use working memory) */
  TR_COMPARE, TR_HASH, TR_BIT_LENGTH, TR_BIT_COUNT, TR_TO_DOUBLE, TR_TO_I64,
  TR_TO_STRING, TR_TO_BYTES, TR_TRUEDIV,
  /* change a setting that changes what later calls do */
  TR_SET_MAX_STR_DIGITS, TR_COLLECT,
  TR_NOPS
} tr_op;

/* A recorded trace: the events and what a replay needs to know ahead. */
typedef struct tr_trace {
  unsigned char *buf;
  size_t len, cap;
  uint64_t nevents;
  uint32_t nregs;           /* registers used: 1 .. nregs - 1 (0 = none) */
} tr_trace;

void tr_trace_free(tr_trace *t);

/*
** {======================================================================
** Recording
** =======================================================================
*/

typedef struct tr_recorder tr_recorder;

/* A recorder filling 't' (emptied first); NULL when out of memory. */
tr_recorder *tr_recorder_new(tr_trace *t);
/* NULL while every call was recorded, else why the trace is unusable
** (out of memory, or an int the trace never saw made). */
const char *tr_recorder_error(const tr_recorder *r);
/* References still held by the program (registers in use). */
uint64_t tr_recorder_live(const tr_recorder *r);
void tr_recorder_free(tr_recorder *r);

/*
** The calls, each told right after it returned.  'res' is the new
** reference, or NULL when the call failed; operands may be NULL where
** the call takes none (b for a unary op, m for pow without modulus).
*/
void tr_rec_i64(tr_recorder *r, int64_t v, isp_int *res);
void tr_rec_double(tr_recorder *r, double d, isp_int *res);
void tr_rec_string(tr_recorder *r, const char *s, size_t len, int base, isp_int *res);
void tr_rec_bytes(tr_recorder *r, const uint8_t *b, size_t len, int little,
                  int is_signed, isp_int *res);
/* TR_INCREF .. TR_ISQRT: one or two operands, one result (TR_INCREF:
** the operand itself, a new reference). */
void tr_rec_make(tr_recorder *r, tr_op op, isp_int *a, isp_int *b, isp_int *res);
/* isp_pow's outcome k: -1 error, 0 an int (res), 1 a float. */
void tr_rec_pow(tr_recorder *r, isp_int *a, isp_int *b, isp_int *m, int k, isp_int *res);
/* isp_divmod: q and rem are NULL when it failed. */
void tr_rec_divmod(tr_recorder *r, isp_int *a, isp_int *b, isp_int *q, isp_int *rem);
void tr_rec_decref(tr_recorder *r, isp_int *v);
/* TR_COMPARE .. TR_TRUEDIV; 'arg' is str()'s base or to_bytes' length,
** 'flags' to_bytes' (1 little, 2 signed). */
void tr_rec_read(tr_recorder *r, tr_op op, isp_int *a, isp_int *b, int64_t arg, int flags);
/* isp_set_max_str_digits(R, n), whatever it returned. */
void tr_rec_max_str_digits(tr_recorder *r, int64_t n);
/* isp_collect(R). */
void tr_rec_collect(tr_recorder *r);

/* }====================================================================== */

/*
** {======================================================================
** Replay
** =======================================================================
*/

/* What a replay saw besides the end state: the peaks of live objects
** and of bytes held, read after every event that made an int. */
typedef struct tr_peaks {
  uint64_t live, bytes;
} tr_peaks;

/*
** Replay 't' on R, which must hold no object of the program's yet.
** 'end' (may be NULL) receives R's stats after the last event, before the
** references the program still held are dropped; 'peaks' (may be NULL)
** asks for the peaks to be tracked, which reads the stats after every
** making event (leave it NULL when timing).  Returns 0, or -1 with a
** message in err when the replay diverged from the record (a call that
** failed where it had succeeded, or the reverse) or memory ran out.
*/
int tr_replay(const tr_trace *t, isp_runtime *R, isp_stats *end, tr_peaks *peaks,
              char *err, size_t errlen);

/* }====================================================================== */

#endif
