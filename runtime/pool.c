/*
** pool.c -- the general object allocator, shaped like CPython's pymalloc.
**
** Requests of up to 512 bytes are served from 16 KiB pools, each carved
** into slots of one 16-byte size class; freed slots go on their class's
** free list and come back last-in first-out, so a freed int's address is
** what the next int of that size gets (the reuse CPython 3.x shows).
** Fresh slots are carved upward, so consecutive fresh ints of one class
** sit one slot apart (+32 for one- and two-digit ints).  Larger requests
** go to the C library, 32-byte aligned, with a small hidden header that
** links them for tear-down.
**
** A slot's second word (an object's ob_type) is NULL while the slot is
** free; pool_walk relies on it to find live objects for the leak report.
** Under AddressSanitizer the body of a free slot is poisoned, so a use
** after release is caught even though the memory stays in the pool.
*/
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

#if defined(__SANITIZE_ADDRESS__)
#define POOL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_ASAN 1
#endif
#endif
#ifdef POOL_ASAN
#include <sanitizer/asan_interface.h>
#define poison(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define unpoison(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define poison(p, n) ((void)(p), (void)(n))
#define unpoison(p, n) ((void)(p), (void)(n))
#endif

/* The link and type words stay readable in a free slot. */
#define SLOT_KEEP 16

struct pool_chunk {
  pool_chunk *next;          /* every pool of the runtime */
  size_t slot_size;
  size_t carved;             /* offset of the first never-used slot */
  size_t cls;
  unsigned char pad[16];     /* slots start 48 bytes in, as in pymalloc */
};
#define POOL_HEADER sizeof(pool_chunk)

struct pool_big {
  pool_big *prev, *next;
  size_t size;
  size_t pad;
};

#define POOL_BIG_ALIGN 32

typedef char pool_header_check[(POOL_HEADER == 48 && sizeof(pool_big) == 32) ? 1 : -1];

static void *slot_link(void *slot) {
  void *next;
  memcpy(&next, slot, sizeof next);
  return next;
}

static void slot_mark_free(void *slot, void *next) {
  void *null = NULL;
  memcpy(slot, &next, sizeof next);
  memcpy((char *)slot + sizeof(void *), &null, sizeof null);
}

/*
** A pool's memory: a spare one (a reset keeps them) or the system's.
** Which of the two depends on what earlier inputs left, not on this one,
** so a coverage-guided engine is not shown the difference: an input runs
** the same edges every time it runs (AFL++'s stability).
*/
ISP_NO_COVERAGE
static pool_chunk *pool_chunk_take(isp_runtime *R, size_t size) {
  pool_chunk *p = R->pool.spare;
  if (p != NULL) R->pool.spare = p->next;
  else p = aligned_alloc(size, size);
  return p;
}

static pool_chunk *pool_new(isp_runtime *R, size_t cls) {
  size_t size = R->pool.pool_size;
  pool_chunk *p = pool_chunk_take(R, size);
  if (p == NULL) return NULL;
  R->stats.bytes += size;
  p->next = R->pool.pools;
  p->slot_size = (cls + 1) << R->pool.shift;
  p->carved = POOL_HEADER;
  p->cls = cls;
  poison((char *)p + POOL_HEADER, size - POOL_HEADER);
  R->pool.pools = p;
  return p;
}

/*
** Big objects (above 512 bytes) come from malloc, as in CPython.  One
** freed block per power-of-two size bucket up to 1 MiB is kept and handed
** to the next request of that bucket that it is large enough for: a loop that makes and drops an
** int of 10^4..10^6 digits would otherwise have glibc give the block back
** to the top of the heap, trim it, and fault its pages in again on every
** turn.
*/
static int big_bucket(size_t size) {
  int b = 0;
  while (b < POOL_KEPT_BUCKETS && ((size_t)1 << (POOL_KEPT_MIN_SHIFT + b)) < size) b++;
  return b;   /* POOL_KEPT_BUCKETS: too big to keep */
}

static void *big_alloc(isp_runtime *R, size_t size) {
  int k = big_bucket(size);
  pool_big *b = NULL;
  if (k < POOL_KEPT_BUCKETS && R->pool.kept[k] != NULL && R->pool.kept[k]->size >= size) {
    b = R->pool.kept[k];
    R->pool.kept[k] = NULL;
    unpoison(b + 1, b->size);
  } else {
    /* 32-byte aligned, so that every big object's digits start at the
    ** same offset within 32 bytes: the wide digit loops (digits_bit.c)
    ** then align their loads and stores at the same step */
    size_t whole = (sizeof(pool_big) + size + POOL_BIG_ALIGN - 1) & ~(size_t)(POOL_BIG_ALIGN - 1);
    b = aligned_alloc(POOL_BIG_ALIGN, whole);
    if (b == NULL) return NULL;
    b->size = size;
    R->stats.bytes += sizeof(pool_big) + size;
  }
  b->prev = NULL;
  b->next = R->pool.bigs;
  if (b->next) b->next->prev = b;
  R->pool.bigs = b;
  return b + 1;
}

