// What the glibc floor changes that pyman's own commands do not reach, checked directly. Containers/
// release.sh links this exactly as it links pyman (glibc 2.28's stubs and start files, Sources/
// CGlibcCompat with PYMAN_GLIBC_FLOOR, GCC's static libstdc++ and libgcc) and runs it on the build
// machine; Containers/glibc-floor.sh runs it again in the Debian 11 and 13 roots. Prints one line, exit 0.
#include <dlfcn.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdexcept>
#include <string>
#include <thread>

extern "C" int pyman_find_object_by_phdr(void *pc, struct dl_find_object *result);

static int failures = 0;
#define CHECK(condition, ...)                                  \
    do {                                                       \
        if (!(condition)) {                                    \
            fprintf(stderr, "glibc-floor-probe: " __VA_ARGS__); \
            fputc('\n', stderr);                               \
            failures++;                                        \
        }                                                      \
    } while (0)

// Run by __libc_csu_init on glibc < 2.34 (passed by 2.28's Scrt1.o), by glibc itself after.
static int constructed = 0;
__attribute__((constructor)) static void mark_constructed(void) { constructed = 1; }

// An exception thrown through a frame that cannot be inlined: the unwinder has to find each frame's
// FDE, through _dl_find_object (CGlibcCompat's on glibc < 2.35).
__attribute__((noinline)) static void throw_through(int depth) {
    if (depth == 0) throw std::runtime_error("unwound");
    throw_through(depth - 1);
    asm volatile("");
}

int main(void) {
    CHECK(constructed, "the constructors did not run");

    std::string caught;
    try {
        throw_through(3);
    } catch (const std::exception &error) {
        caught = error.what();
    }
    CHECK(caught == "unwound", "the exception was not caught (unwinding failed)");

    int from_thread = 0;
    std::thread worker([&] { from_thread = 7; });
    worker.join();
    CHECK(from_thread == 7, "std::thread did not run");

    struct stat info;
    CHECK(stat("/", &info) == 0 && S_ISDIR(info.st_mode) && info.st_ino != 0, "stat(\"/\") failed");
    CHECK(lstat("/proc/self", &info) == 0 && S_ISLNK(info.st_mode), "lstat(\"/proc/self\") failed");
    CHECK(fstatat(AT_FDCWD, "/dev/null", &info, 0) == 0 && S_ISCHR(info.st_mode), "fstatat(\"/dev/null\") failed");
    int fd = open("/", O_RDONLY | O_DIRECTORY);
    CHECK(fd >= 0 && fstat(fd, &info) == 0 && S_ISDIR(info.st_mode), "fstat of / failed");

    uint32_t bound_ok = 1;
    for (int i = 0; i < 1000; i++) bound_ok &= arc4random_uniform(10) < 10;
    unsigned char bytes[64] = {0}, zero[64] = {0};
    arc4random_buf(bytes, sizeof bytes);
    CHECK(bound_ok && memcmp(bytes, zero, sizeof bytes) != 0 && arc4random() != arc4random(),
          "arc4random gave no random numbers");

    // The dl_iterate_phdr fallback against glibc's own _dl_find_object where it has one (2.35+): the
    // same object bounds and .eh_frame_hdr for code in this binary and in libc; both fail for the stack.
    typedef int (*find_fn)(void *, struct dl_find_object *);
    find_fn glibc = (find_fn)dlvsym(RTLD_DEFAULT, "_dl_find_object", "GLIBC_2.35");
    void *in_libc = dlsym(RTLD_DEFAULT, "printf");
    void *addresses[] = {(void *)&main, (void *)&throw_through, in_libc};
    for (void *pc : addresses) {
        struct dl_find_object mine, theirs;
        CHECK(pyman_find_object_by_phdr(pc, &mine) == 0 && mine.dlfo_eh_frame != NULL
                  && (uintptr_t)mine.dlfo_map_start <= (uintptr_t)pc && (uintptr_t)pc < (uintptr_t)mine.dlfo_map_end,
              "the fallback does not find %p", pc);
        if (glibc != NULL) {
            CHECK(glibc(pc, &theirs) == 0, "glibc's _dl_find_object does not find %p", pc);
            CHECK(mine.dlfo_eh_frame == theirs.dlfo_eh_frame && mine.dlfo_link_map == theirs.dlfo_link_map,
                  "the fallback and glibc disagree on %p", pc);
        }
    }
    int on_stack = 0;
    struct dl_find_object none;
    CHECK(pyman_find_object_by_phdr(&on_stack, &none) == -1, "the fallback claims a stack address");

    if (failures != 0) return 1;
    printf("glibc-floor-probe: ok (glibc %s; _dl_find_object: %s)\n", gnu_get_libc_version(),
           glibc != NULL ? "glibc's, checked against the fallback" : "the dl_iterate_phdr fallback");
    return 0;
}
