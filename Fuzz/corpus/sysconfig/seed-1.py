# system configuration generated and used by the sysconfig module
build_time_vars = {'ABIFLAGS': '',
 'AR': 'ar',
 'CC': 'clang',
 'CONFIG_ARGS': "'--prefix=/install' '--enable-shared' "
                "'CC=clang' 'LDFLAGS=-Wl,-rpath,'\\''$$ORIGIN/../lib'\\'''",
 'LDSHARED': ('clang -shared '
              "-Wl,-rpath,'$ORIGIN/../lib'"),
 'Py_ENABLE_SHARED': 1,
 'SIZEOF_LONG': 8,
 'prefix': '/install',
 "x\u00e9\N{BULLET}\x41\101": "tab\there",
}
