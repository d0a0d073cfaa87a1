#ifndef PYMAN_CLAZYLOAD_H
#define PYMAN_CLAZYLOAD_H
#include <stddef.h>

// Opens the first of `names` (a NULL-terminated list of file names, most specific first) that
// dlopen finds. On failure returns NULL and writes a one-line message naming `library`, dlopen's
// reason and the Debian package `package` that provides it into `error`.
void *pyman_lazy_open(const char *const *names, const char *library, const char *package,
                      char *error, size_t error_size);

// dlsym, with a one-line message into `error` when the library lacks `symbol` (too old a release).
void *pyman_lazy_symbol(void *handle, const char *symbol, const char *library,
                        char *error, size_t error_size);

// Declares, for a list of functions given as an X-macro `FUNCTIONS(F, V)` — F(ret, name, params, args)
// for functions that return a value, V(name, params, args) for void ones — and a second list,
// `UNFORWARDED`, of functions only resolved (variadic ones, which cannot be forwarded; the file's
// own wrappers call them through `pyman_lazy_api.name` after `pyman_lazy_require()`):
//   * `LOAD_FUNCTION`, a public `const char *LOAD_FUNCTION(void)` that loads the library once
//     (pthread_once) and resolves every function, returning NULL or the one-line error;
//   * a definition of each listed function with the library's own prototype, forwarding to the
//     resolved address, so Swift calls libcurl/libarchive by their usual names.
// The table of addresses is written once, under pthread_once, and only read afterwards.
// A forwarding function called although loading failed prints the error and exits: callers are
// expected to call LOAD_FUNCTION first and report its error their own way.
#define PYMAN_LAZY_FIELD(ret, name, params, args) ret (*name) params;
#define PYMAN_LAZY_FIELD_VOID(name, params, args) void (*name) params;
#define PYMAN_LAZY_RESOLVE(ret, name, params, args) PYMAN_LAZY_RESOLVE_ONE(name, ret (*) params)
#define PYMAN_LAZY_RESOLVE_VOID(name, params, args) PYMAN_LAZY_RESOLVE_ONE(name, void (*) params)
#define PYMAN_LAZY_RESOLVE_ONE(name, type)                                                         \
    if ((pyman_lazy_api.name = (type)pyman_lazy_symbol(handle, #name, pyman_lazy_library,          \
                                                       pyman_lazy_error, sizeof pyman_lazy_error)) == NULL) { \
        pyman_lazy_failure = pyman_lazy_error;                                                      \
        return;                                                                                     \
    }
#define PYMAN_LAZY_FORWARD(ret, name, params, args) \
    ret name params { pyman_lazy_require(); return pyman_lazy_api.name args; }
#define PYMAN_LAZY_FORWARD_VOID(name, params, args) \
    void name params { pyman_lazy_require(); pyman_lazy_api.name args; }

#define PYMAN_LAZY_LIBRARY(FUNCTIONS, UNFORWARDED, LOAD_FUNCTION, LIBRARY, PACKAGE, ...)            \
    static const char *const pyman_lazy_library = LIBRARY;                                        \
    static struct {                                                                                \
        FUNCTIONS(PYMAN_LAZY_FIELD, PYMAN_LAZY_FIELD_VOID)                                         \
        UNFORWARDED(PYMAN_LAZY_FIELD, PYMAN_LAZY_FIELD_VOID)                                       \
    } pyman_lazy_api;                                                                              \
    static char pyman_lazy_error[512];                                                             \
    static const char *pyman_lazy_failure;                                                         \
    static void pyman_lazy_load_once(void) {                                                       \
        static const char *const names[] = {__VA_ARGS__, NULL};                                    \
        void *handle = pyman_lazy_open(names, LIBRARY, PACKAGE, pyman_lazy_error,                  \
                                       sizeof pyman_lazy_error);                                   \
        if (handle == NULL) {                                                                      \
            pyman_lazy_failure = pyman_lazy_error;                                                 \
            return;                                                                                \
        }                                                                                          \
        FUNCTIONS(PYMAN_LAZY_RESOLVE, PYMAN_LAZY_RESOLVE_VOID)                                     \
        UNFORWARDED(PYMAN_LAZY_RESOLVE, PYMAN_LAZY_RESOLVE_VOID)                                   \
    }                                                                                              \
    const char *LOAD_FUNCTION(void) {                                                              \
        static pthread_once_t once = PTHREAD_ONCE_INIT;                                            \
        pthread_once(&once, pyman_lazy_load_once);                                                 \
        return pyman_lazy_failure;                                                                 \
    }                                                                                              \
    static void pyman_lazy_require(void) {                                                         \
        const char *failure = LOAD_FUNCTION();                                                     \
        if (failure != NULL) {                                                                     \
            fprintf(stderr, "pyman: error: %s\n", failure);                                       \
            exit(1);                                                                               \
        }                                                                                          \
    }                                                                                              \
    FUNCTIONS(PYMAN_LAZY_FORWARD, PYMAN_LAZY_FORWARD_VOID)

#endif
