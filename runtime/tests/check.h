/*
** check.h -- the few macros the C unit tests share.
**
** A failed CHECK prints file, line, the expression and (for the typed
** forms) both values, counts the failure and goes on; main() ends with
** CHECK_DONE(), which prints "N passed, N failed" and returns non-zero
** if anything failed.  Each test file states at its top what it checks.
*/
#ifndef check_h
#define check_h

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static unsigned long check_passed_, check_failed_;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (cond) check_passed_++;                                               \
    else {                                                                   \
      check_failed_++;                                                       \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                        \
  } while (0)

#define CHECK_EQ_I(expected, actual)                                         \
  do {                                                                       \
    long long e_ = (long long)(expected), a_ = (long long)(actual);          \
    if (e_ == a_) check_passed_++;                                           \
    else {                                                                   \
      check_failed_++;                                                       \
      fprintf(stderr, "%s:%d: %s: expected %lld, got %lld\n", __FILE__,      \
              __LINE__, #actual, e_, a_);                                    \
    }                                                                        \
  } while (0)

#define CHECK_EQ_U(expected, actual)                                         \
  do {                                                                       \
    unsigned long long e_ = (unsigned long long)(expected),                  \
                       a_ = (unsigned long long)(actual);                    \
    if (e_ == a_) check_passed_++;                                           \
    else {                                                                   \
      check_failed_++;                                                       \
      fprintf(stderr, "%s:%d: %s: expected %llu, got %llu\n", __FILE__,      \
              __LINE__, #actual, e_, a_);                                    \
    }                                                                        \
  } while (0)

#define CHECK_EQ_S(expected, actual)                                         \
  do {                                                                       \
    const char *e_ = (expected), *a_ = (actual);                             \
    if (e_ && a_ && strcmp(e_, a_) == 0) check_passed_++;                    \
    else {                                                                   \
      check_failed_++;                                                       \
      fprintf(stderr, "%s:%d: %s: expected \"%s\", got \"%s\"\n", __FILE__,  \
              __LINE__, #actual, e_ ? e_ : "(null)", a_ ? a_ : "(null)");    \
    }                                                                        \
  } while (0)

#define CHECK_DONE()                                                         \
  (printf("%lu passed, %lu failed\n", check_passed_, check_failed_),        \
   check_failed_ ? 1 : 0)

#endif
