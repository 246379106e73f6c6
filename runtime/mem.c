/*
** mem.c -- the memory gate: raw memory, counters, fault injection.
**
** Every allocation the runtime makes after start-up passes mem_gate,
** which is where 'fail_alloc_after' takes effect: once that many
** allocations have succeeded, every further one fails with MemoryError
** (SQLite's fail-the-Nth-malloc testing, per runtime rather than global).
** Allocations made while the runtime is being created are not counted, so
** a runtime always starts; the countdown begins when the user gets it.
*/
#include <stdint.h>
#include <stdlib.h>

#include "runtime.h"

int mem_gate(isp_runtime *R) {
  /* one compare: alloc_limit is UINT64_MAX when no failure is asked for */
  if (R->stats.allocs >= R->alloc_limit) {
    R->stats.failed_allocs++;
    err_nomemory(R);
    return 0;
  }
  R->stats.allocs++;
  return 1;
}

void *mem_alloc(isp_runtime *R, size_t size) {
  void *p;
  if (!mem_gate(R)) return NULL;
  p = malloc(size ? size : 1);
  if (p == NULL) {
    R->stats.failed_allocs++;
    err_nomemory(R);
    return NULL;
  }
  R->stats.bytes += size;
  return p;
}

void mem_free(isp_runtime *R, void *p, size_t size) {
  if (p == NULL) return;
  free(p);
  R->stats.bytes -= size;
  R->stats.frees++;
}

uint32_t *mem_scratch(isp_runtime *R, size_t ndigits) {
  if (ndigits > SIZE_MAX / sizeof(uint32_t)) {
    err_nomemory(R);
    return NULL;
  }
  return (uint32_t *)mem_alloc(R, ndigits * sizeof(uint32_t));
}

void mem_scratch_free(isp_runtime *R, uint32_t *p, size_t ndigits) {
  mem_free(R, p, ndigits * sizeof(uint32_t));
}
