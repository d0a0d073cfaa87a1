#ifndef PYMAN_CISAL_H
#define PYMAN_CISAL_H
// Intel ISA-L's inflate (Debian's libisal2), loaded on first use when present (see CIsal.c).
#include <isa-l/igzip_lib.h>

/// Loads libisal if it is not loaded yet. Returns NULL when it is usable, otherwise a one-line message.
/// ISA-L is optional: without it, gzip archives are inflated by libarchive (zlib), 2-3 times slower.
const char *pyman_isal_load(void);

#endif