static void big_unlink(isp_runtime *R, pool_big *b) {
  if (b->prev) b->prev->next = b->next;
  else R->pool.bigs = b->next;
  if (b->next) b->next->prev = b->prev;
}

static void big_release(isp_runtime *R, pool_big *b) {
  R->stats.bytes -= sizeof(pool_big) + b->size;
  free(b);
}

static void big_free(isp_runtime *R, void *obj) {
  pool_big *b = (pool_big *)obj - 1;
  int k = big_bucket(b->size);
  big_unlink(R, b);
  if (k < POOL_KEPT_BUCKETS) {
    if (R->pool.kept[k] != NULL) big_release(R, R->pool.kept[k]);
    R->pool.kept[k] = b;
    poison(b + 1, b->size);
    return;
  }
  big_release(R, b);
}

void pool_init(isp_runtime *R) {
  R->pool.shift = R->prof->pool_quantum_shift;
  R->pool.pool_size = R->prof->pool_size;
}

void *pool_alloc(isp_runtime *R, size_t size) {
  size_t cls;
  void *slot;
  pool_chunk *p;
  if (!mem_gate(R)) return NULL;
  if (size > POOL_MAX_SMALL) {
    slot = big_alloc(R, size);
    goto done;
  }
  cls = size ? (size - 1) >> R->pool.shift : 0;
  slot = R->pool.freelist[cls];
  if (slot != NULL) {
    unpoison(slot, (cls + 1) << R->pool.shift);
    R->pool.freelist[cls] = slot_link(slot);
    return slot;
  }
  p = R->pool.carving[cls];
  if (p == NULL || p->carved + p->slot_size > R->pool.pool_size) {
    p = pool_new(R, cls);
    if (p == NULL) goto done;
    R->pool.carving[cls] = p;
  }
  slot = (char *)p + p->carved;
  p->carved += p->slot_size;
  unpoison(slot, p->slot_size);
done:
  if (slot == NULL) {
    R->stats.allocs--;          /* mem_gate counted it as a success */
    R->stats.failed_allocs++;
    err_nomemory(R);
  }
  return slot;
}

void pool_free(isp_runtime *R, void *slot, size_t size) {
  size_t cls;
  if (slot == NULL) return;
  R->stats.frees++;
  if (size > POOL_MAX_SMALL) {
    big_free(R, slot);
    return;
  }
  cls = size ? (size - 1) >> R->pool.shift : 0;
  slot_mark_free(slot, R->pool.freelist[cls]);
  poison((char *)slot + SLOT_KEEP, ((cls + 1) << R->pool.shift) - SLOT_KEEP);
  R->pool.freelist[cls] = slot;
}

ISP_NO_COVERAGE
void pool_walk(isp_runtime *R, void (*fn)(void *ud, struct isp_int *v), void *ud) {
  pool_chunk *p;
  pool_big *b;
  for (p = R->pool.pools; p != NULL; p = p->next) {
    size_t off;
    for (off = POOL_HEADER; off + p->slot_size <= p->carved; off += p->slot_size) {
      char *slot = (char *)p + off;
      void *type;
      memcpy(&type, slot + sizeof(void *), sizeof type);
      if (type != NULL) fn(ud, (struct isp_int *)slot);
    }
  }
  for (b = R->pool.bigs; b != NULL; b = b->next) {
    void *type;
    memcpy(&type, (char *)(b + 1) + sizeof(void *), sizeof type);
    if (type != NULL) fn(ud, (struct isp_int *)(b + 1));
  }
}

/* Big objects: those alive, and the freed ones kept per size bucket. */
static void pool_release_bigs(isp_runtime *R) {
  int k;
  for (k = 0; k < POOL_KEPT_BUCKETS; k++)
    if (R->pool.kept[k] != NULL) {
      unpoison(R->pool.kept[k] + 1, R->pool.kept[k]->size);
      big_release(R, R->pool.kept[k]);
      R->pool.kept[k] = NULL;
    }
  while (R->pool.bigs != NULL) {
    pool_big *b = R->pool.bigs;
    big_unlink(R, b);
    big_release(R, b);
  }
}

void pool_reset(isp_runtime *R) {
  while (R->pool.pools != NULL) {
    pool_chunk *p = R->pool.pools;
    R->pool.pools = p->next;
    R->stats.bytes -= R->pool.pool_size;
    p->next = R->pool.spare;
    R->pool.spare = p;
  }
  pool_release_bigs(R);
  memset(R->pool.freelist, 0, sizeof R->pool.freelist);
  memset(R->pool.carving, 0, sizeof R->pool.carving);
}

void pool_fini(isp_runtime *R) {
  pool_reset(R);
  while (R->pool.spare != NULL) {
    pool_chunk *p = R->pool.spare;
    R->pool.spare = p->next;
    unpoison(p, R->pool.pool_size);
    free(p);
  }
}
