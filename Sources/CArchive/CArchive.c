// libarchive, opened with dlopen on first use: see CLazyLoad.c for why.
#include "CArchive.h"
#include "CLazyLoad.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// The libarchive functions pyman may call: reading (tar, zip, raw; every filter), writing to disk,
// entries and errors. A function missing here fails at link time, never at run time.
#define ARCHIVE_FUNCTIONS(F, V)                                                                       \
    F(struct archive *, archive_read_new, (void), ())                                                 \
    F(int, archive_read_support_filter_all, (struct archive *a), (a))                                 \
    F(int, archive_read_support_format_tar, (struct archive *a), (a))                                 \
    F(int, archive_read_support_format_zip, (struct archive *a), (a))                                 \
    F(int, archive_read_support_format_raw, (struct archive *a), (a))                                 \
    F(int, archive_read_open_filename, (struct archive *a, const char *path, size_t block),           \
      (a, path, block))                                                                               \
    F(int, archive_read_open,                                                                         \
      (struct archive *a, void *data, archive_open_callback *open, archive_read_callback *read,       \
       archive_close_callback *close),                                                                \
      (a, data, open, read, close))                                                                   \
    F(int, archive_read_next_header, (struct archive *a, struct archive_entry **entry), (a, entry))   \
    F(int, archive_read_data_block,                                                                   \
      (struct archive *a, const void **buffer, size_t *size, la_int64_t *offset),                     \
      (a, buffer, size, offset))                                                                      \
    F(la_ssize_t, archive_read_data, (struct archive *a, void *buffer, size_t size), (a, buffer, size)) \
    F(int, archive_read_free, (struct archive *a), (a))                                               \
    F(struct archive *, archive_write_disk_new, (void), ())                                           \
    F(int, archive_write_disk_set_options, (struct archive *a, int flags), (a, flags))                \
    F(int, archive_write_header, (struct archive *a, struct archive_entry *entry), (a, entry))        \
    F(la_ssize_t, archive_write_data_block,                                                           \
      (struct archive *a, const void *buffer, size_t size, la_int64_t offset),                        \
      (a, buffer, size, offset))                                                                      \
    F(int, archive_write_finish_entry, (struct archive *a), (a))                                      \
    F(int, archive_write_close, (struct archive *a), (a))                                             \
    F(int, archive_write_free, (struct archive *a), (a))                                              \
    F(const char *, archive_error_string, (struct archive *a), (a))                                   \
    F(int, archive_errno, (struct archive *a), (a))                                                   \
    F(const char *, archive_entry_pathname, (struct archive_entry *e), (e))                           \
    F(const char *, archive_entry_pathname_utf8, (struct archive_entry *e), (e))                      \
    V(archive_entry_set_pathname, (struct archive_entry *e, const char *path), (e, path))             \
    F(const char *, archive_entry_hardlink, (struct archive_entry *e), (e))                           \
    V(archive_entry_set_hardlink, (struct archive_entry *e, const char *path), (e, path))             \
    F(const char *, archive_entry_symlink, (struct archive_entry *e), (e))                            \
    F(__LA_MODE_T, archive_entry_filetype, (struct archive_entry *e), (e))                            \
    F(__LA_MODE_T, archive_entry_perm, (struct archive_entry *e), (e))                                \
    V(archive_entry_set_perm, (struct archive_entry *e, __LA_MODE_T mode), (e, mode))                 \
    F(la_int64_t, archive_entry_size, (struct archive_entry *e), (e))                                 \
    F(la_int64_t, archive_filter_bytes, (struct archive *a, int n), (a, n))

#define ARCHIVE_UNFORWARDED(F, V)

PYMAN_LAZY_LIBRARY(ARCHIVE_FUNCTIONS, ARCHIVE_UNFORWARDED, pyman_archive_load, "libarchive", "libarchive13",
                   "libarchive.so.13", "libarchive.13.dylib", "libarchive.so")
