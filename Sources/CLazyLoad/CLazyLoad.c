// pyman loads libcurl and libarchive with dlopen on first use instead of linking them. Linked, the
// dynamic loader maps them and their ~40 dependencies (OpenSSL, GnuTLS, Kerberos, LDAP, …) and
// resolves thousands of symbols at every start: about 6.5 ms, more than `pyman find`, `list` or
// `venv` need in total. Commands that never download or unpack now never pay for them.
#include "CLazyLoad.h"
#include <dlfcn.h>
#include <stdio.h>

void *pyman_lazy_open(const char *const *names, const char *library, const char *package,
                      char *error, size_t error_size) {
    const char *reason = "no candidate file name";
    for (const char *const *name = names; *name != NULL; name++) {
        void *handle = dlopen(*name, RTLD_NOW | RTLD_LOCAL);
        if (handle != NULL) return handle;
        const char *text = dlerror();
        if (name == names && text != NULL) {
            // The first name is the one a packaged library has; its reason is the useful one.
            snprintf(error, error_size, "%s", text);
            reason = error;
        }
    }
    char detail[384];
    snprintf(detail, sizeof detail, "%s", reason);
    snprintf(error, error_size, "cannot load %s (%s); install it (Debian/Ubuntu: apt-get install %s)",
             library, detail, package);
    return NULL;
}

void *pyman_lazy_symbol(void *handle, const char *symbol, const char *library,
                        char *error, size_t error_size) {
    void *address = dlsym(handle, symbol);
    if (address == NULL) {
        snprintf(error, error_size, "%s has no %s: it is too old for pyman; upgrade it", library, symbol);
    }
    return address;
}
