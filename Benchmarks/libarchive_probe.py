#!/usr/bin/env python3
"""Drives the system libarchive (the one pyman links) through ctypes, to split an install's extraction cost.

    python3 libarchive_probe.py MODE ARCHIVE DEST

MODE:
  load                 load libarchive and open the archive, nothing else (the baseline to subtract)
  read                 decompress and walk every entry's data, write nothing (libarchive's zlib/zstd filters)
  pyman-flags          extract into DEST/tree with pyman's flags: TIME | PERM | SECURE_NODOTDOT |
                       SECURE_NOABSOLUTEPATHS, paths relative to DEST as pyman does (pyman guards
                       symlinks in memory, Sources/Extract/SymlinkGuard.swift)
  secure-symlinks      the same plus ARCHIVE_EXTRACT_SECURE_SYMLINKS (libarchive's per-entry parent walk,
                       which SymlinkGuard replaced)

Like pyman, the first path component (`python/`) is replaced by the target folder. The ctypes calls add
the same per-entry overhead to every extracting mode, so differences between modes are libarchive's.
"""

import ctypes
import os
import sys

ARCHIVE_OK, ARCHIVE_EOF, ARCHIVE_WARN = 0, 1, -20
EXTRACT_PERM, EXTRACT_TIME = 0x0002, 0x0004
SECURE_SYMLINKS, SECURE_NODOTDOT, SECURE_NOABSOLUTEPATHS = 0x0100, 0x0200, 0x10000
FLAGS = {
    "pyman-flags": EXTRACT_TIME | EXTRACT_PERM | SECURE_NODOTDOT | SECURE_NOABSOLUTEPATHS,
    "secure-symlinks": EXTRACT_TIME | EXTRACT_PERM | SECURE_SYMLINKS | SECURE_NODOTDOT | SECURE_NOABSOLUTEPATHS,
}


def fail(message):
    print(f"libarchive_probe: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("load", "read", *FLAGS):
        fail(__doc__)
    mode, archive, dest = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
    lib = ctypes.CDLL("libarchive.so.13")
    vp, cp = ctypes.c_void_p, ctypes.c_char_p
    for name, restype, argtypes in (
        ("archive_read_new", vp, []), ("archive_write_disk_new", vp, []),
        ("archive_read_support_filter_all", ctypes.c_int, [vp]), ("archive_read_support_format_tar", ctypes.c_int, [vp]),
        ("archive_write_disk_set_options", ctypes.c_int, [vp, ctypes.c_int]),
        ("archive_read_open_filename", ctypes.c_int, [vp, cp, ctypes.c_size_t]),
        ("archive_read_next_header", ctypes.c_int, [vp, ctypes.POINTER(vp)]),
        ("archive_entry_pathname", cp, [vp]), ("archive_entry_set_pathname", None, [vp, cp]),
        ("archive_entry_hardlink", cp, [vp]), ("archive_entry_set_hardlink", None, [vp, cp]),
        ("archive_write_header", ctypes.c_int, [vp, vp]),
        ("archive_read_data_block", ctypes.c_int, [vp, ctypes.POINTER(vp), ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.c_int64)]),
        ("archive_write_data_block", ctypes.c_ssize_t, [vp, vp, ctypes.c_size_t, ctypes.c_int64]),
        ("archive_write_finish_entry", ctypes.c_int, [vp]), ("archive_write_close", ctypes.c_int, [vp]),
        ("archive_error_string", cp, [vp]),
    ):
        function = getattr(lib, name)
        function.restype, function.argtypes = restype, argtypes

    reader = lib.archive_read_new()
    lib.archive_read_support_filter_all(reader)
    lib.archive_read_support_format_tar(reader)
    if lib.archive_read_open_filename(reader, archive, 256 * 1024) != ARCHIVE_OK:
        fail(f"cannot open {archive!r}: {lib.archive_error_string(reader)}")
    if mode == "load":
        return
    writer = None
    if mode in FLAGS:
        os.chdir(dest)
        writer = lib.archive_write_disk_new()
        lib.archive_write_disk_set_options(writer, FLAGS[mode])

    def target(name):
        rest = name.split(b"/", 1)[1] if b"/" in name else b""
        return b"tree/" + rest if rest else b"tree"

    entry, buffer, size, offset = vp(), vp(), ctypes.c_size_t(), ctypes.c_int64()
    while True:
        status = lib.archive_read_next_header(reader, ctypes.byref(entry))
        if status == ARCHIVE_EOF:
            break
        if status not in (ARCHIVE_OK, ARCHIVE_WARN):
            fail(f"damaged archive: {lib.archive_error_string(reader)}")
        if writer is not None:
            lib.archive_entry_set_pathname(entry, target(lib.archive_entry_pathname(entry)))
            link = lib.archive_entry_hardlink(entry)
            if link:
                lib.archive_entry_set_hardlink(entry, target(link))
            if lib.archive_write_header(writer, entry) != ARCHIVE_OK:
                fail(f"cannot write a header: {lib.archive_error_string(writer)}")
        while True:
            status = lib.archive_read_data_block(reader, ctypes.byref(buffer), ctypes.byref(size), ctypes.byref(offset))
            if status == ARCHIVE_EOF:
                break
            if status not in (ARCHIVE_OK, ARCHIVE_WARN):
                fail(f"damaged archive data: {lib.archive_error_string(reader)}")
            if writer is not None and lib.archive_write_data_block(writer, buffer, size.value, offset.value) < 0:
                fail(f"cannot write data: {lib.archive_error_string(writer)}")
        if writer is not None and lib.archive_write_finish_entry(writer) != ARCHIVE_OK:
            fail(f"cannot finish an entry: {lib.archive_error_string(writer)}")
    if writer is not None and lib.archive_write_close(writer) != ARCHIVE_OK:
        fail(f"cannot close: {lib.archive_error_string(writer)}")


if __name__ == "__main__":
    main()
