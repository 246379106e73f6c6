/*
** block27.c -- CPython 2.7's int allocator: PyIntBlock and its free list.
**
** 2.7 asks malloc for 1000-byte blocks: a next pointer (8 bytes) and 41
** int objects of 24 bytes (992 bytes used).  A new block's objects are
** threaded into the free list through their ob_type field, rear to front,
** so the block hands out its highest object first and then walks down
** (ids step by -24).  Deallocation pushes an int back on the free list
** (LIFO).  Blocks are only returned to the system by a full collection,
** and only those with no live int.
**
** Where the blocks land decides the jump between the last id of one block
** and the first of the next: that jump is (distance between blocks) + 960.
** Seed 000 ran on an allocator that placed blocks back to back (992 apart:
** +1952); glibc's chunk header makes it 1008 (+1968).  So blocks are placed
** by this file, 'spacing' bytes apart inside arenas it takes from the
** system, and a freed block's place is reused first (LIFO, like malloc).
*/
#include <stdlib.h>
#include <string.h>

#include "intobject.h"

#define BLOCK_HEAD 8
#define BLOCK_OBJECTS ((1000 - BLOCK_HEAD) / 24)      /* 41 */
#define ARENA_BLOCKS 64

struct block27_arena {
  block27_arena *next;
  size_t used;            /* blocks placed so far */
  size_t bytes;
  unsigned char *base;    /* first block */
};

/* The i-th 24-byte object of block b (isp_int has a flexible digit array,
** so objects are addressed by byte offset). */
static struct isp_int *block_object(void *b, size_t i) {
  return (struct isp_int *)((unsigned char *)b + BLOCK_HEAD + i * 24);
}

static void *block_next(void *b) {
  void *n;
  memcpy(&n, b, sizeof n);
  return n;
}

static void block_set_next(void *b, void *n) {
  memcpy(b, &n, sizeof n);
}

/* A place for a new block: a freed one first, then the next in an arena. */
static void *block_place(isp_runtime *R) {
  block27_state *S = &R->blocks;
  block27_arena *a = S->arenas;
  void *b;
  if (S->free_blocks != NULL) {
    b = S->free_blocks;
    S->free_blocks = block_next(b);
    return b;
  }
  if (a == NULL || a->used == ARENA_BLOCKS) {
    size_t bytes = sizeof(block27_arena) + 16 + ARENA_BLOCKS * S->spacing;
    a = malloc(bytes);
    if (a == NULL) return NULL;
    R->stats.bytes += bytes;
    a->bytes = bytes;
    a->used = 0;
    a->base = (unsigned char *)(((uintptr_t)(a + 1) + 15) & ~(uintptr_t)15);
    a->next = S->arenas;
    S->arenas = a;
  }
  b = a->base + a->used * S->spacing;
  a->used++;
  return b;
}

/* fill_free_list: take a new block and thread its objects rear to front. */
static int block_fill(isp_runtime *R) {
  block27_state *S = &R->blocks;
  void *b;
  size_t i;
  if (!mem_gate(R)) return 0;
  b = block_place(R);
  if (b == NULL) {
    R->stats.allocs--;
    R->stats.failed_allocs++;
    err_nomemory(R);
    return 0;
  }
  block_set_next(b, S->block_list);
  S->block_list = b;
  S->nblocks++;
  R->stats.blocks = S->nblocks;
  for (i = 0; i < BLOCK_OBJECTS; i++) {
    struct isp_int *v = block_object(b, i);
    v->ob_refcnt = 0;
    v->ob_type = i ? (const int_type *)(void *)block_object(b, i - 1) : NULL;
    v->ob_word = 0;
  }
  S->free_list = block_object(b, BLOCK_OBJECTS - 1);
  return 1;
}

struct isp_int *block27_pop(isp_runtime *R) {
  block27_state *S = &R->blocks;
  struct isp_int *v;
  if (S->free_list == NULL && !block_fill(R)) return NULL;
  v = S->free_list;
  S->free_list = (struct isp_int *)(void *)v->ob_type;
  return v;
}

void block27_push(isp_runtime *R, struct isp_int *v) {
  block27_state *S = &R->blocks;
  v->ob_refcnt = 0;
  v->ob_type = (const int_type *)(void *)S->free_list;
  S->free_list = v;
}

/*
** PyInt_ClearFreeList: free every block with no live int (refcount 0 on
** all 41), rebuild the free list from the dead slots of the others.
** Returns the number of live ints.
*/
size_t block27_collect(isp_runtime *R) {
  block27_state *S = &R->blocks;
  void *b = S->block_list, *kept = NULL, **tail = &kept;
  size_t live_total = 0;
  S->free_list = NULL;
  while (b != NULL) {
    void *next = block_next(b);
    size_t i, live = 0;
    for (i = 0; i < BLOCK_OBJECTS; i++)
      if (block_object(b, i)->ob_refcnt != 0) live++;
    if (live == 0) {
      block_set_next(b, S->free_blocks);      /* the place is reused later */
      S->free_blocks = b;
      S->nblocks--;
      R->stats.frees++;
    } else {
      for (i = 0; i < BLOCK_OBJECTS; i++) {
        struct isp_int *v = block_object(b, i);
        if (v->ob_refcnt == 0) {
          v->ob_type = (const int_type *)(void *)S->free_list;
          S->free_list = v;
        }
      }
      *tail = b;
      tail = (void **)b;          /* the next pointer is the block's first word */
      block_set_next(b, NULL);
      live_total += live;
    }
    b = next;
  }
  S->block_list = kept;
  R->stats.blocks = S->nblocks;
  return live_total;
}

ISP_NO_COVERAGE
void block27_walk(isp_runtime *R, void (*fn)(void *ud, struct isp_int *v), void *ud) {
  void *b;
  for (b = R->blocks.block_list; b != NULL; b = block_next(b)) {
    size_t i;
    for (i = 0; i < BLOCK_OBJECTS; i++) {
      struct isp_int *v = block_object(b, i);
      if (v->ob_refcnt != 0) fn(ud, v);
    }
  }
}

static size_t block27_narenas(const block27_state *S) {
  size_t n = 0;
  const block27_arena *a;
  for (a = S->arenas; a != NULL; a = a->next) n++;
  return n;
}

void block27_mark_base(isp_runtime *R) {
  block27_state *S = &R->blocks;
  S->base_arenas = block27_narenas(S);
  S->base_used = S->arenas != NULL ? S->arenas->used : 0;
}

/*
** Blocks are placed in order, newest arena first in the list, and the
** start-up blocks hold the cached ints, which never die: after a collect
** with nothing else alive, every block outside them is a free place.  So
** dropping the newer arenas and winding the newest start-up arena back
** gives exactly the placement a new runtime would make next; and the
** collect has rebuilt the free list from the start-up blocks' dead slots
** in the order int_cache_init left it.
*/
void block27_reset(isp_runtime *R) {
  block27_state *S = &R->blocks;
  size_t extra;
  block27_collect(R);
  extra = block27_narenas(S) - S->base_arenas;
  while (extra-- > 0) {
    block27_arena *a = S->arenas;
    S->arenas = a->next;
    R->stats.bytes -= a->bytes;
    free(a);
  }
  if (S->arenas != NULL) S->arenas->used = S->base_used;
  S->free_blocks = NULL;
}

void block27_fini(isp_runtime *R) {
  block27_state *S = &R->blocks;
  while (S->arenas != NULL) {
    block27_arena *a = S->arenas;
    S->arenas = a->next;
    R->stats.bytes -= a->bytes;
    free(a);
  }
  memset(S, 0, sizeof *S);
  R->stats.blocks = 0;
}
