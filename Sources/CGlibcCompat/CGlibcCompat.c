// The release binary is linked against glibc 2.28's symbol versions (Containers/release.sh says how
// and why), so that one binary starts on every glibc from 2.28 on. The static archives linked into it
// (the Swift runtime, FoundationEssentials, GCC 12's libstdc++.a and libgcc_eh.a) were compiled
// against Debian bookworm's glibc 2.36 headers, and reach for three things glibc 2.28 does not have:
//
//   __libc_single_threaded (2.32)  libstdc++ skips atomic reference counts while it is nonzero
//   _dl_find_object (2.35)         GCC 12's unwinder finds a PC's .eh_frame_hdr with it
//   arc4random (2.36)              libstdc++'s std::random_device (random.o), one of its entropy sources
//
// They are defined here, hidden: the link resolves the archives' references to these definitions, the
// binary exports none of them (so a library pyman dlopen()s still gets glibc's own), and none needs a
// symbol version newer than 2.28. Each is correct on old and new glibc alike (the same binary runs on
// Debian 11's 2.31 and Debian 13's 2.41). stat/fstat/lstat/fstatat (real functions only since 2.33)
// come from glibc 2.28's own libc_nonshared.a, which the release link uses (wrappers over __xstat).
//
// The aarch64 cross build (Containers/cross-build.sh) links Debian sid's static Swift runtime and GCC's
// libstdc++.a, compiled against glibc 2.41+ headers, which name functions glibc 2.38 introduced: strtol,
// strtoul, strtoll, strtoull and sscanf are redirected to C23's __isoc23_* (which also accept "0b" binary
// literals), and libdispatch calls strlcpy. With PYMAN_GLIBC_238 (that build only) they are defined here,
// hidden: the __isoc23_* names over the pre-C23 functions 2.28 has (no caller in those archives parses
// "0b" literals), strlcpy as glibc and the BSDs define it.
//
// Only the release builds define PYMAN_GLIBC_FLOOR; everywhere else (swift build, the tests) this file
// is empty and the system's glibc provides all of it.
#define _GNU_SOURCE
#include <features.h>

#if defined(PYMAN_GLIBC_FLOOR) && defined(__linux__) && defined(__GLIBC__)
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

#define HIDDEN __attribute__((visibility("hidden")))

// ------------------------------------------------------------------------------ __libc_single_threaded
// glibc 2.32+ sets its own to 1 while a process has one thread; libstdc++ reads it to skip atomics.
// 0 ("maybe several threads") is always a correct answer: the atomic path is the one taken anyway once
// the Swift runtime has started a thread, i.e. in every pyman that does any work.
HIDDEN char __libc_single_threaded = 0;

// ------------------------------------------------------------------------------------- _dl_find_object
// GCC 12's _Unwind_Find_FDE asks _dl_find_object for the object containing a PC and returns "no FDE"
// (so the unwind stops: an uncaught exception, an empty backtrace) if it fails; it has no fallback of
// its own when built against glibc 2.35+ headers. So: glibc's own where it exists (2.35+: lock-free),
// else what libgcc did before 2.35, a walk over dl_iterate_phdr for the PT_LOAD segment holding the PC
// and that object's PT_GNU_EH_FRAME.
typedef int (*find_object_fn)(void *, struct dl_find_object *);

struct find_state {
    uintptr_t pc;
    struct dl_find_object *result;
    int found;
};

static int find_in_object(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct find_state *state = data;
    uintptr_t low = UINTPTR_MAX, high = 0;
    const void *eh_frame = NULL;
    int contains = 0;
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *phdr = &info->dlpi_phdr[i];
        uintptr_t start = (uintptr_t)info->dlpi_addr + phdr->p_vaddr;
        if (phdr->p_type == PT_LOAD) {
            uintptr_t end = start + phdr->p_memsz;
            if (state->pc >= start && state->pc < end) contains = 1;
            if (start < low) low = start;
            if (end > high) high = end;
        } else if (phdr->p_type == PT_GNU_EH_FRAME) {
            eh_frame = (const void *)start;
        }
    }
    if (!contains) return 0;
    state->result->dlfo_flags = 0;
    state->result->dlfo_map_start = (void *)low;
    state->result->dlfo_map_end = (void *)high;
    state->result->dlfo_link_map = NULL;
    state->result->dlfo_eh_frame = (void *)eh_frame;
    state->found = 1;
    return 1;  // stops the walk
}

// The fallback on its own, so that a test can compare it with glibc's.
HIDDEN int pyman_find_object_by_phdr(void *pc, struct dl_find_object *result) {
    struct find_state state = {(uintptr_t)pc, result, 0};
    dl_iterate_phdr(find_in_object, &state);
    if (!state.found) return -1;
    struct link_map *map = NULL;
    Dl_info info;
    if (dladdr1(pc, &info, (void **)&map, RTLD_DL_LINKMAP) != 0) result->dlfo_link_map = map;
    return 0;
}

