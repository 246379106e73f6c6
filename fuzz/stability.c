/*
** stability.c -- does an input run the same edges whatever ran before it?
**
** AFL++ calls a target stable when running one input again, in the same
** persistent process, hits the same edges the same number of times (in its
** buckets: 1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+).  The kept runtimes of
** fz_common.c, lazily made state and allocator choices that depend on
** earlier inputs all break that, and an unstable edge is one the engine
** can no longer trust.  This driver is linked with a target built with
** -fsanitize-coverage=trace-pc-guard: for every file of a directory it runs
** the file, then three other files (a fixed pseudo-random choice), then the
** file again, and names each guard whose bucket changed, with its code
** address for a symbolizer.  Exit status 1 when any did.
**
**   stability DIR   (fuzz/check_stability.sh builds and runs it)
*/
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
/* the sanitizers' symbolizer, when one is linked in */
void __sanitizer_symbolize_pc(void *pc, const char *fmt, char *out, size_t len)
    __attribute__((weak));

#define ST_MAX_GUARDS (1u << 20)
#define ST_MAX_INPUT (1u << 20)
#define ST_BETWEEN 3

static uint32_t st_nguards;
static uint8_t st_hits[ST_MAX_GUARDS];
static uintptr_t st_where[ST_MAX_GUARDS];   /* a return address inside the edge */

void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop);
void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop) {
  uint32_t *g;
  if (start == stop || *start != 0) return;
  for (g = start; g < stop && st_nguards + 1 < ST_MAX_GUARDS; g++) *g = ++st_nguards;
}

void __sanitizer_cov_trace_pc_guard(uint32_t *guard);
void __sanitizer_cov_trace_pc_guard(uint32_t *guard) {
  uint32_t g = *guard;
  if (g == 0) return;
  if (st_hits[g] < 255) st_hits[g]++;
  if (st_where[g] == 0) st_where[g] = (uintptr_t)__builtin_return_address(0);
}

/* AFL++'s hit-count classes */
static int st_bucket(unsigned h) {
  if (h <= 3) return (int)h;
  if (h < 8) return 4;
  if (h < 16) return 5;
  if (h < 32) return 6;
  if (h < 128) return 7;
  return 8;
}

typedef struct st_file {
  char *path;
  uint8_t *data;
  size_t size;
} st_file;

static int st_load(st_file *f) {
  FILE *fp = fopen(f->path, "rb");
  if (fp == NULL) return -1;
  f->data = malloc(ST_MAX_INPUT);
  if (f->data == NULL) {
    fclose(fp);
    return -1;
  }
  f->size = fread(f->data, 1, ST_MAX_INPUT, fp);
  fclose(fp);
  return 0;
}

static int st_cmp(const void *a, const void *b) {
  return strcmp(((const st_file *)a)->path, ((const st_file *)b)->path);
}

static void st_run(const st_file *f) {
  memset(st_hits, 0, (size_t)st_nguards + 1);
  LLVMFuzzerTestOneInput(f->data, f->size);
}

int main(int argc, char **argv) {
  static uint8_t first[ST_MAX_GUARDS];
  st_file *files;
  size_t n = 0, cap = 256, i, k;
  unsigned long long seed = 1;
  unsigned unstable_inputs = 0, unstable_guards = 0;
  DIR *d;
  struct dirent *e;
  if (argc != 2) {
    fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  d = opendir(argv[1]);
  if (d == NULL) {
    fprintf(stderr, "%s: cannot open %s\n", argv[0], argv[1]);
    return 2;
  }
  files = malloc(cap * sizeof *files);
  while (files != NULL && (e = readdir(d)) != NULL) {
    size_t len;
    if (e->d_name[0] == '.' || strcmp(e->d_name, "regressions") == 0) continue;
    if (n == cap) {
      st_file *more = realloc(files, 2 * cap * sizeof *files);
      if (more == NULL) break;
      files = more;
      cap *= 2;
    }
    len = strlen(argv[1]) + strlen(e->d_name) + 2;
    files[n].path = malloc(len);
    if (files[n].path == NULL) break;
    snprintf(files[n].path, len, "%s/%s", argv[1], e->d_name);
    if (st_load(&files[n]) == 0) n++;
    else free(files[n].path);
  }
  closedir(d);
  if (files == NULL || n == 0) {
    fprintf(stderr, "%s: no inputs in %s\n", argv[0], argv[1]);
    return 2;
  }
  qsort(files, n, sizeof *files, st_cmp);   /* the same order on every machine */
  LLVMFuzzerInitialize(&argc, &argv);
  for (i = 0; i < n; i++) {
    unsigned bad = 0;
    uint32_t g;
    st_run(&files[i]);
    memcpy(first, st_hits, (size_t)st_nguards + 1);
    for (k = 0; k < ST_BETWEEN; k++) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      st_run(&files[(seed >> 33) % n]);
    }
    st_run(&files[i]);
    for (g = 1; g <= st_nguards; g++)
      if (st_bucket(first[g]) != st_bucket(st_hits[g])) {
        char where[512];
        snprintf(where, sizeof where, "%p", (void *)st_where[g]);
        if (__sanitizer_symbolize_pc != NULL && st_where[g] != 0)
          __sanitizer_symbolize_pc((void *)(st_where[g] - 1), "%f %s:%l", where, sizeof where);
        printf("%s: guard %u in %s: %u hits, then %u\n", files[i].path, g, where, first[g],
               st_hits[g]);
        bad++;
      }
    if (bad) unstable_inputs++;
    unstable_guards += bad;
  }
  printf("%zu inputs, %u guards: %u input(s) ran differently the second time (%u guard "
         "changes)\n", n, st_nguards, unstable_inputs, unstable_guards);
  return unstable_inputs ? 1 : 0;
}
