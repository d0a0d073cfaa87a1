#ifndef PYMAN_CCURL_H
#define PYMAN_CCURL_H
// libcurl for Swift, loaded on first use (see CCurl.c for why pyman does not link it).
#include <curl/curl.h>

/// Loads libcurl if it is not loaded yet. Returns NULL when it is usable, otherwise a one-line
/// message naming the library and how to install it. Safe to call from any thread, any number of times.
const char *pyman_curl_load(void);

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call;
// these typed wrappers are the only way through.
CURLcode curl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode curl_easy_setopt_write(CURL *handle, curl_write_callback callback);
CURLcode curl_easy_setopt_header(CURL *handle, curl_write_callback callback);
CURLcode curl_easy_setopt_progress(CURL *handle, curl_xferinfo_callback callback);
CURLcode curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode curl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);
CURLcode curl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value);

#endif