static find_object_fn glibc_find_object(void) {
    // Looked up on first use (an unwind), not at start-up. A lost race looks it up twice: harmless.
    static find_object_fn resolved;
    static int looked;
    if (!__atomic_load_n(&looked, __ATOMIC_ACQUIRE)) {
        find_object_fn fn = (find_object_fn)dlvsym(RTLD_DEFAULT, "_dl_find_object", "GLIBC_2.35");
        __atomic_store_n(&resolved, fn, __ATOMIC_RELAXED);
        __atomic_store_n(&looked, 1, __ATOMIC_RELEASE);
    }
    return __atomic_load_n(&resolved, __ATOMIC_RELAXED);
}

HIDDEN int _dl_find_object(void *pc, struct dl_find_object *result) {
    find_object_fn glibc = glibc_find_object();
    if (glibc != NULL) return glibc(pc, result);
    return pyman_find_object_by_phdr(pc, result);
}

// ------------------------------------------------------------------------------------------ arc4random
// glibc 2.37+ implements arc4random as getrandom(2) per call (2.36 buffered it); getrandom is in glibc
// since 2.25. Like glibc's, it never fails: it retries on EINTR, reads /dev/urandom on a kernel without
// getrandom (before 3.17), and aborts if there is no randomness at all. errno is left as it was.
static void random_bytes(void *buffer, size_t count) {
    int saved = errno;
    unsigned char *bytes = buffer;
    while (count > 0) {
        ssize_t got = getrandom(bytes, count, 0);
        if (got > 0) {
            bytes += got;
            count -= (size_t)got;
        } else if (got < 0 && errno == ENOSYS) {
            int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
            if (fd < 0) abort();
            while (count > 0) {
                ssize_t n = read(fd, bytes, count);
                if (n > 0) {
                    bytes += n;
                    count -= (size_t)n;
                } else if (n == 0 || errno != EINTR) {
                    abort();
                }
            }
            close(fd);
        } else if (got == 0 || errno != EINTR) {
            abort();
        }
    }
    errno = saved;
}

HIDDEN uint32_t arc4random(void) {
    uint32_t value;
    random_bytes(&value, sizeof value);
    return value;
}

HIDDEN void arc4random_buf(void *buffer, size_t count) {
    random_bytes(buffer, count);
}

HIDDEN uint32_t arc4random_uniform(uint32_t bound) {
    // Rejection sampling: values below 2^32 mod bound would make the low results likelier.
    if (bound < 2) return 0;
    uint32_t floor = -bound % bound;
    for (;;) {
        uint32_t value = arc4random();
        if (value >= floor) return value % bound;
    }
}

#if defined(PYMAN_GLIBC_238)
#include <stdarg.h>
#include <string.h>

// The pre-C23 functions by their symbol names: with _GNU_SOURCE, glibc 2.38+ headers would redirect
// strtol & co. to the __isoc23_* names defined here (a recursion).
extern long c99_strtol(const char *, char **, int) __asm__("strtol");
extern long long c99_strtoll(const char *, char **, int) __asm__("strtoll");
extern unsigned long c99_strtoul(const char *, char **, int) __asm__("strtoul");
extern unsigned long long c99_strtoull(const char *, char **, int) __asm__("strtoull");
extern int c99_vsscanf(const char *, const char *, va_list) __asm__("__isoc99_vsscanf");

HIDDEN long __isoc23_strtol(const char *s, char **end, int base) { return c99_strtol(s, end, base); }
HIDDEN long long __isoc23_strtoll(const char *s, char **end, int base) { return c99_strtoll(s, end, base); }
HIDDEN unsigned long __isoc23_strtoul(const char *s, char **end, int base) { return c99_strtoul(s, end, base); }
HIDDEN unsigned long long __isoc23_strtoull(const char *s, char **end, int base) { return c99_strtoull(s, end, base); }
HIDDEN int __isoc23_vsscanf(const char *s, const char *format, va_list args) { return c99_vsscanf(s, format, args); }
HIDDEN int __isoc23_sscanf(const char *s, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = c99_vsscanf(s, format, args);
    va_end(args);
    return n;
}

// Copies at most size - 1 bytes and terminates the copy (when size > 0); returns strlen(src).
HIDDEN size_t strlcpy(char *dst, const char *src, size_t size) {
    size_t length = strlen(src);
    if (size > 0) {
        size_t n = length < size - 1 ? length : size - 1;
        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return length;
}

// Appends src to the string in dst (of at most size bytes), terminated; returns the length it tried to make.
HIDDEN size_t strlcat(char *dst, const char *src, size_t size) {
    size_t used = strnlen(dst, size);
    if (used == size) return size + strlen(src);
    return used + strlcpy(dst + used, src, size - used);
}
#endif
#endif
