// check(condition): the fuzz targets' assertion. Unlike assert() it stays in optimised builds,
// and it names the file and line, so libFuzzer keeps the input that broke the guarantee.
#pragma once

#include <cstdio>
#include <cstdlib>

#define check(ok)                                                                           \
  do {                                                                                      \
    if (!(ok)) {                                                                            \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #ok);           \
      std::abort();                                                                         \
    }                                                                                       \
  } while (0)
