#ifndef PYMAN_CARCHIVE_H
#define PYMAN_CARCHIVE_H
// libarchive for Swift, loaded on first use (see CArchive.c for why pyman does not link it).
#include <archive.h>
#include <archive_entry.h>

/// Loads libarchive if it is not loaded yet. Returns NULL when it is usable, otherwise a one-line
/// message naming the library and how to install it. Safe to call from any thread, any number of times.
const char *pyman_archive_load(void);

#endif
