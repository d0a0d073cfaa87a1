// ISA-L's igzip inflates the python-build-standalone .tar.gz archives 2-3 times faster than zlib (SIMD
// Huffman decoding; 45 ms instead of ~110 ms for a 12 MiB archive here). Opened with dlopen on first
// use like libcurl and libarchive (CLazyLoad.c), and optional: Extract falls back to libarchive.
#include "CIsal.h"
#include "CLazyLoad.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define ISAL_FUNCTIONS(F, V)                                                 \
    V(isal_inflate_init, (struct inflate_state *state), (state))             \
    F(int, isal_inflate, (struct inflate_state *state), (state))

#define ISAL_UNFORWARDED(F, V)

PYMAN_LAZY_LIBRARY(ISAL_FUNCTIONS, ISAL_UNFORWARDED, pyman_isal_load, "libisal", "libisal2",
                   "libisal.so.2", "libisal.2.dylib", "libisal.so")
