// libcurl, opened with dlopen on first use: see CLazyLoad.c for why.
#define CURL_DISABLE_TYPECHECK  // curl.h's type-checking macros would rewrite the calls below
#include "CCurl.h"
#include "CLazyLoad.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// Every libcurl function pyman calls.
#define CURL_FUNCTIONS(F, V)                                     \
    F(CURLcode, curl_global_init, (long flags), (flags))         \
    F(CURL *, curl_easy_init, (void), ())                        \
    F(CURLcode, curl_easy_perform, (CURL *handle), (handle))     \
    V(curl_easy_cleanup, (CURL *handle), (handle))               \
    F(const char *, curl_easy_strerror, (CURLcode code), (code))         \
    F(struct curl_slist *, curl_slist_append, (struct curl_slist *list, const char *text), (list, text)) \
    V(curl_slist_free_all, (struct curl_slist *list), (list))
// Variadic: reached only through the typed wrappers at the end of this file.
#define CURL_VARIADIC(F, V)                                                   \
    F(CURLcode, curl_easy_setopt, (CURL *handle, CURLoption option, ...), ()) \
    F(CURLcode, curl_easy_getinfo, (CURL *handle, CURLINFO info, ...), ())

PYMAN_LAZY_LIBRARY(CURL_FUNCTIONS, CURL_VARIADIC, pyman_curl_load, "libcurl", "libcurl4",
                   "libcurl.so.4", "libcurl.4.dylib", "libcurl.so")

CURLcode curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    pyman_lazy_require();
    return pyman_lazy_api.curl_easy_setopt(handle, option, value);
}
CURLcode curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    pyman_lazy_require();
    return pyman_lazy_api.curl_easy_setopt(handle, option, value);
}
CURLcode curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    pyman_lazy_require();
    return pyman_lazy_api.curl_easy_setopt(handle, option, value);
}
CURLcode curl_easy_setopt_write(CURL *handle, curl_write_callback callback) {
    pyman_lazy_require();
    return pyman_lazy_api.curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}
CURLcode curl_easy_setopt_header(CURL *handle, curl_write_callback callback) {
    pyman_lazy_require();
    return pyman_lazy_api.curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}
CURLcode curl_easy_setopt_progress(CURL *handle, curl_xferinfo_callback callback) {
    pyman_lazy_require();
    return pyman_lazy_api.curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}
CURLcode curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    pyman_lazy_require();
    return pyman_lazy_api.curl_easy_getinfo(handle, info, value);
}
CURLcode curl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    pyman_lazy_require();
    return pyman_lazy_api.curl_easy_getinfo(handle, info, value);
}
CURLcode curl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    pyman_lazy_require();
    return pyman_lazy_api.curl_easy_getinfo(handle, info, value);
}
