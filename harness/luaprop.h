/*
** luaprop.h -- properties written in Lua, run on fuzz inputs.
**
** A property file returns a function of one argument, the data provider
** (or a table whose field 'property' is that function).  The function
** draws its arguments from the input through the provider, calls the
** intspect module and asserts what must hold; see docs/fuzzing-lua.md.
** This file runs one input through a property and judges it; the engines
** (libFuzzer, AFL++, the replay of a corpus) are around it elsewhere.
*/
#ifndef luaprop_h
#define luaprop_h

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct lp_prop lp_prop;

/* What one input did. */
typedef enum lp_outcome {
  LP_PASS,          /* the property held */
  LP_SHORT,         /* the input ran out before the property finished: not counted */
  LP_FAIL           /* a finding: an assertion, an unexpected error, a leak */
} lp_outcome;

/*
** Load a property: from the file 'path', or (src != NULL) from the
** chunk src[0..len) named 'path'.  NULL with a message in err on failure.
*/
lp_prop *lp_open(const char *path, const char *src, size_t len, char *err, size_t errlen);
void lp_close(lp_prop *P);
/* The property's name: its file name without directory and ".lua". */
const char *lp_name(const lp_prop *P);
/* The max_len the property asks for (its table's 'max_len'), or 0. */
size_t lp_max_len(const lp_prop *P);

/*
** Lua line coverage: with 'hit' set, every line the property (and the Lua
** it calls) runs is reported as an edge from the line before, hashed to 32
** bits; NULL turns the hook off.
*/
void lp_set_coverage(lp_prop *P, void (*hit)(void *ud, uint32_t edge), void *ud);

/* Run the property on one input. */
lp_outcome lp_run(lp_prop *P, const uint8_t *data, size_t size);
/*
** Describe the last LP_FAIL to 'f': the error or the leaks, the Lua
** traceback, and the arguments the property drew from the input, decoded
** (the input is run once more to record them).
*/
void lp_report(lp_prop *P, const uint8_t *data, size_t size, FILE *f);

#endif
